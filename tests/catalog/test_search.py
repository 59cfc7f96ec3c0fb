"""Search and filters of /products/: ranking, typos, every language, filters, sorting, paging, bad input."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Concept, Product
from catalog.selectors import product_search
from tests.factories import (
    CategoryFactory,
    CountyFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_vocabulary():
    """These tests prove how words match; the concepts a migration seeds are tested on their own
    (test_concepts.py, test_search_relevance.py)."""
    Concept.objects.all().delete()


URL = reverse("product-list")
EN = {"accept-language": "en"}


def make(name_en: str = "", *, name_zh: str = "", name_ug: str = "", price: str = "50.00", stock: int = 10, **fields):
    """An active product with one variant on sale, named only as given (no factory sequence names)."""
    product = ProductFactory(name_en=name_en, name_zh=name_zh, name_ug=name_ug, **fields)
    VariantFactory(product=product, price=Decimal(price), stock=stock)
    return product


def names(products) -> list[str]:
    return [p.name_en or p.name_zh or p.name_ug for p in products]


def search(**kwargs) -> list[str]:
    return names(product_search(**kwargs))


def card_names(response) -> list[str]:
    return re.findall(r'<span class="card-name">([^<]*)</span>', response.content.decode())


# Ranking and matching


def test_an_exact_name_comes_first_then_names_that_hold_the_word_newest_first():
    make("Seedless grapes")
    make("Grape juice")
    make("Grapes")
    make("Grapes from Turpan")
    make("Hami melon")

    assert search(q="grapes") == ["Grapes", "Grapes from Turpan", "Grape juice", "Seedless grapes"]


def test_equally_relevant_results_go_by_units_sold_then_newest():
    best_seller = make("Seedless grapes")
    make("Green grapes")
    make("Red grapes")
    best_seller.variants.update(units_sold=40)
    from catalog.services import product_popularity_refresh

    assert product_popularity_refresh() == 1
    assert search(q="grapes") == ["Seedless grapes", "Red grapes", "Green grapes"]


def test_latin_typos_are_tolerated_but_do_not_match_everything():
    make("Seedless grapes")
    make("Hotan walnuts")
    make("Hami melon")

    assert search(q="grpes") == ["Seedless grapes"]
    assert search(q="walnut") == ["Hotan walnuts"]
    assert search(q="wallnuts") == ["Hotan walnuts"]
    assert search(q="melno") == ["Hami melon"]
    assert search(q="GRAPES") == ["Seedless grapes"]
    assert search(q="pomegranate") == []


def test_a_chinese_search_finds_names_that_contain_it_with_prefixes_first():
    make(name_zh="无核白葡萄")
    make(name_zh="葡萄干")
    make(name_zh="哈密瓜")

    assert search(q="葡萄") == ["葡萄干", "无核白葡萄"]
    assert search(q="瓜") == ["哈密瓜"]


def test_a_uyghur_search_finds_uyghur_names():
    make("Seedless white grapes", name_ug="ئۇرۇقسىز ئاق ئۈزۈم")
    make("Hami melon", name_ug="قوغۇن")

    assert search(q="ئۈزۈم") == ["Seedless white grapes"]
    assert search(q="قوغۇن") == ["Hami melon"]


def test_descriptions_in_every_language_are_searched_after_names():
    make("Raisins", description_en="Sun-dried in the shade houses of Turpan.")
    make("Rose jam", description_zh="和田玫瑰花酱")
    make("Rose tea", description_ug="خوتەن ئەتىرگۈل چېيى")
    make("Sun-dried apricots")

    assert search(q="sun-dried") == ["Sun-dried apricots", "Raisins"]
    assert search(q="玫瑰花") == ["Rose jam"]
    assert search(q="ئەتىرگۈل") == ["Rose tea"]


def test_a_two_character_word_is_found_in_names_first_then_in_descriptions():
    make("Rose jam", name_zh="玫瑰酱", description_zh="和葡萄干一起吃")
    make("Seedless grapes", name_zh="无核白葡萄")
    make("Raisins", name_zh="葡萄干")

    assert search(q="葡萄") == ["Raisins", "Seedless grapes", "Rose jam"]


def test_a_single_chinese_character_is_found_anywhere_in_a_name_but_not_in_descriptions():
    make("Hami melon", name_zh="哈密瓜")
    make("Melon seeds", name_zh="瓜子")
    make("Rose jam", name_zh="玫瑰酱", description_zh="不是瓜")

    assert sorted(search(q="瓜")) == ["Hami melon", "Melon seeds"]


def test_producer_and_village_names_find_their_products():
    farm = ProducerFactory(name_en="Ayxem Family Farm", name_zh="阿依仙木家庭农场")
    village = VillageFactory(name_en="Tuyoq", name_zh="吐峪沟")
    make("Raisins", producer=farm)
    make("Mulberries", producer=ProducerFactory(village=village))
    make("Hami melon")

    assert search(q="ayxem") == ["Raisins"]
    assert search(q="家庭农场") == ["Raisins"]
    assert search(q="tuyoq") == ["Mulberries"]
    assert search(q="吐峪沟") == ["Mulberries"]


def test_symbols_and_quotes_in_a_search_are_no_syntax():
    make("100% natural rose jam")
    make("Hami melon")

    assert search(q="100%") == ["100% natural rose jam"]
    assert search(q="%") == []
    assert search(q="_") == []
    assert search(q="\\") == []
    assert search(q="'") == []
    assert search(q="(") == []


def test_the_selector_filters_by_producer_for_the_api_and_producer_pages():
    farm = ProducerFactory(slug="ayxem-farm")
    make("Raisins", producer=farm)
    make("Hami melon")

    assert search(producer="ayxem-farm") == ["Raisins"]
    assert search(producer="nobody") == []


def test_only_active_products_of_verified_producers_are_found():
    make("Grapes on sale")
    make("Draft grapes", status=Product.Status.DRAFT)
    make("Unverified grapes", producer=ProducerFactory(is_verified=False, verified_at=None))

    assert search(q="grapes") == ["Grapes on sale"]


def test_the_page_shows_search_results_in_the_shoppers_language(client):
    make("Seedless grapes", name_zh="无核白葡萄")
    make("Hami melon", name_zh="哈密瓜")

    response = client.get(URL, {"q": "grpes"}, headers=EN)

    assert response.status_code == 200
    assert card_names(response) == ["Seedless grapes"]
    assert "Results for “grpes”" in response.content.decode()
    assert card_names(client.get(URL, {"q": "葡萄"}, headers={"accept-language": "zh-hans"})) == ["无核白葡萄"]


# Filters, alone and with a search


@pytest.fixture
def places():
    """Two counties, three villages, two categories; one product in each combination worth telling apart."""
    turpan, hotan = CountyFactory(slug="turpan"), CountyFactory(slug="hotan")
    tuyoq = VillageFactory(slug="tuyoq", county=turpan)
    grape_valley = VillageFactory(slug="grape-valley", county=turpan)
    jiya = VillageFactory(slug="jiya", county=hotan)
    fruit = CategoryFactory(slug="fresh-fruit")
    dried = CategoryFactory(slug="dried-fruit", name_en="Dried fruit", name_zh="干果", name_ug="قۇرۇق مېۋە")
    month = timezone.localdate().month
    other = month % 12 + 1
    make(
        "Tuyoq grapes",
        price="30.00",
        category=fruit,
        producer=ProducerFactory(village=tuyoq),
        harvest_start_month=month,
        harvest_end_month=month,
    )
    make(
        "Grape valley raisins",
        price="60.00",
        category=dried,
        producer=ProducerFactory(village=grape_valley),
        harvest_start_month=other,
        harvest_end_month=other,
    )
    make(
        "Hotan walnuts",
        price="90.00",
        category=dried,
        producer=ProducerFactory(village=jiya),
        harvest_start_month=other,
        harvest_end_month=other,
    )
    make(
        "Jiya grapes",
        price="45.00",
        category=fruit,
        producer=ProducerFactory(village=jiya),
        harvest_start_month=month,
        harvest_end_month=month,
    )


@pytest.mark.usefixtures("places")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "dried-fruit"}, {"Grape valley raisins", "Hotan walnuts"}),
        ({"county": "turpan"}, {"Tuyoq grapes", "Grape valley raisins"}),
        ({"village": "jiya"}, {"Hotan walnuts", "Jiya grapes"}),
        ({"in_season": "on"}, {"Tuyoq grapes", "Jiya grapes"}),
        ({"min_price": "50"}, {"Grape valley raisins", "Hotan walnuts"}),
        ({"max_price": "45"}, {"Tuyoq grapes", "Jiya grapes"}),
        ({"min_price": "40", "max_price": "60.00"}, {"Grape valley raisins", "Jiya grapes"}),
        ({"q": "grapes", "county": "hotan"}, {"Jiya grapes"}),
        ({"q": "grapes", "in_season": "on", "max_price": "40"}, {"Tuyoq grapes"}),
        ({"q": "grape", "category": "dried-fruit"}, {"Grape valley raisins"}),
        ({"q": "walnut", "village": "tuyoq"}, set()),
        ({"category": "fresh-fruit", "county": "turpan", "village": "tuyoq", "in_season": "on"}, {"Tuyoq grapes"}),
    ],
)
def test_each_filter_alone_and_combined_with_search(client, params, expected):
    response = client.get(URL, params, headers=EN)

    assert response.status_code == 200
    assert set(card_names(response)) == expected
    assert 'class="filter-notice"' not in response.content.decode()


def test_the_price_filter_uses_the_lowest_price_on_sale():
    product = make("Walnuts", price="80.00")
    VariantFactory(product=product, price=Decimal("20.00"), is_active=False)
    VariantFactory(product=product, price=Decimal("35.00"))

    assert search(max_price=Decimal("34.99")) == []
    assert search(max_price=Decimal("35")) == ["Walnuts"]
    assert search(min_price=Decimal("36")) == []


# Sorting


def test_without_a_search_the_newest_come_first_and_prices_sort_both_ways(client):
    old = make("Old raisins", price="20.00")
    Product.objects.filter(pk=old.pk).update(published_at=timezone.now() - timezone.timedelta(days=30))
    make("Dear saffron", price="300.00")
    make("Cheap jujubes", price="10.00")

    assert card_names(client.get(URL, headers=EN)) == ["Cheap jujubes", "Dear saffron", "Old raisins"]
    assert card_names(client.get(URL, {"sort": "newest"}, headers=EN)) == [
        "Cheap jujubes",
        "Dear saffron",
        "Old raisins",
    ]
    asc = card_names(client.get(URL, {"sort": "price_asc"}, headers=EN))
    assert asc == ["Cheap jujubes", "Old raisins", "Dear saffron"]
    assert card_names(client.get(URL, {"sort": "price_desc"}, headers=EN)) == asc[::-1]


@pytest.mark.parametrize("first_look", [1, 100], ids=["collected and sorted", "found among the first looked at"])
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["Grape jam", "Seedless grapes", "Red grapes"]),
        ("price_desc", ["Grape vinegar", "Seedless grapes", "Red grapes"]),
    ],
)
def test_a_search_sorted_by_price_gives_the_same_order_whichever_way_it_is_answered(
    monkeypatch, first_look, sort, expected
):
    """A sorted search first tests the cheapest (or dearest) products, then, when too few of those match,
    collects every match and sorts it: both give the cheapest matches, ties newest first."""
    from catalog import search as search_module
    from catalog.models import ProductSearch
    from catalog.selectors import _search_ordering

    older = make("Red grapes", price="20.00")
    ProductSearch.objects.filter(pk=older.pk).update(published_at=timezone.now() - timezone.timedelta(days=3))
    make("Seedless grapes", price="20.00")
    make("Grape jam", price="5.00")
    make("Grape vinegar", price="90.00")
    make("Cheap walnuts", price="1.00")
    make("Dear saffron", price="500.00")
    monkeypatch.setattr(search_module, "FIRST_LOOK_ROWS", first_look)

    ids = search_module.found_ids(
        ProductSearch.objects.filter(is_active=True), "grape", order=_search_ordering(sort), limit=3
    )

    assert names(Product.objects.get(pk=pk) for pk in ids) == expected


def current_sort(response) -> str:
    """The sort chip marked current: its link's sort parameter."""
    body = response.content.decode()
    (sort,) = re.findall(r'<a class="chip" href="[^"]*?(sort=\w+)[^"]*" aria-current="true">', body)
    return sort


