"""Livestream hosts, their sessions and the items featured at a flash price."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.images import PhotoField
from marketplace.models import TimeStampedModel, TranslatedContent, has_name_constraint


class Host(TimeStampedModel):
    """A livestream seller; staff set the commission rate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="host_profile", verbose_name=_("user")
    )
    display_name = models.CharField(_("display name"), max_length=100)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=5, decimal_places=4, default=0, help_text=_("0.0500 means 5%.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=1),
                name="host_commission_rate_range",
                violation_error_message=_("The commission rate is a share from 0 to 1: 0.0500 means 5%%."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class LiveSession(TranslatedContent, TimeStampedModel):
    """A broadcast; ``name_*`` is its title. Its page is the share link."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("host"))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    stream_url = models.URLField(_("stream link"), blank=True)
    cover = PhotoField(_("cover photo"), upload_to="live/", blank=True, renditions_field="cover_renditions")
    # The cover's WebP renditions (marketplace.images.stored_renditions); empty until made, None if they cannot be.
    cover_renditions = models.JSONField(
        _("cover's WebP renditions"), default=list, blank=True, null=True, editable=False
    )
    went_live_at = models.DateTimeField(_("went live at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            has_name_constraint("livesession"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="livesession_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="livesession_status_start_idx")]

    def get_absolute_url(self) -> str:
        return reverse("live-session-detail", kwargs={"slug": self.slug})

    def is_on_air(self, now: datetime | None = None) -> bool:
        """Live prices apply: the host went live and the scheduled end has not passed."""
        return self.status == self.Status.LIVE and self.ends_at > (now or timezone.now())

    @property
    def shown_status(self) -> str:
        """The status a visitor sees: a live session past its scheduled end reads as ended before it is written."""
        if self.status == self.Status.LIVE and not self.is_on_air():
            return self.Status.ENDED
        return self.status

    @property
    def shown_status_label(self) -> str:
        return self.Status(self.shown_status).label


class LiveSessionItem(models.Model):
    """A variant featured in a session at a flash price, with a cap and a per-shopper limit.

    The host proposes it; it sells at the flash price only once a member of the producer (or staff, for a
    producer who sells through a depot) has accepted it. Changing its price, cap or limit asks again.
    """

    class Consent(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the producer")
        ACCEPTED = "accepted", _("Accepted by the producer")
        DECLINED = "declined", _("Declined by the producer")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items", verbose_name=_("session"))
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.PROTECT, related_name="live_items", verbose_name=_("variant")
    )
    flash_price = models.DecimalField(_("flash price (CNY)"), max_digits=10, decimal_places=2)
    quantity_cap = models.PositiveIntegerField(_("quantity cap"))
    quantity_sold = models.PositiveIntegerField(_("quantity sold"), default=0)
    per_shopper_limit = models.PositiveIntegerField(_("limit per shopper"), default=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    consent = models.CharField(
        _("producer's consent"), max_length=10, choices=Consent.choices, default=Consent.PROPOSED
    )
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    consent_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("featured item")
        verbose_name_plural = _("featured items")
        constraints = [
            models.UniqueConstraint(fields=["session", "variant"], name="liveitem_unique_variant"),
            models.CheckConstraint(condition=models.Q(flash_price__gte=0), name="liveitem_price_not_negative"),
            models.CheckConstraint(condition=models.Q(quantity_cap__gt=0), name="liveitem_cap_positive"),
            models.CheckConstraint(
                condition=models.Q(quantity_sold__lte=models.F("quantity_cap")), name="liveitem_sold_within_cap"
            ),
            models.CheckConstraint(condition=models.Q(per_shopper_limit__gt=0), name="liveitem_limit_positive"),
            models.CheckConstraint(
                condition=models.Q(consent__in=["proposed", "accepted", "declined"]), name="liveitem_consent_known"
            ),
        ]
        indexes = [models.Index(fields=["consent", "session"], name="liveitem_consent_idx")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.variant_id} @ {self.flash_price}"

    @property
    def remaining(self) -> int:
        return self.quantity_cap - self.quantity_sold

    @property
    def is_accepted(self) -> bool:
        return self.consent == self.Consent.ACCEPTED


class CommissionEntry(models.Model):
    """One movement of a host's commission on one order line; entries are written, never edited.

    Each kind is a balance: an attributed order's lines go into *pending* when it is placed; when the order
    completes they move to *earned* (a negative pending entry and a positive earned one); cancellation or
    expiry moves pending to *reversed*, a refund moves earned to *reversed*. So every balance is the sum of
    its entries, and pending + earned + reversed is what the attributed lines were ever worth.
    """

    class Kind(models.TextChoices):
        PENDING = "pending", pgettext_lazy("commission", "Pending")
        EARNED = "earned", _("Earned")
        REVERSED = "reversed", _("Reversed")

    class Event(models.TextChoices):
        PLACED = "placed", _("Order placed")
        COMPLETED = "completed", _("Order completed")
        CANCELLED = "cancelled", _("Order cancelled")
        EXPIRED = "expired", _("Order expired unpaid")
        REFUNDED = "refunded", _("Order refunded")

    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="commission_entries", verbose_name=_("host"))
    session = models.ForeignKey(
        LiveSession, on_delete=models.PROTECT, related_name="commission_entries", verbose_name=_("live session")
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="commission_entries", verbose_name=_("order")
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="commission_entries", verbose_name=_("order line")
    )
    kind = models.CharField(_("balance"), max_length=10, choices=Kind.choices)
    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    # The line's total and the rate snapshotted on the order; amount = base × rate, half-up to the fen.
    base = models.DecimalField(_("line total"), max_digits=12, decimal_places=2)
    rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("commission entry")
        verbose_name_plural = _("commission entries")
        constraints = [
            # Each event moves a line's commission once: retries and races cannot count it twice.
            models.UniqueConstraint(fields=["order_line", "event", "kind"], name="commission_entry_once"),
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1), name="commission_entry_rate_range"),
        ]
        indexes = [
            models.Index(fields=["host", "created_at"], name="commission_host_time_idx"),
            models.Index(fields=["session", "kind"], name="commission_session_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
