"""Property: whatever shoppers, payments, expiry, parcels and restocking do, stock is conserved.

Hypothesis drives random sequences of operations through the real services
against PostgreSQL. The database is not rolled back between the examples of
one test function, so each example resets the shop's stock and measures
conservation relative to a snapshot taken at its start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from catalog.models import Variant
from catalog.services import variant_restock
from orders import payments, services
from orders.errors import IllegalTransition, InsufficientStock, InvalidOrder
from orders.models import Fulfilment, Order, Payment
from tests.factories import UserFactory
from tests.orders.conftest import pickup, place, ship

# Orders in these statuses hold their units; cancelled and expired ones gave them back.
HOLDING = [
    Order.Status.AWAITING_PAYMENT,
    Order.Status.CONFIRMED,
    Order.Status.PAID,
    Order.Status.COMPLETED,
    Order.Status.REFUNDED,
]
DOMAIN_ERRORS = (InsufficientStock, IllegalTransition, InvalidOrder)
NEXT_PARCEL_STEP = {
    Fulfilment.Status.NEW: Fulfilment.Status.PACKED,
    Fulfilment.Status.PACKED: Fulfilment.Status.SHIPPED,
    Fulfilment.Status.SHIPPED: Fulfilment.Status.DELIVERED,
    # Finished parcels are asked to move anyway: the service must refuse.
    Fulfilment.Status.DELIVERED: Fulfilment.Status.DELIVERED,
    Fulfilment.Status.CANCELLED: Fulfilment.Status.PACKED,
}

place_op = st.tuples(
    st.just("place"),
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 5)), min_size=1, max_size=3, unique_by=lambda t: t[0]),
    st.sampled_from(["cod", "online"]),
    st.sampled_from([0, 1, None]),  # first user, second user, guest
    st.booleans(),  # ship (True) or pick up
)
pick_op = st.tuples(
    st.sampled_from(["cancel", "pay", "fail", "expire", "fulfil", "fulfil", "fulfil", "refund"]), st.integers(0, 1_000)
)
restock_op = st.tuples(st.just("restock"), st.integers(0, 2), st.integers(1, 5))
# Long runs with placing and picking weighted up: later operations need orders to act on.
operations = st.lists(st.one_of(place_op, place_op, pick_op, pick_op, pick_op, restock_op), min_size=12, max_size=40)
initial_stocks = st.tuples(st.integers(0, 15), st.integers(0, 15), st.integers(0, 15))


@dataclass
class Run:
    variants: list[Variant]
    start: dict[int, int]  # variant id → stock + held units at the start of the example
    restocked: dict[int, int] = field(default_factory=dict)
    orders: list[int] = field(default_factory=list)


def held_units(variant_ids: list[int]) -> dict[int, int]:
    rows = (
        Variant.objects.filter(pk__in=variant_ids, order_lines__order__status__in=HOLDING)
        .values("pk")
        .annotate(units=Sum("order_lines__quantity"))
    )
    return {row["pk"]: row["units"] for row in rows}


def assert_conserved(run: Run, step: str) -> None:
    ids = [v.pk for v in run.variants]
    stock = dict(Variant.objects.filter(pk__in=ids).values_list("pk", "stock"))
    held = held_units(ids)
    for variant_id in ids:
        on_shelf, in_orders = stock[variant_id], held.get(variant_id, 0)
        expected = run.start[variant_id] + run.restocked.get(variant_id, 0)
        assert on_shelf >= 0, f"variant {variant_id}: negative stock after {step}"
        assert on_shelf + in_orders == expected, (
            f"variant {variant_id}: {on_shelf} on the shelf + {in_orders} in orders != {expected} after {step}"
        )


def notify(payment: Payment, *, succeeded: bool) -> None:
    """Send the simulated provider's signed notification for this payment through the webhook's path."""
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=succeeded
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))


def pick(ids: list[int], index: int) -> int | None:
    return ids[index % len(ids)] if ids else None


def run_operation(run: Run, op: tuple, shop, shoppers) -> None:
    kind = op[0]
    if kind == "place":
        _, lines, payment, who, shipped = op
        order = place(
            shop,
            {run.variants[i]: quantity for i, quantity in lines},
            shopper=None if who is None else shoppers[who],
            payment=payment,
            delivery=ship() if shipped else pickup(shop),
        )
        run.orders.append(order.pk)
    elif kind == "restock":
        _, index, quantity = op
        variant = run.variants[index]
        variant_restock(variant=variant, quantity=quantity, actor=None)
        run.restocked[variant.pk] = run.restocked.get(variant.pk, 0) + quantity
    elif kind == "cancel":
        order_id = pick(run.orders, op[1])
        if order_id is not None:
            services.order_cancel(order=Order.objects.get(pk=order_id), actor=None, reason="property test")
    elif kind in {"pay", "fail"}:
        # Any online payment of this example, whatever its state: late and repeated notifications included.
        candidates = list(
            Payment.objects.filter(order_id__in=run.orders, provider=services.SIMULATED_PROVIDER)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        payment_id = pick(candidates, op[1])
        if payment_id is not None:
            payment = Payment.objects.get(pk=payment_id)
            notify(payment, succeeded=kind == "pay")  # a failure opens a fresh attempt by itself
    elif kind == "expire":
        awaiting = list(
            Order.objects.filter(pk__in=run.orders, status=Order.Status.AWAITING_PAYMENT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        order_id = pick(awaiting, op[1])
        if order_id is not None:
            Order.objects.filter(pk=order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
            assert services.orders_expire_unpaid() >= 1
    elif kind == "refund":
        order_id = pick(run.orders, op[1])
        if order_id is not None:
            services.order_refund(order=Order.objects.get(pk=order_id), actor=None, note="property test")
    elif kind == "fulfil":
        parcels = Fulfilment.objects.filter(order_id__in=run.orders).order_by("pk")
        if op[1] % 2 == 0:
            # Half the time a parcel that can move, so that orders get delivered and completed.
            parcels = parcels.filter(
                order__status__in=[Order.Status.CONFIRMED, Order.Status.PAID],
                status__in=[Fulfilment.Status.NEW, Fulfilment.Status.PACKED, Fulfilment.Status.SHIPPED],
            )
        parcels = list(parcels.values_list("pk", flat=True))
        parcel_id = pick(parcels, op[1] // 2)
        if parcel_id is not None:
            parcel = Fulfilment.objects.get(pk=parcel_id)
            to = NEXT_PARCEL_STEP[parcel.status]
            services.fulfilment_transition(
                fulfilment=parcel,
                to=to,
                actor=None,
                tracking_number=f"SF{parcel.pk:010d}" if to == Fulfilment.Status.SHIPPED else "",
            )


@pytest.fixture
def shoppers(db):
    return [UserFactory(), UserFactory()]


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stocks=initial_stocks, ops=operations)
def test_stock_is_never_negative_and_every_unit_is_either_on_the_shelf_or_in_a_live_order(shop, shoppers, stocks, ops):
    """Shoppers place, pay, fail, cancel and let orders expire; parcels move; staff refund; producers restock.

    After every step no variant's stock is negative, and each variant's stock
    plus the units on orders that still hold them (awaiting payment,
    confirmed, paid, completed, refunded) equals what the variant had plus
    what was restocked: no unit is sold twice, lost, or given back twice.
    """
    variants = [shop.grapes, shop.raisins, shop.melon]
    for variant, stock in zip(variants, stocks, strict=True):
        Variant.objects.filter(pk=variant.pk).update(stock=stock)
    ids = [v.pk for v in variants]
    stock_now = dict(Variant.objects.filter(pk__in=ids).values_list("pk", "stock"))
    held = held_units(ids)
    run = Run(variants=variants, start={pk: stock_now[pk] + held.get(pk, 0) for pk in ids})

    for number, op in enumerate(ops):
        try:
            run_operation(run, op, shop, shoppers)
        except DOMAIN_ERRORS as error:
            event(f"{op[0]} refused: {type(error).__name__}")  # An expected outcome; it must change nothing.
        else:
            event(f"{op[0]} done")
        assert_conserved(run, f"step {number} {op!r}")
