"""Cancelling, refunding in full and refunding one parcel: money never above what was paid, stock back once.

Service tests against the real database; the race at the end runs two staff members on their own connections.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from catalog.models import Variant
from live.models import LiveSession, LiveSessionItem
from notifications.models import OutboxMessage
from orders import payments, selectors
from orders.errors import IllegalTransition, InvalidOrder, OrderError
from orders.models import Fulfilment, Order, OrderEvent, Payment, Refund
from orders.services import (
    fulfilment_transition,
    order_cancel,
    order_refund,
    parcel_refund,
    payment_record_result,
)
from orders.transitions import parcel_steps
from tests.factories import LiveSessionItemFactory, UserFactory
from tests.orders.conftest import place, ship

pytestmark = pytest.mark.django_db


def pay(order: Order) -> Order:
    payment = order.payments.get(status=Payment.Status.PENDING)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    payment_record_result(
        provider="simulated", **vars(payments.verify_notification(body=body, signature=payments.sign(body)))
    )
    return Order.objects.get(pk=order.pk)


def move(parcel: Fulfilment, to: str) -> None:
    """Take a parcel along its path to ``to``, one step at a time, as its producer would."""
    farmer = UserFactory()
    for step in parcel_steps(Fulfilment.objects.get(pk=parcel.pk).status, to):
        fulfilment_transition(fulfilment=parcel, to=step, actor=farmer, tracking_number=f"SF{parcel.pk:010d}")


def parcel_of(order: Order, variant: Variant) -> Fulfilment:
    return Fulfilment.objects.get(order=order, producer=variant.product.producer)


def stock(variant: Variant) -> tuple[int, int]:
    """A variant's stock and units sold."""
    fresh = Variant.objects.get(pk=variant.pk)
    return fresh.stock, fresh.units_sold


def refunded_events(order: Order) -> int:
    return OrderEvent.objects.filter(order=order, note_phrase__msgid="Refunded %(amount)s.").count()


def notices(order: Order, event: str) -> int:
    return OutboxMessage.objects.filter(payload__order_id=order.pk, payload__event=event).count()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def two_parcels(shop):
    """A paid online order shipped to an address: grapes and raisins from the vineyard, a melon from the farm."""
    order = place(shop, {shop.grapes: 2, shop.raisins: 1, shop.melon: 1}, payment="online", delivery=ship())
    return pay(order)


def snapshot(order: Order) -> tuple:
    """What a refused refund must leave as it was."""
    fresh = Order.objects.get(pk=order.pk)
    return (
        fresh.status,
        list(fresh.fulfilments.values_list("status", flat=True)),
        list(fresh.payments.values_list("status", flat=True)),
        Refund.objects.filter(order=order).count(),
        OrderEvent.objects.filter(order=order).count(),
        list(Variant.objects.order_by("pk").values_list("stock", "units_sold")),
        OutboxMessage.objects.filter(payload__order_id=order.pk).count(),
    )


# Refunding one parcel in part.


def test_a_partial_refund_of_a_delivered_parcel_is_recorded_and_gives_no_stock_back(shop, staff):
    order = place(shop, {shop.grapes: 2, shop.melon: 1}, payment="online", delivery=ship())
    order = pay(order)
    for parcel in order.fulfilments.all():
        move(parcel, "delivered")
    assert Order.objects.get(pk=order.pk).status == "completed"
    grapes = parcel_of(order, shop.grapes)
    before = stock(shop.grapes)

    refund = parcel_refund(fulfilment=grapes, amount="20.00", reason="Two bunches arrived crushed", actor=staff)

    assert (refund.amount, refund.fulfilment, refund.actor, refund.returned_stock) == (
        Decimal("20.00"),
        grapes,
        staff,
        False,
    )
    assert stock(shop.grapes) == before  # damaged goods compensation: nothing comes back on sale
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "completed"
    assert fresh.payments.get().status == Payment.Status.SUCCEEDED  # the rest of the money stays paid
    assert Fulfilment.objects.get(pk=grapes.pk).status == "delivered"
    event = OrderEvent.objects.filter(order=order).latest("pk")
    assert (event.fulfilment, event.actor, event.note) == (grapes, staff, "Two bunches arrived crushed")
    with translation.override("en"):
        assert event.note_text == "Refunded ¥20.00. Two bunches arrived crushed"
    assert notices(order, "refunded") == 1
    shown = selectors.order_refund_of(selectors.order_details().get(pk=order.pk))
    assert shown.amount == Decimal("20.00")
    assert [(r.amount, r.fulfilment_id) for r in shown.items] == [(Decimal("20.00"), grapes.pk)]


