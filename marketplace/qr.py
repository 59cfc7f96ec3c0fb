"""QR codes drawn by ``segno``: black on white, medium error correction and a quiet zone of four modules, so they
scan from a phone screen or from paper."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as a standalone SVG file, eight pixels a module (a live session's share card)."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_svg_inline(url: str, *, title: str) -> SafeString:
    """The QR code of ``url`` as an ``<svg>`` element to put in a page (a packing slip), titled for screen
    readers; segno escapes the title."""
    # segno writes the markup itself and escapes the title: nothing of the caller's reaches it unescaped.
    svg = segno.make_qr(url, error="m").svg_inline(scale=3, border=4, dark="#000", light="#fff", title=title)
    return mark_safe(svg)  # noqa: S308
