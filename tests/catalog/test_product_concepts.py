"""A producer says what a product is (its concepts) in the product editor and through the API, so that a listing
written in one language is found by a search in another; a concept that is unknown or no longer used is refused
and nothing changes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services
from catalog.models import Concept, Product
from catalog.selectors import product_search
from tests.api import snapshot
from tests.catalog import test_back_office
from tests.catalog.test_back_office import PRODUCT_FORM, World
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db
FARM = "tuyoq-vineyard"
# "Black pearl", a grape variety: no concept's word, so only its concepts make it found by 沙棘 in the tests.
BLACK_PEARL = "قارا مەرۋايىت"


@pytest.fixture
def world() -> World:
    """The back office's world of ``test_back_office``: a producer with a member, a product, a size and photos."""
    return test_back_office.world.__wrapped__()


@pytest.fixture
def buckthorn(db) -> Concept:
    """A concept of the test's own (the region's vocabulary may hold others): no product is named with its words."""
    return Concept.objects.create(
        slug="sea-buckthorn", name_zh="沙棘", name_ug="چاتقال", name_en="Sea buckthorn", terms="shaji, chatqal"
    )


@pytest.fixture
def goji(db) -> Concept:
    return Concept.objects.create(slug="goji", name_zh="枸杞", name_ug="گوجى", name_en="Goji")


@pytest.fixture
def retired(db) -> Concept:
    """A concept staff no longer use in search."""
    return Concept.objects.create(slug="mulberry", name_zh="桑葚", name_ug="ئۈجمە", name_en="Mulberry", is_active=False)


@pytest.fixture
def pearl(world) -> Product:
    """An active product of the member's producer, named in Uyghur only, with its search column written."""
    product = ProductFactory(producer=world.producer, slug="black-pearl", name_zh="", name_en="", name_ug=BLACK_PEARL)
    VariantFactory(product=product, price=Decimal("30.00"))
    services.product_search_refresh(product_ids=[product.pk])
    return product


def found(q: str) -> list[str]:
    return [product.slug for product in product_search(q=q)]


def tagged(product: Product) -> list[str]:
    return sorted(product.concepts.values_list("slug", flat=True))


def edit_url(slug: str) -> str:
    return reverse("dashboard-product-edit", kwargs={"producer": FARM, "slug": slug})


NEW_URL = reverse("dashboard-product-new", kwargs={"producer": FARM})


def pearl_form(*concepts: str) -> dict:
    return PRODUCT_FORM | {"name_zh": "", "name_en": "", "name_ug": BLACK_PEARL, "concepts": list(concepts)}


def detail_url(slug: str) -> str:
    return reverse("api-product-detail", kwargs={"slug": slug})


# The product editor


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "沙棘"), ("ug", "چاتقال"), ("en", "Sea buckthorn")])
def test_the_new_product_form_offers_the_concepts_in_use_named_in_the_page_language(
    world, buckthorn, goji, retired, language, label
):
    client = world.client("member")
    client.cookies["django_language"] = language
    html = client.get(NEW_URL, headers={"Accept-Language": language}).content.decode()
    assert 'value="sea-buckthorn"' in html and f">{label}</label>" in html
    assert 'value="goji"' in html
    assert 'value="mulberry"' not in html  # no longer used: not offered
    # Folded like the other optional parts, after the languages' fold.
    assert html.index('<details class="bo-fold">') < html.index('name="concepts"')


def test_a_new_product_is_saved_with_the_concepts_ticked(world, buckthorn, goji):
    CategoryFactory(slug="fresh-fruit")
    response = world.client("member").post(NEW_URL, PRODUCT_FORM | {"concepts": ["sea-buckthorn", "goji"]})
    assert response.status_code == 302
    assert tagged(Product.objects.get(name_en="Turpan raisins")) == ["goji", "sea-buckthorn"]


def test_the_editor_shows_the_concepts_ticked_and_names_them_on_the_fold(world, buckthorn, goji, pearl):
    services.product_update(product=pearl, concepts=[buckthorn], actor=None)
    html = world.client("member").get(edit_url("black-pearl")).content.decode()
    checkbox = r'<input type="checkbox" name="concepts" value="{}" id="id_concepts_\d+"{}>'
    assert re.search(checkbox.format("sea-buckthorn", " checked"), html)
    assert re.search(checkbox.format("goji", ""), html)
    assert "(optional) · Sea buckthorn</small></summary>" in html
    assert '<details class="bo-fold">' in html  # folded while nothing in it is wrong


