"""The one place that decides what a unit costs: the variant's price, or a live session's flash price.

The cart, checkout, ``order_place`` and the API all ask ``unit_prices``; nothing else compares a flash price
with a normal one. A flash price applies while its session is on air (the host went live and the scheduled end
has not passed), to an item the producer accepted, while units are left under its cap, and only when it is
below the normal price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from catalog.models import Variant
from live.models import LiveSession, LiveSessionItem

CENT = Decimal("0.01")


@dataclass(frozen=True)
class UnitPrice:
    """What one unit costs now, and why."""

    amount: Decimal
    normal: Decimal
    # The featured item whose flash price applies, or None at the normal price.
    live_item: LiveSessionItem | None = None
    # A featured item whose flash price this line did not get because it asks for more units than the buyer may
    # still buy at it (``allowance``: what the cap leaves and the per-shopper limit allows, earlier orders counted).
    missed: LiveSessionItem | None = None
    allowance: int | None = None

    @property
    def is_live(self) -> bool:
        return self.live_item is not None


def items_on_air(
    *, session: LiveSession | None, variant_ids: Iterable[int], now: datetime | None = None
) -> dict[int, LiveSessionItem]:
    """The session's accepted items for these variants, by variant id, if the session is on air (one query)."""
    if session is None or not session.is_on_air(now):
        return {}
    items = LiveSessionItem.objects.filter(
        session=session, variant_id__in=list(variant_ids), consent=LiveSessionItem.Consent.ACCEPTED
    )
    return {item.variant_id: item for item in items}


def unit_price(
    *, variant: Variant, live_item: LiveSessionItem | None, quantity: int | None = None, bought: int = 0
) -> UnitPrice:
    """The price of one unit of ``variant``, given the accepted item of an on-air session that features it.

    A line of ``quantity`` units gets the flash price only when all of them fit the buyer's allowance: the units
    left under the item's cap, and its per-shopper limit less the ``bought`` units of earlier orders. A line that
    asks for more is priced at the normal price as a whole (so the total shown is always one checkout accepts),
    and says which item's price it missed and what the allowance is.
    """
    normal = UnitPrice(amount=variant.price, normal=variant.price)
    if live_item is None or live_item.flash_price >= variant.price:
        return normal
    allowance = max(min(live_item.remaining, live_item.per_shopper_limit - bought), 0)
    if allowance == 0 or (quantity is not None and quantity > allowance):
        return UnitPrice(amount=variant.price, normal=variant.price, missed=live_item, allowance=allowance)
    return UnitPrice(amount=live_item.flash_price, normal=variant.price, live_item=live_item, allowance=allowance)


def unit_prices(
    *,
    variants: Iterable[Variant],
    session: LiveSession | None,
    now: datetime | None = None,
    quantities: dict[int, int] | None = None,
    bought: dict[int, int] | None = None,
    items: dict[int, LiveSessionItem] | None = None,
) -> dict[int, UnitPrice]:
    """Each variant's unit price by id, with ``session``'s flash prices while it is on air.

    ``quantities`` (by variant id) are the lines asked for; ``bought`` (by item id) what the buyer already
    bought at each item's flash price; ``items``, ``items_on_air`` for these variants when the caller has
    read them already (to count ``bought``)."""
    variants = list(variants)
    if items is None:
        items = items_on_air(session=session, variant_ids=[variant.pk for variant in variants], now=now)
    quantities, bought = quantities or {}, bought or {}
    prices = {}
    for variant in variants:
        item = items.get(variant.pk)
        prices[variant.pk] = unit_price(
            variant=variant,
            live_item=item,
            quantity=quantities.get(variant.pk),
            bought=bought.get(item.pk, 0) if item else 0,
        )
    return prices


def commission(*, base: Decimal, rate: Decimal) -> Decimal:
    """A host's commission on a line total: half-up to the fen, so the lines' commissions add up to the total."""
    return (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)
