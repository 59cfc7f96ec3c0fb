"""Every write to the catalog goes through a function here."""

from __future__ import annotations

import logging
import secrets
import struct
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import F, Max, Min, OuterRef, ProtectedError, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog import search, search_text
from catalog.models import (
    MAX_SHELF_LIFE_DAYS,
    WAITLIST_MAX_QUANTITY,
    Category,
    Concept,
    HarvestLot,
    LotReceipt,
    PreSale,
    Product,
    ProductImage,
    ProductImageUpload,
    ProductSearch,
    Review,
    SearchWord,
    Variant,
    WaitlistEntry,
    variant_on_sale,
)
from catalog.notifications import waitlist_held_send
from catalog.selectors import DESCRIPTION_FIELDS, NAME_FIELDS, ReviewStatus, review_status
from catalog.stock import StockChanged, product_lock, readers_lock, variants_lock, waitlist_entries_lock
from marketplace.audit_log import STOCK, log_event_on_commit
from marketplace.errors import DomainError
from marketplace.images import (
    PhotoFiles,
    Rendition,
    photo_check,
    photo_with_thumbnail,
    processed_photo,
    renditions_make_missing,
    stored_renditions,
)
from marketplace.models import CONTENT_LANGUAGES, User
from marketplace.page_cache import pages_changed
from marketplace.validators import MAX_PRICE, PRICE_ABOVE_ZERO_MESSAGE
from producers.models import Producer, ProducerActivity
from producers.services import activity_record

Action = ProducerActivity.Action

REVIEW_MAX_LENGTH = 2000
# Slugs a product made from its name never takes: /dashboard/<producer>/products/new/ is the "add a product" page,
# /products/suggest/ the search box's suggestions.
RESERVED_SLUGS = frozenset({"new", "suggest"})
MAX_STOCK = 1_000_000
# Concepts (kinds of produce) one product may be tagged with, in the product editor and the API.
MAX_CONCEPTS = 20
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
VARIANT_FIELDS = ("sku", *NAME_FIELDS, "price", "stock", "weight_grams", "is_active", "shelf_life_days")
# The product's columns its search column is made of, and the variant's its lowest price is.
SEARCHED_FIELDS = frozenset((*NAME_FIELDS, *DESCRIPTION_FIELDS))
PRICED_FIELDS = frozenset(("price", "is_active"))
# Products whose search column one UPDATE writes.
_SEARCH_BATCH = 1000
ALT_TEXT_MAX_LENGTH: int = ProductImage._meta.get_field("alt_text").max_length or 0
# Photos one user may have waiting for the worker at once: as many as the back office takes in one go.
MAX_PHOTOS_IN_FLIGHT = 8
# A photo still being processed this long after it was last touched is queued again by the sweep ...
PROCESSING_STALE_AFTER = timedelta(minutes=2)
# ... until the worker has started on it this many times; then it is marked failed.
MAX_PROCESSING_ATTEMPTS = 3
STALE_BATCH = 200
# The first key of the advisory lock that serialises one user's uploads (the second is the user's id).
_IN_FLIGHT_LOCK = 0x50484F54

logger = logging.getLogger(__name__)


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


def _next_position(product: Product) -> int:
    last = ProductImage.all_objects.filter(product=product).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def product_image_add(
    *, product: Product, data: bytes | PhotoFiles, alt_text: str = "", actor: User | None
) -> ProductImage:
    """Validate and re-encode a photo, make its thumbnail and renditions and add it, ready, after the product's
    other photos.

    Decodes the photo in the caller's process: for seeding and commands (which may pass ``data`` already
    processed, ``marketplace.images.processed_photo``'s files, to store them again). Uploads from people go through
    ``product_image_upload``, which leaves the decoding to the worker. The product's row is locked first, so a
    photo added while the product is being deleted waits and then raises ``Product.DoesNotExist`` instead of
    pointing nowhere.
    """
    files = data if isinstance(data, PhotoFiles) else processed_photo(data)
    with transaction.atomic():
        product = product_lock(pk=product.pk)
        image = ProductImage(product=product, alt_text=alt_text, position=_next_position(product))
        image.image.save(files.photo.name, files.photo, save=False)
        image.thumbnail.save(files.thumbnail.name, files.thumbnail, save=False)
        image.renditions = _stored_renditions(files.renditions)
        image.save()
        _record(product, actor, Action.PHOTO_ADDED)
    return image


class PhotosInFlight(DomainError):
    """The user already has as many photos being processed as anyone may; nothing was added."""

    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "photos_in_flight"

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        super().__init__(
            ngettext(
                "You already have %(limit)d photo being prepared. Add more once it is ready, in a few seconds.",
                "You already have %(limit)d photos being prepared. Add more once they are ready, in a few seconds.",
                limit,
            )
            % {"limit": limit}
        )

    def body(self) -> dict[str, Any]:
        return {**super().body(), "limit": self.limit}


