"""The application to sell on a slow connection: a sound photo is kept when another field is wrong, and the
village is found by its name in any language (``select_search.js`` narrows the select by these words)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.upload_stash import STASH_DIR
from producers.models import Producer
from tests.api import snapshot
from tests.factories import CountyFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db
APPLY = "/dashboard/apply/"


def client_for(user, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def jpeg(colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def village():
    county = CountyFactory(slug="shanshan", name_zh="鄯善县", name_ug="پىچان ناھىيىسى", name_en="Shanshan County")
    return VillageFactory(
        county=county, slug="tuyoq", name_zh="吐峪沟麻扎村", name_ug="تۇيۇق مازار كەنتى", name_en="Tuyoq Mazar Village"
    )


def application(village, **fields) -> dict:
    return {
        "kind": "household",
        "village": village.slug,
        "name": "Abdukerim's Vineyard",
        "story": "Three generations of grapes in the valley.",
        "phone": "+86 138 0013 8000",
    } | fields


def kept_token(html: str) -> str:
    assert 'name="photo_kept"' in html
    found = re.search(r'name="photo_kept" value="([^"]*)"', html)
    return found[1] if found else ""


def stashed(media) -> list:
    folder = media / STASH_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_photo_sent_with_a_wrong_phone_is_kept_and_used_when_the_phone_is_corrected(village, media_in_tmp):
    user = UserFactory()
    client = client_for(user)
    photo = SimpleUploadedFile("vineyard.jpg", jpeg(), content_type="image/jpeg")
    before = snapshot()
    response = client.post(APPLY, application(village, phone="12345", photo=photo))
    html = response.content.decode()
    assert response.status_code == 200
    assert snapshot() == before  # nothing created
    assert "Your photo “vineyard.jpg” is kept: you need not choose it again." in html
    assert "choose yours again" not in html
    token = kept_token(html)
    assert token and len(stashed(media_in_tmp)) == 1

    # The corrected form is sent without the photo: the kept one is used, then removed from the stash.
    response = client.post(APPLY, application(village, photo_kept=token))
    assert response.status_code == 302
    producer = Producer.objects.get(memberships__user=user)
    assert producer.photo and producer.photo.name.endswith(".jpg")
    assert stashed(media_in_tmp) == []


def test_a_kept_photo_is_replaced_by_a_newly_chosen_one(village, media_in_tmp):
    user = UserFactory()
    client = client_for(user)
    first = SimpleUploadedFile("first.jpg", jpeg((10, 200, 10)), content_type="image/jpeg")
    token = kept_token(client.post(APPLY, application(village, name="", photo=first)).content.decode())
    second = SimpleUploadedFile("second.jpg", jpeg((10, 10, 200)), content_type="image/jpeg")
    response = client.post(APPLY, application(village, photo=second, photo_kept=token))
    assert response.status_code == 302
    producer = Producer.objects.get(memberships__user=user)
    with producer.photo.open("rb") as stored, Image.open(stored) as image:
        _red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert blue > 150 and green < 80  # the second photo
    assert stashed(media_in_tmp) == []


def test_another_users_kept_photo_cannot_be_used_and_changes_nothing(village, media_in_tmp):
    owner = UserFactory()
    photo = SimpleUploadedFile("mine.jpg", jpeg(), content_type="image/jpeg")
    token = kept_token(client_for(owner).post(APPLY, application(village, phone="1", photo=photo)).content.decode())
    before = snapshot()
    response = client_for(UserFactory()).post(APPLY, application(village, photo_kept=token))
    assert response.status_code == 200
    assert "The photo you chose earlier is no longer kept. Choose it again." in response.content.decode()
    assert snapshot() == before
    assert len(stashed(media_in_tmp)) == 1  # still the owner's


def test_a_forged_token_is_refused_with_a_clear_message(village, media_in_tmp):
    before = snapshot()
    response = client_for(UserFactory()).post(APPLY, application(village, photo_kept="upload-stash/../../settings.py"))
    assert response.status_code == 200
    assert "The photo you chose earlier is no longer kept. Choose it again." in response.content.decode()
    assert snapshot() == before


def test_a_refused_photo_is_not_kept_and_the_message_says_to_choose_again(village, media_in_tmp):
    photo = SimpleUploadedFile("me.jpg", b"not a photo", content_type="image/jpeg")
    response = client_for(UserFactory()).post(APPLY, application(village, phone="1", photo=photo))
    html = response.content.decode()
    assert "not a readable image" in html
    assert "choose yours again" in html
    assert kept_token(html) == ""
    assert stashed(media_in_tmp) == []


def test_the_photo_input_says_its_limit_and_is_shrunk_by_the_browser(village):
    html = client_for(UserFactory()).get(APPLY).content.decode()
    photo_input = re.search(r'<input type="file" name="photo"[^>]*>', html)[0]
    assert 'data-photo-resize="2000"' in photo_input
    assert "up to 10 MB" in html
    assert "/js/photo_resize.js" in html


@pytest.mark.parametrize("language", ["en", "zh-hans", "ug"])
def test_each_village_answers_to_its_and_its_countys_names_in_every_language(village, language):
    VillageFactory(slug="grape-valley", name_zh="葡萄沟", name_en="Grape Valley")
    html = client_for(UserFactory(), language).get(APPLY).content.decode()
    select = re.search(r'<select name="village"[^>]*>', html)[0]
    assert "data-select-search" in select
    option = re.search(r'<option value="tuyoq"[^>]*>', html)[0]
    for name in ("吐峪沟麻扎村", "تۇيۇق مازار كەنتى", "Tuyoq Mazar Village", "鄯善县", "Shanshan County"):
        assert name in option
    assert "/js/select_search.js" in html
