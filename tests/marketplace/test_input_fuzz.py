"""No input answers 5xx: every endpoint of the API and every form of the site, fed odd shapes and values.

The API's operations are read from its OpenAPI schema, generated in the process as ``/api/schema/`` serves it;
the site's routes from the URL resolver, and their forms from the pages themselves (each route's page is read as
the role it serves, and every ``<form>`` on it is filled as the page fills it). Each is called through Django's
test client, anonymously and as the user it serves (a shopper, a producer member, a host, a depot manager), with:

- bodies of every odd shape: nested a thousand deep, over the size limit and just under it, ``NaN``,
  ``Infinity``, ``1e999``, integers of 5,000 digits, truncated JSON, bytes that are not UTF-8, other charsets and
  content types, too many form fields;
- in every field in turn, and in all of them at once: huge and negative numbers, floats, ``NaN``/``Infinity``/
  ``sNaN`` strings, empty strings, NUL characters (PostgreSQL refuses them in text), lone surrogates, text
  running right to left, wrong types (a list for an object, an object for a string), ``null``;
- every field's boundaries as the schema or the form states them: its maximum and one past it, its minimum and
  one below, its longest text and one character more, its most items and one more, a choice it does not offer;
- odd query parameters, path parameters and headers (``Idempotency-Key``, ``Authorization``, ``Accept-Language``).

Every request runs in a savepoint rolled back after it, so each meets the same rows. The test fails listing every
request answered with a 5xx or an exception; it reports how many requests it sent.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from live.models import LiveSessionItem
from marketplace.validators import MAX_PRICE
from orders.models import Order, Payment
from orders.services import LineRequest, order_place
from tests.factories import (
    CartFactory,
    CartLineFactory,
    DepotFactory,
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)
from tests.orders.conftest import CONTACT, ship

DEEP = 1_000
OVER_LIMIT = 3 * 1024 * 1024  # bytes: past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
UNDER_LIMIT = 2 * 1024 * 1024  # bytes: 2 MB, read and parsed


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


# Put in every field in turn (the first ones) and in every field at once (all of them).
EACH_FIELD = [None, 10**30, -1, "", "\u0000", "NaN", [], {}]
ALL_FIELDS = [
    *EACH_FIELD,
    True,
    0,
    1.5,
    -(10**30),
    2**63,
    1e308,
    5e-324,
    " ",
    "a\u0000b",
    "\ud800",
    "Infinity",
    "-Infinity",
    "sNaN",
    "1e999",
    "-0",
    "１２３",
    "\u202eevil",
    "🍇" * 3,
    "x" * 10_000,
    [1, "a"],
    {"a": {"b": [None]}},
    _nested(40),
]
# What a form's fields get all at once (a form's body is UTF-8: it cannot carry a lone surrogate).
FORM_TEXT = [
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "-1",
    "0",
    "1.5",
    str(10**30),
    "NaN",
    "Infinity",
    "sNaN",
    "1e999",
    "１２３",
    "\u202eevil",
    "🍇" * 3,
    "x" * 10_000,
]
# Query and path parameters are text.
ODD_TEXT = ["", " ", "\u0000", "-1", "1.5", "NaN", "sNaN", "1e999", "9" * 30, "x" * 5_000, "１２３", "[]"]
# The bodies sent anonymously to an operation that needs a user.
ANONYMOUS_BODIES = {"arrays 100,000 deep", "objects 1,000 deep", "3 MB", "not UTF-8", "form, too many fields"}


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]
    # (path template, parameter) → a value naming an object that exists
    path_values: dict[tuple[str, str], str]
    # operation id → top-level body fields set to real values (ids, slugs, a stock count to expect)
    body_values: dict[str, dict[str, Any]]
    # storefront route parameter → a value naming an object that exists
    route_values: dict[str, str]


@dataclass
class Run:
    """Every request sent and every one answered with a 5xx or an exception."""

    clients: dict[str, Client]
    world: World
    sent: int = 0
    failures: list[str] = field(default_factory=list)

    def send(self, role: str, method: str, path: str, label: str, **kwargs: Any) -> int | None:
        self.sent += 1
        client = self.clients[role]
        if role != "anonymous" and path.startswith("/api/") and "HTTP_AUTHORIZATION" not in kwargs:
            kwargs["HTTP_AUTHORIZATION"] = f"Token {self.world.tokens[role]}"
        if isinstance(kwargs.get("data"), str | bytes):
            # A raw body goes out as it is: the client's post() would re-encode it in the charset it names.
            call = client.generic
            kwargs.setdefault("content_type", "application/octet-stream")
            args: tuple = (method, path)
        else:
            call = getattr(client, method.lower())
            args = (path,)
        cookies = copy.deepcopy(client.cookies)  # a sign-out, a new session or a language is rolled back too
        try:
            with transaction.atomic():
                response = call(*args, **kwargs)
                transaction.set_rollback(True)
        except Exception as error:  # the point of the test: any exception is a 500 a visitor would get
            self.failures.append(f"{role} {method} {path} [{label}]: {type(error).__name__}: {error}"[:500])
            return None
        finally:
            client.cookies = cookies
        if response.status_code >= 500:
            self.failures.append(f"{role} {method} {path} [{label}]: {response.status_code}")
        return response.status_code


@pytest.fixture
def world(db, settings) -> World:
    # Throttles and sign-in limits would answer 429 long before the fuzzing is done.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min"),
    }
    for name in dir(django_settings):
        if name.startswith(("SIGN_IN_LIMIT_", "PASSWORD_RESET_LIMIT_")):
            setattr(settings, name, "1000000/min")

    member = MembershipFactory(user__username="fuzz-member").user
    producer = member.memberships.get().producer
    shopper = UserFactory(username="fuzz-shopper")
    manager = UserFactory(username="fuzz-manager")
    depot = DepotFactory(village=producer.village)
    depot.managers.add(manager)
    product = ProductFactory(producer=producer, is_perishable=False)
    variant = VariantFactory(product=product, stock=100_000, price=MAX_PRICE)
    cheap = VariantFactory(product=product, stock=100_000, price=Decimal("25.00"))
    image = ProductImageFactory(product=product)
    other = VariantFactory(stock=100_000)
    host = HostFactory(user__username="fuzz-host")
    on_air = LiveSessionFactory(host=host, status="live", went_live_at=timezone.now())
    LiveSessionItemFactory(session=on_air, variant=cheap, flash_price=Decimal("20.00"))
    starts = timezone.now() + timedelta(days=1)
    scheduled = LiveSessionFactory(host=host, starts_at=starts, ends_at=starts + timedelta(hours=2))
    proposal = LiveSessionItemFactory(
        session=scheduled, variant=cheap, flash_price=Decimal("19.00"), consent=LiveSessionItem.Consent.PROPOSED
    )
    order, unpaid = (
        order_place(
            shopper=shopper,
            contact=CONTACT,
            lines=[LineRequest(variant_id=cheap.pk, quantity=1), LineRequest(variant_id=other.pk, quantity=1)],
            delivery=ship(),
            payment_method=method,
        )
        for method in ("cod", "online")
    )
    parcel = order.fulfilments.get(producer=producer)
    payment = Payment.objects.get(order=unpaid)
    CartLineFactory(cart=CartFactory(user=shopper), variant=cheap, quantity=2)

    users = {"shopper": shopper, "member": member, "host": host.user, "manager": manager}
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    path_values = {
        ("/api/v1/villages/{slug}/", "slug"): producer.village.slug,
        ("/api/v1/producers/{slug}/", "slug"): producer.slug,
        ("/api/v1/products/{slug}/", "slug"): product.slug,
        ("/api/v1/products/{slug}/variants/", "slug"): product.slug,
        ("/api/v1/products/{slug}/images/", "slug"): product.slug,
        ("/api/v1/variants/{id}/", "id"): str(variant.pk),
        ("/api/v1/orders/{number}/", "number"): order.number,
        ("/api/v1/orders/{number}/cancel/", "number"): order.number,
        ("/api/v1/fulfilments/{id}/transition/", "id"): str(parcel.pk),
        ("/api/v1/live-sessions/{slug}/", "slug"): on_air.slug,
        ("/api/v1/host/sessions/{slug}/", "slug"): scheduled.slug,
        ("/api/v1/host/items/{id}/", "id"): str(proposal.pk),
        ("/api/v1/live-proposals/{id}/accept/", "id"): str(proposal.pk),
        ("/api/v1/live-proposals/{id}/decline/", "id"): str(proposal.pk),
    }
    for action in ("go-live", "end", "cancel", "cover", "items", "figures"):
        path_values[(f"/api/v1/host/sessions/{{slug}}/{action}/", "slug")] = scheduled.slug
    body_values = {
        "auth_token_create": {"username": "fuzz-shopper", "password": "oasis-test"},
        "auth_register": {"username": "fuzz-new", "email": "fuzz-new@example.com", "password": "grape-harvest-2025!"},
        "orders_create": {
            "lines": [{"variant": cheap.pk, "quantity": 1}, {"variant": variant.pk, "quantity": 1}],
            "live_session": on_air.slug,
            "payment_method": "cod",
            # One unit at the live price and one at MAX_PRICE.
            "expected_subtotal": str(Decimal("20.00") + MAX_PRICE),
        },
        "products_create": {"producer": producer.slug, "category": product.category.slug, "slug": "fuzz-new"},
        "products_partial_update": {"category": product.category.slug},
        "products_variants_create": {"sku": "FUZZ-NEW"},
        "variants_partial_update": {"expected_stock": variant.stock, "sku": variant.sku},
        "host_sessions_create": {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        },
        "host_sessions_partial_update": {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        },
        "host_sessions_items_create": {"variant": other.pk, "flash_price": "1.00"},
        "host_items_partial_update": {"flash_price": "1.00"},
        "fulfilments_transition": {"to": "packed"},
    }
    route_values = {
        "products/<slug:slug>/": product.slug,
        "producers/<slug:slug>/": producer.slug,
        "villages/<slug:slug>/": producer.village.slug,
        "live/<slug:slug>/": on_air.slug,
        "host/sessions/<slug:slug>/": scheduled.slug,
        "producer": producer.slug,
        "depot": depot.slug,
        "provider": "simulated",
        "number": order.number,
        "reference": payment.provider_reference,
        "item": str(proposal.pk),
        "variants/<int:pk>/": str(variant.pk),
        "photos/<int:pk>/": str(image.pk),
        "orders/<int:pk>/": str(parcel.pk),
        "slug": product.slug,
        "uidb64": "MQ",
        "token": "set-password",
    }
    return World(users, tokens, path_values, body_values, route_values)


@pytest.fixture
def run(world) -> Run:
    clients = {"anonymous": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return Run(clients=clients, world=world)


def test_no_input_answers_a_server_error(run, world):
    """Every API operation and every form of the site, fed the odd input above, answers below 500."""
    started = time.monotonic()
    counts = {}
    for name, part in (("api", _fuzz_api), ("site", _fuzz_site), ("webhook", _fuzz_webhook)):
        began = time.monotonic()
        counts[name] = (part(run), round(time.monotonic() - began, 1))
    elapsed = time.monotonic() - started
    print(f"\ninput fuzz: {run.sent} requests ({counts}) in {elapsed:.1f} s")
    assert not run.failures, f"{len(run.failures)} of {run.sent} requests answered 5xx:\n" + "\n".join(
        run.failures[:60]
    )


# The API, from its schema


def _fuzz_api(run: Run) -> int:
    before = run.sent
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            op = Operation(path, method.upper(), operation, components, run.world)
            role = op.role()
            op.fuzz_parameters(run, role)
            if method == "get":
                continue
            op.fuzz_raw_bodies(run, "anonymous")
            if role != "anonymous":
                op.fuzz_raw_bodies(run, role)
            op.fuzz_fields(run, role)
    _fuzz_headers(run)
    return run.sent - before


def _resolve(node: dict, components: dict) -> dict:
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[1]]
    return node


# Texts tried, in order, for a string with a pattern: the first that matches is its sample value.
PATTERN_SAMPLES = ["a", "abc", "1", "1.00", "13800138000", "100000", "2025-07", "OM0123456789AB"]


def _sample(node: dict, components: dict) -> Any:
    """A value the schema accepts, built from its types: the base every field's odd values replace in turn."""
    node = _resolve(node, components)
    for key in ("oneOf", "anyOf", "allOf"):
        if key in node:
            return _sample(node[key][0], components)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {
            name: _sample(sub, components)
            for name, sub in node.get("properties", {}).items()
            if not _resolve(sub, components).get("readOnly")
        }
    if kind == "array":
        return [_sample(node.get("items", {}), components) for _ in range(max(node.get("minItems", 1), 1))]
    if kind == "integer":
        return max(node.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    fmt = node.get("format")
    if fmt == "date-time":
        return (timezone.now() + timedelta(days=1)).isoformat()
    if fmt == "uri":
        return "https://example.com/a"
    if fmt == "email":
        return "a@example.com"
    if fmt == "binary":
        return None
    if "pattern" in node:
        return next((text for text in PATTERN_SAMPLES if re.search(node["pattern"], text)), "a")
    return "a" * max(node.get("minLength", 1), 1)


def _bounds(node: dict, components: dict) -> list[Any]:
    """The values at and just past every bound the schema states for ``node``."""
    node = _resolve(node, components)
    values: list[Any] = []
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        values += _bounds(branch, components)
    if "enum" in node:
        values.append("not-a-choice")
    for key, step in (("maximum", 1), ("minimum", -1)):
        if key in node:
            bound = node[key]
            values += [bound, bound + step]
            if isinstance(bound, float) or node.get("type") == "number":
                values += [str(Decimal(str(bound))), str(Decimal(str(bound)) + Decimal(step) / 100)]
    if "maxLength" in node:
        values += ["a" * node["maxLength"], "a" * (node["maxLength"] + 1), "é" * (node["maxLength"] + 1)]
    if node.get("minLength", 0) > 0:
        values.append("a" * (node["minLength"] - 1))
    if "maxItems" in node:
        item = _sample(node.get("items", {}), components)
        values += [[item] * node["maxItems"], [item] * (node["maxItems"] + 1)]
    if node.get("format") == "date-time":
        values += ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "2025-02-30T00:00:00Z"]
    return values


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in a body, containers and leaves, outermost first."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield (*prefix, key)
            yield from _paths(sub, (*prefix, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield (*prefix, index)
            yield from _paths(sub, (*prefix, index))


def _replaced(value: Any, path: tuple, new: Any) -> Any:
    result = copy.deepcopy(value)
    target = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return result


def _everywhere(value: Any, new: Any) -> Any:
    """``value`` with every leaf replaced by ``new``."""
    if isinstance(value, dict):
        return {key: _everywhere(sub, new) for key, sub in value.items()} or new
    if isinstance(value, list):
        return [_everywhere(sub, new) for sub in value] or new
    return new


def _schema_at(node: dict, path: tuple, components: dict) -> dict:
    for key in path:
        node = _resolve(node, components)
        if "oneOf" in node or "anyOf" in node:
            branches = [_resolve(b, components) for b in node.get("oneOf", node.get("anyOf", []))]
            node = next((b for b in branches if key in b.get("properties", {})), branches[0])
        node = node.get("items", {}) if isinstance(key, int) else node.get("properties", {}).get(key, {})
    return node


class Operation:
    def __init__(self, path: str, method: str, operation: dict, components: dict, world: World) -> None:
        self.template, self.method, self.operation, self.components, self.world = (
            path,
            method,
            operation,
            components,
            world,
        )
        self.id = operation["operationId"]
        self.parameters = [p for p in operation.get("parameters", [])]
        content = operation.get("requestBody", {}).get("content", {})
        self.media_type = next(iter(content), None)
        self.body_schema = content[self.media_type]["schema"] if self.media_type else None

    def role(self) -> str:
        if self.id.startswith(("host_",)):
            return "host"
        if self.id.startswith(("live_proposals_", "fulfilments_", "variants_", "products_images")):
            return "member"
        if self.method != "GET" and self.id.startswith("products_"):
            return "member"
        if self.id.startswith("orders_") or self.id == "auth_token_destroy":
            return "shopper"
        return "anonymous"

    def url(self, overrides: dict[str, str] | None = None) -> str:
        url = self.template
        for parameter in self.parameters:
            if parameter["in"] == "path":
                name = parameter["name"]
                value = (overrides or {}).get(name) or self.world.path_values.get((self.template, name), "1")
                url = url.replace("{" + name + "}", value)
        return url

    def headers(self) -> dict[str, str]:
        return {"HTTP_IDEMPOTENCY_KEY": f"fuzz-{time.monotonic_ns()}"} if self.id == "orders_create" else {}

    def base_body(self) -> Any:
        body = _sample(self.body_schema, self.components)
        if isinstance(body, dict):
            body.update(copy.deepcopy(self.world.body_values.get(self.id, {})))
            if self.id == "orders_create":
                body["delivery"] = {"method": "pickup", "depot": self._depot()}
            if self.media_type == "multipart/form-data":
                body = {key: value for key, value in body.items() if value is not None}
        return body

    def _depot(self) -> str:
        return self.world.route_values["depot"]

    def send_json(self, run: Run, role: str, body: Any, label: str) -> None:
        if self.media_type == "multipart/form-data":
            items = body.items() if isinstance(body, dict) else [("value", body)]
            # A form's text is UTF-8, which cannot carry a lone surrogate: such a value goes as JSON's escape.
            form = {key: value if _utf8(value) else json.dumps(value) for key, value in items}
            run.send(role, self.method, self.url(), label, data=form, **self.headers())
            return
        data = json.dumps(body, allow_nan=True)
        run.send(role, self.method, self.url(), label, data=data, content_type="application/json", **self.headers())

    def fuzz_fields(self, run: Run, role: str) -> None:
        if self.body_schema is None:
            return
        base = self.base_body()
        self.send_json(run, role, base, "base")
        for value in ALL_FIELDS:
            self.send_json(run, role, _everywhere(base, value), f"every field {value!r:.30}")
        # The first item of a list stands for every item.
        for path in (p for p in _paths(base) if not any(isinstance(k, int) and k > 0 for k in p)):
            for value in EACH_FIELD:
                self.send_json(run, role, _replaced(base, path, value), f"{path} = {value!r:.30}")
            for value in _bounds(_schema_at(self.body_schema, path, self.components), self.components):
                self.send_json(run, role, _replaced(base, path, value), f"{path} = {value!r:.30}")
        if isinstance(base, dict):
            self.send_json(run, role, {**base, "unknown_field": 10**30}, "unknown field")
            for name in base:
                self.send_json(run, role, {k: v for k, v in base.items() if k != name}, f"without {name}")

    def fuzz_raw_bodies(self, run: Run, role: str) -> None:
        url = self.url()
        bodies: list[tuple[str, bytes | str, str]] = [
            ("arrays 100,000 deep", "[" * 100_000 + "]" * 100_000, "application/json"),
            ("objects 1,000 deep", '{"a":' * DEEP + "1" + "}" * DEEP, "application/json"),
            ("lists 33 deep", "[" * 33 + "]" * 33, "application/json"),
            ("3 MB", json.dumps({"name_en": "x" * OVER_LIMIT}), "application/json"),
            ("2 MB", json.dumps({"name_en": "x" * UNDER_LIMIT, "lines": [1] * 1000}), "application/json"),
            ("NaN", "NaN", "application/json"),
            ("Infinity", '{"a": Infinity}', "application/json"),
            ("1e999", '{"a": 1e999, "b": -1e999}', "application/json"),
            ("5,000 digits", '{"a": ' + "9" * 5_000 + "}", "application/json"),
            ("10**30", str(10**30), "application/json"),
            ("truncated", '{"lines": [', "application/json"),
            ("not UTF-8", b'{"a": "\xff\xfe\xfa"}', "application/json"),
            ("UTF-16", '{"a": "b"}'.encode("utf-16"), "application/json; charset=utf-16"),
            ("unknown charset", b'{"a": 1}', "application/json; charset=no-such-charset"),
            ("bz2 charset", b'{"a": 1}', "application/json; charset=bz2_codec"),
            ("empty", b"", "application/json"),
            ("null", "null", "application/json"),
            ("list", "[]", "application/json"),
            ("string", '"a"', "application/json"),
            ("NUL", '{"a": "\\u0000"}', "application/json"),
            ("escaped pairs and halves", '{"\\ud83c\\udf47": [1.5, "\\udc00"], "a": 2.5e-7}', "application/json"),
            ("duplicate keys", '{"a": 1, "a": {"b": 2}}', "application/json"),
            ("plain text", "hello", "text/plain"),
            ("form", "a=1&b=%00", "application/x-www-form-urlencoded"),
            ("broken multipart", b"--x\r\nContent-Disposition: form-data", "multipart/form-data; boundary=x"),
            ("multipart, no boundary", b"abc", "multipart/form-data"),
            ("form, too many fields", "&".join(f"f{i}=1" for i in range(1_100)), "application/x-www-form-urlencoded"),
        ]
        if role == "anonymous" and self.role() != "anonymous":
            # Refused at the door (401), but read first where a throttle reads the body.
            bodies = [body for body in bodies if body[0] in ANONYMOUS_BODIES]
        for label, body, content_type in bodies:
            run.send(role, self.method, url, label, data=body, content_type=content_type, **self.headers())
        if self.media_type == "multipart/form-data":
            for label, upload in _odd_uploads():
                run.send(role, self.method, url, label, data=upload)

    def fuzz_parameters(self, run: Run, role: str) -> None:
        queries = [p for p in self.parameters if p["in"] == "query"]
        paths = [p for p in self.parameters if p["in"] == "path"]
        if self.method == "GET" or paths:
            run.send(role, self.method, self.url(), "base")
        for parameter in queries:
            node = parameter.get("schema", {})
            values = [*ODD_TEXT, *(str(v) for v in _bounds(node, self.components) if not isinstance(v, list))]
            for value in values:
                query = urlencode({parameter["name"]: value})
                run.send(role, "GET", f"{self.url()}?{query}", f"{parameter['name']}={value!r:.30}")
        if queries:
            everything = {p["name"]: "9" * 30 for p in queries}
            run.send(role, "GET", f"{self.url()}?{urlencode(everything)}&unknown=1", "every parameter huge")
            doubled = "&".join(f"{p['name']}=1&{p['name']}=2" for p in queries)
            run.send(role, "GET", f"{self.url()}?{doubled}", "every parameter twice")
        for parameter in paths:
            for value in ["0", "-1", "9" * 30, "x" * 300, "a b", "%00", "..", "OM0000000000ZZ"]:
                run.send(role, self.method, self.url({parameter["name"]: value}), f"{parameter['name']}={value:.30}")


def _utf8(value: Any) -> bool:
    return isinstance(value, str) and value.encode(errors="replace") == value.encode(errors="surrogatepass")


def _odd_uploads() -> list[tuple[str, dict]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type=content_type)

    return [
        ("no file", {"alt_text": "a"}),
        ("empty file", {"image": upload("a.jpg", b""), "cover": upload("a.jpg", b"")}),
        ("not an image", {"image": upload("a.jpg", b"hello" * 100), "cover": upload("a.jpg", b"hello" * 100)}),
        ("truncated PNG", {"image": upload("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png")}),
        ("NUL name", {"image": upload("a\u0000.jpg", b"x"), "alt_text": "\u0000"}),
        ("long alt text", {"image": upload("a.jpg", b"x"), "alt_text": "a" * 10_000}),
        ("two files", {"image": [upload("a.jpg", b"x"), upload("b.jpg", b"y")]}),
    ]


def _as_received(value: str) -> str:
    """A header's value as a WSGI server hands it to Django: its UTF-8 bytes read as Latin-1."""
    return value.encode().decode("latin-1")


def _fuzz_headers(run: Run) -> None:
    odd = ["", " ", "\u0000", "x" * 10_000, "é", "\u202e", "Token", "Token ", "Token \u0000", "Token a b", "Bearer x"]
    odd = [_as_received(value) for value in odd]
    for value in odd:
        for role, method, path in (("anonymous", "GET", "/api/v1/products/"), ("shopper", "GET", "/api/v1/orders/")):
            run.send(role, method, path, f"Authorization {value!r:.20}", HTTP_AUTHORIZATION=value)
            run.send(role, method, path, f"Accept-Language {value!r:.20}", HTTP_ACCEPT_LANGUAGE=value)
        run.send(
            "shopper",
            "POST",
            "/api/v1/orders/",
            f"Idempotency-Key {value!r:.20}",
            data="{}",
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=value,
        )
    for language in ("*", "xx", "zh-hans;q=nan", "ug;q=1e999", "," * 1000):
        label = f"Accept-Language {language:.20}"
        run.send("anonymous", "GET", "/api/v1/categories/", label, HTTP_ACCEPT_LANGUAGE=language)


# The site, from its routes and the forms on its pages


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _route_url(route: str, pattern: URLPattern, world: World) -> str | None:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    kwargs = {}
    for name in names:
        value = next(
            (v for key, v in world.route_values.items() if "/" in key and key in route and f":{name}>" in key), None
        )
        kwargs[name] = value or world.route_values.get(name, "x")
    try:
        return reverse(pattern.name, kwargs=kwargs)
    except Exception:  # a route no real value fits is fuzzed through its forms' actions elsewhere
        return None


def _role_for(url: str) -> str:
    if url.startswith("/dashboard/"):
        return "member"
    if url.startswith("/host/"):
        return "host"
    if url.startswith("/depot/"):
        return "manager"
    return "shopper"


class _Forms(HTMLParser):
    """Every ``<form>`` of a page: its method, action and fields with the values the page fills in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                fields.setdefault(a["name"], "")
            else:
                fields[a["name"]] = "file" if kind == "file" else a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""
        if tag == "option" and self._select and not self._form["fields"].get(self._select):
            self._form["fields"][self._select] = a.get("value", "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _pages(run: Run) -> list[tuple[str, str]]:
    """(role, url) of every route of the site, as the role it serves reads it."""
    pages = []
    for route, pattern in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/", "^media")) or pattern.name is None:
            continue
        url = _route_url(route, pattern, run.world)
        if url is not None:
            pages.append((_role_for(url), url))
    return pages


def _forms(run: Run, pages: list[tuple[str, str]]) -> dict[tuple[str, str, str, tuple], dict[str, str]]:
    """Every distinct form of the pages: (role, method, action, field names) → the fields as the page fills them."""
    found: dict[tuple[str, str, str, tuple], dict[str, str]] = {}
    seen: set[tuple[str, str, str, tuple]] = set()
    for role, url in pages:
        response = run.clients[role].get(url)
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"] or url))
            target = action.path + (f"?{action.query}" if action.query else "")
            fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
            # The same form for another object of the same kind (a second variant's quick edit) is fuzzed once.
            kind = re.sub(r"/[0-9]+/", "/N/", action.path)
            if (role, form["method"], kind, tuple(sorted(fields))) not in seen:
                seen.add((role, form["method"], kind, tuple(sorted(fields))))
                found[(role, form["method"], target, tuple(sorted(fields)))] = fields
    return found


def _form_bounds() -> dict[str, list[str]]:
    """Every form field's boundaries by field name, read from the forms of the project."""
    from django import forms

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    bounds: dict[str, list[str]] = {}
    for form_class in subclasses(forms.BaseForm):
        for name, form_field in getattr(form_class, "base_fields", {}).items():
            values = bounds.setdefault(name, [])
            length = getattr(form_field, "max_length", None)
            if length:
                values += ["a" * length, "a" * (length + 1)]
            for attr, step in (("max_value", 1), ("min_value", -1)):
                bound = getattr(form_field, attr, None)
                if isinstance(bound, int | Decimal):
                    values += [str(bound), str(bound + step)]
            digits = getattr(form_field, "max_digits", None)
            if digits:
                places = getattr(form_field, "decimal_places", 0) or 0
                whole = "9" * (digits - places)
                values += [f"{whole}.{'9' * places}", f"9{whole}.{'9' * places}", f"0.{'1' * (places + 1)}"]
            if isinstance(form_field, forms.ChoiceField):
                values.append("not-a-choice")
    return {name: list(dict.fromkeys(values)) for name, values in bounds.items()}


def _fuzz_site(run: Run) -> int:
    before = run.sent
    pages = _pages(run)
    # Every route, posted to anonymously and as its role with bodies of odd shapes.
    for role, url in pages:
        for who in ("anonymous", role):
            for label, data, content_type in (
                ("3 MB", "a=" + "x" * OVER_LIMIT, "application/x-www-form-urlencoded"),
                ("too many fields", "&".join(f"f{i}=1" for i in range(1_100)), "application/x-www-form-urlencoded"),
                ("broken multipart", b"--x\r\nContent-Disposition: form-data", "multipart/form-data; boundary=x"),
            ):
                run.send(who, "POST", url, label, data=data, content_type=content_type)
    bounds = _form_bounds()
    for (role, method, action, _names), fields in _forms(run, pages).items():
        send = _form_sender(run, role, method, action)
        send(fields, "as the page fills it")
        for value in FORM_TEXT:
            send(dict.fromkeys(fields, value), f"every field {value!r:.30}")
        send({name: ["1", "2"] for name in fields}, "every field twice")
        for name in fields:
            for value in ["", "\u0000", str(10**30), "NaN", *bounds.get(name, [])]:
                send({**fields, name: value}, f"{name} = {value!r:.30}")
        if "file" in fields.values():
            for label, upload in _odd_uploads():
                upload = {**{k: v for k, v in fields.items() if v != "file"}, **upload}
                run.send(role, "POST", action, label, data=upload)
    return run.sent - before


def _form_sender(run: Run, role: str, method: str, action: str):
    def send(fields: dict[str, Any], label: str) -> None:
        data = {name: ("" if value == "file" else value) for name, value in fields.items()}
        if method == "post":
            body = urlencode(data, doseq=True)
            run.send(role, "POST", action, label, data=body, content_type="application/x-www-form-urlencoded")
        else:
            separator = "&" if "?" in action else "?"
            run.send(role, "GET", f"{action}{separator}{urlencode(data, doseq=True)}", label)

    return send


# The payment provider's webhook, with signed bodies


def _fuzz_webhook(run: Run) -> int:
    before = run.sent
    payment = Payment.objects.filter(order__status=Order.Status.AWAITING_PAYMENT).first()
    reference, amount = payment.provider_reference, str(payment.amount)
    good = {"id": "evt-1", "reference": reference, "result": "succeeded", "amount": amount}
    bodies: list[Any] = [good, [], "a", None, 10**30]
    for name in good:
        for value in [*ALL_FIELDS, "a" * 100, "a" * 101, "-1.00", "0.001", "9999999999.99", "10000000000.00"]:
            bodies.append({**good, name: value})
        bodies.append({k: v for k, v in good.items() if k != name})
    raws = [json.dumps(body, allow_nan=True).encode() for body in bodies]
    raws += [b"[" * 100_000 + b"]" * 100_000, b'{"amount": 1e999}', b"\xff", b"NaN", b'{"id": ' + b"9" * 5_000 + b"}"]
    url = reverse("payment-webhook", kwargs={"provider": "simulated"})
    for raw in raws:
        signature = hmac.new(django_settings.PAYMENT_WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        run.send(
            "anonymous",
            "POST",
            url,
            f"signed {raw[:40]!r}",
            data=raw,
            content_type="application/json",
            HTTP_X_OASIS_SIGNATURE=signature,
        )
    run.send("anonymous", "POST", url, "3 MB", data=b"x" * OVER_LIMIT, content_type="application/json")
    for signature in map(_as_received, ["", "\u0000", "x" * 10_000, "é", "\u202e"]):
        run.send("anonymous", "POST", url, f"signature {signature:.10}", data=b"{}", HTTP_X_OASIS_SIGNATURE=signature)
    return run.sent - before
