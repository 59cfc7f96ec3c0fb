"""Catalog endpoints: categories, concepts, the product listing and search, and members' product editing.

Reads go through ``catalog.selectors`` and writes through ``catalog.services``, with ``actor=request.user``
so that each write is recorded in the producer's activity.
A product, variant or photo of a producer the caller is not a member of answers
404, as a missing one does; staff have no extra powers here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.api.filters import Ordering, ProductFilter, ordering_of
from catalog.api.serializers import (
    ConceptSerializer,
    ProductCardSerializer,
    ProductCreateSerializer,
    ProductDetailSerializer,
    ProductImageSerializer,
    ProductImageUploadSerializer,
    ProductUpdateSerializer,
    ReviewSerializer,
    StockChangedSerializer,
    SuggestionsSerializer,
    SuggestQuerySerializer,
    VariantSerializer,
    VariantUpdateSerializer,
    VariantWriteSerializer,
)
from catalog.models import Product
from marketplace.api.pagination import Key, KeysetPagination, PageNumberPagination
from marketplace.api.replica import replica_reads_for_anonymous
from marketplace.api.serializers import ErrorSerializer, NamedSerializer
from marketplace.api.throttling import ImageUploadThrottle, together
from marketplace.images import upload_bytes

NEWEST = [Key("published_at", descending=True), Key("id", descending=True)]
KEYSETS = {
    Ordering.NEWEST: NEWEST,
    Ordering.PRICE: [Key("min_price"), *NEWEST],
    Ordering.PRICE_DESC: [Key("min_price", descending=True), *NEWEST],
    # A search's results come in the order it ranked them (catalog.selectors.product_search).
    Ordering.RELEVANCE: [Key("search_position")],
}


class ReviewPagination(PageNumberPagination):
    page_size = 20


class ReadAnyoneWriteSignedIn:
    """Reads are public; every other method needs a signed-in caller (401 otherwise)."""

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [IsAuthenticated()]


def _product_response(request: Request, slug: str, *, code: int = status.HTTP_200_OK) -> Response:
    product = selectors.product_detail_for(slug=slug, user=request.user)
    return Response(ProductDetailSerializer(product, context={"request": request}).data, status=code)


@extend_schema_view(
    get=extend_schema(
        operation_id="categories_list",
        responses={
            200: NamedSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="No such page."),
        },
    )
)
class CategoryListView(generics.ListAPIView):
    """Every category, in the order staff arranged them."""

    serializer_class = NamedSerializer
    pagination_class = PageNumberPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.categories()


@extend_schema_view(
    get=extend_schema(
        operation_id="concepts_list",
        responses={
            200: ConceptSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="No such page."),
        },
    )
)
class ConceptListView(generics.ListAPIView):
    """The kinds of produce a product may be tagged with (its `concepts`), by name in the request's language."""

    serializer_class = ConceptSerializer
    pagination_class = PageNumberPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.concepts_to_choose()


class ProductListView(ReadAnyoneWriteSignedIn, generics.ListAPIView):
    serializer_class = ProductCardSerializer
    pagination_class = KeysetPagination
    filterset_class = ProductFilter

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.product_cards()

    def keyset(self, request: Request) -> list[Key]:
        return KEYSETS[ordering_of(request.query_params)]

    @extend_schema(
        operation_id="products_list",
        responses={200: ProductCardSerializer(many=True)},
    )
    @replica_reads_for_anonymous
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Active products of verified producers that have a variant on sale, searched and filtered."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="products_create",
        request=ProductCreateSerializer,
        responses={
            201: ProductDetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        """Create a draft product for one of your producers."""
        body = ProductCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        producer = selectors.producer_for_member(user=request.user, slug=fields.pop("producer", None))
        product = services.product_create(producer=producer, actor=request.user, **fields)
        return _product_response(request, product.slug, code=status.HTTP_201_CREATED)


class ProductSuggestView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="products_suggest",
        parameters=[SuggestQuerySerializer],
        responses={
            200: SuggestionsSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="`q`: longer than 100 characters, or holding a NUL character."
            ),
        },
    )
    @replica_reads_for_anonymous
    def get(self, request: Request) -> Response:
        """Up to eight completions of what a shopper is typing: kinds of produce, villages and counties, products
        on sale, for a search box that suggests as they type. The same as the storefront's `/products/suggest/`,
        with absolute URLs."""
        params = SuggestQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        suggestions = [
            {"kind": s.kind, "label": s.label, "url": request.build_absolute_uri(s.url)}
            for s in selectors.search_suggestions(q=params.validated_data.get("q", ""))
        ]
        return Response(SuggestionsSerializer({"suggestions": suggestions}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="products_reviews_list",
        responses={
            200: ReviewSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="No such product, or not on sale."),
        },
    )
)
class ProductReviewListView(generics.ListAPIView):
    """The visible reviews of an active product, newest first. Authors are masked ("王*", "A***")."""

    serializer_class = ReviewSerializer
    pagination_class = ReviewPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        try:
            return selectors.product_reviews(slug=self.kwargs["slug"])
        except Product.DoesNotExist:
            raise NotFound from None


