"""Registrations racing on their own database connections: one account per username and per email."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from accounts.services import shopper_register
from marketplace.models import User
from tests.orders.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def _outcomes(results: list[object]) -> Counter:
    return Counter(
        next(iter(result.message_dict)) if isinstance(result, ValidationError) else type(result).__name__
        for result in results
    )


def test_six_sign_ups_with_one_email_make_one_account():
    results = race(
        6,
        lambda i: shopper_register(username=f"gulnar{i}", email="Gulnar@Example.com", password="apricot-harvest-2026"),
    )
    assert _outcomes(results) == {"User": 1, "email": 5}
    assert User.objects.filter(email__iexact="gulnar@example.com").count() == 1


def test_six_sign_ups_with_one_username_make_one_account():
    results = race(
        6, lambda i: shopper_register(username="gulnar", email=f"g{i}@example.com", password="apricot-harvest-2026")
    )
    assert _outcomes(results) == {"User": 1, "username": 5}
    assert User.objects.filter(username="gulnar").count() == 1
