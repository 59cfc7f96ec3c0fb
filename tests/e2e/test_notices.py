"""The bell and the inbox in Chromium at a phone's width, in Chinese and Uyghur: a depot manager whose
household got an order sees the unread count in the header, opens the inbox, finds the notice, and the count
is gone."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from orders.services import Contact, Delivery, LineRequest, order_place
from tests.e2e.browsing import SHOTS, new_page, shoot
from tests.factories import DepotFactory, ProducerFactory, UserFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "zh-hans": {"lang": "zh-Hans", "dir": "ltr", "household": "伊斯马伊力爷爷葡萄干", "new": "新订单"},
    "ug": {"lang": "ug", "dir": "rtl", "household": "ئىسمايىل ئاتا", "new": "يېڭى زاكاز"},
}


@pytest.mark.parametrize("language", ["zh-hans", "ug"])
def test_a_depot_manager_sees_the_bell_count_and_the_new_order_in_the_inbox(browser, live_server, language):
    words = WORDS[language]
    home = VillageFactory()
    depot = DepotFactory(village=home, name_zh="吐峪沟服务站", name_ug="تۇيۇق پونكىتى")
    manager = UserFactory(username="manager")
    depot.managers.add(manager)
    household = ProducerFactory(
        village=home,
        default_depot=depot,
        sells_through_depot=True,
        name_zh="伊斯马伊力爷爷葡萄干",
        name_ug="ئىسمايىل ئاتا",
        name_en="Grandpa Ismayil's Raisins",
    )
    variant = VariantFactory(product__producer=household, price=Decimal("40.00"), stock=20)
    # A guest's pickup order, cash on delivery: the household has no members, its depot's manager packs it.
    order = order_place(
        shopper=None,
        contact=Contact(name="Gulnar", phone="13800138000"),
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        delivery=Delivery(method="pickup", depot_slug=depot.slug),
        payment_method="cod",
    )

    page = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + "/accounts/login/")
    page.locator("main form [name=username]").fill("manager")
    page.locator("main form [name=password]").fill("oasis-test")
    page.locator("main form:has([name=password]) button[type=submit]").click()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", words["dir"])
    expect(page.locator("html")).to_have_attribute("lang", words["lang"])

    bell = page.locator("header a.inbox-link")
    expect(bell.locator(".inbox-count")).to_have_text("1")
    expect(bell).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"notices-bell-{language}-360.png")

    bell.click()
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    notice = page.locator("li.notice").first
    expect(notice).to_contain_text(order.number)
    expect(notice).to_contain_text(words["household"])
    expect(notice).to_contain_text(words["new"])
    expect(notice.locator(".notice-badge")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, f"notices-inbox-{language}")
    # Read now: the bell has no count any more, still marked new on this page.
    expect(page.locator("header a.inbox-link .inbox-count")).to_have_count(0)

    notice.locator("a.notice-text").click()
    expect(page).to_have_url(re.compile(rf"/dashboard/{household.slug}/orders/"))
