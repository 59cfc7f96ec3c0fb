"""Shapes of the live endpoints: the public sessions, the host's sessions, items and commission, and the
producer's proposals. Titles and product names come in the request's language; input serializers validate
shapes and types, and ``live.services`` applies the rules."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from live import services
from live.models import LiveSession, LiveSessionItem
from live.pricing import unit_price
from marketplace.api.fields import PriceField, StringOnly, TextField, WholeNumberField
from marketplace.api.serializers import NamedSerializer

# The largest id PostgreSQL's bigint holds: a bigger number is a malformed id, not an unknown one.
MAX_ID = 2**63 - 1

# Cancelled sessions are never shown, so their status never appears.
SHOWN_STATUSES = [
    (value, label) for value, label in LiveSession.Status.choices if value != LiveSession.Status.CANCELLED
]


class LiveSessionSerializer(serializers.Serializer):
    """A session and its share link (the storefront page to send viewers to); ``name`` is its title,
    ``host`` the host's display name, ``featured_count`` the featured items on sale."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    host = serializers.CharField(source="host.display_name")
    status = serializers.ChoiceField(
        source="shown_status",
        choices=SHOWN_STATUSES,
        help_text=_("A live session past its scheduled end reads as `ended`."),
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    stream_url = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField()
    featured_count = serializers.IntegerField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_stream_url(self, session: LiveSession) -> str | None:
        return session.stream_url or None

    @extend_schema_field(serializers.URLField())
    def get_share_url(self, session: LiveSession) -> str:
        return self.context["request"].build_absolute_uri(session.get_absolute_url())


class LiveSessionItemSerializer(serializers.Serializer):
    """A featured variant: ``flash_price`` applies during the session, ``price`` is the regular one.

    ``remaining`` is what a shopper can still buy at the flash price (the cap less what is sold, and no more than
    ``stock``); ``per_shopper_limit`` caps what one shopper buys at that price."""

    variant = serializers.IntegerField(source="variant_id")
    sku = serializers.CharField(source="variant.sku")
    product_slug = serializers.SlugField(source="variant.product.slug")
    product_name = serializers.CharField(source="variant.product.name")
    variant_name = serializers.CharField(source="variant.name")
    price = serializers.DecimalField(source="variant.price", max_digits=10, decimal_places=2)
    flash_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit_price = serializers.SerializerMethodField()
    quantity_cap = serializers.IntegerField()
    remaining = serializers.IntegerField(source="available")
    stock = serializers.IntegerField(source="variant.stock")
    per_shopper_limit = serializers.IntegerField()

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=10,
            decimal_places=2,
            help_text=_(
                "What one unit costs now: the flash price while the session is on air and units are left at it, "
                "else the regular price."
            ),
        )
    )
    def get_unit_price(self, item: LiveSessionItem) -> str:
        live_item = item if item.session.is_on_air() else None
        return f"{unit_price(variant=item.variant, live_item=live_item).amount:.2f}"


class LiveSessionDetailSerializer(LiveSessionSerializer):
    featured_count = serializers.SerializerMethodField()
    items = LiveSessionItemSerializer(source="featured", many=True)

    def get_featured_count(self, session: LiveSession) -> int:
        return len(session.featured)


# The host's sessions and items, the producer's proposals


def _absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


