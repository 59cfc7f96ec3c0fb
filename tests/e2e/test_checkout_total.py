"""The total before the button is what the order costs, in a phone-sized Chromium, in Chinese and in Uyghur."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalog.models import Variant
from orders.models import Order
from tests.e2e.browsing import add_to_cart, new_page, shoot

pytestmark = pytest.mark.django_db(transaction=True)

# The order page's "Total" row, as each language labels it.
TOTAL = {"zh-hans": "合计", "ug": "جەمئىي"}


def two_producers_products() -> list[str]:
    """Two products on sale with stock from two different producers: two parcels."""
    slugs: dict[int, str] = {}
    variants = Variant.objects.filter(product__status="active", stock__gte=5).select_related("product")
    for variant in variants.order_by("pk"):
        if variant.is_on_sale and variant.product.producer_id not in slugs:
            slugs[variant.product.producer_id] = variant.product.slug
        if len(slugs) == 2:
            break
    assert len(slugs) == 2
    return list(slugs.values())


@pytest.mark.parametrize(("language", "direction"), [("zh-hans", "ltr"), ("ug", "rtl")])
def test_the_total_shown_before_the_button_is_the_orders_total(browser, demo, language, direction):
    page = new_page(browser, locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    for slug in two_producers_products():
        page.goto(f"{demo}/products/{slug}/")
        expect(page.locator(".shipping-note")).to_be_visible()
        add_to_cart(page, 1)

    page.goto(demo + "/checkout/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    page.locator("[name=name]").fill("阿依古丽")
    page.locator("[name=phone]").fill("138 0013 8000")
    page.locator("[name=delivery_method][value=ship]").check()
    page.locator("[name=province]").fill("浙江省")
    page.locator("[name=city]").fill("杭州市")
    page.locator("[name=street]").fill("文三路 1 号")
    page.locator("[name=payment_method][value=cod]").check()

    shipped = page.locator('.checkout-total[data-delivery="ship"]')
    expect(shipped).to_be_visible()
    expect(page.locator('.checkout-total[data-delivery="pickup"]')).to_be_hidden()
    expect(shipped.locator(".parcel-name")).to_have_count(3)  # two parcels and the whole order
    shown = shipped.locator("[data-total]").inner_text().strip()
    # The figure sits above the button and fits the phone's width.
    box, button = shipped.bounding_box(), page.locator("form.checkout-form button[type=submit]").bounding_box()
    assert box["y"] + box["height"] <= button["y"] and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shoot(page, f"checkout-total-{language}")

    page.locator("form.checkout-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/\?token="))
    order = Order.objects.get(number=re.search(r"/orders/(OM[0-9A-Z]{12})/", page.url)[1])
    total_row = page.locator("tfoot tr").filter(has=page.get_by_role("rowheader", name=TOTAL[language], exact=True))
    expect(total_row.locator("td")).to_have_text(shown)
    # In Uyghur the amount is a left-to-right isolate (marketplace/bidi.py): the sign stays before the digits.
    assert shown.strip("\u2066\u2069") == f"¥{order.total:,}" and order.fulfilments.count() == 2
    assert order.total == order.subtotal + order.shipping and order.shipping >= Decimal("0.00")
