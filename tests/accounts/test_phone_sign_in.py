"""Signing up and in with a mainland mobile number and a code texted to it, beside passwords."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import phone_shopper_register
from marketplace import rate_limits
from marketplace.models import User
from notifications import sms
from notifications.models import OneTimeCode
from orders.models import Cart
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def fresh():
    rate_limits.clear_all()
    sms.sent.clear()


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    """Post a number on the phone sign-in page, as committed; the response, and the code texted (or None)."""

    def ask(phone: str = PHONE, path: str | None = None, **data):
        before = len(sms.sent)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path or reverse("phone_start"), {"phone": phone, **data})
        code = re.search(r"\b(\d{6})\b", sms.sent[-1][1]).group(1) if len(sms.sent) > before else None
        return response, code

    return ask


def signed_in(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_a_new_number_signs_up_with_a_code_and_a_name_in_any_script_and_keeps_the_cart(client, ask_code):
    variant = VariantFactory()
    client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": 2})

    response, code = ask_code("+86 138-1234-5678", next="/cart/")
    assert response.url == "/accounts/phone/code/?next=%2Fcart%2F"
    page = client.get(response.url).content.decode()
    assert "138 **** 5678" in page and PHONE not in page

    response = client.post(reverse("phone_code"), {"code": code, "next": "/cart/"})
    assert response.url == "/accounts/phone/new/?next=%2Fcart%2F"
    assert signed_in(client) is None

    response = client.post(response.url, {"display_name": "  ئايگۈل   تۇرسۇن ", "next": "/cart/"})

    user = User.objects.get(phone=PHONE)
    assert response.url == "/cart/"
    assert signed_in(client) == user
    assert user.first_name == "ئايگۈل تۇرسۇن" and user.email == "" and not user.has_usable_password()
    assert user.username.startswith("shopper-")
    assert dict(Cart.objects.get(user=user).lines.values_list("variant_id", "quantity")) == {variant.pk: 2}


def test_a_known_number_signs_straight_in_with_its_code_and_the_password_sign_in_still_works(client, ask_code):
    user = UserFactory(username="gulnar", phone=PHONE)

    response, code = ask_code(PHONE, path=reverse("phone_start"), next="/orders/")
    response = client.post(reverse("phone_code"), {"code": code, "next": "/orders/"})

    assert response.url == "/orders/"
    assert signed_in(client) == user
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "gulnar", "password": "oasis-test"})
    assert signed_in(client) == user


def test_a_wrong_code_says_so_and_changes_nothing(client, ask_code):
    _, code = ask_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(reverse("phone_code"), {"code": wrong})

    assert response.status_code == 200
    assert "This code is wrong or has expired" in response.content.decode()
    assert signed_in(client) is None and not User.objects.exists()
    assert client.post(reverse("phone_code"), {"code": code}).url == reverse("phone_signup")


def test_five_wrong_codes_void_it_and_a_new_one_can_be_asked_for(client, ask_code, settings):
    _, code = ask_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(reverse("phone_code"), {"code": wrong})

    response = client.post(reverse("phone_code"), {"code": code})
    assert "This code is wrong or has expired" in response.content.decode()
    assert signed_in(client) is None

    settings.SMS_CODE_LIMIT_PHONE = "10/min"
    _, fresh_code = ask_code(path=reverse("phone_code"), resend="1")
    assert fresh_code is not None
    assert client.post(reverse("phone_code"), {"code": fresh_code}).url == reverse("phone_signup")


def test_a_bad_number_is_refused_with_what_is_expected_and_nothing_is_sent(client, ask_code):
    response, code = ask_code("010-1234567")

    assert response.status_code == 200
    assert "Enter a mainland China mobile number" in response.content.decode()
    assert code is None and not OneTimeCode.objects.exists()


def test_asking_again_within_a_minute_says_how_long_to_wait(client, ask_code):
    ask_code()
    response, code = ask_code()

    assert response.status_code == 429
    assert re.search(r"You can ask for a new code in \d+ seconds?\.", response.content.decode())
    assert code is None and len(sms.sent) == 1


def test_the_code_and_name_steps_need_the_step_before(client):
    assert client.get(reverse("phone_code")).url == reverse("phone_start")
    assert client.post(reverse("phone_signup"), {"display_name": "Aygul"}).url == reverse("phone_start")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "   "}, "This field is required."),
        ({"display_name": "Aygul", "email": "taken@example.com"}, "An account with this email already exists."),
        ({"display_name": "Aygul", "password": "123"}, "This password is too short."),
        ({"display_name": "Ay\u0007gul"}, "The name may not contain control characters."),
    ],
)
def test_a_bad_sign_up_is_refused_with_the_reason_and_the_number_stays_proven(client, ask_code, data, message):
    UserFactory(email="taken@example.com")
    _, code = ask_code()
    client.post(reverse("phone_code"), {"code": code})

    response = client.post(reverse("phone_signup"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()
    response = client.post(reverse("phone_signup"), {"display_name": "古丽", "email": "aygul@example.com"})
    assert signed_in(client).first_name == "古丽"


def test_an_email_and_a_password_given_at_sign_up_sign_in_too(client, ask_code):
    _, code = ask_code()
    client.post(reverse("phone_code"), {"code": code})
    client.post(
        reverse("phone_signup"),
        {"display_name": "Gulnar", "email": "Gulnar@Example.com", "password": "apricot-orchard-42"},
    )
    user = User.objects.get(phone=PHONE)
    client.post(reverse("logout"))

    client.post(reverse("login"), {"username": user.username, "password": "apricot-orchard-42"})
    assert signed_in(client) == user and user.email == "gulnar@example.com"


def test_one_number_belongs_to_one_account():
    phone_shopper_register(phone=PHONE, display_name="Aygul")
    with pytest.raises(Exception, match="mobile number already exists"):
        phone_shopper_register(phone="+86 13812345678", display_name="Someone else")
    assert User.objects.filter(phone=PHONE).count() == 1


def test_the_sign_in_page_offers_both_ways_and_the_sign_up_page_links_to_the_phone(client):
    page = client.get(reverse("login")).content.decode()
    assert 'action="/accounts/phone/"' in page and 'name="phone"' in page and 'name="password"' in page
    assert 'href="/accounts/phone/?next=/"' in client.get(reverse("signup")).content.decode()


def test_sign_ins_by_code_are_logged_without_the_number(client, ask_code, caplog):
    user = UserFactory(phone=PHONE)
    _, code = ask_code()
    with caplog.at_level(logging.INFO, logger="oasis.auth"):
        client.post(reverse("phone_code"), {"code": "000000" if code != "000000" else "111111"})
        client.post(reverse("phone_code"), {"code": code})

    lines = [record.getMessage() for record in caplog.records if record.name == "oasis.auth"]
    assert any("auth.sign_in_failed" in line and "method=phone_code" in line for line in lines)
    assert any("auth.signed_in" in line and f"user_id={user.pk}" in line for line in lines)
    assert not any(PHONE in line or PHONE[-4:] in line for line in lines)


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def post(path: str, body: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, body, format="json")

    return post


def api_code(api, phone: str = PHONE) -> str:
    response = api("/api/v1/auth/phone/code/", {"phone": phone})
    assert response.status_code == 202
    return re.search(r"\b(\d{6})\b", sms.sent[-1][1]).group(1)


def test_the_api_signs_a_known_number_in_for_its_token(api):
    user = UserFactory(phone=PHONE)
    code = api_code(api, "+86 138 1234 5678")

    response = api("/api/v1/auth/phone/token/", {"phone": PHONE, "sms_code": code})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_the_api_creates_an_account_for_a_new_number_with_the_ticket_its_code_earned(api):
    code = api_code(api)

    needed = api("/api/v1/auth/phone/token/", {"phone": PHONE, "sms_code": code})
    assert needed.status_code == 409 and needed.json()["code"] == "account_needed"
    assert not User.objects.exists()
    ticket = needed.json()["signup_ticket"]

    refused = api("/api/v1/auth/phone/token/", {"phone": PHONE, "signup_ticket": ticket, "display_name": " "})
    assert refused.status_code == 400 and "display_name" in refused.json()
    stolen = api("/api/v1/auth/phone/token/", {"phone": "13900001111", "signup_ticket": ticket, "display_name": "X"})
    assert stolen.status_code == 401 and stolen.json()["code"] == "invalid_ticket"
    assert not User.objects.exists()

    created = api("/api/v1/auth/phone/token/", {"phone": PHONE, "signup_ticket": ticket, "display_name": "古丽"})
    user = User.objects.get(phone=PHONE)
    assert created.status_code == 201
    assert created.json() == {
        "id": user.pk,
        "username": user.username,
        "email": "",
        "token": Token.objects.get(user=user).key,
        "display_name": "古丽",
        "phone": PHONE,
    }


def test_the_api_refuses_a_wrong_code_a_forged_ticket_and_a_second_code_within_the_minute(api):
    code = api_code(api)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = api("/api/v1/auth/phone/token/", {"phone": PHONE, "sms_code": wrong})
    assert response.status_code == 401 and response.json()["code"] == "wrong_code"
    response = api("/api/v1/auth/phone/token/", {"phone": PHONE, "signup_ticket": "forged", "display_name": "X"})
    assert response.status_code == 401 and response.json()["code"] == "invalid_ticket"
    response = api("/api/v1/auth/phone/code/", {"phone": PHONE})
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    response = api("/api/v1/auth/phone/code/", {"phone": "12345"})
    assert response.status_code == 400 and "mainland China mobile number" in response.json()["phone"][0]
    assert not User.objects.exists() and not Token.objects.exists()


def test_the_api_checks_a_new_account_s_name_before_it_uses_up_the_code(api):
    UserFactory(email="taken@example.com")
    code = api_code(api)
    body = {"phone": PHONE, "sms_code": code, "display_name": "Aygul", "email": "taken@example.com"}

    refused = api("/api/v1/auth/phone/token/", body)
    assert refused.status_code == 400 and refused.json() == {"email": ["An account with this email already exists."]}

    created = api("/api/v1/auth/phone/token/", {**body, "email": ""})
    assert created.status_code == 201 and created.json()["display_name"] == "Aygul"