def _check_photos_in_flight(actor: User, adding: int = 1) -> None:
    """Raise ``PhotosInFlight`` if ``actor`` would have more than MAX_PHOTOS_IN_FLIGHT photos being processed.

    A transaction-level advisory lock per user makes a user's concurrent uploads count one after the other.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_IN_FLIGHT_LOCK, actor.pk & 0x7FFFFFFF])
    in_flight = ProductImage.all_objects.filter(status=ProductImage.Status.PROCESSING, uploaded_by=actor).count()
    if in_flight + adding > MAX_PHOTOS_IN_FLIGHT:
        raise PhotosInFlight(limit=MAX_PHOTOS_IN_FLIGHT)


def photos_in_flight_check(*, actor: User) -> None:
    """Raise ``PhotosInFlight`` if ``actor`` already has MAX_PHOTOS_IN_FLIGHT photos being processed.

    A cheap look before an upload's body is even read; ``product_image_upload`` counts again, under a lock.
    """
    in_flight = ProductImage.all_objects.filter(status=ProductImage.Status.PROCESSING, uploaded_by=actor).count()
    if in_flight >= MAX_PHOTOS_IN_FLIGHT:
        raise PhotosInFlight(limit=MAX_PHOTOS_IN_FLIGHT)


class _Concatenated:
    """``read()`` over several byte strings in turn, without joining them into one more copy."""

    def __init__(self, *parts: bytes) -> None:
        self._parts = [memoryview(part) for part in parts]

    def read(self, size: int = -1) -> bytes:
        chunk = b""
        while self._parts and (size < 0 or len(chunk) < size):
            part = self._parts[0]
            take = len(part) if size < 0 else min(len(part), size - len(chunk))
            chunk += part[:take]
            self._parts[0] = part[take:]
            if not len(self._parts[0]):
                self._parts.pop(0)
        return chunk


def _keep_upload(image: ProductImage, data: bytes) -> None:
    """Insert the upload's bytes beside ``image`` with a binary COPY: as they are, not escaped as text.

    A parameter of an INSERT would be sent as hexadecimal text, twice the size, which the web process
    encodes and PostgreSQL decodes: for a 10 MB photo several times the CPU of the COPY. (The column is
    stored uncompressed: photos do not compress.)
    """
    table = ProductImageUpload._meta.db_table
    header = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # signature, flags, no header extension
    row = struct.pack(">hiq", 2, 8, image.pk) + struct.pack(">i", len(data))  # two fields: the id, the bytes
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} (image_id, data) FROM STDIN WITH (FORMAT binary)",
            _Concatenated(header, row, data, struct.pack(">h", -1)),
            1024 * 1024,  # the chunk size, by position: Django's debug cursor (DEBUG on) passes no keywords on
        )


def _process_after_commit(image_id: int) -> None:
    transaction.on_commit(partial(_enqueue_processing, image_id))


def _enqueue_processing(image_id: int) -> None:
    # The tasks module imports this one.
    from catalog.tasks import process_image

    try:
        # With a broker the worker decodes the photo; without one, this process does, now.
        process_image.delay(image_id)
    except Exception:
        # The upload is committed and its bytes are kept: the sweep queues it again once the broker is back.
        # Failing here would turn a photo received into an error page.
        logger.exception("Could not queue product photo %s; the periodic sweep will", image_id)


def product_image_upload(*, product: Product, data: bytes, alt_text: str = "", actor: User | None) -> ProductImage:
    """Receive a photo: checked from its headers alone, added after the product's other photos as being processed.

    Nothing is decoded here, so an upload costs the web process next to nothing whatever its content
    (``marketplace.images.photo_check`` refuses, with a ``ValidationError`` to show, anything that is not a
    JPEG, PNG or WebP, too large, cut short, or whose decoding would not fit the memory budget). The bytes are
    kept in a ``ProductImageUpload`` and, once this commits, the worker decodes them (``product_image_process``);
    until then the photo is shown to its producer's back office only. A user may have MAX_PHOTOS_IN_FLIGHT
    photos being processed at once (``PhotosInFlight`` beyond). Recorded in the producer's activity as added.
    """
    photo_check(data)
    with transaction.atomic():
        product = product_lock(pk=product.pk)
        if actor is not None:
            _check_photos_in_flight(actor)
        image = ProductImage.all_objects.create(
            product=product,
            alt_text=alt_text,
            position=_next_position(product),
            status=ProductImage.Status.PROCESSING,
            uploaded_by=actor,
        )
        _keep_upload(image, data)
        if actor is not None:
            # Recorded as _record does, without touching the cached pages: the photo is on none until it is ready.
            activity_record(producer=product.producer, actor=actor, action=Action.PHOTO_ADDED, subject=product.name)
        _process_after_commit(image.pk)
    return image


def _failure_of(error: ValidationError) -> str:
    codes = {getattr(item, "code", None) for item in error.error_list}
    if codes & {"too_large", "too_many_pixels", "over_budget", "too_many_scans"}:
        return ProductImage.Failure.TOO_LARGE
    return ProductImage.Failure.UNREADABLE


def _claim(image_id: int) -> tuple[int, bytes] | None:
    """Count a new attempt at a photo still being processed: its product's id and its bytes, or None if there is
    nothing to do.

    Committed before the decoding starts, so a photo that kills its worker is counted each time, and given up
    after MAX_PROCESSING_ATTEMPTS.
    """
    with transaction.atomic():
        image = (
            ProductImage.all_objects.select_for_update(skip_locked=True)
            .filter(pk=image_id, status=ProductImage.Status.PROCESSING)
            .first()
        )
        if image is None:
            return None
        if image.attempts >= MAX_PROCESSING_ATTEMPTS:
            _fail(image, ProductImage.Failure.INTERRUPTED)
            return None
        image.attempts += 1
        image.save(update_fields=["attempts", "updated_at"])
        data = ProductImageUpload.objects.filter(image=image).values_list("data", flat=True).first()
        if data is None:
            _fail(image, ProductImage.Failure.INTERRUPTED)
            return None
        return image.product_id, bytes(data)


def _fail(image: ProductImage, failure: str) -> None:
    image.status = ProductImage.Status.FAILED
    image.failure = failure
    image.save(update_fields=["status", "failure", "updated_at"])
    ProductImageUpload.objects.filter(image=image).delete()
    logger.info("Product photo %s failed: %s", image.pk, failure)


def _locked_in_processing(image_id: int, product_id: int) -> tuple[Product, ProductImage] | None:
    """The photo and its product, locked in the order every photo service locks them, if it is still being
    processed."""
    try:
        product = product_lock(pk=product_id)
    except Product.DoesNotExist:
        return None
    image = (
        ProductImage.all_objects.select_for_update().filter(pk=image_id, status=ProductImage.Status.PROCESSING).first()
    )
    return None if image is None else (product, image)


def product_image_process(*, image_id: int, actor: User | None) -> str | None:
    """Decode a photo being processed, store it re-encoded with its thumbnail and renditions, and make it ready;
    the worker's job.

    A photo that cannot be decoded is marked failed with the reason its producer is shown, and its bytes are
    deleted either way. Returns the photo's new status, or None when there was nothing to do: it was removed,
    finished by another run, or is being processed right now. Any other error (the storage failing) leaves it
    being processed, for the sweep to try again. ``actor`` is None: the worker acts for the uploader, whose
    upload was recorded.
    """
    claimed = _claim(image_id)
    if claimed is None:
        return None
    product_id, data = claimed
    try:
        files = processed_photo(data)
    except ValidationError as error:
        with transaction.atomic():
            locked = _locked_in_processing(image_id, product_id)
            if locked is None:
                return None
            _fail(locked[1], _failure_of(error))
        return ProductImage.Status.FAILED
    del data
    with transaction.atomic():
        locked = _locked_in_processing(image_id, product_id)
        if locked is None:
            return None
        product, image = locked
        image.image.save(files.photo.name, files.photo, save=False)
        image.thumbnail.save(files.thumbnail.name, files.thumbnail, save=False)
        image.renditions = _stored_renditions(files.renditions)
        image.status = ProductImage.Status.READY
        image.save()
        ProductImageUpload.objects.filter(image=image).delete()
        if product.status == Product.Status.ACTIVE:
            # Shown from now on: cached pages with the product are rendered again once this commits.
            pages_changed()
    return ProductImage.Status.READY


def _stored_renditions(renditions: list[Rendition]) -> list[dict[str, Any]]:
    return stored_renditions(ProductImage._meta.get_field("image"), renditions)


def product_images_make_renditions(*, actor: User | None, limit: int = STALE_BATCH) -> int:
    """Make the WebP renditions missing from ready photos (stored before renditions were made); return how many
    photos got them, and render the cached pages again if any did.

    Rows sharing one file get the same renditions. A file that is gone or cannot be decoded is logged and its
    photo's ``renditions`` set to None, so it is not tried again and keeps showing its JPEG alone
    (``marketplace.images.renditions_make_missing``). Run by the sweep beside the stale photos, and by
    ``manage.py process_stale_photos``.
    """
    made = renditions_make_missing(
        ProductImage.objects.all(), ProductImage._meta.get_field("image"), "renditions", limit=limit
    )
    if made:
        pages_changed()
    return made


def product_images_process_stale(*, actor: User | None, now: datetime | None = None) -> int:
    """Queue again the photos left being processed PROCESSING_STALE_AFTER since last touched; return how many.

    Their task was lost (the broker was unreachable when their upload committed) or their worker stopped.
    Those already tried MAX_PROCESSING_ATTEMPTS times are marked failed instead. Each photo queued is touched,
    so the next sweep leaves it to its task for another while.
    """
    now = now or timezone.now()
    stale = list(
        ProductImage.all_objects.filter(
            status=ProductImage.Status.PROCESSING, updated_at__lt=now - PROCESSING_STALE_AFTER
        ).values_list("pk", flat=True)[:STALE_BATCH]
    )
    for image_id in stale:
        with transaction.atomic():
            image = (
                ProductImage.all_objects.select_for_update(skip_locked=True)
                .filter(pk=image_id, status=ProductImage.Status.PROCESSING)
                .first()
            )
            if image is None:
                continue
            if image.attempts >= MAX_PROCESSING_ATTEMPTS:
                _fail(image, ProductImage.Failure.INTERRUPTED)
                continue
            image.save(update_fields=["updated_at"])
            _process_after_commit(image.pk)
    return len(stale)


def _images_locked(image: ProductImage) -> tuple[Product, list[ProductImage]]:
    """The image's product, its row locked, and its photos in the order shoppers see them.

    Raises ``ProductImage.DoesNotExist`` when the photo was removed meanwhile.
    """
    product = product_lock(pk=image.product_id)
    images = list(ProductImage.all_objects.filter(product=product).order_by("position", "id"))
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
        ProductImage.all_objects.bulk_update(changed, ["position"])


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
        restocked = (
            Variant.objects.filter(pk=variant.pk)
            .exclude(pre_sales__status=PreSale.Status.OPEN)
            .update(stock=F("stock") + quantity, updated_at=timezone.now())
        )
        if not restocked:
            _refuse_on_pre_sale({variant.pk: variant})
        waitlist_offer(variant_ids=[variant.pk])
        pages_changed()
        log_event_on_commit(
            STOCK, "stock.restocked", variant_id=variant.pk, quantity=quantity, actor_id=actor.pk if actor else None
        )
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


def review_add(*, product: Product, author: Any, rating: int, body: str = "", photo: bytes | None = None) -> Review:
    """Publish a buyer's review: a rating from 1 to 5, up to 2000 characters of text and one optional photo.

    Only a shopper who received this product in a delivered parcel may review it,
    once; anything else raises ``ValidationError`` with a message for them. The
    photo (its uploaded bytes) is decoded and re-encoded with a thumbnail as every
    photo is (``marketplace.images``); one that is not a sound JPEG, PNG or WebP
    within the limits raises ``ValidationError`` on ``photo`` and nothing is saved.
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
    review = Review(product=product, author=author, rating=rating, body=body)
    if photo is not None:
        try:
            large, thumbnail = photo_with_thumbnail(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
        review.photo.save(large.name, large, save=False)
        review.photo_thumbnail.save(thumbnail.name, thumbnail, save=False)
    try:
        # Two posts racing past the check meet the one-review-per-buyer constraint here.
        with transaction.atomic():
            pages_changed()
            review.save()
            return review
    except IntegrityError:
        for file in (review.photo, review.photo_thumbnail):
            if file:
                file.delete(save=False)
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
    *,
    producer: Producer,
    category: Category,
    slug: str = "",
    concepts: Iterable[Concept] | None = None,
    actor: User | None,
    **fields: Any,
) -> Product:
    """A new draft product of ``producer``; ``fields`` are names, descriptions, harvest months and perishability,
    ``concepts`` what it is (``Concept``), for search.

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
                if concepts:
                    product.concepts.set(concepts)
                product_search_refresh(product_ids=[product.pk])
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
        product_search_columns_refresh(product_ids=[product.pk])
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
        product_search_columns_refresh(product_ids=[product.pk])
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


def product_update(
    *,
    product: Product,
    status: str | None = None,
    concepts: Iterable[Concept] | None = None,
    actor: User | None,
    **fields: Any,
) -> Product:
    """Change a product's names, descriptions, category, harvest, perishability or concepts, then its status.

    Its search column is rewritten when its names, descriptions or concepts change.

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
        if concepts is not None:
            product.concepts.set(concepts)
        if concepts is not None or SEARCHED_FIELDS & set(fields):
            product_search_refresh(product_ids=[product.pk])
        elif fields:
            product_search_columns_refresh(product_ids=[product.pk])
        if fields or concepts is not None:
            _record(product, actor, Action.PRODUCT_UPDATED)
        if status is not None:
            _status_set(product, status, actor)
    return product


