"""The host's and the producer's live endpoints fuzzed against the OpenAPI schema, signed in as whom they serve.

``tests/marketplace/test_api_fuzz.py`` fuzzes the whole API anonymously, as a shopper and as a producer member; a
host's endpoints answer those callers 401, 403 or 404 only. Here schemathesis calls them as a host, with about half
of the path parameters naming the host's own session and item, and the proposals as the member whose variant is
proposed, with the same checks: no 5xx, nothing outside the schema, nothing schema-invalid accepted.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token

from live.models import LiveSession, LiveSessionItem
from tests.factories import HostFactory, LiveSessionFactory, LiveSessionItemFactory, MembershipFactory, VariantFactory
from tests.marketplace.test_api_fuzz import FUZZ_SETTINGS, World, _call, load_schema


@pytest.fixture
def world(transactional_db) -> World:
    cache.clear()
    member = MembershipFactory(user__username="fuzz-member").user
    producer = member.memberships.get().producer
    host = HostFactory(user__username="fuzz-host")
    starts = timezone.now() + timedelta(hours=1)
    session = LiveSessionFactory(host=host, starts_at=starts, ends_at=starts + timedelta(hours=2))
    item = LiveSessionItemFactory(
        session=session,
        variant=VariantFactory(product__producer=producer),
        consent=LiveSessionItem.Consent.PROPOSED,
    )
    VariantFactory(product__producer=producer)  # one more to feature
    real = {
        ("/api/v1/host/sessions/{slug}/", "slug"): session.slug,
        ("/api/v1/host/items/{id}/", "id"): str(item.pk),
        ("/api/v1/live-proposals/{id}/accept/", "id"): str(item.pk),
        ("/api/v1/live-proposals/{id}/decline/", "id"): str(item.pk),
    }
    for action in ("go-live", "end", "cancel", "cover", "items", "figures"):
        real[(f"/api/v1/host/sessions/{{slug}}/{action}/", "slug")] = session.slug
    tokens = {user.username: Token.objects.create(user=user).key for user in (member, host.user)}
    return World(tokens=tokens, real=real)


@pytest.fixture
def api_schema(live_server, world):
    return load_schema(f"{live_server.url}/api/schema/")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(path_regex=r"^/api/v1/host/").parametrize()
@FUZZ_SETTINGS
def test_the_host_endpoints_as_a_host_stay_within_the_schema(case, world):
    _call(case, world, "fuzz-host")
    # Whatever was sent, the database still holds only what its constraints allow.
    assert all(session.ends_at > session.starts_at for session in LiveSession.objects.all())


@schema.include(path_regex=r"^/api/v1/live-proposals/").parametrize()
@FUZZ_SETTINGS
def test_the_proposals_as_a_member_stay_within_the_schema(case, world):
    _call(case, world, "fuzz-member")