def test_partial_refunds_add_up_to_at_most_the_parcel_and_the_last_one_refunds_a_completed_order(shop, staff):
    order = pay(place(shop, {shop.melon: 2}, payment="online", delivery=ship()))
    parcel = order.fulfilments.get()
    move(parcel, "delivered")
    paid = selectors.parcel_paid(parcel)
    assert paid == Decimal("76.00") + parcel.shipping_fee == order.total

    parcel_refund(fulfilment=parcel, amount="10", reason="Late", actor=staff)
    with pytest.raises(InvalidOrder) as error:
        parcel_refund(fulfilment=parcel, amount=paid, reason="Again", actor=staff)
    assert error.value.errors == {"amount": [f"At most ¥{paid - 10:,.2f} can still be refunded for this parcel."]}

    parcel_refund(fulfilment=parcel, amount=paid - 10, reason="Both melons were overripe", actor=staff)

    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "refunded"
    assert fresh.payments.get().status == Payment.Status.REFUNDED
    assert sum(Refund.objects.filter(order=order).values_list("amount", flat=True)) == order.total
    assert stock(shop.melon) == (3, 2)  # delivered goods do not come back
    with pytest.raises(OrderError):
        parcel_refund(fulfilment=parcel, amount="0.01", reason="Once more", actor=staff)


# Refunding a parcel in full before it left: it is cancelled and its stock comes back once.


def test_a_parcel_refunded_in_full_before_it_left_is_cancelled_and_its_stock_and_live_counts_come_back_once(
    shop, staff
):
    item = LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE, variant=shop.grapes, flash_price=Decimal("46.90"), quantity_cap=50
    )
    order = pay(
        place(
            shop,
            {shop.grapes: 2, shop.melon: 1},
            payment="online",
            delivery=ship(),
            live_session_slug=item.session.slug,
            shopper=UserFactory(),
        )
    )
    assert LiveSessionItem.objects.get(pk=item.pk).quantity_sold == 2
    assert stock(shop.grapes) == (8, 2)
    grapes = parcel_of(order, shop.grapes)
    move(grapes, "packed")
    left = selectors.parcel_refundable(grapes)

    refund = parcel_refund(fulfilment=grapes, amount=left, reason="The vineyard cannot send it", actor=staff)

    assert refund.returned_stock
    assert stock(shop.grapes) == (10, 0)
    assert LiveSessionItem.objects.get(pk=item.pk).quantity_sold == 0
    assert Fulfilment.objects.get(pk=grapes.pk).status == "cancelled"
    event = OrderEvent.objects.filter(order=order).latest("pk")
    assert (event.from_status, event.to_status) == ("packed", "cancelled")
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "paid"  # the melon still goes out
    assert fresh.payments.get().status == Payment.Status.SUCCEEDED

    with pytest.raises(OrderError, match="already been refunded"):
        parcel_refund(fulfilment=grapes, amount="1.00", reason="Clicked twice", actor=staff)
    assert stock(shop.grapes) == (10, 0)

    # Cancelling the rest gives back only the melon, and refunds only what is left.
    order_cancel(order=fresh, actor=staff, reason="Shopper asked")
    assert stock(shop.grapes) == (10, 0)
    assert stock(shop.melon) == (5, 0)
    assert LiveSessionItem.objects.get(pk=item.pk).quantity_sold == 0
    rest = Refund.objects.filter(order=order, fulfilment=None).get()
    assert rest.amount == order.total - left
    assert sum(Refund.objects.filter(order=order).values_list("amount", flat=True)) == order.total
    assert Order.objects.get(pk=order.pk).payments.get().status == Payment.Status.REFUNDED


