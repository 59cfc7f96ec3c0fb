"""Payment providers. One is built in: a simulated provider for development and demos.

A provider has a payment page the shopper is sent to, and sends signed
notifications (webhooks) to ``/payments/<provider>/webhook/``. The simulated
provider signs the raw JSON body with HMAC-SHA256 under
``PAYMENT_WEBHOOK_SECRET`` and sends the hex digest in the
``X-Oasis-Signature`` header; a real provider plugs in with the same two
functions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.audit_log import PAYMENTS, log_event
from orders.errors import PaymentRejected
from orders.models import Order, Payment

SIGNATURE_HEADER = "X-Oasis-Signature"
# Above any total an order can reach (the money columns hold 10 digits before the point).
MAX_AMOUNT = Decimal("10000000000")
SIMULATED_PROVIDER = "simulated"


@dataclass(frozen=True)
class Notification:
    event_id: str
    reference: str
    succeeded: bool
    amount: Decimal


def sign(body: bytes) -> str:
    return hmac.new(settings.PAYMENT_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def simulated_notification_body(*, reference: str, amount: Decimal, succeeded: bool) -> bytes:
    """What the simulated provider sends when the shopper confirms or fails a payment."""
    return json.dumps(
        {
            "id": uuid.uuid4().hex,
            "reference": reference,
            "result": "succeeded" if succeeded else "failed",
            "amount": str(amount),
        }
    ).encode()


def _refused(cause: str, message: str) -> PaymentRejected:
    """The refusal of a notification, logged with why: a forged signature or a body that cannot be read."""
    log_event(PAYMENTS, "payment.notification_refused", level=logging.WARNING, cause=cause)
    return PaymentRejected(message)


def _text(value: object, max_length: int) -> str | None:
    """A text field of a notification: a string of 1 to ``max_length`` printable characters (its column's length)."""
    if isinstance(value, str) and 0 < len(value) <= max_length and value.isprintable():
        return value
    return None


def _amount(value: object) -> Decimal | None:
    """An amount of money: a decimal string or a number, finite, not negative, in fen at most, and within what an
    order can total."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,11}(\.[0-9]{1,2})?", value):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or not 0 <= amount < MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount


def _read(data: object) -> Notification | None:
    """The notification a provider's JSON object carries, or ``None`` when any of its four fields is wrong.

    Every field is checked, as the columns it goes to hold it: ``id`` and ``reference`` strings of at most 100
    printable characters (never cut short, so that two events cannot become one), ``result`` exactly
    ``succeeded`` or ``failed``, ``amount`` as ``_amount`` says. Other fields are ignored."""
    if not isinstance(data, dict):
        return None
    event_id, reference = _text(data.get("id"), 100), _text(data.get("reference"), 100)
    result, amount = data.get("result"), _amount(data.get("amount"))
    if event_id is None or reference is None or result not in ("succeeded", "failed") or amount is None:
        return None
    return Notification(event_id=event_id, reference=reference, succeeded=result == "succeeded", amount=amount)


def verify_notification(*, body: bytes, signature: str) -> Notification:
    """Check the signature over the raw body, then read it; raises ``PaymentRejected``."""
    # Compared as bytes: compare_digest refuses str holding anything but ASCII, and a header may hold anything.
    given = signature.strip().lower().encode("utf-8", "surrogateescape")
    if not signature or not hmac.compare_digest(sign(body).encode(), given):
        raise _refused("signature", _("The notification's signature is not valid."))
    try:
        notification = _read(json.loads(body))
    except (ValueError, RecursionError) as error:  # not JSON (or nested past Python's limit), not UTF-8
        raise _refused("unreadable", _("The notification cannot be read.")) from error
    if notification is None:
        raise _refused("unreadable", _("The notification cannot be read."))
    amount = notification.amount
    log_event(
        PAYMENTS,
        "payment.notification_accepted",
        event_id=notification.event_id,
        reference=notification.reference,
        succeeded=notification.succeeded,
        amount=amount,
    )
    return notification


def payment_new(order: Order) -> Payment:
    """A new attempt to pay ``order``'s total online, with the simulated provider under a reference of its own;
    not saved."""
    return Payment(
        order=order,
        method=Order.PaymentMethod.ONLINE,
        provider=SIMULATED_PROVIDER,
        provider_reference=uuid.uuid4().hex,
        amount=order.total,
    )
