"""The search box suggests as a shopper types, on a phone, in Chinese and in right-to-left Uyghur: the list opens
under the box, the arrow keys choose, Enter opens the choice; Enter before choosing still searches as typed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browsing import SHOTS
from tests.e2e.test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

# The list's box and the search row's, and whether the page scrolls sideways.
GEOMETRY = """() => {
  const list = document.querySelector('.suggest-list').getBoundingClientRect();
  const row = document.querySelector('.search-row[data-suggest]').getBoundingClientRect();
  return {list: [list.left, list.right, list.top], row: [row.left, row.right, row.bottom],
          sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth};
}"""


def _open(browser, url: str, language: str):
    # The Content-Security-Policy is bypassed only so that axe can be injected (tests/e2e/test_accessibility.py).
    context = browser.new_context(
        locale="zh-CN" if language == "zh-hans" else "en-US", viewport={"width": 360, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    return page


def _typed(page, box_id: str, text: str):
    """Type ``text`` into the box and wait for the list of suggestions; return the list."""
    box = page.locator(f"#{box_id}")
    box.click()
    box.press_sequentially(text, delay=40)
    listbox = page.locator(f"#{box_id}-suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-controls", f"{box_id}-suggestions")
    expect(listbox).to_have_attribute("role", "listbox")
    return box, listbox


def _query_of(url: str) -> str:
    return parse_qs(urlparse(url).query).get("q", [""])[0]


def test_chinese_shopper_types_one_character_chooses_with_the_arrow_and_lands_on_the_results(browser, demo):
    page = _open(browser, demo, "zh-hans")
    page.goto(demo + reverse("home"))

    box, listbox = _typed(page, "home-search", "葡")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("葡萄")
    expect(options.first.locator(".suggest-kind")).not_to_be_empty()  # what it is: a kind of produce
    assert options.count() <= 8

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")

    page.wait_for_url("**/products/?q=*")
    assert _query_of(page.url) == "葡萄"
    expect(page.locator("h1")).to_contain_text("葡萄")
    expect(page.locator(".cards .card").first).to_be_visible()


def test_uyghur_shopper_types_pinyin_on_a_right_to_left_page_and_lands_on_the_results(browser, demo):
    page = _open(browser, demo, "ug")
    page.goto(demo + reverse("home"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    box, listbox = _typed(page, "home-search", "pu")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("ئۈزۈم")

    # The list lies under the box, as wide as the box and its button, and the page does not scroll sideways.
    geometry = page.evaluate(GEOMETRY)
    list_left, list_right, list_top = geometry["list"]
    row_left, row_right, row_bottom = geometry["row"]
    assert abs(list_left - row_left) < 1 and abs(list_right - row_right) < 1
    assert list_top >= row_bottom
    assert not geometry["sideways"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "search-suggest-ug-360.png")
    violations = axe_violations(page, "ug home, suggestions open")
    assert not violations, "\n".join(violations)
    expect(listbox).to_be_visible()

    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowUp")  # back to the first
    expect(first).to_have_attribute("aria-selected", "true")
    box.press("Enter")

    page.wait_for_url("**/products/?q=*")
    assert _query_of(page.url) == "ئۈزۈم"
    expect(page.locator(".cards .card").first).to_be_visible()


def test_escape_closes_the_list_and_enter_then_searches_what_was_typed(browser, demo):
    page = _open(browser, demo, "zh-hans")
    page.goto(demo + reverse("product-list"))

    box, listbox = _typed(page, "id_q", "核桃")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("核桃")
    box.press("Enter")

    page.wait_for_url("**/products/?q=*")
    assert _query_of(page.url) == "核桃"
