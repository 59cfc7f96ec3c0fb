"""Pre-sales: a size sold before it is picked, up to the expected quantity, ordered on its own and paid now; when
the harvest is entered its orders are filled in the order they were placed and those it does not cover are
cancelled and refunded exactly once, even while new orders arrive, and every shopper is told which."""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from catalog import services as catalog_services
from catalog.models import PreSale, Variant, WaitlistEntry
from catalog.stock import InsufficientStock
from notifications.models import Notice, OutboxMessage
from orders import services
from orders.errors import InvalidOrder, OrderError
from orders.models import Fulfilment, Order, Payment, Refund
from tests.api import snapshot
from tests.factories import UserFactory
from tests.orders.conftest import place, ship
from tests.orders.test_admin_refunds import pay
from tests.orders.test_cart_checkout import EN

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FROM, UNTIL, SHIP_BY = TODAY + timedelta(days=20), TODAY + timedelta(days=25), TODAY + timedelta(days=27)


def opening(variant: Variant, expected: int = 5, actor=None) -> PreSale:
    """The farmer opens a pre-sale of ``variant`` as it stands."""
    return catalog_services.presale_open(
        variant=variant,
        expected_quantity=expected,
        harvest_from=FROM,
        harvest_until=UNTIL,
        ship_by=SHIP_BY,
        actor=actor,
    )


def open_pre_sale(variant: Variant, expected: int = 5, actor=None) -> PreSale:
    """A pre-sale of ``variant`` once it is sold out."""
    Variant.objects.filter(pk=variant.pk).update(stock=0)
    return opening(variant, expected, actor)


