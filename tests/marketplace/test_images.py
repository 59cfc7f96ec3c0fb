import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, JpegImagePlugin

from catalog.models import ProductImage
from catalog.services import product_image_add
from marketplace import images
from tests import photo_files
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


# What decoding may cost: decided from the headers (marketplace.images.photo_check), held to by the decoding

PEAK_MEMORY = """
import json, sys, time
from django.conf import settings
settings.configure(USE_I18N=False)
from marketplace import images

def peak_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
before = peak_mib()
try:
    images.photo_check(data) if sys.argv[2] == "check" else images.processed_photo(data)
    outcome = "ok"
except Exception as error:
    outcome = getattr(error, "code", None) or type(error).__name__
print(json.dumps({"peak_mib": peak_mib() - before, "outcome": outcome}))
"""
ROOT = Path(__file__).resolve().parents[2]
# The interpreter's own allocations beside the pixels: the encoded files, Pillow's plugins, buffers.
SLACK_MIB = 24


def peak_memory(tmp_path: Path, data: bytes, step: str) -> dict:
    """Run ``photo_check`` or ``processed_photo`` on ``data`` in a fresh interpreter: its peak memory growth (MiB)."""
    path = tmp_path / "photo"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, str(path), step], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _fits(data: bytes) -> bool:
    try:
        image = Image.open(io.BytesIO(data))
        return images._working_bytes(image) <= images.MAX_WORKING_BYTES
    except ValidationError:
        return False


def _webp_fits(side: int) -> bool:
    try:
        images._check_webp(photo_files.webp_header(side, side, alpha=True))
    except ValidationError:
        return False
    return True


def largest_within_budget() -> dict[str, bytes]:
    """For each costly kind of photo, the largest the budget lets through, as a real file."""
    side = photo_files.largest_side
    rgba = side(lambda n: _fits(photo_files.png_header(n, n, "RGBA")))
    rgb = side(lambda n: _fits(photo_files.png_header(n, n, "RGB")))
    progressive = side(lambda n: _fits(photo_files.jpeg_declaring(n * 4 // 3, n, progressive=True)), high=7000)
    return {
        f"RGBA PNG {rgba}²": photo_files.solid_png(rgba, rgba, "RGBA", (200, 30, 30, 128)),
        f"RGB PNG {rgb}²": photo_files.solid_png(rgb, rgb, "RGB"),
        f"progressive JPEG {progressive * 4 // 3}x{progressive}": photo_files.jpeg(
            progressive * 4 // 3, progressive, progressive=True
        ),
        "CMYK JPEG of 40 megapixels": photo_files.jpeg(7300, 5470, mode="CMYK"),
        f"RGBA WebP {side(_webp_fits)}²": photo_files.webp(side(_webp_fits), side(_webp_fits)),
    }


def test_the_hostile_png_of_the_issue_is_refused_from_its_header_at_no_cost(tmp_path):
    """The 170 KB 6,320 x 6,320 RGBA PNG that took 7 s and 580 MB: refused, its pixels never decoded."""
    hostile = photo_files.hostile_png()

    with pytest.raises(ValidationError, match="too large to process") as refused:
        images.photo_check(hostile)

    assert refused.value.code == "over_budget"
    assert "or save it as an ordinary JPEG" in refused.value.messages[0]
    assert peak_memory(tmp_path, hostile, "check") == {"peak_mib": pytest.approx(0, abs=8), "outcome": "over_budget"}
    assert peak_memory(tmp_path, hostile, "process")["peak_mib"] < 8  # processing checks first, too


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: photo_files.jpeg(7300, 5470), id="JPEG of 40 megapixels"),
        pytest.param(lambda: photo_files.png_header(20_000, 20_000), id="PNG declaring 400 megapixels"),
        pytest.param(lambda: photo_files.webp_header(16_383, 16_383), id="WebP declaring its largest canvas"),
    ],
)
def test_checking_any_upload_decodes_nothing(tmp_path, make):
    """What the web request runs on every upload reads headers only: a few MiB at most, whatever the file."""
    assert peak_memory(tmp_path, make(), "check")["peak_mib"] < 8


