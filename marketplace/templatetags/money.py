"""Money is Decimal end to end and formatted here, once."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Format an amount in CNY as ``¥12.50`` with the active locale's separators."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return "¥" + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
