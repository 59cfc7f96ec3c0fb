"""The API's root: where each list of the API is, with the schema and the interactive docs."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ROOT_LINKS = {
    "villages": "api-village-list",
    "producers": "api-producer-list",
    "categories": "api-category-list",
    "products": "api-product-list",
    "orders": "api-order-list",
    "fulfilments": "api-fulfilment-list",
    "live_sessions": "api-live-session-list",
    "host_sessions": "api-host-session-list",
    "host_commission": "api-host-commission",
    "live_proposals": "api-live-proposal-list",
    "token": "api-token",
    "register": "api-register",
    "schema": "api-schema",
    "docs": "api-docs",
}


class RootView(APIView):
    """Where each list of the API is, with the schema and the interactive docs."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        tags=["root"],
        responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}},
    )
    def get(self, request: Request) -> Response:
        return Response({name: reverse(url_name, request=request) for name, url_name in ROOT_LINKS.items()})
