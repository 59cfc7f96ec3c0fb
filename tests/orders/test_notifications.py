"""Order emails: who gets which, in which language, and only after the order is committed."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from catalog.models import Variant
from marketplace.templatetags.money import yuan
from notifications.models import OutboxMessage
from orders import payments, services
from orders.errors import InsufficientStock, InvalidOrder
from orders.models import Fulfilment, Order, Payment
from tests.factories import UserFactory
from tests.orders.conftest import CONTACT, place, ship

SHOPPER = CONTACT.email
VINEYARD = "farmer@example.com"  # Abdukerim's Vineyard: grapes (perishable) and raisins; writes in English
MELON_FARM = "melons@example.com"  # Eli's Melon Farm: melons (perishable); writes in Uyghur
UG_OASIS_MARKET = "بوستان بازىرى"  # "Oasis Market" in locale/ug/LC_MESSAGES/django.po
COLD_CHAIN = "Perishable: send with the cold chain."


def ug(message: str) -> str:
    """The Uyghur catalog's text for ``message``."""
    with translation.override("ug"):
        return translation.gettext(message)


class ExplodingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server is down")


def plain(text: str) -> str:
    """``text`` without the Unicode isolates a right-to-left email puts around numbers (marketplace/bidi.py)."""
    return re.sub("[\u2066-\u2069]", "", text)


def mail_to(outbox, address: str):
    found = [message for message in outbox if address in message.to]
    assert len(found) == 1, f"expected one email to {address}, got {[m.to for m in outbox]}"
    return found[0]


def place_en(shop, lines, **kwargs) -> Order:
    with translation.override("en"):
        return place(shop, lines, **kwargs)


def pay(order: Order) -> None:
    """The provider notifies a successful payment, through the same path as the webhook."""
    payment = Payment.objects.get(order=order, status=Payment.Status.PENDING)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))


