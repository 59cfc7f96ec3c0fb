"""Shared storefront pages served from the cache, correct for every visitor.

A page is rendered once per language, path and query as an anonymous visitor
sees it and kept in the cache (Redis with ``REDIS_URL``, else the process's
memory) for ``PAGE_CACHE_SECONDS`` at most. What belongs to one visitor never
enters the shared copy; it is put back on every answer, cheaply:

- the CSRF token of each form, marked when the page is stored and filled in with
  the visitor's own token when it is served;
- *fragments*, regions of the page between ``<!--fragment:NAME-->`` and
  ``<!--/fragment:NAME-->``: the account links in the header and the flash
  messages (``includes/account_nav.html``, ``includes/messages.html``) and any a
  view names, such as the review form of a product page. A fragment is rendered
  for the visitor only when it differs from the anonymous copy: a signed-in
  visitor, or one with a message waiting. The header's cart link with its count
  (``includes/cart_link.html``) is rendered for every visitor (no query for a
  guest without a cart); the shared copy is rendered with
  ``request.page_cache_shared`` set, which makes that count 0.

Every write that changes what a page shows (a price, a stock band, a status, a
name, a photo, a review) calls ``pages_changed()``, which makes every stored page
stale at once and again when the transaction commits: the pages share one *generation* number,
read with the page in one cache round trip, and a page stored under an older
generation is rendered again. Stock counts that change with every order (the
live session's figures) are not invalidated by each order; those pages and
endpoints keep a timeout of a few seconds instead.

Without Redis each web process keeps its own copies, and another process's write
reaches them only when they time out: run more than one process with Redis.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

from marketplace.db_routers import primary_reads, replica_alias, replica_reads

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
# Until this time.time(), pages are rendered from the primary: a replica may not have the last write yet.
PRIMARY_UNTIL_KEY = "pages:primary-until"
# Exact stock counts (the API's, a live session's) are rendered again after this many seconds; while one
# request renders a page anew the others get the copy, so a count shown is at most twice this old.
STOCK_SECONDS = 3
# Past this, a rendering that never finished (its process died) no longer holds the others back.
RENDER_SECONDS = 10
# How long a process trusts the generation it read, and how many pages it keeps in its own memory.
GENERATION_SECONDS = 1.0
LOCAL_PAGES = 500
HEADER = "X-Page-Cache"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
_CSRF_MARK = b'name="csrfmiddlewaretoken" value="@csrf@"'
# Headers of the view's answer that belong to one visitor or one body; the middleware sets them again.
_OWN_HEADERS = {"set-cookie", "vary", "content-length"}

# A fragment's renderer gets the request and the page's metadata and returns the
# visitor's version, or None to keep the anonymous one.
Renderer = Callable[[HttpRequest, dict[str, Any]], "str | None"]


@dataclass(frozen=True)
class _Entry:
    generation: int
    content: bytes
    headers: dict[str, str]
    fresh_until: float  # time.time(); past it, one request renders the page again while others get this copy
    meta: dict[str, Any] = field(default_factory=dict)


class _Local:
    """This process's own copies of the pages it served lately, and the generation it last read.

    A hit then costs no round trip to Redis: the generation is read again at most every
    ``GENERATION_SECONDS``, and at once after a write in this process, so another process's write reaches
    this one's copies within that second.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: dict[str, _Entry] = {}
        self.generation: int | None = None
        self.primary_until = 0.0
        self.read_at = 0.0

    def state(self, now: float) -> tuple[int, float] | None:
        if self.generation is None or now - self.read_at > GENERATION_SECONDS:
            return None
        return self.generation, self.primary_until

    def remember(self, generation: int, primary_until: float, now: float) -> None:
        self.generation, self.primary_until, self.read_at = generation, primary_until, now

    def keep(self, key: str, entry: _Entry) -> None:
        with self.lock:
            if len(self.pages) >= LOCAL_PAGES:
                self.pages.clear()  # a crude bound; the busy pages come back at their next request
            self.pages[key] = entry

    def forget(self) -> None:
        with self.lock:
            self.pages.clear()
            self.generation = None


