"""Reads that the API and pages share: which producer a member adds a product for."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from catalog.selectors import producer_for_member
from tests.factories import MembershipFactory, ProducerFactory

CHOOSE = "Choose one of the producers you are a member of."
NAME_ONE = "Name the producer this product belongs to, one you are a member of."


def refusal(**kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        producer_for_member(**kwargs)
    return caught.value.message_dict


def test_a_member_of_one_producer_need_not_name_it(roles):
    assert producer_for_member(user=roles.member) == roles.producer
    assert producer_for_member(user=roles.member, slug="tuyoq-vineyard") == roles.producer


def test_a_member_of_several_producers_names_one_of_them(roles):
    second = MembershipFactory(producer=ProducerFactory(slug="second-farm"), user=roles.member).producer

    assert refusal(user=roles.member) == {"producer": [NAME_ONE]}
    assert producer_for_member(user=roles.member, slug="second-farm") == second


@pytest.mark.parametrize("user", ["shopper", "other_member", "staff", "anonymous"])
def test_a_producer_one_is_not_a_member_of_is_refused_like_one_that_does_not_exist(roles, user):
    caller = AnonymousUser() if user == "anonymous" else getattr(roles, user)

    assert refusal(user=caller, slug="tuyoq-vineyard") == {"producer": [CHOOSE]}
    assert refusal(user=caller, slug="no-such-farm") == {"producer": [CHOOSE]}


@pytest.mark.parametrize("user", ["shopper", "staff", "anonymous"])
def test_someone_who_is_a_member_of_no_producer_is_asked_to_name_one(roles, user):
    caller = AnonymousUser() if user == "anonymous" else getattr(roles, user)

    assert refusal(user=caller) == {"producer": [NAME_ONE]}
