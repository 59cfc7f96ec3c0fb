"""The language switcher on every page: the choice is remembered and the visitor stays where they were."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_switching_to_uyghur_returns_to_the_same_page_and_is_remembered(client):
    product = ProductFactory(name_zh="哈密瓜", name_ug="قوغۇن", name_en="Hami melon")

    response = client.post(reverse("set_language"), {"language": "ug", "next": product.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ug"
    later = client.get(reverse("home")).content.decode()
    assert '<html lang="ug" dir="rtl">' in later
    assert "قوغۇن" in later


def test_the_switcher_never_redirects_to_another_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/phish"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="zh-Hans" dir="ltr">' in client.get("/").content.decode()


def test_the_switcher_form_needs_its_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("set_language"), {"language": "ug", "next": "/"})

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_every_page_offers_the_three_languages_by_their_own_names(client):
    body = client.get(reverse("home")).content.decode()

    for code, name in [("zh-hans", "简体中文"), ("ug", "ئۇيغۇرچە"), ("en", "English")]:
        assert f'<option value="{code}" lang="{code}"' in body
        assert name in body
