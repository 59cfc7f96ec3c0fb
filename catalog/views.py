from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog import selectors
from catalog.models import Product


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html", {"in_season": selectors.products_in_season()})


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(request, "catalog/product_detail.html", {"product": product})
