"""A pre-sale in a phone-sized Chromium, in Chinese and in Uyghur: a shopper orders grapes before the harvest and
pays now, and reads from which day they ship; the farmer enters a harvest short of what was sold; the first
orders are filled and ship, the last is cancelled, refunded, and its shopper told so in the inbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from catalog import services as catalog_services
from catalog.models import Variant
from orders import services
from orders.models import Fulfilment, Order, Refund
from tests.e2e.browsing import add_to_cart, new_page, shoot
from tests.factories import UserFactory
from tests.orders.conftest import place, ship, shop  # noqa: F401  (the fixture)
from tests.orders.test_admin_refunds import pay

pytestmark = pytest.mark.django_db(transaction=True)

SHORT = (
    "The harvest came in short of the pre-sale, so your order %(number)s is cancelled: %(amount)s is refunded to the "
    "account you paid from."
)
HARVEST = timezone.localdate() + timedelta(days=15)
SHIP_BY = HARVEST + timedelta(days=3)


def sign_in(page: Page, base: str, username: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(base + "/accounts/login/")
    page.locator("form [name=username]").fill(username)
    page.locator("form [name=password]").fill("oasis-test")
    page.locator("form:has([name=password]) [type=submit]").click()


def words(language: str, msgid: str, **params) -> str:
    with translation.override(language):
        return gettext(msgid) % params


@pytest.mark.parametrize(("language", "direction"), [("zh-hans", "ltr"), ("ug", "rtl")])
def test_a_shopper_orders_before_the_harvest_and_a_short_harvest_refunds_the_last_order(
    browser,
    live_server,
    shop,  # noqa: F811
    language,
    direction,
):
    base = live_server.url
    farmer = shop.grapes.product.producer.members.get()
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=0)
    catalog_services.presale_open(
        variant=shop.grapes,
        expected_quantity=3,
        harvest_from=HARVEST,
        harvest_until=HARVEST + timedelta(days=2),
        ship_by=SHIP_BY,
        actor=farmer,
    )
    first_orders = [place(shop, {shop.grapes: 1}, payment="online", delivery=ship()) for _ in range(2)]
    for order in first_orders:
        pay(order)
    shopper = UserFactory(username=f"gulnar-{language}")

    # The shopper orders the last unit on a phone and pays now; the page says from which day it ships.
    page = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    sign_in(page, base, shopper.username, language)
    page.goto(base + shop.grapes.product.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("dir", direction)
    ships_from = words(language, "Pre-sale: ships from %(day)s", day=f"{HARVEST:%Y-%m-%d}")
    expect(page.locator(".variant-pre-sale")).to_have_text(ships_from)
    shoot(page, f"pre-sale-{language}-01-product")
    add_to_cart(page, 1)
    page.goto(base + "/checkout/")
    page.locator("[name=name]").fill("古丽娜尔")
    page.locator("[name=phone]").fill("138 0013 8000")
    page.locator("[name=delivery_method][value=ship]").check()
    page.locator("[name=province]").fill("浙江省")
    page.locator("[name=city]").fill("杭州市")
    page.locator("[name=street]").fill("文三路 1 号")
    page.locator("[name=payment_method][value=online]").check()
    page.locator("form.checkout-form button[type=submit]").click()
    # Paid online at once: the provider's page, then back to the order.
    expect(page).to_have_url(re.compile(r"/payments/simulated/pay/"))
    page.locator("button[name=result][value=succeeded]").click()
    expect(page).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/"))
    number = re.search(r"/orders/(OM[0-9A-Z]{12})/", page.url)[1]
    expect(page.locator(".pre-sale-note")).to_have_text(ships_from)
    shoot(page, f"pre-sale-{language}-02-paid")
    last = Order.objects.get(number=number)
    assert last.status == Order.Status.PAID

    # The farmer picks two boxes of the three sold and enters the harvest on a phone.
    office = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    sign_in(office, base, farmer.username, language)
    office.goto(f"{base}/dashboard/{shop.grapes.product.producer.slug}/pre-sales/")
    expect(office.locator("html")).to_have_attribute("dir", direction)
    office.locator("[name$=-quantity]").fill("2")
    office.locator("form.bo-inline-form button[type=submit]").click()
    expect(office.locator(".messages, [role=status]").first).to_contain_text("2")
    shoot(office, f"pre-sale-{language}-03-harvest")

    # The first two orders are filled and ship; the last is cancelled and refunded once.
    for order in first_orders:
        parcel = order.fulfilments.get()
        services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=farmer)
        services.fulfilment_transition(
            fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=farmer, tracking_number="SF1234567890"
        )
        assert Fulfilment.objects.get(pk=parcel.pk).status == Fulfilment.Status.SHIPPED
    last.refresh_from_db()
    assert last.status == Order.Status.CANCELLED
    assert list(Refund.objects.filter(order=last).values_list("amount", flat=True)) == [last.total]

    # The last shopper reads it on the order's page and in the inbox.
    page.goto(f"{base}/orders/{number}/")
    expect(page.locator("[data-refund-item-amount]").first).to_contain_text(f"{last.total}")
    page.goto(f"{base}/inbox/")
    notice = page.locator("li.notice").first
    expect(notice).to_contain_text(number)
    # The notice's words up to the order's number, in the shopper's language.
    told = words(language, SHORT, number="\x00", amount="").split("\x00")[0].strip()
    expect(notice).to_contain_text(told)
    shoot(page, f"pre-sale-{language}-04-told")
