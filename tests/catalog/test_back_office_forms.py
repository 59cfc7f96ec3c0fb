"""The product editor on a phone and a slow connection: refused forms open at their error and survive a reload,
the reader's language comes first, optional parts and sizes are folded, photos are shrunk before they are sent."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Product
from tests.api import snapshot
from tests.catalog import test_back_office
from tests.catalog.test_back_office import PRODUCT_FORM, World
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db
FARM = "tuyoq-vineyard"


@pytest.fixture
def world() -> World:
    """The back office's world of ``test_back_office``: a producer with a member, a product, a size and photos."""
    return test_back_office.world.__wrapped__()


def client_for(user, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def edit_url(slug: str = "seedless-grapes") -> str:
    return reverse("dashboard-product-edit", kwargs={"producer": FARM, "slug": slug})


def test_a_refused_photo_is_shown_at_the_photos_and_a_reload_goes_back_to_them_not_a_405(world):
    photos_url = reverse("dashboard-product-photos-add", kwargs={"producer": FARM, "slug": "seedless-grapes"})
    client = client_for(world.member, "en")
    editor = client.get(edit_url()).content.decode()
    assert f'action="{photos_url}#photos"' in editor  # the refused form comes back opened at the photos

    before = snapshot()
    bad = SimpleUploadedFile("bad.jpg", b"not a photo", content_type="image/jpeg")
    response = client.post(photos_url, {"photos": [bad]})
    html = response.content.decode()
    assert response.status_code == 200
    assert snapshot() == before
    # The error summary stands inside the photos section, where the page opens (forms.js focuses it).
    photos_section = html[html.index('id="photos"') : html.index('id="details"')]
    assert "data-error-summary" in photos_section and "not a readable image" in photos_section

    reload = client.get(photos_url)
    assert reload.status_code == 302
    assert reload["Location"] == edit_url() + "#photos"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("route", "kwargs", "fragment"),
    [
        ("dashboard-product-variant-add", {"slug": "seedless-grapes"}, "#add-variant"),
        ("dashboard-variant-edit", {"pk": "variant"}, "#variant-{variant}"),
        ("dashboard-productimage-alt", {"pk": "image"}, "#photo-{image}"),
    ],
)
def test_every_form_shown_again_at_its_own_address_answers_a_reload(world, route, kwargs, fragment):
    ids = {"variant": world.variant.pk, "image": world.images[0].pk}
    kwargs = {key: ids.get(value, value) for key, value in kwargs.items()}
    url = reverse(route, kwargs={"producer": FARM, **kwargs})
    client = client_for(world.member, "en")
    target = edit_url() + fragment.format(**ids)
    assert f'action="{url}{fragment.format(**ids)}"' in client.get(edit_url()).content.decode()
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, target)


def test_a_reload_after_a_refused_quick_edit_goes_back_to_the_overview(world):
    url = reverse("dashboard-variant-quick-edit", kwargs={"producer": FARM, "pk": world.variant.pk})
    response = client_for(world.member, "en").get(url)
    assert (response.status_code, response["Location"]) == (302, f"/dashboard/{FARM}/")


def test_a_reload_after_a_refused_review_goes_back_to_the_reviews(world):
    world.product.status = Product.Status.ACTIVE
    world.product.save()
    world.producer.is_verified = True
    world.producer.save()
    url = reverse("product-review", kwargs={"slug": "seedless-grapes"})
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, "/products/seedless-grapes/#reviews")


def _fieldset_order(html: str) -> list[str]:
    return re.findall(r'name="(name_(?:zh|ug|en))"', html)


@pytest.mark.parametrize(
    ("language", "first", "other_names"),
    [("ug", "name_ug", "خەنزۇچە, ئىنگلىزچە"), ("zh-hans", "name_zh", "维吾尔文"), ("en", "name_en", "Chinese, Uyghur")],
)
def test_the_readers_language_comes_first_and_the_others_are_folded_but_sent(world, language, first, other_names):
    new_url = reverse("dashboard-product-new", kwargs={"producer": FARM})
    html = client_for(world.member, language).get(new_url).content.decode()
    assert _fieldset_order(html)[0] == first
    folded = html[html.index('<details class="bo-fold"') :]
    others = {"name_zh", "name_ug", "name_en"} - {first}
    assert set(_fieldset_order(folded)[:2]) == others  # under "Other languages", still inside the form
    assert other_names.split(",")[0] in folded[: folded.index("</summary>")]
    assert '<details class="bo-fold">' in html  # folded while nothing in them is wrong


def test_a_product_named_only_in_a_folded_language_is_saved_with_it(world):
    CategoryFactory(slug="fresh-fruit")
    client = client_for(world.member, "ug")
    response = client.post(
        reverse("dashboard-product-new", kwargs={"producer": FARM}),
        {"name_en": "Black raisins", "category": "fresh-fruit", "harvest_start_month": "1", "harvest_end_month": "12"},
    )
    assert response.status_code == 302
    assert Product.objects.get(name_en="Black raisins").name_ug == ""


def test_a_missing_name_is_reported_on_the_name_shown_first_and_changes_nothing(world):
    CategoryFactory(slug="fresh-fruit")
    before = snapshot()
    data = PRODUCT_FORM | {"name_zh": "", "name_ug": "", "name_en": ""}
    response = client_for(world.member, "ug").post(reverse("dashboard-product-new", kwargs={"producer": FARM}), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert snapshot() == before
    assert 'href="#id_name_ug"' in html  # the summary's link leads to the Uyghur name, shown first and open
    assert '<details class="bo-fold">' in html  # the other languages stay folded: nothing there is wrong


def test_an_error_in_a_folded_part_opens_it(world):
    data = PRODUCT_FORM | {"name_en": "x" * 300}
    html = client_for(world.member, "zh-hans").post(edit_url(), data).content.decode()
    assert '<details class="bo-fold" open>' in html


def test_sizes_are_added_one_at_a_time_behind_add_another_size(world):
    html = client_for(world.member, "en").get(edit_url()).content.decode()
    assert re.search(r'<details class="bo-add-size" id="add-size">\s*<summary[^>]*>Add another size<', html)
    # Only one empty size: weight and stock code folded as optional.
    assert html.count('name="new-price"') == 1
    assert re.search(r"<summary>Weight, shelf life and stock code <small>\(optional\)", html)


def test_a_product_without_sizes_shows_the_size_form_open(world):
    world.variant.delete()
    html = client_for(world.member, "en").get(edit_url()).content.decode()
    assert '<details class="bo-add-size" id="add-size" open>' in html


def test_a_refused_size_comes_back_open_with_its_values(world):
    url = reverse("dashboard-product-variant-add", kwargs={"producer": FARM, "slug": "seedless-grapes"})
    before = snapshot()
    html = client_for(world.member, "en").post(url, {"new-name_en": "1 kg box", "new-price": "0"}).content.decode()
    assert snapshot() == before
    assert '<details class="bo-add-size" id="add-size" open>' in html
    assert 'value="1 kg box"' in html


def test_every_photo_input_is_shrunk_by_the_browser_and_says_its_limit(world):
    html = client_for(world.member, "en").get(edit_url()).content.decode()
    upload = re.search(r'<input type="file" name="photos"[^>]*>', html)[0]
    assert 'data-photo-resize="2000"' in upload and 'data-photo-quality="0.85"' in upload
    assert "up to 10 MB each" in html
    assert html.count("/js/photo_resize.js") == 1
