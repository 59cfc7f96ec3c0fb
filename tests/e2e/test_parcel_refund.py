"""Staff refund one parcel in the admin; the shopper reads the refund on their order page, in Chinese and Uyghur."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from orders.models import Fulfilment, Refund
from tests.e2e.browsing import new_page, shoot
from tests.factories import UserFactory
from tests.orders.conftest import place, ship, shop  # noqa: F401  (the fixture)
from tests.orders.test_partial_refunds import pay

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, path: str, username: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(base + path)
    page.locator("form [name=username]").fill(username)
    page.locator("form [name=password]").fill("oasis-test")
    page.locator("form:has([name=password]) [type=submit]").click()


@pytest.mark.parametrize("language", ["zh-hans", "ug"])
def test_staff_refund_part_of_a_parcel_and_the_shopper_sees_it(browser, live_server, shop, language):  # noqa: F811
    shopper = UserFactory(username=f"ayse-{language}")
    UserFactory(username=f"staff-{language}", is_staff=True, is_superuser=True)
    order = pay(place(shop, {shop.grapes: 1, shop.melon: 1}, payment="online", delivery=ship(), shopper=shopper))
    melon = Fulfilment.objects.get(order=order, producer=shop.melon.product.producer)
    base = live_server.url

    staff = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    sign_in(staff, base, "/admin/login/", f"staff-{language}", language)
    staff.goto(f"{base}/admin/orders/order/{order.pk}/change/")
    refund_links = staff.locator("#parcel-refunds a.button")
    expect(refund_links).to_have_count(2)
    staff.locator(f'#parcel-refunds a[href$="/refund-parcel/{melon.pk}/"]').click()
    expect(staff.locator("[name=amount]")).to_have_value(str(melon.lines.get().line_total + melon.shipping_fee))

    # A wrong amount is refused on the form, in the staff member's language; nothing is refunded.
    staff.locator("[name=amount]").fill("0")
    staff.locator("[name=reason]").fill("瓜裂了" if language == "zh-hans" else "قوغۇن يېرىلىپ كەتتى")
    staff.locator("#content-main form [type=submit]").click()
    expect(staff.locator(".errorlist")).to_contain_text("¥0.00")
    assert not Refund.objects.filter(order=order).exists()
    shoot(staff, f"parcel-refund-{language}-01-refused")

    staff.locator("[name=amount]").fill("12.50")
    staff.locator("#content-main form [type=submit]").click()
    expect(staff.locator("#refunds")).to_contain_text("12.50")
    shoot(staff, f"parcel-refund-{language}-02-admin")
    assert Refund.objects.get(order=order).amount == 12.5

    page = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    sign_in(page, base, "/accounts/login/", f"ayse-{language}", language)
    page.goto(f"{base}/orders/{order.number}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ug" else "ltr")
    expect(page.locator("[data-refund-item-amount]")).to_contain_text("12.50")
    expect(page.locator(".refund-items")).to_contain_text("Eli")
    shoot(page, f"parcel-refund-{language}-03-shopper")
