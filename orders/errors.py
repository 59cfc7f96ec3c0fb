"""Domain errors of checkout and order handling; each says what a user needs to know."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog.stock import InsufficientStock, Shortfall

__all__ = [
    "IdempotencyKeyReused",
    "IllegalTransition",
    "InsufficientStock",
    "InvalidOrder",
    "OrderError",
    "PaymentRejected",
    "Shortfall",
]


class OrderError(Exception):
    code = "order_error"


class InvalidOrder(OrderError):
    """The request itself is wrong; ``errors`` maps a field to its messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


class IllegalTransition(OrderError):
    code = "illegal_transition"

    def __init__(self, message: str, *, current: str = "", requested: str = "") -> None:
        self.current = current
        self.requested = requested
        super().__init__(message)


class IdempotencyKeyReused(OrderError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            _("This Idempotency-Key was already used for a different order. Use a new key for a new order.")
        )


class PaymentRejected(OrderError):
    """A payment notification that is not genuine or does not match its payment."""

    code = "payment_rejected"
