"""Output shapes of the places and producers endpoints; names and descriptions in the request's language."""

from __future__ import annotations

from rest_framework import serializers

from marketplace.api.serializers import FieldsBuiltOnce, NamedSerializer
from producers.models import Producer


class VillageSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    county = NamedSerializer()
    prefecture = NamedSerializer(source="county.prefecture")
    photo = serializers.ImageField(allow_null=True)
    is_featured = serializers.BooleanField()


class DepotSerializer(FieldsBuiltOnce, serializers.Serializer):
    """A pickup point: its slug is what an order's ``delivery.depot`` names."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    address = serializers.CharField()
    opening_hours = serializers.CharField()


class VillageDetailSerializer(VillageSerializer):
    depots = DepotSerializer(source="active_depots", many=True)
    producers = NamedSerializer(source="verified_producers", many=True)


class ProducerVillageSerializer(NamedSerializer):
    county = NamedSerializer()


class ProducerSerializer(serializers.Serializer):
    """A verified producer as anyone may see it: ``description`` is its story, ``product_count`` its products on
    sale. Staff-only and contact fields are never read."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=Producer.Kind.choices)
    village = ProducerVillageSerializer()
    photo = serializers.ImageField(allow_null=True)
    verified_at = serializers.DateTimeField()
    product_count = serializers.IntegerField()