def test_every_parcel_refunded_in_full_before_it_left_cancels_the_order(two_parcels, shop, staff):
    order = two_parcels
    for parcel in order.fulfilments.all():
        parcel_refund(
            fulfilment=parcel, amount=selectors.parcel_refundable(parcel), reason="Frost hit the farm", actor=staff
        )

    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "cancelled"
    assert fresh.payments.get().status == Payment.Status.REFUNDED
    assert stock(shop.grapes) == (10, 0) and stock(shop.raisins) == (50, 0) and stock(shop.melon) == (5, 0)
    assert sum(Refund.objects.filter(order=order).values_list("amount", flat=True)) == order.total
    with pytest.raises(IllegalTransition):
        order_cancel(order=fresh, actor=staff, reason="Again")
    assert stock(shop.grapes) == (10, 0)


def test_refunding_the_last_parcel_not_delivered_completes_the_order(two_parcels, shop, staff):
    order = two_parcels
    move(parcel_of(order, shop.grapes), "delivered")
    melon = parcel_of(order, shop.melon)

    parcel_refund(fulfilment=melon, amount=selectors.parcel_refundable(melon), reason="No melons left", actor=staff)

    assert Order.objects.get(pk=order.pk).status == "completed"
    assert stock(shop.melon) == (5, 0)


def test_a_shipped_parcel_refunded_in_full_keeps_its_stock_out(two_parcels, shop, staff):
    order = two_parcels
    melon = parcel_of(order, shop.melon)
    move(melon, "shipped")

    refund = parcel_refund(fulfilment=melon, amount=selectors.parcel_refundable(melon), reason="Lost", actor=staff)

    assert not refund.returned_stock
    assert Fulfilment.objects.get(pk=melon.pk).status == "shipped"
    assert stock(shop.melon) == (4, 1)


# What is refused, and changes nothing.


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "The amount to refund must be more than ¥0.00."),
        ("0.00", "The amount to refund must be more than ¥0.00."),
        ("-5", "The amount to refund must be more than ¥0.00."),
        ("12.345", "Enter the amount with at most two decimal places (fen)."),
        ("", "Enter the amount in yuan, such as 12.50."),
        ("twelve", "Enter the amount in yuan, such as 12.50."),
        ("NaN", "Enter the amount in yuan, such as 12.50."),
        ("Infinity", "Enter the amount in yuan, such as 12.50."),
        ("1000", "At most ¥"),
    ],
)
def test_a_wrong_amount_is_refused_with_a_clear_error_and_changes_nothing(two_parcels, shop, staff, amount, message):
    melon = parcel_of(two_parcels, shop.melon)
    before = snapshot(two_parcels)

    with translation.override("en"), pytest.raises(InvalidOrder) as error:
        parcel_refund(fulfilment=melon, amount=amount, reason="Bruised", actor=staff)

    assert list(error.value.errors) == ["amount"]
    assert error.value.errors["amount"][0].startswith(message)
    assert snapshot(two_parcels) == before


def test_an_amount_above_the_parcel_is_refused_though_the_order_holds_more(two_parcels, shop, staff):
    melon = parcel_of(two_parcels, shop.melon)
    before = snapshot(two_parcels)
    over = selectors.parcel_paid(melon) + Decimal("0.01")
    assert over < two_parcels.total

    with translation.override("en"), pytest.raises(InvalidOrder, match="At most"):
        parcel_refund(fulfilment=melon, amount=over, reason="Bruised", actor=staff)

    assert snapshot(two_parcels) == before


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_missing_or_overlong_reason_is_refused_and_changes_nothing(two_parcels, shop, staff, reason):
    before = snapshot(two_parcels)

    with pytest.raises(InvalidOrder) as error:
        parcel_refund(fulfilment=parcel_of(two_parcels, shop.melon), amount="5", reason=reason, actor=staff)

    assert list(error.value.errors) == ["reason"]
    assert snapshot(two_parcels) == before


