"""Livestream hosts, their sessions and the items featured at a flash price."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
                condition=models.Q(commission_rate__gte=0, commission_rate__lte=1), name="host_commission_rate_range"
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


class LiveSessionItem(models.Model):
    """A variant featured in a session at a flash price, with a cap and a per-shopper limit."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="items", verbose_name=_("session"))
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.PROTECT, related_name="live_items", verbose_name=_("variant")
    )
    flash_price = models.DecimalField(_("flash price (CNY)"), max_digits=10, decimal_places=2)
    quantity_cap = models.PositiveIntegerField(_("quantity cap"))
    quantity_sold = models.PositiveIntegerField(_("quantity sold"), default=0)
    per_shopper_limit = models.PositiveIntegerField(_("limit per shopper"), default=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

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
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.variant_id} @ {self.flash_price}"

    @property
    def remaining(self) -> int:
        return self.quantity_cap - self.quantity_sold
