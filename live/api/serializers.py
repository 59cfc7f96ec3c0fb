"""Output shapes of the live session endpoints; titles and product names in the request's language."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from live.models import LiveSession

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
    status = serializers.ChoiceField(choices=SHOWN_STATUSES)
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
    quantity_cap = serializers.IntegerField()
    remaining = serializers.IntegerField(source="available")
    stock = serializers.IntegerField(source="variant.stock")
    per_shopper_limit = serializers.IntegerField()


class LiveSessionDetailSerializer(LiveSessionSerializer):
    featured_count = serializers.SerializerMethodField()
    items = LiveSessionItemSerializer(source="featured", many=True)

    def get_featured_count(self, session: LiveSession) -> int:
        return len(session.featured)
