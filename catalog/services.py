"""Every write to the catalog goes through a function here."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from catalog.images import processed_photo
from catalog.models import Product, ProductImage


def product_image_add(*, product: Product, data: bytes, alt_text: str = "") -> ProductImage:
    """Validate and re-encode a photo, make its thumbnail and add it after the product's other photos."""
    photo, thumbnail = processed_photo(data)
    with transaction.atomic():
        last = product.images.aggregate(last=Max("position"))["last"]
        image = ProductImage(product=product, alt_text=alt_text, position=0 if last is None else last + 1)
        image.image.save(photo.name, photo, save=False)
        image.thumbnail.save(thumbnail.name, thumbnail, save=False)
        image.save()
    return image