def test_tagging_a_uyghur_only_product_in_the_editor_makes_it_found_in_chinese_and_untagging_removes_it(
    world, buckthorn, pearl
):
    client = world.client("member")
    assert "black-pearl" not in found("沙棘")

    response = client.post(edit_url("black-pearl"), pearl_form("sea-buckthorn"))
    assert response.status_code == 302
    assert tagged(pearl) == ["sea-buckthorn"]
    assert "black-pearl" in found("沙棘")
    assert "black-pearl" in found("shaji")

    response = client.post(edit_url("black-pearl"), pearl_form())
    assert response.status_code == 302
    assert tagged(pearl) == []
    assert "black-pearl" not in found("沙棘")


@pytest.mark.parametrize("bad", ["no-such-kind", "mulberry", "<script>"])
def test_the_editor_refuses_an_unknown_or_retired_concept_and_changes_nothing(world, buckthorn, retired, pearl, bad):
    services.product_update(product=pearl, concepts=[buckthorn], actor=None)
    before = snapshot()
    data = pearl_form("sea-buckthorn", bad) | {"name_en": "New"}
    response = world.client("member").post(edit_url("black-pearl"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not one of the kinds of produce listed" in html
    assert 'href="#id_concepts_0"' in html  # the error summary leads to the first checkbox
    assert '<details class="bo-fold" open>\n  <summary>What is it?' in html  # the fold opens at the error
    assert snapshot() == before
    assert tagged(pearl) == ["sea-buckthorn"]
    assert "black-pearl" in found("沙棘")


def test_the_new_product_form_refuses_an_unknown_concept_and_saves_nothing(world, buckthorn):
    CategoryFactory(slug="fresh-fruit")
    before = snapshot()
    response = world.client("member").post(NEW_URL, PRODUCT_FORM | {"concepts": ["sea-buckthorn", "no-such-kind"]})
    assert response.status_code == 200
    assert "“no-such-kind” is not one of the kinds of produce listed" in response.content.decode()
    assert snapshot() == before


def test_the_editor_refuses_more_than_20_concepts_and_changes_nothing(world, pearl):
    kinds = [Concept.objects.create(slug=f"kind-{n:02d}", name_zh=f"水果{n}", name_en=f"Fruit {n}") for n in range(21)]
    before = snapshot()
    response = world.client("member").post(edit_url("black-pearl"), pearl_form(*(kind.slug for kind in kinds)))
    assert response.status_code == 200
    assert "Choose at most 20 kinds of produce." in response.content.decode()
    assert snapshot() == before
    assert tagged(pearl) == []


def test_a_concept_staff_retired_stays_on_a_product_until_its_producer_unticks_it(world, buckthorn, retired, pearl):
    services.product_update(product=pearl, concepts=[buckthorn, retired], actor=None)
    client = world.client("member")
    html = client.get(edit_url("black-pearl")).content.decode()
    assert 'value="mulberry"' in html  # offered to the product that has it, ticked

    assert client.post(edit_url("black-pearl"), pearl_form("sea-buckthorn", "mulberry")).status_code == 302
    assert tagged(pearl) == ["mulberry", "sea-buckthorn"]
    assert client.post(edit_url("black-pearl"), pearl_form("sea-buckthorn")).status_code == 302
    assert tagged(pearl) == ["sea-buckthorn"]
    assert 'value="mulberry"' not in client.get(edit_url("black-pearl")).content.decode()


def test_the_editor_runs_the_same_queries_for_2_and_12_concepts_ticked(world, buckthorn, goji, pearl):
    services.product_update(product=pearl, concepts=[buckthorn, goji], actor=None)
    client = world.client("member")
    client.get(edit_url("black-pearl"))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(edit_url("black-pearl")).status_code == 200
    more = [
        Concept.objects.create(slug=f"kind-{n}", name_zh=f"水果{n}", name_ug=f"مېۋە {n}", name_en=f"Fruit {n}")
        for n in range(10)
    ]
    services.product_update(product=pearl, concepts=[buckthorn, goji, *more], actor=None)
    with CaptureQueriesContext(connection) as many:
        html = client.get(edit_url("black-pearl")).content.decode()
    assert html.count('name="concepts"') == Concept.objects.filter(is_active=True).count()
    assert len(many) == len(few)


# The API


def test_the_api_shows_a_products_concepts_as_slugs(roles, buckthorn, goji):
    product = ProductFactory(producer=roles.producer, slug="berries")
    VariantFactory(product=product)
    services.product_update(product=product, concepts=[buckthorn, goji], actor=None)
    response = roles.client("anonymous").get(detail_url("berries"))
    assert response.json()["concepts"] == ["goji", "sea-buckthorn"]


def test_a_member_creates_a_product_with_concepts_through_the_api(roles, buckthorn):
    category = CategoryFactory()
    response = roles.client("member").post(
        reverse("api-product-list"),
        {"category": category.slug, "name_ug": BLACK_PEARL, "concepts": ["sea-buckthorn", "sea-buckthorn"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["concepts"] == ["sea-buckthorn"]
    assert tagged(Product.objects.get(name_ug=BLACK_PEARL)) == ["sea-buckthorn"]


def test_tagging_a_uyghur_only_product_through_the_api_makes_it_found_in_chinese_and_untagging_removes_it(
    roles, buckthorn, goji
):
    product = ProductFactory(producer=roles.producer, slug="black-pearl", name_zh="", name_en="", name_ug=BLACK_PEARL)
    VariantFactory(product=product)
    services.product_search_refresh(product_ids=[product.pk])
    client = roles.client("member")
    assert "black-pearl" not in found("沙棘")

    response = client.patch(detail_url("black-pearl"), {"concepts": ["sea-buckthorn", "goji"]})
    assert response.status_code == 200, response.content
    assert response.json()["concepts"] == ["goji", "sea-buckthorn"]
    assert "black-pearl" in found("沙棘") and "black-pearl" in found("枸杞")

    # A change that leaves out `concepts` keeps them.
    assert client.patch(detail_url("black-pearl"), {"harvest_start_month": 8}).status_code == 200
    assert tagged(product) == ["goji", "sea-buckthorn"]

    response = client.patch(detail_url("black-pearl"), {"concepts": ["goji"]})
    assert response.json()["concepts"] == ["goji"]
    assert "black-pearl" not in found("沙棘")

    assert client.patch(detail_url("black-pearl"), {"concepts": []}).json()["concepts"] == []
    assert "black-pearl" not in found("枸杞")


@pytest.mark.parametrize(
    "concepts",
    [
        ["sea-buckthorn", "no-such-kind"],
        ["mulberry"],  # no longer used
        ["sea-buckthorn", 7],
        ["Not a slug!"],
        "sea-buckthorn",
        None,
        ["sea-buckthorn"] * 21,
    ],
)
def test_the_api_refuses_bad_concepts_with_a_400_on_concepts_and_changes_nothing(roles, buckthorn, retired, concepts):
    product = ProductFactory(producer=roles.producer, slug="black-pearl", name_en="Black pearl")
    services.product_update(product=product, concepts=[buckthorn], actor=None)
    before = snapshot()
    client = roles.client("member")

    changed = client.patch(detail_url("black-pearl"), {"name_en": "Renamed", "concepts": concepts})
    created = client.post(
        reverse("api-product-list"), {"category": product.category.slug, "name_en": "New", "concepts": concepts}
    )

    for response in (changed, created):
        assert response.status_code == 400, response.content
        assert list(response.json()) == ["concepts"]
    assert snapshot() == before
    assert tagged(product) == ["sea-buckthorn"]


def test_an_unknown_concept_is_named_in_the_apis_message(roles, buckthorn):
    ProductFactory(producer=roles.producer, slug="black-pearl")
    response = roles.client("member").patch(
        detail_url("black-pearl"), {"concepts": ["sea-buckthorn", "no-such-kind"]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {"concepts": ["There is no concept “no-such-kind”: `GET /concepts/` lists them."]}


def test_the_concepts_list_has_those_in_use_with_their_names_in_every_language(roles, buckthorn, goji, retired):
    response = roles.client("anonymous").get(reverse("api-concept-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert rows["sea-buckthorn"] == {
        "slug": "sea-buckthorn",
        "name": "Sea buckthorn",
        "name_zh": "沙棘",
        "name_ug": "چاتقال",
        "name_en": "Sea buckthorn",
    }
    assert "goji" in rows
    assert "mulberry" not in rows  # no longer used
    slugs = list(rows)
    assert slugs.index("goji") < slugs.index("sea-buckthorn")  # by name in the request's language
