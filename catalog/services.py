"""Every write to the catalog goes through a function here."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, ProtectedError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.models import Category, Product, ProductImage, Review, Variant
from catalog.selectors import DESCRIPTION_FIELDS, NAME_FIELDS, ReviewStatus, review_status
from catalog.stock import StockChanged, product_lock, variants_lock
from marketplace.images import processed_photo
from marketplace.models import CONTENT_LANGUAGES
from marketplace.page_cache import pages_changed
from producers.models import Producer, ProducerActivity
from producers.services import activity_record

if TYPE_CHECKING:
    from marketplace.models import User

Action = ProducerActivity.Action

REVIEW_MAX_LENGTH = 2000
# Slugs a product made from its name never takes: /dashboard/<producer>/products/new/ is the "add a product" page.
RESERVED_SLUGS = frozenset({"new"})
MAX_STOCK = 1_000_000
MAX_WEIGHT_GRAMS = 1_000_000
# What a producer's member may set on a product and on a variant.
PRODUCT_FIELDS = (
    *NAME_FIELDS,
    *DESCRIPTION_FIELDS,
    "category",
    "is_perishable",
    "harvest_start_month",
    "harvest_end_month",
)
VARIANT_FIELDS = ("sku", *NAME_FIELDS, "price", "stock", "weight_grams", "is_active")
ALT_TEXT_MAX_LENGTH: int = ProductImage._meta.get_field("alt_text").max_length or 0


def _record(product: Product, actor: User | None, action: str, subject: str = "") -> None:
    """Write the change to the producer's back-office activity, naming ``actor`` as the one who did it.

    Every service that writes takes ``actor`` as a required keyword: the user of the page, the API call or the
    admin; ``None`` only for system jobs (management commands, seeding), which leave no record. Runs inside the
    caller's transaction, so the record and the change commit together; the storefront's cached pages show the
    change once it commits.
    """
    pages_changed()
    if actor is not None:
        activity_record(producer=product.producer, actor=actor, action=action, subject=subject or product.name)


def _check_alt_text(alt_text: str) -> str:
    if not isinstance(alt_text, str) or "\x00" in alt_text:
        raise ValidationError({"alt_text": [_("The description of the photo must be plain text.")]})
    alt_text = alt_text.strip()
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"alt_text": [_("Keep the description to %(limit)d characters.") % {"limit": ALT_TEXT_MAX_LENGTH}]}
        )
    return alt_text


def product_image_add(*, product: Product, data: bytes, alt_text: str = "", actor: User | None) -> ProductImage:
    """Validate and re-encode a photo, make its thumbnail and add it after the product's other photos.

    The product's row is locked first, so a photo added while the product is being
    deleted waits and then raises ``Product.DoesNotExist`` instead of pointing nowhere.
    """
    photo, thumbnail = processed_photo(data)
    with transaction.atomic():
        product = product_lock(pk=product.pk)
        last = product.images.aggregate(last=Max("position"))["last"]
        image = ProductImage(product=product, alt_text=alt_text, position=0 if last is None else last + 1)
        image.image.save(photo.name, photo, save=False)
        image.thumbnail.save(thumbnail.name, thumbnail, save=False)
        image.save()
        _record(product, actor, Action.PHOTO_ADDED)
    return image


def _images_locked(image: ProductImage) -> tuple[Product, list[ProductImage]]:
    """The image's product, its row locked, and its photos in the order shoppers see them.

    Raises ``ProductImage.DoesNotExist`` when the photo was removed meanwhile.
    """
    product = product_lock(pk=image.product_id)
    images = list(product.images.order_by("position", "id"))
    if not any(other.pk == image.pk for other in images):
        raise ProductImage.DoesNotExist(f"Product image {image.pk} was removed.")
    return product, images


def _renumber(images: list[ProductImage]) -> None:
    """Give the photos positions 0, 1, 2… in list order, writing only the ones that change."""
    changed = []
    for position, image in enumerate(images):
        if image.position != position:
            image.position = position
            changed.append(image)
    if changed:
        ProductImage.objects.bulk_update(changed, ["position"])


def product_image_move(*, image: ProductImage, offset: int, actor: User | None) -> ProductImage:
    """Move a photo ``offset`` places (-1: one earlier, 1: one later) among its product's photos.

    A move past either end leaves the photo where it is. The product's row is locked, so two
    moves at once take turns and the photos always end up numbered 0, 1, 2… without gaps or ties.
    """
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ValidationError({"offset": [_("Move a photo up or down.")]})
    with transaction.atomic():
        product, images = _images_locked(image)
        index = next(i for i, other in enumerate(images) if other.pk == image.pk)
        target = max(0, min(len(images) - 1, index + offset))
        moved = images.pop(index)
        images.insert(target, moved)
        _renumber(images)
        if target != index:
            _record(product, actor, Action.PHOTO_UPDATED)
    return moved


def product_image_update(*, image: ProductImage, alt_text: str, actor: User | None) -> ProductImage:
    """Set the description a screen reader gives of the photo (its alt text); empty means none."""
    alt_text = _check_alt_text(alt_text)
    with transaction.atomic():
        product, images = _images_locked(image)
        image = next(other for other in images if other.pk == image.pk)
        if image.alt_text != alt_text:
            image.alt_text = alt_text
            image.save(update_fields=["alt_text", "updated_at"])
            _record(product, actor, Action.PHOTO_UPDATED)
    return image


def product_image_remove(*, image: ProductImage, actor: User | None) -> None:
    """Remove a photo; its files are deleted once the removal has committed, and the others close the gap."""
    with transaction.atomic():
        product, images = _images_locked(image)
        image = next(other for other in images if other.pk == image.pk)
        image.delete()
        _renumber([other for other in images if other.pk != image.pk])
        _delete_files_after_commit([image])
        _record(product, actor, Action.PHOTO_REMOVED)


def variant_restock(*, variant: Variant, quantity: int, actor: User | None) -> None:
    """Add ``quantity`` units to a variant's stock (a producer's new harvest), without reading it first."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100_000:
        raise ValidationError(_("Add between 1 and 100000 units."), code="invalid_quantity")
    with transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(stock=F("stock") + quantity, updated_at=timezone.now())
        pages_changed()
        if actor is not None:
            product = Product.objects.select_related("producer").get(pk=variant.product_id)
            _record(product, actor, Action.VARIANT_UPDATED, _variant_subject(product, variant))


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
            pages_changed()
            return Review.objects.create(product=product, author=author, rating=rating, body=body)
    except IntegrityError:
        raise _review_refusal(ReviewStatus.ALREADY_REVIEWED) from None