def test_cash_on_delivery_not_collected_yet_cannot_be_refunded(shop, staff):
    order = place(shop, {shop.melon: 1}, delivery=ship())
    assert order.status == "confirmed"
    before = snapshot(order)

    with translation.override("en"), pytest.raises(OrderError, match="nothing has been collected yet"):
        parcel_refund(fulfilment=order.fulfilments.get(), amount="5", reason="Bruised", actor=staff)

    assert snapshot(order) == before


def test_an_order_awaiting_payment_cannot_be_refunded(shop, staff):
    order = place(shop, {shop.melon: 1}, payment="online", delivery=ship())
    before = snapshot(order)

    with translation.override("en"), pytest.raises(OrderError, match="Awaiting payment"):
        parcel_refund(fulfilment=order.fulfilments.get(), amount="5", reason="Bruised", actor=staff)

    assert snapshot(order) == before


def test_cash_on_delivery_collected_can_be_refunded_in_part(shop, staff):
    order = place(shop, {shop.melon: 1}, delivery=ship())
    parcel = order.fulfilments.get()
    move(parcel, "delivered")
    assert Order.objects.get(pk=order.pk).payments.get().status == Payment.Status.SUCCEEDED

    parcel_refund(fulfilment=parcel, amount="8.50", reason="Smaller than shown", actor=staff)

    assert selectors.order_refundable(Order.objects.get(pk=order.pk)) == order.total - Decimal("8.50")


# Cancelling and refunding whole orders.


def test_cancelling_a_paid_order_gives_stock_and_live_counts_back_once_and_records_the_refund(shop, staff):
    item = LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE, variant=shop.grapes, flash_price=Decimal("46.90"), quantity_cap=50
    )
    order = pay(
        place(shop, {shop.grapes: 2}, payment="online", live_session_slug=item.session.slug, shopper=UserFactory())
    )
    assert (stock(shop.grapes), LiveSessionItem.objects.get(pk=item.pk).quantity_sold) == ((8, 2), 2)

    order_cancel(order=order, actor=staff, reason="Shopper phoned")

    assert (stock(shop.grapes), LiveSessionItem.objects.get(pk=item.pk).quantity_sold) == ((10, 0), 0)
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "cancelled"
    assert fresh.fulfilments.get().status == "cancelled"
    assert fresh.payments.get().status == Payment.Status.REFUNDED
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.fulfilment, refund.actor, refund.reason) == (
        order.total,
        None,
        staff,
        "Shopper phoned",
    )
    event = OrderEvent.objects.filter(order=order).latest("pk")
    assert (event.to_status, event.actor, event.note) == ("cancelled", staff, "Shopper phoned")
    assert notices(order, "cancelled") == 1

    with pytest.raises(IllegalTransition):
        order_cancel(order=fresh, actor=staff, reason="Twice")
    assert (stock(shop.grapes), LiveSessionItem.objects.get(pk=item.pk).quantity_sold) == ((10, 0), 0)
    assert Refund.objects.filter(order=order).count() == 1


def test_cancelling_an_unpaid_cash_order_refunds_nothing(shop, staff):
    order = place(shop, {shop.melon: 2})

    order_cancel(order=order, actor=staff, reason="Ordered twice")

    assert stock(shop.melon) == (5, 0)
    assert not Refund.objects.filter(order=order).exists()
    assert selectors.order_refund_of(selectors.order_details().get(pk=order.pk)) is None


