"""Structured logs of what happened to orders, payments, stock and sign-ins: one line per event, no personal data.

Each domain logs through its own logger, so an operator can route, keep or silence them apart:

- ``oasis.orders``: an order placed, paid, cancelled, expired or refunded;
- ``oasis.payments``: a provider's notification accepted or refused, and what it did to the payment;
- ``oasis.stock``: units taken by an order, given back, counted anew or restocked, and a shortfall;
- ``oasis.auth``: signing in (succeeded or failed) and out.

A line names the event and its facts as ``key=value`` pairs (``event=order.placed order=OM… order_id=12
user_id=7 total=157.80``); with ``LOG_FORMAT=json`` the same record is one JSON object (``JsonFormatter``).
Events name people only by their account's id: never a name, phone number, email, address, the username
someone typed, a password or a token. ``log_event`` refuses such fields by their key as a last line of
defence (the value is written as ``[redacted]``); the values of the other fields are the caller's care.

Events of a transaction are logged when it commits (``log_event_on_commit``): a placed order that rolled
back was never placed. Refusals (a forged notification, too little stock) are logged at once, since their
transaction rolls back.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

ORDERS = logging.getLogger("oasis.orders")
PAYMENTS = logging.getLogger("oasis.payments")
STOCK = logging.getLogger("oasis.stock")
AUTH = logging.getLogger("oasis.auth")

# Words that, as part of a field's key, mean personal data or a secret: such a field is never written.
PERSONAL_KEYS = frozenset(
    {
        "name",
        "username",
        "phone",
        "mobile",
        "email",
        "address",
        "street",
        "recipient",
        "postcode",
        "password",
        "token",
        "secret",
        "credentials",
        "ip",
    }
)
REDACTED = "[redacted]"
# What a JSON line's own keys are called; an event's fields never replace them.
_RESERVED = ("time", "level", "logger", "event", "message")
_BARE = re.compile(r"[^\s\"=\\]+")


def _is_personal(key: str) -> bool:
    return any(part in PERSONAL_KEYS for part in key.lower().split("_"))


def _plain(value: Any) -> Any:
    """A value as the line shows it: money and other decimals as exact strings, mappings with string keys."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = str(value)
    return text if _BARE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def event_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as they are written: personal keys redacted, values plain."""
    return {key: REDACTED if _is_personal(key) else _plain(value) for key, value in fields.items()}


def _writer(logger: logging.Logger, event: str, level: int, fields: dict[str, Any]):
    """A function that logs the event as its fields are now (copied, so later changes to them do not show)."""
    written = event_fields(fields)
    message = " ".join([f"event={event}", *(f"{key}={_text(value)}" for key, value in written.items())])
    return lambda: logger.log(level, message, extra={"event": event, "event_fields": written})


def log_event(logger: logging.Logger, event: str, /, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` (``domain.what_happened``) with its ``fields`` now, as one line."""
    if logger.isEnabledFor(level):
        _writer(logger, event, level, fields)()


def log_event_on_commit(logger: logging.Logger, event: str, /, *, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` when the current transaction commits (at once outside one); nothing if it rolls back."""
    if logger.isEnabledFor(level):
        transaction.on_commit(_writer(logger, event, level, fields))


def auth_event(event: str, /, *, user_id: int | None = None, level: int = logging.INFO, **fields: Any) -> None:
    """Log a sign-in event on ``oasis.auth`` for the code that signs people in, e.g.
    ``auth_event("auth.sign_in_failed", user_id=user.pk, method="phone_code", cause="code_expired")``.

    The account is named by ``user_id`` alone (``None`` when no account is known): never pass the username,
    phone number or email that was typed. Password sign-ins through Django's ``login()`` and ``authenticate()``
    are already logged by the receivers below; call this for what they do not see (API tokens, phone codes).
    """
    log_event(AUTH, event, level=level, user_id=user_id, **fields)


def signed_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """``user_logged_in``: the account's id and the path it signed in on, nothing it typed."""
    auth_event("auth.signed_in", user_id=getattr(user, "pk", None), path=getattr(request, "path", None))


def _account_id(credentials: Any) -> int | None:
    """The id of the account whose username was typed, if one has it: guessing at one account shows in the log
    without what was typed, which names a person (a phone number, an email) or is a password in the wrong field."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    username = (credentials or {}).get("username")
    if not isinstance(username, str) or not username:
        return None
    model = get_user_model()
    try:
        return model._default_manager.filter(**{model.USERNAME_FIELD: username}).values_list("pk", flat=True).first()
    except DatabaseError:
        return None


def sign_in_failed(sender: Any, credentials: Any = None, request: Any = None, **kwargs: Any) -> None:
    """``user_login_failed``: the account it was for (when the username typed is one) and the path that refused
    it; nothing typed is written."""
    user_id = _account_id(credentials)
    auth_event("auth.sign_in_failed", user_id=user_id, level=logging.WARNING, path=getattr(request, "path", None))


def signed_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    auth_event("auth.signed_out", user_id=getattr(user, "pk", None))


def connect_auth_signals() -> None:
    """Log Django's sign-in and sign-out signals (called once, from ``MarketplaceConfig.ready``)."""
    from django.contrib.auth import signals

    signals.user_logged_in.connect(signed_in, dispatch_uid="oasis.auth.signed_in")
    signals.user_login_failed.connect(sign_in_failed, dispatch_uid="oasis.auth.sign_in_failed")
    signals.user_logged_out.connect(signed_out, dispatch_uid="oasis.auth.signed_out")


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``LOG_FORMAT=json``): time (UTC), level, logger, and either the event with its
    fields or the message; an exception's traceback under ``exception``. Standard library only."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if event:
            line["event"] = event
            fields = getattr(record, "event_fields", {})
            line.update({key: value for key, value in fields.items() if key not in _RESERVED})
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
