"""What product pages and cards say about shipping, from the rule checkout charges by (``orders.pricing``)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from marketplace.templatetags.money import yuan
from orders.pricing import free_shipping_threshold

register = template.Library()


@register.simple_tag
def free_shipping_note(price) -> str:
    """ "Free shipping" when one parcel of ``price`` alone ships free, else the threshold from which it does.

    ``price`` is an amount, or variants, of which the cheapest counts.
    """
    if price is not None and not isinstance(price, (Decimal, int, float, str)):
        price = min((variant.price for variant in price), default=None)
    threshold = free_shipping_threshold()
    if price is not None and price != "" and Decimal(price) >= threshold:
        return _("Free shipping")
    return _("Free shipping over %(amount)s") % {"amount": yuan(threshold)}
