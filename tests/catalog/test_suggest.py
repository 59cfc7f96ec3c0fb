"""Suggestions as a shopper types, at /products/suggest/ and GET /api/v1/products/suggest/: kinds of produce,
villages and counties, products on sale; in every language and script; few queries; odd input answered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from catalog import services
from catalog.models import Concept, Product
from catalog.selectors import search_suggestions
from tests.factories import CountyFactory, ProducerFactory, ProductFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db
URL = reverse("product-suggest")
API_URL = reverse("api-product-suggest")


def make(*, name_zh: str = "", name_ug: str = "", name_en: str = "", sold: int = 0, **fields) -> Product:
    """A product on sale named only as given, with its search row written as the services write it."""
    product = ProductFactory(name_zh=name_zh, name_ug=name_ug, name_en=name_en, **fields)
    VariantFactory(product=product, price=Decimal("30.00"), stock=10, units_sold=sold)
    services.product_search_refresh(product_ids=[product.pk])
    return product


def concept(slug: str, zh: str, ug: str, en: str, terms: str = "", broader: Concept | None = None) -> Concept:
    return services.concept_save(
        concept=Concept(slug=slug, name_zh=zh, name_ug=ug, name_en=en, terms=terms, broader=broader), actor=None
    )


@pytest.fixture(autouse=True)
def own_vocabulary():
    """Each test names the concepts it needs: the region's seeded vocabulary grows without changing these."""
    Concept.objects.all().delete()


@pytest.fixture
def region():
    """Grapes, raisins, Hami melons and walnuts, in Grape Valley of Gaochang District, named as REGION.md does."""
    county = CountyFactory(slug="gaochang", name_zh="高昌区", name_ug="قاراغوجا رايونى", name_en="Gaochang District")
    CountyFactory(slug="shanshan", name_zh="鄯善县", name_ug="پىچان ناھىيىسى", name_en="Shanshan County")
    valley = VillageFactory(
        slug="grape-valley", county=county, name_zh="葡萄沟", name_ug="ئۈزۈم ئېرىقى", name_en="Grape Valley"
    )
    grape = concept("grape", "葡萄", "ئۈزۈم", "Grape", "grapes, üzüm, uzum, putao")
    concept("raisin", "葡萄干", "كىشمىش", "Raisins", "raisin, kishmish, putaogan", broader=grape)
    concept("hami-melon", "哈密瓜", "قوغۇن", "Hami melon", "hami melons, qoghun")
    concept("walnut", "核桃", "ياڭاق", "Walnuts", "walnut, hetao, yangaq")
    farm = ProducerFactory(village=valley)
    products = {
        "grapes": make(
            name_zh="无核白葡萄", name_ug="ئۇرۇقسىز ئاق ئۈزۈم", name_en="Seedless white grapes", sold=40, producer=farm
        ),
        "rose-grapes": make(name_zh="玫瑰香葡萄", name_en="Muscat grapes", sold=5, producer=farm),
        "raisins": make(name_ug="كىشمىش", sold=12, producer=farm),  # named in Uyghur only
        "walnuts": make(name_zh="薄皮核桃", name_ug="ياڭاق", name_en="Thin-shell walnuts", sold=3),
        "melon": make(name_zh="哈密瓜", name_ug="قوغۇن", name_en="Hami melon", sold=1),
    }
    return products


def kinds(suggestions) -> list[tuple[str, str]]:
    return [(s.kind, s.label) for s in suggestions]


def suggest(q: str, language: str = "en"):
    with translation.override(language):
        return search_suggestions(q=q)


# What comes back, in each language and script


def test_a_chinese_character_suggests_its_kinds_of_produce_the_village_and_the_products(region):
    found = suggest("葡", "zh-hans")

    assert kinds(found)[:2] == [("concept", "葡萄"), ("concept", "葡萄干")]
    assert ("village", "葡萄沟") in kinds(found)
    assert [label for kind, label in kinds(found) if kind == "product"] == ["无核白葡萄", "玫瑰香葡萄"]
    by_label = {s.label: s.url for s in found}
    assert by_label["葡萄"] == "/products/?q=%E8%91%A1%E8%90%84"
    assert by_label["葡萄沟"] == reverse("village-detail", kwargs={"slug": "grape-valley"})
    assert by_label["无核白葡萄"] == region["grapes"].get_absolute_url()


def test_pinyin_finds_the_concept_and_products_named_in_chinese_labelled_in_the_readers_language(region):
    found = suggest("pu", "ug")

    assert ("concept", "ئۈزۈم") in kinds(found)
    products = [label for kind, label in kinds(found) if kind == "product"]
    assert products[0] == "ئۇرۇقسىز ئاق ئۈزۈم"  # the best seller, in Uyghur
    assert "玫瑰香葡萄" in products  # no Uyghur name: the name it has


def test_pinyin_initials_find_the_concept():
    concept("grape", "葡萄", "ئۈزۈم", "Grape")

    assert kinds(suggest("pt", "zh-hans")) == [("concept", "葡萄")]


def test_english_prefix_suggests_the_concept_the_village_and_the_products(region):
    found = suggest("gr", "en")

    assert kinds(found)[0] == ("concept", "Grape")
    assert ("village", "Grape Valley") in kinds(found)
    assert ("product", "Seedless white grapes") in kinds(found)
    assert ("product", "Muscat grapes") in kinds(found)
    assert all(label not in {"Thin-shell walnuts", "Hami melon"} for _kind, label in kinds(found))


def test_uyghur_arabic_script_prefix_suggests_in_uyghur(region):
    found = suggest("ئۈ", "ug")

    assert kinds(found)[0] == ("concept", "ئۈزۈم")
    assert ("village", "ئۈزۈم ئېرىقى") in kinds(found)
    assert ("product", "ئۇرۇقسىز ئاق ئۈزۈم") in kinds(found)


