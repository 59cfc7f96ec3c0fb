"""Reads of orders shared by pages, the API and emails, with their joins applied."""

from __future__ import annotations

import secrets

from django.db.models import Prefetch, QuerySet

from marketplace.models import User
from orders.models import Fulfilment, Order, OrderEvent


def order_details() -> QuerySet[Order]:
    return Order.objects.select_related("pickup_depot", "live_session").prefetch_related(
        "lines",
        "payments",
        Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("producer", "depot")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor", "fulfilment__producer")),
    )


def order_for_viewer(*, number: str, user: User | None, token: str = "") -> Order:
    """The order with this number if this visitor may see it: its shopper, or a guest holding its secret link.

    Raises ``Order.DoesNotExist`` otherwise, so a page can answer 404 without
    telling whether the number exists.
    """
    order = order_details().get(number=number)
    if order.shopper_id is not None:
        if user is not None and user.is_authenticated and user.pk == order.shopper_id:
            return order
        raise Order.DoesNotExist
    if token and secrets.compare_digest(token, order.guest_token):
        return order
    raise Order.DoesNotExist