def test_the_largest_photos_the_budget_allows_are_processed_within_it(tmp_path):
    """At the edge of MAX_WORKING_BYTES, each costly kind of photo is processed within the estimate its headers
    gave, and so within the budget (with the interpreter's own allocations beside)."""
    budget_mib = images.MAX_WORKING_BYTES / 2**20
    for kind, data in largest_within_budget().items():
        estimate_mib = images.photo_check(data).working_bytes / 2**20
        measured = peak_memory(tmp_path, data, "process")

        assert measured["outcome"] == "ok", kind
        assert estimate_mib <= budget_mib, kind
        assert measured["peak_mib"] <= estimate_mib + SLACK_MIB, (kind, measured, estimate_mib)
        assert measured["peak_mib"] < 200, kind


def test_a_photo_just_over_the_budget_is_refused_with_the_size_it_may_have():
    side = photo_files.largest_side(lambda n: _fits(photo_files.png_header(n, n, "RGBA"))) + 1

    with pytest.raises(ValidationError) as refused:
        images.photo_check(photo_files.png_header(side, side, "RGBA"))

    assert refused.value.code == "over_budget"
    allowed = int(re.search(r"at most (\d+) megapixels in this format", refused.value.messages[0])[1])
    assert allowed <= side * side / 1_000_000 < allowed + 2


@pytest.mark.parametrize(
    ("size", "scale", "decoded"),
    [((6400, 4800), 4, (1600, 1200)), ((4000, 3000), 2, (2000, 1500)), ((1600, 1200), 1, (1600, 1200))],
)
def test_a_jpeg_is_decoded_at_the_smallest_scale_still_as_large_as_the_photo_kept(monkeypatch, size, scale, decoded):
    """libjpeg's DCT scaling (Pillow's draft): a large JPEG's pixels are never decoded at full size."""
    drafts = []
    original = JpegImagePlugin.JpegImageFile.draft

    def draft(self, mode, requested):
        result = original(self, mode, requested)
        drafts.append((self.decoderconfig[0], self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)

    image = images.open_image(photo_files.jpeg(*size))

    assert drafts == [(scale, decoded)]
    assert max(image.size) == min(1600, max(size))


def test_a_progressive_jpeg_counts_its_coefficients_and_a_baseline_one_does_not():
    baseline = images.photo_check(photo_files.jpeg_declaring(7300, 5470))
    progressive = images.photo_check(photo_files.jpeg_declaring(5000, 3750, progressive=True))

    # Baseline: decoded at 1/4, 1825 x 1368 pixels of four bytes, plus the reduced copy.
    assert baseline.working_bytes < 24 * 2**20
    # Progressive 4:2:0: three bytes of coefficients a pixel, whatever the scale.
    assert progressive.working_bytes > 5000 * 3750 * 3


def test_a_jpeg_of_too_many_scans_is_refused():
    data = photo_files.jpeg(64, 48, progressive=True)
    # Each SOS marker starts a scan; a comment holding more of them counts too (the count is an upper bound).
    stuffed = data[:2] + b"\xff\xfe" + (2 + 65 * 2).to_bytes(2, "big") + b"\xff\xda" * 65 + data[2:]

    with pytest.raises(ValidationError, match="too many passes"):
        images.photo_check(stuffed)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: photo_files.jpeg(800, 600)[:-2000], id="JPEG without its end"),
        pytest.param(lambda: photo_files.solid_png(800, 600, "RGB")[:-30], id="PNG cut short"),
        pytest.param(lambda: photo_files.webp(300, 200)[:-40], id="WebP cut short"),
    ],
)
def test_a_file_cut_short_is_refused_from_its_structure(data):
    with pytest.raises(ValidationError, match="not a readable image"):
        images.photo_check(data())


def test_damaged_pixels_pass_the_header_checks_and_fail_when_decoded():
    damaged = photo_files.png_with_damaged_pixels()

    images.photo_check(damaged)
    with pytest.raises(ValidationError, match="not a readable image"):
        images.open_image(damaged)


def test_the_camera_orientation_is_applied_after_the_reduction():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the camera held upright
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (120, 40, 90)).save(buffer, format="JPEG", exif=exif)

    image = images.open_image(buffer.getvalue())

    assert image.size == (1200, 1600)
    assert not image.getexif()
