"""Orders for their shopper, parcels for their producer's members.

A shopper places, lists, reads and cancels only their own orders; another
shopper's order, or a guest's, is not found. A producer member lists and moves
only the parcels of the producers they belong to; anyone else sees an empty
list. Every write is a call to ``orders.services``; its domain errors become
responses in ``marketplace.api.errors``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.pagination import Key, KeysetPagination
from marketplace.api.serializers import ErrorSerializer
from marketplace.api.throttling import OrderPlaceThrottle, together
from marketplace.phrases import Phrase
from orders import selectors, services
from orders.api.filters import FulfilmentFilter, OrderFilter
from orders.api.serializers import (
    FulfilmentSerializer,
    FulfilmentTransitionErrorSerializer,
    FulfilmentTransitionSerializer,
    IllegalTransitionSerializer,
    InsufficientStockSerializer,
    OrderDetailSerializer,
    OrderListQueryErrorSerializer,
    OrderPlaceErrorSerializer,
    OrderPlaceSerializer,
    OrderSerializer,
    PricesChangedSerializer,
    field_errors,
    idempotency_key,
)
from orders.converters import OrderNumberConverter
from orders.errors import InvalidOrder
from orders.models import Fulfilment, Order

NEWEST_FIRST = [Key("created_at", descending=True), Key("id", descending=True)]

LIST_ERRORS = {
    400: OpenApiResponse(OrderListQueryErrorSerializer, description="A query parameter that is not valid."),
}


def _validated(serializer: serializers.Serializer) -> Any:
    """The serializer's data, or ``InvalidOrder`` with its messages in the service's shape."""
    if not serializer.is_valid():
        raise InvalidOrder(field_errors(serializer.errors))
    return serializer.validated_data


def _order_body(request: Request, order: Order) -> dict:
    fresh = selectors.order_details().get(pk=order.pk)
    return OrderDetailSerializer(fresh, context={"request": request}).data


class OrderListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    pagination_class = KeysetPagination

    def get_throttles(self) -> list:
        return [together(*super().get_throttles(), OrderPlaceThrottle())]

    def keyset(self, request: Request) -> list[Key]:
        return NEWEST_FIRST

    def get_queryset(self) -> QuerySet[Order]:
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.orders_of_shopper(shopper=self.request.user)

    @extend_schema(operation_id="orders_list", responses={200: OrderSerializer(many=True), **LIST_ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The signed-in shopper's orders, newest first; filter by `status`."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="orders_create",
        request=OrderPlaceSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"\S"},
                OpenApiParameter.HEADER,
                required=True,
                description=(
                    "Required: a new unique string up to 100 characters for each order, e.g. a UUID. When no answer "
                    "comes (a timeout, a dropped connection, a 5xx), send the same body again with the same key: "
                    "it answers 201 with the order placed the first time, if it was, and takes no stock again. The "
                    "same key with another body answers 422 `idempotency_key_reused`; no key answers 400."
                ),
            )
        ],
        responses={
            201: OpenApiResponse(
                OrderDetailSerializer,
                description="The order placed, or the one placed before under the same Idempotency-Key.",
            ),
            400: OpenApiResponse(OrderPlaceErrorSerializer, description="Messages per field; nothing was changed."),
            409: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="OrderPlaceConflict",
                    serializers={
                        "insufficient_stock": InsufficientStockSerializer,
                        "price_changed": PricesChangedSerializer,
                    },
                    resource_type_field_name="code",
                ),
                description="`insufficient_stock`: not enough stock, nothing was taken; or `price_changed`: the "
                "goods no longer cost `expected_subtotal`, nothing was placed.",
            ),
            422: OpenApiResponse(ErrorSerializer, description="`idempotency_key_reused`: the key named another order."),
        },
    )
    def post(self, request: Request) -> Response:
        """Place an order. Prices, shipping and totals come from the catalog; any sent by the client are ignored.

        `expected_subtotal`, the goods' total the shopper was shown, is compared with today's: when they differ
        (a live session ended meanwhile, say), nothing is placed and the answer is 409 `price_changed`.

        Cash on delivery is confirmed at once; an online order awaits payment at `payment_url` and is released
        if unpaid in time.
        """
        errors: dict[str, list[str]] = {}
        body = OrderPlaceSerializer(data=request.data)
        if not body.is_valid():
            errors.update(field_errors(body.errors))
        try:
            key = idempotency_key(request.headers.get("Idempotency-Key", ""))
        except serializers.ValidationError as error:
            errors.update(field_errors(error.detail, "idempotency_key"))
        else:
            if not key.strip():
                errors["idempotency_key"] = [
                    _(
                        "Send an Idempotency-Key header: a new unique string for each order, such as a UUID. "
                        "When no answer comes, send the order again with the same key: it is placed only once."
                    )
                ]
        if errors:
            raise InvalidOrder(errors)
        order = services.order_place(shopper=request.user, idempotency_key=key, **body.validated_data)
        # order_place hands back the order with everything it wrote: the answer needs no query.
        return Response(OrderDetailSerializer(order, context={"request": request}).data, status=status.HTTP_201_CREATED)


NUMBER = OpenApiParameter(
    "number",
    {"type": "string", "pattern": f"^{OrderNumberConverter.regex}$"},
    OpenApiParameter.PATH,
    description="The order number.",
)


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="orders_retrieve",
        parameters=[NUMBER],
        responses={
            200: OrderDetailSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such order among yours."),
        },
    )
    def get(self, request: Request, number: str) -> Response:
        """One of the signed-in shopper's orders with its history."""
        order = selectors.order_for_viewer(number=number, user=request.user)
        return Response(OrderDetailSerializer(order, context={"request": request}).data)


class OrderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="orders_cancel",
        parameters=[NUMBER],
        request=None,
        responses={
            200: OpenApiResponse(OrderDetailSerializer, description="The order, cancelled; its stock is back."),
            404: OpenApiResponse(ErrorSerializer, description="No such order among yours."),
            409: OpenApiResponse(
                IllegalTransitionSerializer,
                description="`illegal_transition`: a parcel has shipped, or the order is already closed.",
            ),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        """Cancel one of your orders before any of its parcels ships; the stock is given back once."""
        order = selectors.order_for_viewer(number=number, user=request.user)
        services.order_cancel(order=order, actor=request.user, reason=Phrase(gettext_noop("By the shopper.")))
        return Response(_order_body(request, order))


class FulfilmentListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = FulfilmentSerializer
    filterset_class = FulfilmentFilter
    pagination_class = KeysetPagination

    def keyset(self, request: Request) -> list[Key]:
        return NEWEST_FIRST

    def get_queryset(self) -> QuerySet[Fulfilment]:
        if getattr(self, "swagger_fake_view", False):
            return Fulfilment.objects.none()
        return selectors.fulfilments_of_member(user=self.request.user)

    @extend_schema(operation_id="fulfilments_list", responses={200: FulfilmentSerializer(many=True), **LIST_ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The parcels of the producers you are a member of, newest first; filter by `status` and `producer`.

        A user who is a member of no producer gets an empty list.
        """
        return super().get(request, *args, **kwargs)


class FulfilmentTransitionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="fulfilments_transition",
        request=FulfilmentTransitionSerializer,
        responses={
            200: OpenApiResponse(FulfilmentSerializer, description="The parcel after the move."),
            400: OpenApiResponse(
                FulfilmentTransitionErrorSerializer,
                description="Messages per field, e.g. no tracking number to ship to an address.",
            ),
            404: OpenApiResponse(ErrorSerializer, description="No such parcel among your producers'."),
            409: OpenApiResponse(
                IllegalTransitionSerializer,
                description="`illegal_transition`: not the next step, or the order is not paid or confirmed.",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        """Move a parcel new → packed → shipped → delivered; shipping to an address needs a tracking number."""
        parcels = selectors.fulfilments_of_member(user=request.user)
        parcel = parcels.get(pk=pk)
        data = _validated(FulfilmentTransitionSerializer(data=request.data))
        services.fulfilment_transition(fulfilment=parcel, actor=request.user, **data)
        return Response(FulfilmentSerializer(parcels.get(pk=pk)).data)
