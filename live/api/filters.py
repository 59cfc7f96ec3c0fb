"""Query parameters of the live sessions list."""

from __future__ import annotations

from django_filters import rest_framework as filters

from live.api.serializers import SHOWN_STATUSES
from marketplace.api.filters import ChoiceFilter


class LiveSessionFilter(filters.FilterSet):
    status = ChoiceFilter(choices=SHOWN_STATUSES)
