"""Reads of the catalog shared by pages and the API, with their joins applied."""

from __future__ import annotations

from django.db.models import Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from catalog.models import Product, ProductImage, Variant

ON_SALE = Q(variants__is_active=True)


def product_cards() -> QuerySet[Product]:
    """Active products with what a product card shows: producer, village, first photo, lowest price."""
    return (
        Product.objects.active()
        .select_related("producer__village__county", "category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .annotate(
            min_price=Min("variants__price", filter=ON_SALE),
            total_stock=Sum("variants__stock", filter=ON_SALE),
        )
    )


def products_in_season(*, month: int | None = None, limit: int = 24) -> list[Product]:
    """Active products whose harvest window contains this month (Asia/Shanghai), newest first."""
    month = month or timezone.localdate().month
    return list(product_cards().in_season(month).order_by("-published_at", "-id")[:limit])


def product_detail(*, slug: str) -> Product:
    """One active product with its variants on sale, photos, producer and village."""
    return (
        Product.objects.active()
        .select_related("producer__village__county__prefecture", "category")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_active=True).order_by("position", "id")),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
        )
        .get(slug=slug)
    )