def test_cash_on_delivery_order_emails_the_shopper_and_each_producer(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """A cash-on-delivery order tells the shopper what they bought and each producer what to pack, at once."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_en(shop, {shop.grapes: 2, shop.raisins: 1, shop.melon: 1})

    assert len(mailoutbox) == 3
    shopper = mail_to(mailoutbox, SHOPPER)
    assert order.number in shopper.subject
    assert "Seedless grapes · 2.5 kg box  ¥59.90 × 2  ¥119.80" in shopper.body
    assert "Raisins · 1 kg bag  ¥35.00 × 1  ¥35.00" in shopper.body
    assert "Hami melon · One melon  ¥38.00 × 1  ¥38.00" in shopper.body
    assert "Total: ¥192.80" in shopper.body
    assert "You pay in cash when you receive it." in shopper.body
    assert f"/orders/{order.number}/" in shopper.body

    vineyard = mail_to(mailoutbox, VINEYARD)
    assert order.number in vineyard.subject
    assert f"({shop.grapes.sku}) × 2" in vineyard.body
    assert f"({shop.raisins.sku}) × 1" in vineyard.body
    assert "Hami melon" not in vineyard.body
    assert shop.melon.sku not in vineyard.body
    assert COLD_CHAIN in vineyard.body

    melons = mail_to(mailoutbox, MELON_FARM)
    assert f"({shop.melon.sku}) × 1" in plain(melons.body)
    assert "Seedless grapes" not in melons.body
    assert "Raisins" not in melons.body
    assert ug(COLD_CHAIN) in melons.body  # The melon farm reads its emails in Uyghur.


def test_producer_email_has_no_cold_chain_note_when_nothing_in_the_parcel_is_perishable(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """A parcel of raisins only is not flagged for the cold chain; the melon parcel of the same order is."""
    with django_capture_on_commit_callbacks(execute=True):
        place_en(shop, {shop.raisins: 2, shop.melon: 1})

    assert COLD_CHAIN not in mail_to(mailoutbox, VINEYARD).body
    assert ug(COLD_CHAIN) in mail_to(mailoutbox, MELON_FARM).body


def test_shipped_order_email_gives_the_delivery_address_to_the_producer(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """For an order shipped to an address, the producer's email says where to send it."""
    with django_capture_on_commit_callbacks(execute=True):
        place_en(shop, {shop.raisins: 1}, delivery=ship())

    body = mail_to(mailoutbox, VINEYARD).body
    assert "Ship to:" in body
    assert "Li Wei" in body
    assert "文三路 1 号" in body


def test_online_order_emails_the_shopper_and_tells_producers_only_once_paid(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """An unpaid online order is not yet the producers' business; the payment email goes to everyone."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_en(shop, {shop.grapes: 1, shop.melon: 1}, payment="online")

    assert [message.to for message in mailoutbox] == [[SHOPPER]]
    assert "Please pay online to confirm it" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)

    assert len(mailoutbox) == 3
    paid = mail_to(mailoutbox, SHOPPER)
    assert order.number in paid.subject
    assert "We received your payment" in paid.body
    assert f"({shop.grapes.sku}) × 1" in mail_to(mailoutbox, VINEYARD).body
    assert f"({shop.melon.sku}) × 1" in plain(mail_to(mailoutbox, MELON_FARM).body)


def test_a_replayed_payment_notification_sends_no_second_email(shop, mailoutbox, django_capture_on_commit_callbacks):
    """The provider resending its notification does not email anyone again."""
    order = place_en(shop, {shop.grapes: 1}, payment="online")
    payment = Payment.objects.get(order=order)
    body = payments.simulated_notification_body(
        reference=payment.provider_reference, amount=payment.amount, succeeded=True
    )
    notification = payments.verify_notification(body=body, signature=payments.sign(body))
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))

    assert sent == 2
    assert len(mailoutbox) == sent


def test_shipped_parcel_emails_the_shopper_with_the_tracking_number(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """When a producer ships a parcel the shopper hears who sent it and its tracking number; producers do not."""
    order = place_en(shop, {shop.grapes: 1, shop.melon: 1}, delivery=ship())
    parcel = order.fulfilments.get(producer=shop.grapes.product.producer)
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)

    with django_capture_on_commit_callbacks(execute=True):
        services.fulfilment_transition(
            fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number="SF1234567890"
        )

    assert [message.to for message in mailoutbox] == [[SHOPPER]]
    shipped = mailoutbox[0]
    assert order.number in shipped.subject
    assert "on its way" in shipped.subject
    assert "Your parcel from Abdukerim's Vineyard is on its way." in shipped.body
    assert "Tracking number: SF1234567890" in shipped.body


def test_cancelled_order_emails_the_shopper_and_the_producers(shop, mailoutbox, django_capture_on_commit_callbacks):
    """Cancelling a cash-on-delivery order tells the shopper, and tells each producer not to send the parcel."""
    order = place_en(shop, {shop.grapes: 1, shop.melon: 1})

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=None)

    assert len(mailoutbox) == 3
    cancelled = mail_to(mailoutbox, SHOPPER)
    assert order.number in cancelled.subject
    assert f"Your order {order.number} was cancelled." in cancelled.body
    assert f"Order {order.number} was cancelled: do not send this parcel." in mail_to(mailoutbox, VINEYARD).body
    assert mail_to(mailoutbox, MELON_FARM)


def test_cancelled_paid_order_email_states_the_refund(shop, mailoutbox, django_capture_on_commit_callbacks):
    """The shopper's cancellation email of a paid order says how much is refunded, where it goes, its state and date."""
    order = place_en(shop, {shop.grapes: 1}, payment="online")
    pay(order)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=None)

    body = mail_to(mailoutbox, SHOPPER).body
    payment = Payment.objects.get(order=order)
    with translation.override("en"):
        amount = yuan(payment.amount)
        when = date_format(timezone.localtime(payment.updated_at), "SHORT_DATETIME_FORMAT")
    assert payment.status == Payment.Status.REFUNDED
    assert f"Your order {order.number} was cancelled." in body
    assert f"{amount} you paid online goes back to the account you paid from." in body
    assert f"Refund: {amount} · Refunded · {when}" in body


def test_cancelled_unpaid_order_email_mentions_no_refund(shop, mailoutbox, django_capture_on_commit_callbacks):
    order = place_en(shop, {shop.grapes: 1})

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=None)

    assert "Refund" not in mail_to(mailoutbox, SHOPPER).body


def test_cancelling_an_unpaid_online_order_does_not_email_producers_who_never_heard_of_it(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """Producers hear of an online order once it is paid, so its cancellation before payment is not theirs either.

    Otherwise they get "was cancelled: do not send this parcel" for an order they were never asked to pack.
    """
    order = place_en(shop, {shop.grapes: 1, shop.melon: 1}, payment="online")

    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=None)

    assert [message.to for message in mailoutbox] == [[SHOPPER]]


