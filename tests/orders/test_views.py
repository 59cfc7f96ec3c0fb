"""The order page, the cancel button, the simulated payment page and the payment webhook, over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Variant
from marketplace.templatetags.money import yuan
from orders import payments, services
from orders.errors import PaymentRejected
from orders.models import Fulfilment, Order, OrderEvent, Payment, PaymentWebhookEvent
from tests.factories import UserFactory
from tests.orders.conftest import place, ship

EN = {"accept-language": "en"}


@pytest.fixture
def shopper(db):
    return UserFactory(username="aygul")


@pytest.fixture
def other_shopper(db):
    return UserFactory(username="mallory")


def place_en(shop, lines, **kwargs) -> Order:
    """Place an order in English, so the lines' names are the English ones the pages show."""
    with translation.override("en"):
        return place(shop, lines, **kwargs)


def detail_url(order: Order, token: str | None = None) -> str:
    url = reverse("order-detail", kwargs={"number": order.number})
    return url if token is None else f"{url}?token={token}"


def cancel_url(order: Order) -> str:
    return reverse("order-cancel", kwargs={"number": order.number})


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def status(order: Order) -> str:
    return Order.objects.get(pk=order.pk).status


def pending_payment(order: Order) -> Payment:
    return Payment.objects.get(order=order, status=Payment.Status.PENDING)


def webhook_url(provider: str = services.SIMULATED_PROVIDER) -> str:
    return reverse("payment-webhook", kwargs={"provider": provider})


def post_webhook(client: Client, body: bytes, *, signature: str | None = None, provider: str = "simulated"):
    headers = {} if signature is None else {payments.SIGNATURE_HEADER: signature}
    return client.post(webhook_url(provider), data=body, content_type="application/json", headers=headers)


def success_body(payment: Payment, amount: Decimal | None = None) -> bytes:
    return payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount if amount is None else amount, succeeded=True
    )


def ship_parcel(order: Order) -> None:
    parcel = order.fulfilments.get()
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
    services.fulfilment_transition(
        fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number="SF1234567890"
    )


# The order page


def test_shopper_sees_their_order_with_its_number_and_lines(client, shop, shopper):
    """A signed-in shopper opens their order's page and sees its number, each item and the total."""
    order = place_en(shop, {shop.grapes: 2, shop.melon: 1}, shopper=shopper)
    client.force_login(shopper)

    response = client.get(detail_url(order), headers=EN)

    body = response.content.decode()
    assert response.status_code == 200
    assert order.number in body
    assert "Seedless grapes · 2.5 kg box" in body
    assert "Hami melon · One melon" in body
    assert "¥157.80" in body  # 2 x 59.90 + 38.00, picked up at the depot
    assert "Cancel this order" in body


def test_another_shopper_gets_not_found_for_an_order_that_is_not_theirs(client, shop, shopper, other_shopper):
    """Another signed-in shopper asking for the order's page gets a 404, not a glimpse of the order."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper)
    client.force_login(other_shopper)

    response = client.get(detail_url(order), headers=EN)

    body = response.content.decode()
    assert response.status_code == 404
    # The number is only in the address they asked for (the language switcher's form returns to it).
    assert body.count(order.number) == body.count(f'value="{detail_url(order)}"') == 1
    assert "Seedless grapes" not in body and "Ayşe" not in body


def test_anonymous_visitor_is_asked_to_sign_in_for_a_shoppers_order_and_a_token_does_not_open_it(client, shop, shopper):
    """A shopper's order is only for the signed-in shopper: signed out, its page asks to sign in and comes back;
    a token does not open it (404)."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper)

    response = client.get(detail_url(order))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={detail_url(order)}"
    assert client.get(detail_url(order, token=order.guest_token)).status_code == 404