def _require_name(obj: Product | Variant) -> None:
    if not any(getattr(obj, field) for field in NAME_FIELDS):
        message = _("Give a name in at least one language.")
        raise ValidationError({field: [message] for field in NAME_FIELDS})


def _original_language(product: Product) -> str:
    """The first content language the product is named in."""
    return next((code for code in CONTENT_LANGUAGES if getattr(product, f"name_{code}")), CONTENT_LANGUAGES[0])


def _slug_candidates(product: Product) -> list[str]:
    """A slug from the English name, then the same (or "product") with a random suffix.

    A name that would give a slug the back office's URLs use (``products/new/``) always gets the suffix.
    """
    base = slugify(product.name_en, allow_unicode=False)[:100].strip("-")
    suffixed = [f"{base or 'product'}-{secrets.token_hex(3)}" for _attempt in range(4)]
    return [base, *suffixed] if base and base not in RESERVED_SLUGS else suffixed


def _slug_taken() -> ValidationError:
    return ValidationError({"slug": [_("Another product already has this slug.")]})


def product_create(
    *, producer: Producer, category: Category, slug: str = "", actor: User | None, **fields: Any
) -> Product:
    """A new draft product of ``producer``; ``fields`` are names, descriptions, harvest months and perishability.

    Without ``slug`` one is made from the English name, with a random suffix when it is
    taken or when there is no English name. The creation is recorded in the producer's
    activity, as done by ``actor``, in the same transaction.
    """
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    product = Product(producer=producer, category=category, status=Product.Status.DRAFT, **fields)
    _require_name(product)
    product.original_language = _original_language(product)
    for candidate in [slug] if slug else _slug_candidates(product):
        product.slug = candidate
        if Product.objects.filter(slug=candidate).exists():
            continue
        try:
            with transaction.atomic():
                product.save()
                _record(product, actor, Action.PRODUCT_CREATED)
            return product
        except IntegrityError:
            # Another request took the slug between the check and the insert.
            if not Product.objects.filter(slug=candidate).exists():
                raise
    raise _slug_taken()


