"""The waitlist in a phone-sized Chromium, in Uyghur (right to left): a shopper joins a sold-out size's waitlist
from the product page, sees their place in line; a restock holds units for them, the inbox says until when, and
they order them while another shopper cannot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog import services as catalog_services
from catalog.models import Variant, WaitlistEntry
from tests.e2e.browsing import new_page, shoot
from tests.e2e.test_pre_sale import sign_in
from tests.factories import UserFactory
from tests.orders.conftest import shop  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shopper_waits_for_a_sold_out_size_and_orders_the_units_held_for_them(browser, live_server, shop):  # noqa: F811
    base = live_server.url
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    ahead = UserFactory()
    catalog_services.waitlist_join(variant=shop.grapes, shopper=ahead)
    shopper = UserFactory(username="gulnar-waits")

    page = new_page(browser, locale="ug")
    sign_in(page, base, shopper.username, "ug")
    page.goto(base + shop.grapes.product.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    join = page.locator("form.waitlist-join")
    join.locator("[name=quantity]").fill("2")
    shoot(page, "waitlist-ug-01-product")
    join.locator("button[type=submit]").click()

    expect(page.locator(".waitlist-entry")).to_contain_text("1")  # one shopper ahead
    assert WaitlistEntry.objects.get(shopper=shopper).quantity == 2
    shoot(page, "waitlist-ug-02-waiting")

    catalog_services.variant_restock(variant=shop.grapes, quantity=3, actor=None)

    page.goto(base + "/inbox/")
    expect(page.locator("li.notice").first).to_contain_text("Seedless grapes")
    page.goto(base + "/waitlist/")
    expect(page.locator(".waitlist-held")).to_be_visible()
    shoot(page, "waitlist-ug-03-held")
    page.locator("form.waitlist-order button[type=submit]").click()
    expect(page.locator(".waitlist-held")).to_be_visible()  # the cart says the units are held for them
    shoot(page, "waitlist-ug-04-cart")
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 0
