"""What every API test shares: a client per role, and a snapshot to prove a denied request changed nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from rest_framework.test import APIClient

from marketplace import rate_limits
from marketplace.models import User
from producers.models import Producer
from tests.factories import MembershipFactory, ProducerFactory, UserFactory


@dataclass
class Roles:
    """The six callers the API distinguishes, each with a signed-in client (``anonymous`` has none)."""

    shopper: User
    other_shopper: User
    member: User
    producer: Producer
    other_member: User
    other_producer: Producer
    staff: User

    def client(self, role: str) -> APIClient:
        """``role`` is "anonymous" or the name of a user field above; token auth, as a mobile app signs in."""
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(user=getattr(self, role))
        return client


# The queries of an API request include one for its throttles' shared count (marketplace/rate_limits.py),
# which the tests keep in the database as a server without Redis does.
COUNTED = 1

ROLES = ("anonymous", "shopper", "other_shopper", "member", "other_member", "staff")


def make_roles() -> Roles:
    rate_limits.clear_all()  # throttles count per client address across tests otherwise
    producer = ProducerFactory(slug="tuyoq-vineyard", name_en="Tuyoq Vineyard")
    other_producer = ProducerFactory(slug="hami-melons", name_en="Hami Melons")
    return Roles(
        shopper=UserFactory(username="shopper"),
        other_shopper=UserFactory(username="other-shopper"),
        member=MembershipFactory(producer=producer, user__username="member").user,
        producer=producer,
        other_member=MembershipFactory(producer=other_producer, user__username="other-member").user,
        other_producer=other_producer,
        staff=UserFactory(username="staff", is_staff=True, is_superuser=True),
    )


def snapshot(app_labels: Iterable[str] = ("catalog", "orders", "producers", "live")) -> dict[str, list[tuple]]:
    """Every row of the apps' tables, to compare before and after a request that must change nothing."""
    state: dict[str, list[tuple]] = {}
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            fields = [field.attname for field in model._meta.concrete_fields]
            # The base manager: every row, also those a default manager leaves out (photos not ready yet).
            rows = model._base_manager.order_by().values_list(*fields)
            # Binary columns come as memoryviews, compared and ordered here by their bytes.
            rows = [tuple(bytes(value) if isinstance(value, memoryview) else value for value in row) for row in rows]
            state[model._meta.label] = sorted(rows, key=repr)
    return state


def file_count(field: models.FileField) -> int:
    """Files stored under a file field's folder, to prove a refused upload stored nothing."""
    storage = field.storage
    folder = field.upload_to if isinstance(field.upload_to, str) else ""
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    return len(files)