def test_a_search_sorts_by_relevance_unless_asked_otherwise(client):
    make("Seedless grapes", price="10.00")
    make("Grapes", price="90.00")

    assert card_names(client.get(URL, {"q": "grapes"}, headers=EN)) == ["Grapes", "Seedless grapes"]
    by_price = client.get(URL, {"q": "grapes", "sort": "price_asc"}, headers=EN)
    assert card_names(by_price) == ["Seedless grapes", "Grapes"]
    # The sort chips mark the order in use.
    assert current_sort(by_price) == "sort=price_asc"
    assert current_sort(client.get(URL, {"q": "grapes"})) == "sort=relevance"
    assert current_sort(client.get(URL)) == "sort=newest"


# Paging


def test_pages_hold_24_and_their_links_keep_the_search_and_filters(client):
    for n in range(30):
        make(f"Grapes {n:02d}", price="30.00")
    make("Hami melon", price="30.00")

    first = client.get(URL, {"q": "grapes", "max_price": "40", "in_season": "on"}, headers=EN)
    body = first.content.decode()

    assert len(card_names(first)) == 24
    assert "30 products" in body
    next_link = re.search(r'<a class="page-next" rel="next" href="([^"]+)"', body)[1].replace("&amp;", "&")
    assert next_link.startswith("?")
    assert set(next_link[1:].split("&")) == {"q=grapes", "max_price=40", "in_season=on", "page=2"}

    second = client.get(URL + next_link, headers=EN)
    assert len(card_names(second)) == 6
    assert "Hami melon" not in card_names(second)
    previous = re.search(r'<a class="page-prev" rel="prev" href="([^"]+)"', second.content.decode())[1]
    assert "page=1" in previous
    assert "q=grapes" in previous


