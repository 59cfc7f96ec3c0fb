"""Checks of what people type that several apps share."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The highest unit price the marketplace takes, in CNY: a variant's price and a live item's flash price. An
# order holds at most 50 lines of at most 999 units, so its goods come to at most 4,995,000,000.00, which the
# order totals' columns (12 digits, 10 of them before the point) hold with room to spare for shipping.
MAX_PRICE = Decimal("100000.00")
# A price of 0 would put a product on sale for nothing: every price is at least one fen.
MIN_PRICE = Decimal("0.01")
PRICE_ABOVE_ZERO_MESSAGE = _("A price must be more than ¥0.")


def validate_price_above_zero(value: Decimal) -> None:
    """A variant's price is more than 0 (see ``MIN_PRICE``)."""
    if value is not None and value <= 0:
        raise ValidationError(PRICE_ABOVE_ZERO_MESSAGE, code="price_not_above_zero")


# ASCII digits: \d also matches other scripts' digits, which no carrier or post office reads.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_POSTCODE = re.compile(r"[0-9]{6}")


def normalize_mainland_mobile(value: str) -> str:
    """Return an 11-digit mainland China mobile number, accepting spaces, dashes and +86.

    Raises ``ValidationError`` for anything else (landlines, short or foreign numbers).
    """
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 138 0013 8000."),
            code="invalid_mobile",
        )
    return digits


def validate_postcode(value: str) -> None:
    if value and not _POSTCODE.fullmatch(value):
        raise ValidationError(_("A postcode has six digits."), code="invalid_postcode")
