"""The live API fuzzed against its own OpenAPI schema with schemathesis.

The server runs on a real port (pytest-django's ``live_server``) over the test
database; schemathesis reads ``/api/schema/`` from it, generates requests that
fit the schema and requests that do not, and fails on any 5xx, any status
code, content type or body the schema does not describe, and any request
outside the schema that is accepted. Reads run anonymously; writes run as a
shopper and as a producer member, each with its own token. Half of the
generated path parameters are swapped for objects that exist, so requests
reach real products, variants, orders and parcels and not only 404s.

Every check schemathesis has runs (``--checks all``): also that schema-valid
data is accepted (``positive_data_acceptance``, short of the refusals listed in
``BEYOND_THE_SCHEMA``), that a missing required header is refused, that a method
the schema does not list answers 405 with ``Allow``, that an operation needing
credentials refuses a request without them, and, in the stateful runs that chain
the operations by the links schemathesis infers (create, then read, change and
delete what was created), that a deleted object answers 404 and a created one is
found. ``DELETE /auth/token/`` revokes the caller's token: it is issued again,
with the same key, after every call.

``FUZZ_EXAMPLES`` raises the number of examples per operation for a deeper run.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    object_level_authorization,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from marketplace import rate_limits
from marketplace.models import User
from orders.services import LineRequest, order_place
from tests.factories import (
    DepotFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)
from tests.orders.conftest import CONTACT, ship

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))

# What a schema cannot state, so that a request valid by the schema may still be refused with 400 naming the
# field: whether a slug or an id names an object that exists, is on sale, is the caller's or is still free (a
# SKU, a product's slug, a username, an email address), whether a cursor carries the server's signature, how
# strong a password is, whether an upload decodes as a photo, and rules between fields (a price range's two
# ends, a live session's start and end, a flash price below the variant's price, a tracking number to ship to an
# address). A refusal of schema-valid data that names any other field fails.
BEYOND_THE_SCHEMA: dict[str, set[str]] = {
    "GET /api/v1/products/": {"cursor", "max_price"},
    "GET /api/v1/orders/": {"cursor"},
    "GET /api/v1/fulfilments/": {"cursor"},
    "POST /api/v1/auth/register/": {"username", "email", "password"},
    # Whether a texted code was sent with it (or a ticket), and a new account's name, email and password.
    "POST /api/v1/auth/phone/token/": {"sms_code", "display_name", "email", "password"},
    "POST /api/v1/orders/": {"lines", "delivery.depot", "live_session"},
    "POST /api/v1/products/": {"category", "producer", "slug", "name_zh", "name_ug", "name_en", "status", "concepts"},
    "PATCH /api/v1/products/{slug}/": {
        "category",
        "concepts",
        "status",
        "name_zh",
        "name_ug",
        "name_en",
        "harvest_start_month",
        "harvest_end_month",
    },
    "POST /api/v1/products/{slug}/variants/": {"sku", "name_zh", "name_ug", "name_en"},
    "PATCH /api/v1/variants/{id}/": {"sku", "expected_stock", "name_zh", "name_ug", "name_en"},
    "POST /api/v1/products/{slug}/images/": {"image"},
    "POST /api/v1/fulfilments/{id}/transition/": {"tracking_number"},
    # A stream's address is a URL whose host Django's URLValidator reads more strictly than "format: uri" says.
    "POST /api/v1/host/sessions/": {"starts_at", "ends_at", "name_zh", "name_ug", "name_en", "stream_url"},
    "PATCH /api/v1/host/sessions/{slug}/": {"starts_at", "ends_at", "name_zh", "name_ug", "name_en", "stream_url"},
    "POST /api/v1/host/sessions/{slug}/cover/": {"cover"},
    "POST /api/v1/host/sessions/{slug}/items/": {"variant", "flash_price", "per_shopper_limit"},
    "PATCH /api/v1/host/items/{id}/": {"flash_price", "quantity_cap", "per_shopper_limit"},
    # An item that has sold cannot be removed: 400 has_sales.
    "DELETE /api/v1/host/items/{id}/": {"detail", "code"},
}


def _fields(body: object, path: str = "") -> set[str]:
    """The fields a 400's messages name, nested ones by their path (``delivery.depot``)."""
    if not isinstance(body, dict):
        return {path or "detail"}
    named: set[str] = set()
    for key, value in body.items():
        child = f"{path}.{key}" if path else str(key)
        named |= _fields(value, child) if isinstance(value, dict) else {child}
    return named