def product_publish(*, product: Product, actor: User | None) -> Product:
    """Put a product on sale; the producer must be verified and a variant must be on sale at a price.

    The only way a product becomes active: it gives the product its first publication time, which listings
    and the API's cursor order by (the database refuses an active product without one).
    """
    if not Producer.objects.filter(pk=product.producer_id, is_verified=True).exists():
        raise ValidationError(
            {"status": [_("A product can be published once staff have verified its producer.")]}, code="unverified"
        )
    if not product.variants.filter(is_active=True, price__gt=0).exists():
        raise ValidationError(
            {"status": [_("Add a variant on sale with a price before publishing the product.")]}, code="no_variant"
        )
    now = timezone.now()
    with transaction.atomic():
        # The first publication time is kept: archiving and publishing again does not make a product "new".
        Product.objects.filter(pk=product.pk).update(
            status=Product.Status.ACTIVE, published_at=Coalesce(F("published_at"), now), updated_at=now
        )
        product.refresh_from_db(fields=["status", "published_at", "updated_at"])
        _record(product, actor, Action.PRODUCT_PUBLISHED)
    return product


def product_archive(*, product: Product, actor: User | None) -> Product:
    """Take a product off sale; its page stays reachable by its producer's members.

    Archiving is not final: ``product_publish`` puts an archived product on sale
    again, as seasonal produce is archived after its harvest and listed anew at
    the next one. No product ever becomes a draft again.
    """
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(status=Product.Status.ARCHIVED, updated_at=timezone.now())
        product.refresh_from_db(fields=["status", "updated_at"])
        _record(product, actor, Action.PRODUCT_ARCHIVED)
    return product


def _status_set(product: Product, status: str, actor: User | None) -> None:
    if status == product.status:
        return
    if status == Product.Status.ACTIVE:
        product_publish(product=product, actor=actor)
    elif status == Product.Status.ARCHIVED:
        product_archive(product=product, actor=actor)
    else:
        raise ValidationError({"status": [_("A product cannot become a draft again; archive it to take it off sale.")]})


def product_update(*, product: Product, status: str | None = None, actor: User | None, **fields: Any) -> Product:
    """Change a product's names, descriptions, category, harvest or perishability, then its status.

    Only the columns named are written, so a concurrent change of another column is
    kept. All of it happens or, on an error, none of it. Each change (the edit, a
    publication or archiving) is recorded in the producer's activity as done by ``actor``.
    """
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    with transaction.atomic():
        product = product_lock(pk=product.pk)
        for field, value in fields.items():
            setattr(product, field, value)
        _require_name(product)
        if fields:
            product.save(update_fields=[*fields, "updated_at"])
            _record(product, actor, Action.PRODUCT_UPDATED)
        if status is not None:
            _status_set(product, status, actor)
    return product


def _delete_files_after_commit(images: list[ProductImage]) -> None:
    files = [(file.storage, file.name) for image in images for file in (image.image, image.thumbnail) if file]

    def delete() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


def product_delete(*, product: Product, actor: User | None) -> bool:
    """Delete a product that was never ordered and return True; archive one that was and return False.

    Either is recorded in the producer's activity as done by ``actor``.

    The product's row is locked first, so a variant or photo being added either
    commits before (and is deleted with the product) or waits and then finds the
    product gone. Its variants are locked next, in primary-key order as checkout
    locks them, so an order being placed for one of them either commits before
    (the product is archived) or waits and then finds the variant gone.
    """
    with transaction.atomic():
        product = product_lock(pk=product.pk, deleting=True)
        variants_lock(ids=Variant.objects.filter(product=product).values_list("pk", flat=True))
        images = list(product.images.all())
        try:
            with transaction.atomic():
                # Order lines and live-session items keep their variants (PROTECT).
                product.delete()
        except ProtectedError:
            product_archive(product=product, actor=actor)
            return False
        _delete_files_after_commit(images)
        _record(product, actor, Action.PRODUCT_DELETED)
    return True


