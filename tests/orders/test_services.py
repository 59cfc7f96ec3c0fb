"""Placing, paying, cancelling, expiring and fulfilling orders through orders.services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Product, Variant
from orders import payments
from orders.errors import (
    IdempotencyKeyReused,
    IllegalTransition,
    InsufficientStock,
    InvalidOrder,
    PaymentRejected,
    PricesChanged,
)
from orders.models import Fulfilment, Order, OrderEvent, OrderLine, Payment
from orders.services import (
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_expire,
    order_place,
    order_refund,
    orders_expire_unpaid,
    payment_record_result,
)
from tests.factories import LiveSessionItemFactory, UserFactory, VariantFactory
from tests.orders.conftest import CONTACT, pickup, place, ship

pytestmark = pytest.mark.django_db


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def nothing_written() -> bool:
    return not any(m.objects.exists() for m in (Order, OrderLine, Fulfilment, Payment, OrderEvent))


def pay(order: Order, *, succeeded: bool = True, amount: Decimal | None = None, body: bytes | None = None):
    payment = order.payments.get(status=Payment.Status.PENDING)
    body = body or payments.simulated_notification_body(
        reference=payment.provider_reference, amount=amount or payment.amount, succeeded=succeeded
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    return payment_record_result(provider="simulated", **vars(notification)), body


# Placing


def test_cash_on_delivery_pickup_order_is_confirmed_with_snapshots_parcels_and_stock_taken(shop):
    shopper = UserFactory()

    order = place(shop, {shop.grapes: 2, shop.melon: 1}, shopper=shopper)

    assert order.status == Order.Status.CONFIRMED
    assert order.pickup_depot == shop.depot
    assert (order.subtotal, order.shipping, order.total) == (Decimal("157.80"), Decimal("0.00"), Decimal("157.80"))
    assert order.currency == "CNY"
    lines = {line.variant_id: line for line in order.lines.all()}
    assert lines[shop.grapes.pk].unit_price == Decimal("59.90")
    assert lines[shop.grapes.pk].product_name == "Seedless grapes"
    assert lines[shop.grapes.pk].producer_name == "Abdukerim's Vineyard"
    assert order.fulfilments.count() == 2  # one parcel per producer
    assert all(f.needs_cold_chain for f in order.fulfilments.all())
    assert order.payments.get().method == "cod"
    assert list(order.events.values_list("to_status", "actor")) == [("confirmed", shopper.pk)]
    assert (stock(shop.grapes), stock(shop.melon)) == (8, 4)


def test_order_lines_keep_the_price_and_name_they_were_bought_at(shop):
    order = place(shop, {shop.raisins: 1})

    Variant.objects.filter(pk=shop.raisins.pk).update(price=Decimal("99.00"), name_en="Renamed")

    line = OrderLine.objects.get(order=order)
    assert (line.unit_price, line.variant_name) == (Decimal("35.00"), "1 kg bag")


def test_shipping_is_charged_per_producer_parcel_and_free_above_the_threshold(shop, settings):
    settings.SHIPPING_FEE_PER_PARCEL = "12.00"
    settings.FREE_SHIPPING_THRESHOLD = "99.00"

    order = place(shop, {shop.grapes: 2, shop.melon: 1}, delivery=ship())

    fees = {f.producer_id: f.shipping_fee for f in order.fulfilments.all()}
    assert fees == {shop.grapes.product.producer_id: Decimal("0.00"), shop.melon.product.producer_id: Decimal("12.00")}
    assert (order.shipping, order.total) == (Decimal("12.00"), Decimal("169.80"))
    assert order.ship_phone == "13900001111"  # normalised from "+86 139 0000 1111"


def test_online_order_waits_for_payment_and_expires_after_the_configured_time(shop, settings):
    settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 15
    before = timezone.now()

    order = place(shop, {shop.grapes: 1}, payment="online")

    assert order.status == Order.Status.AWAITING_PAYMENT
    assert before + timedelta(minutes=15) <= order.expires_at <= timezone.now() + timedelta(minutes=15)
    payment = order.payments.get()
    assert (payment.provider, payment.status, payment.amount) == ("simulated", "pending", order.total)
    assert len(payment.provider_reference) == 32


def test_a_shortfall_names_every_short_variant_and_changes_nothing(shop):
    with pytest.raises(InsufficientStock) as raised:
        place(shop, {shop.grapes: 11, shop.raisins: 3, shop.melon: 6})

    shortfalls = {s.variant_id: s.available for s in raised.value.shortfalls}
    assert shortfalls == {shop.grapes.pk: 10, shop.melon.pk: 5}
    assert "Seedless grapes" in str(raised.value) and "Hami melon" in str(raised.value)
    assert (stock(shop.grapes), stock(shop.raisins), stock(shop.melon)) == (10, 50, 5)
    assert nothing_written()


@pytest.mark.parametrize("quantity", [0, -1, 1000, 1.5, "2", True, None])
def test_bad_quantities_are_refused_and_nothing_is_written(shop, quantity):
    with pytest.raises(InvalidOrder) as raised:
        order_place(
            shopper=None,
            contact=CONTACT,
            lines=[LineRequest(variant_id=shop.grapes.pk, quantity=quantity)],
            delivery=pickup(shop),
            payment_method="cod",
        )

    assert "from 1 to 999" in str(raised.value)
    assert stock(shop.grapes) == 10
    assert nothing_written()


def test_the_same_variant_twice_adds_up_and_may_not_pass_999(shop):
    lines = [LineRequest(shop.raisins.pk, 500), LineRequest(shop.raisins.pk, 500)]
    with pytest.raises(InvalidOrder):
        order_place(shopper=None, contact=CONTACT, lines=lines, delivery=pickup(shop), payment_method="cod")
    assert nothing_written()


@pytest.mark.parametrize(
    "make_unsellable",
    [
        pytest.param(lambda v: Variant.objects.filter(pk=v.pk).update(is_active=False), id="inactive variant"),
        pytest.param(lambda v: Product.objects.filter(pk=v.product_id).update(status="draft"), id="draft product"),
        pytest.param(lambda v: Product.objects.filter(pk=v.product_id).update(status="archived"), id="archived"),
        pytest.param(
            lambda v: type(v.product.producer).objects.filter(pk=v.product.producer_id).update(is_verified=False),
            id="unverified producer",
        ),
    ],
)
def test_items_not_on_sale_are_refused_and_nothing_is_written(shop, make_unsellable):
    make_unsellable(shop.grapes)

    with pytest.raises(InvalidOrder, match="not on sale"):
        place(shop, {shop.grapes: 1})

    assert stock(shop.grapes) == 10
    assert nothing_written()


def test_unknown_variant_bad_contact_address_depot_and_payment_method_are_all_reported(shop):
    with pytest.raises(InvalidOrder) as raised:
        order_place(
            shopper=None,
            contact=Contact(name=" ", phone="010-12345678", email="not-an-email"),
            lines=[LineRequest(variant_id=999_999, quantity=1)],
            delivery=Delivery(method="ship"),
            payment_method="bitcoin",
        )

    assert set(raised.value.errors) == {
        "contact.name",
        "contact.phone",
        "contact.email",
        "delivery.address",
        "payment_method",
    }
    with pytest.raises(InvalidOrder) as raised:
        order_place(
            shopper=None,
            contact=CONTACT,
            lines=[LineRequest(variant_id=999_999, quantity=1)],
            delivery=Delivery(method="pickup", depot_slug="nowhere"),
            payment_method="cod",
        )
    assert set(raised.value.errors) == {"lines", "delivery.depot"}
    assert nothing_written()


@pytest.mark.parametrize("phone", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000"])
def test_mainland_mobile_numbers_are_accepted_in_their_usual_spellings(shop, phone):
    order = order_place(
        shopper=None,
        contact=Contact(name="Li", phone=phone),
        lines=[LineRequest(shop.raisins.pk, 1)],
        delivery=pickup(shop),
        payment_method="cod",
    )
    assert order.contact_phone == "13800138000"


@pytest.mark.parametrize("phone", ["", "12800138000", "1380013800", "138001380001", "+1 415 555 0100", "abc"])
def test_other_phone_numbers_are_refused(shop, phone):
    with pytest.raises(InvalidOrder, match="mainland China mobile"):
        order_place(
            shopper=None,
            contact=Contact(name="Li", phone=phone),
            lines=[LineRequest(shop.raisins.pk, 1)],
            delivery=pickup(shop),
            payment_method="cod",
        )
    assert nothing_written()


# Idempotency


def test_the_same_key_returns_the_first_order_and_takes_no_stock_again(shop):
    shopper = UserFactory()
    first = place(shop, {shop.grapes: 2}, shopper=shopper, key="checkout-1")

    again = place(shop, {shop.grapes: 2}, shopper=shopper, key="checkout-1")

    assert again.pk == first.pk
    assert stock(shop.grapes) == 8
    assert Order.objects.count() == 1


def test_the_same_key_with_a_different_basket_is_refused(shop):
    shopper = UserFactory()
    place(shop, {shop.grapes: 2}, shopper=shopper, key="checkout-1")

    with pytest.raises(IdempotencyKeyReused):
        place(shop, {shop.grapes: 3}, shopper=shopper, key="checkout-1")

    assert stock(shop.grapes) == 8
    assert Order.objects.count() == 1


def test_keys_belong_to_their_shopper(shop):
    place(shop, {shop.grapes: 1}, shopper=UserFactory(), key="k")
    place(shop, {shop.grapes: 1}, shopper=UserFactory(), key="k")

    assert Order.objects.count() == 2


# Live sessions


def test_a_live_session_price_applies_with_its_cap_and_per_shopper_limit(shop):
    item = LiveSessionItemFactory(
        session__status="live", variant=shop.grapes, flash_price=Decimal("45.00"), quantity_cap=3, per_shopper_limit=2
    )
    shopper = UserFactory()
    slug = item.session.slug

    order = place(shop, {shop.grapes: 2}, shopper=shopper, live_session_slug=slug)

    assert order.lines.get().unit_price == Decimal("45.00")
    assert order.live_session == item.session
    assert order.commission_rate == item.session.host.commission_rate
    # Past the limit, or past what the cap leaves, a line is at the normal price: refused when the shopper was
    # shown the live price, placed at the normal price when that is what they were shown.
    with pytest.raises(PricesChanged):
        place(shop, {shop.grapes: 1}, shopper=shopper, live_session_slug=slug, expected_subtotal=Decimal("45.00"))
    with pytest.raises(PricesChanged):
        place(shop, {shop.grapes: 2}, shopper=UserFactory(), live_session_slug=slug, expected_subtotal=Decimal("90.00"))
    item.refresh_from_db()
    assert item.quantity_sold == 2
    assert stock(shop.grapes) == 8
    extra = place(shop, {shop.grapes: 1}, shopper=shopper, live_session_slug=slug, expected_subtotal=Decimal("59.90"))
    assert (extra.lines.get().unit_price, extra.lines.get().live_item) == (Decimal("59.90"), None)
    item.refresh_from_db()
    assert item.quantity_sold == 2

    order_cancel(order=order, actor=shopper)
    item.refresh_from_db()
    assert item.quantity_sold == 0


# Cancelling and expiry


def test_cancelling_gives_the_stock_back_once(shop):
    shopper = UserFactory()
    order = place(shop, {shop.grapes: 3, shop.melon: 2}, shopper=shopper)

    order_cancel(order=order, actor=shopper)

    assert (stock(shop.grapes), stock(shop.melon)) == (10, 5)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert set(order.fulfilments.values_list("status", flat=True)) == {"cancelled"}
    assert order.payments.get().status == "cancelled"
    event = order.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("confirmed", "cancelled", shopper)
    with pytest.raises(IllegalTransition):
        order_cancel(order=order, actor=shopper)
    assert (stock(shop.grapes), stock(shop.melon)) == (10, 5)


def test_an_order_cannot_be_cancelled_once_a_parcel_has_shipped(shop):
    order = place(shop, {shop.grapes: 1, shop.melon: 1}, delivery=ship())
    parcel = order.fulfilments.get(producer=shop.grapes.product.producer)
    fulfilment_transition(fulfilment=parcel, to="packed", actor=None)
    fulfilment_transition(fulfilment=parcel, to="shipped", actor=None, tracking_number="SF1234567890")

    with pytest.raises(IllegalTransition, match="already shipped"):
        order_cancel(order=order, actor=None)

    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert (stock(shop.grapes), stock(shop.melon)) == (9, 4)


def test_unpaid_online_orders_expire_after_their_time_and_give_stock_back_once(shop):
    order = place(shop, {shop.grapes: 4}, payment="online")

    assert orders_expire_unpaid() == 0  # not yet due
    later = order.expires_at + timedelta(seconds=1)
    assert orders_expire_unpaid(now=later) == 1
    assert orders_expire_unpaid(now=later) == 0

    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert stock(shop.grapes) == 10
    assert order.payments.get().status == "cancelled"


def test_a_paid_order_is_never_expired(shop):
    order = place(shop, {shop.grapes: 1}, payment="online")
    pay(order)

    assert order_expire(order_id=order.pk, now=order.expires_at + timedelta(hours=1)) is False

    assert Order.objects.get(pk=order.pk).status == "paid"
    assert stock(shop.grapes) == 9


def test_expire_unpaid_orders_command_reports_what_it_released(shop):
    from io import StringIO

    from django.core.management import call_command

    order = place(shop, {shop.grapes: 2}, payment="online")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()

    call_command("expire_unpaid_orders", stdout=out)

    assert "Expired 1 unpaid order" in out.getvalue()
    assert stock(shop.grapes) == 10


# Payments


def test_a_signed_success_marks_the_order_paid_exactly_once_and_replays_are_ignored(shop):
    order = place(shop, {shop.grapes: 1}, payment="online")

    payment, body = pay(order)
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    payment_record_result(provider="simulated", **vars(notification))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.expires_at is None
    assert payment.status == Payment.Status.SUCCEEDED
    assert order.events.filter(to_status="paid").count() == 1


def test_a_notification_with_a_wrong_signature_or_amount_is_rejected(shop):
    order = place(shop, {shop.grapes: 1}, payment="online")
    payment = order.payments.get()
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )

    with pytest.raises(PaymentRejected):
        payments.verify_notification(body=body, signature="0" * 64)
    with pytest.raises(PaymentRejected):
        payments.verify_notification(body=body + b" ", signature=payments.sign(body))
    with pytest.raises(PaymentRejected, match="amount"):
        pay(order, amount=Decimal("0.01"))

    assert Order.objects.get(pk=order.pk).status == "awaiting_payment"


def test_a_payment_that_arrives_after_expiry_is_refunded_and_the_stock_stays_released(shop):
    order = place(shop, {shop.grapes: 3}, payment="online")
    order_expire(order_id=order.pk, now=order.expires_at + timedelta(seconds=1))
    payment = order.payments.get()
    Payment.objects.filter(pk=payment.pk).update(status="pending")  # the provider still took the money
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))

    result = payment_record_result(provider="simulated", **vars(notification))

    assert result.status == Payment.Status.REFUNDED
    assert Order.objects.get(pk=order.pk).status == "expired"
    assert stock(shop.grapes) == 10


def test_a_success_on_an_older_failed_attempt_pays_the_order_and_closes_the_newer_one(shop):
    """The provider says an attempt failed, the shopper is offered a new one, then the first one succeeds after
    all: the order is paid once, the newer attempt is closed, and money that still arrives on it is refunded."""
    order = place(shop, {shop.grapes: 1}, payment="online")
    first = order.payments.get()
    pay(order, succeeded=False)
    newer = order.payments.get(status=Payment.Status.PENDING)
    body = payments.simulated_notification_body(reference=first.provider_reference, amount=first.amount, succeeded=True)
    notification = payments.verify_notification(body=body, signature=payments.sign(body))

    payment_record_result(provider="simulated", **vars(notification))

    assert Order.objects.get(pk=order.pk).status == "paid"
    assert dict(order.payments.values_list("pk", "status")) == {first.pk: "succeeded", newer.pk: "cancelled"}
    late = payments.simulated_notification_body(reference=newer.provider_reference, amount=newer.amount, succeeded=True)
    notification = payments.verify_notification(body=late, signature=payments.sign(late))
    assert payment_record_result(provider="simulated", **vars(notification)).status == Payment.Status.REFUNDED
    assert Order.objects.get(pk=order.pk).status == "paid"


def test_cancelling_a_paid_order_refunds_its_payment(shop):
    order = place(shop, {shop.grapes: 1}, payment="online")
    pay(order)

    order_cancel(order=order, actor=None)

    assert order.payments.get().status == Payment.Status.REFUNDED
    assert stock(shop.grapes) == 10


# Parcels


def test_parcels_move_new_packed_shipped_delivered_and_the_order_completes_with_the_last(shop):
    farmer = UserFactory()
    order = place(shop, {shop.grapes: 1, shop.melon: 1}, delivery=ship())
    first, second = order.fulfilments.order_by("pk")

    for parcel in (first, second):
        fulfilment_transition(fulfilment=parcel, to="packed", actor=farmer)
        fulfilment_transition(fulfilment=parcel, to="shipped", actor=farmer, tracking_number=f"SF{parcel.pk:010d}")
    fulfilment_transition(fulfilment=first, to="delivered", actor=farmer)
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    fulfilment_transition(fulfilment=second, to="delivered", actor=farmer)

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert order.payments.get().status == Payment.Status.SUCCEEDED  # cash collected on delivery
    second.refresh_from_db()
    assert second.tracking_number == f"SF{second.pk:010d}" and second.delivered_at is not None
    assert order.events.filter(fulfilment__isnull=False).count() == 6


@pytest.mark.parametrize(("start", "to"), [("new", "shipped"), ("new", "delivered"), ("packed", "new")])
def test_a_parcel_cannot_skip_or_go_back(shop, start, to):
    order = place(shop, {shop.grapes: 1})
    parcel = order.fulfilments.get()
    if start == "packed":
        fulfilment_transition(fulfilment=parcel, to="packed", actor=None)

    with pytest.raises(IllegalTransition):
        fulfilment_transition(fulfilment=parcel, to=to, actor=None, tracking_number="SF1")

    assert Fulfilment.objects.get(pk=parcel.pk).status == start


def test_a_shipped_address_parcel_needs_a_tracking_number(shop):
    order = place(shop, {shop.grapes: 1}, delivery=ship())
    parcel = order.fulfilments.get()
    fulfilment_transition(fulfilment=parcel, to="packed", actor=None)

    with pytest.raises(InvalidOrder, match="tracking number"):
        fulfilment_transition(fulfilment=parcel, to="shipped", actor=None, tracking_number="  ")

    assert Fulfilment.objects.get(pk=parcel.pk).status == "packed"


def test_parcels_of_an_unpaid_online_order_cannot_be_packed(shop):
    order = place(shop, {shop.grapes: 1}, payment="online")

    with pytest.raises(IllegalTransition):
        fulfilment_transition(fulfilment=order.fulfilments.get(), to="packed", actor=None)


def test_staff_refund_a_completed_order_without_returning_stock(shop):
    staff = UserFactory(is_staff=True)
    order = place(shop, {shop.grapes: 1})
    parcel = order.fulfilments.get()
    for to in ("packed", "shipped", "delivered"):
        fulfilment_transition(fulfilment=parcel, to=to, actor=None)

    order_refund(order=order, actor=staff, note="Bruised on arrival")

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert order.events.last().actor == staff
    assert stock(shop.grapes) == 9
    with pytest.raises(IllegalTransition):
        order_refund(order=order, actor=staff)


# Query budget


def test_placing_an_order_runs_the_same_queries_for_1_line_as_for_10(shop):
    """An order and all it holds are inserted in one statement, and the stock of any basket is locked and taken
    in one more, so the count does not grow with lines."""
    producer = shop.grapes.product.producer
    variants = [VariantFactory(product__producer=producer, stock=5) for _ in range(10)]

    with CaptureQueriesContext(connection) as one:
        place(shop, {variants[0]: 1})
    with CaptureQueriesContext(connection) as ten:
        place(shop, dict.fromkeys(variants, 1))

    # Variants, depot, savepoint, the order with its parcels, lines, payment, event and outbox message, the
    # stock taken, release.
    assert len(one.captured_queries) == len(ten.captured_queries) == 6


def test_paying_online_is_refused_while_the_simulated_provider_is_off(shop, settings):
    """Production runs without the simulated provider: online payment is refused, nothing is written."""
    settings.SIMULATED_PAYMENTS_ENABLED = False

    with pytest.raises(InvalidOrder, match="not available"):
        place(shop, {shop.grapes: 1}, payment="online")

    assert nothing_written()
    assert stock(shop.grapes) == 10


def test_a_parcel_cannot_be_cancelled_on_its_own(shop):
    """Only the whole order is cancelled (which gives the stock back); a lone parcel would strand it."""
    order = place(shop, {shop.grapes: 1, shop.melon: 1})

    with pytest.raises(IllegalTransition):
        fulfilment_transition(fulfilment=order.fulfilments.first(), to="cancelled", actor=None)
