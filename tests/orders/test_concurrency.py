"""Real concurrent buyers, each on its own database connection, racing for the same stock.

These tests commit for real (``transaction=True``) and run their requests in
threads, so PostgreSQL's row locks, not the test, decide who wins.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection

from catalog.models import Variant
from orders import payments
from orders.errors import InsufficientStock
from orders.models import Order, OrderLine
from orders.services import order_cancel, order_expire, payment_record_result
from tests.factories import UserFactory, VariantFactory
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db(transaction=True)


def race(workers: int, task: Callable[[int], object]) -> list[object]:
    """Run ``task(i)`` in ``workers`` threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(workers)

    def run(i: int) -> object:
        try:
            barrier.wait()
            return task(i)
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(workers)))


def kinds(results: list[object]) -> Counter:
    return Counter(type(result).__name__ for result in results)


def test_50_buyers_racing_for_10_units_make_exactly_10_orders(shop):
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=10)

    results = race(50, lambda i: place(shop, {shop.grapes: 1}))

    assert kinds(results) == {"Order": 10, "InsufficientStock": 40}
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 0
    assert Order.objects.count() == 10
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 10
    refusals = [r for r in results if isinstance(r, InsufficientStock)]
    assert all(r.shortfalls[0].variant_id == shop.grapes.pk for r in refusals)
    assert all(r.shortfalls[0].available == 0 for r in refusals)


def test_overlapping_baskets_in_opposite_orders_never_deadlock(shop):
    """Half the buyers list A then B, half B then A: each gets a whole order or a clean shortfall."""
    a, b = VariantFactory(stock=15), VariantFactory(stock=15)

    def buy(i: int):
        first, second = (a, b) if i % 2 else (b, a)
        return place(shop, {first: 1, second: 1, shop.raisins: 1})

    results = race(40, buy)

    assert set(kinds(results)) <= {"Order", "InsufficientStock"}
    assert kinds(results)["Order"] == 15
    assert Variant.objects.get(pk=a.pk).stock == Variant.objects.get(pk=b.pk).stock == 0
    assert Variant.objects.get(pk=shop.raisins.pk).stock == 50 - 15
    for order in Order.objects.all():
        assert order.lines.count() == 3  # never half an order


def test_eight_concurrent_requests_with_one_key_make_one_order_and_take_stock_once(shop):
    shopper = UserFactory()

    results = race(8, lambda i: place(shop, {shop.grapes: 2}, shopper=shopper, key="double-click"))

    assert kinds(results) == {"Order": 8}
    assert len({order.pk for order in results}) == 1
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 8


def _success_notification(order: Order) -> payments.Notification:
    payment = order.payments.get()
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    return payments.verify_notification(body=body, signature=payments.sign(body))


@pytest.mark.parametrize("round_", range(5))
def test_expiry_racing_a_payment_gives_stock_back_at_most_once_and_never_expires_a_paid_order(shop, round_):
    order = place(shop, {shop.grapes: 3}, payment="online")
    notification = _success_notification(order)
    late = order.expires_at + timedelta(seconds=1)

    race(
        2,
        lambda i: order_expire(order_id=order.pk, now=late)
        if i == 0
        else payment_record_result(provider="simulated", **vars(notification)),
    )

    order.refresh_from_db()
    stock = Variant.objects.get(pk=shop.grapes.pk).stock
    if order.status == Order.Status.PAID:
        assert stock == 7
    else:
        assert order.status == Order.Status.EXPIRED
        assert stock == 10
        assert order.payments.get().status == "refunded"


@pytest.mark.parametrize("round_", range(5))
def test_cancellation_racing_expiry_gives_stock_back_exactly_once(shop, round_):
    order = place(shop, {shop.grapes: 3, shop.melon: 2}, payment="online")
    late = order.expires_at + timedelta(seconds=1)

    results = race(
        2, lambda i: order_expire(order_id=order.pk, now=late) if i == 0 else order_cancel(order=order, actor=None)
    )

    order.refresh_from_db()
    assert order.status in {Order.Status.CANCELLED, Order.Status.EXPIRED}
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10
    assert Variant.objects.get(pk=shop.melon.pk).stock == 5
    expired, cancelled = results
    # Exactly one of the two won; the other found the order already closed.
    assert (expired is True) != isinstance(cancelled, Order)
    assert expired is True or order.status == Order.Status.CANCELLED
