"""Prices, shipping and totals: computed on the server from the database, never taken from a client."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

CENT = Decimal("0.01")


def parcel_shipping(*, parcel_subtotal: Decimal, delivery_method: str) -> Decimal:
    """Shipping for one producer's parcel: free at a depot and above the threshold, else the flat fee."""
    if delivery_method != "ship":
        return Decimal("0.00")
    if parcel_subtotal >= Decimal(settings.FREE_SHIPPING_THRESHOLD):
        return Decimal("0.00")
    return Decimal(settings.SHIPPING_FEE_PER_PARCEL).quantize(CENT)
