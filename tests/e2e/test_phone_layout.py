"""A phone's first look, in Chinese and in Uyghur, 360 by 640 CSS pixels: the first product above the fold, the
filters behind one button, the add-to-cart bar at hand while the product page scrolls, the cart count in the
header, and every tap target at least 44 by 44 pixels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import SHOTS, new_page
from tests.factories import ProducerFactory, ProductFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 640}

# The interactive elements smaller than 44 x 44 CSS pixels, described. A radio button or checkbox counts as its
# largest label (the label is its hit area). Exempt, as WCAG 2.5.8 exempts them: what is not shown, and links
# inside running text (an inline link whose block holds other text too), whose height is the line's.
SMALL_TARGETS = """
() => {
  const small = [];
  const seen = new Set();
  const inRunningText = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const own = el.innerText.trim().length;
    return block !== null && block.innerText.trim().length > own + 1;
  };
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    if (el.closest(".skip-link, .visually-hidden")) continue;
    let areas = [el];
    if (el.matches("input[type=radio], input[type=checkbox]")) areas = areas.concat(Array.from(el.labels || []));
    const boxes = areas.map((a) => a.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
    if (!boxes.length || getComputedStyle(el).visibility === "hidden") continue;
    if (inRunningText(el)) continue;
    const best = boxes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    if (best.height < 44 || best.width < 44) {
      const text = (el.innerText || el.value || el.name || el.getAttribute("aria-label") || "").trim().slice(0, 30);
      const key = el.tagName + text + Math.round(best.height);
      if (seen.has(key)) continue;
      seen.add(key);
      const name = el.tagName.toLowerCase() + (el.className ? "." + el.className.split(" ")[0] : "");
      small.push(`${name} “${text}” ${Math.round(best.width)}×${Math.round(best.height)}`);
    }
  }
  return small;
}
"""


# Products of the region, named in the three languages (docs: REGION.md), each in two sizes.
PRODUCTS = [
    ("ئۇرۇقسىز ئاق ئۈزۈم", "无核白葡萄", "Seedless white grapes", "59.00"),
    ("قوغۇن", "哈密瓜", "Hami melon", "38.00"),
    ("ئەتىرگۈل چېيى", "玫瑰花茶", "Rose tea", "45.00"),
    ("ياڭاق", "核桃", "Walnuts", "68.00"),
    ("كورلا نەشپۈتى", "库尔勒香梨", "Korla fragrant pears", "69.00"),
    ("ئەتلەس ياغلىق", "艾德莱斯绸围巾", "Atlas silk scarf", "168.00"),
]


@pytest.fixture
def shop_site(live_server) -> tuple[str, str]:
    """A small catalog (the demo's seeding takes half a minute): the site's address and a product's slug."""
    village = VillageFactory(name_zh="葡萄沟村", name_ug="ئۈزۈم ئېرىقى كەنتى", name_en="Grape Valley")
    producer = ProducerFactory(
        name_zh="吐鲁番葡萄合作社",
        name_ug="تۇرپان ئۈزۈم كوئوپېراتىپى",
        name_en="Turpan Grape Cooperative",
        village=village,
    )
    slug = ""
    for ug, zh, en, price in PRODUCTS:
        product = ProductFactory(
            producer=producer,
            name_ug=ug,
            name_zh=zh,
            name_en=en,
            description_zh="来自吐鲁番的村庄，当季采摘，直接寄到您家。\n\n" * 6,
            description_ug="تۇرپاندىكى كەنتتىن، پەسلىدە ئۈزۈلۈپ، ئۆيىڭىزگە ئەۋەتىلىدۇ.\n\n" * 6,
            description_en="From a village of Turpan, picked in season, sent to your door.\n\n" * 6,
        )
        VariantFactory(product=product, name_ug="2.5 كىلوگىراملىق قۇتا", price=Decimal(price), stock=20)
        VariantFactory(
            product=product,
            name_zh="5公斤箱",
            name_ug="5 كىلوگىراملىق قۇتا",
            name_en="5 kg box",
            price=Decimal(price) * 2,
            stock=20,
        )
        slug = slug or product.slug
    return live_server.url, slug


@pytest.mark.parametrize("language", ["zh-hans", "ug"])
def test_a_phone_sees_products_first_and_buys_from_the_bar_with_big_enough_targets(browser, shop_site, language):
    demo, slug = shop_site
    page = new_page(browser, locale="en-US")
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    small: dict[str, list[str]] = {}

    # The list: the first card whole within the first screen; the filters folded behind their button.
    page.goto(demo + "/products/")
    first = page.locator(".cards .card a").first  # its photo and name
    box = first.bounding_box()
    assert box["y"] > 0 and box["y"] + box["height"] <= PHONE["height"], box
    filters = page.locator(".filter-grid")
    expect(filters).to_be_hidden()
    expect(page.locator(".sort-chips a[aria-current]")).to_have_count(1)
    small["list"] = page.evaluate(SMALL_TARGETS)
    if language == "ug":
        page.screenshot(path=SHOTS / "phone-list-ug-360.png")
    page.locator(".filter-toggle").click()
    expect(filters).to_be_visible()
    expect(page.locator(".filter-actions .button").first).to_be_visible()
    small["list, filters open"] = page.evaluate(SMALL_TARGETS)

    # The product page: the bar pinned to the foot of the screen, before and after scrolling, covering nothing
    # at the page's end; it adds to the cart and the header counts what was added.
    page.goto(f"{demo}/products/{slug}/")
    bar = page.locator(".buy-row")
    for scroll in ("0", "document.body.scrollHeight / 2", "document.body.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        box = bar.bounding_box()
        assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1 and box["width"] == PHONE["width"], (scroll, box)
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] <= bar.bounding_box()["y"] + 1  # the page ends above the bar
    expect(bar.locator("[data-buy-price]")).to_have_text(
        page.locator(".variant-option:has(input:checked) .variant-price").inner_text()
    )
    page.locator(".variant-option").nth(1).click()  # the other size: the bar shows its price
    expect(bar.locator("[data-buy-price]")).to_have_text(page.locator(".variant-price").nth(1).inner_text())
    if language == "ug":
        page.screenshot(path=SHOTS / "phone-product-ug-360.png")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        # Right to left, the price is at the bar's right end and the button at its left.
        price, button = bar.locator(".buy-price").bounding_box(), bar.locator(".button").bounding_box()
        assert price["x"] > button["x"]
    small["product"] = page.evaluate(SMALL_TARGETS)
    expect(page.locator(".cart-count")).to_have_count(0)
    bar.locator("[name=quantity]").fill("2")
    bar.locator(".button").click()
    expect(page).to_have_url(f"{demo}/cart/")
    expect(page.locator(".site-nav .cart-count")).to_have_text("2")
    small["cart"] = page.evaluate(SMALL_TARGETS)
    page.goto(f"{demo}/products/{slug}/")  # a cached page, with this visitor's count
    expect(page.locator(".site-nav .cart-count")).to_have_text("2")

    page.goto(demo + "/checkout/")
    small["checkout"] = page.evaluate(SMALL_TARGETS)
    page.goto(demo + "/")
    small["home"] = page.evaluate(SMALL_TARGETS)

    assert not {name: found for name, found in small.items() if found}, small
