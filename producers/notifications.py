"""The messages to an applicant: staff turned their application down (with the reason), or verified it.

Written to the outbox (``notifications``) in the transaction that rejects the application and sent by the
worker after it commits: an email to each owner with an address, and a text message to each owner with a
phone, as two messages so that one failing is tried again without repeating the other. The applicant reads
it in the language they applied in.

A verification is a notice (``notifications.notices``): in each owner's inbox, and by email and SMS.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.bidi import isolate
from notifications.notices import Recipient, notice_send, wording
from notifications.services import outbox_add
from notifications.sms import sms_send
from producers.models import Producer, ProducerMembership

HANDLER = "producers.notifications.send_rejection"
CHANNELS = ("email", "sms")
DJANGO_LANGUAGE = {"zh": "zh-hans", "ug": "ug", "en": "en"}
VERIFIED_HANDLER = "producers.notifications.send_verified"
VERIFIED = wording(
    "producers.verified",
    gettext_lazy("%(producer)s is verified: your products can go on sale on Oasis Market."),
)


def send_after_commit(*, producer_id: int) -> None:
    """Have the rejection sent by email and SMS once the caller's transaction commits."""
    for channel in CHANNELS:
        outbox_add(handler=HANDLER, payload={"producer_id": producer_id, "channel": channel})


def rejection_text(producer: Producer) -> str:
    """The words the applicant reads, in the active language."""
    return _(
        "Oasis Market: your application to sell as %(name)s was not accepted. Reason: %(reason)s "
        "You may apply again: %(link)s"
    ) % {
        "name": isolate(str(producer)),
        "reason": isolate(producer.rejection_reason),
        "link": settings.SITE_URL + reverse("producer-apply"),
    }


def send_rejection(*, producer_id: int, channel: str) -> int:
    """The outbox's handler: send the rejection through ``channel``; returns how many were sent.

    Nothing is sent when the application is no longer rejected (verified since, or deleted).
    """
    producer = Producer.objects.filter(pk=producer_id, rejected_at__isnull=False, is_verified=False).first()
    if producer is None:
        return 0
    owners = [
        membership.user
        for membership in ProducerMembership.objects.filter(
            producer=producer, role=ProducerMembership.Role.OWNER
        ).select_related("user")
    ]
    language = DJANGO_LANGUAGE.get(producer.original_language, settings.LANGUAGE_CODE)
    with translation.override(language):
        text = rejection_text(producer)
        if channel == "sms":
            phones = sorted({user.phone for user in owners if user.phone})
            for phone in phones:
                sms_send(phone=phone, text=text)
            return len(phones)
        addresses = sorted({user.email for user in owners if user.email})
        if not addresses:
            return 0
        subject = _("Your application to sell on Oasis Market")
        messages = [EmailMessage(subject=subject, body=text, to=[address]) for address in addresses]
        return get_connection().send_messages(messages) or 0


def verified_after_commit(*, producer_ids: list[int]) -> None:
    """Have each producer's owners told it was verified, once the caller's transaction commits."""
    for producer_id in producer_ids:
        outbox_add(handler=VERIFIED_HANDLER, payload={"producer_id": producer_id})


def send_verified(*, producer_id: int) -> int:
    """The outbox's handler: the "verified" notice to the producer's owners (inbox, email, SMS).

    Nothing is sent when the producer is no longer verified (withdrawn since, or deleted).
    """
    producer = Producer.objects.filter(pk=producer_id, is_verified=True).first()
    if producer is None:
        return 0
    owners = [
        membership.user
        for membership in ProducerMembership.objects.filter(
            producer=producer, role=ProducerMembership.Role.OWNER
        ).select_related("user")
    ]
    language = DJANGO_LANGUAGE.get(producer.original_language, settings.LANGUAGE_CODE)
    names = {content: producer.translated("name", content) for content in ("zh", "ug", "en")}
    return notice_send(
        code=VERIFIED,
        params={"producer": names},
        link=reverse("dashboard-overview", kwargs={"producer": producer.slug}),
        recipients=[Recipient(user_id=u.pk, email=u.email, phone=u.phone, language=language) for u in owners],
    )
