"""Counting the units featured items sell at their live price, and the row locks of live items.

``live_items_take`` and ``live_items_release`` are the only functions that change
``LiveSessionItem.quantity_sold`` for orders, as ``catalog/stock.py`` owns a variant's
stock. The item rows are locked in primary-key order (``SELECT … ORDER BY id FOR
UPDATE``), after the variants' rows, so two orders that share items always lock them
in the same order and cannot deadlock; every count then changes in one ``UPDATE``. The
caller's transaction holds the locks until it commits, which serialises every order of
an item: a buyer's orders are counted one after the other against the per-shopper
limit. The check constraint ``quantity_sold <= quantity_cap`` stays as the last line of
defence.

This module knows nothing of orders: the caller counts what a buyer has already bought
(after ``live_items_lock``, so that the count is current), and words the refusals
``live_items_take`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from live.models import LiveSession, LiveSessionItem
from marketplace.page_cache import pages_changed

# Why an item refuses a line at its live price.
WITHDRAWN = "withdrawn"  # the producer no longer accepts the item being featured
OVER_LIMIT = "over_limit"  # the buyer would hold more than the item's per-shopper limit
SOLD_OUT = "sold_out"  # fewer units are left under the item's cap than the line asks for


class SessionEnded(Exception):
    """The session went off air while the caller waited for its items' locks: its live prices no longer apply."""


@dataclass(frozen=True)
class Refusal:
    """A locked item that cannot count a line's units at its live price, and why (``WITHDRAWN``, …)."""

    item: LiveSessionItem
    reason: str

    @property
    def left(self) -> int:
        """The units still under the item's cap."""
        return self.item.quantity_cap - self.item.quantity_sold


def live_items_lock(*, session_id: int, ids: list[int]) -> dict[int, LiveSessionItem]:
    """The items of ``ids`` by variant id, their rows locked in primary-key order until the transaction ends.

    The session is read again once the locks are held: ``SessionEnded`` when the host ended it meanwhile
    (or its scheduled end has passed), so that no order gets its live prices after that.
    """
    locked = {
        item.variant_id: item for item in LiveSessionItem.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    status, ends_at = LiveSession.objects.values_list("status", "ends_at").get(pk=session_id)
    if not LiveSession(status=status, ends_at=ends_at).is_on_air():
        raise SessionEnded()
    return locked


def live_items_take(
    *, session_id: int, items: dict[int, LiveSessionItem], quantities: dict[int, int], bought: dict[int, int]
) -> list[Refusal]:
    """Count ``quantities`` (variant id → units) against ``items``, as ``live_items_lock`` returned them.

    ``bought`` (item id → units) is what the buyer holds at each item's live price in other orders, counted
    after the lock. Returns the refusals, in the items' order; when there are any, nothing is counted.
    """
    refusals: list[Refusal] = []
    for variant_id, item in items.items():
        wanted = quantities[variant_id]
        if item.consent != LiveSessionItem.Consent.ACCEPTED:
            refusals.append(Refusal(item=item, reason=WITHDRAWN))
        elif bought.get(item.pk, 0) + wanted > item.per_shopper_limit:
            refusals.append(Refusal(item=item, reason=OVER_LIMIT))
        elif item.quantity_sold + wanted > item.quantity_cap:
            refusals.append(Refusal(item=item, reason=SOLD_OUT))
    if refusals:
        return refusals
    _apply(quantities={v: quantities[v] for v in items}, session_id=session_id, sign=+1)
    if any(item.quantity_sold + quantities[v] >= item.quantity_cap for v, item in items.items()):
        pages_changed()  # The last live units are gone: pages show the normal price from now on.
    return []


def live_items_release(*, session_id: int, item_ids: list[int], quantities: dict[int, int]) -> None:
    """Give back ``quantities`` (variant id → units) counted against the session's items ``item_ids``.

    Locks the items in primary-key order first, as ``live_items_lock`` does. Must run inside the caller's
    transaction, e.g. when an order is cancelled or expires.
    """
    list(
        LiveSessionItem.objects.select_for_update().filter(pk__in=item_ids).order_by("pk").values_list("pk", flat=True)
    )
    _apply(quantities=quantities, session_id=session_id, sign=-1)
    pages_changed()  # Live units given back may bring the live price back on pages.


def _apply(*, quantities: dict[int, int], session_id: int, sign: int) -> None:
    ids = sorted(quantities)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE live_livesessionitem SET quantity_sold = quantity_sold + %s * change.n "
            "FROM unnest(%s::bigint[], %s::integer[]) AS change(variant_id, n) "
            "WHERE live_livesessionitem.session_id = %s AND live_livesessionitem.variant_id = change.variant_id",
            [sign, ids, [quantities[i] for i in ids], session_id],
        )
