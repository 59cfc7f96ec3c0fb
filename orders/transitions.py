"""The allowed moves of an order and of a parcel; anything else is an ``IllegalTransition``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from orders.errors import IllegalTransition
from orders.models import Fulfilment, Order

S = Order.Status
F = Fulfilment.Status

ORDER_TRANSITIONS: dict[str, set[str]] = {
    S.AWAITING_PAYMENT: {S.PAID, S.CANCELLED, S.EXPIRED},
    S.CONFIRMED: {S.CANCELLED, S.COMPLETED},
    S.PAID: {S.CANCELLED, S.COMPLETED},
    S.COMPLETED: {S.REFUNDED},
}

# A parcel is cancelled only with its whole order (order_cancel), which gives the stock back.
FULFILMENT_TRANSITIONS: dict[str, set[str]] = {
    F.NEW: {F.PACKED},
    F.PACKED: {F.SHIPPED},
    F.SHIPPED: {F.DELIVERED},
}

# An order whose parcels may be packed and sent: confirmed cash on delivery, or paid.
FULFILLABLE = {S.CONFIRMED, S.PAID}


def check_order_transition(current: str, requested: str) -> None:
    if requested not in ORDER_TRANSITIONS.get(current, set()):
        raise IllegalTransition(
            _("An order that is “%(current)s” cannot become “%(requested)s”.")
            % {"current": S(current).label, "requested": S(requested).label},
            current=current,
            requested=requested,
        )


def check_fulfilment_transition(current: str, requested: str) -> None:
    if requested not in FULFILMENT_TRANSITIONS.get(current, set()):
        raise IllegalTransition(
            _("A parcel that is “%(current)s” cannot become “%(requested)s”.")
            % {"current": F(current).label, "requested": F(requested).label},
            current=current,
            requested=requested,
        )
