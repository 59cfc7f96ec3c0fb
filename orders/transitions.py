"""The allowed moves of an order and of a parcel; anything else is an ``IllegalTransition``."""

from __future__ import annotations

import itertools

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

# The one path of a parcel, in order; every move goes one step along it. A parcel is cancelled with its whole
# order (order_cancel), or alone when refunded in full before it left (parcel_refund); either gives its stock back.
PARCEL_PATH: tuple[str, ...] = (F.NEW, F.PACKED, F.SHIPPED, F.DELIVERED)

FULFILMENT_TRANSITIONS: dict[str, set[str]] = {
    current: {following} for current, following in itertools.pairwise(PARCEL_PATH)
}


def parcel_next_step(current: str) -> str | None:
    """The status a parcel moves to next, or None at the end of its path (or off it: cancelled)."""
    return next(iter(FULFILMENT_TRANSITIONS.get(current, ())), None)


def parcel_steps(current: str, target: str) -> list[str]:
    """The statuses a parcel passes through, one legal move at a time, from ``current`` to ``target``
    (empty when it is there already or beyond)."""
    if current not in PARCEL_PATH or target not in PARCEL_PATH:
        return []
    return list(PARCEL_PATH[PARCEL_PATH.index(current) + 1 : PARCEL_PATH.index(target) + 1])


def parcel_reached(current: str, target: str) -> bool:
    """Whether a parcel in ``current`` is at ``target`` or past it on its path."""
    return current in PARCEL_PATH and PARCEL_PATH.index(current) >= PARCEL_PATH.index(target)


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
