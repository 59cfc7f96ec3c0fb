"""Every write to the catalog goes through a function here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.images import processed_photo
from catalog.models import Product, ProductImage, Variant


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


def variant_restock(*, variant: Variant, quantity: int) -> None:
    """Add ``quantity`` units to a variant's stock (a producer's new harvest), without reading it first."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100_000:
        raise ValidationError(_("Add between 1 and 100000 units."), code="invalid_quantity")
    Variant.objects.filter(pk=variant.pk).update(stock=F("stock") + quantity, updated_at=timezone.now())
