"""Geography (prefecture → county → village), depots, producers and their members."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.images import PhotoField
from marketplace.models import TimeStampedModel, TranslatedContent, has_name_constraint


class Prefecture(TranslatedContent):
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        constraints = [has_name_constraint("prefecture")]


class County(TranslatedContent):
    prefecture = models.ForeignKey(
        Prefecture, on_delete=models.PROTECT, related_name="counties", verbose_name=_("prefecture")
    )
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["prefecture__position", "slug"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [has_name_constraint("county")]


class Village(TranslatedContent):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="villages", verbose_name=_("county"))
    slug = models.SlugField(_("slug"), unique=True)
    photo = PhotoField(_("photo"), upload_to="villages/", blank=True, renditions_field="photo_renditions")
    # The photo's WebP renditions (marketplace.images.stored_renditions); empty until made, None if they cannot be.
    photo_renditions = models.JSONField(
        _("photo's WebP renditions"), default=list, blank=True, null=True, editable=False
    )
    is_featured = models.BooleanField(_("featured on the home page"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [has_name_constraint("village")]
        indexes = [models.Index(fields=["is_featured", "slug"], name="village_featured_idx")]


class Depot(TranslatedContent):
    """A collection point in a village or a county e-commerce park."""

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="depots", verbose_name=_("village"))
    slug = models.SlugField(_("slug"), unique=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_ug = models.CharField(_("address (Uyghur)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    daily_capacity = models.PositiveIntegerField(
        _("pickup orders a day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_(
            "How many pickup orders the depot can hand over in a day; when a day is full, checkout offers the "
            "next. Empty: no limit."
        ),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_depots", blank=True, verbose_name=_("managers")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("depot")
        verbose_name_plural = _("depots")
        constraints = [has_name_constraint("depot")]

    @property
    def address(self) -> str:
        """The address in the active language, else in Chinese (which every depot has)."""
        return self.translated("address")


class Producer(TranslatedContent, TimeStampedModel):
    """A household, cooperative or workshop that sells on the marketplace.

    ``name_*`` is the producer's name; ``description_*`` is its story.
    """

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        COOPERATIVE = "cooperative", _("Cooperative")
        WORKSHOP = "workshop", _("Workshop")

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOUSEHOLD)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="producers", verbose_name=_("village"))
    photo = PhotoField(_("photo"), upload_to="producers/", blank=True, renditions_field="photo_renditions")
    # The photo's WebP renditions (marketplace.images.stored_renditions); empty until made, None if they cannot be.
    photo_renditions = models.JSONField(
        _("photo's WebP renditions"), default=list, blank=True, null=True, editable=False
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # Staff turned the application down (services.producer_reject); the reason was sent to the applicant.
    rejected_at = models.DateTimeField(_("application rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Staff-only: never shown on public pages or in the public API.
    is_low_income_household = models.BooleanField(_("registered low-income household"), default=False)
    # A household without a smartphone sells through its village depot: the depot's managers may act for it.
    sells_through_depot = models.BooleanField(
        _("sells through the village depot"),
        default=False,
        help_text=_("No smartphone: the managers of a depot in its village list and fulfil for it."),
    )
    default_depot = models.ForeignKey(
        Depot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("default depot"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProducerMembership",
        related_name="producers",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            has_name_constraint("producer"),
            models.CheckConstraint(
                condition=models.Q(is_verified=False) | models.Q(verified_at__isnull=False),
                name="producer_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["is_verified", "village"], name="producer_verified_village_idx")]


class ProducerMembership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("producer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OWNER)

    class Meta:
        ordering = ["producer", "user"]
        verbose_name = _("producer member")
        verbose_name_plural = _("producer members")
        constraints = [models.UniqueConstraint(fields=["producer", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.producer} ({self.get_role_display()})"


class ProducerActivity(models.Model):
    """What was done in a producer's back office, by whom, and whether for the producer by a depot manager.

    ``subject`` is the name of what was changed as it was then (a product, a parcel's order number); the
    action is a code, shown in the reader's language.
    """

    class Action(models.TextChoices):
        PRODUCT_CREATED = "product_created", _("created a product")
        PRODUCT_UPDATED = "product_updated", _("edited a product")
        PRODUCT_PUBLISHED = "product_published", _("published a product")
        PRODUCT_ARCHIVED = "product_archived", _("archived a product")
        PRODUCT_DELETED = "product_deleted", _("deleted a product")
        VARIANT_CREATED = "variant_created", _("added a variant")
        VARIANT_UPDATED = "variant_updated", _("changed a variant's price or stock")
        PHOTO_ADDED = "photo_added", _("added a photo")
        PHOTO_UPDATED = "photo_updated", _("changed a photo")
        PHOTO_REMOVED = "photo_removed", _("removed a photo")
        PARCEL_PACKED = "parcel_packed", _("packed a parcel")
        PARCEL_SHIPPED = "parcel_shipped", _("shipped a parcel")
        PARCEL_DELIVERED = "parcel_delivered", _("marked a parcel delivered")
        PRESALE_OPENED = "presale_opened", _("opened a pre-sale")
        HARVEST_ENTERED = "harvest_entered", _("entered a pre-sale's harvest")
        LIVE_ITEM_ACCEPTED = "live_item_accepted", _("agreed to be featured in a live session")
        LIVE_ITEM_DECLINED = "live_item_declined", _("declined to be featured in a live session")
        PRODUCER_VERIFIED = "producer_verified", _("verified the producer")
        PRODUCER_UNVERIFIED = "producer_unverified", _("withdrew the producer's verification")

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="activities", verbose_name=_("producer")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    on_behalf = models.BooleanField(_("for the producer by a depot manager"), default=False)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("producer activity")
        verbose_name_plural = _("producer activity")
        indexes = [models.Index(fields=["producer", "-created_at"], name="activity_producer_time_idx")]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.subject}"


class CourierReach(models.Model):
    """How many days the couriers that producers of a county ship with take to reach a province: checkout
    delivers a perishable size only where they arrive within its shelf life. Staff keep the table in the admin."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="courier_reach", verbose_name=_("county"))
    province = models.CharField(
        _("province"),
        max_length=50,
        help_text=_("As shoppers write it in their address, e.g. 新疆 or 北京; the start of their province matches."),
    )
    days = models.PositiveSmallIntegerField(
        _("days on the way"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )

    class Meta:
        ordering = ["county", "days", "province"]
        verbose_name = _("courier reach")
        verbose_name_plural = _("courier reach")
        constraints = [
            models.UniqueConstraint(fields=["county", "province"], name="courierreach_once_per_province"),
            models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=30), name="courierreach_days_in_range"),
            models.CheckConstraint(condition=~models.Q(province=""), name="courierreach_has_province"),
        ]

    def __str__(self) -> str:
        return f"{self.county} → {self.province}: {self.days}"

    def reaches(self, province: str) -> bool:
        """Whether a shopper's province (as typed in an address) is this row's."""
        return " ".join(province.split()).casefold().startswith(self.province.strip().casefold())


class DepotDay(models.Model):
    """How many pickup orders are to be collected at a depot on a day: checkout claims a place here, the first
    day not full, and an order cancelled or expired gives its place back."""

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="days", verbose_name=_("depot"))
    day = models.DateField(_("day"))
    orders = models.PositiveIntegerField(_("pickup orders"), default=0)

    class Meta:
        ordering = ["depot", "day"]
        verbose_name = _("depot day")
        verbose_name_plural = _("depot days")
        constraints = [models.UniqueConstraint(fields=["depot", "day"], name="depotday_once_per_day")]

    def __str__(self) -> str:
        return f"{self.depot_id} {self.day:%Y-%m-%d}: {self.orders}"