def test_shopper_email_is_in_the_language_of_checkout_and_producer_email_in_theirs(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """A shopper who checks out in Uyghur gets the email in Uyghur; each producer reads theirs in its own language."""
    with django_capture_on_commit_callbacks(execute=True), translation.override("ug"):
        order = place(shop, {shop.grapes: 1, shop.melon: 1})

    assert order.language == "ug"
    assert Order.objects.get(pk=order.pk).language == "ug"
    shopper = mail_to(mailoutbox, SHOPPER)
    subject = ug("Order %(number)s received")
    assert subject != "Order %(number)s received", "the Uyghur catalog has no translation of the subject"
    assert plain(shopper.subject) == subject % {"number": order.number}
    assert ug("Hello %(name)s,") % {"name": "Ayşe"} in shopper.body
    assert ug("Thank you for your order %(number)s.") % {"number": order.number} in plain(shopper.body)
    assert UG_OASIS_MARKET in shopper.body
    # The vineyard writes in English, the melon farm in Uyghur; neither follows the shopper's language.
    assert UG_OASIS_MARKET not in mail_to(mailoutbox, VINEYARD).body
    assert "Oasis Market" in mail_to(mailoutbox, VINEYARD).body
    assert UG_OASIS_MARKET in mail_to(mailoutbox, MELON_FARM).body


def test_later_emails_keep_the_language_of_checkout(shop, mailoutbox, django_capture_on_commit_callbacks):
    """A cancellation done while another language is active still reaches the shopper in their checkout language."""
    with translation.override("ug"):
        order = place(shop, {shop.grapes: 1})

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.order_cancel(order=order, actor=None)

    assert UG_OASIS_MARKET in mail_to(mailoutbox, SHOPPER).body


def test_no_email_when_the_order_is_refused_for_lack_of_stock(shop, mailoutbox, django_capture_on_commit_callbacks):
    """An order that rolls back (a shortfall, or an invalid request) sends no email to anyone."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(InsufficientStock):
            place_en(shop, {shop.grapes: 1, shop.melon: 6})
        with pytest.raises(InvalidOrder):
            place_en(shop, {shop.grapes: 1}, payment="bitcoin")

    assert callbacks == []
    assert mailoutbox == []
    assert not Order.objects.exists()


def test_no_email_when_the_surrounding_transaction_rolls_back(shop, mailoutbox, django_capture_on_commit_callbacks):
    """An order placed inside a transaction that is then rolled back never existed: nobody is emailed."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        place_en(shop, {shop.grapes: 1})
        raise RuntimeError("something later in the request failed")

    assert mailoutbox == []
    assert not Order.objects.exists()
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


def test_guest_email_links_to_the_order_through_its_secret_link(shop, mailoutbox, django_capture_on_commit_callbacks):
    """The link in a guest's email opens their order page (it carries the secret token)."""
    with django_capture_on_commit_callbacks(execute=True):
        order = place_en(shop, {shop.raisins: 1}, shopper=None)

    line = next(line for line in mail_to(mailoutbox, SHOPPER).body.splitlines() if "/orders/" in line)
    path = line[line.index("/orders/") :].strip()
    assert f"token={order.guest_token}" in path
    assert Client().get(path).status_code == 200


def test_signed_in_shopper_without_contact_email_is_emailed_at_their_account_address(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    """When the checkout form leaves the email empty, the signed-in shopper's account email is used."""
    shopper = UserFactory(email="account@example.com")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.order_place(
            shopper=shopper,
            contact=services.Contact(name="Ayşe", phone="13800138000"),
            lines=[services.LineRequest(variant_id=shop.raisins.pk, quantity=1)],
            delivery=services.Delivery(method="pickup", depot_slug=shop.depot.slug),
            payment_method="cod",
        )

    assert mail_to(mailoutbox, "account@example.com")


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_neither_undoes_nor_fails_the_committed_order(shop, settings, caplog):
    """With the mail server down the shopper still gets their order: it is committed, its stock taken, no error.

    The emails stay in the outbox, unsent, with the error, for the outbox to try again.
    """
    settings.EMAIL_BACKEND = f"{__name__}.ExplodingBackend"

    with caplog.at_level(logging.ERROR, logger="notifications.services"):
        order = place_en(shop, {shop.grapes: 2, shop.melon: 1})
        cancelled = place_en(shop, {shop.raisins: 1})
        services.order_cancel(order=cancelled, actor=None)

    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Order.objects.get(pk=cancelled.pk).status == Order.Status.CANCELLED
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 8
    assert Variant.objects.get(pk=shop.melon.pk).stock == 4
    assert Variant.objects.get(pk=shop.raisins.pk).stock == 50
    assert any("Could not deliver outbox message" in record.getMessage() for record in caplog.records)
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert sorted(message.payload["event"] for message in unsent) == ["cancelled", "placed", "placed"]
    assert all(message.attempts == 1 and "mail server is down" in message.last_error for message in unsent)


def test_an_expired_order_tells_the_shopper_and_not_the_producers(shop, mailoutbox, django_capture_on_commit_callbacks):
    """The shopper learns their unpaid order lapsed; producers never heard of it."""
    order = place_en(shop, {shop.grapes: 1}, payment="online")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.order_expire(order_id=order.pk, now=order.expires_at + timedelta(seconds=1))

    assert len(mailoutbox) == 1
    expired = mail_to(mailoutbox, SHOPPER)
    assert f"Order {order.number} was not paid in time" == expired.subject
    assert "went back on sale" in expired.body