class HostSessionSerializer(serializers.Serializer):
    """One of the host's sessions, every language of its title and description, and its featured items counted.

    ``status`` is what shoppers see: a live session past its scheduled end reads as ``ended``."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    name_zh = serializers.CharField()
    name_ug = serializers.CharField()
    name_en = serializers.CharField()
    description_zh = serializers.CharField()
    description_ug = serializers.CharField()
    description_en = serializers.CharField()
    status = serializers.ChoiceField(source="shown_status", choices=LiveSession.Status.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    went_live_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    stream_url = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField()
    item_count = serializers.IntegerField(help_text=_("Featured items, whatever the producers answered."))
    proposed_count = serializers.IntegerField(help_text=_("Featured items still waiting for the producer's answer."))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_stream_url(self, session: LiveSession) -> str | None:
        return session.stream_url or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover(self, session: LiveSession) -> str | None:
        return _absolute(self.context, session.cover.url) if session.cover else None

    @extend_schema_field(serializers.URLField())
    def get_share_url(self, session: LiveSession) -> str:
        return _absolute(self.context, session.get_absolute_url())


class LinkField(StringOnly, serializers.URLField):
    pass


class SessionTimeField(serializers.DateTimeField):
    """A date and time from 2000 to 2099: room for any broadcast, and always a time every client reads back
    (before 1901 the region's clock was seven minutes and 43 seconds off the hour, an offset RFC 3339 cannot
    write)."""

    earliest = datetime(2000, 1, 1, tzinfo=UTC)
    latest = datetime(2100, 1, 1, tzinfo=UTC)
    default_error_messages = {"out_of_range": _("Enter a time from the year 2000 to 2099.")}

    def to_internal_value(self, value: object) -> datetime:
        moment = super().to_internal_value(value)
        if not self.earliest <= moment < self.latest:
            self.fail("out_of_range")
        return moment


def _title_field() -> serializers.CharField:
    return TextField(max_length=200, allow_blank=True, required=False)


def _session_description_field() -> serializers.CharField:
    return TextField(max_length=5000, allow_blank=True, required=False)


class HostSessionWriteSerializer(serializers.Serializer):
    """A session's titles, descriptions, times and stream link (each optional in a PATCH).

    A title in at least one language is needed; the end must come after the start and lie in the future."""

    name_zh = _title_field()
    name_ug = _title_field()
    name_en = _title_field()
    description_zh = _session_description_field()
    description_ug = _session_description_field()
    description_en = _session_description_field()
    starts_at = SessionTimeField(help_text=_("With its offset, e.g. 2025-07-20T20:00:00+08:00; years 2000 to 2099."))
    ends_at = SessionTimeField(help_text=_("After the start, and in the future."))
    stream_url = LinkField(
        max_length=200, allow_blank=True, required=False, help_text=_("Where viewers watch, starting with https://.")
    )


class SessionCoverUploadSerializer(serializers.Serializer):
    cover = serializers.FileField(help_text=_("A JPEG, PNG or WebP photo, at most 10 MB and 40 megapixels."))


class HostItemSerializer(serializers.Serializer):
    """A featured item as its host manages it: the terms, what sold, and the producer's answer.

    It sells at ``flash_price`` only while ``consent`` is ``accepted``; a lower price or a larger cap asks again."""

    id = serializers.IntegerField()
    variant = serializers.IntegerField(source="variant_id")
    sku = serializers.CharField(source="variant.sku")
    product_slug = serializers.SlugField(source="variant.product.slug")
    product_name = serializers.CharField(source="variant.product.name")
    variant_name = serializers.CharField(source="variant.name")
    producer = NamedSerializer(source="variant.product.producer")
    price = serializers.DecimalField(
        source="variant.price", max_digits=10, decimal_places=2, help_text=_("The normal price.")
    )
    flash_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity_cap = serializers.IntegerField()
    quantity_sold = serializers.IntegerField()
    remaining = serializers.IntegerField(help_text=_("The cap less what sold at the flash price."))
    stock = serializers.IntegerField(source="variant.stock")
    per_shopper_limit = serializers.IntegerField()
    position = serializers.IntegerField()
    consent = serializers.ChoiceField(choices=LiveSessionItem.Consent.choices)
    consent_at = serializers.DateTimeField(allow_null=True, help_text=_("When the producer answered."))


def _flash_price_field(**kwargs) -> PriceField:
    return PriceField(help_text=_("Below the normal price, to the fen."), **kwargs)


def _cap_field(**kwargs) -> WholeNumberField:
    return WholeNumberField(min_value=1, max_value=services.MAX_QUANTITY_CAP, **kwargs)


def _limit_field(**kwargs) -> WholeNumberField:
    return WholeNumberField(
        min_value=1,
        max_value=services.MAX_PER_SHOPPER_LIMIT,
        help_text=_("Units one shopper may buy at the flash price; no more than the cap."),
        **kwargs,
    )


class HostItemCreateSerializer(serializers.Serializer):
    variant = WholeNumberField(
        min_value=1, max_value=MAX_ID, help_text=_("A variant on sale, of an active product of a verified producer.")
    )
    flash_price = _flash_price_field()
    quantity_cap = _cap_field()
    per_shopper_limit = _limit_field()


class HostItemUpdateSerializer(serializers.Serializer):
    flash_price = _flash_price_field(required=False)
    quantity_cap = _cap_field(required=False)
    per_shopper_limit = _limit_field(required=False)


class CommissionBalancesSerializer(serializers.Serializer):
    """Commission in yuan per balance: ``pending`` until the order completes, then ``earned``; ``reversed`` when
    an order is cancelled, expires unpaid or is refunded."""

    pending = serializers.DecimalField(max_digits=12, decimal_places=2)
    earned = serializers.DecimalField(max_digits=12, decimal_places=2)
    reversed = serializers.DecimalField(max_digits=12, decimal_places=2)


class ItemFiguresSerializer(serializers.Serializer):
    """What an item sold at its flash price in orders that still hold their goods."""

    item = serializers.IntegerField(source="item.id")
    variant = serializers.IntegerField(source="item.variant_id")
    sku = serializers.CharField(source="item.variant.sku")
    product_name = serializers.CharField(source="item.variant.product.name")
    variant_name = serializers.CharField(source="item.variant.name")
    flash_price = serializers.DecimalField(source="item.flash_price", max_digits=10, decimal_places=2)
    quantity_cap = serializers.IntegerField(source="item.quantity_cap")
    quantity_sold = serializers.IntegerField(source="item.quantity_sold")
    consent = serializers.ChoiceField(source="item.consent", choices=LiveSessionItem.Consent.choices)
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=12, decimal_places=2)


class SessionFiguresSerializer(serializers.Serializer):
    """A session's sales: the orders it brought (featured items or not, cancelled and expired ones left out),
    their units and goods' total, per featured item, and the commission by balance."""

    slug = serializers.SlugField(source="session.slug")
    status = serializers.ChoiceField(source="session.shown_status", choices=LiveSession.Status.choices)
    orders = serializers.IntegerField(source="figures.orders")
    units = serializers.IntegerField(source="figures.units")
    revenue = serializers.DecimalField(source="figures.revenue", max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    commission = CommissionBalancesSerializer(source="figures.commission")
    items = ItemFiguresSerializer(many=True)


class SessionCommissionSerializer(CommissionBalancesSerializer):
    session = serializers.SlugField(help_text=_("The session's slug."))
    name = serializers.CharField()
    starts_at = serializers.DateTimeField()


class MonthCommissionSerializer(CommissionBalancesSerializer):
    month = serializers.RegexField(r"^[0-9]{4}-[0-9]{2}$", help_text=_("Year and month in China time, e.g. 2025-07."))


class HostCommissionSerializer(serializers.Serializer):
    """The host's commission: in all, per session (newest first) and per month the entries were written in."""

    commission_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("The rate staff set for new orders: 0.0500 is 5%.")
    )
    currency = serializers.CharField()
    totals = CommissionBalancesSerializer()
    sessions = SessionCommissionSerializer(many=True)
    months = MonthCommissionSerializer(many=True)


