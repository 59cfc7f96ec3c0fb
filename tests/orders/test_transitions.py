"""The parcel's path is defined once, in ``orders.transitions``: every step a producer or a depot is offered
follows it."""

from __future__ import annotations

import itertools

import pytest

from orders.errors import IllegalTransition
from orders.forms import ParcelTransitionForm
from orders.models import Fulfilment
from orders.transitions import (
    PARCEL_PATH,
    check_fulfilment_transition,
    parcel_next_step,
    parcel_reached,
    parcel_steps,
)

F = Fulfilment.Status


def test_a_parcel_goes_new_packed_shipped_delivered_one_step_at_a_time():
    assert PARCEL_PATH == (F.NEW, F.PACKED, F.SHIPPED, F.DELIVERED)
    for current, following in itertools.pairwise(PARCEL_PATH):
        assert parcel_next_step(current) == following
        check_fulfilment_transition(current, following)
    assert parcel_next_step(F.DELIVERED) is None
    assert parcel_next_step(F.CANCELLED) is None


@pytest.mark.parametrize(("current", "requested"), [(F.NEW, F.SHIPPED), (F.SHIPPED, F.PACKED), (F.NEW, F.CANCELLED)])
def test_skipping_going_back_or_cancelling_a_lone_parcel_is_illegal(current, requested):
    with pytest.raises(IllegalTransition):
        check_fulfilment_transition(current, requested)


def test_a_depot_hand_over_walks_every_step_between():
    assert parcel_steps(F.NEW, F.DELIVERED) == [F.PACKED, F.SHIPPED, F.DELIVERED]
    assert parcel_steps(F.SHIPPED, F.SHIPPED) == []
    assert parcel_reached(F.DELIVERED, F.SHIPPED) and not parcel_reached(F.PACKED, F.SHIPPED)


def test_the_producers_form_offers_the_steps_of_the_path():
    offered = [value for value, _label in ParcelTransitionForm().fields["to"].choices]
    assert offered == list(PARCEL_PATH[1:])