class ProductDetailView(ReadAnyoneWriteSignedIn, APIView):
    @extend_schema(
        operation_id="products_retrieve",
        responses={200: ProductDetailSerializer},
    )
    @replica_reads_for_anonymous
    def get(self, request: Request, slug: str) -> Response:
        """An active product; a member of its producer also reads it as a draft or archived."""
        return _product_response(request, slug)

    @extend_schema(
        operation_id="products_partial_update",
        request=ProductUpdateSerializer,
        responses={
            200: ProductDetailSerializer,
        },
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change a product of one of your producers; `status` publishes it (an archived one too) or archives it.

        `concepts`, when sent, replaces the product's concepts.
        """
        product = selectors.products_editable_by(user=request.user).get(slug=slug)
        body = ProductUpdateSerializer(data=request.data, partial=True, context={"product": product})
        body.is_valid(raise_exception=True)
        services.product_update(product=product, actor=request.user, **body.validated_data)
        return _product_response(request, slug)

    @extend_schema(
        operation_id="products_destroy",
        responses={204: None},
    )
    def delete(self, request: Request, slug: str) -> Response:
        """Delete a product never ordered; one that was ordered is archived instead."""
        product = selectors.products_editable_by(user=request.user).get(slug=slug)
        services.product_delete(product=product, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductVariantCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="products_variants_create",
        request=VariantWriteSerializer,
        responses={
            201: VariantSerializer,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add a variant (a pack size with its SKU, price and stock) to a product of one of your producers."""
        product = selectors.products_editable_by(user=request.user).get(slug=slug)
        body = VariantWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        variant = services.variant_create(product=product, actor=request.user, **body.validated_data)
        return Response(VariantSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="variants_partial_update",
        request=VariantUpdateSerializer,
        responses={
            200: VariantSerializer,
            409: OpenApiResponse(
                StockChangedSerializer,
                description="`stock_changed`: the stock is no longer `expected_stock`; nothing was changed.",
            ),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change a variant of one of your producers' products.

        `stock` replaces the count on hand and needs `expected_stock`, the stock you last read,
        so that units sold meanwhile are never put back on sale.
        """
        variant = selectors.variants_editable_by(user=request.user).get(pk=pk)
        body = VariantUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        variant = services.variant_update(variant=variant, actor=request.user, **body.validated_data)
        return Response(VariantSerializer(variant).data)


class ProductImageCreateView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def get_throttles(self):
        # Each photo is decoded and re-encoded: tighter than the other writes, on top of the defaults.
        return [together(*super().get_throttles(), ImageUploadThrottle())]

    @extend_schema(
        operation_id="products_images_create",
        request={"multipart/form-data": ProductImageUploadSerializer},
        responses={
            202: OpenApiResponse(
                ProductImageSerializer,
                description="Received: `status` is `processing` until the worker has made the photo and its "
                "thumbnail (`ready`, with its URLs) or could not (`failed`, with `failure`). The product, read "
                "by a member of its producer, lists its photos with their status.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="`photos_in_flight`: the caller already has as many photos being processed as "
                "anyone may (`limit`); nothing was added. Or `throttled`: too many uploads in a minute.",
            ),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add a photo: its headers are checked here; the worker then strips EXIF and GPS, re-encodes it and
        makes its thumbnail. Shown on the product once ready."""
        product = selectors.products_editable_by(user=request.user).get(slug=slug)
        # Before the body is read: an upload over the limit costs next to nothing.
        services.photos_in_flight_check(actor=request.user)
        body = ProductImageUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            data = upload_bytes(body.validated_data["image"])
            image = services.product_image_upload(
                product=product, data=data, alt_text=body.validated_data["alt_text"], actor=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError({"image": error.messages}) from None
        # Without a broker the photo was processed when its upload committed: answer with what it is now.
        image.refresh_from_db()
        return Response(
            ProductImageSerializer(image, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
