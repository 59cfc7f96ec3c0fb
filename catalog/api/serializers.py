"""Input and output shapes of the catalog endpoints. Input serializers validate; the services write."""

from __future__ import annotations

import re

from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog import selectors, services
from catalog.models import MAX_SHELF_LIFE_DAYS, Category, Concept, Product, ProductImage, Review
from catalog.suggestions import KINDS
from marketplace.api.fields import (
    POSITIVE_PRICE_PATTERN,
    POSITIVE_PRICE_SCHEMA,
    PriceField,
    SlugTextField,
    TextField,
    TrueFalseField,
    WholeNumberField,
)
from marketplace.api.serializers import NamedSerializer
from marketplace.validators import PRICE_ABOVE_ZERO_MESSAGE, validate_price_above_zero

CURRENCY = "CNY"
UNITS_SOLD_HELP = _("Units sold in orders confirmed (cash on delivery), paid or completed.")
MONTHS = {"min_value": 1, "max_value": 12}
CONCEPT_SLUG_MAX_LENGTH: int = Concept._meta.get_field("slug").max_length or 0


def _absolute_url(context: dict, file: FieldFile) -> str | None:
    if not file:
        return None
    request = context.get("request")
    return request.build_absolute_uri(file.url) if request is not None else file.url


# Outputs


class ConceptSerializer(serializers.Serializer):
    """A kind of produce products may be tagged with: its name in the request's language and in each."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    name_zh = serializers.CharField()
    name_ug = serializers.CharField()
    name_en = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=KINDS, help_text=_("`concept` (a kind of produce), `village`, `county` or `product`.")
    )
    label = serializers.CharField(help_text=_("What to show, in the request's language."))
    url = serializers.CharField(
        help_text=_("The storefront page it opens: a search, a village, a county's products or a product.")
    )


class SuggestionsSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)


class ProductCountySerializer(NamedSerializer):
    prefecture = NamedSerializer()


class ProductVillagePlaceSerializer(NamedSerializer):
    county = ProductCountySerializer()


class ProductCardSerializer(serializers.Serializer):
    """A product in a listing."""

    slug = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(source="category.slug")
    producer = NamedSerializer()
    village = NamedSerializer(source="producer.village")
    min_price = serializers.DecimalField(max_digits=10, decimal_places=2, help_text=_("The lowest price on sale."))
    currency = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()
    total_stock = serializers.IntegerField(help_text=_("Units on sale over every variant."))
    thumbnail = serializers.SerializerMethodField(help_text=_("The first photo's thumbnail."))
    harvest_start_month = serializers.IntegerField(**MONTHS)
    harvest_end_month = serializers.IntegerField(**MONTHS)
    is_perishable = serializers.BooleanField()
    units_sold = serializers.IntegerField(help_text=UNITS_SOLD_HELP)
    review_count = serializers.IntegerField(help_text=_("Visible reviews."))
    rating_average = serializers.FloatField(allow_null=True, help_text=_("Average rating of the visible reviews."))

    def get_currency(self, product: Product) -> str:
        return CURRENCY

    def get_in_stock(self, product: Product) -> bool:
        return bool(product.total_stock)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail(self, product: Product) -> str | None:
        images = product.images.all()  # prefetched in position order
        if not images:
            return None
        first = images[0]
        return _absolute_url(self.context, first.thumbnail or first.image)


class VariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    name_zh = serializers.CharField()
    name_ug = serializers.CharField()
    name_en = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    stock = serializers.IntegerField()
    weight_grams = serializers.IntegerField()
    shelf_life_days = serializers.IntegerField(
        allow_null=True, help_text=_("Days a perishable size keeps once shipped; null when not given.")
    )
    is_active = serializers.BooleanField(help_text=_("On sale."))


class StockChangedSerializer(serializers.Serializer):
    """A stock count sent with a stale ``expected_stock``; nothing was changed."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["stock_changed"])
    current = serializers.IntegerField(help_text=_("The stock now: count again, then send it as `expected_stock`."))


class ProductImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField()
    position = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=ProductImage.Status.choices,
        help_text=_("Anyone sees ready photos only; a member of the producer also sees those processing or failed."),
    )
    failure = serializers.ChoiceField(
        choices=ProductImage.Failure.choices, allow_blank=True, help_text=_("Why a failed photo failed.")
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, image: ProductImage) -> str | None:
        return _absolute_url(self.context, image.image)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, image: ProductImage) -> str | None:
        return _absolute_url(self.context, image.thumbnail)


class ProductDetailSerializer(serializers.Serializer):
    """A product with its variants and photos; names and descriptions in the request's language and in each."""

    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    name_zh = serializers.CharField()
    name_ug = serializers.CharField()
    name_en = serializers.CharField()
    description_zh = serializers.CharField()
    description_ug = serializers.CharField()
    description_en = serializers.CharField()
    category = serializers.CharField(source="category.slug")
    concepts = serializers.SerializerMethodField(
        help_text=_("What the product is: the slugs of its concepts (`GET /concepts/`), for search in every language.")
    )
    producer = NamedSerializer()
    village = ProductVillagePlaceSerializer(source="producer.village")
    status = serializers.ChoiceField(choices=Product.Status.choices)
    harvest_start_month = serializers.IntegerField(**MONTHS)
    harvest_end_month = serializers.IntegerField(**MONTHS)
    is_perishable = serializers.BooleanField()
    currency = serializers.SerializerMethodField()
    variants = VariantSerializer(many=True, help_text=_("On sale; a member of the producer sees them all."))
    images = ProductImageSerializer(many=True)
    review_count = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)
    units_sold = serializers.IntegerField(help_text=UNITS_SOLD_HELP)

    def get_currency(self, product: Product) -> str:
        return CURRENCY

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_concepts(self, product: Product) -> list[str]:
        return [concept.slug for concept in product.concepts.all()]


class ReviewPhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    thumbnail_width = serializers.IntegerField(source="photo_width")
    thumbnail_height = serializers.IntegerField(source="photo_height")

    @extend_schema_field(serializers.URLField())
    def get_url(self, review: Review) -> str | None:
        return _absolute_url(self.context, review.photo)

    @extend_schema_field(serializers.URLField())
    def get_thumbnail_url(self, review: Review) -> str | None:
        return _absolute_url(self.context, review.photo_thumbnail)


class ReviewSerializer(serializers.Serializer):
    """A visible review. The author is masked as on the product page: never the buyer's name or username."""

    author = serializers.CharField(
        source="author_name", help_text=_('The author\'s first character and stars, such as "王*" or "A***".')
    )
    rating = serializers.IntegerField(min_value=1, max_value=5)
    body = serializers.CharField()
    photo = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(ReviewPhotoSerializer(allow_null=True))
    def get_photo(self, review: Review) -> dict | None:
        if not review.photo_thumbnail:
            return None
        return ReviewPhotoSerializer(review, context=self.context).data


def _name_field() -> serializers.CharField:
    return TextField(max_length=200, allow_blank=True, required=False)


def _description_field() -> serializers.CharField:
    return TextField(max_length=20_000, allow_blank=True, required=False, trim_whitespace=False)


class ProductWriteSerializer(serializers.Serializer):
    """What a member edits on a product (partially in a PATCH)."""

    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        error_messages={"does_not_exist": _("There is no category with this slug.")},
    )
    name_zh = _name_field()
    name_ug = _name_field()
    name_en = _name_field()
    description_zh = _description_field()
    description_ug = _description_field()
    description_en = _description_field()
    is_perishable = TrueFalseField(required=False)
    harvest_start_month = WholeNumberField(required=False, **MONTHS)
    harvest_end_month = WholeNumberField(required=False, **MONTHS)
    concepts = serializers.ListField(
        child=SlugTextField(max_length=CONCEPT_SLUG_MAX_LENGTH),
        max_length=services.MAX_CONCEPTS,
        required=False,
        help_text=_(
            "What the product is: slugs of concepts from `GET /concepts/`, so that shoppers searching in any "
            "language find it. Replaces the product's concepts; `[]` removes them all."
        ),
    )

    def validate_concepts(self, slugs: list[str]) -> list[Concept]:
        """The concepts named, each once; a slug of none in use (or of one the product no longer may take) is a 400.

        The product edited (``context["product"]``) keeps a concept staff stopped using, as in the editor.
        """
        wanted = list(dict.fromkeys(slugs))
        found = {
            concept.slug: concept
            for concept in selectors.concepts_to_choose(product=self.context.get("product")).filter(slug__in=wanted)
        }
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            raise serializers.ValidationError(
                [_("There is no concept “%(slug)s”: `GET /concepts/` lists them.") % {"slug": slug} for slug in unknown]
            )
        return [found[slug] for slug in wanted]


