"""Reviews on a phone-sized Chromium, in Chinese and in Uyghur: masked authors, a review's photo, rating and sales."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.models import Review
from demo.data.reviews import REVIEWED_PRODUCT, REVIEWS
from tests.e2e.browsing import SHOTS, new_page

pytestmark = pytest.mark.django_db(transaction=True)

# language: (page direction, a masked author, units sold as the language says it, the rating of the demo's four
# reviews (5, 5, 4, 4) as it says it)
LANGUAGES = {
    "zh-hans": ("ltr", "王*", "已售", "4.5 分（满分 5 分），4 条评价"),
    "ug": ("rtl", "ئ***", "سېتىلدى", "5 تىن 4.5، 4 باھالاش"),
}


def test_a_product_page_shows_masked_authors_a_photo_rating_and_units_sold_in_chinese_and_uyghur(browser, demo):
    full_names = {seed.last_name + seed.first_name for seed in REVIEWS} | {seed.first_name for seed in REVIEWS}
    full_names |= {seed.username for seed in REVIEWS}
    assert Review.objects.filter(product__slug=REVIEWED_PRODUCT).count() == len(REVIEWS)
    page = new_page(browser, locale="en-US")

    for language, (direction, masked, sold, rating) in LANGUAGES.items():
        page.context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
        page.goto(f"{demo}/products/{REVIEWED_PRODUCT}/")
        expect(page.locator("html")).to_have_attribute("dir", direction)

        summary = page.locator(".product-info .rating-summary")
        expect(summary.locator(".units-sold")).to_contain_text(sold)
        expect(summary).to_contain_text(rating)
        authors = page.locator(".review-author")
        expect(authors).to_have_count(len(REVIEWS))
        expect(authors.filter(has_text=masked)).to_have_count(1)
        text = page.locator("body").inner_text()
        for name in full_names:
            assert name not in text, name

        photo = page.locator(".review-photo img")
        photo.scroll_into_view_if_needed()
        expect(photo).to_have_count(1)
        # A lazy photo starts loading once scrolled to: wait until it has arrived and decoded.
        page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=photo.element_handle())
        box = photo.bounding_box()
        assert box["width"] <= 8 * 16 + 1 and box["x"] >= 0 and box["x"] + box["width"] <= 360
        if language == "ug":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / "reviews-ug-360.png", full_page=True)

    page.goto(f"{demo}/products/?q=葡萄")
    card = page.locator(".card").filter(has=page.locator(f'a[href="/products/{REVIEWED_PRODUCT}/"]'))
    expect(card.locator(".card-sold")).to_contain_text("سېتىلدى")
    expect(card.locator(".card-rating")).to_have_attribute("aria-label", LANGUAGES["ug"][3])