def text(response) -> str:
    """A page's words, without its tags."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def paid_order(shop, quantity: int, *, shopper=None) -> Order:
    order = place(shop, {shop.grapes: quantity}, payment="online", delivery=ship(), shopper=shopper)
    pay(order)
    return Order.objects.get(pk=order.pk)


def test_a_pre_sale_sells_up_to_the_expected_quantity_and_ships_by_its_day(shop):
    open_pre_sale(shop.grapes, expected=5)

    first = paid_order(shop, 3)
    second = paid_order(shop, 2)
    with pytest.raises(InsufficientStock):
        place(shop, {shop.grapes: 1}, payment="online", delivery=ship())

    assert stock(shop.grapes) == 0
    assert {o.status for o in (first, second)} == {Order.Status.PAID}
    assert {o.fulfilments.get().ship_by for o in (first, second)} == {SHIP_BY}
    assert first.lines.get().pre_sale.expected_quantity == 5


def test_a_pickup_order_of_a_pre_sale_is_collected_once_it_has_shipped(shop):
    open_pre_sale(shop.grapes)

    order = place(shop, {shop.grapes: 1}, payment="online")

    assert order.pickup_on == SHIP_BY


@pytest.mark.parametrize(
    ("lines", "payment", "errors"),
    [
        (
            "with raisins",
            "online",
            {
                "lines": [
                    "Seedless grapes · 2.5 kg box is sold before its harvest: order it on its own, apart from the "
                    "rest of the basket."
                ]
            },
        ),
        ("alone", "cod", {"payment_method": ["A pre-sale order is paid now, online."]}),
    ],
)
def test_a_pre_sale_order_is_alone_and_paid_now_or_refused_and_nothing_changes(shop, lines, payment, errors):
    open_pre_sale(shop.grapes)
    before = snapshot()
    basket = {shop.grapes: 1, shop.raisins: 1} if lines == "with raisins" else {shop.grapes: 1}

    with pytest.raises(InvalidOrder) as refused:
        place(shop, basket, payment=payment, delivery=ship())

    assert refused.value.errors == errors
    assert snapshot() == before


def test_a_short_harvest_fills_orders_in_placement_order_and_refunds_the_rest_exactly_once(
    shop, django_capture_on_commit_callbacks
):
    pre_sale = open_pre_sale(shop.grapes, expected=6)
    buyers = [UserFactory() for _ in range(4)]
    orders = [paid_order(shop, quantity, shopper=buyer) for quantity, buyer in zip((2, 2, 1, 1), buyers, strict=True)]
    farmer = shop.grapes.product.producer.members.get()

    with django_capture_on_commit_callbacks(execute=True):
        done = services.presale_harvest(pre_sale=pre_sale, quantity=4, actor=farmer)

    statuses = [Order.objects.get(pk=o.pk).status for o in orders]
    assert statuses == [Order.Status.PAID, Order.Status.PAID, Order.Status.CANCELLED, Order.Status.CANCELLED]
    for order in orders[2:]:
        assert list(Refund.objects.filter(order=order).values_list("amount", flat=True)) == [order.total]
        assert order.fulfilments.get().status == Fulfilment.Status.CANCELLED
    assert not Refund.objects.filter(order__in=orders[:2]).exists()
    assert (done.status, done.harvested_quantity, done.orders_filled, done.orders_cut) == ("harvested", 4, 2, 2)
    assert stock(shop.grapes) == 0
    codes = [list(Notice.objects.filter(user=buyer).values_list("code", flat=True)) for buyer in buyers]
    assert codes == [["orders.harvested"], ["orders.harvested"], ["orders.harvest_short"], ["orders.harvest_short"]]
    assert str(orders[3].total) in Notice.objects.get(user=buyers[3]).params["amount"].replace("¥", "")

    # Entered once: a second entry is refused and changes nothing.
    before = snapshot()
    with pytest.raises(OrderError):
        services.presale_harvest(pre_sale=pre_sale, quantity=1, actor=farmer)
    assert snapshot() == before
    assert Refund.objects.filter(order__in=orders).count() == 2


def test_a_bigger_harvest_fills_every_order_and_puts_the_rest_on_sale(shop):
    pre_sale = open_pre_sale(shop.grapes, expected=3)
    orders = [paid_order(shop, 1) for _ in range(2)]

    services.presale_harvest(pre_sale=pre_sale, quantity=10, actor=None)

    assert {Order.objects.get(pk=o.pk).status for o in orders} == {Order.Status.PAID}
    assert stock(shop.grapes) == 8
    assert not PreSale.objects.filter(status=PreSale.Status.OPEN).exists()
    catalog_services.variant_restock(variant=shop.grapes, quantity=2, actor=None)
    assert stock(shop.grapes) == 10


def test_an_unpaid_order_cut_by_the_harvest_is_cancelled_without_a_refund(shop, django_capture_on_commit_callbacks):
    pre_sale = open_pre_sale(shop.grapes, expected=2)
    buyer = UserFactory()
    unpaid = place(shop, {shop.grapes: 2}, payment="online", delivery=ship(), shopper=buyer)

    with django_capture_on_commit_callbacks(execute=True):
        services.presale_harvest(pre_sale=pre_sale, quantity=1, actor=None)

    assert Order.objects.get(pk=unpaid.pk).status == Order.Status.CANCELLED
    assert not Refund.objects.filter(order=unpaid).exists()
    assert list(Notice.objects.filter(user=buyer).values_list("code", flat=True)) == ["orders.harvest_short_unpaid"]
    assert stock(shop.grapes) == 1


def test_a_pre_sale_parcel_is_packed_only_once_its_harvest_is_entered(shop):
    pre_sale = open_pre_sale(shop.grapes)
    parcel = paid_order(shop, 1).fulfilments.get()
    farmer = shop.grapes.product.producer.members.get()

    with pytest.raises(InvalidOrder) as refused:
        services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=farmer)
    assert refused.value.errors == {
        "pre_sale": ["This parcel is a pre-sale order: pack it once the harvest is entered."]
    }

    services.presale_harvest(pre_sale=pre_sale, quantity=5, actor=farmer)
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=farmer)
    assert Fulfilment.objects.get(pk=parcel.pk).status == Fulfilment.Status.PACKED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"expected_quantity": 0}, "expected_quantity", "Expect between 1 and 100000 units."),
        (
            {"harvest_from": TODAY},
            "harvest_from",
            "A pre-sale is for a harvest still to come: start it tomorrow or later.",
        ),
        ({"harvest_until": FROM - timedelta(days=1)}, "harvest_until", "The harvest cannot end before it starts."),
        (
            {"ship_by": UNTIL - timedelta(days=1)},
            "ship_by",
            "Orders ship after the harvest: the ship-by day cannot come before its end.",
        ),
        ({"ship_by": None}, "ship_by", "Enter the day by which every order ships."),
    ],
)
def test_a_pre_sale_with_bad_figures_is_refused_and_nothing_changes(shop, changes, field, message):
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    before = snapshot()
    values = {"expected_quantity": 5, "harvest_from": FROM, "harvest_until": UNTIL, "ship_by": SHIP_BY} | changes

    with pytest.raises(ValidationError) as refused:
        catalog_services.presale_open(variant=shop.grapes, actor=None, **values)

    assert refused.value.message_dict[field] == [message]
    assert snapshot() == before


def test_a_size_in_stock_or_already_on_pre_sale_cannot_open_one_and_its_stock_stays_put(shop):
    with pytest.raises(ValidationError) as in_stock:
        opening(shop.grapes)
    assert in_stock.value.message_dict["variant"] == [
        "This size has 10 units in stock, which ship now: sell them before a pre-sale."
    ]
    open_pre_sale(shop.grapes)
    with pytest.raises(ValidationError) as twice:
        opening(shop.grapes)
    assert twice.value.message_dict["variant"] == ["This size already has an open pre-sale."]
    with pytest.raises(ValidationError) as restocked:
        catalog_services.variant_restock(variant=shop.grapes, quantity=3, actor=None)
    assert "on pre-sale" in restocked.value.message_dict["stock"][0]
    assert stock(shop.grapes) == 5


@pytest.mark.parametrize("quantity", [-1, "3", True, 100_001])
def test_a_bad_harvest_figure_is_refused_and_nothing_changes(shop, quantity):
    pre_sale = open_pre_sale(shop.grapes)
    paid_order(shop, 1)
    before = snapshot()

    with pytest.raises(InvalidOrder):
        services.presale_harvest(pre_sale=pre_sale, quantity=quantity, actor=None)

    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_short_harvest_entered_while_new_orders_arrive_fills_in_placement_order_and_refunds_once(shop):
    """Four paid orders are in; the farmer enters a harvest of three units while six more shoppers order at once.
    The first three orders are filled; every other one is cancelled (refunded once if it was paid) or refused."""
    pre_sale = open_pre_sale(shop.grapes, expected=12)
    earlier = [paid_order(shop, 1) for _ in range(4)]
    start = threading.Barrier(7)
    errors: list[Exception] = []

    def harvest():
        try:
            start.wait()
            services.presale_harvest(pre_sale=pre_sale, quantity=3, actor=None)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def order():
        try:
            start.wait()
            with translation.override("en"):
                placed = place(shop, {shop.grapes: 1}, payment="online", delivery=ship())
            if Order.objects.get(pk=placed.pk).status == Order.Status.AWAITING_PAYMENT:
                pay(placed)  # unless the harvest has already cut it
        except InsufficientStock:
            pass  # after the harvest: sold out
        except InvalidOrder as refused:
            # Placed while the harvest was being entered: refused once it is in, and for no other reason.
            if "has just been entered" not in str(refused.errors):
                errors.append(refused)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=harvest), *(threading.Thread(target=order) for _ in range(6))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    orders = list(Order.objects.filter(lines__variant=shop.grapes).order_by("created_at", "pk"))
    filled = [o for o in orders if o.status == Order.Status.PAID]
    cut = [o for o in orders if o.status == Order.Status.CANCELLED]
    assert len(filled) + len(cut) == len(orders)
    assert [o.pk for o in filled] == [o.pk for o in earlier[:3]]
    for order in cut:
        paid = order.payments.filter(status=Payment.Status.REFUNDED).exists()
        refunds = list(Refund.objects.filter(order=order).values_list("amount", flat=True))
        assert refunds == ([order.total] if paid else [])
    assert earlier[3].pk in {o.pk for o in cut}
    assert list(Refund.objects.filter(order=earlier[3]).values_list("amount", flat=True)) == [earlier[3].total]
    assert stock(shop.grapes) == 0
    # Every order the harvest saw after the first three was cut; those it did not see found no stock left.
    assert PreSale.objects.get(pk=pre_sale.pk).orders_cut == len(cut)


def test_the_producer_opens_a_pre_sale_and_enters_its_harvest_in_the_back_office(shop, client):
    farmer = shop.grapes.product.producer.members.get()
    client.force_login(farmer)
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    url = reverse("dashboard-pre-sales", kwargs={"producer": shop.grapes.product.producer.slug})

    bad = client.post(
        url,
        {
            "new-variant": shop.grapes.pk,
            "new-expected_quantity": "8",
            "new-harvest_from": f"{TODAY:%Y-%m-%d}",
            "new-harvest_until": f"{UNTIL:%Y-%m-%d}",
            "new-ship_by": f"{SHIP_BY:%Y-%m-%d}",
        },
        headers=EN,
    )
    assert bad.status_code == 400
    assert "start it tomorrow or later" in bad.content.decode()
    assert not PreSale.objects.exists()

    opened = client.post(
        url,
        {
            "new-variant": shop.grapes.pk,
            "new-expected_quantity": "8",
            "new-harvest_from": f"{FROM:%Y-%m-%d}",
            "new-harvest_until": f"{UNTIL:%Y-%m-%d}",
            "new-ship_by": f"{SHIP_BY:%Y-%m-%d}",
        },
        headers=EN,
        follow=True,
    )
    assert (
        "The pre-sale of Seedless grapes · 2.5 kg box is open: shoppers can order 8 units." in opened.content.decode()
    )
    pre_sale = PreSale.objects.get()
    assert stock(shop.grapes) == 8
    product_page = client.get(shop.grapes.product.get_absolute_url(), headers=EN).content.decode()
    assert f"Pre-sale: ships from <bdi>{FROM:%Y-%m-%d}</bdi>" in product_page

    paid_order(shop, 3)
    page = text(client.get(url, headers=EN))
    assert "3 of 8 expected units ordered, in 1 order." in page
    harvest_url = reverse(
        "dashboard-pre-sale-harvest", kwargs={"producer": shop.grapes.product.producer.slug, "pk": pre_sale.pk}
    )
    assert client.post(harvest_url, {f"ps{pre_sale.pk}-quantity": "-2"}, headers=EN).status_code == 400
    done = text(client.post(harvest_url, {f"ps{pre_sale.pk}-quantity": "2"}, headers=EN, follow=True))
    assert "Harvest entered: 0 orders are to be packed and shipped, 1 cancelled and refunded." in done
    assert "Harvested 2 of 8 expected units: 0 orders filled, 1 cancelled and refunded." in done
    again = client.post(harvest_url, {f"ps{pre_sale.pk}-quantity": "2"}, headers=EN)
    assert again.status_code == 400


def test_another_producers_pre_sale_is_not_found(shop, client):
    pre_sale = open_pre_sale(shop.melon)
    client.force_login(shop.grapes.product.producer.members.get())
    url = reverse(
        "dashboard-pre-sale-harvest", kwargs={"producer": shop.grapes.product.producer.slug, "pk": pre_sale.pk}
    )

    assert client.post(url, {f"ps{pre_sale.pk}-quantity": "1"}).status_code == 404
    assert PreSale.objects.get(pk=pre_sale.pk).is_open


def test_outbox_holds_one_message_per_shopper_told(shop):
    pre_sale = open_pre_sale(shop.grapes, expected=2)
    paid_order(shop, 1)
    paid_order(shop, 1)
    OutboxMessage.objects.all().delete()

    services.presale_harvest(pre_sale=pre_sale, quantity=1, actor=None)

    events = sorted(m.payload["event"] for m in OutboxMessage.objects.all())
    assert events == ["harvest_short", "harvested"]
    assert Decimal(stock(shop.grapes)) == 0


def test_an_unpaid_order_past_its_time_is_expired_before_the_harvest_is_shared(shop):
    pre_sale = open_pre_sale(shop.grapes, expected=3)
    late = place(shop, {shop.grapes: 2}, payment="online", delivery=ship())
    Order.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    paid = paid_order(shop, 1)

    done = services.presale_harvest(pre_sale=pre_sale, quantity=1, actor=None)

    assert Order.objects.get(pk=late.pk).status == Order.Status.EXPIRED
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID
    assert (done.orders_filled, done.orders_cut) == (1, 0)
    assert stock(shop.grapes) == 0


def test_the_waitlist_waits_for_a_pre_sale_and_gets_what_its_harvest_leaves(shop):
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    waiting = UserFactory()
    entry = catalog_services.waitlist_join(variant=shop.grapes, shopper=waiting, quantity=2)
    pre_sale = opening(shop.grapes, expected=2)
    order = paid_order(shop, 2)
    with pytest.raises(ValidationError) as refused:
        catalog_services.waitlist_join(variant=shop.grapes, shopper=UserFactory())
    assert refused.value.message_dict == {
        "variant": ["This size is sold before its harvest: its pre-sale is sold out."]
    }

    # A pre-sale order cancelled gives its units back to the pre-sale, not to the waitlist.
    services.order_cancel(order=order, actor=None)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WAITING
    assert stock(shop.grapes) == 2

    services.presale_harvest(pre_sale=pre_sale, quantity=3, actor=None)

    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.HELD
    assert stock(shop.grapes) == 1


def test_a_pre_sale_cannot_open_while_units_are_held_for_the_waitlist(shop):
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    catalog_services.waitlist_join(variant=shop.grapes, shopper=UserFactory())
    catalog_services.variant_restock(variant=shop.grapes, quantity=1, actor=None)
    assert stock(shop.grapes) == 0

    with pytest.raises(ValidationError) as refused:
        opening(shop.grapes)

    assert "held for shoppers on its waitlist" in refused.value.message_dict["variant"][0]
    assert not PreSale.objects.exists()
