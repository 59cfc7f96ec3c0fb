"""Photo files for the tests, made with Pillow and zlib: hostile ones, ones at the edge of the budget, damaged ones.

``marketplace.images`` decides from a photo's headers what decoding it would cost; the helpers that write headers
alone (``png_header``, ``jpeg_declaring``, ``webp_header``) let a test find the largest photo the budget allows
without decoding anything, and ``largest_side`` finds it.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from PIL import Image

# PNG colour types and bytes per pixel of the modes used here.
_PNG_MODES = {"L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _signature_and_ihdr(width: int, height: int, mode: str) -> bytes:
    colour_type, _channels = _PNG_MODES[mode]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)


def png_header(width: int, height: int, mode: str = "RGBA") -> bytes:
    """A PNG's header and an empty IDAT: enough for Pillow to open it and read its size and mode, nothing to decode."""
    return _signature_and_ihdr(width, height, mode) + _chunk(b"IDAT", b"")


def solid_png(width: int, height: int, mode: str = "RGBA", colour: tuple[int, ...] = (200, 30, 30, 255)) -> bytes:
    """A single-colour PNG, compressed row by row: a few hundred kilobytes for tens of megapixels.

    The attack of the issue: a 6,320 x 6,320 RGBA one is 170 KB and took 7 s and 580 MB to process.
    """
    _colour_type, channels = _PNG_MODES[mode]
    row = b"\x00" + bytes(colour[:channels]) * width
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _row in range(height)) + compressor.flush()
    return _signature_and_ihdr(width, height, mode) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def hostile_png() -> bytes:
    return solid_png(6320, 6320, "RGBA")


def png_with_damaged_pixels() -> bytes:
    """A PNG whose chunks are all sound (CRCs right) but whose compressed pixels are not zlib data.

    Its headers pass every check; it fails only when decoded.
    """
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 40)).save(buffer, format="PNG")
    data = buffer.getvalue()
    start = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[start : start + 4])[0]
    garbage = bytes(range(256)) * (length // 256 + 1)
    return data[:start] + _chunk(b"IDAT", garbage[:length]) + data[start + 12 + length :]


def jpeg(width: int, height: int, *, mode: str = "RGB", **save_options) -> bytes:
    colour = (90, 120, 30, 0) if mode == "CMYK" else (90, 120, 30)
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour[: len(mode)]).save(buffer, format="JPEG", quality=90, **save_options)
    return buffer.getvalue()


def jpeg_declaring(width: int, height: int, **save_options) -> bytes:
    """A small JPEG whose frame header declares ``width`` x ``height``: its headers read as that size."""
    data = bytearray(jpeg(16, 16, **save_options))
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at != -1:
            data[at + 5 : at + 9] = struct.pack(">HH", height, width)
            return bytes(data)
    raise ValueError("no frame header")


def webp(width: int, height: int, mode: str = "RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (90, 120, 30, 100)[: len(mode)]).save(buffer, format="WEBP", lossless=True)
    return buffer.getvalue()


def webp_header(width: int, height: int, *, alpha: bool = True) -> bytes:
    """An extended WebP's RIFF header and VP8X chunk only, declaring a canvas of ``width`` x ``height``."""
    flags = 0x10 if alpha else 0
    vp8x = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def largest_side(fits: Callable[[int], bool], low: int = 64, high: int = 16_000) -> int:
    """The largest ``side`` for which ``fits(side)``, ``fits`` being true up to some side and false beyond."""
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
