"""Emails about an order, to the shopper and to the members of each producer in it.

Written to the outbox (``notifications``) in the transaction that changes the
order, and sent by the worker after it commits: never inside the request, never
while stock is locked, never for a change that rolled back. A mail server that
fails leaves the message unsent for the outbox to try again; the order stands.
The shopper reads the email in the language of their checkout; a producer's
members read it in the producer's own language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.bidi import isolate
from notifications.models import OutboxMessage
from notifications.services import outbox_add, outbox_message_new
from orders import selectors
from orders.models import Order

HANDLER = "orders.notifications.send_order_emails"

SHOPPER_EVENTS = {"placed", "paid", "shipped", "cancelled", "expired", "link"}  # "link": asked for again
# Producers hear of an order once it can be packed (cash on delivery at once, online once paid).
PRODUCER_EVENTS = {"placed", "paid", "cancelled"}
DJANGO_LANGUAGE = {"zh": "zh-hans", "ug": "ug", "en": "en"}


def send_after_commit(*, order_id: int, event: str, fulfilment_id: int | None = None) -> None:
    """Have the emails of ``event`` sent once the caller's transaction commits (the outbox's worker sends them).

    Must run inside the transaction that changes the order: the outbox refuses otherwise.
    """
    outbox_add(handler=HANDLER, payload={"order_id": order_id, "event": event, "fulfilment_id": fulfilment_id})


def placed_message() -> OutboxMessage:
    """The "placed" emails' message of an order being inserted, written by its caller with the order (whose
    id its ``order_id`` is to take then) and queued with ``notifications.services.outbox_message_written``."""
    return outbox_message_new(handler=HANDLER, payload={"order_id": None, "event": "placed", "fulfilment_id": None})


def order_link(order) -> str:
    path = reverse("order-detail", kwargs={"number": order.number})
    if order.shopper_id is None:
        path += f"?token={order.guest_token}"
    return settings.SITE_URL + path


def link_sms_text(order: Order) -> str:
    """The SMS that sends a guest the link to their order, in the language of their checkout."""
    with translation.override(order.language):
        return _("Oasis Market: keep this link, it is the only way back to your order %(number)s: %(link)s") % {
            "number": isolate(order.number),
            "link": order_link(order),
        }


def _subject(event: str, number: str) -> str:
    subjects = {
        "placed": _("Order %(number)s received"),
        "paid": _("Order %(number)s paid"),
        "shipped": _("Order %(number)s: a parcel is on its way"),
        "cancelled": _("Order %(number)s cancelled"),
        "expired": _("Order %(number)s was not paid in time"),
        "link": _("The link to your order %(number)s"),
    }
    return subjects[event] % {"number": isolate(number)}


def send_order_emails(*, order_id: int, event: str, fulfilment_id: int | None = None) -> int:
    """Render and send the emails of one event; returns how many were sent.

    The outbox's handler for order emails: a mail server that fails raises, so the message is tried again.
    """
    order = (
        Order.objects.select_related("shopper", "pickup_depot")
        .prefetch_related("lines", "payments", "fulfilments__producer__members")
        .get(pk=order_id)
    )
    messages = []
    shopper_email = order.contact_email or (order.shopper.email if order.shopper else "")
    if event in SHOPPER_EVENTS and shopper_email:
        with translation.override(order.language):
            fulfilment = next((f for f in order.fulfilments.all() if f.pk == fulfilment_id), None)
            context = {
                "order": order,
                "event": event,
                "link": order_link(order),
                "fulfilment": fulfilment,
                "refund": selectors.order_refund_of(order),
            }
            messages.append(
                EmailMessage(
                    subject=_subject(event, order.number),
                    body=render_to_string("orders/email/shopper.txt", context),
                    to=[shopper_email],
                )
            )
    # Producers hear of an online order only once it is paid, so they are told of its
    # cancellation only if they had heard of it.
    producers_informed = order.payment_method == Order.PaymentMethod.COD or any(
        payment.paid_at for payment in order.payments.all()
    )
    producer_event = event in PRODUCER_EVENTS and (event == "paid" or producers_informed)
    if producer_event:
        for fulfilment in order.fulfilments.all():
            recipients = [member.email for member in fulfilment.producer.members.all() if member.email]
            if not recipients:
                continue
            language = DJANGO_LANGUAGE.get(fulfilment.producer.original_language, settings.LANGUAGE_CODE)
            with translation.override(language):
                lines = [line for line in order.lines.all() if line.fulfilment_id == fulfilment.pk]
                context = {"order": order, "event": event, "fulfilment": fulfilment, "lines": lines}
                messages.append(
                    EmailMessage(
                        subject=_subject(event, order.number),
                        body=render_to_string("orders/email/producer.txt", context),
                        to=recipients,
                    )
                )
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)
