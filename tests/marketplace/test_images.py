import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from catalog.models import ProductImage
from catalog.services import product_image_add
from tests.factories import ProductFactory


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1200, 900), (120, 40, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 30.0, 0.0)}  # GPSInfo: latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.django_db
def test_added_photo_is_reencoded_without_exif_and_gets_a_thumbnail():
    """A phone photo with GPS comes back without any EXIF, with a smaller thumbnail beside it."""
    product = ProductFactory()
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()

    image = product_image_add(product=product, data=original, alt_text="Grapes on the vine", actor=None)

    with image.image.open("rb") as stored:
        stored_image = Image.open(stored)
        assert stored_image.format == "JPEG"
        assert not stored_image.getexif()
        assert stored_image.size == (1200, 900)
        stored.seek(0)
        assert stored.read() != original
    with image.thumbnail.open("rb") as thumb:
        assert Image.open(thumb).size == (480, 360)
    assert (image.width, image.height) == (1200, 900)


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored():
    product = ProductFactory()

    with pytest.raises(ValidationError, match="not a readable image"):
        product_image_add(product=product, data=b"<svg onload=alert(1)></svg>", actor=None)

    assert ProductImage.objects.count() == 0
