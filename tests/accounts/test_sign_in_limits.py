"""Sign-in locks, sign-up and password-reset limits on the storefront and the admin, and their shared counts.

The API's side (token requests) is in test_api.py. Each lock counts per account, whatever the username
typed, and per address; the answer is the same whether the account exists or not.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from marketplace import rate_limits
from marketplace.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
RIGHT = "oasis-test"  # the factories' password


@pytest.fixture(autouse=True)
def fresh_counts():
    rate_limits.clear_all()


def english(**defaults) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", **defaults)


@pytest.fixture
def client() -> Client:
    return english()


def sign_in(client: Client, username: str, password: str, path: str = "/accounts/login/", **headers):
    return client.post(path, {"username": username, "password": password}, **headers)


def test_five_wrong_passwords_lock_the_account_and_the_right_one_then_fails_with_the_wait(client):
    UserFactory(username="aygul")
    assert [sign_in(client, "aygul", WRONG).status_code for _ in range(5)] == [200] * 5
    refused = sign_in(client, "aygul", RIGHT)
    assert refused.status_code == 429
    assert SESSION_KEY not in client.session
    assert "Too many attempts. Try again in 15 minutes." in refused.content.decode()
    assert "reset" in refused.content.decode()


def test_a_lock_reads_the_same_for_an_account_that_does_not_exist(client):
    """No enumeration: an unknown username is locked after as many attempts, with the very same page."""
    UserFactory(username="aygul")
    pages = {}
    for username in ("aygul", "nobody-here"):
        answers = [sign_in(client, username, WRONG) for _ in range(6)]
        assert [answer.status_code for answer in answers] == [200] * 5 + [429]
        page = answers[-1].content.decode().replace(username, "NAME")
        pages[username] = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)
    assert pages["aygul"] == pages["nobody-here"]


def test_the_lock_holds_whatever_case_or_spaces_the_username_is_typed_in(client):
    UserFactory(username="aygul")
    for typed in ("aygul", "AYGUL", " Aygul ", "aYgUl", "aygul "):
        sign_in(client, typed, WRONG)
    assert sign_in(client, "aygul", RIGHT).status_code == 429


def test_a_right_password_clears_the_account_s_count(client):
    UserFactory(username="aygul")
    for _ in range(4):
        sign_in(client, "aygul", WRONG)
    assert sign_in(client, "aygul", RIGHT).status_code == 302
    client.post("/accounts/logout/")
    assert [sign_in(client, "aygul", WRONG).status_code for _ in range(5)] == [200] * 5
    assert sign_in(client, "aygul", RIGHT).status_code == 429


def test_twenty_attempts_in_a_day_lock_the_account_for_hours(client, settings):
    """Five every quarter hour would still be hundreds a day: past twenty a day the wait is counted in hours."""
    settings.SIGN_IN_LIMIT_ACCOUNT = "100/15min"
    UserFactory(username="aygul")
    assert [sign_in(client, "aygul", WRONG).status_code for _ in range(20)] == [200] * 20
    refused = sign_in(client, "aygul", RIGHT)
    assert refused.status_code == 429
    assert "hours" in refused.content.decode()


def test_one_address_is_locked_after_spraying_many_accounts_and_others_still_sign_in(client, settings):
    settings.SIGN_IN_LIMIT_ADDRESS = "8/15min"
    UserFactory(username="aygul")
    statuses = [sign_in(client, f"viewer{n}", WRONG).status_code for n in range(8)]
    assert statuses == [200] * 8
    assert sign_in(client, "aygul", RIGHT).status_code == 429
    elsewhere = english(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "aygul", RIGHT).status_code == 302


def test_successful_sign_ins_from_a_shared_address_do_not_use_up_its_limit(settings):
    """A livestream's viewers behind one carrier address sign in one after another without being locked."""
    settings.SIGN_IN_LIMIT_ADDRESS = "3/15min"
    for n in range(10):
        UserFactory(username=f"viewer{n}")
        assert sign_in(english(), f"viewer{n}", RIGHT).status_code == 302


def test_the_admin_sign_in_is_locked_like_the_storefront_s(client):
    UserFactory(username="warehouse", is_staff=True, is_superuser=True)
    for _ in range(5):
        assert sign_in(client, "warehouse", WRONG, path="/admin/login/").status_code == 200
    refused = sign_in(client, "warehouse", RIGHT, path="/admin/login/")
    assert SESSION_KEY not in client.session
    assert "Too many attempts. Try again in 15 minutes." in refused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_storefront_admin_and_api_attempts_count_together():
    """Three ways in, one count: spreading guesses over them buys nothing."""
    UserFactory(username="warehouse", is_staff=True)
    client = english()
    sign_in(client, "warehouse", WRONG)
    sign_in(client, "warehouse", WRONG, path="/admin/login/")
    for _ in range(3):
        client.post(
            "/api/v1/auth/token/", {"username": "warehouse", "password": WRONG}, content_type="application/json"
        )
    assert sign_in(client, "warehouse", RIGHT, path="/admin/login/").status_code == 200
    assert SESSION_KEY not in client.session


def test_the_lock_message_is_in_the_shopper_s_language(client):
    UserFactory(username="aygul")
    for _ in range(5):
        sign_in(client, "aygul", WRONG)
    refused = sign_in(client, "aygul", RIGHT, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "尝试次数过多，请 15 分钟后再试。 如果忘记了密码，可以重置密码。" in refused.content.decode()
    refused = sign_in(client, "aygul", RIGHT, HTTP_ACCEPT_LANGUAGE="ug")
    assert "مىنۇتتىن" in refused.content.decode()


def test_web_sign_ups_are_limited_per_address_together_with_the_api_s(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "register": "3/hour"},
    }
    api = client.post(
        "/api/v1/auth/register/",
        {"username": "api-one", "email": "api-one@example.com", "password": "apricot-harvest-2026"},
        content_type="application/json",
    )
    assert api.status_code == 201
    for n in range(2):
        answer = english().post(
            "/accounts/signup/",
            {
                "username": f"web{n}",
                "email": f"web{n}@example.com",
                "password1": "apricot-harvest-2026",
                "password2": "apricot-harvest-2026",
            },
        )
        assert answer.status_code == 302
    refused = english().post(
        "/accounts/signup/",
        {
            "username": "web9",
            "email": "web9@example.com",
            "password1": "apricot-harvest-2026",
            "password2": "apricot-harvest-2026",
        },
    )
    assert refused.status_code == 429
    assert "Too many attempts. Try again in" in refused.content.decode()
    assert not User.objects.filter(username="web9").exists()
    assert User.objects.count() == 3


def test_password_reset_emails_stop_at_three_an_hour_for_one_account_without_telling(client):
    UserFactory(username="aygul", email="aygul@example.com")
    answers = [client.post("/accounts/password-reset/", {"email": "Aygul@Example.com"}) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [302] * 5
    assert {answer["Location"] for answer in answers} == {"/accounts/password-reset/sent/"}
    assert len(mail.outbox) == 3


def test_password_reset_requests_from_one_address_are_limited(client, settings):
    settings.PASSWORD_RESET_LIMIT_ADDRESS = "4/hour"
    answers = [client.post("/accounts/password-reset/", {"email": f"who{n}@example.com"}) for n in range(5)]
    assert [answer.status_code for answer in answers] == [302] * 4 + [429]
    assert "Too many attempts. Try again in" in answers[-1].content.decode()
