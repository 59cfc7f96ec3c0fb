"""Notices that reach people: the on-site inbox, email and SMS, for any event the apps above tell of.

The apps that know the events (orders, live, producers) decide who hears what and in which words; this
module keeps the words' register, the inbox, and the channels:

- ``wording(code, text)`` registers a message: ``text`` is a translatable sentence (``gettext_lazy``) with
  ``%(name)s`` parameters. A notice stores the code and the parameters, and is worded when shown, in the
  reader's language. A parameter may be a dictionary of content languages (``{"zh": …, "ug": …, "en": …}``),
  such as a producer's name, and is read in the reader's language too.
- ``notice_send`` runs in the caller's transaction (an outbox handler's, so after the change committed):
  it writes one inbox notice per signed-in recipient and one outbox message per email address and per phone
  number, worded in that recipient's language. A channel that fails is tried again on its own, without
  repeating the others; nothing is written if the transaction rolls back.
- ``notice_open`` and ``notices_mark_read`` mark notices read; ``User.unread_notices`` keeps the count the
  header's bell shows, without a query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from marketplace.bidi import isolate
from marketplace.models import User, content_language
from marketplace.transactions import require_transaction
from notifications.models import Notice
from notifications.services import outbox_add
from notifications.sms import sms_send

CHANNELS = ("inbox", "email", "sms")
EMAIL_HANDLER = "notifications.notices.send_email"
SMS_HANDLER = "notifications.notices.send_sms"

_WORDINGS: dict[str, str | Promise] = {}


@dataclass(frozen=True)
class Recipient:
    """Who hears a notice: an account for the inbox, and an address and a number for email and SMS.

    ``language`` (a Django language code) words the email and the SMS; the inbox follows its reader's.
    ``link``, when given, replaces the notice's link in this recipient's email and SMS (a guest's order
    link carries its token).
    """

    user_id: int | None = None
    email: str = ""
    phone: str = ""
    language: str = ""
    link: str = ""


def wording(code: str, text: str | Promise) -> str:
    """Register the words of the notices of ``code``; returns the code. Registering it again replaces them."""
    _WORDINGS[code] = text
    return code


def _param(value: object) -> str:
    if isinstance(value, dict):
        language = content_language()
        return str(value.get(language) or next((v for v in value.values() if v), ""))
    return "" if value is None else str(value)


def notice_text(code: str, params: dict, *, html: bool = False) -> str:
    """The words of a notice in the active language; with ``html``, escaped and each parameter in ``<bdi>``.

    An unknown code (a message of a version since removed) reads as a plain "You have a notice".
    """
    text = _WORDINGS.get(code)
    if text is None:
        return _("You have a notice.")
    template = str(text)
    try:
        if html:
            values = {name: format_html("<bdi>{}</bdi>", _param(value)) for name, value in params.items()}
            # The sentence is our own catalogue's, escaped; each parameter comes from data and is escaped too.
            return mark_safe(conditional_escape(template) % values)  # noqa: S308
        return template % {name: isolate(_param(value)) for name, value in params.items()}
    except (KeyError, TypeError, ValueError):  # parameters of another version of the words
        return _("You have a notice.")


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL + link


def notice_send(
    *,
    code: str,
    params: dict,
    link: str,
    recipients: Iterable[Recipient],
    channels: Iterable[str] = CHANNELS,
) -> int:
    """Send the notice ``code`` with ``params`` to ``recipients`` through ``channels``; returns how many
    deliveries were written (inbox notices, emails and texts).

    Must run inside a transaction (``RuntimeError`` otherwise); ``code`` must be registered (``ValueError``).
    Each account, address and number hears it once, however many recipients share it. ``link`` is a site
    path; email and SMS carry it as a full address.
    """
    require_transaction("A notice must be sent")
    if code not in _WORDINGS:
        raise ValueError(f"Unknown notice code {code!r}; register it with notifications.notices.wording().")
    channels = set(channels)
    unknown = channels - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown notice channels {sorted(unknown)!r}.")
    recipients = list(recipients)
    written = 0
    if "inbox" in channels:
        user_ids = sorted({r.user_id for r in recipients if r.user_id is not None})
        now = timezone.now()
        Notice.objects.bulk_create(
            [Notice(user_id=user_id, code=code, params=params, link=link, created_at=now) for user_id in user_ids]
        )
        User.objects.filter(pk__in=user_ids).update(unread_notices=F("unread_notices") + 1)
        written += len(user_ids)
    for channel, attribute in (("email", "email"), ("sms", "phone")):
        if channel not in channels:
            continue
        seen: set[str] = set()
        for recipient in recipients:
            address = getattr(recipient, attribute).strip()
            if not address or address.lower() in seen:
                continue
            seen.add(address.lower())
            language = recipient.language or settings.LANGUAGE_CODE
            with translation.override(language):
                text = notice_text(code, params)
                link_text = _absolute(recipient.link or link)
                if channel == "email":
                    body = f"{text}\n\n{link_text}\n\n{_('Oasis Market')}\n" if link_text else f"{text}\n"
                    payload = {"to": address, "subject": text, "body": body}
                    outbox_add(handler=EMAIL_HANDLER, payload=payload)
                else:
                    sms = _("Oasis Market: %(text)s %(link)s") % {"text": text, "link": link_text}
                    outbox_add(handler=SMS_HANDLER, payload={"phone": address, "text": sms.strip()})
            written += 1
    return written


def send_email(*, to: str, subject: str, body: str) -> int:
    """The outbox's handler for a notice's email (one address); a mail server that fails raises, to retry."""
    subject = " ".join(subject.split())[:200]
    return get_connection().send_messages([EmailMessage(subject=subject, body=body, to=[to])]) or 0


def send_sms(*, phone: str, text: str) -> int:
    """The outbox's handler for a notice's text message (one number); a sender that fails raises, to retry."""
    sms_send(phone=phone, text=text)
    return 1


def notice_open(*, notice: Notice, actor: User) -> Notice:
    """Mark ``notice`` read by its owner ``actor`` (nothing changes if it already is); ``PermissionError`` for
    anyone else's."""
    if notice.user_id != actor.pk:
        raise PermissionError("A notice is opened only by the user it was sent to.")
    with transaction.atomic():
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now()):
            User.objects.filter(pk=actor.pk).update(unread_notices=Greatest(F("unread_notices") - 1, 0))
            actor.unread_notices = max(actor.unread_notices - 1, 0)
    notice.read_at = notice.read_at or timezone.now()
    return notice


def notices_read(*, notices: list[Notice], actor: User) -> int:
    """Mark ``notices`` of ``actor`` read (another user's are left alone); returns how many were unread."""
    with transaction.atomic():
        marked = Notice.objects.filter(
            pk__in=[notice.pk for notice in notices], user=actor, read_at__isnull=True
        ).update(read_at=timezone.now())
        if marked:
            User.objects.filter(pk=actor.pk).update(unread_notices=Greatest(F("unread_notices") - marked, 0))
            actor.unread_notices = max(actor.unread_notices - marked, 0)
    return marked


def notices_mark_read(*, actor: User) -> int:
    """Mark every notice of ``actor`` read; returns how many were unread."""
    with transaction.atomic():
        marked = Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
        User.objects.filter(pk=actor.pk).update(unread_notices=0)
    actor.unread_notices = 0
    return marked
