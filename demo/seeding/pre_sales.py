"""The demo farmer's open pre-sale, so that the product page says from which day it ships and the back office's
pre-sales page has one to enter the harvest of."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from catalog.models import PreSale, Product, Variant
from catalog.services import presale_open, variant_create
from demo.data.pre_sales import PRE_SALE
from marketplace.models import User


def seed_pre_sale(*, farmer: User) -> None:
    """The pre-sale's size, created once, and a pre-sale of it opened unless one is open or was harvested."""
    seed = PRE_SALE
    variant = Variant.objects.filter(sku=seed.sku).first()
    if variant is None:
        zh, ug, en = seed.size
        variant = variant_create(
            product=Product.objects.get(slug=seed.product),
            sku=seed.sku,
            price=seed.price,
            actor=None,
            name_zh=zh,
            name_ug=ug,
            name_en=en,
            weight_grams=seed.grams,
            stock=0,
        )
    if PreSale.objects.filter(variant=variant).exists():
        return
    starts = timezone.localdate() + timedelta(days=seed.starts_in)
    ends = starts + timedelta(days=seed.lasts)
    presale_open(
        variant=variant,
        expected_quantity=seed.expected,
        harvest_from=starts,
        harvest_until=ends,
        ship_by=ends + timedelta(days=seed.ships_within),
        actor=farmer,
    )
