"""The demo farmer's harvest lots, with stock received into them, so that the demo's packed parcels record them
and their packing slips' QR codes open a trace page with something on it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from catalog.models import HarvestLot, LotReceipt, PreSale, Product, Variant
from catalog.services import harvest_lot_record, lot_receive
from demo.data.accounts import FARMER_PRODUCER
from demo.data.lots import LOTS
from marketplace.models import User
from producers.models import Producer


def seed_harvest_lots(*, farmer: User) -> None:
    """A lot for each of the farmer's first products on sale, its sizes received into it once."""
    producer = Producer.objects.get(slug=FARMER_PRODUCER)
    products = Product.objects.filter(producer=producer, status=Product.Status.ACTIVE).order_by("pk")[: len(LOTS)]
    today = timezone.localdate()
    for product, seed in zip(products, LOTS, strict=False):
        picked_on = today - timedelta(days=seed.days_ago)
        lot = HarvestLot.objects.filter(producer=producer, product=product, plot=seed.plot).first()
        if lot is None:
            lot = harvest_lot_record(
                producer=producer,
                product=product,
                plot=seed.plot,
                picked_on=picked_on,
                grade=seed.grade,
                test_result=seed.test_result,
                actor=farmer,
            )
        # A size on pre-sale takes no stock until its harvest is entered (demo/seeding/pre_sales.py).
        sizes = Variant.objects.filter(product=product, is_active=True).exclude(pre_sales__status=PreSale.Status.OPEN)
        for variant in sizes.order_by("pk"):
            if not LotReceipt.objects.filter(lot=lot, variant=variant).exists():
                lot_receive(lot=lot, variant=variant, quantity=seed.units, actor=farmer)
