"""Taking and giving back stock, and the row locks of products and variants.

``stock_take`` and ``stock_release`` are the only functions that change
``Variant.stock`` for orders, and ``Variant.units_sold`` with it in the same
statements (the storefront's "units sold": no other row, lock or statement).
Both lock the variants' rows in primary-key order first
(``SELECT … ORDER BY id FOR UPDATE``), so two baskets that share variants
always lock them in the same order and cannot deadlock, then change every row
in one ``UPDATE``: one statement for a take (the lock is a CTE of the guarded
``UPDATE``), two for a release, whatever the basket size; the caller's
transaction holds the locks until it commits, so callers do this last, just
before committing, with no network I/O in between. The check constraint
``stock >= 0`` stays as the last line of defence.

Every other lock on these rows is taken here too, always a product's row
before its variants' rows and variants in primary-key order, so no two
transactions ever wait for each other in a circle: ``product_lock`` serialises
adding a variant or photo with deleting the product, ``variants_lock`` holds
variants still while a member edits one or a product is deleted. The waitlist's
entries of a variant are locked after the variant (``waitlist_entries_lock``),
and the accounts its notices count on after those (``readers_lock``), each in
a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Product, Variant, WaitlistEntry, stock_band
from marketplace.audit_log import STOCK, log_event, log_event_on_commit
from marketplace.errors import DomainError
from marketplace.models import User
from marketplace.page_cache import pages_changed
from marketplace.transactions import require_transaction


@dataclass(frozen=True)
class Shortfall:
    variant_id: int
    requested: int
    available: int
    name: str = ""


class InsufficientStock(DomainError):
    """Some variants have fewer units than asked for; nothing was taken."""

    status = HTTPStatus.CONFLICT
    code = "insufficient_stock"

    def __init__(self, shortfalls: list[Shortfall]) -> None:
        self.shortfalls = shortfalls
        parts = []
        for shortfall in shortfalls:
            name = shortfall.name or str(shortfall.variant_id)
            if shortfall.available == 0:
                parts.append(_("%(name)s is sold out") % {"name": name})
            else:
                parts.append(
                    ngettext("only %(n)s of %(name)s is left", "only %(n)s of %(name)s are left", shortfall.available)
                    % {"name": name, "n": shortfall.available}
                )
        super().__init__(_("Not enough stock: %(details)s.") % {"details": "; ".join(parts)})

    def body(self) -> dict[str, Any]:
        lines = [
            {"variant": short.variant_id, "requested": short.requested, "available": short.available}
            for short in self.shortfalls
        ]
        return {**super().body(), "lines": lines}


class StockChanged(DomainError):
    """A stock count was set from a stale read: orders changed the stock since; nothing was written."""

    status = HTTPStatus.CONFLICT
    code = "stock_changed"

    def __init__(self, *, variant_id: int, expected: int, current: int) -> None:
        self.variant_id = variant_id
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "The stock is now %(current)d, not the %(expected)d you last read: orders or another change "
                "came in meanwhile. Count again and send the new stock with expected_stock %(current)d."
            )
            % {"expected": expected, "current": current}
        )

    def body(self) -> dict[str, Any]:
        return {**super().body(), "current": self.current}


def _lock(variant_ids: list[int]) -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, stock FROM catalog_variant WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            [variant_ids],
        )
        return dict(cursor.fetchall())


def _give_back(quantities: dict[int, int]) -> None:
    """Units of an order that no longer holds them: back in stock, and no longer counted as sold."""
    ids = sorted(quantities)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_variant SET stock = catalog_variant.stock + change.n, "
            "units_sold = catalog_variant.units_sold - change.n, updated_at = now() "
            "FROM unnest(%s::bigint[], %s::integer[]) AS change(id, n) WHERE catalog_variant.id = change.id",
            [ids, [quantities[i] for i in ids]],
        )


def _require_transaction() -> None:
    require_transaction("Stock changes must run")


def product_lock(*, pk: int, deleting: bool = False) -> Product:
    """The product, its row locked until the caller's transaction ends; ``Product.DoesNotExist`` once deleted.

    ``FOR NO KEY UPDATE``, the lock PostgreSQL itself takes to update a row, or
    ``FOR UPDATE`` when the caller is ``deleting`` it: the two exclude each other, so
    adding a variant or photo and deleting the product take turns, but neither stops
    another transaction's rows from merely referring to the product. Take it before
    any of the product's variants (see the module's docstring). Must run inside a transaction.
    """
    _require_transaction()
    return Product.objects.select_for_update(no_key=not deleting).get(pk=pk)


def variants_lock(*, ids: Iterable[int]) -> dict[int, Variant]:
    """The variants of ``ids`` that exist, by id, their rows locked in primary-key order.

    ``ids`` may be a queryset of ids, so that the rows are chosen and locked in one
    statement. Must run inside a transaction, which holds the locks until it ends.
    """
    _require_transaction()
    variants = Variant.objects.filter(pk__in=ids).order_by("pk").select_for_update()
    return {variant.pk: variant for variant in variants}


def waitlist_entries_lock(**filters: Any) -> list[WaitlistEntry]:
    """The waitlist entries matching ``filters``, with their size, product and shopper, their rows locked in the
    order shoppers joined. Take their variants' locks first (``variants_lock``)."""
    _require_transaction()
    return list(
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("variant__product", "shopper")
        .filter(**filters)
        .order_by("joined_at", "pk")
    )


