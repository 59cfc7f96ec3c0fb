"""HTML forms of the catalog: product search and filters, reviews, and the producer back office's product editor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog import selectors
from catalog.models import MAX_SHELF_LIFE_DAYS, WAITLIST_MAX_QUANTITY, Category, Concept, HarvestLot, Product, Variant
from catalog.services import ALT_TEXT_MAX_LENGTH, MAX_CONCEPTS, MAX_STOCK, MAX_WEIGHT_GRAMS, REVIEW_MAX_LENGTH
from marketplace.images import photo_check, upload_bytes
from marketplace.language_fields import LanguageFieldsMixin
from marketplace.validators import MAX_PRICE, MIN_PRICE, PRICE_ABOVE_ZERO_MESSAGE
from marketplace.widgets import MultiplePhotoFileInput, PhotoFileInput
from producers import selectors as producer_selectors

PRICE_ERRORS = {
    "invalid": _("Enter a price as a number, such as 25 or 9.90."),
    "min_value": _("A price cannot be negative."),
    "max_value": _("That price is too large."),
    "max_digits": _("That price is too large."),
    "max_whole_digits": _("That price is too large."),
    "max_decimal_places": _("Give a price with at most two decimal places."),
}
SORT_CHOICES = [
    (selectors.Sort.RELEVANCE, _("Best match")),
    (selectors.Sort.NEWEST, _("Newest")),
    (selectors.Sort.PRICE_ASC, _("Price: low to high")),
    (selectors.Sort.PRICE_DESC, _("Price: high to low")),
]


def _price_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages=PRICE_ERRORS,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
    )


class ProductFilterForm(forms.Form):
    """The search box and filters of ``/products/``: a plain GET form.

    A value that cannot be used (an unknown village, a price that is not a number)
    is reported on its field and left out; the other filters still apply.
    """

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(
            attrs={"maxlength": selectors.MAX_QUERY_LENGTH, "placeholder": _("Grapes, walnuts, rose tea…")}
        ),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("There is no category “%(value)s”, so it was left out.")},
    )
    county = forms.ChoiceField(
        label=_("County"),
        required=False,
        error_messages={"invalid_choice": _("There is no county “%(value)s”, so it was left out.")},
    )
    village = forms.ChoiceField(
        label=_("Village"),
        required=False,
        error_messages={"invalid_choice": _("There is no village “%(value)s”, so it was left out.")},
    )
    in_season = forms.BooleanField(label=_("In season this month"), required=False)
    min_price = _price_field(_("Lowest price (¥)"))
    max_price = _price_field(_("Highest price (¥)"))
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("“%(value)s” is not a way to sort; the default order is used.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = ("", pgettext_lazy("filter", "All"))
        self.fields["category"].choices = [anything] + [(c.slug, c.name) for c in selectors.categories()]
        counties: dict[str, list[tuple[str, str]]] = {}
        for county in producer_selectors.counties():
            counties.setdefault(county.prefecture.name, []).append((county.slug, county.name))
        self.fields["county"].choices = [anything, *counties.items()]
        villages: dict[str, list[tuple[str, str]]] = {}
        for village in producer_selectors.villages():
            villages.setdefault(village.county.name, []).append((village.slug, village.name))
        self.fields["village"].choices = [anything, *villages.items()]

    def clean_q(self) -> str:
        return selectors.normalized_query(self.cleaned_data.get("q"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and high < low:
            self.add_error("max_price", _("The highest price is below the lowest price, so it was left out."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.product_search``: the usable values only."""
        self.is_valid()  # a bound form cleans once; invalid fields are simply absent below
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "category": data.get("category") or None,
            "county": data.get("county") or None,
            "village": data.get("village") or None,
            "in_season": bool(data.get("in_season")),
            "min_price": data.get("min_price"),
            "max_price": data.get("max_price"),
            "sort": data.get("sort") or None,
        }

    @property
    def is_filtered(self) -> bool:
        return self.active_filters > 0

    @property
    def active_filters(self) -> int:
        """How many filters narrow the list (the search words and the order not counted)."""
        filters = self.filters()
        return sum(1 for key, value in filters.items() if key not in {"q", "sort"} and value not in (None, False))


