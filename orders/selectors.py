"""Reads of orders shared by pages, the API and emails, with their joins applied."""

from __future__ import annotations

import secrets

from django.db.models import Prefetch, QuerySet

from marketplace.models import User
from orders.models import Fulfilment, Order, OrderEvent
from orders.transitions import FULFILLABLE


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


def orders_of_shopper(*, shopper: User) -> QuerySet[Order]:
    """A shopper's own orders with their lines, parcels and payments (no history), for lists."""
    return (
        Order.objects.filter(shopper=shopper)
        .select_related("pickup_depot")
        .prefetch_related(
            "lines", "payments", Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("producer"))
        )
    )


# Orders whose parcels a producer handles or handled. An order still awaiting payment, or cancelled or expired
# before it was paid, is not the producer's to ship: its shopper's address and phone stay hidden.
PRODUCER_SEES = FULFILLABLE | {Order.Status.COMPLETED, Order.Status.REFUNDED}


def fulfilments_of_member(*, user: User) -> QuerySet[Fulfilment]:
    """The parcels of the producers ``user`` is a member of, with what packing and sending them needs.

    Nobody else's: a user who is a member of no producer gets none. Only parcels of orders confirmed,
    paid or done (``PRODUCER_SEES``).
    """
    return (
        Fulfilment.objects.filter(producer__memberships__user=user, order__status__in=PRODUCER_SEES)
        .select_related("order__pickup_depot", "producer", "depot")
        .prefetch_related("lines")
    )