def test_guest_order_opens_only_through_its_secret_link(client, shop, shopper):
    """A guest's order page opens with ``?token=<secret>``; with a wrong one, it is a 404; signed out without
    one, the page asks to sign in as for any order (it tells nothing of whose the order is)."""
    order = place_en(shop, {shop.raisins: 3}, shopper=None)

    with_token = client.get(detail_url(order, token=order.guest_token), headers=EN)
    without = client.get(detail_url(order), headers=EN)
    wrong = client.get(detail_url(order, token=order.guest_token[:-1] + "x"), headers=EN)
    client.force_login(shopper)
    signed_in_without = client.get(detail_url(order), headers=EN)

    assert with_token.status_code == 200
    assert "Raisins · 1 kg bag" in with_token.content.decode()
    assert without.status_code == 302 and without["Location"].startswith(reverse("login") + "?next=")
    assert wrong.status_code == 404
    assert signed_in_without.status_code == 404


def test_unknown_order_number_is_not_found_and_signed_out_asks_to_sign_in_as_for_any_order(client, db):
    """A made-up order number answers 404 to an account, with a way for a guest to find an order; signed out
    it asks to sign in, as an order that exists does, so the answer tells nothing."""
    url = reverse("order-detail", kwargs={"number": "OM000000000000"})
    signed_out = client.get(url)
    client.force_login(UserFactory())
    signed_in = client.get(url, headers=EN)

    assert signed_out.status_code == 302 and signed_out["Location"] == f"{reverse('login')}?next={url}"
    assert signed_in.status_code == 404 and reverse("order-find") in signed_in.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/orders/OM%00/"),
        ("post", "/orders/OM%00/cancel/"),
        ("get", "/payments/simulated/%00/"),
    ],
    ids=["order-page", "cancel", "payment-page"],
)
def test_garbled_number_in_the_url_is_not_found_rather_than_a_server_error(db, method, url):
    """A number with a NUL byte (a scanner, a mangled link) answers 404 like any unknown number, never a 500."""
    response = getattr(Client(raise_request_exception=False), method)(url)

    assert response.status_code == 404


def test_unpaid_online_order_page_offers_to_pay(client, shop, shopper):
    """An online order waiting for payment shows a "Pay ¥… now" link to its payment page."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    client.force_login(shopper)

    body = client.get(detail_url(order), headers=EN).content.decode()

    assert "Pay ¥59.90 now" in body
    assert reverse("payment-page", kwargs={"reference": pending_payment(order).provider_reference}) in body


# The cancel button


def test_shopper_cancels_their_order_and_the_stock_comes_back(client, shop, shopper):
    """Pressing "Cancel this order" cancels it, says so, and puts its units back on the shelf."""
    order = place_en(shop, {shop.grapes: 3, shop.melon: 2}, shopper=shopper)
    client.force_login(shopper)
    assert (stock(shop.grapes), stock(shop.melon)) == (7, 3)

    response = client.post(cancel_url(order), headers=EN, follow=True)

    assert response.redirect_chain == [(detail_url(order), 302)]
    assert "Your order is cancelled." in response.content.decode()
    assert "Cancel this order" not in response.content.decode()
    assert status(order) == Order.Status.CANCELLED
    assert (stock(shop.grapes), stock(shop.melon)) == (10, 5)


def test_cancelling_twice_gives_the_stock_back_only_once(client, shop, shopper):
    """A second press of the cancel button (a double submit) shows an error and returns no extra units."""
    order = place_en(shop, {shop.grapes: 3}, shopper=shopper)
    client.force_login(shopper)

    client.post(cancel_url(order))
    second = client.post(cancel_url(order), headers=EN, follow=True)

    assert "cannot become" in second.content.decode()
    assert status(order) == Order.Status.CANCELLED
    assert stock(shop.grapes) == 10


def test_guest_cancels_through_the_secret_link(client, shop):
    """A guest's cancel form carries the token: with it the order is cancelled, without it the answer is 404."""
    order = place_en(shop, {shop.raisins: 4}, shopper=None)

    refused = client.post(cancel_url(order))
    assert refused.status_code == 404
    assert status(order) == Order.Status.CONFIRMED

    response = client.post(cancel_url(order), {"token": order.guest_token})

    assert response.status_code == 302
    assert response["Location"] == detail_url(order, token=order.guest_token)
    assert status(order) == Order.Status.CANCELLED
    assert stock(shop.raisins) == 50