def _delete_files_after_commit(images: list[ProductImage]) -> None:
    files = [(file.storage, file.name) for image in images for file in (image.image, image.thumbnail) if file]
    files += [(image.image.storage, name) for image in images for name in image.rendition_names]

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
        images = list(ProductImage.all_objects.filter(product=product))
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
    if Decimal(variant.price) <= 0:
        raise ValidationError({"price": [PRICE_ABOVE_ZERO_MESSAGE]})
    if Decimal(variant.price) > MAX_PRICE:
        raise ValidationError({"price": [_("A price can be at most %(max)s.") % {"max": f"¥{MAX_PRICE:,}"}]})
    shelf_life = variant.shelf_life_days
    if shelf_life is not None and (
        isinstance(shelf_life, bool) or not isinstance(shelf_life, int) or not 1 <= shelf_life <= MAX_SHELF_LIFE_DAYS
    ):
        raise ValidationError(
            {"shelf_life_days": [_("A shelf life is 1 to %(max)d days.") % {"max": MAX_SHELF_LIFE_DAYS}]}
        )


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
        product_prices_refresh(product_ids=[product.pk])
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
        if PRICED_FIELDS & set(fields):
            # The product's lowest price is written too: its row is locked before the variant's, in the order
            # product_delete and variant_create lock them.
            product_lock(pk=variant.product_id)
        locked = variants_lock(ids=[pk]).get(pk)
        if locked is None:
            raise Variant.DoesNotExist(f"Variant {pk} was deleted.")
        variant = locked
        if "stock" in fields and expected_stock is not None and variant.stock != expected_stock:
            raise StockChanged(variant_id=variant.pk, expected=expected_stock, current=variant.stock)
        if "stock" in fields and fields["stock"] != variant.stock:
            _refuse_on_pre_sale({variant.pk: variant})
        stock_before = variant.stock
        for field, value in fields.items():
            setattr(variant, field, value)
        _check_variant(variant)
        if fields:
            _save_variant(variant, update_fields=[*fields, "updated_at"])
            if PRICED_FIELDS & set(fields):
                product_prices_refresh(product_ids=[variant.product_id])
            if actor is not None:
                product = Product.objects.select_related("producer").get(pk=variant.product_id)
                _record(product, actor, Action.VARIANT_UPDATED, _variant_subject(product, variant))
        if "stock" in fields and variant.stock > stock_before:
            waitlist_offer(variant_ids=[variant.pk])
        if "stock" in fields and variant.stock != stock_before:
            log_event_on_commit(
                STOCK,
                "stock.adjusted",
                variant_id=variant.pk,
                before=stock_before,
                after=variant.stock,
                actor_id=actor.pk if actor else None,
            )
    return variant


