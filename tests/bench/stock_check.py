"""Did a checkout load sell more than it had? Stock before and after, against the order lines it placed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Before:
    stock: dict[int, int]
    last_order: int


@dataclass(frozen=True)
class StockCheck:
    orders: int  # orders the load placed
    units_sold: int  # units on their lines
    units_taken: int  # stock before − stock after, over the variants
    oversold: int  # units on lines that no stock paid for, plus units below zero
    unaccounted: int  # stock taken without a line to show for it
    below_zero: int  # variants whose stock went negative

    @property
    def ok(self) -> bool:
        return not (self.oversold or self.unaccounted or self.below_zero)

    @property
    def summary(self) -> str:
        text = f"oversold {self.oversold}"
        if self.unaccounted:
            text += f", {self.unaccounted} units taken without an order line"
        if self.below_zero:
            text += f", {self.below_zero} variants below 0"
        return text


def before(connection, variants: list[int]) -> Before:
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT id, stock FROM catalog_variant WHERE id = ANY(%s)", [variants])
        stock = dict(cursor.fetchall())
        cursor.execute("SELECT coalesce(max(id), 0) FROM orders_order")
        return Before(stock=stock, last_order=cursor.fetchone()[0])


def after(connection, start: Before, *, contact: str) -> StockCheck:
    """Compare in one statement, so that an order still committing is seen whole (line and stock) or not at all."""
    with connection, connection.cursor() as cursor:
        cursor.execute(
            """
            WITH sold AS (
              SELECT l.variant_id, sum(l.quantity) AS units, count(*) AS lines
              FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id
              WHERE o.id > %(mark)s AND o.contact_name = %(contact)s GROUP BY l.variant_id
            )
            SELECT v.id, v.stock, coalesce(sold.units, 0),
                   (SELECT count(*) FROM orders_order WHERE id > %(mark)s AND contact_name = %(contact)s)
            FROM catalog_variant v LEFT JOIN sold ON sold.variant_id = v.id WHERE v.id = ANY(%(ids)s)
            """,
            {"mark": start.last_order, "contact": contact, "ids": list(start.stock)},
        )
        rows = cursor.fetchall()
    oversold = unaccounted = below_zero = sold_total = taken_total = 0
    orders = rows[0][3] if rows else 0
    for variant, stock, sold, _orders in rows:
        taken = start.stock[variant] - stock
        sold_total += sold
        taken_total += taken
        oversold += max(0, sold - taken) + max(0, -stock)
        unaccounted += max(0, taken - sold)
        below_zero += stock < 0
    return StockCheck(
        orders=orders,
        units_sold=sold_total,
        units_taken=taken_total,
        oversold=oversold,
        unaccounted=unaccounted,
        below_zero=below_zero,
    )
