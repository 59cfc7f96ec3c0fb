"""HTML forms of the storefront catalog: product search and filters, reviews."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog import selectors
from catalog.services import REVIEW_MAX_LENGTH
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
        filters = self.filters()
        return any(value for key, value in filters.items() if key not in {"q", "sort"})


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