def test_another_shopper_cannot_cancel_an_order_and_nothing_changes(client, shop, shopper, other_shopper):
    """A POST to the cancel URL by someone else (signed in or not) gets 404; status, stock and history stay."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    events = OrderEvent.objects.filter(order=order).count()

    anonymous = client.post(cancel_url(order))
    client.force_login(other_shopper)
    stranger = client.post(cancel_url(order), {"token": order.guest_token})

    assert anonymous.status_code == 404
    assert stranger.status_code == 404
    assert status(order) == Order.Status.CONFIRMED
    assert stock(shop.grapes) == 8
    assert OrderEvent.objects.filter(order=order).count() == events


def money(amount: Decimal) -> str:
    """An amount as the English pages write it."""
    with translation.override("en"):
        return yuan(amount)


def cancel_page_url(order: Order, token: str | None = None) -> str:
    url = cancel_url(order)
    return url if token is None else f"{url}?token={token}"


def pay(order: Order) -> Payment:
    """Record the online payment of ``order`` as the provider's notification would."""
    payment = pending_payment(order)
    return services.payment_record_result(
        provider=services.SIMULATED_PROVIDER,
        event_id=f"evt-{payment.pk}",
        reference=payment.provider_reference,
        succeeded=True,
        amount=payment.amount,
    )


def test_order_page_cancel_button_leads_to_the_confirmation(client, shop, shopper):
    """The order page's "Cancel this order" is a link to the confirmation page, not a form that cancels at once."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    client.force_login(shopper)

    page = client.get(detail_url(order), headers=EN).content.decode()

    assert f'href="{cancel_url(order)}"' in page
    assert f'action="{cancel_url(order)}"' not in page


def test_cancel_confirmation_shows_what_happens_and_changes_nothing(client, shop, shopper):
    """GET on the cancel URL lists the items that go back on sale, says nothing was charged, and cancels nothing."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    client.force_login(shopper)
    events = OrderEvent.objects.filter(order=order).count()

    response = client.get(cancel_url(order), headers=EN)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Cancel order {order.number}?" in page
    assert order.lines.get().product_name in page
    assert "these items go back on sale" in page
    assert "You pay on delivery, so nothing has been charged." in page
    assert f'action="{cancel_url(order)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert status(order) == Order.Status.CONFIRMED
    assert stock(shop.grapes) == 8
    assert OrderEvent.objects.filter(order=order).count() == events


def test_cancel_confirmation_of_a_paid_order_shows_the_refund_amount(client, shop, shopper):
    """For an order paid online the confirmation says how much is refunded and where it goes; GET refunds nothing."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pay(order)
    client.force_login(shopper)

    page = client.get(cancel_url(order), headers=EN).content.decode()

    paid = money(order.total)
    assert f"You paid {paid} online: it is refunded to the account you paid from." in page
    assert status(order) == Order.Status.PAID
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED


def test_cancel_confirmation_of_an_unpaid_online_order_says_nothing_is_charged(client, shop, shopper):
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    client.force_login(shopper)

    page = client.get(cancel_url(order), headers=EN).content.decode()

    assert "You have not paid for this order, so nothing is charged." in page
    assert "refunded to the account" not in page


def test_keep_my_order_goes_back_to_the_order_page(client, shop, shopper):
    """ "Keep my order" links back to the order page (with the guest's link for a guest) and cancels nothing."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper)
    guest_order = place_en(shop, {shop.raisins: 1}, shopper=None)
    client.force_login(shopper)

    page = client.get(cancel_url(order), headers=EN).content.decode()
    guest_page = Client().get(cancel_page_url(guest_order, guest_order.guest_token), headers=EN).content.decode()

    assert f'href="{detail_url(order)}">Keep my order</a>' in page
    assert f'href="{detail_url(guest_order, guest_order.guest_token)}">Keep my order</a>' in guest_page
    assert status(order) == Order.Status.CONFIRMED
    assert status(guest_order) == Order.Status.CONFIRMED


def test_guest_opens_the_confirmation_only_with_the_secret_link(client, shop):
    """A guest's confirmation opens with its token, and its form carries the token on to the POST."""
    order = place_en(shop, {shop.raisins: 4}, shopper=None)

    refused = client.get(cancel_url(order))
    wrong = client.get(cancel_page_url(order, "not-the-link"))
    page = client.get(cancel_page_url(order, order.guest_token), headers=EN)

    assert refused.status_code == 404
    assert wrong.status_code == 404
    assert page.status_code == 200
    assert f'name="token" value="{order.guest_token}"' in page.content.decode()
    assert status(order) == Order.Status.CONFIRMED


def test_another_shopper_gets_not_found_for_the_confirmation(client, shop, shopper, other_shopper):
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)

    anonymous = client.get(cancel_url(order))
    client.force_login(other_shopper)
    stranger = client.get(cancel_page_url(order, order.guest_token))

    assert anonymous.status_code == 404
    assert stranger.status_code == 404
    assert status(order) == Order.Status.CONFIRMED


