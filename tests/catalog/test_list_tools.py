"""The product list on a phone: the filters folded behind one button that counts them, sort chips as links."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db
URL = reverse("product-list")
EN = {"accept-language": "en"}
CHIP = re.compile(r'<a class="chip" href="([^"]*)"( aria-current="true")?>([^<]*)</a>')


def make(name_en: str, price: str, **fields):
    product = ProductFactory(name_en=name_en, name_zh="", name_ug="", **fields)
    VariantFactory(product=product, price=Decimal(price), stock=10)
    return product


def chips(response) -> list[tuple[str, str, bool]]:
    """Each sort chip: its label, its link, and whether it is marked current."""
    body = response.content.decode()
    return [(label, html.unescape(href), bool(current)) for href, current, label in CHIP.findall(body)]


def card_names(response) -> list[str]:
    return re.findall(r'<span class="card-name">([^<]*)</span>', response.content.decode())


def filter_button(response) -> str:
    """The <details> of the filters up to its summary's end."""
    found = re.search(r'<details class="filter-panel"[^>]*>\s*<summary.*?</summary>', response.content.decode(), re.S)
    return found[0]


def test_sort_chips_link_to_each_order_and_mark_the_one_in_use(client):
    make("Walnuts", "80.00")
    make("Rose tea", "20.00")

    newest = client.get(URL, headers=EN)
    assert chips(newest) == [
        ("Newest", "?sort=newest", True),
        ("Price: low to high", "?sort=price_asc", False),
        ("Price: high to low", "?sort=price_desc", False),
    ]
    by_price = client.get(URL + chips(newest)[1][1], headers=EN)  # the "low to high" chip followed
    assert card_names(by_price) == ["Rose tea", "Walnuts"]
    assert [current for _label, _href, current in chips(by_price)] == [False, True, False]


def test_a_search_adds_best_match_and_the_chips_keep_the_search_and_filters_but_not_the_page(client):
    fruit = CategoryFactory(slug="fresh-fruit")
    make("Grapes", "30.00", category=fruit)

    response = client.get(URL, {"q": "grapes", "category": "fresh-fruit", "page": "1"}, headers=EN)

    assert chips(response) == [
        ("Best match", "?q=grapes&category=fresh-fruit&sort=relevance", True),
        ("Newest", "?q=grapes&category=fresh-fruit&sort=newest", False),
        ("Price: low to high", "?q=grapes&category=fresh-fruit&sort=price_asc", False),
        ("Price: high to low", "?q=grapes&category=fresh-fruit&sort=price_desc", False),
    ]


def test_the_filter_button_counts_the_filters_in_use_and_starts_folded(client):
    CategoryFactory(slug="dried-fruit")
    make("Raisins", "35.00")

    plain = filter_button(client.get(URL, {"q": "raisins"}, headers=EN))
    filtered = {"category": "dried-fruit", "max_price": "50", "sort": "price_asc"}
    two = filter_button(client.get(URL, filtered, headers=EN))

    assert " open" not in plain and "filter-active-count" not in plain  # a search alone is no filter
    assert " open" not in two
    assert '<span class="filter-active-count" aria-hidden="true">2</span>' in two
    assert "(2 filters on)" in two


def test_a_refused_value_opens_the_filters_to_show_why_and_the_rest_still_applies(client):
    make("Raisins", "35.00")
    make("Walnuts", "80.00")

    response = client.get(URL, {"min_price": "cheap", "max_price": "50"}, headers=EN)

    assert '<details class="filter-panel" data-open-wide open>' in response.content.decode()
    assert "Enter a price as a number" in response.content.decode()
    assert card_names(response) == ["Raisins"]
    assert "(1 filter on)" in filter_button(response)


def test_the_filter_form_keeps_a_chosen_order_and_drops_one_that_is_not(client):
    chosen = client.get(URL, {"sort": "price_desc"}, headers=EN).content.decode()
    refused = client.get(URL, {"sort": "'; drop table"}, headers=EN).content.decode()
    default = client.get(URL, headers=EN).content.decode()

    assert '<input type="hidden" name="sort" value="price_desc">' in chosen
    assert 'name="sort"' not in refused and 'name="sort"' not in default
    assert "is not a way to sort" in refused
