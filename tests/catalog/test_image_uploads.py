"""Photo uploads: through the API, and through every image field of the project, with real bytes made by Pillow."""

from __future__ import annotations

import io
import os
import struct
import warnings
import zlib

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image, ImageFile

from catalog.models import ProductImage, ProductImageUpload
from marketplace.images import MAX_PIXELS, open_image
from producers.models import Producer, Village
from tests.admin_forms import change_form_data
from tests.api import ROLES, file_count, snapshot
from tests.factories import ProducerFactory, ProductFactory, VillageFactory

GPS_INFO = 0x8825


# Real files, made here


def jpeg_bytes(size: tuple[int, int] = (800, 600), **save_options) -> bytes:
    image = Image.new("RGB", size, (120, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (1200, 900)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_INFO] = {1: "N", 2: (43.0, 30.0, 0.0), 3: "E", 4: (89.0, 10.0, 0.0)}
    return jpeg_bytes(size, exif=exif, comment=b"taken at 43.5N 89.16E")


def png_declaring(width: int, height: int, *, pixels: bool = True) -> bytes:
    """A 1-bit PNG of ``width`` x ``height``: all zero pixels compress to a few kilobytes.

    Without ``pixels`` the file has its header only, so any attempt to decode it fails.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = b""
    if pixels:
        compressor = zlib.compressobj(9)
        row = bytes((width + 7) // 8 + 1)
        body = b"".join(compressor.compress(row) for _row in range(height)) + compressor.flush()
    idat = chunk(b"IDAT", body) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    noise = Image.effect_noise((800, 600), 60).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=95)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (64, 64), 3).save(buffer, format="GIF")
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/api/v1/auth/token/')</script><rect width='10' height='10'/></svg>"
)


def twelve_megabytes() -> bytes:
    return jpeg_bytes() + os.urandom(12 * 1024 * 1024)


def stored_image(file) -> Image.Image:
    with file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def upload_url(product) -> str:
    return reverse("api-product-image-list", kwargs={"slug": product.slug})


def upload(client, product, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg", **fields):
    """POST the photo; what its commit queues then runs, as the worker would (in this process: no broker)."""
    file = SimpleUploadedFile(name, data, content_type=content_type)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            upload_url(product), {"image": file, **fields}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
        )


def stored_files() -> tuple[int, int, int]:
    """Photos of every status, and the files stored for them."""
    return (
        ProductImage.all_objects.count(),
        file_count(ProductImage._meta.get_field("image")),
        file_count(ProductImage._meta.get_field("thumbnail")),
    )


# The API


def test_a_member_uploads_a_phone_photo_and_gets_it_back_without_gps(roles):
    """202 while the photo is processed; then the product lists it with its URLs and size, and the stored photo
    and thumbnail carry no EXIF, GPS or comment; the upload's bytes are gone."""
    product = ProductFactory(producer=roles.producer)
    original = jpeg_with_gps()
    assert GPS_INFO in Image.open(io.BytesIO(original)).getexif()

    response = upload(roles.client("member"), product, original, alt_text="Grapes drying in the sun")

    assert response.status_code == 202, response.content
    image = ProductImage.objects.get()
    assert response.json() == {
        "id": image.pk,
        "url": None,
        "thumbnail_url": None,
        "width": 0,
        "height": 0,
        "alt_text": "Grapes drying in the sun",
        "position": 0,
        "status": "processing",
        "failure": "",
    }
    detail = roles.client("member").get(reverse("api-product-detail", kwargs={"slug": product.slug}))
    assert detail.json()["images"] == [
        {
            "id": image.pk,
            "url": f"http://testserver{image.image.url}",
            "thumbnail_url": f"http://testserver{image.thumbnail.url}",
            "width": 1200,
            "height": 900,
            "alt_text": "Grapes drying in the sun",
            "position": 0,
            "status": "ready",
            "failure": "",
        }
    ]
    assert not ProductImageUpload.objects.exists()
    assert image.image.name.startswith("products/") and image.image.name != "products/photo.jpg"
    for file in (image.image, image.thumbnail):
        stored = stored_image(file)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert GPS_INFO not in stored.getexif()
        assert "comment" not in stored.info and "exif" not in stored.info
    assert stored_image(image.thumbnail).size == (480, 360)
    assert stored_files() == (1, 1, 1)


def test_photos_are_added_after_the_products_other_photos(roles):
    product = ProductFactory(producer=roles.producer)
    client = roles.client("member")

    positions = [upload(client, product, jpeg_bytes()).json()["position"] for _photo in range(3)]

    assert positions == [0, 1, 2]


def test_a_png_and_a_webp_are_accepted_and_stored_as_jpeg(roles):
    product = ProductFactory(producer=roles.producer)
    client = roles.client("member")
    for fmt, name in (("PNG", "a.png"), ("WEBP", "a.webp")):
        buffer = io.BytesIO()
        Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buffer, format=fmt)

        response = upload(client, product, buffer.getvalue(), name=name, content_type="image/png")

        assert response.status_code == 202
    for image in ProductImage.objects.all():
        stored = stored_image(image.image)
        assert stored.format == "JPEG"
        # Transparent areas come out white, not black.
        assert stored.getpixel((10, 10)) > (240, 240, 240)


