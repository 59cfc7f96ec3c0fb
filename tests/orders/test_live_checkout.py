"""A live price from the share link to the receipt, through full HTTP requests as a shopper makes them:
the price on the session page is the price in the cart, at checkout, on the order page and in the email;
when the session ends the cart says so and shows the normal price before anything is placed; the
per-shopper limit holds in the cart, at sign-in and at checkout; the share link attributes orders."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalog.models import Variant
from live.attribution import COOKIE
from live.models import CommissionEntry, LiveSession, LiveSessionItem
from orders.models import CartLine, Order
from tests.factories import LiveSessionFactory, LiveSessionItemFactory, UserFactory
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def item(shop) -> LiveSessionItem:
    """Grapes featured at ¥46.90 (normal ¥59.90), at most 2 per shopper, in a session on air."""
    return LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE,
        variant=shop.grapes,
        flash_price=Decimal("46.90"),
        per_shopper_limit=2,
        quantity_cap=50,
    )


def share(client, session: LiveSession):
    return client.get(reverse("live-session-detail", kwargs={"slug": session.slug}), headers=EN)


def add(client, variant, quantity=1, **extra):
    return client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": quantity, **extra}, headers=EN)


def page(client, name: str) -> str:
    return client.get(reverse(name), headers=EN).content.decode()


def form_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(idempotency_key|expected_subtotal)" value="([^"]*)"', html))


def checkout_data(html: str, shop, **overrides) -> dict[str, str]:
    data = {
        **form_values(html),
        "name": "Ayşe",
        "phone": "138 0013 8000",
        "email": "ayse@example.com",
        "delivery_method": "pickup",
        "depot": shop.depot.slug,
        "payment_method": "cod",
    }
    data.update(overrides)
    return data


def end(session: LiveSession) -> None:
    LiveSession.objects.filter(pk=session.pk).update(status=LiveSession.Status.ENDED)


def cart_quantities(client) -> dict[int, int]:
    return dict(CartLine.objects.values_list("variant_id", "quantity"))


def test_the_live_price_is_the_price_in_the_cart_at_checkout_on_the_order_and_in_the_email(
    client, shop, item, django_capture_on_commit_callbacks
):
    live_page = share(client, item.session).content.decode()
    assert "¥46.90" in live_page

    add(client, shop.grapes, 2, live_session=item.session.slug)
    cart = page(client, "cart")
    checkout = page(client, "checkout")

    for html in (cart, checkout):
        assert "¥46.90" in html and "¥93.80" in html
        assert "¥119.80" not in html
    assert form_values(checkout)["expected_subtotal"] == "93.80"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout"), checkout_data(checkout, shop), headers=EN)
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.subtotal, order.total, order.live_session) == (Decimal("93.80"), Decimal("93.80"), item.session)
    assert order.lines.get().live_item == item
    order_page = client.get(response.url, headers=EN).content.decode()
    assert "¥46.90" in order_page and "¥93.80" in order_page
    shopper_mail = next(m for m in mail.outbox if "ayse@example.com" in m.to)
    assert "¥46.90" in shopper_mail.body and "¥93.80" in shopper_mail.body
    item.refresh_from_db()
    assert item.quantity_sold == 2


def test_once_the_session_ends_the_cart_says_so_and_shows_the_normal_price(client, shop, item):
    share(client, item.session)
    add(client, shop.grapes, 2, live_session=item.session.slug)
    end(item.session)

    cart = page(client, "cart")

    assert "has ended" in cart
    assert "¥59.90" in cart and "¥119.80" in cart
    assert "¥46.90" not in cart


def test_a_session_past_its_scheduled_end_stops_its_price_before_anyone_marks_it_ended(client, shop, item):
    share(client, item.session)
    add(client, shop.grapes, 1, live_session=item.session.slug)
    past = timezone.now() - timedelta(seconds=1)
    LiveSession.objects.filter(pk=item.session_id).update(starts_at=past - timedelta(hours=1), ends_at=past)

    assert "¥59.90" in page(client, "cart")
    assert "¥46.90" not in page(client, "cart")


def test_checkout_shown_at_live_prices_refuses_to_charge_more_after_the_session_ends_then_shows_the_new_total(
    client, shop, item
):
    share(client, item.session)
    add(client, shop.grapes, 2, live_session=item.session.slug)
    shown = page(client, "checkout")
    end(item.session)

    refused = client.post(reverse("checkout"), checkout_data(shown, shop), headers=EN)

    assert refused.status_code == 200
    assert not Order.objects.exists()
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10
    html = refused.content.decode()
    assert "Prices have changed" in html and "¥119.80" in html
    assert form_values(html)["expected_subtotal"] == "119.80"

    client.post(reverse("checkout"), checkout_data(html, shop), headers=EN)

    order = Order.objects.get()
    assert order.total == Decimal("119.80")
    assert order.live_session is None
    assert not CommissionEntry.objects.exists()


def test_the_cart_refuses_more_than_the_per_shopper_limit_at_the_live_price(client, shop, item):
    share(client, item.session)

    add(client, shop.grapes, 3, live_session=item.session.slug)

    assert cart_quantities(client) == {}
    add(client, shop.grapes, 1, live_session=item.session.slug)
    add(client, shop.grapes, 2, live_session=item.session.slug)
    assert cart_quantities(client) == {shop.grapes.pk: 1}
    messages = [str(m) for m in client.get(reverse("cart"), headers=EN).context["messages"]]
    assert any("at most 2 per shopper at the live price; you may add 1 more" in m for m in messages)


def test_a_line_raised_past_the_limit_is_at_the_normal_price_as_a_whole_and_checkout_charges_what_it_showed(
    client, shop, item
):
    share(client, item.session)
    add(client, shop.grapes, 2, live_session=item.session.slug)

    client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 3}, headers=EN)

    cart = page(client, "cart")
    assert cart_quantities(client) == {shop.grapes.pk: 3}
    assert "¥179.70" in cart and "¥46.90" not in cart
    assert "lower the quantity to 2 to get it" in cart
    checkout = page(client, "checkout")
    client.post(reverse("checkout"), checkout_data(checkout, shop), headers=EN)
    order = Order.objects.get()
    assert order.total == Decimal("179.70")
    assert order.lines.get().live_item is None
    assert order.live_session == item.session  # still brought by the session: the host earns on it


def test_units_put_in_the_cart_before_opening_the_link_never_show_a_live_total_checkout_would_refuse(
    client, shop, item
):
    add(client, shop.grapes, 3)
    share(client, item.session)

    cart = page(client, "cart")

    assert "¥179.70" in cart
    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)
    assert Order.objects.get().total == Decimal("179.70")


def test_a_shopper_who_bought_the_limit_cannot_put_more_in_the_cart_at_the_live_price(client, shop, item):
    shopper = UserFactory()
    place(shop, {shop.grapes: 2}, shopper=shopper, live_session_slug=item.session.slug)
    client.force_login(shopper)
    share(client, item.session)

    add(client, shop.grapes, 1, live_session=item.session.slug)

    assert cart_quantities(client) == {}


def test_signing_in_tells_the_shopper_when_the_merged_cart_holds_more_than_they_may_still_buy_at_the_live_price(
    client, shop, item
):
    shopper = UserFactory(username="li")
    place(shop, {shop.grapes: 1}, shopper=shopper, live_session_slug=item.session.slug)
    share(client, item.session)
    add(client, shop.grapes, 2, live_session=item.session.slug)

    response = client.post(reverse("login"), {"username": "li", "password": "oasis-test"}, follow=True, headers=EN)

    assert cart_quantities(client) == {shop.grapes.pk: 2}  # nothing the shopper chose is thrown away
    assert "lower the quantity to 1 to get it" in response.content.decode()
    cart = page(client, "cart")
    assert "¥119.80" in cart
    client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 1}, headers=EN)
    assert "¥46.90" in page(client, "cart")


def test_a_shopper_past_the_limit_may_still_buy_the_item_at_its_normal_price(client, shop, item):
    shopper = UserFactory()
    place(shop, {shop.grapes: 2}, shopper=shopper, live_session_slug=item.session.slug)
    client.force_login(shopper)
    share(client, item.session)

    add(client, shop.grapes, 1)  # from the product page

    assert cart_quantities(client) == {shop.grapes.pk: 1}
    cart = page(client, "cart")
    assert "¥59.90" in cart and "you have bought the most allowed at the live price" in cart


def test_an_order_after_opening_the_share_link_carries_the_session_even_without_featured_items(client, shop, item):
    share(client, item.session)
    add(client, shop.raisins, 1)

    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)

    order = Order.objects.get()
    assert order.live_session == item.session
    assert order.lines.get().unit_price == Decimal("35.00")
    assert CommissionEntry.objects.filter(order=order, kind="pending").count() == 1


def test_the_most_recent_share_link_wins(client, shop, item):
    other = LiveSessionFactory(status=LiveSession.Status.LIVE)
    share(client, item.session)
    share(client, other)
    add(client, shop.raisins, 1)

    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)

    assert Order.objects.get().live_session == other


def test_the_share_link_attributes_orders_only_within_its_window(client, shop, item, settings):
    settings.LIVE_ATTRIBUTION_HOURS = 0.5 / 3600  # half a second
    share(client, item.session)
    add(client, shop.raisins, 1)
    time.sleep(1.1)

    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)

    assert Order.objects.get().live_session is None


def test_a_forged_attribution_cookie_attributes_nothing(client, shop, item):
    client.cookies[COOKIE] = item.session.slug  # unsigned
    add(client, shop.grapes, 1)

    assert "¥59.90" in page(client, "cart")
    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)
    assert Order.objects.get().live_session is None


def test_opening_an_ended_session_does_not_attribute_and_gives_no_live_price(client, shop, item):
    end(item.session)

    response = share(client, item.session)
    add(client, shop.grapes, 1, live_session=item.session.slug)

    assert COOKIE not in response.cookies
    assert "¥59.90" in page(client, "cart")


def test_a_declined_item_never_sells_at_its_flash_price(client, shop, item):
    LiveSessionItem.objects.filter(pk=item.pk).update(consent=LiveSessionItem.Consent.DECLINED)
    share(client, item.session)
    add(client, shop.grapes, 1, live_session=item.session.slug)

    client.post(reverse("checkout"), checkout_data(page(client, "checkout"), shop), headers=EN)

    line = Order.objects.get().lines.get()
    assert line.unit_price == Decimal("59.90")
    assert line.live_item is None


def test_a_guest_who_bought_the_limit_by_phone_sees_the_normal_price_and_can_still_check_out(client, shop, item):
    place(shop, {shop.grapes: 2}, live_session_slug=item.session.slug)  # a guest, by the phone CONTACT gives
    share(client, item.session)
    add(client, shop.grapes, 1)
    shown = page(client, "checkout")
    assert "¥46.90" in shown  # nothing yet tells the page who this guest is

    refused = client.post(reverse("checkout"), checkout_data(shown, shop, phone="138 0013 8000"), headers=EN)

    html = refused.content.decode()
    assert refused.status_code == 200 and Order.objects.count() == 1
    assert "¥59.90" in html and "you have bought the most allowed at the live price" in html
    client.post(reverse("checkout"), checkout_data(html, shop, phone="138 0013 8000"), headers=EN)
    latest = Order.objects.order_by("-pk").first()
    assert Order.objects.count() == 2
    assert (latest.total, latest.lines.get().live_item) == (Decimal("59.90"), None)


def test_buying_as_a_guest_then_signed_in_with_the_same_phone_stays_within_one_limit(shop, item):
    place(shop, {shop.grapes: 2}, live_session_slug=item.session.slug)

    later = place(shop, {shop.grapes: 2}, shopper=UserFactory(), live_session_slug=item.session.slug)

    assert later.lines.get().unit_price == Decimal("59.90")
    item.refresh_from_db()
    assert item.quantity_sold == 2
