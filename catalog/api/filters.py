"""The query parameters of ``GET /api/v1/products/``: checked here, searched by ``selectors.product_search``."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from catalog import selectors
from catalog.forms import PRICE_ERRORS
from catalog.models import Product
from marketplace.api.fields import UNIT_PRICE_PATTERN
from marketplace.api.filters import SlugFilter
from marketplace.validators import MAX_PRICE


class Ordering(StrEnum):
    NEWEST = "newest"
    PRICE = "price"
    PRICE_DESC = "-price"
    RELEVANCE = "relevance"


SORTS = {
    Ordering.NEWEST: selectors.Sort.NEWEST,
    Ordering.PRICE: selectors.Sort.PRICE_ASC,
    Ordering.PRICE_DESC: selectors.Sort.PRICE_DESC,
    Ordering.RELEVANCE: selectors.Sort.RELEVANCE,
}


def ordering_of(params: QueryDict) -> Ordering:
    """The order of a listing: the one asked for, else relevance for a search and newest otherwise.

    Relevance needs a search: without one the newest come first, as in ``product_search``.
    """
    searched = bool(selectors.normalized_query(params.get("q")))
    asked = params.get("ordering")
    if asked in {ordering.value for ordering in Ordering}:
        ordering = Ordering(asked)
        return Ordering.NEWEST if ordering == Ordering.RELEVANCE and not searched else ordering
    return Ordering.RELEVANCE if searched else Ordering.NEWEST


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false``; anything else is an error, not silently "not given"."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value not in self.VALUES:
            raise forms.ValidationError(_("Give true or false."), code="invalid")
        return self.VALUES[value]


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class PriceField(forms.DecimalField):
    """A price written as in a request body ("25", "9.90"): no sign, exponent or spaces.

    The decimal checks run first, so a negative, too large or too precise price hears
    exactly that; whatever they let through must then match the body's price pattern.
    """

    def clean(self, value: Any) -> Decimal | None:
        price = super().clean(value)
        if price is not None and not re.fullmatch(UNIT_PRICE_PATTERN, str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return price


# A query parameter is text: the pattern is exactly what PriceField takes (a price from 0 to MAX_PRICE), where
# "number" would promise floats such as 25365812.631213084 that it refuses.
@extend_schema_field({"type": "string", "format": "decimal", "pattern": UNIT_PRICE_PATTERN, "example": "59.90"})
class PriceFilter(django_filters.NumberFilter):
    field_class = PriceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args,
            min_value=Decimal(0),
            max_value=MAX_PRICE,
            decimal_places=2,
            error_messages=PRICE_ERRORS,
            **kwargs,
        )

    def get_max_validator(self) -> None:
        return None  # max_value bounds the value


class ProductFilterForm(forms.Form):
    # Given with no value, these are mistakes rather than "no filter": an empty string is not one of their values.
    NOT_EMPTY = ("in_season", "min_price", "max_price", "ordering")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in self.NOT_EMPTY:
            if self.data.get(name) == "":
                self.add_error(name, _("Give a value, or leave the parameter out."))
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and high < low:
            self.add_error("max_price", _("The highest price is below the lowest price."))
        return cleaned


class ProductFilter(django_filters.FilterSet):
    """Every parameter is an argument of ``catalog.selectors.product_search``, which runs the whole search."""

    q = django_filters.CharFilter(
        help_text=_("Words to find in names, descriptions, producers and villages (the first 100 characters).")
    )
    # A slug that names nothing (or an unverified producer) matches nothing, as on the storefront.
    category = SlugFilter(help_text=_("A category's slug."))
    county = SlugFilter(help_text=_("A county's slug."))
    village = SlugFilter(help_text=_("A village's slug."))
    producer = SlugFilter(help_text=_("A producer's slug."))
    in_season = StrictBooleanFilter(help_text=_("Only products harvested this month."))
    min_price = PriceFilter(help_text=_("The lowest price on sale is at least this (CNY)."))
    max_price = PriceFilter(help_text=_("The lowest price on sale is at most this (CNY)."))
    ordering = django_filters.ChoiceFilter(
        choices=[(value.value, value.value) for value in Ordering],
        error_messages={
            "invalid_choice": _("“%(value)s” is not a way to sort: use newest, price, -price or relevance.")
        },
        help_text=_("`newest` (the default without `q`), `price`, `-price`, or `relevance` (the default with `q`)."),
    )

    class Meta:
        model = Product
        fields: list[str] = []
        form = ProductFilterForm

    def filter_queryset(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        """Run ``product_search`` with the cleaned values; it starts from every product card, as the view does."""
        data = self.form.cleaned_data
        return selectors.product_search(
            q=data.get("q"),
            category=data.get("category"),
            county=data.get("county"),
            village=data.get("village"),
            producer=data.get("producer"),
            in_season=bool(data.get("in_season")),
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            sort=SORTS[ordering_of(self.data)],
            on_sale_only=True,
        )
