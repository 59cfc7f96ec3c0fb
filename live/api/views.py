"""Read-only endpoints for live sessions and their featured items; anyone may call them."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics

from live import selectors
from live.api.filters import LiveSessionFilter
from live.api.serializers import LiveSessionDetailSerializer, LiveSessionSerializer
from live.models import LiveSession
from marketplace.api.pagination import PageNumberPagination
from marketplace.api.serializers import ErrorSerializer


@extend_schema(
    responses={
        200: LiveSessionSerializer(many=True),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Messages per query parameter: a `status` that is empty or not listed; a `page_size` "
            "that is not 1 to 200.",
        ),
        404: OpenApiResponse(ErrorSerializer, description="A `page` that is not a page number, or past the last one."),
    },
)
class LiveSessionListView(generics.ListAPIView):
    """Sessions on air, then upcoming (soonest first), then ended in the last week (latest first); never cancelled
    ones. Filter by `status`."""

    serializer_class = LiveSessionSerializer
    filterset_class = LiveSessionFilter
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[LiveSession]:
        return selectors.session_feed()


@extend_schema(
    responses={
        200: LiveSessionDetailSerializer,
        404: OpenApiResponse(ErrorSerializer, description="No such session, or it was cancelled."),
    },
)
class LiveSessionDetailView(generics.RetrieveAPIView):
    """A session with its featured items on sale, their flash prices and what is left of each."""

    serializer_class = LiveSessionDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[LiveSession]:
        return selectors.sessions_with_items()
