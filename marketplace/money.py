"""Money is Decimal end to end and formatted here, once, the same way on every page and in every email.

The format per language: the yuan sign before the amount, two decimals, the language's separators
(``¥1,280.50`` in Chinese, Uyghur and English alike); in a right-to-left language the amount is a
left-to-right isolate (``marketplace.bidi``), so the sign stays before the digits inside Uyghur text.
Template filter ``yuan`` (``templatetags/money.py``) and the messages that name an amount both use it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from marketplace.bidi import isolate


def format_yuan(value: Decimal | int | str | None) -> str:
    """``value`` in CNY for the active language; ``""`` for no value."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return isolate("¥" + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True), ltr=True)
