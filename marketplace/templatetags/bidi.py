"""Values that must read left to right inside right-to-left text: dates, times, phone numbers, order numbers.

See ``marketplace/bidi.py``. ``bdi`` is for HTML, ``isolate`` for plain text (emails).
"""

from django import template
from django.utils.html import format_html

from marketplace import bidi

register = template.Library()


@register.filter
def bdi(value) -> str:
    """``value`` escaped and wrapped in ``<bdi>``: its own direction, whatever the text around it."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate(value) -> str:
    """``value`` between Unicode isolates (FSI … PDI) when the active language is right to left."""
    if value is None:
        return ""
    return bidi.isolate(str(value))