# Bad input never breaks the page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_price": "abc"}, "Enter a price as a number"),
        ({"max_price": "1e999"}, "That price is too large."),
        ({"min_price": "NaN"}, "Enter a price as a number"),
        ({"min_price": "-5"}, "A price cannot be negative."),
        ({"max_price": "123456789012"}, "That price is too large."),
        ({"max_price": "9.999"}, "at most two decimal places"),
        ({"min_price": "50", "max_price": "10"}, "The highest price is below the lowest price"),
        ({"category": "no-such-thing"}, "There is no category “no-such-thing”"),
        ({"county": "atlantis"}, "There is no county “atlantis”"),
        ({"village": "../../etc"}, "There is no village “../../etc”"),
        ({"sort": "'; drop table"}, "is not a way to sort"),
        ({"q": "grapes\x00"}, "Null characters are not allowed."),
    ],
)
def test_an_unusable_value_is_reported_and_left_out_while_the_rest_applies(client, params, message):
    make("Seedless grapes", price="60.00")
    make("Hami melon", price="60.00")

    response = client.get(URL, {"q": "grapes", **params}, headers=EN)
    body = response.content.decode()

    assert response.status_code == 200
    assert message in body
    assert 'class="filter-notice" role="alert"' in body
    expected = ["Hami melon", "Seedless grapes"] if "q" in params else ["Seedless grapes"]
    assert sorted(card_names(response)) == expected


