"""Input fields that take JSON values of the type the schema names, not strings that look like them.

REST framework's own fields coerce: ``"5"`` passes as an integer, ``5`` as text, ``"true"`` as a boolean.
A client that sends the wrong type has a bug; it hears so with a 400 rather than having its value guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.validators import MAX_PRICE


class StringOnly:
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StringOnly, serializers.CharField):
    pass


class SlugTextField(StringOnly, serializers.SlugField):
    pass


class EmailTextField(StringOnly, serializers.EmailField):
    pass


class WholeNumberField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class TrueFalseField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def amount_pattern(maximum: Decimal) -> str:
    """The text of an amount from 0 to ``maximum``, a whole power of ten: fewer digits, or ``maximum`` itself.

    A pattern is how the schema bounds a number written as a string."""
    whole = int(maximum)
    if maximum != whole or str(whole).rstrip("0") != "1":
        raise ValueError(f"{maximum} is not a power of ten")
    return rf"^([0-9]{{1,{len(str(whole)) - 1}}}(\.[0-9]{{1,2}})?|{whole}(\.0{{1,2}})?)$"


# A unit price: 0 to MAX_PRICE.
UNIT_PRICE_PATTERN = amount_pattern(MAX_PRICE)
# A sum an order can come to: what the money columns hold (12 digits, 2 of them after the point).
MAX_AMOUNT = Decimal("9999999999.99")
AMOUNT_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"


# A variant's price: more than 0 (0.01 to MAX_PRICE), written without leading zeros.
_WHOLE = len(str(int(MAX_PRICE)))
POSITIVE_PRICE_PATTERN = (
    rf"^([1-9][0-9]{{0,{_WHOLE - 2}}}(\.[0-9]{{1,2}})?"  # 1 to 99999.99
    r"|0\.([1-9][0-9]?|0[1-9])"  # 0.01 to 0.99
    rf"|{int(MAX_PRICE)}(\.0{{1,2}})?)$"  # MAX_PRICE itself
)


def _money_schema(pattern: str, maximum: Decimal, description: str, minimum: float = 0) -> dict[str, Any]:
    return {
        "oneOf": [
            {"type": "string", "format": "decimal", "pattern": pattern, "example": "59.90"},
            {"type": "number", "minimum": minimum, "maximum": float(maximum), "multipleOf": 0.01},
        ],
        "description": description,
    }


# The schema of a variant's price, which must be more than 0.
POSITIVE_PRICE_SCHEMA = _money_schema(
    POSITIVE_PRICE_PATTERN,
    MAX_PRICE,
    f'CNY, more than 0 and at most {MAX_PRICE}, at most two decimal places: a string such as "59.90", or a number.',
    minimum=0.01,
)


@extend_schema_field(
    _money_schema(
        UNIT_PRICE_PATTERN,
        MAX_PRICE,
        f'CNY, 0 to {MAX_PRICE}, at most two decimal places: a string such as "59.90", or a number.',
    )
)
class PriceField(serializers.DecimalField):
    """A unit price, 0 to ``MAX_PRICE``: so that no order of it overflows the order totals' columns."""

    pattern = UNIT_PRICE_PATTERN
    maximum = MAX_PRICE
    digits = 10

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=self.digits, decimal_places=2, min_value=Decimal(0), max_value=self.maximum, **kwargs
        )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(self.pattern, data):
            self.fail("invalid")
        if isinstance(data, Decimal) and data.is_finite():
            data = data.normalize()  # 59.900 is 59.9, as the schema's multipleOf reads it
        return super().to_internal_value(data)


@extend_schema_field(
    _money_schema(
        AMOUNT_PATTERN,
        MAX_AMOUNT,
        'CNY, at most two decimal places: a string such as "593.80", or a number.',
    )
)
class AmountField(PriceField):
    """A sum of several prices, such as an order's goods: as large as the money columns hold."""

    pattern = AMOUNT_PATTERN
    maximum = MAX_AMOUNT
    digits = 12
