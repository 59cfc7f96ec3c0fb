"""Numbers inside Uyghur text: one money format per language everywhere, isolated dates, phones and order
numbers, and depots named and placed in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.bidi import LRI, PDI
from marketplace.templatetags.money import yuan
from orders.models import Order
from tests.orders.conftest import place, ship

DEPOT_ADDRESS = {
    "zh-hans": "新疆吐鲁番市高昌区葡萄镇葡萄沟村村委会东侧",
    "ug": "شىنجاڭ تۇرپان شەھىرى قاراغوجا رايونى ئۈزۈم بازىرى ئۈزۈم ئېرىقى كەنتى",
    "en": "East of the village committee, Grape Valley Village, Turpan, Xinjiang",
}


@pytest.fixture
def depot(shop):
    depot = shop.depot
    depot.name_zh, depot.name_ug, depot.name_en = "葡萄沟村服务站", "ئۈزۈم ئېرىقى پونكىتى", "Grape Valley depot"
    depot.address_zh, depot.address_ug, depot.address_en = DEPOT_ADDRESS.values()
    depot.phone, depot.opening_hours = "0995-8566123", "08:00–21:00"
    depot.save()
    return depot


def money(language: str, amount) -> str:
    with translation.override(language):
        return yuan(amount)


@pytest.mark.parametrize("language", ["zh-hans", "ug", "en"])
def test_an_amount_reads_the_same_in_the_cart_at_checkout_on_the_order_page_and_in_the_email(
    client, shop, depot, language, mailoutbox, django_capture_on_commit_callbacks
):
    """Two boxes at ¥59.90 + ¥35.00: the subtotal ¥154.80 is written by the one money format of the language on every
    page and in the email; in Uyghur it is a left-to-right isolate, never "154.80¥"."""
    headers = {"accept-language": language}
    for variant, quantity in ((shop.grapes, 2), (shop.raisins, 1)):
        client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": quantity}, headers=headers)
    subtotal = money(language, "154.80")

    cart = client.get(reverse("cart"), headers=headers).content.decode()
    checkout = client.get(reverse("checkout"), headers=headers).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', checkout)[1]
    data = {
        "idempotency_key": key,
        "name": "Ayşe",
        "phone": "13800138000",
        "email": "ayse@example.com",
        "delivery_method": "pickup",
        "depot": depot.slug,
        "payment_method": "cod",
    }
    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(reverse("checkout"), data, headers=headers, follow=True)
    order_page = placed.content.decode()
    email = next(message.body for message in mailoutbox if "ayse@example.com" in message.to)

    for shown in (cart, checkout, order_page, email):
        assert subtotal in shown
        assert "154.80¥" not in shown.replace(PDI, "").replace(LRI, "")
    assert money(language, Order.objects.get().total) in order_page
    if language == "ug":
        assert subtotal == f"{LRI}¥154.80{PDI}"
    else:
        assert subtotal == "¥154.80"


@pytest.fixture
def ug_order(shop, depot):
    with translation.override("ug"):
        return place(shop, {shop.grapes: 1}, delivery=ship())


def order_page(client, order: Order, language: str) -> str:
    url = reverse("order-detail", kwargs={"number": order.number}) + f"?token={order.guest_token}"
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_the_uyghur_order_page_isolates_its_number_dates_and_phone(client, ug_order):
    """Inside right-to-left text the order number, the history's times and the recipient's phone each keep
    their left-to-right order."""
    body = order_page(client, ug_order, "ug")
    assert re.search(rf"<h1>[^<]*<bdi>{ug_order.number}</bdi>[^<]*</h1>", body)
    assert f"<bdi>{ug_order.ship_phone}</bdi>" in body
    times = re.findall(r'<time datetime="[^"]+">(.*?)</time>', body)
    assert times and all(re.fullmatch(r"<bdi>\d{4}/\d{2}/\d{2} \d{1,2}:\d{2}</bdi>", shown) for shown in times)


@pytest.mark.parametrize("language", ["ug", "en", "zh-hans"])
def test_a_pickup_order_names_its_depot_and_address_in_the_readers_language(
    client, shop, depot, language, mailoutbox, django_capture_on_commit_callbacks
):
    """The order page, its email and the checkout's depot list show the depot's name and address in the
    language of the page, and the depot's phone isolated."""
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        order = place(shop, {shop.raisins: 1})
    name = {"zh-hans": "葡萄沟村服务站", "ug": "ئۈزۈم ئېرىقى پونكىتى", "en": "Grape Valley depot"}[language]
    address = DEPOT_ADDRESS[language]

    body = order_page(client, order, language)
    assert f"<bdi>{name}</bdi>" in body and f"<bdi>{address}</bdi>" in body
    assert "<bdi>0995-8566123</bdi>" in body
    others = [text for code, text in DEPOT_ADDRESS.items() if code != language]
    assert not any(other in body for other in others)

    email = next(message.body for message in mailoutbox if "ayse@example.com" in message.to)
    assert name in email and address in email
    assert not any(other in email for other in others)

    client.post(reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": 1})
    checkout = client.get(reverse("checkout"), headers={"accept-language": language}).content.decode()
    assert f"{name} · {address} · " in checkout


def test_a_uyghur_email_isolates_numbers_in_its_subject_and_text(
    shop, depot, mailoutbox, django_capture_on_commit_callbacks
):
    """Plain text has no <bdi>: the Uyghur email wraps the order number, amounts and the depot's phone in
    Unicode isolates; an English one has none."""
    with translation.override("ug"), django_capture_on_commit_callbacks(execute=True):
        order = place(shop, {shop.raisins: 1})
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        english = place(shop, {shop.raisins: 1}, key="second")
    ug_mail = next(m for m in mailoutbox if "ayse@example.com" in m.to and order.number in m.subject)
    en_mail = next(m for m in mailoutbox if "ayse@example.com" in m.to and english.number in m.subject)

    assert f"\u2068{order.number}\u2069" in ug_mail.subject
    assert f"\u2068{order.number}\u2069" in ug_mail.body
    assert "\u20680995-8566123\u2069" in ug_mail.body
    assert not re.search("[\u2066-\u2069]", en_mail.subject + en_mail.body)


@pytest.mark.parametrize("language", ["ug", "en"])
def test_the_api_gives_a_villages_depot_address_in_the_requested_language(client, depot, language):
    """Apps read the same depot address as the pages: the requested language, else the Chinese one."""
    url = reverse("api-village-detail", kwargs={"slug": depot.village.slug})
    depots = client.get(url, headers={"accept-language": language}).json()["depots"]
    assert [entry["address"] for entry in depots] == [DEPOT_ADDRESS[language]]

    depot.address_ug = depot.address_en = ""
    depot.save()
    depots = client.get(url, headers={"accept-language": language}).json()["depots"]
    assert [entry["address"] for entry in depots] == [DEPOT_ADDRESS["zh-hans"]]
