"""Rewrite every product's search column, e.g. after the way it is made has changed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.models import Product
from catalog.services import product_popularity_refresh, product_prices_refresh, product_search_refresh
from marketplace.page_cache import pages_changed

BATCH = 5000


class Command(BaseCommand):
    help = "Rewrite every product's search column, lowest price and units sold for search order."

    def handle(self, *args, **options) -> None:
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            product_search_refresh(product_ids=batch)
            product_prices_refresh(product_ids=batch)
        changed = product_popularity_refresh()
        pages_changed()
        self.stdout.write(f"{len(ids)} products searched anew; units sold changed for {changed}.")