def one_photo(file) -> bytes | None:
    """An optional photo field's bytes once its headers pass the photo checks; the service decodes and re-encodes
    it."""
    if not file:
        return None
    data = upload_bytes(file)
    photo_check(data)
    return data


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    body = forms.CharField(
        label=_("Your review (optional)"),
        required=False,
        max_length=REVIEW_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("A photo (optional)"),
        required=False,
        widget=PhotoFileInput,
        help_text=_("One JPEG, PNG or WebP photo, up to 10 MB."),
    )

    def clean_photo(self) -> bytes | None:
        return one_photo(self.cleaned_data.get("photo"))


# The producer back office. Each form checks shapes and bounds; the catalog services apply the rules and write.

MAX_PHOTOS_PER_UPLOAD = 8
# Inputs in each content language say which language they hold, so phones offer the right keyboard and
# Uyghur is typed right to left whatever the page's language.
LANGUAGE_INPUTS = {
    "zh": {"lang": "zh-Hans", "dir": "ltr"},
    "ug": {"lang": "ug", "dir": "rtl"},
    "en": {"lang": "en", "dir": "ltr"},
}
MONTH_CHOICES = list(MONTHS.items())
# Kinds of produce one product may be tagged with: a product is one thing, a few words at most describe it.
PRODUCT_NAME_MAX_LENGTH = Product._meta.get_field("name_en").max_length
VARIANT_NAME_MAX_LENGTH = Variant._meta.get_field("name_en").max_length
DESCRIPTION_MAX_LENGTH = 5000
SKU_MAX_LENGTH = Variant._meta.get_field("sku").max_length
STOCK_ERRORS = {
    "invalid": _("Enter the stock as a whole number, such as 12."),
    "min_value": _("Stock cannot be negative."),
    "max_value": _("Stock can be at most %(limit_value)s."),
}


def _name_field(label: Any, code: str, *, max_length: int = PRODUCT_NAME_MAX_LENGTH) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=forms.TextInput(attrs=LANGUAGE_INPUTS[code])
    )


def _description_field(label: Any, code: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, **LANGUAGE_INPUTS[code]}),
    )


def _require_a_name(form: ProductForm | VariantAddForm) -> None:
    """At least one name; the error stands on the name in the reader's language, the field shown first."""
    if not any(form.cleaned_data.get(f"name_{code}") for code in LANGUAGE_INPUTS):
        form.add_error(f"name_{form.first_language}", _("Give a name in at least one language."))


def _stock_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_STOCK,
        error_messages=STOCK_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": str(MAX_STOCK)}),
    )


def _variant_price_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Price (¥)"),
        min_value=MIN_PRICE,
        max_value=MAX_PRICE,
        max_digits=10,
        decimal_places=2,
        error_messages={**PRICE_ERRORS, "min_value": PRICE_ABOVE_ZERO_MESSAGE},
        widget=forms.NumberInput(
            attrs={"min": str(MIN_PRICE), "max": str(MAX_PRICE), "step": "0.01", "inputmode": "decimal"}
        ),
    )


