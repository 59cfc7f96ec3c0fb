"""Orders in the back office: shown in full, corrected only in contact and address, never added or deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.admin import OrderAdmin
from orders.models import Order, OrderLine
from tests.admin_forms import change_form_data
from tests.factories import (
    FulfilmentFactory,
    OrderEventFactory,
    OrderFactory,
    OrderLineFactory,
    PaymentFactory,
    UserFactory,
)


def order_url(order: Order) -> str:
    return reverse("admin:orders_order_change", args=[order.pk])


def shipped_order(**kwargs) -> Order:
    return OrderFactory(
        delivery_method=Order.DeliveryMethod.SHIP,
        pickup_depot=None,
        ship_recipient="Aygül",
        ship_phone="13800138000",
        ship_province="新疆",
        ship_city="吐鲁番",
        ship_street="葡萄沟 1 号",
        **kwargs,
    )


@pytest.mark.django_db
def test_orders_cannot_be_deleted_in_the_admin(admin_client):
    """Even a superuser gets "403 Forbidden" on an order's delete page, and the order stays."""
    order = OrderLineFactory().order

    page = admin_client.get(reverse("admin:orders_order_delete", args=[order.pk]))
    posted = admin_client.post(reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"})
    listing = admin_client.get(reverse("admin:orders_order_changelist"))

    assert page.status_code == 403
    assert posted.status_code == 403
    assert "delete_selected" not in listing.content.decode()
    assert Order.objects.filter(pk=order.pk).exists()
    assert OrderLine.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_orders_cannot_be_added_in_the_admin(admin_client):
    """Orders come from checkout only: the admin's add page answers "403 Forbidden" and creates nothing."""
    add_url = reverse("admin:orders_order_add")

    page = admin_client.get(add_url)
    posted = admin_client.post(add_url, {"contact_name": "Forged", "contact_phone": "13800138000"})

    assert page.status_code == 403
    assert posted.status_code == 403
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_order_page_shows_lines_parcels_payments_and_history_read_only(admin_client):
    """The order page shows what was bought, each parcel, each payment and every status change, none editable."""
    fulfilment = FulfilmentFactory(tracking_number="SF1234567890", carrier="SF Express")
    order = fulfilment.order
    OrderLineFactory(fulfilment=fulfilment, product_name="吐鲁番无核白葡萄", quantity=2, line_total="118.00")
    PaymentFactory(order=order, provider_reference="PAY-REF-42")
    OrderEventFactory(order=order, actor=UserFactory(username="depot-keeper"), note="Received at depot")

    response = admin_client.get(order_url(order))

    body = response.content.decode()
    assert response.status_code == 200
    for shown in ("吐鲁番无核白葡萄", "SF1234567890", "PAY-REF-42", "depot-keeper", "Received at depot"):
        assert shown in body
    assert 'name="lines-0-quantity"' not in body
    assert 'name="status"' not in body
    assert 'name="total"' not in body


@pytest.mark.django_db
def test_staff_correct_the_delivery_address_but_not_the_status_or_totals(admin_client):
    """Saving the order page changes the street; a posted status or total is ignored."""
    order = shipped_order()
    OrderLineFactory(fulfilment__order=order)
    data = change_form_data(admin_client.get(order_url(order)))
    data.update({"ship_street": "葡萄沟 2 号", "status": Order.Status.REFUNDED, "total": "0.00"})

    response = admin_client.post(order_url(order), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    order.refresh_from_db()
    assert order.ship_street == "葡萄沟 2 号"
    assert order.status == Order.Status.CONFIRMED
    assert str(order.total) == "59.00"


@pytest.mark.django_db
def test_saving_the_order_page_does_not_undo_a_payment_recorded_meanwhile(admin_client, monkeypatch):
    """Staff fix a phone number while the payment provider marks the order paid: the order stays paid."""
    order = shipped_order(status=Order.Status.AWAITING_PAYMENT, payment_method=Order.PaymentMethod.ONLINE)
    data = change_form_data(admin_client.get(order_url(order)))
    data["contact_phone"] = "13900009999"
    save_form = OrderAdmin.save_form

    def paid_meanwhile(self, request, form, change):
        Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
        return save_form(self, request, form, change)

    monkeypatch.setattr(OrderAdmin, "save_form", paid_meanwhile)

    response = admin_client.post(order_url(order), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    order.refresh_from_db()
    assert (order.contact_phone, order.status) == ("13900009999", Order.Status.PAID)


@pytest.mark.django_db
def test_blanking_a_shipping_address_is_a_form_error_not_a_crash(admin_client):
    """An order shipped to an address keeps a street: clearing it shows a message and saves nothing."""
    order = shipped_order()
    data = change_form_data(admin_client.get(order_url(order)))
    data["ship_street"] = ""
    data["contact_name"] = "Changed"

    response = admin_client.post(order_url(order), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "needs the recipient" in response.content.decode()
    order.refresh_from_db()
    assert (order.ship_street, order.contact_name) == ("葡萄沟 1 号", "Ayşe")


@pytest.mark.django_db
def test_order_list_finds_an_order_by_its_number_and_by_phone(admin_client):
    """Staff find an order by its public number or the contact's phone."""
    wanted = OrderFactory(contact_phone="13511112222")
    OrderFactory()
    changelist = reverse("admin:orders_order_changelist")

    by_number = admin_client.get(changelist, {"q": wanted.number}).context["cl"].result_list
    by_phone = admin_client.get(changelist, {"q": "13511112222"}).context["cl"].result_list

    assert list(by_number) == [wanted]
    assert list(by_phone) == [wanted]


@pytest.mark.django_db
def test_payments_are_shown_but_not_edited(admin_client):
    """A payment's page opens read-only: no field to change the amount or status, no delete."""
    payment = PaymentFactory(provider_reference="PAY-REF-7")

    page = admin_client.get(reverse("admin:orders_payment_change", args=[payment.pk]))
    delete = admin_client.get(reverse("admin:orders_payment_delete", args=[payment.pk]))

    assert page.status_code == 200
    assert "PAY-REF-7" in page.content.decode()
    assert 'name="amount"' not in page.content.decode()
    assert delete.status_code == 403
