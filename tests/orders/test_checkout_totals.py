"""The total before the button: goods and shipping per parcel, live discounts and the total, as charged."""

import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from live.models import LiveSession
from orders.models import Order
from tests.factories import LiveSessionItemFactory, VariantFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ADDRESS = {
    "delivery_method": "ship",
    "depot": "",
    "recipient": "Li Wei",
    "recipient_phone": "139 0000 1111",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "street": "文三路 1 号",
    "postcode": "310000",
}


def add(client, variant, quantity=1, **extra):
    return client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": quantity, **extra}, headers=EN)


def checkout_page(client, headers=EN) -> str:
    response = client.get(reverse("checkout"), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def summaries(html: str) -> dict[str, str]:
    """Each delivery method's block of figures before the button, by method."""
    blocks = re.findall(r'<div class="checkout-total" data-delivery="(\w+)">(.*?)</div>', html, re.S)
    return dict(blocks)


def shown_totals(html: str) -> dict[str, str]:
    """Each method's total as read, without the direction isolates that keep it left to right in Uyghur."""
    totals = {method: re.search(r"data-total>([^<]+)<", block)[1] for method, block in summaries(html).items()}
    return {method: re.sub("[\u2066-\u2069]", "", total) for method, total in totals.items()}


def checkout_data(html: str, shop, **overrides) -> dict[str, str]:
    data = {
        **dict(re.findall(r'name="(idempotency_key|expected_subtotal)" value="([^"]*)"', html)),
        "name": "Ayşe",
        "phone": "138 0013 8000",
        "email": "ayse@example.com",
        "delivery_method": "pickup",
        "depot": shop.depot.slug,
        "payment_method": "cod",
    }
    data.update(overrides)
    return data


def two_producer_basket(client, shop) -> None:
    """The vineyard's grapes and raisins (¥94.90, under ¥99) and the melon farm's melon (¥38.00)."""
    add(client, shop.grapes)
    add(client, shop.raisins)
    add(client, shop.melon)


def test_checkout_shows_each_parcel_with_its_shipping_and_the_total_for_both_methods(client, shop):
    two_producer_basket(client, shop)

    html = checkout_page(client)

    blocks = summaries(html)
    assert list(blocks) == ["pickup", "ship"]  # the chosen method (pickup by default) first
    ship = blocks["ship"]
    assert "Parcel from Abdukerim&#x27;s Vineyard" in ship and "Parcel from Eli&#x27;s Melon Farm" in ship
    assert "¥94.90" in ship and "¥38.00" in ship
    assert ship.count("¥12.00") == 2 and "Free shipping over ¥99.00" in ship
    assert "¥24.00" in ship and "¥132.90" in ship
    assert shown_totals(html) == {"pickup": "¥132.90", "ship": "¥156.90"}
    assert "Free" in blocks["pickup"] and "¥12.00" not in blocks["pickup"]
    assert html.index('data-delivery="ship"') < html.index("Place the order")
    assert "Live discount" not in html


def test_a_parcel_over_the_threshold_ships_free(client, shop):
    add(client, shop.grapes, 2)  # ¥119.80 from the vineyard
    add(client, shop.melon)

    html = checkout_page(client)

    ship = summaries(html)["ship"]
    assert ship.count("¥12.00") == 2  # the melon's parcel and the shipping line; the grapes ship free
    assert shown_totals(html)["ship"] == "¥169.80"


@override_settings(FREE_SHIPPING_THRESHOLD="200.00", SHIPPING_FEE_PER_PARCEL="8.50")
def test_the_summary_follows_the_shipping_settings(client, shop):
    add(client, shop.grapes, 2)

    html = checkout_page(client)

    assert shown_totals(html)["ship"] == "¥128.30"
    assert "Free shipping over ¥200.00" in summaries(html)["ship"]


def test_a_live_discount_is_shown_and_counted_once(client, shop):
    item = LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE,
        variant=shop.grapes,
        flash_price=Decimal("46.90"),
        per_shopper_limit=2,
        quantity_cap=50,
    )
    client.get(reverse("live-session-detail", kwargs={"slug": item.session.slug}), headers=EN)
    add(client, shop.grapes, 2, live_session=item.session.slug)

    html = checkout_page(client)

    for block in summaries(html).values():
        assert "Live discount (included)" in block and "−¥26.00" in block
    # ¥93.80 of goods, under ¥99: one parcel's fee when shipped.
    assert shown_totals(html) == {"pickup": "¥93.80", "ship": "¥105.80"}


def test_a_redisplayed_form_shows_the_chosen_methods_total_first(client, shop):
    two_producer_basket(client, shop)
    html = checkout_page(client)

    response = client.post(reverse("checkout"), checkout_data(html, shop, **{**ADDRESS, "street": ""}), headers=EN)

    assert response.status_code == 200
    assert list(summaries(response.content.decode())) == ["ship", "pickup"]
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("delivery", "expected"), [(ADDRESS, Decimal("156.90")), ({"delivery_method": "pickup"}, Decimal("132.90"))]
)
def test_the_order_placed_costs_the_total_shown_before_the_button(client, shop, delivery, expected):
    two_producer_basket(client, shop)
    html = checkout_page(client)
    shown = shown_totals(html)[delivery["delivery_method"]]

    response = client.post(reverse("checkout"), checkout_data(html, shop, **delivery), headers=EN)

    order = Order.objects.get()
    assert response.status_code == 302
    assert f"¥{order.total}" == shown
    assert order.total == expected
    assert sorted(f.shipping_fee for f in order.fulfilments.all()) == (
        [Decimal("12.00")] * 2 if delivery["delivery_method"] == "ship" else [Decimal("0.00")] * 2
    )
    order_page = client.get(response.url, headers=EN).content.decode()
    assert shown in order_page


@pytest.mark.parametrize(("language", "direction"), [("zh-hans", "ltr"), ("ug", "rtl")])
def test_the_summary_renders_in_chinese_and_uyghur(client, shop, language, direction):
    two_producer_basket(client, shop)

    html = checkout_page(client, headers={"accept-language": language})

    assert f'dir="{direction}"' in html
    assert shown_totals(html) == {"pickup": "¥132.90", "ship": "¥156.90"}


def test_product_pages_and_cards_say_when_shipping_is_free(client, shop):
    big = VariantFactory(product__name_zh="", product__name_en="Walnut crate", price=Decimal("120.00"))

    grapes_page = client.get(shop.grapes.product.get_absolute_url(), headers=EN).content.decode()
    big_page = client.get(big.product.get_absolute_url(), headers=EN).content.decode()
    listing = client.get(reverse("product-list"), headers=EN).content.decode()

    assert "Free shipping over ¥99.00" in grapes_page
    assert '<p class="shipping-note">Free shipping</p>' in big_page
    assert '<span class="card-shipping">Free shipping</span>' in listing
    assert '<span class="card-shipping">Free shipping over ¥99.00</span>' in listing
