"""Emails and notices about an order, to the shopper and to the members of each producer in it.

Written to the outbox (``notifications``) in the transaction that changes the
order, and sent by the worker after it commits: never inside the request, never
while stock is locked, never for a change that rolled back. A mail server that
fails leaves the message unsent for the outbox to try again; the order stands.
The shopper reads the email in the language of their checkout; a producer's
members read it in the producer's own language; so do the managers of the village depot of a household
that sells through it.

The same handler sends the order's notices (``notifications.notices``): "new order to pack" to the inbox of
each producer's members (and its depot's managers), and to the shopper "ready to collect" (a pickup parcel
received at its depot, with the pickup code), "shipped" (with the tracking number and the carrier's page)
and "refunded", in the inbox when signed in and by SMS to the contact phone; "ready to collect" and
"refunded" are emailed too, the others' emails being the ones above. docs/architecture.md has the table.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.bidi import isolate
from marketplace.money import format_yuan
from notifications.models import OutboxMessage
from notifications.notices import Recipient, notice_send, wording
from notifications.services import outbox_add, outbox_message_new
from orders import selectors
from orders.models import Fulfilment, Order, Refund
from orders.tracking import carrier_for, tracking_url
from producers.models import Depot, Producer

HANDLER = "orders.notifications.send_order_emails"

SHOPPER_EVENTS = {"placed", "paid", "shipped", "cancelled", "expired", "link"}  # "link": asked for again
# Producers hear of an order once it can be packed (cash on delivery at once, online once paid).
PRODUCER_EVENTS = {"placed", "paid", "cancelled"}
DJANGO_LANGUAGE = {"zh": "zh-hans", "ug": "ug", "en": "en"}

NEW_ORDER = wording("orders.new_order", gettext_lazy("New order %(number)s for %(producer)s: pack it."))
READY = wording(
    "orders.ready",
    gettext_lazy("Your order %(number)s is ready to collect at %(depot)s. Your pickup code: %(code)s"),
)
SHIPPED = wording(
    "orders.shipped",
    gettext_lazy("Your parcel from %(producer)s (order %(number)s) is on its way: %(carrier)s %(tracking)s"),
)
SHIPPED_UNTRACKED = wording(
    "orders.shipped_untracked", gettext_lazy("Your parcel from %(producer)s (order %(number)s) is on its way.")
)
REFUNDED = wording(
    "orders.refunded",
    gettext_lazy("Order %(number)s: %(amount)s is refunded to the account you paid from."),
)
PLACED_AT_DEPOT = wording(
    "orders.placed_at_depot",
    gettext_lazy("Your order %(number)s is placed. Collect it at %(depot)s with the pickup code %(code)s."),
)
PLACED_AT_DEPOT_SHIPPED = wording(
    "orders.placed_at_depot_shipped",
    gettext_lazy("Your order %(number)s is placed, to be paid cash on delivery."),
)
HARVESTED = wording(
    "orders.harvested",
    gettext_lazy("The harvest for your order %(number)s is in: it ships by %(date)s."),
)
HARVEST_SHORT = wording(
    "orders.harvest_short",
    gettext_lazy(
        "The harvest came in short of the pre-sale, so your order %(number)s is cancelled: %(amount)s is refunded "
        "to the account you paid from."
    ),
)
HARVEST_SHORT_UNPAID = wording(
    "orders.harvest_short_unpaid",
    gettext_lazy("The harvest came in short of the pre-sale, so your order %(number)s is cancelled. Nothing was paid."),
)
# The events that notify the shopper, and whether the notice is emailed too (the others have their own email).
SHOPPER_NOTICES = {
    "ready": True,
    "shipped": False,
    "refunded": True,
    "cancelled": False,
    "harvested": True,
    "harvest_short": True,
}


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
        # A household that sells through its village depot has its depot's managers read for it.
        managers = _depot_managers([fulfilment.producer for fulfilment in order.fulfilments.all()])
        for fulfilment in order.fulfilments.all():
            people = [*fulfilment.producer.members.all(), *managers.get(fulfilment.producer_id, [])]
            recipients = list(dict.fromkeys(person.email for person in people if person.email))
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
    if producer_event and event != "cancelled":
        _notify_producers(order, managers)
    if event in SHOPPER_NOTICES:
        _notify_shopper(order, event, fulfilment_id)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)


def _names(item: Producer | Depot) -> dict[str, str]:
    """A producer's or depot's name in each content language, for a notice read in any of them."""
    return {language: item.translated("name", language) for language in ("zh", "ug", "en")}


def _depot_managers(producers: list[Producer]) -> dict[int, list]:
    """The managers of the active depots of each producer that sells through its village depot, by producer id."""
    assisted = {p.pk: p.village_id for p in producers if p.sells_through_depot}
    if not assisted:
        return {}
    rows = Depot.managers.through.objects.filter(
        depot__village_id__in=set(assisted.values()), depot__is_active=True
    ).select_related("user", "depot")
    by_village: dict[int, list] = {}
    for row in rows:
        by_village.setdefault(row.depot.village_id, []).append(row.user)
    return {producer_id: by_village.get(village_id, []) for producer_id, village_id in assisted.items()}


def _notify_producers(order: Order, managers: dict[int, list]) -> None:
    """ "New order to pack" in the inbox of each producer's members, and of its depot's managers."""
    fulfilments = [f for f in order.fulfilments.all() if f.status != Fulfilment.Status.CANCELLED]
    for fulfilment in fulfilments:
        producer = fulfilment.producer
        people = [*producer.members.all(), *managers.get(producer.pk, [])]
        if not people:
            continue
        notice_send(
            code=NEW_ORDER,
            params={"number": order.number, "producer": _names(producer)},
            link=reverse("dashboard-orders", kwargs={"producer": producer.slug}),
            recipients=[Recipient(user_id=user.pk) for user in people],
            channels=["inbox"],
        )


def _refunded_amount(order: Order, fulfilment_id: int | None) -> str:
    refunds = Refund.objects.filter(order=order)
    refunds = refunds.filter(fulfilment_id=fulfilment_id) if fulfilment_id else refunds.filter(fulfilment__isnull=True)
    refund = refunds.order_by("created_at", "pk").last()
    if refund is not None:
        return format_yuan(refund.amount)
    whole = selectors.order_refund_of(order)
    return format_yuan(whole.amount) if whole else format_yuan(order.total)


def _notify_shopper(order: Order, event: str, fulfilment_id: int | None) -> None:
    """The shopper's notice of ``event``: inbox when signed in, SMS to the contact phone, email for some."""
    fulfilment = next((f for f in order.fulfilments.all() if f.pk == fulfilment_id), None)
    path = reverse("order-detail", kwargs={"number": order.number})
    # The inbox links to the order's page; email and SMS to the order's full address (a guest's has its token).
    link, outside_link = path, order_link(order)
    emailed = SHOPPER_NOTICES[event]
    if event == "cancelled":
        if selectors.order_refund_of(order) is None:
            return  # nothing was paid, so nothing is refunded: the cancellation email says it all
        event = "refunded"
    if event == "harvested":
        ship_by = min((f.ship_by for f in order.fulfilments.all() if f.ship_by), default=None)
        code, params = HARVESTED, {"number": order.number, "date": ship_by.isoformat() if ship_by else ""}
    elif event == "harvest_short":
        refund = selectors.order_refund_of(order)
        if refund is None:
            code, params = HARVEST_SHORT_UNPAID, {"number": order.number}
        else:
            code = HARVEST_SHORT
            with translation.override(order.language):
                params = {"number": order.number, "amount": format_yuan(refund.amount)}
    elif event == "ready":
        depot = (fulfilment.depot if fulfilment else None) or order.pickup_depot
        code = READY
        params: dict = {"number": order.number, "depot": _names(depot) if depot else "", "code": order.pickup_code}
    elif event == "shipped":
        if fulfilment is None:
            return
        params = {"number": order.number, "producer": _names(fulfilment.producer)}
        code = SHIPPED_UNTRACKED
        if fulfilment.tracking_number:
            carrier = carrier_for(fulfilment.carrier, fulfilment.tracking_number)
            params["tracking"] = fulfilment.tracking_number
            params["carrier"] = _carrier_names(carrier) if carrier else fulfilment.carrier
            code = SHIPPED
            # The carrier's own page follows the parcel; the order's page links to it too.
            link = outside_link = tracking_url(fulfilment.carrier, fulfilment.tracking_number) or link
    else:
        code = REFUNDED
        with translation.override(order.language):
            params = {"number": order.number, "amount": _refunded_amount(order, fulfilment_id)}
    email = order.contact_email or (order.shopper.email if order.shopper else "")
    channels = ["inbox", "sms", "email"] if emailed else ["inbox", "sms"]
    recipient = Recipient(
        user_id=order.shopper_id, email=email, phone=order.contact_phone, language=order.language, link=outside_link
    )
    notice_send(code=code, params=params, link=link, recipients=[recipient], channels=channels)


def _carrier_names(carrier) -> dict[str, str]:
    names = {}
    for content, language in DJANGO_LANGUAGE.items():
        with translation.override(language):
            names[content] = str(carrier.name)
    return names


def notify_placed_at_depot(order: Order) -> None:
    """Text the shopper of an order a depot took for them its link, with the pickup code for a pickup order.

    Runs in the transaction that placed the order: the outbox sends the SMS after the commit.
    """
    if order.delivery_method == Order.DeliveryMethod.PICKUP and order.pickup_depot is not None:
        code = PLACED_AT_DEPOT
        params: dict = {"number": order.number, "depot": _names(order.pickup_depot), "code": order.pickup_code}
    else:
        code, params = PLACED_AT_DEPOT_SHIPPED, {"number": order.number}
    recipient = Recipient(phone=order.contact_phone, language=order.language, link=order_link(order))
    notice_send(
        code=code,
        params=params,
        link=reverse("order-detail", kwargs={"number": order.number}),
        recipients=[recipient],
        channels=["sms"],
    )