# Search


def product_search_refresh(*, product_ids: Iterable[int]) -> int:
    """Write the search rows of these products (``ProductSearch``) anew from their names, descriptions,
    concepts and columns; return how many.

    Called by every service that changes names, descriptions or concepts, and by ``manage.py search_rebuild``.
    The Latin words of their names join the vocabulary typos are corrected towards.
    """
    ids = sorted(set(product_ids))
    written = 0
    # Every concept, used in search or not: staff may turn one on again without the rows being rewritten.
    concepts = {entry.id: entry.terms for entry in search.concept_vocabulary(DEFAULT_DB_ALIAS)}
    for start in range(0, len(ids), _SEARCH_BATCH):
        batch = ids[start : start + _SEARCH_BATCH]
        tagged: dict[int, list[int]] = {}
        for product_id, concept_id in Product.concepts.through.objects.filter(product_id__in=batch).values_list(
            "product_id", "concept_id"
        ):
            tagged.setdefault(product_id, []).append(concept_id)
        ids_written, documents, described, words = [], [], [], set()
        for pk, *texts in Product.objects.filter(pk__in=batch).values_list("pk", *NAME_FIELDS, *DESCRIPTION_FIELDS):
            names, descriptions = texts[: len(NAME_FIELDS)], texts[len(NAME_FIELDS) :]
            ids_written.append(pk)
            documents.append(search_text.document(names=names, concept_ids=tagged.get(pk, ()), concepts=concepts))
            described.append(search_text.description_document(descriptions))
            words |= search_text.vocabulary(names)
        if ids_written:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO catalog_productsearch (product_id, producer_id, category_id, is_active, "
                    "published_at, lowest_price, harvest_start_month, harvest_end_month, popularity, words, "
                    "description_words) "
                    "SELECT p.id, p.producer_id, p.category_id, p.status = 'active', p.published_at, p.lowest_price, "
                    "p.harvest_start_month, p.harvest_end_month, "
                    "coalesce((SELECT sum(v.units_sold) FROM catalog_variant AS v WHERE v.product_id = p.id), 0), "
                    "d.words::tsvector, d.described::tsvector "
                    "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS d(id, words, described) "
                    "JOIN catalog_product AS p ON p.id = d.id "
                    "ON CONFLICT (product_id) DO UPDATE SET producer_id = EXCLUDED.producer_id, "
                    "category_id = EXCLUDED.category_id, is_active = EXCLUDED.is_active, "
                    "published_at = EXCLUDED.published_at, lowest_price = EXCLUDED.lowest_price, "
                    "harvest_start_month = EXCLUDED.harvest_start_month, "
                    "harvest_end_month = EXCLUDED.harvest_end_month, popularity = EXCLUDED.popularity, "
                    "words = EXCLUDED.words, description_words = EXCLUDED.description_words",
                    [ids_written, documents, described],
                )
        search_words_remember(words=words)
        written += len(ids_written)
    return written


