"""Read-only endpoints for villages and verified producers; anyone may call them."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics

from marketplace.api.pagination import PageNumberPagination
from marketplace.api.replica import ReplicaReadsForAnonymous
from marketplace.api.serializers import ErrorSerializer
from producers import selectors
from producers.api.filters import ProducerFilter, VillageFilter
from producers.api.serializers import ProducerSerializer, VillageDetailSerializer, VillageSerializer
from producers.models import Producer, Village

LIST_ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Messages per query parameter: a filter that is empty, not a slug or not a `kind`; a `page_size` "
        "that is not 1 to 200.",
    ),
    404: OpenApiResponse(ErrorSerializer, description="A `page` that is not a page number, or past the last one."),
}
DETAIL_ERRORS = {404: OpenApiResponse(ErrorSerializer, description="No such slug.")}


@extend_schema(responses={200: VillageSerializer(many=True), **LIST_ERRORS})
class VillageListView(ReplicaReadsForAnonymous, generics.ListAPIView):
    """Villages with their county and prefecture, by county then slug; filter by `county` or `prefecture` slug."""

    serializer_class = VillageSerializer
    filterset_class = VillageFilter
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[Village]:
        return selectors.villages()


@extend_schema(responses={200: VillageDetailSerializer, **DETAIL_ERRORS})
class VillageDetailView(ReplicaReadsForAnonymous, generics.RetrieveAPIView):
    """A village with its pickup depots (only those open) and its verified producers."""

    serializer_class = VillageDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Village]:
        return selectors.village_profiles()


class ProducerQuerysetMixin:
    def get_queryset(self) -> QuerySet[Producer]:
        return selectors.public_producer_profiles()


@extend_schema(responses={200: ProducerSerializer(many=True), **LIST_ERRORS})
class ProducerListView(ReplicaReadsForAnonymous, ProducerQuerysetMixin, generics.ListAPIView):
    """Verified producers by slug; filter by `village` or `county` slug and by `kind`."""

    serializer_class = ProducerSerializer
    filterset_class = ProducerFilter
    pagination_class = PageNumberPagination


@extend_schema(responses={200: ProducerSerializer, **DETAIL_ERRORS})
class ProducerDetailView(ReplicaReadsForAnonymous, ProducerQuerysetMixin, generics.RetrieveAPIView):
    """A verified producer; one not verified (or no longer) is not found."""

    serializer_class = ProducerSerializer
    lookup_field = "slug"
