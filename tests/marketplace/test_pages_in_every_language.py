"""Every page, found from the URL configuration, renders in Chinese, Uyghur and English.

Pages are discovered from the URL resolver, URL arguments are taken from the
demo data (a ``slug`` or ``number`` of the model the URL name speaks of, an
admin ``object_id``), and a page that asks for a sign-in is opened again as
each demo account in turn. So a page added later is checked here without
editing this test.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from live.models import LiveSession
from marketplace.models import User
from orders.models import Fulfilment, Order

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"zh-hans": ("zh-Hans", "ltr"), "ug": ("ug", "rtl"), "en": ("en", "ltr")}
DEMO_ACCOUNTS = ["demo-shopper", "demo-farmer", "demo-depot", "demo-host", "demo-admin"]
# Not pages: the language switcher's POST target, Django's JavaScript catalogue,
# views that only answer POST, and /depot/, which only redirects to a depot's page.
SKIPPED_NAMES = {
    "set_language",
    "admin:logout",
    "admin:jsi18n",
    "admin:view_on_site",
    "depot",
    "dashboard-live-accept",
    "dashboard-live-decline",
    "host-session-go-live",
    "host-session-end",
    "host-session-cancel",
    "host-item-update",
    "host-item-remove",
    "notice-open",  # marks a notice read and redirects to its link: no page of its own
    # Addresses forms post to; opened again (a reload after an error) they redirect to the form's page.
    "dashboard-productimage-alt",
    "dashboard-variant-edit",
    "dashboard-variant-quick-edit",
    "dashboard-lot-receive",
    "dashboard-pre-sale-harvest",  # answers POST only
    "waitlist-join",
    "waitlist-leave",
}
SKIPPED_PREFIXES = ("media/", "static/", "api/")


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Page(f"{namespace}{pattern.name}", route, tuple(pattern.pattern.regex.groupindex))


def discovered_pages() -> list[Page]:
    pages = {}
    for page in _walk(get_resolver().url_patterns):
        if page.name in SKIPPED_NAMES or page.route.startswith(SKIPPED_PREFIXES):
            continue
        if page.name.startswith("admin:") and "password" in page.name:
            continue
        pages.setdefault(page.name, page)
    return sorted(pages.values(), key=lambda p: p.name)


def _model_for(page: Page) -> type[Model] | None:
    """The model a URL speaks of: admin:<app>_<model>_change, or product-detail → Product."""
    if page.name.startswith("admin:"):
        parts = page.name.removeprefix("admin:").split("_")
        for cut in range(1, len(parts)):
            try:
                return apps.get_model(parts[0], "".join(parts[cut:-1]) or parts[cut])
            except (LookupError, ValueError):
                continue
        return None
    words = page.name.split("-")
    models = {model._meta.model_name: model for model in apps.get_models()}
    if len(page.kwargs) == 1 and page.kwargs[0] in models:  # /depot/<depot>/…: the argument names its model
        return models[page.kwargs[0]]
    for size in range(len(words), 0, -1):  # "live-session-detail" → livesessiondetail, livesession, live
        for start in range(len(words) - size + 1):  # "dashboard-product-edit" → … product
            model = models.get("".join(words[start : start + size]))
            if model is not None:
                return model
    return None


def _related_slug(model: type[Model], kwarg: str, depth: int = 3) -> str | None:
    """The path to the slug of the row a URL argument names by its model: ``producer`` from a variant is
    ``product__producer__slug`` (a back-office page names its producer beside the row it shows)."""
    relations = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]
    for field in relations:
        if field.related_model._meta.model_name == kwarg:
            return f"{field.name}__slug"
    for field in relations if depth > 1 else []:
        path = _related_slug(field.related_model, kwarg, depth - 1)
        if path:
            return f"{field.name}__{path}"
    return None


def _field_for(model: type[Model], kwarg: str) -> str:
    """The model field a URL argument names: itself, ``pk`` for ``object_id``, or a field ending in it."""
    if kwarg in {"object_id", "pk"}:
        return "pk"
    if kwarg == model._meta.model_name:  # a model named by its URL argument is found by its slug
        return "slug"
    names = [f.name for f in model._meta.concrete_fields]
    return (
        next((name for name in names if name == kwarg and not model._meta.get_field(name).is_relation), None)
        or _related_slug(model, kwarg)
        or next(name for name in names if name.endswith("_" + kwarg))
    )


# Back-office pages of one row of a producer (``/dashboard/<producer>/…/<pk>/``): the row's model, by URL name.
ROWS_OF_A_PRODUCER = {"dashboard-packing-slip": "orders.Fulfilment"}


def _producer_row_urls(page: Page) -> list[str]:
    """Rows of the producers that have members (the demo farmer's among them), each under its producer."""
    model = apps.get_model(ROWS_OF_A_PRODUCER[page.name])
    rows = model._default_manager.filter(producer__memberships__isnull=False).select_related("producer")
    return [
        reverse(page.name, kwargs={"producer": row.producer.slug, "pk": row.pk})
        for row in rows.distinct().order_by("pk")[:5]
    ]


def _host_row_urls(page: Page) -> list[str]:
    """The host back office's pages of one of the demo host's sessions (by slug)."""
    sessions = LiveSession.objects.filter(host__user__username="demo-host").order_by("pk")[:5]
    return [reverse(page.name, kwargs={"slug": session.slug}) for session in sessions]


def url_candidates(page: Page) -> list[str]:
    """URLs for this page filled in from the demo data (several rows, for pages that hide some)."""
    if not page.kwargs:
        return [reverse(page.name)]
    if page.kwargs == ("app_label",):
        return [reverse(page.name, kwargs={"app_label": "catalog"})]
    if page.kwargs == ("uidb64", "token"):  # the password-reset link of a demo account
        user = User.objects.get(username="demo-shopper")
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return [reverse(page.name, kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})]
    if page.name in ROWS_OF_A_PRODUCER:
        return _producer_row_urls(page)
    if page.name == "parcel-trace":  # a packing slip's QR code: the demo farmer's parcels, packed or not
        parcels = Fulfilment.objects.filter(producer__memberships__isnull=False).distinct().order_by("-pk")[:5]
        return [parcel.get_trace_url() for parcel in parcels]
    if page.name.startswith("host-"):
        return _host_row_urls(page)
    if page.name in {"order-detail", "order-cancel"}:  # the demo shopper's; guests' need their secret link
        orders = Order.objects.filter(shopper__username="demo-shopper")
        if page.name == "order-cancel":  # the confirmation of an order that can still be cancelled
            orders = orders.filter(status__in=[Order.Status.CONFIRMED, Order.Status.PAID]).exclude(
                fulfilments__status__in=["shipped", "delivered"]
            )
        numbers = orders.order_by("pk").values_list("number", flat=True)[:5]
        return [reverse(page.name, kwargs={"number": number}) for number in numbers]
    if page.kwargs == ("object_id", "fulfilment_id"):  # the admin's refund of one parcel of an order
        parcels = Fulfilment.objects.order_by("pk").values_list("order_id", "pk")[:5]
        return [reverse(page.name, kwargs={"object_id": order, "fulfilment_id": pk}) for order, pk in parcels]
    model = _model_for(page)
    assert model is not None, f"{page.name}: no model found for URL arguments {page.kwargs}"
    fields = [_field_for(model, kwarg) for kwarg in page.kwargs]
    rows = model._default_manager.order_by("pk")
    for field in fields:
        rows = rows.exclude(**{f"{field}__isnull": True})
    rows = rows.values_list(*fields)[:5]
    # The back office lists models the demo leaves empty (groups, orders before any checkout).
    assert rows or page.name.startswith("admin:"), f"{page.name}: the demo data has no {model.__name__}"
    return [reverse(page.name, kwargs=dict(zip(page.kwargs, row, strict=True))) for row in rows]


