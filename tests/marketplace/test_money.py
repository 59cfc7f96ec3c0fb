"""Money shows as ¥ with two decimals in every language, from Decimal, rounded half up."""

from decimal import Decimal

import pytest
from django.utils import translation

from marketplace.templatetags.money import yuan


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("en", Decimal("1234.5"), "¥1,234.50"),
        # In right-to-left Uyghur the amount is a left-to-right isolate: the sign stays before the digits.
        ("ug", Decimal("1234.5"), "\u2066¥1,234.50\u2069"),
        ("zh-hans", Decimal("1234.5"), "¥1234.50"),
        ("en", Decimal("0.005"), "¥0.01"),
        ("zh-hans", Decimal("59"), "¥59.00"),
    ],
)
def test_amounts_are_yuan_with_two_decimals(language, amount, shown):
    with translation.override(language):
        assert yuan(amount) == shown


def test_an_empty_amount_shows_nothing():
    assert yuan(None) == ""