def test_a_page_out_of_range_or_not_a_number_shows_a_real_page_with_a_note(client):
    for n in range(30):
        make(f"Grapes {n:02d}")

    for page, shown, message in [
        ("99", "Grapes 00", "There is no page 99; here is the last page, 2."),
        ("0", "Grapes 29", "Pages start at 1"),
        ("-3", "Grapes 29", "Pages start at 1"),
        ("abc", "Grapes 29", "“abc” is not a page number"),
        ("9" * 5000, "Grapes 29", "is not a page number"),
    ]:
        response = client.get(URL, {"page": page}, headers=EN)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert shown in card_names(response)


def test_an_absurdly_long_search_is_cut_and_still_answers(client):
    make("Seedless grapes")

    response = client.get(URL, {"q": "grapes " + "x" * 5000}, headers=EN)

    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()


def test_no_results_say_so(client):
    make("Seedless grapes")

    body = client.get(URL, {"q": "saffron"}, headers=EN).content.decode()

    assert "Nothing matches “saffron”." in body
    assert "0 products" in body


def test_the_search_text_is_escaped(client):
    body = client.get(URL, {"q": "<script>alert(1)</script>"}, headers=EN).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# Queries


def test_the_list_runs_the_same_queries_for_3_products_as_for_24(client, uncached_pages):
    def add(n):
        for _ in range(n):
            product = make("Grapes", price="30.00")
            VariantFactory(product=product, price=Decimal("40.00"))
            ProductImageFactory(product=product)
            ProductImageFactory(product=product)

    params = {"q": "grapes", "category": "fresh-fruit", "max_price": "100", "sort": "price_asc"}
    add(3)
    with CaptureQueriesContext(connection) as three:
        client.get(URL, params)
    add(21)
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(URL, params)

    assert len(card_names(response)) == 24
    assert len(twenty_four) == len(three), [q["sql"] for q in twenty_four.captured_queries]
