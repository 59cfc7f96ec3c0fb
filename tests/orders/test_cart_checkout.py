"""The cart, the checkout and my orders, through full HTTP requests as a shopper would make them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Variant
from orders.models import Cart, CartLine, Order
from tests.factories import LiveSessionItemFactory, OrderFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def add(client, variant, quantity=1, **extra):
    return client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": quantity, **extra}, headers=EN)


def lines(client) -> dict[int, int]:
    cart_id = client.session.get("cart_id")
    carts = Cart.objects.filter(pk=cart_id) if cart_id else Cart.objects.none()
    return dict(CartLine.objects.filter(cart__in=carts).values_list("variant_id", "quantity"))


def checkout_key(client) -> str:
    page = client.get(reverse("checkout"), headers=EN).content.decode()
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)[1]


def checkout_data(client, shop, **overrides):
    data = {
        "idempotency_key": checkout_key(client),
        "name": "Ayşe",
        "phone": "138 0013 8000",
        "email": "ayse@example.com",
        "delivery_method": "pickup",
        "depot": shop.depot.slug,
        "payment_method": "cod",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Cart


def test_a_guest_adds_to_the_cart_and_sees_it(client, shop):
    response = add(client, shop.grapes, 2)

    assert response.status_code == 302
    assert lines(client) == {shop.grapes.pk: 2}
    page = client.get(reverse("cart"), headers=EN).content.decode()
    assert "Seedless grapes" in page and "¥119.80" in page


def test_adding_again_adds_up(client, shop):
    add(client, shop.grapes, 2)
    add(client, shop.grapes, 3)

    assert lines(client) == {shop.grapes.pk: 5}


def test_a_sold_out_item_is_not_added_and_the_shopper_is_told_why(client, shop):
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)

    response = client.post(reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": 1}, headers=EN, follow=True)

    assert "Seedless grapes · 2.5 kg box is sold out." in messages_of(response)
    assert lines(client) == {}


def test_more_than_is_left_is_not_added_and_says_how_many_are_left(client, shop):
    response = client.post(reverse("cart-add"), {"variant": shop.melon.pk, "quantity": 6}, headers=EN, follow=True)

    assert "Only 5 of Hami melon · One melon are left." in messages_of(response)
    assert lines(client) == {}


@pytest.mark.parametrize("quantity", ["0", "-1", "1000", "abc", "1.5", ""])
def test_bad_quantities_are_refused_and_change_nothing(client, shop, quantity):
    add(client, shop.grapes, 1)

    response = client.post(
        reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": quantity}, headers=EN, follow=True
    )

    assert messages_of(response)
    assert lines(client) == {shop.grapes.pk: 1}


def test_an_unknown_or_unlisted_variant_is_refused(client, shop):
    draft = VariantFactory(product__status="draft")

    for variant_id in (draft.pk, 999_999):
        response = client.post(reverse("cart-add"), {"variant": variant_id, "quantity": 1}, headers=EN, follow=True)
        assert "This item is not on sale." in messages_of(response)
    assert CartLine.objects.count() == 0


def test_cart_forms_need_their_csrf_token(shop):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": 1}).status_code == 403
    assert CartLine.objects.count() == 0


def test_changing_a_quantity_and_removing_a_line(client, shop):
    add(client, shop.grapes, 1)
    add(client, shop.raisins, 1)

    client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 4})
    client.post(reverse("cart-update"), {"variant": shop.raisins.pk, "quantity": 0})

    assert lines(client) == {shop.grapes.pk: 4}
    response = client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 11}, headers=EN, follow=True)
    assert "Only 10 of Seedless grapes · 2.5 kg box are left." in messages_of(response)
    assert lines(client) == {shop.grapes.pk: 4}


def test_signing_in_merges_the_guest_cart_into_the_account(client, shop):
    shopper = UserFactory(username="li")
    account_cart = Cart.objects.create(user=shopper)
    CartLine.objects.create(cart=account_cart, variant=shop.grapes, quantity=1)
    add(client, shop.grapes, 2)
    add(client, shop.melon, 1)

    response = client.post(reverse("login"), {"username": "li", "password": "oasis-test"})

    assert response.status_code == 302
    assert dict(account_cart.lines.values_list("variant_id", "quantity")) == {shop.grapes.pk: 3, shop.melon.pk: 1}
    assert Cart.objects.count() == 1


def test_the_cart_page_runs_the_same_queries_for_3_lines_as_for_24(client, shop):
    for _ in range(3):
        add(client, VariantFactory(product__producer=shop.grapes.product.producer))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("cart"))
    for _ in range(21):
        add(client, VariantFactory(product__producer=shop.grapes.product.producer))
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(reverse("cart"))

    assert response.content.decode().count('class="cart-line"') == 24
    assert len(three.captured_queries) == len(twenty_four.captured_queries)


# Checkout


def test_an_empty_cart_cannot_check_out(client):
    assert client.get(reverse("checkout")).url == reverse("cart")


def test_a_guest_checks_out_with_pickup_and_reaches_the_order_by_its_secret_link(client, shop):
    add(client, shop.grapes, 2)

    response = client.post(reverse("checkout"), checkout_data(client, shop), headers=EN, follow=True)

    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == f"/orders/{order.number}/?token={order.guest_token}"
    assert f"Thank you! Your order number is {order.number}." in response.content.decode()
    # The confirmation says to keep its link, and offers to send it.
    assert "Keep this link: it is the only way back to your order without an account." in response.content.decode()
    assert "Send it by SMS to 138****8000" in response.content.decode()
    assert (order.shopper, order.delivery_method, order.pickup_depot) == (None, "pickup", shop.depot)
    assert order.contact_phone == "13800138000"
    assert lines(client) == {}
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 8
    assert Client().get(f"/orders/{order.number}/").status_code == 302  # without the link: asked to sign in


def test_prices_and_totals_sent_by_the_client_are_ignored(client, shop):
    add(client, shop.grapes, 1)

    client.post(reverse("checkout"), checkout_data(client, shop, price="0.01", total="0.01", subtotal="0"))

    assert Order.objects.get().total == shop.grapes.price


def test_a_double_submit_places_one_order(client, shop):
    add(client, shop.grapes, 2)
    data = checkout_data(client, shop)

    first = client.post(reverse("checkout"), data)
    second = client.post(reverse("checkout"), data)

    assert Order.objects.count() == 1
    assert first.url == second.url
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 8


def test_a_key_not_issued_to_this_visitor_is_refused(client, shop):
    add(client, shop.grapes, 1)
    checkout_key(client)

    response = client.post(reverse("checkout"), {**checkout_data(client, shop), "idempotency_key": "f" * 32})

    assert response.url == reverse("checkout")
    assert Order.objects.count() == 0


def test_a_signed_in_shopper_ships_to_an_address(client, shop):
    shopper = UserFactory()
    client.force_login(shopper)
    add(client, shop.grapes, 1)
    address = {
        "delivery_method": "ship",
        "depot": "",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "street": "文三路 1 号",
        "postcode": "310000",
    }

    response = client.post(reverse("checkout"), checkout_data(client, shop, **address))

    order = Order.objects.get()
    assert response.url == f"/orders/{order.number}/"
    assert (order.shopper, order.ship_city, order.ship_recipient, order.ship_phone) == (
        shopper,
        "杭州市",
        "Ayşe",
        "13800138000",
    )
    assert order.shipping == 12


def test_invalid_input_keeps_the_cart_and_what_was_typed_and_says_what_to_change(client, shop):
    add(client, shop.grapes, 1)

    response = client.post(
        reverse("checkout"),
        checkout_data(client, shop, phone="12345", delivery_method="ship", street="", name="Ayşe Q"),
        headers=EN,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a mainland China mobile number" in page
    assert "Enter the province." in page and "Enter the street address." in page
    assert 'value="Ayşe Q"' in page and 'value="12345"' in page
    assert lines(client) == {shop.grapes.pk: 1}
    assert Order.objects.count() == 0


def test_a_shortfall_at_checkout_keeps_the_cart_and_names_what_is_short(client, shop):
    add(client, shop.grapes, 4)
    data = checkout_data(client, shop)
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=3)

    response = client.post(reverse("checkout"), data, headers=EN)

    page = response.content.decode()
    assert "only 3 of Seedless grapes · 2.5 kg box are left" in page
    assert "Only 3 left" in page
    assert lines(client) == {shop.grapes.pk: 4}
    assert Order.objects.count() == 0


def test_paying_online_leads_to_the_payment_page(client, shop):
    add(client, shop.grapes, 1)

    response = client.post(reverse("checkout"), checkout_data(client, shop, payment_method="online"))

    payment = Order.objects.get().payments.get()
    assert response.url == reverse("payment-page", kwargs={"reference": payment.provider_reference})


def test_items_added_from_a_live_session_get_its_price_and_attribution(client, shop):
    item = LiveSessionItemFactory(session__status="live", variant=shop.grapes, flash_price="45.00")
    add(client, shop.grapes, 1, live_session=item.session.slug)

    client.post(reverse("checkout"), checkout_data(client, shop))

    order = Order.objects.get()
    assert order.live_session == item.session
    assert order.total == 45


def test_checkout_needs_its_csrf_token(shop):
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(reverse("checkout"), {"name": "x"}).status_code == 403
    assert Order.objects.count() == 0


# My orders


def test_my_orders_lists_only_mine_and_needs_a_sign_in(client):
    shopper = UserFactory()
    mine = OrderFactory(shopper=shopper)
    others = OrderFactory()

    assert client.get(reverse("order-list")).url.startswith(reverse("login"))
    client.force_login(shopper)
    page = client.get(reverse("order-list")).content.decode()
    assert mine.number in page and others.number not in page


def test_my_orders_runs_the_same_queries_for_3_orders_as_for_20(client):
    shopper = UserFactory()
    client.force_login(shopper)
    for _ in range(3):
        OrderFactory(shopper=shopper)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("order-list"))
    for _ in range(17):
        OrderFactory(shopper=shopper)
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("order-list"))

    assert len(three.captured_queries) == len(twenty.captured_queries)


def test_the_checkout_page_runs_the_same_queries_for_3_lines_as_for_24(client, shop):
    producer = shop.grapes.product.producer
    for _ in range(3):
        add(client, VariantFactory(product__producer=producer))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("checkout"))
    for _ in range(21):
        add(client, VariantFactory(product__producer=producer))
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(reverse("checkout"))

    assert response.status_code == 200
    assert response.content.decode().count("<li><span>") == 24
    assert len(three.captured_queries) == len(twenty_four.captured_queries)
