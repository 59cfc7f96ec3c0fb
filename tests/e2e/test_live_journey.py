"""A livestream in real headless Chromium at 360 px: a viewer opens the share link, buys at the live price and
sees that price on every page to the order; meanwhile other buyers' orders make the remaining count on the
session page fall without a reload; the host then sees the order on the session's live view."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from live.models import LiveSession
from orders.models import Order
from orders.services import Contact, Delivery, LineRequest, order_place
from tests.e2e.browsing import new_page, shoot
from tests.factories import (
    DepotFactory,
    HostFactory,
    LiveSessionItemFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_viewer_buys_at_the_live_price_from_the_share_link_and_the_host_sees_the_order(browser, live_server):
    depot = DepotFactory(slug="grape-valley", name_en="Grape Valley depot")
    grapes = VariantFactory(
        product=ProductFactory(name_en="Seedless grapes", original_language="en"),
        name_en="2.5 kg box",
        price=Decimal("59.90"),
        stock=100,
    )
    host = HostFactory(user=UserFactory(username="host-ayxan"), display_name="Ayxan")
    item = LiveSessionItemFactory(
        session__host=host,
        session__status=LiveSession.Status.LIVE,
        session__name_en="Grape harvest live",
        variant=grapes,
        flash_price=Decimal("46.90"),
        quantity_cap=20,
        per_shopper_limit=2,
    )
    share_link = f"{live_server.url}/live/{item.session.slug}/"

    viewer = new_page(browser, locale="en-US")
    viewer.goto(share_link)
    card = viewer.locator(f'[data-live-item][data-variant="{grapes.pk}"]')
    expect(card).to_contain_text("¥46.90")
    expect(card.locator("[data-live-remaining]")).to_have_text("20")
    shoot(viewer, "live-01-share-link-en")

    # Another viewer's page stays open: it should count down by itself.
    watcher = new_page(browser, locale="en-US")
    watcher.goto(share_link)
    watched = watcher.locator(f'[data-live-item][data-variant="{grapes.pk}"] [data-live-remaining]')
    expect(watched).to_have_text("20")

    card.locator("[name=quantity]").fill("2")
    card.locator("button[type=submit]").click()
    expect(viewer).to_have_url(re.compile(r"/cart/$"))
    expect(viewer.locator(".cart-line")).to_contain_text("¥46.90")
    expect(viewer.locator(".cart-total")).to_contain_text("¥93.80")
    shoot(viewer, "live-02-cart-en")

    viewer.get_by_role("link", name="Check out").click()
    summary = viewer.locator(".checkout-summary")
    expect(summary).to_contain_text("¥46.90")
    expect(summary).to_contain_text("¥93.80")
    viewer.get_by_label("Your name", exact=True).fill("Aygul Tursun")
    viewer.get_by_label("Mobile phone", exact=True).fill("138 0013 8000")
    viewer.get_by_label("Pick up at a depot").check()
    viewer.locator("select[name=depot]").select_option(depot.slug)
    viewer.get_by_label("Cash on delivery").check()
    shoot(viewer, "live-03-checkout-en")
    viewer.get_by_role("button", name="Place the order").click()

    expect(viewer).to_have_url(re.compile(r"/orders/OM[0-9A-Z]{12}/\?token="))
    order = Order.objects.get(number=re.search(r"/orders/(OM[0-9A-Z]{12})/", viewer.url)[1])
    assert (order.total, order.live_session_id) == (Decimal("93.80"), item.session_id)
    expect(viewer.locator("table.lines")).to_contain_text("¥46.90")
    expect(viewer.locator("table.lines")).to_contain_text("¥93.80")
    shoot(viewer, "live-04-order-en")

    # Other buyers through the API's service, as phones elsewhere would: the watcher's count falls.
    for phone in ("13900001111", "13900002222"):
        order_place(
            shopper=None,
            contact=Contact(name="Li", phone=phone),
            lines=[LineRequest(variant_id=grapes.pk, quantity=2)],
            delivery=Delivery(method="pickup", depot_slug=depot.slug),
            payment_method="cod",
            live_session_slug=item.session.slug,
        )
    expect(watched).to_have_text("14", timeout=20_000)
    shoot(watcher, "live-05-count-falls-en")

    host_page = new_page(browser, locale="en-US")
    host_page.goto(f"{live_server.url}/accounts/login/?next=/host/sessions/{item.session.slug}/live/")
    host_page.get_by_label("Username").fill("host-ayxan")
    host_page.get_by_label("Password").fill("oasis-test")
    host_page.get_by_role("button", name="Sign in").click()
    expect(host_page).to_have_url(re.compile(rf"/host/sessions/{item.session.slug}/live/$"))
    expect(host_page.locator("[data-host-orders]")).to_contain_text(order.number)
    expect(host_page.locator(f'[data-item-units="{item.pk}"]')).to_contain_text("6")
    expect(host_page.locator("[data-host-orders]")).not_to_contain_text("Aygul Tursun")
    shoot(host_page, "live-06-host-live-view-en")
