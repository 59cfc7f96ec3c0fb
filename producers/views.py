from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.pagination import page_of
from catalog.selectors import product_search
from producers import selectors
from producers.models import Producer, Village


@require_GET
def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified producer's story and their products on sale; anyone else is not found."""
    try:
        producer = selectors.producer_detail(slug=slug)
    except Producer.DoesNotExist:
        raise Http404 from None
    page, page_note = page_of(request, product_search(producer=producer.slug))
    return render(
        request,
        "producers/producer_detail.html",
        {"producer": producer, "page_obj": page, "page_note": page_note},
    )


@require_GET
def village_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A village, the verified producers who sell from it and their products on sale."""
    try:
        village = selectors.village_detail(slug=slug)
    except Village.DoesNotExist:
        raise Http404 from None
    page, page_note = page_of(request, product_search(village=village.slug))
    return render(
        request,
        "producers/village_detail.html",
        {
            "village": village,
            "producers": list(selectors.village_producers(village=village)),
            "page_obj": page,
            "page_note": page_note,
        },
    )
