"""A producer's whole path in real headless Chromium: list a product from the phone, sell it, ship it.

The demo farmer signs in, creates a product with a size, stock and two photos, and publishes it. It
appears in the shop; the demo shopper orders it; the farmer packs and ships the parcel with a tracking
number; the shopper's order page shows it shipped with that number. Screenshots of the back office at
360 px and 1280 px go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from catalog.models import Product
from orders.models import Fulfilment, Order
from tests.e2e.browsing import add_to_cart, new_page, shoot

pytestmark = pytest.mark.django_db(transaction=True)
FARM = "abdukerim-vineyard"  # demo-farmer's producer


def photo(tmp_path, name: str, colour: str) -> str:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("oasis-demo")
    page.get_by_role("button", name="Sign in").click()


def test_a_farmer_lists_a_product_with_photos_and_ships_the_order_it_gets(browser, demo, tmp_path):
    farmer = new_page(browser, locale="en-US")
    sign_in(farmer, demo, "demo-farmer")
    farmer.goto(demo + "/dashboard/")
    expect(farmer).to_have_url(re.compile(rf"/dashboard/{FARM}/$"))
    shoot(farmer, "bo-01-overview")

    farmer.get_by_role("link", name="Add a product").click()
    farmer.locator("[name=name_en]").fill("Sun-dried black raisins")  # the page's language, shown first
    farmer.get_by_text("Other languages").click()  # the others are folded
    farmer.locator("[name=name_zh]").fill("黑加仑葡萄干")
    farmer.locator("select[name=category]").select_option(index=1)
    farmer.get_by_role("button", name="Save as a draft").click()
    expect(farmer).to_have_url(re.compile(rf"/dashboard/{FARM}/products/[-a-z0-9]+/$"))
    product = Product.objects.get(name_en="Sun-dried black raisins")
    assert product.status == Product.Status.DRAFT

    size = farmer.locator("form#add-variant")
    size.locator("[name=new-name_en]").fill("500 g bag")
    size.locator("[name=new-price]").fill("36.50")
    size.locator("[name=new-stock]").fill("40")
    size.get_by_role("button", name="Add the size").click()
    farmer.locator("input[type=file][name=photos]").set_input_files(
        [photo(tmp_path, "raisins-1.jpg", "#3b1f3a"), photo(tmp_path, "raisins-2.jpg", "#7a4a2a")]
    )
    farmer.get_by_role("button", name="Upload").click()
    expect(farmer.locator(".bo-photos > .bo-photo")).to_have_count(2)
    farmer.get_by_role("button", name="Publish").click()
    shoot(farmer, "bo-02-product")
    product.refresh_from_db()
    assert product.status == Product.Status.ACTIVE
    assert product.images.count() == 2
    variant = product.variants.get()
    assert (variant.price, variant.stock) == (Decimal("36.50"), 40)

    shopper = new_page(browser, locale="en-US")
    sign_in(shopper, demo, "demo-shopper")
    shopper.goto(f"{demo}/products/?q=black+raisins")
    shopper.locator(f'a[href="/products/{product.slug}/"]').first.click()
    expect(shopper.locator("h1")).to_contain_text("Sun-dried black raisins")
    add_to_cart(shopper, 2)
    shopper.get_by_role("link", name="Check out").click()
    shopper.get_by_label("Mobile phone", exact=True).fill("13900001111")
    shopper.get_by_label("Ship to an address").check()
    shopper.get_by_label("Province").fill("Zhejiang")
    shopper.get_by_label("City").fill("Hangzhou")
    shopper.get_by_label("Street address").fill("1 Wensan Road")
    shopper.get_by_label("Cash on delivery").check()
    shopper.get_by_role("button", name="Place the order").click()
    expect(shopper).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/$"))
    order = Order.objects.get(number=shopper.url.rstrip("/").rsplit("/", 1)[1])
    assert order.lines.get(variant=variant).quantity == 2

    farmer.goto(f"{demo}/dashboard/{FARM}/orders/")
    parcel = farmer.locator(".bo-parcel", has=farmer.locator("h2", has_text=order.number))
    expect(parcel).to_contain_text("Sun-dried black raisins")
    shoot(farmer, "bo-03-orders")
    parcel.get_by_role("button", name="Mark packed").click()
    farmer.goto(f"{demo}/dashboard/{FARM}/orders/?status=packed")
    parcel = farmer.locator(".bo-parcel", has=farmer.locator("h2", has_text=order.number))
    parcel.get_by_label("Tracking number").fill("SF1234567890")
    parcel.get_by_label("Carrier").fill("SF Express")
    parcel.get_by_role("button", name="Mark shipped").click()
    expect(farmer.locator(".messages")).to_be_visible()
    assert Fulfilment.objects.get(order=order, producer__slug=FARM).status == Fulfilment.Status.SHIPPED

    shopper.goto(f"{demo}/orders/{order.number}/")
    expect(shopper.locator("body")).to_contain_text("Shipped")
    expect(shopper.locator("body")).to_contain_text("SF1234567890")
    shoot(shopper, "bo-04-shopper-sees-shipped")

    farmer.context.add_cookies([{"name": "django_language", "value": "ug", "url": demo}])
    for name, path in (("overview", f"/dashboard/{FARM}/"), ("sales", f"/dashboard/{FARM}/sales/")):
        farmer.goto(demo + path)
        expect(farmer.locator("html")).to_have_attribute("dir", "rtl")
        shoot(farmer, f"bo-05-{name}-ug")