def positive_data_acceptance_but_for_what_no_schema_states(ctx, response, case):
    """schemathesis's ``positive_data_acceptance``, but a 400 naming only ``BEYOND_THE_SCHEMA``'s fields passes."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400:
            try:
                named = _fields(response.json())
            except ValueError:
                named = {"detail"}
            if named <= BEYOND_THE_SCHEMA.get(case.operation.label, set()):
                return None
        raise


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance_but_for_what_no_schema_states,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
    use_after_free,
    ensure_resource_availability,
    object_level_authorization,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Scenarios of a few steps each: create, then read, change or delete what was created.
STATEFUL_SETTINGS = settings(
    max_examples=max(EXAMPLES // 3, 5),
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class World:
    """Real objects for path parameters, and a token per role."""

    tokens: dict[str, str]
    # (path template, parameter name) → a value that names an existing object
    real: dict[tuple[str, str], str] = field(default_factory=dict)


@pytest.fixture
def world(transactional_db) -> World:
    cache.clear()
    member = MembershipFactory(user__username="fuzz-member").user
    producer = member.memberships.get().producer
    shopper = UserFactory(username="fuzz-shopper")
    depot = DepotFactory(village=producer.village)
    product = ProductFactory(producer=producer, is_perishable=False)
    variant = VariantFactory(product=product, stock=10_000, price=Decimal("25.00"))
    ProductImageFactory(product=product)
    other = VariantFactory(stock=10_000)
    session = LiveSessionFactory(status="live")
    LiveSessionItemFactory(session=session, variant=variant)
    order = order_place(
        shopper=shopper,
        contact=CONTACT,
        lines=[LineRequest(variant_id=variant.pk, quantity=1), LineRequest(variant_id=other.pk, quantity=1)],
        delivery=ship(),
        payment_method="cod",
    )
    parcel = order.fulfilments.get(producer=producer)
    real = {
        ("/api/v1/villages/{slug}/", "slug"): producer.village.slug,
        ("/api/v1/producers/{slug}/", "slug"): producer.slug,
        ("/api/v1/products/{slug}/", "slug"): product.slug,
        ("/api/v1/products/{slug}/variants/", "slug"): product.slug,
        ("/api/v1/products/{slug}/images/", "slug"): product.slug,
        ("/api/v1/variants/{id}/", "id"): str(variant.pk),
        ("/api/v1/orders/{number}/", "number"): order.number,
        ("/api/v1/orders/{number}/cancel/", "number"): order.number,
        ("/api/v1/fulfilments/{id}/transition/", "id"): str(parcel.pk),
        ("/api/v1/live-sessions/{slug}/", "slug"): session.slug,
    }
    real[("/api/v1/depots/{slug}/", "slug")] = depot.slug
    tokens = {user.username: Token.objects.create(user=user).key for user in (member, shopper)}
    return World(tokens=tokens, real=real)


def load_schema(url: str):
    """The API's schema as schemathesis reads it, generating text without NUL characters.

    Every text field refuses NUL (PostgreSQL cannot store it), which a pattern cannot say beside the field's own;
    tests/marketplace/test_input_fuzz.py sends NUL to every field instead."""
    api = schemathesis.openapi.from_url(url)
    api.config.generation.update(allow_x00=False)
    return api


@pytest.fixture
def api_schema(live_server, world):
    return load_schema(f"{live_server.url}/api/schema/")


schema = schemathesis.pytest.from_fixture("api_schema")


def _aim(case, world: World) -> None:
    """Point about half of the cases at objects that exist (chosen from the generated value, so runs repeat)."""
    for name, value in list((case.path_parameters or {}).items()):
        real = world.real.get((case.operation.path, name))
        if real is not None and zlib.crc32(repr(value).encode()) % 2 == 0:
            case.path_parameters[name] = real


def _reissue(world: World) -> None:
    """The tokens again, with the same keys, after a call of ``DELETE /auth/token/`` revoked one."""
    for username, key in world.tokens.items():
        if not Token.objects.filter(key=key).exists():
            Token.objects.filter(user__username=username).delete()
            Token.objects.create(key=key, user=User.objects.get(username=username))


def _call(case, world: World, username: str | None = None) -> None:
    rate_limits.clear_all()  # throttles would otherwise answer 429 to the rest of the run
    _aim(case, world)
    headers = {"Authorization": f"Token {world.tokens[username]}"} if username else {}
    # A multipart form carries text only: a "wrong type" schemathesis sends there (null, a number) arrives as
    # text, which is a valid alt text, so accepting it is right. Every other check still runs on uploads.
    multipart = case.media_type == "multipart/form-data"
    try:
        case.call_and_validate(
            headers=headers, checks=CHECKS, excluded_checks=[negative_data_rejection] if multipart else None
        )
    finally:
        _reissue(world)


def _run_statefully(api_schema, world: World, username: str) -> None:
    """The operations chained by the links schemathesis infers, as ``username``, with every check."""

    class Machine(api_schema.as_state_machine()):
        def setup(self) -> None:
            rate_limits.clear_all()

        def get_call_kwargs(self, case) -> dict:
            return {"headers": {"Authorization": f"Token {world.tokens[username]}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder)
            finally:
                _reissue(world)

    Machine.run(settings=STATEFUL_SETTINGS)


@schema.include(method="GET").parametrize()
@FUZZ_SETTINGS
def test_reads_anonymously_stay_within_the_schema(case, world):
    _call(case, world)


@schema.include(method=["POST", "PATCH", "PUT", "DELETE"]).parametrize()
@FUZZ_SETTINGS
def test_writes_as_a_shopper_stay_within_the_schema(case, world):
    _call(case, world, "fuzz-shopper")


@schema.include(method=["POST", "PATCH", "PUT", "DELETE"]).parametrize()
@FUZZ_SETTINGS
def test_writes_as_a_producer_member_stay_within_the_schema(case, world):
    _call(case, world, "fuzz-member")


def test_chains_of_calls_as_a_producer_member_stay_within_the_schema(api_schema, world):
    """Products, variants and photos created, then read, changed and deleted: a deleted one answers 404."""
    _run_statefully(api_schema, world, "fuzz-member")


def test_chains_of_calls_as_a_shopper_stay_within_the_schema(api_schema, world):
    """Orders placed, then read and cancelled."""
    _run_statefully(api_schema, world, "fuzz-shopper")
