"""Pages of product cards: 24 a page, and a wrong page number never fails."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

PAGE_SIZE = 24


def page_of(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The page ``?page=`` asks for, and a note when it had to pick another one.

    A number that is not one gives the first page; past the end, the last page.
    """
    paginator = Paginator(queryset, per_page)
    cap = getattr(queryset, "count_cap", None)
    if cap is not None:
        # A listing counts up to its cap, not every product of a large catalogue; ``capped`` tells there are more.
        counted = queryset.order_by().values("pk")[: cap + 1].count()
        queryset.capped = counted > cap  # type: ignore[attr-defined]
        paginator.__dict__["count"] = min(counted, cap)
    raw = request.GET.get("page", "").strip()
    if not raw:
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), _("“%(page)s” is not a page number, so here is the first page.") % {"page": raw[:20]}
    if number < 1:
        return paginator.page(1), _("Pages start at 1, so here is the first page.")
    if number > paginator.num_pages:
        return paginator.page(paginator.num_pages), _("There is no page %(page)d; here is the last page, %(last)d.") % {
            "page": number,
            "last": paginator.num_pages,
        }
    return paginator.page(number), ""
