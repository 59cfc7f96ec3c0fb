"""Input fields that take JSON values of the type the schema names, not strings that look like them.

REST framework's own fields coerce: ``"5"`` passes as an integer, ``5`` as text, ``"true"`` as a boolean.
A client that sends the wrong type has a bug; it hears so with a 400 rather than having its value guessed.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StringOnly:
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StringOnly, serializers.CharField):
    pass


class SlugTextField(StringOnly, serializers.SlugField):
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


PRICE_PATTERN = r"^[0-9]{1,8}(\.[0-9]{1,2})?$"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "decimal", "pattern": PRICE_PATTERN, "example": "59.90"},
            {"type": "number", "minimum": 0, "maximum": 99999999.99},
        ],
        "description": 'CNY, at most two decimal places: a string such as "59.90", or a number.',
    }
)
class PriceField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=10, decimal_places=2, min_value=0, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(PRICE_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)
