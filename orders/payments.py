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
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

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


def verify_notification(*, body: bytes, signature: str) -> Notification:
    """Check the signature over the raw body, then read it; raises ``PaymentRejected``."""
    if not signature or not hmac.compare_digest(sign(body), signature.strip().lower()):
        raise PaymentRejected(_("The notification's signature is not valid."))
    try:
        data = json.loads(body)
        notification = Notification(
            event_id=str(data["id"])[:100],
            reference=str(data["reference"])[:100],
            succeeded={"succeeded": True, "failed": False}[data["result"]],
            amount=Decimal(str(data["amount"])),
        )
    except (ValueError, KeyError, TypeError, InvalidOperation) as error:
        raise PaymentRejected(_("The notification cannot be read.")) from error
    if not notification.event_id.isprintable() or not notification.reference.isprintable():
        raise PaymentRejected(_("The notification cannot be read."))
    if not notification.event_id or not notification.reference:
        raise PaymentRejected(_("The notification cannot be read."))
    # An amount of money: finite (not NaN or Infinity), in fen at most, and within what an order can total.
    amount = notification.amount
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise PaymentRejected(_("The notification cannot be read."))
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
