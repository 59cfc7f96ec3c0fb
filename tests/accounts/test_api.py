"""API accounts: tokens for a username and password, registration, and their throttles."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketplace import rate_limits
from marketplace.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    rate_limits.clear_all()


def test_token_for_username_and_password_signs_requests_in():
    """A mobile client trades the password for a token and is then recognised by it."""
    user = UserFactory(username="aygul")
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "aygul", "password": "oasis-test"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    again = client.post("/api/v1/auth/token/", {"username": "aygul", "password": "oasis-test"}, format="json")
    assert again.json()["token"] == token, "the same token until it is revoked"

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.delete("/api/v1/auth/token/").status_code == 401, "a revoked token no longer signs in"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "aygul", "password": "wrong"},
        {"username": "nobody", "password": "oasis-test"},
    ],
)
def test_wrong_credentials_get_401_with_a_code_and_no_token(body):
    UserFactory(username="aygul")
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response["WWW-Authenticate"] == "Token"
    assert not Token.objects.exists()


def test_token_request_without_fields_names_them():
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_inactive_account_gets_no_token():
    UserFactory(username="gone", is_active=False)
    response = APIClient().post("/api/v1/auth/token/", {"username": "gone", "password": "oasis-test"}, format="json")
    assert response.status_code == 401
    assert not Token.objects.exists()


def test_password_guessing_is_locked_per_account():
    """After five attempts on one username the sixth is refused before the password is checked: the right
    password too, with 429, how long to wait, and no token."""
    UserFactory(username="aygul")
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": "aygul", "password": f"guess-{n}"}, format="json").status_code
        for n in range(5)
    ]
    assert statuses == [401] * 5
    blocked = client.post(
        "/api/v1/auth/token/", {"username": "AYGUL", "password": "oasis-test"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "throttled"
    assert blocked.json()["detail"].startswith("Too many attempts. Try again in 15 minutes.")
    assert 800 < int(blocked["Retry-After"]) <= 900
    assert not Token.objects.exists()


def test_a_forged_forwarded_for_header_does_not_reset_the_count():
    """Without declared proxies the client's own X-Forwarded-For is ignored: changing it buys no new guesses."""
    UserFactory(username="aygul")
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "aygul", "password": f"guess-{n}"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(7)
    ]
    assert statuses == [401] * 5 + [429] * 2


def test_one_address_may_sign_in_many_shoppers_but_not_spray_without_end():
    """Viewers of a livestream share a carrier address: 100 failed sign-ins in 15 minutes pass, the 101st waits."""
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": f"viewer{n}", "password": "x"}, format="json").status_code
        for n in range(101)
    ]
    assert statuses == [401] * 100 + [429]


def test_register_creates_a_shopper_with_a_token():
    response = APIClient().post(
        "/api/v1/auth/register/",
        {"username": "gulnar", "email": "Gulnar@Example.com", "password": "apricot-harvest-2026"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="gulnar")
    assert body == {"id": user.pk, "username": "gulnar", "email": "gulnar@example.com", "token": user.auth_token.key}
    assert user.check_password("apricot-harvest-2026")
    assert not user.is_staff and not user.memberships.exists()
    assert "password" not in body


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"username": "gulnar", "email": "not-an-email", "password": "apricot-harvest-2026"}, {"email"}),
        ({"username": "gulnar", "email": "g@example.com", "password": "123"}, {"password"}),
        ({"username": "gulnar", "email": "g@example.com", "password": "gulnar2026"}, {"password"}),
        ({"username": "bad name!", "email": "g@example.com", "password": "apricot-harvest-2026"}, {"username"}),
        ({"username": "x" * 151, "email": "g@example.com", "password": "apricot-harvest-2026"}, {"username"}),
        ({"username": "Taken", "email": "g@example.com", "password": "apricot-harvest-2026"}, {"username"}),
        ({"username": "gulnar", "email": "TAKEN@example.com", "password": "apricot-harvest-2026"}, {"email"}),
        ({"username": "gul\x00nar", "email": "g@example.com", "password": "apricot-harvest-2026"}, {"username"}),
        ({}, {"username", "email", "password"}),
    ],
)
def test_bad_registration_names_the_fields_and_creates_nobody(body, fields):
    UserFactory(username="taken", email="taken@example.com")
    response = APIClient().post("/api/v1/auth/register/", body, format="json")
    assert response.status_code == 400
    assert fields <= set(response.json())
    assert User.objects.count() == 1


def test_registration_is_throttled(settings):
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/register/",
            {"username": f"shopper{n}", "email": f"s{n}@example.com", "password": "apricot-harvest-2026"},
            format="json",
        ).status_code
        for n in range(21)
    ]
    assert statuses == [201] * 20 + [429]
    assert User.objects.count() == 20
