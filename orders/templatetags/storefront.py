"""The shopper's header cart count and parcel tracking links."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from orders.cart import cart_units
from orders.tracking import carrier_for, tracking_url

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    """Units in the visitor's cart; 0 on a page rendered for the shared cache (``marketplace.page_cache``)."""
    if "cart_count" in context:
        return context["cart_count"]
    request = context.get("request")
    if request is None or getattr(request, "page_cache_shared", False) or not hasattr(request, "session"):
        return 0
    return cart_units(user=getattr(request, "user", None), session=request.session)


@register.filter
def parcel_tracking_url(parcel) -> str:
    """The carrier's tracking page for a parcel (``Fulfilment``), or "" when its carrier is not known."""
    return tracking_url(parcel.carrier, parcel.tracking_number) or ""


@register.simple_tag
def tracking_number(parcel) -> SafeString:
    """A parcel's tracking number (isolated, see ``marketplace/bidi.py``), linked to its carrier's tracking page
    when the carrier is known."""
    url = tracking_url(parcel.carrier, parcel.tracking_number)
    if url is None:
        return format_html("<bdi>{}</bdi>", parcel.tracking_number)
    carrier = carrier_for(parcel.carrier, parcel.tracking_number)
    return format_html(
        '<a class="tracking-link" href="{}" target="_blank" rel="noopener noreferrer"><bdi>{}</bdi>'
        '<span class="visually-hidden"> ({})</span></a>',
        url,
        parcel.tracking_number,
        _("tracking on the %(carrier)s website, opens in a new tab") % {"carrier": carrier.name},
    )
