"""Query parameters of the villages and producers lists."""

from __future__ import annotations

from django_filters import rest_framework as filters

from marketplace.api.filters import ChoiceFilter, SlugFilter
from producers.models import Producer


class VillageFilter(filters.FilterSet):
    county = SlugFilter(field_name="county__slug")
    prefecture = SlugFilter(field_name="county__prefecture__slug")


class ProducerFilter(filters.FilterSet):
    village = SlugFilter(field_name="village__slug")
    county = SlugFilter(field_name="village__county__slug")
    kind = ChoiceFilter(choices=Producer.Kind.choices)