def readers_lock(*, user_ids: Iterable[int]) -> None:
    """Lock the accounts whose unread-notice counts a transaction is about to raise, in primary-key order, so that
    two transactions telling the same shoppers never wait on each other in a circle."""
    _require_transaction()
    list(User.objects.filter(pk__in=set(user_ids)).order_by("pk").select_for_update().values_list("pk", flat=True))


def _pages_follow(before: dict[int, int], after: dict[int, int]) -> None:
    """Cached pages are rendered again when an order moves a variant between what they show: its stock band."""
    if any(stock_band(before[variant_id]) != stock_band(after[variant_id]) for variant_id in after):
        pages_changed()


# Locks the variants in primary-key order (as _lock does) and takes the units of those that have enough, in one
# statement: a hot variant's row is locked for one round trip and the commit, not two.
_TAKE = """
WITH locked AS (SELECT id FROM catalog_variant WHERE id = ANY(%s) ORDER BY id FOR UPDATE)
UPDATE catalog_variant
SET stock = catalog_variant.stock - change.n, units_sold = catalog_variant.units_sold + change.n, updated_at = now()
FROM unnest(%s::bigint[], %s::integer[]) AS change(id, n) JOIN locked ON locked.id = change.id
WHERE catalog_variant.id = change.id AND catalog_variant.stock >= change.n
RETURNING catalog_variant.id, catalog_variant.stock
"""


def stock_take(*, quantities: dict[int, int], names: dict[int, str] | None = None, order_id: int | None = None) -> None:
    """Take ``quantities`` (variant id → units) or raise ``InsufficientStock`` naming every short variant.

    Must run inside a transaction; on a shortfall the caller's transaction rolls back, so nothing is taken.
    ``order_id`` names the order taking them in the stock log (``oasis.stock``).
    """
    _require_transaction()
    names = names or {}
    ids = sorted(quantities)
    with connection.cursor() as cursor:
        cursor.execute(_TAKE, [ids, ids, [quantities[i] for i in ids]])
        after = dict(cursor.fetchall())
    if len(after) < len(ids):
        # Rows not updated had too few units; they are locked now, so these figures are current.
        stock = _lock([i for i in ids if i not in after])
        short = {i: {"requested": quantities[i], "available": stock.get(i, 0)} for i in ids if i not in after}
        log_event(STOCK, "stock.short", variants=short)
        raise InsufficientStock(
            [
                Shortfall(
                    variant_id=variant_id,
                    requested=quantities[variant_id],
                    available=stock.get(variant_id, 0),
                    name=names.get(variant_id, ""),
                )
                for variant_id in ids
                if variant_id not in after
            ]
        )
    _pages_follow({i: after[i] + quantities[i] for i in ids}, after)
    log_event_on_commit(STOCK, "stock.taken", order_id=order_id, quantities=quantities, stock=after)


def stock_release(*, quantities: dict[int, int], order_id: int | None = None) -> None:
    """Give ``quantities`` (variant id → units) back, e.g. when an order is cancelled or expires."""
    _require_transaction()
    before = _lock(sorted(quantities))
    _give_back(quantities)
    after = {i: before[i] + n for i, n in quantities.items() if i in before}
    _pages_follow(before, after)
    log_event_on_commit(STOCK, "stock.released", order_id=order_id, quantities=quantities, stock=after)