BAD_FILES = {
    "decompression bomb (20000 x 20000)": (lambda: png_declaring(20_000, 20_000), "bomb.png", "40 megapixels"),
    "past Pillow's warning size (12000 x 12000)": (lambda: png_declaring(12_000, 12_000), "big.png", "40 megapixels"),
    "over 40 megapixels": (lambda: png_declaring(8_000, 6_000), "wide.png", "40 megapixels"),
    "truncated JPEG": (truncated_jpeg, "half.jpg", "not a readable image"),
    "GIF renamed .jpg": (gif_bytes, "photo.jpg", "Upload a JPEG, PNG or WebP photo."),
    "SVG with a script": (lambda: SVG_WITH_SCRIPT, "photo.svg", "Upload a JPEG, PNG or WebP photo."),
    "12 MB": (twelve_megabytes, "huge.jpg", "larger than 10 MB"),
    "text": (lambda: b"just some text", "notes.jpg", "not a readable image"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_a_400_on_the_image_field_and_nothing_is_stored(roles, case):
    make, name, message = BAD_FILES[case]
    product = ProductFactory(producer=roles.producer)
    before = snapshot()

    with warnings.catch_warnings():
        # No decompression bomb warning may escape: a bomb is refused, not warned about.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        response = upload(roles.client("member"), product, make(), name=name)

    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["image"]
    assert message in body["image"][0]
    assert stored_files() == (0, 0, 0)
    assert snapshot() == before


def test_the_pixel_count_is_refused_from_the_header_before_any_decoding():
    """A PNG with a header and no pixel data at all: refused for its size, so nothing tried to decode it."""
    with pytest.raises(ValidationError, match="40 megapixels"):
        open_image(png_declaring(MAX_PIXELS // 1000 + 1, 1000, pixels=False))


def test_a_truncated_image_is_never_filled_in():
    """Pillow's LOAD_TRUNCATED_IMAGES stays off: a cut file is an error, not a photo with a grey half."""
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    with pytest.raises(ValidationError, match="not a readable image"):
        open_image(truncated_jpeg())


@pytest.mark.parametrize(
    ("fields", "message"),
    [({}, "No file was submitted."), ({"image": SimpleUploadedFile("empty.jpg", b"")}, "The submitted file is empty.")],
)
def test_a_missing_or_empty_file_is_a_400(roles, fields, message):
    product = ProductFactory(producer=roles.producer)

    response = roles.client("member").post(upload_url(product), fields, format="multipart", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"image": [message]}
    assert stored_files() == (0, 0, 0)


def test_a_json_body_is_refused_with_415(roles):
    product = ProductFactory(producer=roles.producer)

    response = roles.client("member").post(upload_url(product), {"image": "aGVsbG8="}, format="json")

    assert response.status_code == 415
    assert stored_files() == (0, 0, 0)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "member"])
def test_only_a_member_of_the_producer_may_add_a_photo(roles, role):
    """Anonymous: 401; anyone else, staff too: 404 as for a missing product; nothing stored."""
    product = ProductFactory(producer=roles.producer)
    before = snapshot()

    response = upload(roles.client(role), product, jpeg_bytes())

    assert response.status_code == (401 if role == "anonymous" else 404)
    assert stored_files() == (0, 0, 0)
    assert snapshot() == before


def test_a_member_adds_photos_to_their_draft_and_an_unknown_product_is_404(roles):
    draft = ProductFactory(producer=roles.producer, status="draft")
    client = roles.client("member")

    assert upload(client, draft, jpeg_bytes()).status_code == 202
    missing = client.post(
        reverse("api-product-image-list", kwargs={"slug": "nope"}), {"image": jpeg_bytes()}, format="multipart"
    )
    assert missing.status_code == 404


def test_the_31st_photo_in_a_minute_is_a_429_and_stores_nothing(roles):
    """Re-encoding photos is costly: 30 uploads a minute per user, on top of the general limits."""
    cache.clear()
    product = ProductFactory(producer=roles.producer)
    client = roles.client("member")
    small = jpeg_bytes((32, 24))

    statuses = [upload(client, product, small).status_code for _photo in range(30)]
    before = snapshot()
    refused = upload(client, product, small)

    assert statuses == [202] * 30
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" in refused.headers
    assert stored_files() == (30, 30, 30)
    assert snapshot() == before


def test_the_photo_limit_counts_each_user_on_their_own(roles):
    cache.clear()
    mine = ProductFactory(producer=roles.producer)
    theirs = ProductFactory(producer=roles.other_producer)
    small = jpeg_bytes((32, 24))
    for _photo in range(30):
        upload(roles.client("member"), mine, small)

    assert upload(roles.client("member"), mine, small).status_code == 429
    assert upload(roles.client("other_member"), theirs, small).status_code == 202


# Every other image field: producers' and villages' photos


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "factory"), [(Producer, ProducerFactory), (Village, VillageFactory)])
def test_a_photo_set_on_a_producer_or_village_is_stored_reencoded_without_gps(model, factory):
    place = factory()

    place.photo = SimpleUploadedFile("camera.jpg", jpeg_with_gps(size=(3000, 2000)), content_type="image/jpeg")
    place.full_clean()
    place.save()

    place.refresh_from_db()
    stored = stored_image(place.photo)
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert max(stored.size) == 1600
    assert place.photo.name != f"{model._meta.get_field('photo').upload_to}camera.jpg"


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["decompression bomb (20000 x 20000)", "GIF renamed .jpg", "SVG with a script"])
def test_a_bad_photo_for_a_producer_is_refused_by_validation_and_by_save(case):
    make, name, message = BAD_FILES[case]
    producer = ProducerFactory()
    field = Producer._meta.get_field("photo")

    producer.photo = SimpleUploadedFile(name, make())
    with pytest.raises(ValidationError) as refused:
        producer.full_clean()
    assert message in refused.value.message_dict["photo"][0]

    with pytest.raises(ValidationError, match=message):
        Producer.objects.get(pk=producer.pk).photo.save(name, ContentFile(make()))
    assert file_count(field) == 0
    assert not Producer.objects.get(pk=producer.pk).photo


@pytest.mark.django_db
def test_staff_uploading_a_producer_photo_in_the_admin_get_it_reencoded(admin_client):
    producer = ProducerFactory()
    url = reverse("admin:producers_producer_change", args=[producer.pk])
    data = change_form_data(admin_client.get(url))

    data["photo"] = SimpleUploadedFile("farm.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = admin_client.post(url, data)

    assert response.status_code == 302
    producer.refresh_from_db()
    stored = stored_image(producer.photo)
    assert stored.format == "JPEG" and not stored.getexif()


@pytest.mark.django_db
def test_staff_uploading_an_svg_as_a_village_photo_get_a_form_error_and_nothing_stored(admin_client):
    village = VillageFactory()
    url = reverse("admin:producers_village_change", args=[village.pk])
    data = change_form_data(admin_client.get(url))

    data["photo"] = SimpleUploadedFile("village.jpg", SVG_WITH_SCRIPT, content_type="image/jpeg")
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    assert file_count(Village._meta.get_field("photo")) == 0