class _VisibleText(HTMLParser):
    # Django stores permission names in English when it migrates ("Can add product");
    # they are data, not our catalog's strings, so their picker is left out.
    UNCHECKED_SELECTS = {"permissions", "user_permissions"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        # Text areas hold content being edited (an English description), not interface text.
        if tag in {"script", "style", "svg", "textarea"} or (
            tag == "select" and dict(attrs).get("name") in self.UNCHECKED_SELECTS
        ):
            self.skip += 1
        for name, value in attrs:
            if name in {"alt", "title", "placeholder", "aria-label"} and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "svg", "textarea", "select"} and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def untranslated_patterns() -> list[tuple[str, re.Pattern]]:
    """Our catalog's English msgids as patterns (placeholders match anything)."""
    catalog = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    found = []
    for entry in catalog:
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            parts = re.split(r"%\(\w+\)[sd]", msgid)
            # Single words ("to", "New", "from %(price)s") also occur inside demo content; phrases cannot.
            if len(" ".join(parts).split()) < 2:
                continue
            pattern = r"\S+".join(re.escape(part) for part in parts)
            found.append((msgid, re.compile(rf"(?<![\w]){pattern}(?![\w])")))
    return found


def render(client: Client, urls: list[str], language: str) -> tuple[str, str] | None:
    """The first of ``urls`` that renders as a page for this client, with its HTML."""
    client.cookies["django_language"] = language
    for url in urls:
        response = client.get(url)
        parent = url.rstrip("/").rsplit("/", 1)[0] + "/"
        if response.status_code == 302 and parent != "/" and response.url.startswith(parent):
            response = client.get(response.url)  # a page that moves beside itself (a reset link's form)
        if response.status_code == 405 or (
            response.status_code == 200 and not response["Content-Type"].startswith("text/html")
        ):
            return NOT_A_PAGE
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            return url, response.content.decode()
    return None


