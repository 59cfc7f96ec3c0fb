"""A shopper's whole path in real headless Chromium against the running site, with screenshots.

Chromium is Debian's (/usr/bin/chromium, installed by .ci/run); Playwright
drives it. Screenshots at 360 px and 1280 px go to test-artifacts/screenshots/,
printed at the end of the run.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect, sync_playwright

from catalog.models import Variant
from orders.models import Order

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PRODUCT = "abdukerim-seedless-grapes"  # the demo farmer's grapes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser():
    # Playwright's synchronous API runs an event loop in this thread; the test's own ORM
    # calls are still plain synchronous calls between browser steps. Only while browsing.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    print(f"\nScreenshots: {SHOTS}")


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at a phone's and a laptop's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        # Photos load lazily: scroll through the page so the full-page shot shows them.
        page.evaluate(
            "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
            " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } window.scrollTo(0, 0); }"
        )
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 900})


def new_page(browser: Browser, *, locale: str) -> Page:
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    return context.new_page()


def add_to_cart(page: Page, quantity: int) -> None:
    form = page.locator("form.buy")
    variant = form.locator("[name=variant]")
    if variant.first.get_attribute("type") == "radio":
        form.locator("[name=variant]:not([disabled])").first.check()
    elif variant.first.evaluate("e => e.tagName") == "SELECT":
        variant.first.select_option(index=0)
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("button[type=submit]").click()


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
    order = Order.objects.get(shopper=None)  # the demo orders belong to demo-shopper
    expect(page.locator(".messages")).to_contain_text(order.number)
    expect(page.locator("h1")).to_contain_text(order.number)
    shoot(page, "06-confirmation-zh")
    assert order.delivery_method == "pickup" and order.lines.get().quantity == 2
    secret_link = page.url
    assert f"token={order.guest_token}" in secret_link

    stranger = new_page(browser, locale="zh-CN")
    assert stranger.goto(demo + f"/orders/{order.number}/").status == 404
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
    page.get_by_role("button", name="Cancel this order").click()

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
