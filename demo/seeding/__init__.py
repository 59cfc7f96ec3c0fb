"""Writing the demo data of ``demo.data`` through the models and the apps' services, one module per subject.

:func:`seed_demo` runs every step in order, in one transaction. Rows are keyed
by slug, SKU, username or idempotency key, so running it again updates what is
there and adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from catalog.services import product_popularity_refresh
from demo.data.accounts import ACCOUNTS, AccountSeed
from demo.seeding.accounts import seed_accounts
from demo.seeding.bulk import MAX_BULK_PRODUCTS, seed_bulk_products
from demo.seeding.catalogue import seed_catalog, seed_product_photos
from demo.seeding.counts import demo_counts
from demo.seeding.geography import seed_depots, seed_geography
from demo.seeding.live import seed_live
from demo.seeding.lots import seed_harvest_lots
from demo.seeding.orders import seed_depot_orders, seed_orders
from demo.seeding.pre_sales import seed_pre_sale
from demo.seeding.producers import seed_members, seed_producer_photos, seed_producers
from demo.seeding.reviews import seed_reviews


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)
    accounts: tuple[AccountSeed, ...] = ()
    bulk_created: int = 0


def seed_demo(
    *,
    products: int | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> DemoSummary:
    """Write the demo marketplace; with ``products``, grow the catalogue to that many products for benchmarks.

    One transaction: a failed run leaves the database as it was (photos already
    written to disk stay behind as orphans, which is harmless in a demo).
    """
    if products is not None and not 0 <= products <= MAX_BULK_PRODUCTS:
        raise ValueError(f"products must be between 0 and {MAX_BULK_PRODUCTS:,}")
    now = timezone.now()
    # The demo orders would email their shopper and producer after the commit; a seed sends nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        users = seed_accounts()
        log("accounts")
        villages = seed_geography()
        depots = seed_depots(villages=villages, managers=[users["demo-depot"]])
        log("geography and depots")
        producers = seed_producers(villages=villages, depots=depots, admin=users["demo-admin"], now=now)
        members = seed_members(producers=producers, farmer=users["demo-farmer"])
        log("producers")
        catalog = seed_catalog(producers=producers, now=now)
        seed_product_photos(catalog=catalog)
        seed_producer_photos(producers=producers)
        log("catalogue and photos")
        seed_live(host_user=users["demo-host"], members=members, now=now)
        log("live sessions")
        seed_harvest_lots(farmer=users["demo-farmer"])
        seed_orders(shopper=users["demo-shopper"], farmer=users["demo-farmer"])
        seed_depot_orders(manager=users["demo-depot"])
        seed_reviews(farmer=users["demo-farmer"])
        seed_pre_sale(farmer=users["demo-farmer"])
        log("orders and reviews")
        bulk_created = 0
        if products is not None:
            bulk_created = seed_bulk_products(total=products, now=now, log=log)
        # The units sold that order equally relevant search results, now that the orders are placed.
        product_popularity_refresh()
        log("search order")
    return DemoSummary(counts=demo_counts(), accounts=ACCOUNTS, bulk_created=bulk_created)
