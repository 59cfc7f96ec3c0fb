"""The demo's photos, drawn and processed once per process.

A picture depends only on its kind and seed, so every seed of the demo in one process (the test suite seeds it
again and again) stores the same files: they are drawn, re-encoded and reduced to their WebP renditions the first
time only, then stored again as they are.
"""

from __future__ import annotations

from demo import images
from marketplace.images import PhotoFiles, ProcessedPhoto, photo_with_renditions, processed_photo

_product_files: dict[tuple[str, int], PhotoFiles] = {}
_photos: dict[tuple[str, int], ProcessedPhoto] = {}


def product_photo_files(*, picture: str, seed: int) -> PhotoFiles:
    """A product's photo, its thumbnail and renditions, for ``catalog.services.product_image_add``."""
    key = (picture, seed)
    if key not in _product_files:
        _product_files[key] = processed_photo(images.product_photo(picture=picture, seed=seed))
    return _product_files[key]


def product_picture(*, picture: str, seed: int) -> ProcessedPhoto:
    """A picture of a product kind with its renditions, for a producer's photo or a live session's cover."""
    key = (picture, seed)
    if key not in _photos:
        _photos[key] = photo_with_renditions(images.product_photo(picture=picture, seed=seed))
    return _photos[key]


def village_picture(*, seed: int) -> ProcessedPhoto:
    """An oasis landscape with its renditions, for a village's photo."""
    key = ("village", seed)
    if key not in _photos:
        _photos[key] = photo_with_renditions(images.village_photo(seed=seed))
    return _photos[key]