def product_search_columns_refresh(*, product_ids: Iterable[int]) -> None:
    """Copy these products' producer, category, status, publication time, lowest price and harvest into their
    search rows; called by every service that changes one of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_productsearch AS s SET producer_id = p.producer_id, category_id = p.category_id, "
            "is_active = p.status = 'active', published_at = p.published_at, lowest_price = p.lowest_price, "
            "harvest_start_month = p.harvest_start_month, harvest_end_month = p.harvest_end_month "
            "FROM catalog_product AS p WHERE s.product_id = p.id AND p.id = ANY(%s::bigint[])",
            [sorted(set(product_ids))],
        )


def search_words_remember(*, words: Iterable[str]) -> None:
    """Add Latin words to the vocabulary mistyped queries are corrected towards (``SearchWord``)."""
    found = sorted({word for word in words if 3 <= len(word) <= 100})
    if found:
        SearchWord.objects.bulk_create([SearchWord(word=word) for word in found], ignore_conflicts=True)


def product_prices_refresh(*, product_ids: Iterable[int]) -> None:
    """Set these products' ``lowest_price`` from their variants on sale (None when none is), and their search
    rows' copy of it."""
    ids = sorted(set(product_ids))
    on_sale = Variant.objects.filter(product=OuterRef("pk"), is_active=True).order_by().values("product")
    Product.objects.filter(pk__in=ids).update(
        lowest_price=Subquery(on_sale.annotate(value=Min("price")).values("value"))
    )
    product_search_columns_refresh(product_ids=ids)