_local = _Local()


def forget_local() -> None:
    """Drop this process's copies and the generation it read (tests start each with none)."""
    _local.forget()


def pages_changed() -> None:
    """Every cached page is stale: now, and again once the current transaction commits.

    The second time matters: a page rendered between the write and its commit still shows the rows before
    it and must not outlive the commit. A write rolled back costs one needless round of rendering.
    """
    _next_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_next_generation)


def _next_generation() -> None:
    _local.generation = None  # this process reads the new generation at its next request
    try:
        if replica_alias() is not None:
            lag = settings.REPLICA_LAG_SECONDS
            cache.set(PRIMARY_UNTIL_KEY, time.time() + lag, timeout=lag + 1)
        cache.incr(GENERATION_KEY)
    except ValueError:  # Not stored yet, or evicted: any new number will do.
        _start_generation()
    except Exception:  # A cache outage must not undo a committed write; pages then time out.
        logger.exception("Could not mark the cached pages stale")


def _start_generation() -> int:
    # A random start, so that a generation lost to eviction never matches pages stored before it.
    cache.add(GENERATION_KEY, secrets.randbelow(2**62), timeout=None)
    return cache.get(GENERATION_KEY) or 0


def _key(request: HttpRequest) -> str:
    # The host too: the API's page links are absolute.
    path = hashlib.blake2b(f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=16).hexdigest()
    return f"page:{translation.get_language()}:{path}"


def _account_nav(request: HttpRequest, meta: dict[str, Any]) -> str | None:
    if not request.user.is_authenticated:
        return None
    return render_to_string("includes/account_nav.html", request=request)


def _messages(request: HttpRequest, meta: dict[str, Any]) -> str | None:
    if not len(get_messages(request)):
        return None
    return render_to_string("includes/messages.html", request=request)


def _cart_link(request: HttpRequest, meta: dict[str, Any]) -> str | None:
    return render_to_string("includes/cart_link.html", request=request)


BASE_FRAGMENTS: dict[str, Renderer] = {"account": _account_nav, "messages": _messages, "cart": _cart_link}


def _splice(content: bytes, name: str, html: str) -> bytes:
    start_mark = f"<!--fragment:{name}-->".encode()
    end_mark = f"<!--/fragment:{name}-->".encode()
    start = content.find(start_mark)
    end = content.find(end_mark, start)
    if start < 0 or end < 0:
        return content
    return content[: start + len(start_mark)] + html.encode() + content[end:]


def _render_shared(
    view: Callable, request: HttpRequest, args: tuple, kwargs: dict, *, from_replica: bool
) -> HttpResponse:
    """The view's answer as an anonymous visitor with no messages would get it, from the replica if allowed."""
    user, had_user = getattr(request, "user", None), hasattr(request, "user")
    had_messages = hasattr(request, "_messages")
    stored_messages = getattr(request, "_messages", None)
    request.user = AnonymousUser()
    request._messages = []
    request.page_cache_shared = True  # what reads the visitor's session (the cart count) shows nothing
    try:
        with replica_reads() if from_replica else primary_reads():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
    finally:
        del request.page_cache_shared
        if had_user:
            request.user = user
        else:
            del request.user
        if had_messages:
            request._messages = stored_messages
        else:
            del request._messages
    return response


