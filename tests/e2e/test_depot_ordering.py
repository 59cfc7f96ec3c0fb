"""A depot's day with a household that has no phone, at 360 px in real headless Chromium, in Chinese and Uyghur.

The demo depot manager adds a household of the village, lists a product for it through its back office, takes
an order for a shopper at the counter, finds "new order to pack" in the inbox, receives the household's parcel,
is refused with a wrong pickup code and hands the parcel over with the right one. Screenshots of each step go
to test-artifacts/screenshots/ (depot-<language>-...).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from catalog.models import Product
from orders.models import Fulfilment, Order
from producers.models import Producer
from tests.e2e.browsing import new_page, shoot

pytestmark = pytest.mark.django_db(transaction=True)
DEPOT = "grape-valley-depot"  # the demo-depot account manages it

# What the manager types, in their language: the household's name, its product, and the shopper's name.
WORDS = {
    "zh-hans": {"content": "zh", "household": "阿依古丽家", "product": "阿依古丽桑葚干", "shopper": "马合热"},
    "ug": {"content": "ug", "household": "ئايگۈل ئائىلىسى", "product": "ئايگۈل ئۈجمە قېقى", "shopper": "ماھىرە"},
}


def sign_in(page: Page, base: str, username: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(base + "/accounts/login/")
    page.locator("main form [name=username]").fill(username)
    page.locator("main form [name=password]").fill("oasis-demo")
    page.locator("main form:has([name=password]) button[type=submit]").click()


@pytest.mark.parametrize("language", ["zh-hans", "ug"])
def test_a_depot_adds_a_household_lists_for_it_takes_a_counter_order_and_hands_it_over_by_code(browser, demo, language):
    words, shot = WORDS[language], f"depot-{language}"
    content = words["content"]
    manager = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    sign_in(manager, demo, "demo-depot", language)
    manager.goto(demo + "/depot/")
    expect(manager).to_have_url(re.compile(rf"/depot/{DEPOT}/$"))
    expect(manager.locator("html")).to_have_attribute("dir", "rtl" if language == "ug" else "ltr")

    # A household of the village, in the manager's language.
    manager.locator(f'a[href="/depot/{DEPOT}/households/new/"]').first.click()
    expect(manager.locator(f"[name=name_{content}]")).to_be_visible()
    expect(manager.locator("[name=is_low_income_household]")).to_have_count(0)
    manager.locator(f"[name=name_{content}]").fill(words["household"])
    manager.locator("[name=phone]").fill("13900000077")
    shoot(manager, f"{shot}-01-household")
    manager.locator("main form button[type=submit]").click()
    household = Producer.objects.get(**{f"name_{content}": words["household"]})
    assert household.sells_through_depot and household.is_verified
    expect(manager).to_have_url(re.compile(rf"/dashboard/{household.slug}/products/new/$"))

    # Its first product, through the household's back office.
    manager.locator(f"[name=name_{content}]").fill(words["product"])
    manager.locator("select[name=category]").select_option(index=1)
    manager.locator("main form.bo-editor button[type=submit]").click()
    expect(manager).to_have_url(re.compile(rf"/dashboard/{household.slug}/products/[-a-z0-9]+/$"))
    size = manager.locator("form#add-variant")
    size.locator(f"[name=new-name_{content}]").fill("500g")
    size.locator("[name=new-price]").fill("28.00")
    size.locator("[name=new-stock]").fill("30")
    size.locator("button[type=submit]").click()
    manager.locator('form[action$="/publish/"] button[type=submit]').click()
    product = Product.objects.get(producer=household)
    expect(manager.locator('form[action$="/archive/"]')).to_have_count(1)
    product.refresh_from_db()
    assert product.status == Product.Status.ACTIVE
    variant = product.variants.get()

    # An order taken at the counter for a shopper: found by searching, collected at this depot.
    manager.goto(f"{demo}/depot/{DEPOT}/")
    manager.locator(f'a[href="/depot/{DEPOT}/orders/new/"]').first.click()
    manager.locator("[name=q]").fill(words["product"])
    manager.locator("button[name=action][value=search]").click()
    manager.locator(f"[name=qty-{variant.pk}]").fill("2")
    manager.locator("[name=name]").fill(words["shopper"])
    manager.locator("[name=phone]").fill("13800138000")
    shoot(manager, f"{shot}-02-counter-order")
    manager.locator("button[name=action][value=place]").click()
    expect(manager).to_have_url(re.compile(rf"/depot/{DEPOT}/$"))
    order = Order.objects.get(contact_name=words["shopper"])
    assert (order.payment_method, order.delivery_method, order.pickup_depot.slug) == ("cod", "pickup", DEPOT)
    assert order.events.get().actor.username == "demo-depot"
    expect(manager.locator(".messages")).to_contain_text(order.number)

    # The household has no members: its depot's manager is told to pack it.
    manager.goto(demo + "/inbox/")
    expect(manager.locator("li.notice").filter(has_text=order.number)).to_have_count(1)
    shoot(manager, f"{shot}-03-inbox")

    # The shopper's page shows the pickup code, kept in reading order.
    shopper = new_page(browser, locale="zh-CN" if language == "zh-hans" else "ug")
    shopper.context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    shopper.goto(f"{demo}/orders/{order.number}/?token={order.guest_token}")
    expect(shopper.locator("[data-pickup-code] bdi")).to_have_text(order.pickup_code)
    shoot(shopper, f"{shot}-04-shopper-code")

    # Received from the household, then handed over: refused with a wrong code, done with the right one.
    parcel = order.fulfilments.get()
    card = f"#parcel-{parcel.pk}"
    manager.goto(f"{demo}/depot/{DEPOT}/")
    manager.locator(f'{card} form[action$="/received/"] button').click()
    expect(manager.locator(f"{card} [name=pickup_code]")).to_be_visible()

    # The pick list to print: each order number on one line.
    manager.goto(f"{demo}/depot/{DEPOT}/pick-list/")
    expect(manager.locator(".pick-number").filter(has_text=order.number)).to_have_count(1)
    lines = manager.eval_on_selector_all(".pick-number", "els => els.map(e => e.getClientRects().length)")
    assert lines and all(n == 1 for n in lines), "an order number wraps on the pick list"
    shoot(manager, f"{shot}-05-pick-list")
    manager.goto(f"{demo}/depot/{DEPOT}/")
    wrong = "000000" if order.pickup_code != "000000" else "111111"
    manager.locator(f"{card} [name=pickup_code]").fill(wrong)
    manager.locator(f'{card} form[action$="/handed-over/"] button').click()
    expect(manager.locator(".error-summary")).to_be_visible()
    shoot(manager, f"{shot}-06-wrong-code")
    assert Fulfilment.objects.get(pk=parcel.pk).status == Fulfilment.Status.SHIPPED  # at the depot still

    manager.locator(f"{card} [name=pickup_code]").fill(order.pickup_code)
    manager.locator(f'{card} form[action$="/handed-over/"] button').click()
    expect(manager).to_have_url(re.compile(rf"/depot/{DEPOT}/$"))
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert Fulfilment.objects.get(pk=parcel.pk).status == Fulfilment.Status.DELIVERED
    shoot(manager, f"{shot}-07-handed-over")
