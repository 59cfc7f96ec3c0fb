"""Every write to the catalog goes through a function here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.images import processed_photo
from catalog.models import Product, ProductImage, Review, Variant
from catalog.selectors import ReviewStatus, review_status

REVIEW_MAX_LENGTH = 2000


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


def _review_refusal(status: ReviewStatus) -> ValidationError:
    messages = {
        ReviewStatus.SIGN_IN: _("Sign in to review a product you bought."),
        ReviewStatus.NOT_DELIVERED: _("You can review a product once a parcel with it has been delivered to you."),
        ReviewStatus.ALREADY_REVIEWED: _("You have already reviewed this product."),
    }
    return ValidationError(messages[status], code=str(status))


def review_check(*, product: Product, author: Any) -> None:
    """Raise ``ValidationError`` saying why ``author`` may not review ``product`` now; return if they may."""
    status = review_status(product=product, user=author)
    if status != ReviewStatus.ALLOWED:
        raise _review_refusal(status)


def review_add(*, product: Product, author: Any, rating: int, body: str = "") -> Review:
    """Publish a buyer's review: a rating from 1 to 5 and up to 2000 characters of text.

    Only a shopper who received this product in a delivered parcel may review it,
    once; anything else raises ``ValidationError`` with a message for them.
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError(_("Choose a rating from 1 to 5 stars."), code="invalid_rating")
    if not isinstance(body, str):
        raise ValidationError(_("The review must be text."), code="invalid_body")
    body = body.strip()
    if len(body) > REVIEW_MAX_LENGTH:
        raise ValidationError(
            _("Keep the review to %(limit)d characters.") % {"limit": REVIEW_MAX_LENGTH}, code="too_long"
        )
    if "\x00" in body:
        raise ValidationError(_("The review contains characters that cannot be stored."), code="invalid_body")
    review_check(product=product, author=author)
    try:
        # Two posts racing past the check meet the one-review-per-buyer constraint here.
        with transaction.atomic():
            return Review.objects.create(product=product, author=author, rating=rating, body=body)
    except IntegrityError:
        raise _review_refusal(ReviewStatus.ALREADY_REVIEWED) from None
