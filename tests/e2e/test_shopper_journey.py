"""A shopper's whole path in real headless Chromium against the running site, with screenshots.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright
drives it. Screenshots at 360 px and 1280 px go to test-artifacts/screenshots/,
printed at the end of the run.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Variant
from orders.models import Order
from tests.e2e.browsing import add_to_cart, new_page, shoot

PRODUCT = "abdukerim-seedless-grapes"  # the demo farmer's grapes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_guest_finds_grapes_buys_two_boxes_for_pickup_and_reaches_the_order(browser, demo):
    page = new_page(browser, locale="zh-CN")
    page.goto(demo + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    shoot(page, "01-home-zh")

    for query in ("葡萄", "grape"):
        page.goto(f"{demo}/products/?q={query}")
        expect(page.locator(f'a[href="/products/{PRODUCT}/"]').first).to_be_visible()
    shoot(page, "02-search-zh")

    page.locator(f'a[href="/products/{PRODUCT}/"]').first.click()
    expect(page.locator("h1")).to_contain_text("葡萄")
    shoot(page, "03-product-zh")
    add_to_cart(page, 2)

    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator(".cart-line")).to_have_count(1)
    expect(page.locator(".cart-line input[type=number][name=quantity]")).to_have_value("2")
    shoot(page, "04-cart-zh")

    page.get_by_role("link", name="去结算").click()
    page.get_by_label("您的姓名", exact=True).fill("阿依古丽")
    page.get_by_label("手机号码", exact=True).fill("138 0013 8000")
    page.get_by_label("到服务站自提").check()
    page.locator("select[name=depot]").select_option(index=1)
    page.get_by_label("货到付款").check()
    shoot(page, "05-checkout-zh")
    page.get_by_role("button", name="提交订单").click()

    expect(page).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/\?token="))
    order = Order.objects.get(number=re.search(r"/orders/(OM[0-9A-Z]{12})/", page.url)[1])
    assert order.shopper is None
    expect(page.locator(".messages")).to_contain_text(order.number)
    expect(page.locator("h1")).to_contain_text(order.number)
    shoot(page, "06-confirmation-zh")
    assert order.delivery_method == "pickup" and order.lines.get().quantity == 2
    secret_link = page.url
    assert f"token={order.guest_token}" in secret_link

    stranger = new_page(browser, locale="zh-CN")
    stranger.goto(demo + f"/orders/{order.number}/")  # without the link: asked to sign in, the order unseen
    expect(stranger).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(stranger.locator("h1")).not_to_contain_text(order.number)
    assert stranger.goto(secret_link).status == 200
    expect(stranger.locator("h1")).to_contain_text(order.number)


def test_a_shopper_signs_in_buys_with_shipping_cancels_and_the_stock_comes_back(browser, demo):
    variant = Variant.objects.filter(product__slug=PRODUCT).order_by("position", "pk").first()
    stock_before = variant.stock
    page = new_page(browser, locale="en-US")
    page.goto(demo + "/accounts/login/")
    page.get_by_label("Username").fill("demo-shopper")
    page.get_by_label("Password").fill("oasis-demo")
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{demo}/products/{PRODUCT}/")
    add_to_cart(page, 1)
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Mobile phone", exact=True).fill("13900001111")
    page.get_by_label("Ship to an address").check()
    page.get_by_label("Province").fill("Zhejiang")
    page.get_by_label("City").fill("Hangzhou")
    page.get_by_label("Street address").fill("1 Wensan Road")
    page.get_by_label("Cash on delivery").check()
    shoot(page, "07-checkout-ship-en")
    page.get_by_role("button", name="Place the order").click()

    expect(page).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/$"))
    order = Order.objects.get(number=page.url.rstrip("/").rsplit("/", 1)[1])
    assert (order.shopper.username, order.delivery_method, order.ship_city) == ("demo-shopper", "ship", "Hangzhou")
    expect(page.locator("h1")).to_contain_text(order.number)
    bought = order.lines.get(variant=variant).quantity  # the demo shopper's cart already held one
    assert bought == 2
    assert Variant.objects.get(pk=variant.pk).stock == stock_before - bought
    page.get_by_role("link", name="Cancel this order").click()

    # The confirmation changes nothing until the shopper confirms.
    expect(page.locator("h1")).to_contain_text(f"Cancel order {order.number}?")
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    page.get_by_role("button", name="Yes, cancel the order").click()

    expect(page.locator(".order-status")).to_contain_text("Cancelled")
    shoot(page, "08-cancelled-en")
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert Variant.objects.get(pk=variant.pk).stock == stock_before


@pytest.mark.parametrize(
    ("language", "lang", "direction"), [("zh-hans", "zh-Hans", "ltr"), ("ug", "ug", "rtl"), ("en", "en", "ltr")]
)
def test_home_product_and_checkout_in_each_language(browser, demo, language, lang, direction):
    """Screenshots of the three pages shoppers see most, in each language; Uyghur reads right to left."""
    page = new_page(browser, locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    for name, path in (("home", "/"), ("product", f"/products/{PRODUCT}/")):
        page.goto(demo + path)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        shoot(page, f"lang-{name}-{language}")
    add_to_cart(page, 1)
    page.goto(demo + "/checkout/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    shoot(page, f"lang-checkout-{language}")
    # Right to left: the heading's text hugs the right edge; left to right, the left edge.
    text_box = page.locator("h1").evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h); const b = r.getBoundingClientRect();"
        " return {left: b.left, right: b.right, width: document.documentElement.clientWidth}; }"
    )
    gap_left, gap_right = text_box["left"], text_box["width"] - text_box["right"]
    assert (gap_right < gap_left) == (direction == "rtl")
