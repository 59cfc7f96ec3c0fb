"""Money is Decimal end to end and formatted once, by ``marketplace.money.format_yuan``."""

from django import template

from marketplace.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    """Format an amount in CNY as ``¥12.50`` with the active locale's separators (isolated in Uyghur)."""
    return format_yuan(value)