def test_confirmation_of_a_shipped_order_goes_back_with_the_reason(client, shop, shopper):
    """Once a parcel has shipped the confirmation is not offered: the order page says why."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, delivery=ship())
    ship_parcel(order)
    client.force_login(shopper)

    response = client.get(cancel_url(order), headers=EN, follow=True)

    assert response.redirect_chain == [(detail_url(order), 302)]
    assert "already shipped, so it can no longer be cancelled" in response.content.decode()
    assert status(order) == Order.Status.CONFIRMED


def test_confirmation_of_a_cancelled_order_goes_back_with_the_reason(client, shop, shopper):
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    services.order_cancel(order=order, actor=shopper)
    client.force_login(shopper)

    response = client.get(cancel_url(order), headers=EN, follow=True)

    assert response.redirect_chain == [(detail_url(order), 302)]
    assert "This order can no longer be cancelled." in response.content.decode()


def test_cancelled_paid_order_page_shows_the_refund(client, shop, shopper):
    """Cancelling a paid order refunds its payment; the order page shows the amount, the state and the date."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pay(order)
    client.force_login(shopper)

    response = client.post(cancel_url(order), headers=EN, follow=True)

    page = response.content.decode()
    refunded = Payment.objects.get(pk=payment.pk)
    assert status(order) == Order.Status.CANCELLED
    assert refunded.status == Payment.Status.REFUNDED
    assert '<h2 id="refund-heading">Refund</h2>' in page
    assert f"<dd data-refund-amount>{money(order.total)}</dd>" in page
    assert '<dd class="refund-status status-refunded">Refunded</dd>' in page
    assert f'<time datetime="{refunded.updated_at.astimezone(timezone.get_current_timezone()).isoformat()}"' in page


def test_cancelled_unpaid_order_page_has_no_refund(client, shop, shopper):
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    client.force_login(shopper)

    page = client.post(cancel_url(order), headers=EN, follow=True).content.decode()

    assert status(order) == Order.Status.CANCELLED
    assert "refund-heading" not in page


def test_refunded_cash_on_delivery_order_page_says_the_cash_is_refunded(client, shop, shopper):
    """A staff refund of a delivered cash-on-delivery order shows the refund without speaking of an online payment."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, delivery=ship())
    ship_parcel(order)
    services.fulfilment_transition(fulfilment=order.fulfilments.get(), to=Fulfilment.Status.DELIVERED, actor=None)
    services.order_refund(order=order, actor=None)
    client.force_login(shopper)

    page = client.get(detail_url(order), headers=EN).content.decode()

    assert status(order) == Order.Status.REFUNDED
    assert f"{money(order.total)} you paid on delivery is refunded to you." in page
    assert "you paid online" not in page


def test_guest_sees_the_refund_of_their_cancelled_paid_order(client, shop):
    order = place_en(shop, {shop.raisins: 1}, shopper=None, payment="online")
    pay(order)

    response = client.post(cancel_url(order), {"token": order.guest_token}, headers=EN, follow=True)

    assert response.redirect_chain == [(detail_url(order, order.guest_token), 302)]
    assert f"<dd data-refund-amount>{money(order.total)}</dd>" in response.content.decode()


def test_cancel_without_csrf_token_is_refused(shop, shopper):
    """A cross-site form posting to the cancel URL gets 403 and changes nothing; the page's own form works."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    client = Client(enforce_csrf_checks=True)
    client.force_login(shopper)

    forged = client.post(cancel_url(order))

    assert forged.status_code == 403
    assert status(order) == Order.Status.CONFIRMED
    assert stock(shop.grapes) == 8

    page = client.get(detail_url(order))
    token = page.context["csrf_token"]
    genuine = client.post(cancel_url(order), {"csrfmiddlewaretoken": str(token)})

    assert genuine.status_code == 302
    assert status(order) == Order.Status.CANCELLED