def test_uyghur_latin_script_finds_what_is_written_in_arabic_script(region):
    found = suggest("kish", "ug")

    assert ("concept", "كىشمىش") in kinds(found)
    assert ("product", "كىشمىش") not in kinds(found)  # the product named as the concept is not said twice


def test_several_words_complete_the_last_one(region):
    assert kinds(suggest("hami m", "en")) == [("concept", "Hami melon")]
    assert ("product", "Thin-shell walnuts") in kinds(suggest("thin w", "en"))


def test_a_single_chinese_character_completes_a_walnut(region):
    found = suggest("核", "zh-hans")

    # 无核白葡萄 (seedless grapes) holds 核 too, but the walnut comes first.
    assert kinds(found) == [("concept", "核桃"), ("product", "薄皮核桃"), ("product", "无核白葡萄")]


def test_a_county_leads_to_its_products():
    CountyFactory(slug="shanshan", name_zh="鄯善县", name_ug="پىچان ناھىيىسى", name_en="Shanshan County")

    found = suggest("鄯善", "zh-hans")

    assert kinds(found) == [("county", "鄯善县")]
    assert found[0].url == "/products/?county=shanshan"


def test_products_not_on_sale_are_never_suggested(region):
    make(name_en="Grape juice draft", status=Product.Status.DRAFT, published_at=None)
    make(name_en="Grapevine cuttings", producer=ProducerFactory(is_verified=False, verified_at=None))
    make(name_en="Grape jam archived", status=Product.Status.ARCHIVED)

    labels = [label for _kind, label in kinds(suggest("grape", "en"))]

    assert not {"Grape juice draft", "Grapevine cuttings", "Grape jam archived"} & set(labels)


def test_products_come_by_units_sold_each_name_once_and_eight_at_most():
    for sold in range(12):
        make(name_en=f"Apricot lot {sold}", sold=sold)
    make(name_en="Apricot lot 11", sold=0)

    found = suggest("apri", "en")

    assert len(found) == 8
    assert [s.label for s in found] == [f"Apricot lot {n}" for n in range(11, 3, -1)]


def test_names_that_begin_with_the_text_come_before_names_that_only_hold_it():
    make(name_en="Dried grapes", sold=100)
    make(name_en="Grape molasses", sold=1)

    assert [s.label for s in suggest("grape", "en")] == ["Grape molasses", "Dried grapes"]


@pytest.mark.parametrize("q", ["", "   ", "a", "ئ", "!!!", "'", "\x00", "a\x00"])
def test_empty_one_letter_or_wordless_input_suggests_nothing_without_a_query(q, region, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search_suggestions(q=q) == []


def test_at_most_three_queries_however_many_matches(region, django_assert_max_num_queries):
    for n in range(20):
        make(name_zh=f"葡萄礼盒{n}", name_en=f"Grape gift box {n}")

    with django_assert_max_num_queries(3):
        found = search_suggestions(q="葡")

    assert len(found) == 8


# The storefront's endpoint


def test_the_endpoint_answers_json_in_the_readers_language_kept_a_minute_per_language(client, region):
    response = client.get(URL, {"q": "葡"}, headers={"accept-language": "zh-hans"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["suggestions"][0] == {"kind": "concept", "label": "葡萄", "url": "/products/?q=%E8%91%A1%E8%90%84"}
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
    assert "max-age=60" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_endpoint_follows_the_language_cookie(client, region):
    client.cookies["django_language"] = "ug"

    body = client.get(URL, {"q": "grape"}).json()

    assert body["suggestions"][0]["label"] == "ئۈزۈم"


@pytest.mark.parametrize("q", [None, "", "x", "\x00", "葡" * 500, "<script>alert(1)</script>", "' OR 1=1 --", "%"])
def test_odd_input_answers_200_and_never_fails(client, region, q):
    response = client.get(URL, {} if q is None else {"q": q})

    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_the_endpoint_reads_with_at_most_three_queries(client, region, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": "gr"})

    assert len(response.json()["suggestions"]) >= 3


def test_the_endpoint_only_answers_reads(client):
    assert client.post(URL, {"q": "grape"}).status_code == 405


def test_suggest_is_not_read_as_a_products_slug(client):
    assert client.get("/products/suggest/").status_code == 200


# The API


def test_the_api_answers_the_same_suggestions_with_absolute_urls(region):
    api = APIClient()

    body = api.get(API_URL, {"q": "gr"}, headers={"accept-language": "en"}).json()
    page = APIClient().get(URL, {"q": "gr"}, headers={"accept-language": "en"}).json()

    assert [(s["kind"], s["label"]) for s in body["suggestions"]] == [
        (s["kind"], s["label"]) for s in page["suggestions"]
    ]
    assert body["suggestions"][0]["url"] == "http://testserver/products/?q=Grape"


def test_the_api_answers_an_empty_list_without_q(region):
    response = APIClient().get(API_URL)

    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def test_the_api_refuses_q_longer_than_100_characters_naming_the_field():
    response = APIClient().get(API_URL, {"q": "x" * 101}, headers={"accept-language": "en"})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    assert "100" in response.json()["q"][0]


def test_the_api_refuses_a_nul_character_naming_the_field():
    response = APIClient().get(API_URL, {"q": "gr\x00"}, headers={"accept-language": "en"})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_the_api_reads_with_at_most_three_queries_and_its_rate_limit(region, django_assert_max_num_queries):
    api = APIClient()
    # The fourth counts the request against the API's rate limit (in the database when there is no Redis).
    with django_assert_max_num_queries(4):
        response = api.get(API_URL, {"q": "葡"})

    assert response.status_code == 200
    assert len(response.json()["suggestions"]) >= 4
