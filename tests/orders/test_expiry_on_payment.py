"""An unpaid order past its time is never paid, even before the every-minute job has expired it."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from catalog.models import Variant
from orders import payments
from orders.models import Order, OrderEvent, Payment
from tests.factories import UserFactory
from tests.orders.conftest import place

EN = {"accept-language": "en"}
EXPIRED_MESSAGE = "because it was not paid in time; its items were released. Order again."


def overdue_order(shop, **kwargs) -> tuple[Order, Payment]:
    order = place(shop, {shop.grapes: 4}, payment="online", **kwargs)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return order, Payment.objects.get(order=order, status=Payment.Status.PENDING)


def test_the_payment_page_of_an_order_past_its_time_expires_it_and_offers_no_payment(client, shop):
    """Opening the payment page after the deadline, before the job ran: the order expires there and then, its stock
    comes back, and the page says why with a link back to the order instead of the payment buttons."""
    order, payment = overdue_order(shop)
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 6

    response = client.get(reverse("payment-page", kwargs={"reference": payment.provider_reference}), headers=EN)

    body = response.content.decode()
    assert response.status_code == 200
    assert EXPIRED_MESSAGE in body
    assert "Confirm payment" not in body
    assert "Back to the order" in body
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


def test_confirming_the_payment_of_an_order_past_its_time_is_refused_and_pays_nothing(client, shop):
    """ "Confirm payment" after the deadline: 409 with the reason; the order expires, no payment succeeds."""
    order, payment = overdue_order(shop)

    response = client.post(
        reverse("payment-page", kwargs={"reference": payment.provider_reference}), {"result": "succeeded"}, headers=EN
    )

    assert response.status_code == 409
    assert EXPIRED_MESSAGE in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELLED
    assert not OrderEvent.objects.filter(order=order, to_status=Order.Status.PAID).exists()
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


def test_a_provider_notification_for_an_order_past_its_time_expires_it_and_refunds_the_money(client, shop):
    """Money a provider reports after the deadline, before the job ran, is refunded: the order expires, unpaid."""
    order, payment = overdue_order(shop)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )

    response = client.post(
        reverse("payment-webhook", kwargs={"provider": "simulated"}),
        data=body,
        content_type="application/json",
        headers={payments.SIGNATURE_HEADER: payments.sign(body)},
    )

    assert response.json() == {"status": "refunded"}
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


def test_the_order_page_of_an_order_past_its_time_shows_it_expired_without_a_pay_button(client, shop):
    shopper = UserFactory(username="aygul")
    order, payment = overdue_order(shop, shopper=shopper)
    client.force_login(shopper)

    body = client.get(reverse("order-detail", kwargs={"number": order.number}), headers=EN).content.decode()

    assert "now</a>" not in body
    assert reverse("payment-page", kwargs={"reference": payment.provider_reference}) not in body
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


def test_an_order_still_in_time_is_paid_as_before(client, shop):
    order = place(shop, {shop.grapes: 1}, payment="online")
    payment = Payment.objects.get(order=order, status=Payment.Status.PENDING)

    client.post(reverse("payment-page", kwargs={"reference": payment.provider_reference}), {"result": "succeeded"})

    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
