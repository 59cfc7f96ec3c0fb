"""Domain errors of checkout and order handling; each says what a user needs to know."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from typing import Any

from django.utils.translation import gettext as _

from catalog.stock import InsufficientStock, Shortfall
from marketplace.errors import DomainError, nested_errors

__all__ = [
    "IdempotencyKeyReused",
    "IllegalTransition",
    "InsufficientStock",
    "InvalidOrder",
    "OrderError",
    "PaymentRejected",
    "PricesChanged",
    "Shortfall",
]


class OrderError(DomainError):
    code = "order_error"


class InvalidOrder(OrderError):
    """The request itself is wrong; ``errors`` maps a field to its messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))

    def body(self) -> dict[str, Any]:
        """Messages per field, nested as a serializer's own field errors are."""
        return nested_errors(self.errors)


class IllegalTransition(OrderError):
    status = HTTPStatus.CONFLICT
    code = "illegal_transition"

    def __init__(self, message: str, *, current: str = "", requested: str = "") -> None:
        self.current = current
        self.requested = requested
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        return {**super().body(), "current": self.current, "requested": self.requested}


class IdempotencyKeyReused(OrderError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            _("This Idempotency-Key was already used for a different order. Use a new key for a new order.")
        )


class PaymentRejected(OrderError):
    """A payment notification that is not genuine or does not match its payment."""

    code = "payment_rejected"


class PricesChanged(OrderError):
    """The goods now cost other than what the shopper was shown (a live session ended, its live units ran out,
    a producer changed a price): nothing is placed, and the shopper sees the new prices before trying again."""

    status = HTTPStatus.CONFLICT
    code = "price_changed"

    def __init__(self, *, expected, subtotal) -> None:
        self.expected = expected
        self.subtotal = subtotal
        super().__init__(
            _(
                "Prices have changed since you looked: the goods now come to %(subtotal)s instead of %(expected)s. "
                "Check the new total and place the order again."
            )
            % {"subtotal": f"¥{subtotal}", "expected": f"¥{expected}"}
        )

    def body(self) -> dict[str, Any]:
        # Money as strings with two decimals, like every amount of the API.
        return {**super().body(), "expected": _money(self.expected), "subtotal": _money(self.subtotal)}


def _money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))