# A view that only answers POST (a form's target) or answers JSON is not a page to render.
NOT_A_PAGE = ("", "")


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_discovery_finds_the_storefront_and_the_back_office():
    """The walk below covers real pages; if it found none it would prove nothing."""
    names = {page.name for page in discovered_pages()}
    assert {"home", "product-detail", "admin:index", "admin:catalog_product_changelist"} <= names
    assert "admin:catalog_product_change" in names


def test_every_page_renders_in_every_language_with_lang_dir_and_no_untranslated_text(demo):
    msgids = untranslated_patterns()
    # One visitor per language and account: a flash message is written in the language of the
    # request that made it, and must not be read back by a visitor of another language.
    anonymous = {language: Client() for language in LANGUAGES}
    signed_in = {language: {} for language in LANGUAGES}
    for language in LANGUAGES:
        for username in DEMO_ACCOUNTS:
            signed_in[language][username] = Client()
            signed_in[language][username].force_login(User.objects.get(username=username))

    problems: list[str] = []
    checked = 0
    for page in discovered_pages():
        urls = url_candidates(page)
        if not urls:
            continue
        for language, (lang, direction) in LANGUAGES.items():
            rendered = render(anonymous[language], urls, language)
            for username in DEMO_ACCOUNTS:
                if rendered:
                    break
                rendered = render(signed_in[language][username], urls, language)
            if rendered is None:
                if not page.name.startswith("admin:") or page.name.endswith(("_changelist", "_change", ":index")):
                    problems.append(f"{page.name}: no demo account can open {urls[0]}")
                continue
            if rendered is NOT_A_PAGE:
                break
            url, html = rendered
            checked += 1
            # Language tags are case-insensitive (Django's admin writes "zh-hans").
            if f'<html lang="{lang}" dir="{direction}"'.lower() not in html.lower():
                opening = re.search(r"<html[^>]*>", html)
                problems.append(f"{url} [{language}]: expected lang={lang} dir={direction}, got {opening[0]}")
            if language == "en":
                continue
            texts = _VisibleText()
            texts.feed(html)
            for text in texts.texts:
                for msgid, pattern in msgids:
                    if pattern.search(text):
                        problems.append(f"{url} [{language}]: untranslated {msgid!r} in {text[:80]!r}")

    assert problems == [], "\n".join(problems)
    assert checked >= 3 * 40
