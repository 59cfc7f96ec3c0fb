"""Photos: check the header, decode within a memory budget, drop metadata, re-encode, make a thumbnail.

The stored file is always one this module wrote, never the upload as it came.
Every image field of the project is a ``PhotoField``: whatever sets it (the
API, the admin, a management command), a new file is checked and re-encoded
here before it reaches the storage.

What a photo may cost is known from its header, before any pixel is decoded
(``photo_check``): at most 10 MB of upload, 40 megapixels, and
``MAX_WORKING_BYTES`` of pixel buffers while it is decoded and reduced. A JPEG
is decoded straight at a reduced scale near the kept size (libjpeg's DCT
scaling, Pillow's ``draft``), so its pixels cost little whatever its size (a
progressive one also holds its coefficients, which the budget counts); a PNG or
WebP is decoded whole, so one whose pixels would not fit the budget is refused.
Decoding then never takes more memory or time than the budget allows, whoever
uploads what. A product photo is kept as a JPEG (at most LARGE_SIZE) with a JPEG
thumbnail, and WebP renditions at RENDITION_WIDTHS for pages' ``srcset``.
Product photos are decoded by the worker (``catalog.services``): a web request
runs ``photo_check`` alone on them.
"""

from __future__ import annotations

import io
import logging
import math
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The pixel buffers one photo may hold at once while it is decoded, flattened and reduced (see _working_bytes).
# With the interpreter and the encoded files around them, processing a photo stays well under 200 MB.
MAX_WORKING_BYTES = 128 * 1024 * 1024
# A progressive JPEG is decoded scan by scan over the whole image; cameras and encoders write about ten scans.
MAX_JPEG_SCANS = 64
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT = "image/jpeg,image/png,image/webp"
LARGE_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (480, 360)
# The widths of a photo's WebP renditions: a card on a phone, a card on a wide screen or the photo on a phone,
# the photo on a wide or dense screen. WebP is about a third lighter than a JPEG of the same look.
RENDITION_WIDTHS = (240, 480, 960)
WEBP_QUALITY = 75
# libwebp's effort (0-6): 2 makes files within a few per cent of the default's (4) in about half the time.
WEBP_METHOD = 2
WHITE = (255, 255, 255)
# Pillow keeps an image with one of these modes in one byte per pixel, or two; every other mode in four.
_ONE_BYTE_MODES = frozenset({"1", "L", "P"})
_TWO_BYTE_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
# What the EXIF orientation asks for, as Pillow's transpositions (ImageOps.exif_transpose's table).
_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION = 0x0112

logger = logging.getLogger(__name__)


class ProcessedPhoto(ContentFile):
    """A JPEG this module encoded: a ``PhotoField`` stores it as it is (with ``renditions``, when made with it)."""

    renditions: list[Rendition] | None = None


@dataclass(frozen=True)
class PhotoHeader:
    """What a photo's header says: its format, size, and the pixel buffers decoding it will take."""

    format: str
    width: int
    height: int
    working_bytes: int


def _unreadable(*, formats: bool = False) -> ValidationError:
    if formats:
        return ValidationError(_("The file is not a readable image. Upload a JPEG, PNG or WebP photo."), code="format")
    return ValidationError(_("The file is not a readable image."), code="invalid")


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels")


def _too_large() -> ValidationError:
    return ValidationError(_("The image is larger than 10 MB."), code="too_large")


def _over_budget(pixels: int, working: int) -> ValidationError:
    """Refused for its decoding's memory; the message says how many megapixels an image like it may have."""
    megapixels = max(1, int(pixels * MAX_WORKING_BYTES / working / 1_000_000))
    return ValidationError(
        _(
            "This image is too large to process. Make it smaller (at most %(megapixels)d megapixels in this "
            "format), or save it as an ordinary JPEG."
        )
        % {"megapixels": megapixels},
        code="over_budget",
    )


def _too_many_scans() -> ValidationError:
    return ValidationError(
        _("This JPEG is saved in too many passes to process. Save it again as an ordinary JPEG."),
        code="too_many_scans",
    )


def _bytes_per_pixel(mode: str) -> int:
    if mode in _ONE_BYTE_MODES:
        return 1
    return 2 if mode in _TWO_BYTE_MODES else 4