def product_popularity_refresh() -> int:
    """Copy each product's units sold (all its variants) into its search row's ``popularity``, which orders
    equally relevant results; return how many changed. Run every few minutes by the schedule."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_productsearch AS s SET popularity = sold.units "
            "FROM (SELECT product_id, sum(units_sold) AS units FROM catalog_variant GROUP BY product_id) AS sold "
            "WHERE s.product_id = sold.product_id AND s.popularity <> sold.units"
        )
        return cursor.rowcount


def concept_save(*, concept: Concept, actor: User | None) -> Concept:
    """Save a search concept; its Latin terms join the vocabulary typos are corrected towards.

    A product tagged with it carries its token, which no edit changes. A product whose name holds one of its
    terms carries another token (``search_text.implied_token``): when its names or terms change, the worker
    writes anew the search rows of the products whose names held or now hold one
    (``concept_products_reindex``).
    """
    with transaction.atomic():
        before = Concept.objects.filter(pk=concept.pk).first() if concept.pk else None
        concept.save()
        search_words_remember(words=search_text.vocabulary(concept.all_terms()))
        if before is None or before.all_terms() != concept.all_terms():
            transaction.on_commit(partial(_enqueue_concept_reindex, concept.pk))
    pages_changed()
    return concept


def _enqueue_concept_reindex(concept_id: int) -> None:
    from catalog.tasks import reindex_concept

    try:
        reindex_concept.delay(concept_id)
    except Exception:
        # Without the broker, this process writes the rows, now: staff wait, shoppers find the products.
        logger.exception("Could not queue the search rows of concept %s; writing them now", concept_id)
        concept_products_reindex(concept_id=concept_id)


def concept_products_reindex(*, concept_id: int) -> int:
    """Write anew the search rows of the products whose names hold a term of the concept, or held one when
    their rows were written; return how many."""
    concept = Concept.objects.filter(pk=concept_id).first()
    terms = search_text.concept_terms(concept.all_terms()) if concept else []
    tsquery = search_text.any_of(
        [search_text.implied_query([concept_id]), *(search_text.phrase_query(" ".join(term)) for term in terms)]
    )
    rows = ProductSearch.objects.filter(search.Matches(tsquery))
    written = product_search_refresh(product_ids=list(rows.values_list("product_id", flat=True)))
    pages_changed()
    return written


# Harvest lots


# A lot is recorded when its stock comes in: a pick date further back is a typing mistake.
LOT_OLDEST_DAYS = 730


def harvest_lot_record(
    *,
    producer: Producer,
    product: Product,
    plot: str,
    picked_on: date | None,
    grade: str,
    test_result: str = "",
    photo: bytes | None = None,
    actor: User | None,
) -> HarvestLot:
    """Record a harvest lot of one of ``producer``'s products, with an optional photo (its uploaded bytes,
    re-encoded with a thumbnail as every photo is); ``ValidationError`` per field, nothing saved."""
    errors: dict[str, list[str]] = {}
    if product.producer_id != producer.pk:
        errors["product"] = [_("Choose one of your own products.")]
    plot = " ".join((plot or "").split())
    if not plot:
        errors["plot"] = [_("Name the plot or orchard the harvest comes from.")]
    elif len(plot) > 120:
        errors["plot"] = [_("Keep the plot's name to 120 characters.")]
    today = timezone.localdate()
    if picked_on is None:
        errors["picked_on"] = [_("Enter the day the harvest was picked.")]
    elif picked_on > today:
        errors["picked_on"] = [_("The pick date cannot be in the future.")]
    elif picked_on < today - timedelta(days=LOT_OLDEST_DAYS):
        errors["picked_on"] = [_("The pick date is more than two years ago.")]
    if grade not in HarvestLot.Grade.values:
        errors["grade"] = [_("Choose a grade.")]
    test_result = " ".join((test_result or "").split())
    if len(test_result) > 200:
        errors["test_result"] = [_("Keep the test result to 200 characters.")]
    if errors or picked_on is None:
        raise ValidationError(errors)
    lot = HarvestLot(
        producer=producer,
        product=product,
        plot=plot,
        picked_on=picked_on,
        grade=grade,
        test_result=test_result,
        created_by=actor,
    )
    if photo is not None:
        try:
            large, thumbnail = photo_with_thumbnail(photo)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
        lot.photo.save(large.name, large, save=False)
        lot.photo_thumbnail.save(thumbnail.name, thumbnail, save=False)
    lot.save()
    return lot


def lot_receive(*, lot: HarvestLot, variant: Variant, quantity: int, actor: User | None) -> LotReceipt:
    """Add ``quantity`` units of ``variant`` (a size of the lot's product) to its stock from ``lot``."""
    if variant.product_id != lot.product_id:
        raise ValidationError({"variant": [_("Choose a size of this lot's product.")]})
    with transaction.atomic():
        try:
            variant_restock(variant=variant, quantity=quantity, actor=actor)
        except ValidationError as error:
            raise ValidationError({"quantity": error.messages}) from None
        return LotReceipt.objects.create(lot=lot, variant=variant, quantity=quantity)


# Pre-sales. A size sold before its harvest: its stock is what is left of the expected quantity until the harvest
# is entered (``orders.services.presale_harvest``), so nothing else may change it meanwhile.

PRE_SALE_FURTHEST_DAYS = 366
PRE_SALE_MAX_QUANTITY = 100_000


def _refuse_on_pre_sale(locked: dict[int, Variant]) -> None:
    """Refuse a change of stock to a size (its row locked) whose pre-sale is open."""
    if PreSale.objects.filter(variant_id__in=list(locked), status=PreSale.Status.OPEN).exists():
        raise ValidationError(
            {
                "stock": [
                    _(
                        "This size is on pre-sale: its stock is what is left of the expected harvest until you "
                        "enter the harvest."
                    )
                ]
            },
            code="on_pre_sale",
        )


def presale_open(
    *,
    variant: Variant,
    expected_quantity: int,
    harvest_from: date | None,
    harvest_until: date | None,
    ship_by: date | None,
    actor: User | None,
) -> PreSale:
    """Open a pre-sale of ``variant``: shoppers order up to ``expected_quantity`` units now, shipped from
    ``harvest_from`` and by ``ship_by``. The size must have no stock (what is in stock ships now) and no open
    pre-sale; ``ValidationError`` per field otherwise, and nothing changes."""
    errors: dict[str, list[str]] = {}
    if isinstance(expected_quantity, bool) or not isinstance(expected_quantity, int):
        errors["expected_quantity"] = [_("Enter the number of units you expect to harvest.")]
    elif not 1 <= expected_quantity <= PRE_SALE_MAX_QUANTITY:
        errors["expected_quantity"] = [_("Expect between 1 and %(max)d units.") % {"max": PRE_SALE_MAX_QUANTITY}]
    today = timezone.localdate()
    if harvest_from is None:
        errors["harvest_from"] = [_("Enter the first day of the harvest.")]
    elif harvest_from <= today:
        errors["harvest_from"] = [_("A pre-sale is for a harvest still to come: start it tomorrow or later.")]
    elif harvest_from > today + timedelta(days=PRE_SALE_FURTHEST_DAYS):
        errors["harvest_from"] = [_("The harvest must start within a year.")]
    if harvest_until is None:
        errors["harvest_until"] = [_("Enter the last day of the harvest.")]
    elif harvest_from is not None and harvest_until < harvest_from:
        errors["harvest_until"] = [_("The harvest cannot end before it starts.")]
    if ship_by is None:
        errors["ship_by"] = [_("Enter the day by which every order ships.")]
    elif harvest_until is not None and ship_by < harvest_until:
        errors["ship_by"] = [_("Orders ship after the harvest: the ship-by day cannot come before its end.")]
    elif harvest_until is not None and ship_by > harvest_until + timedelta(days=30):
        errors["ship_by"] = [_("Ship within 30 days of the harvest's end.")]
    if errors:
        raise ValidationError(errors)
    assert harvest_from is not None and harvest_until is not None and ship_by is not None
    with transaction.atomic():
        locked = variants_lock(ids=[variant.pk]).get(variant.pk)
        if locked is None:
            raise Variant.DoesNotExist(f"Variant {variant.pk} was deleted.")
        if PreSale.objects.filter(variant=locked, status=PreSale.Status.OPEN).exists():
            raise ValidationError({"variant": [_("This size already has an open pre-sale.")]})
        if locked.stock > 0:
            raise ValidationError(
                {
                    "variant": [
                        _("This size has %(n)d units in stock, which ship now: sell them before a pre-sale.")
                        % {"n": locked.stock}
                    ]
                }
            )
        if not locked.is_active:
            raise ValidationError({"variant": [_("This size is not on sale: put it on sale first.")]})
        if WaitlistEntry.objects.filter(variant=locked, status=WaitlistEntry.Status.HELD).exists():
            raise ValidationError(
                {
                    "variant": [
                        _(
                            "Units of this size are held for shoppers on its waitlist: open the pre-sale once they "
                            "have ordered them or their holds have lapsed."
                        )
                    ]
                }
            )
        pre_sale = PreSale.objects.create(
            variant=locked,
            expected_quantity=expected_quantity,
            harvest_from=harvest_from,
            harvest_until=harvest_until,
            ship_by=ship_by,
            opened_by=actor,
        )
        Variant.objects.filter(pk=locked.pk).update(stock=expected_quantity, updated_at=timezone.now())
        log_event_on_commit(
            STOCK,
            "presale.opened",
            variant_id=locked.pk,
            pre_sale_id=pre_sale.pk,
            quantity=expected_quantity,
            actor_id=actor.pk if actor else None,
        )
        product = Product.objects.select_related("producer").get(pk=locked.product_id)
        _record(product, actor, Action.PRESALE_OPENED, _variant_subject(product, locked))
    return pre_sale


# The waitlist. Units coming back to a size that shoppers wait for are held for them, in the order they joined;
# a hold is the shopper's until ``held_until`` (its units are out of the stock meanwhile) and then passes on.
# Locks: the variant first, then its entries, on every path (offer, lapse, leave, and checkout's use of a hold).

WAITLIST_ACTIVE = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.HELD)