def test_confirmation_form_carries_its_csrf_token(shop, shopper):
    """With CSRF checks on, the confirmation page's own form cancels; a POST without its token is refused."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper)
    client = Client(enforce_csrf_checks=True)
    client.force_login(shopper)

    page = client.get(cancel_url(order))
    forged = client.post(cancel_url(order))
    assert forged.status_code == 403
    assert status(order) == Order.Status.CONFIRMED

    genuine = client.post(cancel_url(order), {"csrfmiddlewaretoken": str(page.context["csrf_token"])})

    assert genuine.status_code == 302
    assert status(order) == Order.Status.CANCELLED


def test_cancelling_a_shipped_order_shows_an_error_and_changes_nothing(client, shop, shopper):
    """Once a parcel has shipped the cancel button is gone, and a POST anyway shows why and changes nothing."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, delivery=ship())
    ship_parcel(order)
    client.force_login(shopper)

    page = client.get(detail_url(order), headers=EN)
    response = client.post(cancel_url(order), headers=EN, follow=True)

    assert "Cancel this order" not in page.content.decode()
    assert response.status_code == 200
    assert "already shipped, so it can no longer be cancelled" in response.content.decode()
    assert status(order) == Order.Status.CONFIRMED
    assert Fulfilment.objects.get(order=order).status == Fulfilment.Status.SHIPPED
    assert stock(shop.grapes) == 8


# The simulated payment page


def test_payment_page_confirms_the_payment(client, shop, shopper):
    """On the simulated provider's page "Confirm payment" marks the order paid and sends the shopper back to it."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    url = reverse("payment-page", kwargs={"reference": payment.provider_reference})
    client.force_login(shopper)

    page = client.get(url, headers=EN)
    response = client.post(url, {"result": "succeeded"}, headers=EN, follow=True)

    assert page.status_code == 200
    assert "Confirm payment" in page.content.decode()
    assert response.redirect_chain == [(detail_url(order), 302)]
    assert "Payment received. Thank you!" in response.content.decode()
    assert status(order) == Order.Status.PAID
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert stock(shop.grapes) == 9


def test_paying_twice_on_the_payment_page_changes_nothing_the_second_time(client, shop, shopper):
    """A second "Confirm payment" (back button, double tap) leaves one succeeded payment and one paid event."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    url = reverse("payment-page", kwargs={"reference": pending_payment(order).provider_reference})

    client.post(url, {"result": "succeeded"})
    again = client.post(url, {"result": "succeeded"}, headers=EN)

    assert again.status_code == 200
    assert "Confirm payment" not in again.content.decode()
    assert status(order) == Order.Status.PAID
    assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=Order.Status.PAID).count() == 1


def test_failed_payment_opens_a_new_one_and_the_order_still_awaits_payment(client, shop, shopper):
    """ "Fail the payment" marks that attempt failed, keeps the order waiting, and the order page offers a new try."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    first = pending_payment(order)
    client.force_login(shopper)

    response = client.post(
        reverse("payment-page", kwargs={"reference": first.provider_reference}),
        {"result": "failed"},
        headers=EN,
        follow=True,
    )

    retry = pending_payment(order)
    body = response.content.decode()
    assert "The payment failed. You can try again before the order expires." in body
    assert Payment.objects.get(pk=first.pk).status == Payment.Status.FAILED
    assert retry.pk != first.pk
    assert retry.amount == order.total
    assert reverse("payment-page", kwargs={"reference": retry.provider_reference}) in body
    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert stock(shop.grapes) == 9


def test_payment_page_for_an_unknown_reference_is_not_found(client, db):
    """A made-up payment reference answers 404."""
    assert client.get(reverse("payment-page", kwargs={"reference": "0" * 32})).status_code == 404


# The payment webhook


def test_webhook_marks_the_order_paid_once_for_a_correctly_signed_notification(client, shop, shopper):
    """A correctly signed success notification answers 200 and marks the order paid, with one event recorded."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = success_body(payment)

    response = post_webhook(client, body, signature=payments.sign(body))

    assert response.status_code == 200
    assert response.json() == {"status": "succeeded"}
    assert status(order) == Order.Status.PAID
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    assert PaymentWebhookEvent.objects.filter(payment=payment).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=Order.Status.PAID).count() == 1


