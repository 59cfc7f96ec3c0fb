"""The admin home's panel of what is waiting for staff: it composes the orders and producers selectors."""

from __future__ import annotations

from django import template
from django.urls import reverse

from orders import selectors as order_selectors
from producers import selectors as producer_selectors

register = template.Library()


@register.inclusion_tag("admin/waiting_for_staff.html", takes_context=True)
def waiting_for_staff(context: template.Context) -> dict:
    """Counts of producer applications to verify and of overdue parcels, each linked to its list.

    Each shows only to staff who may view that list.
    """
    user = context["request"].user
    rows = []
    if user.has_perm("producers.view_producer"):
        rows.append(
            {
                "kind": "applications",
                "count": producer_selectors.pending_applications().count(),
                "url": reverse("admin:producers_producer_changelist") + "?application=waiting",
            }
        )
    if user.has_perm("orders.view_order"):
        rows.append(
            {
                "kind": "overdue",
                "count": order_selectors.overdue_fulfilments().count(),
                "url": reverse("admin:orders_order_changelist") + "?overdue=1",
            }
        )
    return {"rows": rows, "days": order_selectors.PARCEL_OVERDUE_AFTER.days}
