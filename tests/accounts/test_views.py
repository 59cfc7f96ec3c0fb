"""Sign-up, sign-in, sign-out and password reset for shoppers."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.models import Cart
from tests.factories import UserFactory, VariantFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
User = get_user_model()


def signup(client, **overrides):
    data = {"username": "gulnar", "email": "gulnar@example.com", "password1": "apricot-orchard-42", "password2": ""}
    data["password2"] = data["password1"]
    data.update(overrides)
    return client.post(reverse("signup"), data, headers=EN)


def test_signing_up_creates_a_shopper_signs_them_in_and_keeps_their_cart(client):
    variant = VariantFactory()
    client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": 2})

    response = signup(client, next="/cart/")

    user = User.objects.get(username="gulnar")
    assert response.url == "/cart/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert not user.is_staff
    assert dict(Cart.objects.get(user=user).lines.values_list("variant_id", "quantity")) == {variant.pk: 2}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else-99"}, "The two password fields didn’t match."),
        ({"password1": "123", "password2": "123"}, "This password is too short."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": ""}, "This field is required."),
    ],
)
def test_bad_sign_ups_are_refused_with_the_reason(client, overrides, message):
    response = signup(client, **overrides)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_an_email_can_belong_to_one_account_only(client):
    UserFactory(email="gulnar@example.com")

    response = signup(client, email="Gulnar@Example.com")

    assert "An account with this email already exists." in response.content.decode()
    assert User.objects.count() == 1


def test_a_wrong_password_does_not_sign_in(client):
    UserFactory(username="li")

    response = client.post(reverse("login"), {"username": "li", "password": "wrong"}, headers=EN)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_never_redirects_to_another_site(client):
    UserFactory(username="li")

    response = client.post(
        reverse("login"), {"username": "li", "password": "oasis-test", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_signing_out_takes_a_post(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_link_that_sets_a_new_password(client, mailoutbox):
    """The new password works, and API tokens taken with the old one stop working."""
    user = UserFactory(username="li", email="li@example.com")
    old_token = Token.objects.create(user=user).key

    client.post(reverse("password_reset"), {"email": "li@example.com"}, headers=EN)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Reset your Oasis Market password"
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mailoutbox[0].body)[1]
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "walnut-grove-77", "new_password2": "walnut-grove-77"},
    )
    user.refresh_from_db()
    assert user.check_password("walnut-grove-77")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old_token}")
    assert api.get("/api/v1/orders/").status_code == 401


def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True, headers=EN)

    assert "If an account uses that address" in response.content.decode()
    assert mailoutbox == []