def _sku_taken() -> ValidationError:
    return ValidationError({"sku": [_("Another variant already has this SKU.")]})


def _check_variant(variant: Variant) -> None:
    _require_name(variant)
    if not 0 <= variant.stock <= MAX_STOCK:
        raise ValidationError({"stock": [_("Stock must be between 0 and %(max)d.") % {"max": MAX_STOCK}]})
    if Decimal(variant.price) < 0:
        raise ValidationError({"price": [_("A price cannot be negative.")]})


def _save_variant(variant: Variant, **kwargs: Any) -> None:
    """Save, turning a SKU clash (also one with a request racing this one) into a field error."""
    if Variant.objects.filter(sku=variant.sku).exclude(pk=variant.pk).exists():
        raise _sku_taken()
    try:
        with transaction.atomic():
            variant.save(**kwargs)
    except IntegrityError:
        if Variant.objects.filter(sku=variant.sku).exclude(pk=variant.pk).exists():
            raise _sku_taken() from None
        raise


def _variant_subject(product: Product, variant: Variant) -> str:
    return f"{product.name} · {variant.name}" if variant.name else product.name


def variant_create(*, product: Product, sku: str, price: Decimal, actor: User | None, **fields: Any) -> Variant:
    """A new variant of ``product`` after its others; ``fields`` are names, stock, weight and ``is_active``.

    The initial stock needs no expectation: no order can have taken units of a
    variant that did not exist. The product's row is locked first, so a variant
    added while the product is being deleted waits and then raises
    ``Product.DoesNotExist`` instead of pointing nowhere. The new variant is recorded in the
    producer's activity, as added by ``actor``, in the same transaction.
    """
    unknown = set(fields) - set(VARIANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown variant fields: {sorted(unknown)}")
    with transaction.atomic():
        product = product_lock(pk=product.pk)
        last = product.variants.aggregate(last=Max("position"))["last"]
        variant = Variant(product=product, sku=sku, price=price, position=0 if last is None else last + 1, **fields)
        _check_variant(variant)
        _save_variant(variant)
        _record(product, actor, Action.VARIANT_CREATED, _variant_subject(product, variant))
    return variant


def variant_update(
    *, variant: Variant, expected_stock: int | None = None, actor: User | None, **fields: Any
) -> Variant:
    """Change a variant's SKU, names, price, stock, weight or whether it is on sale.

    A new ``stock`` replaces the count on hand, so it needs ``expected_stock``, the
    stock its sender last read: when orders (or anything else) changed the stock
    since, ``StockChanged`` is raised and nothing is written, rather than units
    already sold being put back on sale. The row is locked (``catalog.stock``) before
    it is read and compared, so an order being placed either commits first or waits.
    Only the columns named are written, so a price change never writes back a stale stock.
    A change is recorded in the producer's activity, as made by ``actor``, in the same transaction.
    """
    unknown = set(fields) - set(VARIANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown variant fields: {sorted(unknown)}")
    if "stock" in fields and expected_stock is None:
        raise ValidationError(
            {"expected_stock": [_("Send expected_stock, the stock you last read, with every new stock count.")]}
        )
    with transaction.atomic():
        pk = variant.pk
        locked = variants_lock(ids=[pk]).get(pk)
        if locked is None:
            raise Variant.DoesNotExist(f"Variant {pk} was deleted.")
        variant = locked
        if "stock" in fields and expected_stock is not None and variant.stock != expected_stock:
            raise StockChanged(variant_id=variant.pk, expected=expected_stock, current=variant.stock)
        for field, value in fields.items():
            setattr(variant, field, value)
        _check_variant(variant)
        if fields:
            _save_variant(variant, update_fields=[*fields, "updated_at"])
            if actor is not None:
                product = Product.objects.select_related("producer").get(pk=variant.product_id)
                _record(product, actor, Action.VARIANT_UPDATED, _variant_subject(product, variant))
    return variant
