"""Staff cancel and refund orders in the admin: a confirmation page asking for a reason, then the order services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalog.models import Variant
from orders import payments, selectors
from orders.models import Order, OrderEvent, Payment, Refund
from orders.services import fulfilment_transition, payment_record_result
from tests.factories import LiveSessionFactory, UserFactory
from tests.orders.conftest import place, ship

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:orders_order_changelist"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


READ = ("view_order", "view_orderline", "view_fulfilment", "view_payment", "view_orderevent")


def staff_with(*codenames: str):
    """A staff member who may see orders, their lines, parcels, payments and history, and do ``codenames``."""
    codenames = (*READ, *codenames)
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="orders", codename__in=codenames))
    return user


@pytest.fixture
def staff_client(client):
    client.force_login(staff_with("change_order"))
    return client


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def pay(order: Order) -> None:
    payment = order.payments.get(status=Payment.Status.PENDING)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    payment_record_result(provider="simulated", **vars(notification))


def complete(order: Order) -> Order:
    farmer = UserFactory()
    for parcel in order.fulfilments.all():
        fulfilment_transition(fulfilment=parcel, to="packed", actor=farmer)
        fulfilment_transition(fulfilment=parcel, to="shipped", actor=farmer, tracking_number=f"SF{parcel.pk:010d}")
        fulfilment_transition(fulfilment=parcel, to="delivered", actor=farmer)
    return Order.objects.get(pk=order.pk)


def ask(client, action: str, *orders: Order, **extra):
    """The first step, as the list's action menu or the order page's button sends it."""
    data = {"action": action, "index": 0, "_selected_action": [o.pk for o in orders]}
    return client.post(reverse(CHANGELIST), data, **ENGLISH, **extra)


def confirm(client, action: str, *orders: Order, reason: str):
    data = {"action": action, "_selected_action": [o.pk for o in orders], "reason": reason, "confirm": "yes"}
    return client.post(reverse(CHANGELIST), data, follow=True, **ENGLISH)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_cancel_from_the_list_asks_for_a_reason_then_gives_the_stock_back_once(staff_client, shop):
    order = place(shop, {shop.grapes: 3}, delivery=ship())
    assert stock(shop.grapes) == 7

    page = ask(staff_client, "cancel_orders", order)

    assert page.status_code == 200
    body = page.content.decode()
    assert order.number in body and 'name="reason"' in body and "csrfmiddlewaretoken" in body
    assert Order.objects.get(pk=order.pk).status == "confirmed"  # nothing changes before the confirmation

    blank = staff_client.post(
        reverse(CHANGELIST),
        {"action": "cancel_orders", "_selected_action": [order.pk], "reason": " ", "confirm": "yes"},
        **ENGLISH,
    )
    assert "This field is required." in blank.content.decode()
    assert Order.objects.get(pk=order.pk).status == "confirmed"

    done = confirm(staff_client, "cancel_orders", order, reason="Shopper phoned: ordered twice")

    assert f"Order {order.number} is cancelled." in messages_of(done)
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert stock(shop.grapes) == 10
    event = OrderEvent.objects.filter(order=order).latest("pk")
    assert (event.to_status, event.note) == ("cancelled", "Shopper phoned: ordered twice")

    again = confirm(staff_client, "cancel_orders", order, reason="Clicked twice")

    [message] = messages_of(again)
    assert message.startswith(f"Order {order.number} was not changed:")
    assert stock(shop.grapes) == 10
    assert OrderEvent.objects.filter(order=order, to_status="cancelled").count() == 1


def test_cancel_from_the_order_page_button(staff_client, shop):
    order = place(shop, {shop.melon: 2})
    change_url = reverse("admin:orders_order_change", args=[order.pk])

    page = staff_client.get(change_url, **ENGLISH).content.decode()

    assert 'name="cancel_orders"' in page and "Cancel order" in page
    assert "Refund in full" not in page  # only a completed order is refunded in full
    confirmation = ask(staff_client, "cancel_orders", order)
    assert confirmation.status_code == 200 and "Cancel orders" in confirmation.content.decode()

    done = confirm(staff_client, "cancel_orders", order, reason="Out of melons at the farm")

    assert done.redirect_chain[-1][0] == change_url
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert stock(shop.melon) == 5
    assert 'name="cancel_orders"' not in staff_client.get(change_url).content.decode()


def test_refund_in_full_of_a_paid_order_shows_on_the_shoppers_page(staff_client, client, shop):
    shopper = UserFactory()
    order = place(shop, {shop.raisins: 2}, shopper=shopper, payment="online")
    pay(order)
    order = complete(order)
    assert order.status == "completed"
    order_page = staff_client.get(reverse("admin:orders_order_change", args=[order.pk]), **ENGLISH).content.decode()
    assert "Refund in full" in order_page and 'name="refund_orders"' in order_page

    done = confirm(staff_client, "refund_orders", order, reason="Raisins arrived wet")

    assert f"Order {order.number} is refunded in full." in messages_of(done)
    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert order.payments.get().status == Payment.Status.REFUNDED
    event = OrderEvent.objects.filter(order=order).latest("pk")
    assert (event.to_status, event.note) == ("refunded", "Raisins arrived wet")
    assert stock(shop.raisins) == 48  # delivered goods do not come back

    client.force_login(shopper)
    page = client.get(reverse("order-detail", kwargs={"number": order.number}), **ENGLISH).content.decode()
    assert 'class="refund"' in page
    assert "data-refund-amount" in page and f"{order.total}" in page and "Refunded" in page


def test_refund_of_an_unpaid_order_is_refused_and_changes_nothing(staff_client, shop):
    order = place(shop, {shop.grapes: 1}, payment="online")

    done = confirm(staff_client, "refund_orders", order, reason="Asked for a refund")

    [message] = messages_of(done)
    assert message.startswith(f"Order {order.number} was not changed:")
    assert done.context["messages"]._loaded_messages[0].level_tag == "error"
    order.refresh_from_db()
    assert order.status == "awaiting_payment"
    assert order.payments.get().status == Payment.Status.PENDING
    assert not OrderEvent.objects.filter(order=order, to_status="refunded").exists()


def test_staff_without_the_change_permission_are_refused(client, shop):
    order = place(shop, {shop.grapes: 2})
    client.force_login(staff_with())

    page = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    asked = ask(client, "cancel_orders", order)
    confirmed = client.post(
        reverse(CHANGELIST),
        {"action": "cancel_orders", "_selected_action": [order.pk], "reason": "No", "confirm": "yes"},
    )

    assert 'name="cancel_orders"' not in page
    assert asked.status_code == 403
    assert confirmed.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert stock(shop.grapes) == 8


def test_filters_narrow_the_list_by_producer_depot_live_session_and_payment(staff_client, shop):
    grapes = place(shop, {shop.grapes: 1})
    melon = place(shop, {shop.melon: 1}, delivery=ship(), payment="online")
    session = LiveSessionFactory()
    Order.objects.filter(pk=melon.pk).update(live_session=session)

    def listed(**query) -> set[str]:
        response = staff_client.get(reverse(CHANGELIST), query)
        assert response.status_code == 200
        return {order.number for order in response.context["cl"].result_list}

    vineyard = shop.grapes.product.producer
    assert listed() == {grapes.number, melon.number}
    assert listed(producer=vineyard.pk) == {grapes.number}
    assert listed(producer=shop.melon.product.producer_id) == {melon.number}
    assert listed(depot=shop.depot.pk) == {grapes.number}
    assert listed(live_session__id__exact=session.pk) == {melon.number}
    assert listed(from_live="yes") == {melon.number}
    assert listed(from_live="no") == {grapes.number}
    assert listed(payment_method__exact="online") == {melon.number}
    assert listed(payment_method__exact="cod") == {grapes.number}


def test_statuses_and_history_are_shown_in_chinese(staff_client, shop):
    order = place(shop, {shop.grapes: 1})
    parcel = order.fulfilments.get()
    fulfilment_transition(fulfilment=parcel, to="packed", actor=UserFactory())

    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    listing = staff_client.get(reverse(CHANGELIST), **chinese).content.decode()
    page = staff_client.get(reverse("admin:orders_order_change", args=[order.pk]), **chinese).content.decode()

    assert "已确认（货到付款）" in listing and "已确认（货到付款）" in page
    assert "已打包" in page and "待处理" in page  # the parcel's event: from "new" to "packed"
    for raw in (">confirmed<", ">packed<", ">new<"):
        assert raw not in page


# Refunding one parcel from the order page.


def refund_parcel_url(order: Order, parcel) -> str:
    return reverse("admin:orders_order_refund_parcel", args=[order.pk, parcel.pk])


def paid_two_parcels(shop, shopper=None) -> Order:
    order = place(shop, {shop.grapes: 2, shop.melon: 1}, payment="online", delivery=ship(), shopper=shopper)
    pay(order)
    return Order.objects.get(pk=order.pk)


def test_each_parcel_has_a_refund_button_leading_to_a_form_filled_with_what_is_left(staff_client, shop):
    order = paid_two_parcels(shop)
    grapes = order.fulfilments.get(producer=shop.grapes.product.producer)

    page = staff_client.get(reverse("admin:orders_order_change", args=[order.pk]), **ENGLISH).content.decode()

    assert page.count("Refund a parcel</a>") == 2
    assert refund_parcel_url(order, grapes) in page
    form = staff_client.get(refund_parcel_url(order, grapes), **ENGLISH)
    assert form.status_code == 200
    body = form.content.decode()
    left = selectors.parcel_refundable(grapes)
    assert f'value="{left}"' in body and 'name="reason"' in body
    assert "refunded in full, it is cancelled and its items go back on sale" in body


def test_a_partial_refund_through_the_form_shows_on_the_admin_and_the_shoppers_pages(staff_client, client, shop):
    shopper = UserFactory()
    order = paid_two_parcels(shop, shopper=shopper)
    melon = order.fulfilments.get(producer=shop.melon.product.producer)

    done = staff_client.post(
        refund_parcel_url(order, melon), {"amount": "12.50", "reason": "Melon cracked"}, follow=True, **ENGLISH
    )

    assert done.redirect_chain[-1][0] == reverse("admin:orders_order_change", args=[order.pk])
    assert any("¥12.50 refunded on the parcel from Eli" in m for m in messages_of(done))
    refund = Refund.objects.get(order=order)
    assert (refund.fulfilment, refund.amount, refund.reason) == (melon, Decimal("12.50"), "Melon cracked")
    page = done.content.decode()
    assert "Refunded in all: ¥12.50" in page and "Melon cracked" in page
    assert stock(shop.melon) == 4  # a partial refund gives no stock back

    client.force_login(shopper)
    mine = client.get(reverse("order-detail", kwargs={"number": order.number}), **ENGLISH).content.decode()
    assert 'class="refund"' in mine and "¥12.50" in mine and "Eli" in mine and "Melon cracked" in mine


def test_a_refused_amount_is_shown_on_the_form_and_changes_nothing(staff_client, shop):
    order = paid_two_parcels(shop)
    melon = order.fulfilments.get(producer=shop.melon.product.producer)
    left = selectors.parcel_refundable(melon)

    for amount, error in [
        ("0", "The amount to refund must be more than ¥0.00."),
        ("1.005", "Enter the amount with at most two decimal places (fen)."),
        (str(left + 1), f"At most ¥{left} can still be refunded for this parcel."),
    ]:
        data = {"amount": amount, "reason": "Bruised"}
        response = staff_client.post(refund_parcel_url(order, melon), data, **ENGLISH)
        assert response.status_code == 200
        assert error in response.content.decode()
    empty = staff_client.post(refund_parcel_url(order, melon), {"amount": "5", "reason": " "}, **ENGLISH)
    assert "This field is required." in empty.content.decode()
    assert not Refund.objects.filter(order=order).exists()
    assert stock(shop.melon) == 4


def test_an_unpaid_cash_order_offers_no_refund_and_a_forced_one_is_refused(staff_client, shop):
    order = place(shop, {shop.melon: 1})
    parcel = order.fulfilments.get()

    page = staff_client.get(reverse("admin:orders_order_change", args=[order.pk]), **ENGLISH).content.decode()
    forced = staff_client.post(refund_parcel_url(order, parcel), {"amount": "5", "reason": "Asked"}, **ENGLISH)

    assert "Refund a parcel</a>" not in page
    assert forced.status_code == 200
    assert "nothing has been collected yet" in forced.content.decode()
    assert not Refund.objects.filter(order=order).exists()


def test_a_parcel_of_another_order_is_not_found(staff_client, shop):
    order = paid_two_parcels(shop)
    other = place(shop, {shop.raisins: 1})

    response = staff_client.get(refund_parcel_url(order, other.fulfilments.get()))

    assert response.status_code == 404


def test_staff_without_the_change_permission_cannot_refund_a_parcel(client, shop):
    order = paid_two_parcels(shop)
    melon = order.fulfilments.get(producer=shop.melon.product.producer)
    client.force_login(staff_with())

    page = client.get(reverse("admin:orders_order_change", args=[order.pk]), **ENGLISH).content.decode()
    asked = client.get(refund_parcel_url(order, melon))
    posted = client.post(refund_parcel_url(order, melon), {"amount": "5", "reason": "No"})

    assert "Refund a parcel</a>" not in page and "Parcels and refunds" in page
    assert (asked.status_code, posted.status_code) == (403, 403)
    assert not Refund.objects.filter(order=order).exists()
