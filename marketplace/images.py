"""Photos: decode with Pillow, drop metadata, re-encode, make a thumbnail.

The stored file is always one this module wrote, never the upload as it came.
Every image field of the project is a ``PhotoField``: whatever sets it (the
API, the admin, a management command), a new file is checked and re-encoded
here before it reaches the storage.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp"
LARGE_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 360)


class ProcessedPhoto(ContentFile):
    """A JPEG this module encoded: a ``PhotoField`` stores it as it is."""


def _encode(image: Image.Image, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels")


def _decode(data: bytes) -> Image.Image:
    """Read the header, refuse a size over MAX_PIXELS, and only then decode the pixels."""
    # Pillow only warns about a decompression bomb below twice its own limit; here the warning
    # is an error too. The size check below refuses such images before decoding in any case.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # ``formats``: no other decoder (GIF, SVG, EPS …) ever sees the bytes.
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except UnidentifiedImageError as error:
            raise ValidationError(
                _("The file is not a readable image. Upload a JPEG, PNG or WebP photo."), code="format"
            ) from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        if image.width * image.height > MAX_PIXELS:
            raise _too_many_pixels()
        # A truncated file fails here: ImageFile.LOAD_TRUNCATED_IMAGES stays False (Pillow's default).
        image.load()
    return image


def open_image(data: bytes) -> Image.Image:
    """Decode ``data`` as a photo, refusing anything that is not a sound JPEG, PNG or WebP.

    The result is an RGB image with no metadata left: no EXIF (GPS), no comment, no ICC or XMP block.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."), code="too_large")
    try:
        image = _decode(data)
        # Apply the camera's rotation, then keep pixels only.
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            # Transparent areas become white, not the black that dropping the alpha channel leaves.
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        else:
            image = image.convert("RGB")
    except ValidationError:
        raise
    except Exception as error:  # Pillow's decoders raise many kinds of errors on damaged bytes.
        raise ValidationError(_("The file is not a readable image."), code="invalid") from error
    image.info.clear()
    return image


def processed_photo(data: bytes) -> tuple[ProcessedPhoto, ProcessedPhoto]:
    """Return the re-encoded photo and its thumbnail, both JPEG under a generated name."""
    image = open_image(data)
    name = uuid.uuid4().hex
    return (
        ProcessedPhoto(_encode(image, LARGE_SIZE), name=f"{name}.jpg"),
        ProcessedPhoto(_encode(image, THUMBNAIL_SIZE), name=f"{name}-thumb.jpg"),
    )


def reencoded_photo(data: bytes) -> ProcessedPhoto:
    """The re-encoded photo alone, JPEG under a generated name, for a field without a thumbnail."""
    return ProcessedPhoto(_encode(open_image(data), LARGE_SIZE), name=f"{uuid.uuid4().hex}.jpg")


def upload_bytes(file: File) -> bytes:
    """The bytes of an upload, at most one more than MAX_UPLOAD_BYTES (enough to refuse it)."""
    if getattr(file, "size", None) is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The image is larger than 10 MB."), code="too_large")
    file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    file.seek(0)
    return data


def validate_photo(value: Any) -> None:
    """Model field validator: a new upload must be a photo ``open_image`` accepts.

    A file already stored was checked when it was stored, so it is not read again.
    """
    if isinstance(value, FieldFile):
        if value._committed:
            return
        value = value.file
    if not isinstance(value, ProcessedPhoto):
        open_image(upload_bytes(value))


class PhotoFieldFile(ImageFieldFile):
    def save(self, name: str, content: File, save: bool = True) -> None:
        """Store ``content`` re-encoded, under a generated name (a ``ProcessedPhoto`` as it is)."""
        if not isinstance(content, ProcessedPhoto):
            content = reencoded_photo(upload_bytes(content))
            name = content.name
        super().save(name, content, save)


class PhotoField(models.ImageField):
    """An image field whose files are always photos re-encoded by this module."""

    attr_class = PhotoFieldFile
    default_validators = [validate_photo]

    def formfield(self, **kwargs: Any) -> Any:
        field = super().formfield(**kwargs)
        field.widget.attrs.setdefault("accept", ACCEPT)
        return field