def cached_page(
    *,
    timeout: int | None = None,
    fragments: dict[str, Renderer] | None = None,
    after: Callable[[HttpRequest, HttpResponse, dict[str, Any]], None] | None = None,
    anonymous_only: bool = False,
) -> Callable:
    """Serve a GET view's answer from the shared cache; see the module's docstring.

    ``timeout`` caps the seconds a copy is kept (``PAGE_CACHE_SECONDS`` by default). A view may put a
    dictionary on ``response.page_cache_meta`` and ``response.page_cache_timeout`` (seconds, e.g. until a
    live session's scheduled end); the metadata reaches ``fragments`` and ``after``, which runs on every
    answer (to set a cookie, say). Only 200 answers are kept. Requests with an ``Authorization`` header
    (the API's tokens) always reach the view, and so do signed-in visitors' with ``anonymous_only``, for an
    answer that differs for them beyond fragments (the API shows a producer's members their drafts).
    """
    renderers = {**BASE_FRAGMENTS, **(fragments or {})}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = settings.PAGE_CACHE_SECONDS if timeout is None else min(timeout, settings.PAGE_CACHE_SECONDS)
            if request.method not in ("GET", "HEAD") or limit <= 0 or "HTTP_AUTHORIZATION" in request.META:
                return view(request, *args, **kwargs)
            if anonymous_only and request.user.is_authenticated:
                return view(request, *args, **kwargs)
            key = _key(request)
            now = time.time()
            replica = replica_alias() is not None
            generation, primary_until = _generation(now, replica=replica)
            entry = _copy(key, generation, now)
            state = "hit"
            if entry is None or entry.generation != generation:
                state = "miss"
            elif entry.fresh_until <= now and cache.add(f"{key}:renders", 1, timeout=RENDER_SECONDS):
                # Timed out: this request renders it again; the others keep getting the copy meanwhile, so a
                # busy page is never rendered by every request at once.
                state = "refresh"
            if state != "hit":
                try:
                    # Right after a write the replica may lag behind it: a page stored from it would outlive the
                    # write, so those renderings read the primary.
                    from_replica = replica and primary_until < now
                    response = _render_shared(view, request, args, kwargs, from_replica=from_replica)
                    if response.status_code != 200 or response.streaming:
                        return response
                    entry = _store(key, generation, response, limit)
                finally:
                    if state == "refresh":
                        cache.delete(f"{key}:renders")
            response = _serve(request, entry, renderers)
            response[HEADER] = state
            if after is not None:
                after(request, response, entry.meta)
            return response

        return wrapper

    return decorator


def _generation(now: float, *, replica: bool) -> tuple[int, float]:
    """The pages' generation and the time until which they are rendered from the primary."""
    known = _local.state(now)
    if known is None:
        found = cache.get_many([GENERATION_KEY, PRIMARY_UNTIL_KEY] if replica else [GENERATION_KEY])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = _start_generation()
        known = (generation, found.get(PRIMARY_UNTIL_KEY, 0.0))
        _local.remember(*known, now)
    return known


def _copy(key: str, generation: int, now: float) -> _Entry | None:
    """This process's copy of the page, else the shared one when this process has none or its copy timed out."""
    entry = _local.pages.get(key)
    if entry is None or entry.generation != generation or entry.fresh_until <= now:
        # Another process may have stored a newer copy.
        entry = cache.get(key)
        if entry is not None and entry.generation == generation:
            _local.keep(key, entry)
    return entry


def _store(key: str, generation: int, response: HttpResponse, limit: int) -> _Entry:
    seconds = min(limit, getattr(response, "page_cache_timeout", limit))
    entry = _Entry(
        generation=generation,
        content=_CSRF_INPUT.sub(_CSRF_MARK, response.content),
        headers={name: value for name, value in response.headers.items() if name.lower() not in _OWN_HEADERS},
        fresh_until=time.time() + seconds,
        meta=getattr(response, "page_cache_meta", {}),
    )
    if seconds > 0:
        # Kept as long again, to be served while one request renders it anew; a page that must end at a set
        # time (a live session's end) is not kept past it.
        grace = seconds if seconds == limit else 0
        cache.set(key, entry, timeout=seconds + grace)
        _local.keep(key, entry)
    return entry


def _serve(request: HttpRequest, entry: _Entry, renderers: dict[str, Renderer]) -> HttpResponse:
    content = entry.content
    for name, renderer in renderers.items():
        if f"<!--fragment:{name}-->".encode() not in content:
            continue  # an answer without this region (the API's JSON) costs its renderer nothing
        html = renderer(request, entry.meta)
        if html is not None:
            content = _splice(content, name, html)
    if _CSRF_MARK in content:
        token = get_token(request).encode()
        content = content.replace(_CSRF_MARK, b'name="csrfmiddlewaretoken" value="' + token + b'"')
    return HttpResponse(content, headers=entry.headers)
