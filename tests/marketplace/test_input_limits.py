"""The limits on what a request may hold, each answered in the API's JSON error shape and never with a 500.

JSON nested past ``MAX_DEPTH`` levels, a number too large for a float and a lone surrogate are ``400
parse_error``; a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is ``413 request_too_large``; Django's other refusals
of a request under ``/api/`` are JSON too. A token key no token can have fails like a wrong one.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.test import Client, RequestFactory
from drf_spectacular.generators import SchemaGenerator

from marketplace.api.errors import bad_request
from marketplace.api.parsers import MAX_DEPTH, deeper_than
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
ORDERS = "/api/v1/orders/"


def nested(depth: int) -> str:
    """A JSON body of ``depth`` levels: objects around a list."""
    return '{"username": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def post(client: Client, path: str, body: str | bytes, **extra) -> object:
    return client.generic("POST", path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **extra)


@pytest.fixture
def shopper_client() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="limits-shopper"))
    return client


@pytest.mark.parametrize("path", [TOKEN, REGISTER, ORDERS])
def test_json_nested_a_thousand_deep_is_a_400_parse_error(path, shopper_client):
    """Python's json module would raise RecursionError (a 500); whoever can send the body hears 400 (an anonymous
    order is refused at the door, 401, before its body is read)."""
    for client in (Client(raise_request_exception=False), shopper_client):
        response = post(client, path, "[" * 1_000 + "]" * 1_000, HTTP_IDEMPOTENCY_KEY="k")

        if path == ORDERS and client is not shopper_client:
            assert response.status_code == 401
            continue
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "detail": f"The JSON body nests objects and arrays more than {MAX_DEPTH} levels deep.",
            "code": "parse_error",
        }


def test_arrays_a_hundred_thousand_deep_are_refused_as_quickly():
    response = post(Client(), TOKEN, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_the_depth_limit_is_exact():
    """``MAX_DEPTH`` levels are parsed (the field is then refused for its type); one more is a parse error."""
    at_limit = post(Client(), REGISTER, nested(MAX_DEPTH))
    past_limit = post(Client(), REGISTER, nested(MAX_DEPTH + 1))

    assert at_limit.status_code == 400
    assert "username" in at_limit.json()
    assert past_limit.json()["code"] == "parse_error"


def test_the_depth_walk_counts_levels_without_recursion():
    deep: list = []
    for _ in range(10_000):
        deep = [deep]

    assert deeper_than(deep, 32)
    assert not deeper_than({"a": [{"b": 1}]}, 3)
    assert deeper_than({"a": [{"b": []}]}, 3)
    assert not deeper_than("text", 0)


@pytest.mark.parametrize(
    "body",
    ['{"username": 1e999}', '{"username": -1e400}', '{"username": NaN}', '{"username": Infinity}', "9" * 5_000],
)
def test_numbers_no_float_or_integer_can_hold_are_a_400_parse_error(body):
    response = post(Client(), TOKEN, body)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_lone_surrogate_is_a_400_parse_error():
    """JSON may escape half a surrogate pair; no column stores it and no encoder writes it out."""
    response = post(Client(), TOKEN, '{"username": "\\ud800", "password": "x"}')

    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON body holds text that is not valid Unicode.", "code": "parse_error"}


def test_a_surrogate_pair_is_text_like_any_other():
    """An escaped pair is one character (🍇); the numbers beside it are read as they are written."""
    response = post(Client(), TOKEN, '{"username": "\\ud83c\\udf47", "password": "grapes", "x": [1.5, {"y": 2}]}')

    assert response.status_code == 401


@pytest.mark.parametrize("path", [TOKEN, REGISTER, ORDERS, "/api/v1/products/", "/api/v1/no-such-endpoint/"])
def test_a_body_past_the_size_limit_is_a_413_in_the_api_shape(path, settings, shopper_client):
    """50 MB answer 413 with JSON, before the body is read; Django alone would answer an HTML 400."""
    body = json.dumps({"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = post(shopper_client, path, body, HTTP_IDEMPOTENCY_KEY="k")

    if path.endswith("no-such-endpoint/"):
        assert response.status_code == 404  # no endpoint reads it
        return
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The request body is too large: at most 2.5\xa0MB.",
        "code": "request_too_large",
    }


def test_a_body_just_under_the_limit_is_read(settings):
    body = json.dumps({"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100), "password": "x"})

    response = post(Client(), TOKEN, body)

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


def test_too_many_form_fields_are_a_json_400():
    body = "&".join(f"f{n}=1" for n in range(1_100))

    response = Client().generic(
        "POST", TOKEN, body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code in {400, 415}
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("exception", "status", "code"),
    [(RequestDataTooBig(), 413, "request_too_large"), (DisallowedHost(), 400, "bad_request")],
)
def test_djangos_refusals_outside_a_view_are_json_under_the_api(exception, status, code):
    """Django's 400 handler, used when DEBUG is off and a refusal comes before any view runs."""
    response = bad_request(RequestFactory().get("/api/v1/products/"), exception)

    assert response.status_code == status
    assert json.loads(response.content)["code"] == code


def test_djangos_refusals_outside_the_api_keep_the_sites_page():
    response = bad_request(RequestFactory().get("/products/"), DisallowedHost())

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


@pytest.mark.parametrize("key", ["\x00", "a" * 41, "A" * 40, "' OR 1=1 --", "é"])
def test_a_token_key_no_token_can_have_fails_like_a_wrong_one(key):
    """``Token \\x00`` reached PostgreSQL, which refuses NUL in text: a 500."""
    response = Client().get("/api/v1/products/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_next_page_that_is_not_a_path_falls_back_to_the_cart(client):
    """``redirect("NaN")`` would look for a view named NaN; a form's ``next`` is used only when it is a path."""
    client.force_login(UserFactory())

    response = client.post("/cart/add/", {"variant": 1, "quantity": 1, "next": "NaN"})

    assert response.status_code == 302
    assert response["Location"] == "/cart/"


def test_the_schema_states_the_page_bounds_the_code_enforces():
    """Every page-number list says ``page`` is at least 1 and ``page_size`` 1 to 200, as the code refuses."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = 0
    for path, item in schema["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["name"] == "page":
                found += 1
                assert parameter["schema"] == {"type": "integer", "minimum": 1}, path
            if parameter["name"] == "page_size":
                assert parameter["schema"]["minimum"] == 1, path
                assert parameter["schema"]["maximum"] in {100, 200}, path
    assert found >= 5


@pytest.mark.parametrize(("page", "status"), [("1", 200), ("0", 404), ("last", 404), ("", 404)])
def test_a_page_is_a_number_from_one(page, status):
    response = Client().get("/api/v1/categories/", {"page": page})

    assert response.status_code == status
