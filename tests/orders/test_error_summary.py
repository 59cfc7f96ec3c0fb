"""The error summary a failed form (checkout, sign-up, an application to sell) comes back with: at the top, one link
per field in error to that field, the errors of no one field too, what was typed kept (files cannot be: the form
says so); and its script loaded only when there is one."""

import re

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import UserFactory
from tests.orders.test_cart_checkout import EN, add, checkout_data

pytestmark = pytest.mark.django_db
SUMMARY = re.compile(r'<div class="error-summary" role="alert" tabindex="-1" data-error-summary>.*?</div>', re.S)


def test_a_failed_checkout_starts_with_a_summary_linking_to_each_field(client, shop):
    add(client, shop.grapes, 1)

    response = client.post(
        reverse("checkout"),
        checkout_data(client, shop, phone="12345", delivery_method="ship", street="", name="Ayşe Q"),
        headers=EN,
    )

    page = response.content.decode()
    summary = SUMMARY.search(page)
    assert summary is not None
    assert page.index("<h1>") < summary.start() < page.index('class="checkout-summary"')
    assert "There is a problem" in summary[0]
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary[0])
    assert [target for target, _ in links] == ["id_phone", "id_recipient_phone", "id_province", "id_city", "id_street"]
    assert all(f'id="{target}"' in page for target, _ in links)
    assert any(text.startswith("Mobile phone") and "mainland China" in text for _, text in links)
    assert '<script src="/static/js/forms.js" defer></script>' in page
    assert 'value="Ayşe Q"' in page and 'value="12345"' in page
    assert Order.objects.count() == 0


def test_a_choice_left_empty_links_to_its_first_option(client, shop):
    add(client, shop.grapes, 1)

    response = client.post(reverse("checkout"), checkout_data(client, shop, payment_method=""), headers=EN)

    summary = SUMMARY.search(response.content.decode())[0]
    assert 'href="#id_payment_method_0"' in summary
    assert 'id="id_payment_method_0"' in response.content.decode()


def test_a_failed_sign_up_lists_its_errors_in_the_chinese_page(client):
    response = client.post(
        reverse("signup"),
        {"username": "gulnar", "email": "not-an-email", "password1": "apricot-orchard-42", "password2": "other-42-x"},
        headers={"accept-language": "zh-hans"},
    )

    summary = SUMMARY.search(response.content.decode())[0]
    assert "出现问题" in summary
    assert re.findall(r'href="#(id_\w+)"', summary) == ["id_email", "id_password2"]
    assert 'value="gulnar"' in response.content.decode()


def test_a_page_without_errors_has_no_summary_and_no_script(client, shop):
    add(client, shop.grapes, 1)

    page = client.get(reverse("checkout"), headers=EN).content.decode()

    assert "error-summary" not in page
    assert "forms.js" not in page


def test_a_failed_application_links_each_field_and_asks_for_the_photo_again(client):
    client.force_login(UserFactory())

    response = client.post(reverse("producer-apply"), {"name": "Tursun", "phone": "1"}, headers=EN)

    page = response.content.decode()
    summary = SUMMARY.search(page)[0]
    assert 'href="#id_kind_0"' in summary and 'href="#id_village"' in summary and 'href="#id_phone"' in summary
    assert 'value="Tursun"' in page
    assert "Files are not kept when a form comes back with errors: choose yours again." in page
    assert "Files are not kept" not in client.get(reverse("producer-apply"), headers=EN).content.decode()