def test_a_full_refund_after_a_partial_one_refunds_only_the_rest(shop, staff):
    order = pay(place(shop, {shop.raisins: 2}, payment="online", delivery=ship()))
    parcel = order.fulfilments.get()
    move(parcel, "delivered")
    parcel_refund(fulfilment=parcel, amount="5.00", reason="Bag torn", actor=staff)

    order_refund(order=Order.objects.get(pk=order.pk), actor=staff, note="Shopper unhappy")

    fresh = selectors.order_details().get(pk=order.pk)
    assert fresh.status == "refunded"
    assert [r.amount for r in Refund.objects.filter(order=order)] == [Decimal("5.00"), order.total - 5]
    assert selectors.order_refund_of(fresh).amount == order.total
    assert selectors.order_refundable(fresh) == 0
    assert stock(shop.raisins) == (48, 2)
    assert notices(order, "refunded") == 2
    with pytest.raises(IllegalTransition):
        order_refund(order=fresh, actor=staff, note="Twice")
    assert Refund.objects.filter(order=order).count() == 2


def test_a_payment_arriving_after_cancellation_is_a_refund_on_the_ledger(shop, staff):
    order = place(shop, {shop.melon: 1}, payment="online")
    payment = order.payments.get()
    order_cancel(order=order, actor=staff, reason="Changed mind")
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    payment_record_result(
        provider="simulated", **vars(payments.verify_notification(body=body, signature=payments.sign(body)))
    )

    assert [r.amount for r in Refund.objects.filter(order=order)] == [order.total]
    assert selectors.order_refundable(Order.objects.get(pk=order.pk)) == 0


# Two staff members refunding the same parcel at the same moment.


def race(workers: int, task) -> list[object]:
    barrier = threading.Barrier(workers)

    def run(i: int) -> object:
        try:
            barrier.wait()
            with translation.override("en"):
                return task(i)
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(workers)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_staff_refunding_one_parcel_in_full_at_once_make_one_refund_and_give_stock_back_once(shop, round_):
    order = pay(place(shop, {shop.grapes: 2, shop.melon: 1}, payment="online", delivery=ship()))
    grapes = parcel_of(order, shop.grapes)
    amount = selectors.parcel_refundable(grapes)
    staff = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    results = race(2, lambda i: parcel_refund(fulfilment=grapes, amount=amount, reason=f"Staff {i}", actor=staff[i]))

    assert sorted(type(r).__name__ for r in results) == ["OrderError", "Refund"]
    [error] = [r for r in results if isinstance(r, Exception)]
    assert "already been refunded" in str(error)
    assert Refund.objects.filter(order=order).count() == 1
    assert stock(shop.grapes) == (10, 0)
    assert refunded_events(order) == 1
    assert Fulfilment.objects.get(pk=grapes.pk).status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_two_partial_refunds_at_once_never_exceed_the_parcel(shop):
    order = pay(place(shop, {shop.melon: 1}, payment="online", delivery=ship()))
    parcel = order.fulfilments.get()
    move(parcel, "delivered")
    paid = selectors.parcel_paid(parcel)
    share = (paid * Decimal("0.6")).quantize(Decimal("0.01"))
    staff = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    results = race(2, lambda i: parcel_refund(fulfilment=parcel, amount=share, reason="Bruised", actor=staff[i]))

    assert sorted(type(r).__name__ for r in results) == ["InvalidOrder", "Refund"]
    assert sum(Refund.objects.filter(order=order).values_list("amount", flat=True)) == share <= paid


def test_the_apis_order_carries_each_refund_with_its_amount_and_parcel(shop, staff):
    shopper = UserFactory()
    order = pay(place(shop, {shop.grapes: 1, shop.melon: 1}, payment="online", delivery=ship(), shopper=shopper))
    melon = parcel_of(order, shop.melon)
    parcel_refund(fulfilment=melon, amount="6.80", reason="Melon bruised", actor=staff)
    client = APIClient()
    client.force_authenticate(shopper)

    data = client.get(f"/api/v1/orders/{order.number}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert [(r["amount"], r["parcel"], r["reason"]) for r in data["refunds"]] == [("6.80", melon.pk, "Melon bruised")]