class SessionTransitionErrorSerializer(serializers.Serializer):
    """The session (or its items) cannot make this change from where it is; nothing was changed."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["illegal_transition"])
    current = serializers.CharField()
    requested = serializers.CharField()


class ProposalSessionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    host = serializers.CharField(source="host.display_name")
    status = serializers.ChoiceField(source="shown_status", choices=SHOWN_STATUSES)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    share_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_share_url(self, session: LiveSession) -> str:
        return _absolute(self.context, session.get_absolute_url())


class ProposalSerializer(serializers.Serializer):
    """A host's proposal to feature one of the producer's variants: the session, the terms and the answer.

    The variant sells at ``flash_price`` in that session only once ``consent`` is ``accepted``."""

    id = serializers.IntegerField()
    session = ProposalSessionSerializer()
    producer = NamedSerializer(source="variant.product.producer")
    variant = serializers.IntegerField(source="variant_id")
    sku = serializers.CharField(source="variant.sku")
    product_slug = serializers.SlugField(source="variant.product.slug")
    product_name = serializers.CharField(source="variant.product.name")
    variant_name = serializers.CharField(source="variant.name")
    price = serializers.DecimalField(
        source="variant.price", max_digits=10, decimal_places=2, help_text=_("The normal price.")
    )
    flash_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    quantity_cap = serializers.IntegerField()
    quantity_sold = serializers.IntegerField()
    per_shopper_limit = serializers.IntegerField()
    consent = serializers.ChoiceField(choices=LiveSessionItem.Consent.choices)
    consent_at = serializers.DateTimeField(allow_null=True, help_text=_("When the producer answered."))
