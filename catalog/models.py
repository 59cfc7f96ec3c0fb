"""Categories, products, the variants shoppers buy, their images and reviews."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from marketplace.images import THUMBNAIL_SIZE, PhotoField
from marketplace.models import TimeStampedModel, TranslatedContent, has_name_constraint
from marketplace.privacy import masked_display_name
from marketplace.validators import MAX_PRICE, validate_price_above_zero
from producers.models import Producer

MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]
MAX_SHELF_LIFE_DAYS = 60
# Units one shopper may wait for of one size.
WAITLIST_MAX_QUANTITY = 5


class Category(TranslatedContent):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [has_name_constraint("category")]


class Concept(models.Model):
    """A kind of produce as shoppers name it in every language and script: grape · 葡萄 · ئۈزۈم · uzum · putao.

    Staff keep the vocabulary; producers tag their products with concepts. A search for any of a concept's
    names or terms finds the products tagged with it and the products whose names hold its other terms, so a
    listing written in Uyghur only is found by 葡萄.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_ug = models.CharField(_("name (Uyghur)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    terms = models.TextField(
        _("other words shoppers type"),
        blank=True,
        help_text=_(
            "One per line or separated by commas: synonyms, plurals, pinyin, Uyghur Latin script (üzüm, uzum, "
            "putao, grapes)."
        ),
    )
    # A narrower concept is found by its broader one's words: "grape" also finds raisins.
    broader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narrower",
        verbose_name=_("broader concept"),
        help_text=_("Searching for the broader concept also finds products of this one (grape → raisin)."),
    )
    is_active = models.BooleanField(_("used in search"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("search concept")
        verbose_name_plural = _("search concepts")
        constraints = [
            models.CheckConstraint(condition=~models.Q(broader=models.F("pk")), name="concept_not_its_own_broader")
        ]

    translated = TranslatedContent.translated

    def __str__(self) -> str:
        return self.name or self.slug

    @property
    def name(self) -> str:
        return self.translated("name")

    def all_terms(self) -> list[str]:
        """Its names and terms, each once, in the order written."""
        extra = [term.strip() for line in self.terms.splitlines() for term in line.split(",")]
        return list(dict.fromkeys(t for t in (self.name_zh, self.name_ug, self.name_en, *extra) if t))


class SearchWord(models.Model):
    """A Latin-script word of some product's name (English, pinyin, Uyghur Latin) or a concept's term: what a
    mistyped query word is corrected towards. Only ever added to; a word no product holds any more finds
    nothing."""

    word = models.CharField(_("word"), max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="searchword_word_trgm")]

    def __str__(self) -> str:
        return self.word


class ProductQuerySet(models.QuerySet):
    def active(self) -> ProductQuerySet:
        """Products a shopper may see: active, from a verified producer."""
        return self.filter(status=Product.Status.ACTIVE, producer__is_verified=True)

    def in_season(self, month: int) -> ProductQuerySet:
        """Harvest window contains ``month``; a window may wrap past December."""
        return self.filter(harvest_contains(month))


def harvest_contains(month: int) -> models.Q:
    """A harvest window (``harvest_start_month`` to ``harvest_end_month``) that contains ``month``; a window may
    wrap past December."""
    plain = models.Q(harvest_start_month__lte=models.F("harvest_end_month")) & models.Q(
        harvest_start_month__lte=month, harvest_end_month__gte=month
    )
    wrapped = models.Q(harvest_start_month__gt=models.F("harvest_end_month")) & (
        models.Q(harvest_start_month__lte=month) | models.Q(harvest_end_month__gte=month)
    )
    return plain | wrapped


class Product(TranslatedContent, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_perishable = models.BooleanField(_("perishable (cold chain)"), default=False)
    harvest_start_month = models.PositiveSmallIntegerField(
        _("harvest starts (month)"), validators=MONTH_VALIDATORS, default=1
    )
    harvest_end_month = models.PositiveSmallIntegerField(
        _("harvest ends (month)"), validators=MONTH_VALIDATORS, default=12
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    concepts = models.ManyToManyField(
        Concept,
        blank=True,
        related_name="products",
        verbose_name=_("search concepts"),
        help_text=_("What the product is, so that shoppers find it in every language."),
    )
    # The lowest price of the variants on sale, kept by the services that write variants: sorting and
    # filtering by price read an index, not every product's variants.
    lowest_price = models.DecimalField(_("lowest price"), max_digits=10, decimal_places=2, null=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            has_name_constraint("product"),
            models.CheckConstraint(
                condition=models.Q(harvest_start_month__gte=1, harvest_start_month__lte=12)
                & models.Q(harvest_end_month__gte=1, harvest_end_month__lte=12),
                name="product_harvest_months_valid",
            ),
            # Listings and the API's cursor order by published_at: an active product always has one.
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(published_at__isnull=False),
                name="product_active_has_published_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"], name="product_status_category_idx"),
            models.Index(fields=["producer", "status"], name="product_producer_status_idx"),
            models.Index(fields=["status", "-created_at"], name="product_status_newest_idx"),
            # The "newest" order of the storefront and the API: a page reads its rows of this index, not the
            # catalogue. Every active product has a publication time, so NULLs need no place in the order.
            models.Index(
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="product_active_published_idx",
                condition=models.Q(status="active"),
            ),
            models.Index(fields=["harvest_start_month", "harvest_end_month"], name="product_harvest_idx"),
            # Sorting by price, lowest and highest first, with and without a search.
            models.Index(
                models.F("lowest_price"),
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="product_active_price_idx",
                condition=models.Q(status="active"),
            ),
            models.Index(
                models.F("lowest_price").desc(nulls_last=True),
                models.F("published_at").desc(),
                models.F("id").desc(),
                name="product_active_price_desc_idx",
                condition=models.Q(status="active"),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("product-detail", kwargs={"slug": self.slug})

    @property
    def harvest_start_label(self) -> str:
        return MONTHS[self.harvest_start_month]

    @property
    def harvest_end_label(self) -> str:
        return MONTHS[self.harvest_end_month]

    def is_in_season(self, month: int) -> bool:
        start, end = self.harvest_start_month, self.harvest_end_month
        if start <= end:
            return start <= month <= end
        return month >= start or month <= end


class ProductSearch(models.Model):
    """What a search reads of a product, in a narrow row of its own.

    A common word matches thousands of products, and each match's row is read to rank it: product rows, with
    three descriptions each, would not stay in memory at 100,000 products; these do. ``words`` holds the
    product's names' search words, its concepts' tokens and its exact names (``catalog/search_text.py``),
    ``description_words`` the opening of its descriptions; the other columns copy the product's, for the
    filters and orders a search takes. Written only by ``services.product_search_refresh`` (everything) and
    ``services.product_search_columns_refresh`` (the copies), which every service that changes them calls.
    """

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="search_row", verbose_name=_("product")
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("producer")
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("category")
    )
    is_active = models.BooleanField(_("on sale"))
    published_at = models.DateTimeField(_("published at"), null=True)
    lowest_price = models.DecimalField(_("lowest price"), max_digits=10, decimal_places=2, null=True)
    harvest_start_month = models.PositiveSmallIntegerField(_("harvest starts (month)"))
    harvest_end_month = models.PositiveSmallIntegerField(_("harvest ends (month)"))
    # Units sold (all variants) as of the last refresh: it orders equally relevant results without summing
    # every match's variants. Refreshed with the row and every few minutes (services.product_popularity_refresh).
    popularity = models.IntegerField(_("units sold"), default=0)
    words = SearchVectorField(_("search words"))
    description_words = SearchVectorField(_("search words of the description"))

    class Meta:
        verbose_name = _("product search row")
        verbose_name_plural = _("product search rows")
        # Without a pending list (fastupdate): every search would read it through; products change seldom.
        indexes = [
            GinIndex(fields=["words"], name="productsearch_words_idx", fastupdate=False),
            GinIndex(fields=["description_words"], name="productsearch_description_idx", fastupdate=False),
            models.Index(fields=["producer"], name="productsearch_producer_idx"),
            # A search's matches by price, and a common word's or a place's in the order a search lists them:
            # read until the results are full.
            models.Index(
                models.F("lowest_price").asc(nulls_last=True),
                models.F("published_at").desc(),
                models.F("product_id").desc(),
                name="productsearch_price_idx",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                models.F("lowest_price").desc(nulls_last=True),
                models.F("published_at").desc(),
                models.F("product_id").desc(),
                name="productsearch_price_desc_idx",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                models.F("popularity").desc(),
                models.F("published_at").desc(),
                models.F("product_id").desc(),
                name="productsearch_popular_idx",
                condition=models.Q(is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"search row of product {self.product_id}"


def variant_on_sale(prefix: str = "") -> models.Q:
    """The variants a shopper may buy: on sale, of an active product, of a verified producer.

    ``prefix`` reaches a variant through a relation, e.g. ``"variant__"`` from a live item.
    """
    return models.Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}product__status": Product.Status.ACTIVE,
            f"{prefix}product__producer__is_verified": True,
        }
    )


# Pages say "sold out", "only n left" up to this many units, and "in stock" above it.
LOW_STOCK_SHOWN = 5


def stock_band(stock: int) -> int:
    """What pages show of a stock count: 0 (sold out), 1 to LOW_STOCK_SHOWN exactly, or one band for more."""
    return min(stock, LOW_STOCK_SHOWN + 1)


class Variant(TimeStampedModel):
    """The thing a shopper buys: "2.5 kg box", with its own SKU, price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product"))
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_ug = models.CharField(_("name (Uyghur)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    # More than 0 (nothing goes on sale for free) and at most MAX_PRICE, so that no order of them overflows
    # the order totals' columns.
    price = models.DecimalField(
        _("price (CNY)"),
        max_digits=10,
        decimal_places=2,
        validators=[validate_price_above_zero, MaxValueValidator(MAX_PRICE)],
    )
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), default=0)
    # Days a perishable size keeps from the day it ships: checkout delivers it only where the courier arrives in
    # time (``producers.CourierReach``). Empty: no limit is known, and delivery is not restricted.
    shelf_life_days = models.PositiveSmallIntegerField(
        _("shelf life (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SHELF_LIFE_DAYS)],
    )
    stock = models.IntegerField(_("stock"), default=0)
    # Units in orders that hold them (placed and not cancelled or expired): ``catalog/stock.py`` adds and takes
    # them back in the very statements that take and give back stock, on the row those already lock.
    units_sold = models.IntegerField(_("units sold"), default=0, db_default=0, editable=False)
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="variant_price_above_zero"),
            models.CheckConstraint(condition=models.Q(price__lte=MAX_PRICE), name="variant_price_at_most_max"),
            models.CheckConstraint(
                condition=models.Q(shelf_life_days__isnull=True)
                | models.Q(shelf_life_days__gte=1, shelf_life_days__lte=MAX_SHELF_LIFE_DAYS),
                name="variant_shelf_life_in_range",
            ),
            has_name_constraint("variant"),
        ]
        indexes = [models.Index(fields=["product", "price"], name="variant_product_price_idx")]

    translated = TranslatedContent.translated

    @property
    def name(self) -> str:
        return self.translated("name")

    def __str__(self) -> str:
        return f"{self.sku} · {self.name}"

    @property
    def label(self) -> str:
        """How messages and pages name it to shoppers: "Seedless grapes · 2.5 kg box" (needs its product)."""
        return f"{self.product.name} · {self.name}"

    @property
    def few_left(self) -> bool:
        """Pages say "only n left" (1 to ``LOW_STOCK_SHOWN`` units)."""
        return 0 < self.stock <= LOW_STOCK_SHOWN

    @property
    def is_on_sale(self) -> bool:
        """The same rule as ``variant_on_sale``, for a variant loaded with its product and producer."""
        return self.is_active and self.product.status == Product.Status.ACTIVE and self.product.producer.is_verified


class ReadyImageManager(models.Manager):
    """Photos ready to show: the default, so every listing, prefetch and related ``product.images`` shows
    only those, and a photo still being processed (which has no file yet) or one that failed never reaches
    a page. ``ProductImage.all_objects`` holds every photo, for the owner's back office and the services."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(status=ProductImage.Status.READY)


class ProductImage(TimeStampedModel):
    """A product photo; ``image`` holds the re-encoded file, never the upload as is.

    An upload becomes a photo being processed (``PROCESSING``, its bytes kept apart in a
    ``ProductImageUpload``); the worker decodes it and writes the photo, its thumbnail and its WebP
    ``renditions`` (``READY``), or records why it could not (``FAILED``, with ``failure``).
    """

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        UNREADABLE = "unreadable", _("The file could not be read as a photo")
        TOO_LARGE = "too_large", _("The photo is too large to process")
        INTERRUPTED = "interrupted", _("Processing was interrupted too many times")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product"))
    image = PhotoField(_("image"), upload_to="products/", width_field="width", height_field="height", blank=True)
    thumbnail = PhotoField(_("thumbnail"), upload_to="products/thumbs/", blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    # The WebP renditions beside the JPEG, narrowest first: [{"width": 240, "height": 180, "name": "products/…"}].
    # Empty for a photo stored before they were made, None for one whose file could not be read to make them:
    # pages show the JPEG alone, and the sweep makes the missing ones.
    renditions = models.JSONField(_("WebP renditions"), default=list, blank=True, null=True, editable=False)
    alt_text = models.CharField(_("alt text"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    failure = models.CharField(_("why it failed"), max_length=20, choices=Failure.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # Times the worker started on it: a photo that stops the worker again and again is given up.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = ReadyImageManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        indexes = [
            models.Index(fields=["product", "position"], name="productimage_order_idx"),
            # Each user's uploads in flight, and the sweep of those the worker never finished.
            models.Index(
                fields=["uploaded_by"],
                condition=models.Q(status="processing"),
                name="productimage_processing_idx",
            ),
            # The ready photos still without WebP renditions, which the sweep makes.
            models.Index(
                fields=["id"],
                condition=models.Q(status="ready", renditions=[]),
                name="productimage_no_renditions_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(image=""), name="productimage_ready_has_file"
            ),
            models.CheckConstraint(
                condition=models.Q(status="failed") | models.Q(failure=""), name="productimage_failure_if_failed"
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or self.image.name or f"#{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def webp_srcset(self) -> str:
        """The ``srcset`` of the photo's WebP renditions ("url 240w, url 480w, …"); empty when it has none."""
        storage = self.image.storage
        return ", ".join(f"{storage.url(item['name'])} {item['width']}w" for item in self.renditions or ())

    @property
    def rendition_names(self) -> list[str]:
        return [item["name"] for item in self.renditions or ()]

    @property
    def thumbnail_width(self) -> int:
        return self._thumbnail_size[0]

    @property
    def thumbnail_height(self) -> int:
        return self._thumbnail_size[1]

    @property
    def _thumbnail_size(self) -> tuple[int, int]:
        """The thumbnail's size as ``images.py`` makes it: fitted into THUMBNAIL_SIZE, never enlarged."""
        if not self.width or not self.height:
            return THUMBNAIL_SIZE
        scale = min(THUMBNAIL_SIZE[0] / self.width, THUMBNAIL_SIZE[1] / self.height, 1)
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))


class ProductImageUpload(models.Model):
    """The bytes of an upload waiting for the worker, deleted once its photo is ready or failed.

    Kept in the database, never in the media storage: nothing serves them, every web and worker process
    reaches them, and they go with their photo when it is removed.
    """

    image = models.OneToOneField(
        ProductImage, on_delete=models.CASCADE, primary_key=True, related_name="upload", verbose_name=_("photo")
    )
    data = models.BinaryField(_("uploaded bytes"))

    class Meta:
        verbose_name = _("photo upload")
        verbose_name_plural = _("photo uploads")

    def __str__(self) -> str:
        return f"upload of photo {self.image_id}"


class Review(TimeStampedModel):
    """A buyer's review of a product they received."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("product"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("author")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    body = models.TextField(_("review"), blank=True)
    # One optional photo, re-encoded like every photo, with a thumbnail the page shows at its own size.
    photo = PhotoField(_("photo"), upload_to="reviews/", blank=True)
    photo_thumbnail = PhotoField(
        _("photo thumbnail"),
        upload_to="reviews/thumbs/",
        width_field="photo_width",
        height_field="photo_height",
        blank=True,
    )
    photo_width = models.PositiveIntegerField(_("thumbnail width"), default=0)
    photo_height = models.PositiveIntegerField(_("thumbnail height"), default=0)
    is_visible = models.BooleanField(_("visible"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="review_one_per_buyer"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product_id}"

    @property
    def author_name(self) -> str:
        """The author as others see them, masked ("王*", "A***"); needs the author loaded."""
        return masked_display_name(self.author)


class HarvestLot(models.Model):
    """A producer's harvest of one product from one plot on one day: what a shopper traces a box back to.

    Stock is received into a lot (``LotReceipt``); a parcel records the receipts it was packed from
    (``orders.ParcelLot``), and its packing slip's QR code opens a public page with the lots' village,
    producer, pick date and grade.
    """

    class Grade(models.TextChoices):
        SPECIAL = "special", _("Special grade")
        FIRST = "first", _("Grade one")
        SECOND = "second", _("Grade two")

    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="harvest_lots", verbose_name=_("producer")
    )
    product = models.ForeignKey(
        "Product", on_delete=models.PROTECT, related_name="harvest_lots", verbose_name=_("product")
    )
    plot = models.CharField(_("plot or orchard"), max_length=120)
    picked_on = models.DateField(_("pick date"))
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    test_result = models.CharField(_("test result"), max_length=200, blank=True)
    # The harvest as the producer photographed it, shown on the trace page; re-encoded as every photo is.
    photo = PhotoField(_("photo"), upload_to="lots/", blank=True)
    photo_thumbnail = PhotoField(_("photo thumbnail"), upload_to="lots/thumbs/", blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-picked_on", "-id"]
        verbose_name = _("harvest lot")
        verbose_name_plural = _("harvest lots")
        indexes = [models.Index(fields=["producer", "-picked_on", "-id"], name="harvestlot_producer_idx")]

    def __str__(self) -> str:
        return f"{self.plot} · {self.picked_on:%Y-%m-%d}"


class LotReceipt(models.Model):
    """Units of a variant received into stock from a harvest lot, and how many of them parcels have taken."""

    lot = models.ForeignKey(HarvestLot, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("lot"))
    variant = models.ForeignKey(
        Variant, on_delete=models.PROTECT, related_name="lot_receipts", verbose_name=_("variant")
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    packed = models.PositiveIntegerField(_("packed"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("lot receipt")
        verbose_name_plural = _("lot receipts")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="lotreceipt_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(packed__lte=models.F("quantity")), name="lotreceipt_packed_within_quantity"
            ),
        ]
        indexes = [models.Index(fields=["variant", "id"], name="lotreceipt_variant_idx")]

    def __str__(self) -> str:
        return f"{self.lot} · {self.quantity}"

    @property
    def remaining(self) -> int:
        return self.quantity - self.packed


class PreSale(models.Model):
    """A size sold before it is picked: up to the expected quantity, shipped once the harvest is in.

    While it is open the size's stock is what is left of the expected quantity, and each order of it is an
    order of its own, paid online (``orders.checkout``). When the harvest is in, the producer enters what was
    picked: the orders are filled in the order they were placed, and those the harvest does not cover are
    cancelled and refunded (``orders.services.presale_harvest``). At most one pre-sale of a size is open.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HARVESTED = "harvested", _("Harvest entered")

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="pre_sales", verbose_name=_("variant"))
    expected_quantity = models.PositiveIntegerField(_("expected quantity"), validators=[MinValueValidator(1)])
    harvest_from = models.DateField(_("harvest from"))
    harvest_until = models.DateField(_("harvest until"))
    ship_by = models.DateField(_("ship by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    harvested_quantity = models.PositiveIntegerField(_("harvested quantity"), null=True, blank=True)
    orders_filled = models.PositiveIntegerField(_("orders filled"), default=0)
    orders_cut = models.PositiveIntegerField(_("orders cancelled for a short harvest"), default=0)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    harvested_at = models.DateTimeField(_("harvest entered at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("pre-sale")
        verbose_name_plural = _("pre-sales")
        constraints = [
            models.UniqueConstraint(
                fields=["variant"], condition=models.Q(status="open"), name="presale_one_open_per_variant"
            ),
            models.CheckConstraint(condition=models.Q(expected_quantity__gte=1), name="presale_expected_positive"),
            models.CheckConstraint(
                condition=models.Q(harvest_until__gte=models.F("harvest_from"))
                & models.Q(ship_by__gte=models.F("harvest_from")),
                name="presale_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", harvested_quantity__isnull=True)
                | models.Q(status="harvested", harvested_quantity__isnull=False),
                name="presale_harvest_entered_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} · {self.harvest_from:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class WaitlistEntry(models.Model):
    """A signed-in shopper waiting for a sold-out size to come back.

    When stock returns (a restock, an order cancelled or expired) the units are held for the waiting shoppers in
    the order they joined, each told at once: the shopper's own checkout may use them until ``held_until``, and
    nobody else's. A hold not used by then lapses and its units pass to the next in line
    (``catalog.services.waitlist_offer``, ``waitlist_holds_lapse``).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        HELD = "held", _("Held for the shopper")
        ORDERED = "ordered", _("Ordered")
        LAPSED = "lapsed", _("Hold lapsed")
        LEFT = "left", _("Left the waitlist")

    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="waitlist_entries", verbose_name=_("variant")
    )
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("shopper"),
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(WAITLIST_MAX_QUANTITY)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    # The language the shopper joined in: the text message and the email are worded in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "shopper"],
                condition=models.Q(status__in=["waiting", "held"]),
                name="waitlist_once_per_shopper",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=WAITLIST_MAX_QUANTITY),
                name="waitlist_quantity_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(held_until__isnull=False),
                name="waitlist_held_until_set",
            ),
        ]
        indexes = [
            models.Index(fields=["variant", "status", "joined_at", "id"], name="waitlist_line_idx"),
            models.Index(fields=["status", "held_until"], name="waitlist_holds_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} · {self.shopper_id} · {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.HELD)
