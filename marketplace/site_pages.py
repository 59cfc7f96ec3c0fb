"""The fixed information pages (after-sales promise, returns, privacy, terms, contact) staff write in the admin.

Served from the page cache like the catalogue's pages: a save in the admin makes every copy stale
(``StorefrontAdminMixin``), so an edit shows on the next request.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.models import SitePage
from marketplace.page_cache import cached_page


@require_GET
@cached_page()
def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = SitePage.objects.get(slug=slug)
    except SitePage.DoesNotExist:
        raise Http404 from None
    return render(request, "marketplace/site_page.html", {"page": page})