class ProductCreateSerializer(ProductWriteSerializer):
    producer = SlugTextField(
        required=False,
        help_text=_("The slug of one of your producers; may be left out if you belong to only one."),
    )
    slug = SlugTextField(max_length=120, required=False, help_text=_("Made from the English name when left out."))


class ProductUpdateSerializer(ProductWriteSerializer):
    status = serializers.ChoiceField(
        choices=Product.Status.choices,
        required=False,
        help_text=_(
            "`active` publishes the product, also an archived one (seasonal produce listed again at its next "
            "harvest); `archived` takes it off sale. A product never becomes a `draft` again."
        ),
    )


def _variant_name_field() -> serializers.CharField:
    return TextField(max_length=100, allow_blank=True, required=False)


@extend_schema_field(POSITIVE_PRICE_SCHEMA)
class VariantPriceField(PriceField):
    """A variant's price: more than 0, and a negative one (``"-5.00"`` too) is told so."""

    pattern = POSITIVE_PRICE_PATTERN

    def __init__(self, **kwargs) -> None:
        super().__init__(error_messages={"min_value": PRICE_ABOVE_ZERO_MESSAGE}, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and (data.startswith("-") or re.fullmatch(r"0+(\.0*)?", data)):
            self.fail("min_value", min_value=0)  # "-5.00" and "0.00" are told the rule, not "not a number"
        value = super().to_internal_value(data)
        validate_price_above_zero(value)  # 0 passes the field's minimum; this makes it the field's error (400)
        return value


class VariantWriteSerializer(serializers.Serializer):
    """A variant's fields (partially in a PATCH)."""

    sku = TextField(max_length=64)
    name_zh = _variant_name_field()
    name_ug = _variant_name_field()
    name_en = _variant_name_field()
    price = VariantPriceField()
    stock = WholeNumberField(min_value=0, max_value=services.MAX_STOCK, required=False)
    weight_grams = WholeNumberField(min_value=0, max_value=services.MAX_WEIGHT_GRAMS, required=False)
    shelf_life_days = WholeNumberField(
        min_value=1,
        max_value=MAX_SHELF_LIFE_DAYS,
        required=False,
        allow_null=True,
        help_text=_("Days a perishable size keeps once shipped: delivered only where the courier arrives in time."),
    )
    is_active = TrueFalseField(required=False, help_text=_("On sale."))


class VariantUpdateSerializer(VariantWriteSerializer):
    """A variant's changes; a new ``stock`` comes with the stock its sender last read."""

    stock = WholeNumberField(
        min_value=0,
        max_value=services.MAX_STOCK,
        required=False,
        help_text=_("The count on hand, replacing the stock; needs `expected_stock`."),
    )
    expected_stock = WholeNumberField(
        min_value=0,
        max_value=services.MAX_STOCK,
        required=False,
        help_text=_(
            "The stock you last read, required with `stock`. If orders changed it since, the answer is 409 "
            "`stock_changed` with the `current` stock, and nothing is changed."
        ),
    )


class ProductImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text=_("A JPEG, PNG or WebP photo, at most 10 MB and 40 megapixels."))
    alt_text = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class SuggestQuerySerializer(serializers.Serializer):
    q = TextField(
        required=False,
        allow_blank=True,
        max_length=selectors.MAX_QUERY_LENGTH,
        help_text=_("What the shopper has typed so far. Empty, or a single Latin letter, suggests nothing."),
    )