def waitlist_join(*, variant: Variant, shopper: User, quantity: int = 1) -> WaitlistEntry:
    """Put ``shopper`` on the waitlist of a sold-out size for ``quantity`` units; ``ValidationError`` (nothing
    written) for a bad quantity, a size in stock or not on sale, or a shopper already waiting for it."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= WAITLIST_MAX_QUANTITY:
        raise ValidationError(
            {"quantity": [_("Wait for 1 to %(max)d units.") % {"max": WAITLIST_MAX_QUANTITY}]}, code="quantity"
        )
    with transaction.atomic():
        locked = variants_lock(ids=[variant.pk]).get(variant.pk)
        on_sale = locked is not None and Variant.objects.filter(variant_on_sale(), pk=locked.pk).exists()
        if locked is None or not on_sale:
            raise ValidationError({"variant": [_("This size is not on sale.")]}, code="not_on_sale")
        if WaitlistEntry.objects.filter(variant=locked, shopper=shopper, status__in=WAITLIST_ACTIVE).exists():
            raise ValidationError(
                {"variant": [_("You are already on the waitlist for this size.")]}, code="already_waiting"
            )
        if locked.stock > 0:
            raise ValidationError({"variant": [_("This size is in stock: add it to your cart.")]}, code="in_stock")
        if PreSale.objects.filter(variant=locked, status=PreSale.Status.OPEN).exists():
            raise ValidationError(
                {"variant": [_("This size is sold before its harvest: its pre-sale is sold out.")]}, code="pre_sale"
            )
        return WaitlistEntry.objects.create(
            variant=locked, shopper=shopper, quantity=quantity, language=translation.get_language() or ""
        )


def waitlist_leave(*, entry: WaitlistEntry, shopper: User) -> None:
    """Take ``shopper`` off a waitlist; units held for them go to the next shopper waiting, or back on sale."""
    with transaction.atomic():
        variants_lock(ids=[entry.variant_id])
        locked = next(iter(waitlist_entries_lock(pk=entry.pk, shopper=shopper)), None)
        if locked is None or not locked.is_active:
            raise ValidationError(_("You are no longer on this waitlist."), code="not_waiting")
        held = locked.status == WaitlistEntry.Status.HELD
        locked.status = WaitlistEntry.Status.LEFT
        locked.save(update_fields=["status"])
        if held:
            Variant.objects.filter(pk=locked.variant_id).update(stock=F("stock") + locked.quantity)
            if not waitlist_offer(variant_ids=[locked.variant_id]):
                pages_changed()  # back on sale


def waitlist_offer(*, variant_ids: Iterable[int], now: datetime | None = None) -> int:
    """Hold what is in stock of each variant for its waiting shoppers, in the order they joined, each whole, and
    tell each one; returns how many holds were made. A shopper waiting for more units than are left is passed
    over this time and keeps their place.

    One query when nobody waits; otherwise the variants are locked (by primary key), then their entries."""
    ids = sorted(set(variant_ids))
    # A size on pre-sale is left out: its stock is the expected harvest's, which its orders take.
    waited = sorted(
        set(
            WaitlistEntry.objects.filter(variant_id__in=ids, status=WaitlistEntry.Status.WAITING)
            .exclude(variant__pre_sales__status=PreSale.Status.OPEN)
            .values_list("variant_id", flat=True)
        )
    )
    if not waited:
        return 0
    now = now or timezone.now()
    until = now + timedelta(minutes=settings.WAITLIST_HOLD_MINUTES)
    made: list[WaitlistEntry] = []
    with transaction.atomic():
        for variant_id, variant in variants_lock(ids=waited).items():
            left = variant.stock
            line = waitlist_entries_lock(variant_id=variant_id, status=WaitlistEntry.Status.WAITING)
            held = []
            for entry in line:
                if entry.quantity > left:
                    continue  # keeps its place: the next units that come back are offered to it first
                left -= entry.quantity
                entry.status, entry.held_at, entry.held_until = WaitlistEntry.Status.HELD, now, until
                held.append(entry)
            if not held:
                continue
            WaitlistEntry.objects.bulk_update(held, ["status", "held_at", "held_until"])
            Variant.objects.filter(pk=variant_id).update(stock=left, updated_at=now)
            log_event_on_commit(
                STOCK, "waitlist.held", variant_id=variant_id, holds=len(held), units=variant.stock - left
            )
            made += held
        if made:
            # Each notice counts itself on its reader's row: those rows are locked in primary-key order first, so
            # two offers telling the same shoppers never wait on each other in a circle. Told in joining order.
            readers_lock(user_ids=[e.shopper_id for e in made])
            for entry in made:
                waitlist_held_send(entry)
            pages_changed()
    return len(made)


def waitlist_holds_lapse(*, now: datetime | None = None, batch: int = 500) -> int:
    """Lapse every hold past its time: its units go to the next shopper waiting, or back on sale. Returns how
    many lapsed. Each variant in its own short transaction; a hold used or left meanwhile is skipped."""
    now = now or timezone.now()
    due = (
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.HELD, held_until__lte=now)
        .order_by("variant_id")
        .values_list("variant_id", flat=True)
        .distinct()[:batch]
    )
    lapsed = 0
    for variant_id in list(due):
        with transaction.atomic():
            variants_lock(ids=[variant_id])
            entries = waitlist_entries_lock(
                variant_id=variant_id, status=WaitlistEntry.Status.HELD, held_until__lte=now
            )
            if not entries:
                continue
            WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(status=WaitlistEntry.Status.LAPSED)
            units = sum(entry.quantity for entry in entries)
            Variant.objects.filter(pk=variant_id).update(stock=F("stock") + units, updated_at=now)
            log_event_on_commit(STOCK, "waitlist.lapsed", variant_id=variant_id, holds=len(entries), units=units)
            lapsed += len(entries)
            if not waitlist_offer(variant_ids=[variant_id], now=now):
                pages_changed()
    return lapsed


def waitlist_holds_use(*, shopper: User, variant_ids: Iterable[int]) -> dict[int, int]:
    """Put the units held for ``shopper`` of ``variant_ids`` back in stock for their own order to take, in the
    order's transaction (the variants locked first, as every waitlist path does): {variant id: units}."""
    ids = sorted(set(variant_ids))
    variants_lock(ids=ids)
    entries = waitlist_entries_lock(shopper=shopper, variant_id__in=ids, status=WaitlistEntry.Status.HELD)
    for entry in entries:
        Variant.objects.filter(pk=entry.variant_id).update(stock=F("stock") + entry.quantity)
    WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(status=WaitlistEntry.Status.ORDERED)
    return {entry.variant_id: entry.quantity for entry in entries}


def waitlist_sweep(*, now: datetime | None = None) -> int:
    """Offer what is in stock of every size somebody waits for (stock that came back by a path that did not
    offer it at once: the admin, an import): the every-minute job's second half. Returns the holds made."""
    waited = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING, variant__stock__gt=0).values_list(
        "variant_id", flat=True
    )
    # One short transaction per size: a size's row is locked only while its own line is served.
    return sum(waitlist_offer(variant_ids=[variant_id], now=now) for variant_id in sorted(set(waited)))
