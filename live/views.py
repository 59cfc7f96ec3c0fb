"""The live sessions page, a session's share page, and the stock figures that page polls."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from live import selectors
from live.attribution import attribution_mark
from live.models import LiveSession
from live.pricing import unit_price
from marketplace.page_cache import STOCK_SECONDS, cached_page

# Thousands of viewers poll the stock figures: browsers and any shared cache in front of
# the site may answer for two seconds, which is as stale as a "remaining" count may be.
STOCK_MAX_AGE = 2
# A session's page shows the same figures when it loads, before its script polls them.
SESSION_PAGE_SECONDS = STOCK_SECONDS


def _mark_attribution(request: HttpRequest, response: HttpResponse, meta: dict) -> None:
    if meta.get("attribution"):
        # This page is the share link: orders placed while the session is on air carry it.
        attribution_mark(response, slug=meta["attribution"])


@require_safe
@cached_page(timeout=SESSION_PAGE_SECONDS)
def session_list(request: HttpRequest) -> HttpResponse:
    return render(request, "live/session_list.html", {"listing": selectors.session_listing()})


@require_safe
@cached_page(timeout=SESSION_PAGE_SECONDS, after=_mark_attribution)
def session_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        session = selectors.session_detail(slug=slug)
    except LiveSession.DoesNotExist:
        raise Http404 from None
    # The prices shown come from the one pricing rule: an ended session's items show their normal price.
    offered = session.shown_status != LiveSession.Status.ENDED
    for item in session.featured:
        item.price = unit_price(variant=item.variant, live_item=item if offered else None)
    context = {"session": session, "is_live": session.is_on_air()}
    response = render(request, "live/session_detail.html", context)
    if session.shown_status in (LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE):
        response.page_cache_meta = {"attribution": session.slug}
    if session.shown_status == LiveSession.Status.LIVE:
        response.page_cache_timeout = int((session.ends_at - timezone.now()).total_seconds())
    return response


@require_safe
@cached_page(timeout=STOCK_MAX_AGE)
def session_stock(request: HttpRequest, slug: str) -> JsonResponse:
    """``{"status": ..., "items": [{"variant": id, "remaining": n, "stock": n}]}`` for the session page's script."""
    try:
        stock = selectors.session_stock(slug=slug)
    except LiveSession.DoesNotExist:
        response = JsonResponse({"detail": _("There is no such live session."), "code": "not_found"}, status=404)
    else:
        response = JsonResponse(asdict(stock))
    patch_cache_control(response, public=True, max_age=STOCK_MAX_AGE)
    return response
