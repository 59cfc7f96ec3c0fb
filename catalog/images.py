"""Product photos: decode with Pillow, drop metadata, re-encode, make a thumbnail.

The stored file is always one this module wrote, never the upload as it came.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
LARGE_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 360)


def _encode(image: Image.Image, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def open_image(data: bytes) -> Image.Image:
    """Decode ``data`` as a photo, refusing anything that is not a sound JPEG, PNG or WebP."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."), code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP photo."), code="format")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not a readable image."), code="invalid") from error
    # Apply the camera's rotation, then keep pixels only: EXIF and GPS go.
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def processed_photo(data: bytes) -> tuple[ContentFile, ContentFile]:
    """Return the re-encoded photo and its thumbnail, both JPEG under a generated name."""
    image = open_image(data)
    name = uuid.uuid4().hex
    return (
        ContentFile(_encode(image, LARGE_SIZE), name=f"{name}.jpg"),
        ContentFile(_encode(image, THUMBNAIL_SIZE), name=f"{name}-thumb.jpg"),
    )