class ConceptsField(forms.ModelMultipleChoiceField):
    """Kinds of produce as checkboxes, each labelled in the page's language; a slug not offered is refused."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Concept) -> str:
        return obj.name

    def clean(self, value: Any) -> Any:
        concepts = super().clean(value)
        if value and len(set(value)) > MAX_CONCEPTS:
            raise ValidationError(
                _("Choose at most %(limit)d kinds of produce.") % {"limit": MAX_CONCEPTS}, code="too_many"
            )
        return concepts


class ProductForm(LanguageFieldsMixin, forms.Form):
    """A product's names and descriptions in each language, its category, what it is (concepts), harvest
    months and perishability.

    The page shows the reader's language first and folds the others, what it is, and the harvest and cold
    chain (which have defaults). ``product`` is the product edited, if any: a concept staff no longer use is
    offered to it only while it has it.
    """

    OPTIONAL_FIELDS = ("harvest_start_month", "harvest_end_month", "is_perishable")

    name_zh = _name_field(_("Name in Chinese"), "zh")
    name_ug = _name_field(_("Name in Uyghur"), "ug")
    name_en = _name_field(_("Name in English"), "en")
    description_zh = _description_field(_("Description in Chinese"), "zh")
    description_ug = _description_field(_("Description in Uyghur"), "ug")
    description_en = _description_field(_("Description in English"), "en")
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("position", "slug"),
        to_field_name="slug",
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose a category."), "invalid_choice": _("Choose one of the categories.")},
    )
    concepts = ConceptsField(
        label=_("What is it?"),
        queryset=Concept.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("Tick what the product is, so that shoppers searching in any language find it."),
        error_messages={
            "invalid_choice": _("“%(value)s” is not one of the kinds of produce listed. Tick them from the list."),
            "invalid_pk_value": _("“%(pk)s” is not one of the kinds of produce listed. Tick them from the list."),
        },
    )
    harvest_start_month = forms.TypedChoiceField(
        label=_("Harvest starts"), choices=MONTH_CHOICES, coerce=int, initial=1
    )
    harvest_end_month = forms.TypedChoiceField(label=_("Harvest ends"), choices=MONTH_CHOICES, coerce=int, initial=12)
    is_perishable = forms.BooleanField(label=_("Perishable: ships in the cold chain"), required=False)

    def __init__(self, *args: Any, product: Product | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concepts"].queryset = selectors.concepts_to_choose(product=product)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _require_a_name(self)
        return cleaned

    @property
    def optional_open(self) -> bool:
        return any(self[field].errors for field in self.OPTIONAL_FIELDS)

    @property
    def concepts_ticked(self) -> list[str]:
        """The names of the concepts ticked, for the summary of the folded checkboxes (no query of its own)."""
        return [option.choice_label for option in self["concepts"].subwidgets if option.data["selected"]]

    @classmethod
    def initial_for(cls, product: Product) -> dict[str, Any]:
        initial = {field: getattr(product, field) for field in cls.base_fields if field not in {"category", "concepts"}}
        concepts = [concept.slug for concept in product.concepts.all()]
        return initial | {"category": product.category.slug, "concepts": concepts}


class VariantQuickForm(forms.Form):
    """The price and stock of a variant; ``expected_stock`` is the stock the page showed."""

    price = _variant_price_field()
    stock = _stock_field(_("Stock"))
    expected_stock = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=MAX_STOCK,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            _("The page did not send the stock it showed. Reload it and try again."),
        ),
    )

    @classmethod
    def initial_for(cls, variant: Variant) -> dict[str, Any]:
        return {"price": variant.price, "stock": variant.stock, "expected_stock": variant.stock}


class VariantEditForm(VariantQuickForm):
    """Price, stock and whether the variant is on sale."""

    is_active = forms.BooleanField(label=_("On sale"), required=False)

    @classmethod
    def initial_for(cls, variant: Variant) -> dict[str, Any]:
        return super().initial_for(variant) | {"is_active": variant.is_active}


class VariantAddForm(LanguageFieldsMixin, forms.Form):
    """A new variant: what it is (a pack size) in each language, its price, stock and weight.

    The page shows the name in the reader's language first, the others and the weight and SKU folded.
    """

    language_stems = ("name",)
    OPTIONAL_FIELDS = ("weight_grams", "shelf_life_days", "sku")

    name_zh = _name_field(_("Size or pack, in Chinese"), "zh", max_length=VARIANT_NAME_MAX_LENGTH)
    name_ug = _name_field(_("Size or pack, in Uyghur"), "ug", max_length=VARIANT_NAME_MAX_LENGTH)
    name_en = _name_field(_("Size or pack, in English"), "en", max_length=VARIANT_NAME_MAX_LENGTH)
    price = _variant_price_field()
    stock = _stock_field(_("Stock"))
    weight_grams = forms.IntegerField(
        label=_("Weight with packing (grams)"),
        min_value=0,
        max_value=MAX_WEIGHT_GRAMS,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
    shelf_life_days = forms.IntegerField(
        label=_("Shelf life (days)"),
        min_value=1,
        max_value=MAX_SHELF_LIFE_DAYS,
        required=False,
        help_text=_(
            "For fresh produce: how many days it keeps once shipped. It is delivered only where the courier "
            "arrives in time."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )
    sku = forms.SlugField(
        label=_("Stock code (SKU)"),
        max_length=SKU_MAX_LENGTH,
        required=False,
        help_text=_("Leave it empty and one is made for you."),
        error_messages={"invalid": _("Use letters, numbers, dashes and underscores only.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _require_a_name(self)
        return cleaned

    @property
    def optional_open(self) -> bool:
        return any(self[field].errors for field in self.OPTIONAL_FIELDS)


class MultiplePhotoField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``, each checked as a ``FileField`` checks one."""

    widget = MultiplePhotoFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultiplePhotoField, self).clean(file, initial) for file in files]


