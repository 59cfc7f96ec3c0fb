"""Forms on a cheap phone over a rural connection, in real headless Chromium at 360 px.

A large camera photo is made smaller in the browser before it is sent (and the plain upload still works without
script); a refused photo opens at its error and reopening the address never shows a 405; the village is found
by typing its name in Chinese, Uyghur or English; the product form is short. Screenshots in Chinese and Uyghur
go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from catalog import services as catalog_services
from catalog.models import Product
from producers.models import Producer
from tests.e2e.browsing import SHOTS, new_page, shoot

pytestmark = pytest.mark.django_db(transaction=True)
FARM = "abdukerim-vineyard"  # demo-farmer's producer


def sign_in(page: Page, base: str, username: str, language: str = "en") -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("oasis-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])


def camera_photo(path, size=(4000, 3000)) -> str:
    """A JPEG as a phone camera makes them: 12 megapixels of fine detail, several megabytes."""
    rng = random.Random(7)
    small = Image.new("RGB", (size[0] // 4, size[1] // 4))
    pixels = small.width * small.height
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(pixels)])
    image = small.resize(size, Image.Resampling.BILINEAR)
    image.save(path, format="JPEG", quality=95)
    return str(path)


def small_photo(path) -> str:
    Image.new("RGB", (800, 600), "#7a4a2a").save(path, format="JPEG")
    return str(path)


@pytest.fixture
def received(monkeypatch):
    """The photos the server received for a product, as (width, height, bytes)."""
    seen: list[tuple[int, int, int]] = []
    original = catalog_services.product_image_upload

    def recording(*, data: bytes, **kwargs):
        with Image.open(io.BytesIO(data)) as image:
            seen.append((image.width, image.height, len(data)))
        return original(data=data, **kwargs)

    monkeypatch.setattr(catalog_services, "product_image_upload", recording)
    return seen


def _editor(base: str) -> tuple[str, Product]:
    product = Product.objects.filter(producer__slug=FARM).order_by("pk").first()
    return f"{base}/dashboard/{FARM}/products/{product.slug}/", product


def test_a_large_camera_photo_is_made_smaller_in_the_browser_before_it_is_sent(browser, demo, tmp_path, received):
    big = camera_photo(tmp_path / "IMG_4032.jpg")
    big_bytes = (tmp_path / "IMG_4032.jpg").stat().st_size
    assert big_bytes > 3 * 1024 * 1024
    page = new_page(browser, locale="zh-CN")
    sign_in(page, demo, "demo-farmer", "zh-hans")
    url, product = _editor(demo)
    photos_before = product.images.count()
    page.goto(url)
    upload = page.locator("input[type=file][name=photos]")
    upload.set_input_files(big)
    expect(page.locator(".photo-status")).to_contain_text("→")  # "已压缩以便发送：7.9 MB → 1.2 MB。"
    shoot(page, "forms-01-photo-shrunk-zh")
    page.locator("#photos button[type=submit]").last.click()
    expect(page.locator(".bo-photos > .bo-photo")).to_have_count(photos_before + 1)
    assert len(received) == 1
    width, height, size = received[0]
    assert max(width, height) <= 2000 and (width, height) == (2000, 1500)
    assert size < big_bytes / 2


def test_without_script_the_server_still_takes_a_normal_photo_and_refuses_a_huge_one(browser, demo, tmp_path, received):
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, demo, "demo-farmer")
    url, product = _editor(demo)
    photos_before = product.images.count()
    page.goto(url)
    page.locator("input[type=file][name=photos]").set_input_files(small_photo(tmp_path / "raisins.jpg"))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".bo-photos > .bo-photo")).to_have_count(photos_before + 1)
    assert [(w, h) for w, h, _size in received] == [(800, 600)]
    context.close()


def test_a_refused_photo_opens_at_its_error_and_reopening_the_address_is_no_405(browser, demo, tmp_path):
    bad = tmp_path / "not-a-photo.jpg"
    bad.write_bytes(b"this is a text file, not a photo")
    page = new_page(browser, locale="ug-CN")
    sign_in(page, demo, "demo-farmer", "ug")
    url, _product = _editor(demo)
    page.goto(url)
    page.locator("input[type=file][name=photos]").set_input_files(str(bad))
    page.locator("#photos button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("/photos/#photos")
    summary = page.locator("#photos [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    top = summary.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 900
    page.screenshot(path=SHOTS / "forms-02-photo-refused-ug-360.png")

    # Reloading or reopening the page (a GET at the address the form posted to) goes back to the photos.
    photos_add = page.url.split("#")[0]
    response = page.goto(photos_add)
    assert response.status == 200
    assert page.url == url + "#photos"
    assert response.request.redirected_from.url == photos_add


@pytest.mark.parametrize(
    ("language", "locale", "typed"),
    [("zh-hans", "zh-CN", "吐峪沟"), ("ug", "ug-CN", "تۇيۇق"), ("en", "en-US", "Tuyoq")],
)
def test_the_village_is_found_by_typing_its_name_in_any_language(browser, demo, language, locale, typed):
    page = new_page(browser, locale=locale)
    sign_in(page, demo, "demo-shopper", language)
    page.goto(demo + "/dashboard/apply/")
    select = page.locator("select[name=village]")
    all_villages = select.locator("option:not([value=''])").count()
    assert all_villages > 20
    search = page.locator("#id_village_search")
    search.fill(typed)
    expect(select.locator("option:not([value=''])")).to_have_count(1)
    expect(select).to_have_value("tuyoq")
    # The county's name finds its villages; nonsense finds nothing and says so.
    search.fill("鄯善")
    assert 1 < select.locator("option:not([value=''])").count() < all_villages
    search.fill("zzzz")
    expect(page.locator(".select-search-note")).not_to_be_empty()
    search.fill(typed)
    page.screenshot(path=SHOTS / f"forms-03-village-search-{language}-360.png", full_page=True)


def test_the_apply_form_keeps_a_photo_after_another_fields_error(browser, demo, tmp_path):
    page = new_page(browser, locale="ug-CN")
    sign_in(page, demo, "demo-shopper", "ug")
    page.goto(demo + "/dashboard/apply/")
    page.locator("#id_village_search").fill("Tuyoq")
    page.locator("[name=name]").fill("ئىسمايىل بوۋاينىڭ كىشمىشى")
    page.locator("[name=story]").fill("ئۈچ ئەۋلاد ئۈزۈم ئۆستۈرۈپ كەلدۇق.")
    page.locator("[name=phone]").fill("12345")
    page.locator("input[type=file][name=photo]").set_input_files(small_photo(tmp_path / "IMG_1.jpg"))
    page.locator("form.bo-editor button[type=submit]").click()
    expect(page.locator(".file-kept")).to_contain_text("IMG_1.jpg")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("select[name=village]")).to_have_value("tuyoq")
    shoot(page, "forms-04-apply-photo-kept-ug")
    page.locator("[name=phone]").fill("13800138000")
    page.locator("form.bo-editor button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/[-a-z0-9]+/$"))
    producer = Producer.objects.get(memberships__user__username="demo-shopper")
    assert producer.photo and producer.village.slug == "tuyoq"


@pytest.mark.parametrize(("language", "locale"), [("en", "en-US"), ("zh-hans", "zh-CN"), ("ug", "ug-CN")])
def test_the_product_form_is_short_on_a_phone(browser, demo, language, locale):
    page = new_page(browser, locale=locale)
    sign_in(page, demo, "demo-farmer", language)
    page.goto(f"{demo}/dashboard/{FARM}/products/new/")
    form_height = page.locator("form.bo-editor").evaluate("e => e.getBoundingClientRect().height")
    page_height = page.evaluate("document.documentElement.scrollHeight")
    url, _product = _editor(demo)
    page.goto(url)
    editor_height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\n{language}: new-product form {form_height:.0f} px, page {page_height} px; editor page {editor_height} px")
    assert page_height < 2000
    assert editor_height < 4000
    page.goto(f"{demo}/dashboard/{FARM}/products/new/")
    shoot(page, f"forms-05-new-product-{language}")
