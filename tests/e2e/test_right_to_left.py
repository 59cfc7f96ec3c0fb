"""A Uyghur order page on a phone: numbers inside right-to-left text still read left to right."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from orders.services import Address, Contact, Delivery, LineRequest, order_place
from tests.e2e.browsing import new_page, shoot
from tests.factories import DepotFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Where, in the page, the first and the last character of an element's text are drawn.
READS_LEFT_TO_RIGHT = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const visible = (node, i) => !/[\\s\\u2066-\\u2069]/.test(node.data[i]);
  const first = nodes.find((n) => [...n.data].some((_, i) => visible(n, i)));
  const last = [...nodes].reverse().find((n) => [...n.data].some((_, i) => visible(n, i)));
  const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    return r.getBoundingClientRect().left; };
  let a = 0; while (!visible(first, a)) a++;
  let b = last.data.length - 1; while (!visible(last, b)) b--;
  return {text: element.textContent, first: at(first, a), last: at(last, b)};
}"""


def test_a_uyghur_order_page_at_phone_width_keeps_numbers_in_reading_order(browser, live_server):
    depot = DepotFactory(name_ug="ئۈزۈم ئېرىقى پونكىتى", address_ug="تۇرپان شەھىرى ئۈزۈم ئېرىقى كەنتى")
    variant = VariantFactory(
        product=ProductFactory(name_ug="ئۇرۇقسىز ئۈزۈم"), name_ug="2.5 كىلو", price=Decimal("1059.90"), stock=9
    )
    with translation.override("ug"):
        order = order_place(
            shopper=None,
            contact=Contact(name="ئايگۈل", phone="13800138000", email=""),
            lines=[LineRequest(variant_id=variant.pk, quantity=2)],
            delivery=Delivery(
                method="ship",
                address=Address(
                    recipient="ئايگۈل", phone="139 0000 1111", province="شىنجاڭ", city="تۇرپان", street="ئۈزۈم ئېرىقى 8"
                ),
            ),
            payment_method="cod",
        )
    assert depot.pk  # a depot exists; this order ships to an address

    page = new_page(browser, locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": "ug", "url": live_server.url}])
    page.goto(
        live_server.url + reverse("order-detail", kwargs={"number": order.number}) + f"?token={order.guest_token}"
    )
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shoot(page, "order-ug")

    shown = [
        page.locator("h1 bdi"),  # the order number
        page.locator(".timeline time bdi").first,  # a date and time
        page.get_by_text("13900001111", exact=True),  # the recipient's phone
        page.locator("tfoot strong"),  # the total, ¥2,119.80
    ]
    for locator in shown:
        box = locator.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "fits the phone's width"
        drawn = locator.evaluate(READS_LEFT_TO_RIGHT)
        assert drawn["first"] < drawn["last"], f"{drawn['text']!r} is drawn right to left"
    assert page.locator("tfoot strong").inner_text().strip("\u2066\u2069") == "¥2,119.80"
