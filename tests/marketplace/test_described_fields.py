"""Help texts and errors are tied to their fields: every id an input's aria-describedby names is on the page.

Django names them ``<id>_helptext`` and ``<id>_error``; a screen reader reads nothing for an id that is
missing, so a form that shows a help text or an error under another id says it to sighted users only.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Described(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for target in (attributes.get("aria-describedby") or "").split():
            self.described.append((attributes.get("name") or tag, target))


def described(html: str) -> Described:
    parser = Described()
    parser.feed(html)
    return parser


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_a_sign_up_with_errors_ties_each_help_text_and_error_to_its_field():
    page = english().post(
        "/accounts/signup/",
        {"username": "bad name!", "email": "not-an-email", "password1": "apricot-harvest-2026", "password2": "x"},
    )
    found = described(page.content.decode())

    assert found.described, "the form's inputs name their help texts and errors"
    assert [(name, target) for name, target in found.described if target not in found.ids] == []
    assert {"id_username_error", "id_email_error", "id_password2_error", "id_password1_helptext"} <= found.ids


def test_a_product_filter_with_a_wrong_price_ties_its_error_to_the_field():
    found = described(english().get("/products/", {"min_price": "abc"}).content.decode())

    assert ("min_price", "id_min_price_error") in found.described
    assert "id_min_price_error" in found.ids


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/"])
def test_the_account_forms_name_only_ids_that_exist(path):
    UserFactory(username="aygul")
    client = english()
    page = client.post(path, {"username": "aygul", "password": "wrong", "email": "nobody"})
    found = described(page.content.decode())

    assert [(name, target) for name, target in found.described if target not in found.ids] == []