class PhotoUploadForm(forms.Form):
    """Photos from the phone's camera or gallery, each checked as the project checks every photo."""

    photos = MultiplePhotoField(
        label=_("Take or choose photos"),
        widget=MultiplePhotoFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("JPEG, PNG or WebP, up to 10 MB each. You can choose several at once."),
        error_messages={"required": _("Choose a photo to add.")},
    )
    alt_text = forms.CharField(
        label=_("What the photos show (for shoppers who cannot see them)"),
        max_length=ALT_TEXT_MAX_LENGTH,
        required=False,
    )

    def clean_photos(self) -> list[bytes]:
        """The bytes of each file, once every one passes the photo checks: a bad one adds none of them.

        The checks read each file's headers only (``photo_check``); the worker decodes the photos later.
        """
        files = self.cleaned_data["photos"]
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(_("Add at most %(limit)d photos at a time.") % {"limit": MAX_PHOTOS_PER_UPLOAD})
        photos, errors = [], []
        for file in files:
            try:
                data = upload_bytes(file)
                photo_check(data)
            except ValidationError as error:
                errors.extend(f"{file.name}: {message}" for message in error.messages)
            else:
                photos.append(data)
        if errors:
            raise ValidationError(errors)
        return photos


class PhotoAltForm(forms.Form):
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=ALT_TEXT_MAX_LENGTH, required=False)


class PhotoMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class HarvestLotForm(forms.Form):
    """A harvest lot: which product, from which plot, picked when, its grade and an optional test result."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    plot = forms.CharField(
        label=_("Plot or orchard"),
        max_length=120,
        help_text=_("As your shoppers would recognise it, e.g. “Upper vineyard by the canal”."),
    )
    picked_on = forms.DateField(label=_("Pick date"), widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.ChoiceField(label=_("Grade"), choices=HarvestLot.Grade.choices)
    test_result = forms.CharField(
        label=_("Test result"),
        max_length=200,
        required=False,
        help_text=_("E.g. a pesticide residue test: who tested, when, and the result."),
    )
    photo = forms.FileField(
        label=_("A photo of the harvest (optional)"),
        required=False,
        widget=PhotoFileInput,
        help_text=_("One JPEG, PNG or WebP photo, up to 10 MB: shoppers see it on the trace page."),
    )

    def clean_photo(self) -> bytes | None:
        return one_photo(self.cleaned_data.get("photo"))

    def __init__(self, *args, producer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        field.queryset = Product.objects.filter(producer=producer).order_by("slug")  # type: ignore[attr-defined]
        field.label_from_instance = lambda product: product.name  # type: ignore[attr-defined]


class LotReceiveForm(forms.Form):
    """Units of one of the lot's product's sizes coming into stock from the lot."""

    variant = forms.ModelChoiceField(label=_("Size or pack"), queryset=Variant.objects.none())
    quantity = forms.IntegerField(
        label=_("Units received"),
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )

    def __init__(self, *args, lot, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variant"]
        field.queryset = Variant.objects.filter(product_id=lot.product_id).order_by("position", "id")  # type: ignore[attr-defined]
        field.label_from_instance = lambda variant: variant.name  # type: ignore[attr-defined]


class WaitlistJoinForm(forms.Form):
    """A sold-out size to wait for, and how many units."""

    variant = forms.IntegerField(label=_("Size or pack"), min_value=1)
    quantity = forms.IntegerField(
        label=_("Units"),
        min_value=1,
        max_value=WAITLIST_MAX_QUANTITY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": str(WAITLIST_MAX_QUANTITY)}),
    )
