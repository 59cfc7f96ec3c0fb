"""Where a lower app names a higher app's value instead of importing it, the value is the higher app's own."""

from __future__ import annotations

from catalog import selectors as catalog_selectors
from catalog.models import Product
from orders.models import Fulfilment
from producers import selectors as producers_selectors


def test_reviews_wait_for_the_parcel_status_orders_call_delivered():
    assert catalog_selectors.PARCEL_DELIVERED == Fulfilment.Status.DELIVERED


def test_a_producers_product_count_counts_the_status_catalog_calls_active():
    assert producers_selectors.PRODUCT_ACTIVE == Product.Status.ACTIVE
