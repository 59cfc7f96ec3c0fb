"""Query parameters of the live session endpoints."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from live.api.serializers import SHOWN_STATUSES
from live.models import LiveSession, LiveSessionItem
from live.selectors import on_air
from marketplace.api.filters import ChoiceFilter


class LiveSessionFilter(filters.FilterSet):
    status = ChoiceFilter(choices=SHOWN_STATUSES, method="filter_status")

    def filter_status(self, queryset: QuerySet[LiveSession], name: str, value: str) -> QuerySet[LiveSession]:
        """The status shoppers see: a live session past its scheduled end counts as ended."""
        now = timezone.now()
        if value == LiveSession.Status.LIVE:
            return queryset.filter(on_air(now))
        if value == LiveSession.Status.ENDED:
            return queryset.filter(
                Q(status=LiveSession.Status.ENDED) | Q(status=LiveSession.Status.LIVE, ends_at__lte=now)
            )
        return queryset.filter(status=value)


class ProposalFilter(filters.FilterSet):
    consent = ChoiceFilter(choices=LiveSessionItem.Consent.choices)