def test_webhook_needs_no_csrf_token(shop, shopper):
    """The provider posts from its own servers: the webhook works with CSRF checks enforced."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    body = success_body(pending_payment(order))

    response = post_webhook(Client(enforce_csrf_checks=True), body, signature=payments.sign(body))

    assert response.status_code == 200
    assert status(order) == Order.Status.PAID


def test_webhook_replay_is_acknowledged_and_ignored(client, shop, shopper):
    """The provider resending the same notification gets 200, and no second event or status change happens."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    body = success_body(pending_payment(order))
    post_webhook(client, body, signature=payments.sign(body))
    events = OrderEvent.objects.filter(order=order).count()

    replay = post_webhook(client, body, signature=payments.sign(body))

    assert replay.status_code == 200
    assert replay.json() == {"status": "succeeded"}
    assert PaymentWebhookEvent.objects.count() == 1
    assert OrderEvent.objects.filter(order=order).count() == events
    assert status(order) == Order.Status.PAID


@pytest.mark.parametrize(
    "signature",
    [None, "", "0" * 64, "not-hex", "signed-with-another-secret"],
    ids=["missing", "empty", "zeros", "garbage", "other-secret"],
)
def test_webhook_with_a_wrong_signature_is_rejected_and_changes_nothing(client, shop, shopper, signature):
    """A notification that is not signed with our secret gets 400 ``payment_rejected`` and the order stays unpaid."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = success_body(payment)
    if signature == "signed-with-another-secret":
        signature = hmac.new(b"another-secret", body, hashlib.sha256).hexdigest()

    response = post_webhook(client, body, signature=signature)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "payment_rejected"
    assert response.json()["detail"]
    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert not PaymentWebhookEvent.objects.exists()


def test_webhook_signature_covers_the_body(client, shop, shopper):
    """A signature copied from one notification does not validate another body (e.g. a changed amount)."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    genuine = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=False
    )
    tampered = genuine.replace(b'"failed"', b'"succeeded"')

    response = post_webhook(client, tampered, signature=payments.sign(genuine))

    assert response.status_code == 400
    assert status(order) == Order.Status.AWAITING_PAYMENT


def _malformed_bodies(reference: str, amount: str) -> dict[str, bytes]:
    good = {"id": "evt-1", "reference": reference, "result": "succeeded", "amount": amount}
    return {
        "not-json": b"this is not json",
        "invalid-utf8": b"\xff\xfe\x00",
        "a-list": b"[]",
        "a-string": b'"hello"',
        "empty": b"",
        "no-id": json.dumps({k: v for k, v in good.items() if k != "id"}).encode(),
        "no-reference": json.dumps({k: v for k, v in good.items() if k != "reference"}).encode(),
        "blank-id": json.dumps({**good, "id": ""}).encode(),
        "unknown-result": json.dumps({**good, "result": "maybe"}).encode(),
        "result-a-list": json.dumps({**good, "result": ["succeeded"]}).encode(),
        "amount-not-a-number": json.dumps({**good, "amount": "lots"}).encode(),
        "amount-nan": json.dumps({**good, "amount": "NaN"}).encode(),
        "unknown-reference": json.dumps({**good, "reference": "no-such-payment"}).encode(),
        "reference-with-nul": json.dumps({**good, "reference": reference + "\x00"}).encode(),
        "event-id-with-nul": json.dumps({**good, "id": "evt\x00"}).encode(),
    }


