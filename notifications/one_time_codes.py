"""One-time codes sent by SMS: a phone number proves itself by typing back the code it received.

``code_send`` makes a 6-digit code for a purpose ("sign-in", "order-find") and a mainland mobile
number and texts it (``notifications.sms``); ``code_check`` says whether a typed code is that number's
current code for that purpose, and uses it up when it is.

- Stored only as HMACs under ``SECRET_KEY``: the table reveals neither the codes nor the numbers.
- A code expires after ``CODE_MINUTES`` minutes; a new code replaces the number's previous one.
- ``MAX_WRONG`` wrong tries void a code: six digits cannot be guessed through one code.
- Sending is rate limited (``marketplace.rate_limits``) per number, whatever the purpose
  (``SMS_CODE_LIMIT_PHONE``, ``SMS_CODE_LIMIT_PHONE_HOURLY``) and per client address
  (``SMS_CODE_LIMIT_ADDRESS``); over a limit ``CodeLimited`` says how long to wait and nothing is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from functools import partial
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from marketplace import rate_limits
from marketplace.errors import DomainError
from marketplace.sign_in_limits import wait_message
from marketplace.validators import normalize_mainland_mobile
from notifications.models import OneTimeCode
from notifications.sms import sms_send

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_WRONG = 5

# Each purpose and what the SMS says the code is for.
PURPOSES = {
    "sign-in": gettext_lazy("to sign in or sign up"),
    "order-find": gettext_lazy("to find your orders"),
}

PHONE_MINUTE = "sms_code_phone"
PHONE_HOUR = "sms_code_phone_hour"
ADDRESS = "sms_code_address"

_SEPARATORS = re.compile(r"[\s\-().\u00a0\u3000]")


class CodeLimited(DomainError):
    """Too many codes asked for one number or from one address: the message says how long to wait."""

    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "code_limited"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(code_wait_message(retry_after))

    def body(self) -> dict[str, Any]:
        return {**super().body(), "retry_after": self.retry_after}


def code_wait_message(seconds: int) -> str:
    """ "Wait N seconds before asking for a new code" for a short wait; the sign-in locks' words for longer."""
    if seconds <= 60:
        return ngettext(
            "You can ask for a new code in %(count)d second.",
            "You can ask for a new code in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    return wait_message(seconds)


def normalize_phone(text: str) -> str:
    """A mainland mobile number as its 11 digits (``13812345678``), from what a person typed.

    Accepts ``+86``/``0086``/``86`` before it, spaces, dashes, dots and brackets, full-width digits;
    anything else raises ``ValidationError`` (code ``invalid_mobile``) saying what is expected.
    """
    typed = "".join(str(int(ch)) if ch.isdecimal() else ch for ch in (text or "").strip())
    return normalize_mainland_mobile(_SEPARATORS.sub("", typed))


def _phone_hash(phone: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{phone}".encode(), hashlib.sha256).hexdigest()


def _code_hash(purpose: str, phone: str, code: str) -> str:
    message = f"one-time-code:{purpose}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _limits(phone: str, address: str) -> list[tuple[str, str]]:
    return [
        (rate_limits.key(PHONE_MINUTE, phone), settings.SMS_CODE_LIMIT_PHONE),
        (rate_limits.key(PHONE_HOUR, phone), settings.SMS_CODE_LIMIT_PHONE_HOURLY),
        (rate_limits.key(ADDRESS, address), settings.SMS_CODE_LIMIT_ADDRESS),
    ]


def _text(purpose: str, code: str) -> str:
    return _(
        "Oasis Market: your code %(purpose)s is %(code)s. It expires in %(minutes)d minutes. Do not tell it to anyone."
    ) % {"purpose": PURPOSES[purpose], "code": code, "minutes": CODE_MINUTES}


def code_send(*, purpose: str, phone: str, address: str) -> None:
    """Text a new code for ``purpose`` to ``phone`` (already normalized), asked from client ``address``.

    Replaces the number's previous code for the purpose. Over a limit raises ``CodeLimited`` and changes
    nothing else; an unknown purpose raises ``ValueError``. Inside a transaction the SMS goes after the
    commit; the text is in the active language.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown one-time code purpose {purpose!r}; add it to PURPOSES.")
    phone = normalize_phone(phone)
    limits = _limits(phone, address)
    hits = rate_limits.hit_many(limits)
    refused = [hit.retry_after for hit in hits if not hit.allowed]
    if refused:
        # Nothing is sent, so the counters that allowed it get their hit back: an address over its limit
        # cannot use up the codes of the numbers it asks for.
        for (counter, _rate), hit in zip(limits, hits, strict=True):
            if hit.allowed:
                rate_limits.forgive(counter)
        raise CodeLimited(max(refused))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    OneTimeCode.objects.bulk_create(
        [
            OneTimeCode(
                purpose=purpose,
                phone_hash=_phone_hash(phone),
                code_hash=_code_hash(purpose, phone, code),
                created_at=now,
                expires_at=now + timedelta(minutes=CODE_MINUTES),
                failed_attempts=0,
            )
        ],
        update_conflicts=True,
        unique_fields=["purpose", "phone_hash"],
        update_fields=["code_hash", "created_at", "expires_at", "failed_attempts"],
    )
    transaction.on_commit(partial(sms_send, phone=phone, text=_text(purpose, code)))


def code_check(*, purpose: str, phone: str, code: str) -> bool:
    """Whether ``code`` is ``phone``'s current, unexpired code for ``purpose``; a right code is used up.

    A wrong code counts against the code: after ``MAX_WRONG`` wrong tries it is void, even the right one.
    A malformed number or code is simply wrong. Call it outside a transaction that may roll back, or the
    wrong try is not counted.
    """
    try:
        phone = normalize_phone(phone)
    except ValidationError:
        return False
    code = "".join(str(int(ch)) if ch.isdecimal() else ch for ch in (code or "").strip())
    candidate = _code_hash(purpose, phone, code)
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(purpose=purpose, phone_hash=_phone_hash(phone), expires_at__gt=timezone.now())
            .filter(failed_attempts__lt=MAX_WRONG)
            .first()
        )
        if row is None:
            return False
        if hmac.compare_digest(row.code_hash, candidate):
            row.delete()
            return True
        OneTimeCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        return False


def codes_prune() -> int:
    """Delete codes that expired or were voided; how many went."""
    expired = OneTimeCode.objects.filter(expires_at__lte=timezone.now())
    voided = OneTimeCode.objects.filter(failed_attempts__gte=MAX_WRONG)
    return expired.delete()[0] + voided.delete()[0]