def _is_transparent(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _fitted(width: int, height: int, fit: tuple[int, int]) -> tuple[int, int]:
    """The size of a ``width`` x ``height`` image fitted into ``fit``, never enlarged."""
    scale = min(fit[0] / width, fit[1] / height, 1)
    return max(1, int(width * scale)), max(1, int(height * scale))


def _draft_scale(width: int, height: int) -> int:
    """The scale libjpeg decodes at (1, 2, 4 or 8), as ``JpegImageFile.draft`` picks it for the kept size."""
    kept = _fitted(width, height, LARGE_SIZE)
    scale = min(width // kept[0], height // kept[1])
    return next(s for s in (8, 4, 2, 1) if scale >= s or s == 1)


def _reduced_bytes(width: int, height: int) -> int:
    """The copy reducing a decoded ``width`` x ``height`` image makes: the block average, or Lanczos's first pass."""
    kept = _fitted(width, height, LARGE_SIZE)
    factor = min(width // kept[0], height // kept[1])
    if factor >= 2:
        return math.ceil(width / factor) * math.ceil(height / factor) * 4
    return width * height * 4


def _jpeg_working_bytes(image: Image.Image) -> int:
    """Pixels decoded at the draft scale; a progressive JPEG also holds every DCT coefficient of the full size.

    libjpeg frees the coefficients once the pixels are decoded, before they are converted and reduced.
    """
    scale = _draft_scale(image.width, image.height)
    width, height = math.ceil(image.width / scale), math.ceil(image.height / scale)
    decoded = width * height * _bytes_per_pixel(image.mode)
    coefficients = 0
    if image.info.get("progressive") or image.info.get("progression"):
        layers = getattr(image, "layer", [])
        h_max = max((layer[1] for layer in layers), default=1) or 1
        v_max = max((layer[2] for layer in layers), default=1) or 1
        for _id, h, v, _table in layers:
            blocks_across = math.ceil(math.ceil(image.width * h / h_max) / 8)
            blocks_down = math.ceil(math.ceil(image.height * v / v_max) / 8)
            coefficients += blocks_across * blocks_down * 64 * 2  # 64 coefficients of two bytes a block
    converted = decoded + (width * height * 4 if image.mode not in ("RGB", "L") else 0)  # CMYK to RGB
    return max(decoded + coefficients, converted) + _reduced_bytes(width, height)


def _working_bytes(image: Image.Image) -> int:
    """The most pixel memory held at once while ``image`` (opened, not decoded) is decoded and reduced.

    PNG and WebP are decoded at full size; libwebp also keeps two RGBA canvases and hands the frame over as a
    copy, all held as long as the image. An RGB or greyscale image is then reduced directly; any other mode first
    becomes RGB at full size beside the decoded one (a transparent one through RGBA, laid over white). The
    reduced copy comes last.
    """
    if image.format == "JPEG":
        return _jpeg_working_bytes(image)
    pixels = image.width * image.height
    held = pixels * _bytes_per_pixel(image.mode) + (pixels * 12 if image.format == "WEBP" else 0)
    if image.mode in ("RGB", "L"):
        converted = held
    elif _is_transparent(image):
        converted = held + pixels * 4 + (0 if image.mode in ("RGBA", "LA") else pixels * 4)
    else:
        converted = held + pixels * 4
    return converted + _reduced_bytes(image.width, image.height)


def _webp_header(data: bytes) -> tuple[int, int, bool] | None:
    """A WebP's canvas size and whether it has an alpha channel, from its first chunk; None when unreadable.

    libwebp allocates its canvases as soon as Pillow opens the file, so the size is checked before that.
    """
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":
        alpha = bool(data[20] & 0x10)
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little"), alpha
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF), bool(bits >> 28 & 1)
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width = int.from_bytes(data[26:28], "little") & 0x3FFF
        height = int.from_bytes(data[28:30], "little") & 0x3FFF
        return width, height, False
    return None


def _check_webp(data: bytes) -> None:
    header = _webp_header(data)
    if header is None:
        raise _unreadable()
    width, height, alpha = header
    # The RIFF header gives the file's length: a shorter file was cut off.
    if int.from_bytes(data[4:8], "little") + 8 > len(data):
        raise _unreadable()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()
    # As _working_bytes counts a WebP, before libwebp allocates anything.
    per_pixel = 20 if alpha else 16
    if width * height * per_pixel + _reduced_bytes(width, height) > MAX_WORKING_BYTES:
        raise _over_budget(width * height, width * height * per_pixel + _reduced_bytes(width, height))


def _open(data: bytes) -> Image.Image:
    """Open ``data`` (headers only), refusing any format but JPEG, PNG and WebP and any size over MAX_PIXELS."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    if data[:4] == b"RIFF":
        _check_webp(data)
    # Pillow only warns about a decompression bomb below twice its own limit; here the warning
    # is an error too. The size check below refuses such images before decoding in any case.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # ``formats``: no other decoder (GIF, SVG, EPS …) ever sees the bytes.
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except UnidentifiedImageError as error:
            raise _unreadable(formats=True) from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except Exception as error:  # A damaged header: Pillow's parsers raise many kinds of errors.
            raise _unreadable() from error
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _check_structure(image: Image.Image, data: bytes) -> None:
    """Refuse a file cut short or with too many scans, without decoding: cheap checks of its structure."""
    if image.format == "JPEG":
        # Pillow stops reading at the first scan; the image's end (EOI) must come after it.
        if data.find(b"\xff\xd9", image.fp.tell() if image.fp else 0) == -1:
            raise _unreadable()
        # Every scan starts with an SOS marker, which entropy-coded data never contains (its 0xFF are
        # stuffed): the count is at least the number of scans.
        if data.count(b"\xff\xda") > MAX_JPEG_SCANS:
            raise _too_many_scans()
    elif image.format == "PNG":
        # Reads every chunk and checks its CRC up to IEND; decompresses nothing.
        try:
            Image.open(io.BytesIO(data), formats=("PNG",)).verify()
        except Exception as error:
            raise _unreadable() from error


def photo_check(data: bytes) -> PhotoHeader:
    """Check a photo from its headers alone, decoding no pixels: what a web request can afford for any upload.

    Refuses, with the error a user should read, anything that is not a JPEG, PNG or WebP; a file over 10 MB
    or 40 megapixels; one cut short; a PNG or WebP whose pixels would take more than ``MAX_WORKING_BYTES`` to
    decode; a JPEG of too many scans. A file damaged inside its compressed data passes, and fails when it is
    decoded (``open_image``).
    """
    image = _open(data)
    working = _working_bytes(image)
    if working > MAX_WORKING_BYTES:
        raise _over_budget(image.width * image.height, working)
    _check_structure(image, data)
    return PhotoHeader(format=image.format or "", width=image.width, height=image.height, working_bytes=working)


def _flattened(image: Image.Image) -> Image.Image:
    """``image`` in RGB or L, transparent areas white (not the black that dropping the alpha channel leaves)."""
    if _is_transparent(image):
        if image.mode not in ("RGBA", "LA"):
            image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, WHITE)
        flat.paste(image, mask=image)  # the alpha band is the mask; no copy of it is made
        return flat
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    return image


def open_image(data: bytes, *, fit: tuple[int, int] = LARGE_SIZE) -> Image.Image:
    """Decode ``data`` as a photo no larger than ``fit``, refusing anything that is not a sound JPEG, PNG or WebP.

    The photo is checked first (``photo_check``), so its decoding stays within MAX_WORKING_BYTES. A JPEG is
    decoded at the smallest of libjpeg's scales (1/2, 1/4, 1/8) still at least LARGE_SIZE. The result is an RGB
    image, turned as the camera's EXIF orientation says, fitted into ``fit`` (never enlarged), with no metadata
    left: no EXIF (GPS), no comment, no ICC or XMP block.
    """
    photo_check(data)
    image = _open(data)
    try:
        orientation = image.getexif().get(_EXIF_ORIENTATION)
        if image.format == "JPEG":
            # Decoded at the smallest scale still at least the size kept (the same for either orientation).
            image.draft("RGB", _fitted(image.width, image.height, LARGE_SIZE))
        # A truncated file fails here: ImageFile.LOAD_TRUNCATED_IMAGES stays False (Pillow's default).
        image.load()
        image = _flattened(image)
        target = _fitted(image.width, image.height, fit)
        factor = min(image.width // target[0], image.height // target[1])
        if factor >= 2:
            # An average of whole blocks first, cheap and exact, then Lanczos over less than twice the size.
            image = image.reduce(factor)
        image.thumbnail(fit, Image.Resampling.LANCZOS, reducing_gap=None)
        if image.mode != "RGB":
            image = image.convert("RGB")
        if orientation in _ORIENTATIONS:
            image = image.transpose(_ORIENTATIONS[orientation])
            # Turned a quarter, the photo may now stand out of a box that is not square.
            image.thumbnail(fit, Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except Exception as error:  # Pillow's decoders raise many kinds of errors on damaged bytes.
        raise _unreadable() from error
    image.info.clear()
    return image


def _encode(image: Image.Image, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class Rendition:
    """A WebP copy of a photo at one width, for a page's ``srcset``: its size and its encoded file."""

    width: int
    height: int
    file: ProcessedPhoto


def rendition_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes of the WebP renditions of a ``width`` x ``height`` photo: RENDITION_WIDTHS, never enlarged.

    A width the photo does not reach becomes the photo's own width, once: a photo 800 pixels wide has renditions
    240, 480 and 800 pixels wide; one 200 pixels wide, one rendition of 200.
    """
    sizes: list[tuple[int, int]] = []
    for target in RENDITION_WIDTHS:
        kept = min(target, width)
        if not sizes or sizes[-1][0] != kept:
            sizes.append((kept, max(1, round(height * kept / width))))
    return sizes


def webp_renditions(image: Image.Image, name: str) -> list[Rendition]:
    """WebP copies of a decoded photo at ``rendition_sizes``, named ``<name>-<width>w.webp``."""
    renditions = []
    source = image
    # Widest first, each reduced from the one before: a Lanczos filter over half the pixels each time.
    for width, height in reversed(rendition_sizes(image.width, image.height)):
        if (width, height) != source.size:
            source = source.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        source.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        renditions.append(Rendition(width, height, ProcessedPhoto(buffer.getvalue(), name=f"{name}-{width}w.webp")))
    return renditions[::-1]


@dataclass(frozen=True)
class PhotoFiles:
    """A photo processed: the JPEG kept, its JPEG thumbnail (the fallback for pages), and its WebP renditions."""

    photo: ProcessedPhoto
    thumbnail: ProcessedPhoto
    renditions: list[Rendition]


def processed_photo(data: bytes) -> PhotoFiles:
    """Return the re-encoded photo, its thumbnail (both JPEG) and its WebP renditions, under a generated name."""
    image = open_image(data)
    name = uuid.uuid4().hex
    return PhotoFiles(
        photo=ProcessedPhoto(_encode(image, LARGE_SIZE), name=f"{name}.jpg"),
        thumbnail=ProcessedPhoto(_encode(image, THUMBNAIL_SIZE), name=f"{name}-thumb.jpg"),
        renditions=webp_renditions(image, name),
    )


def reencoded_photo(data: bytes) -> ProcessedPhoto:
    """The re-encoded photo alone, JPEG under a generated name, for a field without a thumbnail."""
    return ProcessedPhoto(_encode(open_image(data), LARGE_SIZE), name=f"{uuid.uuid4().hex}.jpg")


def photo_with_renditions(data: bytes) -> ProcessedPhoto:
    """The re-encoded photo, JPEG under a generated name, with its WebP ``renditions``, decoded once."""
    image = open_image(data)
    name = uuid.uuid4().hex
    photo = ProcessedPhoto(_encode(image, LARGE_SIZE), name=f"{name}.jpg")
    photo.renditions = webp_renditions(image, name)
    return photo


def photo_with_thumbnail(data: bytes) -> tuple[ProcessedPhoto, ProcessedPhoto]:
    """The re-encoded photo and its thumbnail (both JPEG, decoded once), without WebP renditions: for a photo
    that pages show only small, such as a review's."""
    image = open_image(data)
    name = uuid.uuid4().hex
    return (
        ProcessedPhoto(_encode(image, LARGE_SIZE), name=f"{name}.jpg"),
        ProcessedPhoto(_encode(image, THUMBNAIL_SIZE), name=f"{name}-thumb.jpg"),
    )


def upload_bytes(file: File) -> bytes:
    """The bytes of an upload, at most one more than MAX_UPLOAD_BYTES (enough to refuse it)."""
    if getattr(file, "size", None) is not None and file.size > MAX_UPLOAD_BYTES:
        raise _too_large()
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
        """Store ``content`` re-encoded, under a generated name (a ``ProcessedPhoto`` as it is), and its WebP
        renditions when the field keeps them."""
        keeps_renditions = bool(self.field.renditions_field)
        if not isinstance(content, ProcessedPhoto):
            data = upload_bytes(content)
            content = photo_with_renditions(data) if keeps_renditions else reencoded_photo(data)
            name = content.name
        if keeps_renditions:
            renditions = content.renditions
            if renditions is None:  # made without them: read back (this module's own JPEG, at most LARGE_SIZE)
                content.seek(0)
                image = Image.open(io.BytesIO(content.read()), formats=("JPEG",)).convert("RGB")
                content.seek(0)
                renditions = webp_renditions(image, name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            setattr(self.instance, self.field.renditions_field, stored_renditions(self.field, renditions))
        super().save(name, content, save)


def stored_renditions(field: PhotoField, renditions: list[Rendition]) -> list[dict[str, Any]]:
    """Store ``renditions`` in ``field``'s storage, in a ``webp/`` folder beside its photos; what its model keeps
    of them: ``[{"width": 240, "height": 180, "name": "villages/webp/…-240w.webp"}, …]``, narrowest first."""
    folder = f"{field.upload_to}webp/" if isinstance(field.upload_to, str) else "webp/"
    return [
        {"width": item.width, "height": item.height, "name": field.storage.save(folder + item.file.name, item.file)}
        for item in renditions
    ]


def renditions_make_missing(rows: models.QuerySet, field: PhotoField, renditions_field: str, *, limit: int) -> int:
    """Make the WebP renditions of the photos in ``rows`` whose ``renditions_field`` is still empty (stored before
    renditions were made); return how many rows got them.

    Each stored JPEG (this module's own) is read back once, however many rows share it. A file that is gone or
    cannot be decoded is logged and its rows' ``renditions_field`` set to None, so it is not tried again; pages
    show its JPEG alone. A storage that fails otherwise (unreachable) stops the run, for the next one to try
    again. Renditions made while another run made them too are deleted again.
    """
    pending = rows.filter(**{renditions_field: []}).exclude(**{field.name: ""}).order_by("pk")
    names = dict.fromkeys(pending.values_list(field.name, flat=True)[:limit])
    manager = rows.model._base_manager
    made = 0
    for name in names:
        waiting = manager.filter(**{field.name: name, renditions_field: []})
        try:
            with field.storage.open(name, "rb") as file:
                image = open_image(file.read())
        except (FileNotFoundError, ValidationError):
            logger.warning("Could not read the photo %s to make its renditions", name)
            waiting.update(**{renditions_field: None})
            continue
        except OSError:
            logger.exception("Could not reach the photo %s to make its renditions; the next sweep will", name)
            break
        stored = stored_renditions(field, webp_renditions(image, name.rsplit("/", 1)[-1].rsplit(".", 1)[0]))
        updated = waiting.update(**{renditions_field: stored})
        if not updated:
            for item in stored:
                field.storage.delete(item["name"])
        made += updated
    return made


def photos_make_missing_renditions(*, limit: int) -> int:
    """``renditions_make_missing`` for every ``PhotoField`` that keeps renditions (``renditions_field``); the
    number of rows that got them. Cached pages are rendered again when any did."""
    from marketplace.page_cache import pages_changed  # the page cache needs the apps loaded; this module not

    made = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, PhotoField) and field.renditions_field:
                made += renditions_make_missing(model._base_manager.all(), field, field.renditions_field, limit=limit)
    if made:
        pages_changed()
    return made


class PhotoField(models.ImageField):
    """An image field whose files are always photos re-encoded by this module.

    With ``renditions_field`` (the name of a JSONField of the model), storing a photo also stores its WebP
    renditions and lists them in that field (``stored_renditions``); pages offer them before the JPEG.
    """

    attr_class = PhotoFieldFile
    default_validators = [validate_photo]

    def __init__(self, *args: Any, renditions_field: str | None = None, **kwargs: Any) -> None:
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.renditions_field:
            kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        field = super().formfield(**kwargs)
        field.widget.attrs.setdefault("accept", ACCEPT)
        return field
