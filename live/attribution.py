"""Attribution: which live session sent a visitor, remembered in a signed cookie for a window.

Opening a session's share link marks the visit; an order placed within ``LIVE_ATTRIBUTION_HOURS`` while that
session is on air carries it. The most recent link wins. The cookie holds only the session's slug, signed so
that it cannot be forged, and it is read again at checkout: an ended session attributes nothing.
"""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from live.models import LiveSession

COOKIE = "oasis_live"
_SALT = "live.attribution"


def _window_seconds() -> int:
    return int(settings.LIVE_ATTRIBUTION_HOURS * 3600)


@lru_cache(maxsize=256)
def _signed(slug: str, second: int) -> str:
    # The signature stamps whole seconds, so the value signed once in a second is the one every visitor of
    # that second would get: the session's page, which thousands open at once, signs it once.
    return signing.get_cookie_signer(salt=COOKIE + _SALT).sign(slug)


def attribution_mark(response: HttpResponse, *, slug: str) -> None:
    """Remember on ``response`` that the visitor arrived from the link of the session ``slug``."""
    response.set_cookie(
        COOKIE,
        _signed(slug, int(time.time())),
        max_age=_window_seconds(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def attributed_slug(request: HttpRequest) -> str:
    """The slug of the session whose link the visitor opened within the window, or ""."""
    return request.get_signed_cookie(COOKIE, default="", salt=_SALT, max_age=_window_seconds()) or ""


def attributed_session(request: HttpRequest, *, now: datetime | None = None) -> LiveSession | None:
    """The session that sent the visitor, while it is on air; None otherwise (one query, none without a cookie)."""
    slug = attributed_slug(request)
    if not slug:
        return None
    session = LiveSession.objects.select_related("host").filter(slug=slug).first()
    return session if session is not None and session.is_on_air(now) else None
