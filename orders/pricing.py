"""Prices, shipping and totals: computed on the server from the database, never taken from a client."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


def free_shipping_threshold() -> Decimal:
    """The goods' total of one parcel from which shipping to an address is free."""
    return Decimal(settings.FREE_SHIPPING_THRESHOLD).quantize(CENT)


@dataclass(frozen=True)
class Totals:
    """An order's figures for one delivery method: goods and shipping by producer id (one parcel each)."""

    parcel_subtotals: dict[int, Decimal]
    parcel_fees: dict[int, Decimal]
    subtotal: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping


def order_totals(*, line_totals: Iterable[tuple[int, Decimal]], delivery_method: str) -> Totals:
    """Group ``(producer id, line total)`` pairs into parcels and price each parcel's shipping.

    Checkout's summary and ``order_place`` both add up an order here, so what is shown is what is charged.
    """
    parcel_subtotals: dict[int, Decimal] = {}
    for producer_id, amount in line_totals:
        parcel_subtotals[producer_id] = parcel_subtotals.get(producer_id, Decimal("0.00")) + amount
    parcel_fees = {
        producer_id: parcel_shipping(parcel_subtotal=subtotal, delivery_method=delivery_method)
        for producer_id, subtotal in parcel_subtotals.items()
    }
    return Totals(
        parcel_subtotals=parcel_subtotals,
        parcel_fees=parcel_fees,
        subtotal=sum(parcel_subtotals.values(), Decimal("0.00")),
        shipping=sum(parcel_fees.values(), Decimal("0.00")),
    )
