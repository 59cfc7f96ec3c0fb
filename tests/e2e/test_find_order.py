"""A guest who lost the link to their order finds it again in Chromium, on a phone's width, in Chinese and
Uyghur: from the sign-in page to /orders/find/, the order number and phone, then the code texted to that phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from notifications import sms
from orders.models import Order
from tests.e2e.browsing import SHOTS, new_page, shoot
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13800138000"


@pytest.mark.parametrize(("language", "lang", "direction"), [("zh-hans", "zh-Hans", "ltr"), ("ug", "ug", "rtl")])
def test_a_guest_finds_their_order_again_with_its_number_phone_and_code(
    browser, live_server, language, lang, direction
):
    order = OrderFactory(shopper=None, contact_phone=PHONE, language=language)
    sms.sent.clear()
    # A fresh browser: no link, no session.
    page = new_page(browser, locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    page.goto(f"{live_server.url}/orders/{order.number}/")  # the order's address without its link
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))  # signed out: asked to sign in
    page.locator("main a[href='/orders/find/']").click()
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # Typed as read out over the phone: lower case, spaces.
    page.locator("[name=number]").fill(" ".join([order.number[:6].lower(), order.number[6:]]))
    page.locator("[name=phone]").fill("138 0013 8000")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"find-order-{language}-360.png", full_page=True)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/orders/find/code/$"))
    expect(page.locator(".order-find-sent")).to_contain_text(order.number)
    [(phone, text)] = sms.sent
    assert phone == PHONE
    page.locator("[name=code]").fill(re.search(r"\b(\d{6})\b", text)[1])
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.locator("h1")).to_contain_text(order.number)
    keep = page.locator(".keep-link")
    expect(keep).to_be_visible()
    expect(keep.locator(".keep-link-url")).to_have_value(re.compile(rf"\?token={re.escape(order.guest_token)}$"))
    expect(keep.locator("button")).to_have_count(1)  # by SMS; the order has no email
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, f"find-order-found-{language}")
    assert Order.objects.get(pk=order.pk).status == order.status  # finding it changed nothing