@pytest.mark.parametrize("case", list(_malformed_bodies("r", "1")))
def test_webhook_with_a_malformed_body_is_rejected_even_when_signed(shop, shopper, case):
    """A correctly signed body that cannot be read (or names no payment of ours) gets 400 and changes nothing."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = _malformed_bodies(payment.provider_reference, str(payment.amount))[case]

    response = post_webhook(Client(raise_request_exception=False), body, signature=payments.sign(body))

    assert response.status_code == 400
    assert response.json()["code"] == "payment_rejected"
    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert not PaymentWebhookEvent.objects.exists()


def test_webhook_with_a_different_amount_is_rejected_and_changes_nothing(client, shop, shopper):
    """A signed success for a different amount than the payment's gets 400 and the order stays unpaid."""
    order = place_en(shop, {shop.grapes: 2}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = success_body(payment, amount=payment.amount - Decimal("0.01"))

    response = post_webhook(client, body, signature=payments.sign(body))

    assert response.status_code == 400
    assert response.json()["code"] == "payment_rejected"
    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert not PaymentWebhookEvent.objects.exists()


def test_webhook_refuses_get(client, db):
    """Opening the webhook URL in a browser (GET) is refused with 405."""
    assert client.get(webhook_url()).status_code == 405


def test_webhook_of_an_unknown_provider_is_not_found(client, shop, shopper):
    """A notification to a provider we do not have answers 404 JSON, even if signed, and changes nothing."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    body = success_body(pending_payment(order))

    response = post_webhook(client, body, signature=payments.sign(body), provider="paypal")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert status(order) == Order.Status.AWAITING_PAYMENT


def test_payment_arriving_after_expiry_is_refunded_and_takes_no_stock(client, shop, shopper):
    """A success for an order that expired meanwhile is accepted (200) but refunded; the order stays expired."""
    order = place_en(shop, {shop.grapes: 4}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)
    assert services.orders_expire_unpaid() == 1
    assert stock(shop.grapes) == 10
    body = success_body(payment)

    response = post_webhook(client, body, signature=payments.sign(body))

    assert response.status_code == 200
    assert response.json() == {"status": "refunded"}
    assert status(order) == Order.Status.EXPIRED
    assert stock(shop.grapes) == 10


def test_after_a_failure_notified_by_webhook_the_order_page_still_offers_to_pay(client, shop, shopper):
    """When the provider's webhook reports a failed payment, the shopper can still pay the waiting order."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=False
    )
    assert post_webhook(client, body, signature=payments.sign(body)).status_code == 200
    client.force_login(shopper)

    page = client.get(detail_url(order), headers=EN)

    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert "Pay ¥59.90 now" in page.content.decode()


def test_the_simulated_payment_page_is_gone_when_the_provider_is_off(client, shop, shopper, settings):
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    url = reverse("payment-page", kwargs={"reference": pending_payment(order).provider_reference})
    settings.SIMULATED_PAYMENTS_ENABLED = False

    assert client.get(url).status_code == 404
    assert client.post(url, {"result": "succeeded"}).status_code == 404
    assert status(order) == Order.Status.AWAITING_PAYMENT


@pytest.mark.parametrize("amount", ["sNaN", "NaN", "-Infinity", "1E+999999", "12.345", "10000000000.00", True])
def test_a_signed_notification_whose_amount_is_not_money_is_refused_and_changes_nothing(client, shop, shopper, amount):
    """A correctly signed body whose amount is not a sum of money answers 400, never a server error."""
    order = place_en(shop, {shop.grapes: 1}, shopper=shopper, payment="online")
    payment = pending_payment(order)
    body = json.dumps(
        {"id": "evt-odd-amount", "reference": payment.provider_reference, "result": "succeeded", "amount": amount}
    ).encode()

    response = post_webhook(client, body, signature=payments.sign(body))

    assert response.status_code == 400
    assert response.json()["code"] == PaymentRejected.code
    assert status(order) == Order.Status.AWAITING_PAYMENT
    assert pending_payment(order).pk == payment.pk
