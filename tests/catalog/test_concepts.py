"""Staff keep the search vocabulary (concepts) in the admin and tag products with it: a search in any language
then finds a product named in another; bad input is refused and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import Concept, Product, SearchWord
from catalog.selectors import product_search
from catalog.vocabulary import REGION_CONCEPTS, region_concepts_ensure
from tests.admin_forms import change_form_data
from tests.api import snapshot
from tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

CONCEPTS = reverse("admin:catalog_concept_changelist")
ADD_CONCEPT = reverse("admin:catalog_concept_add")
ADD_PRODUCT = reverse("admin:catalog_product_add")
# "Black pearl", a grape variety: no concept's word, so only its concepts make it found.
BLACK_PEARL = "قارا مەرۋايىت"


def concept_url(concept: Concept) -> str:
    return reverse("admin:catalog_concept_change", args=[concept.pk])


def product_url(product: Product) -> str:
    return reverse("admin:catalog_product_change", args=[product.pk])


def found(q: str) -> list[str]:
    return [product.slug for product in product_search(q=q)]


def searchable(**fields) -> Product:
    """An active product on sale, with its search row written."""
    product = ProductFactory(**fields)
    VariantFactory(product=product, price=Decimal("30.00"))
    services.product_prices_refresh(product_ids=[product.pk])
    services.product_search_refresh(product_ids=[product.pk])
    return product


def concept_form(concept: Concept | None = None, **changes) -> dict:
    data = {"slug": "", "name_zh": "", "name_ug": "", "name_en": "", "terms": "", "broader": "", "is_active": "on"}
    if concept is not None:
        data.update(
            slug=concept.slug,
            name_zh=concept.name_zh,
            name_ug=concept.name_ug,
            name_en=concept.name_en,
            terms=concept.terms,
            broader=concept.broader_id or "",
        )
    data.update(changes)
    return data


@pytest.fixture
def grape() -> Concept:
    return Concept.objects.create(slug="grape", name_zh="葡萄", name_ug="ئۈزۈم", name_en="Grapes", terms="putao")


@pytest.fixture
def raisin(grape) -> Concept:
    return Concept.objects.create(slug="raisin", name_zh="葡萄干", name_ug="كىشمىش", name_en="Raisins", broader=grape)


@pytest.fixture
def pearl() -> Product:
    """Named in Uyghur only, with no word of any concept."""
    return searchable(slug="black-pearl", name_zh="", name_en="", name_ug=BLACK_PEARL, original_language="ug")


def test_staff_tag_a_product_in_the_admin_and_search_finds_it_by_the_concepts_terms_in_every_script(
    admin_client, grape, pearl
):
    """Ticking the grape concept on a Uyghur-only product rewrites its search row: 葡萄, "grapes", "putao" and
    ئۈزۈم find it; unticking it again removes it."""
    assert found("葡萄") == found("putao") == []

    data = change_form_data(admin_client.get(product_url(pearl)))
    data["concepts"] = [grape.pk]
    response = admin_client.post(product_url(pearl), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(pearl.concepts.all()) == [grape]
    for query in ("葡萄", "grapes", "grape", "putao", "ئۈزۈم"):
        assert found(query) == ["black-pearl"], query

    data["concepts"] = []
    admin_client.post(product_url(pearl), data)

    assert not pearl.concepts.exists()
    assert found("葡萄") == found("putao") == []


def test_a_product_created_in_the_admin_with_concepts_is_found_by_them(admin_client, grape, pearl):
    """The add page's concepts go through product_create with the product, so its search row holds them."""
    data = change_form_data(admin_client.get(ADD_PRODUCT))
    data.update(
        {
            "producer": pearl.producer_id,
            "category": pearl.category_id,
            "slug": "kara-marwayit",
            "status": Product.Status.ACTIVE,
            "name_ug": "قارا مەرۋايىت (ئىككىنچى)",
            "concepts": [grape.pk],
            "variants-TOTAL_FORMS": "1",
            "variants-0-sku": "PEARL-2",
            "variants-0-name_ug": "2 كىلو",
            "variants-0-price": "35.00",
            "variants-0-weight_grams": "2000",
            "variants-0-stock": "40",
            "variants-0-is_active": "on",
            "variants-0-position": "0",
        }
    )

    response = admin_client.post(ADD_PRODUCT, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(slug="kara-marwayit")
    assert list(product.concepts.all()) == [grape]
    assert found("葡萄") == ["kara-marwayit"]


def test_a_term_staff_add_to_a_concept_finds_the_products_tagged_with_it_at_once(admin_client, grape, pearl):
    """A new term in the concept's admin page finds the tagged products without rewriting them, and joins the
    words typos are corrected towards."""
    services.product_update(product=pearl, concepts=[grape], actor=None)
    assert found("kishmish") == []

    response = admin_client.post(concept_url(grape), concept_form(grape, terms="putao\nkishmish, sultana"))

    assert response.status_code == 302, response.content.decode()[:2000]
    grape.refresh_from_db()
    assert grape.all_terms() == ["葡萄", "ئۈزۈم", "Grapes", "putao", "kishmish", "sultana"]
    assert found("kishmish") == found("sultana") == ["black-pearl"]
    assert SearchWord.objects.filter(word__in=["kishmish", "sultana"]).count() == 2


def test_a_term_staff_add_finds_the_products_whose_names_hold_it_and_one_they_remove_stops(
    admin_client, grape, django_capture_on_commit_callbacks
):
    """Products carry a token for each concept their names hold a term of: a term staff add makes the worker
    write anew the rows of the products named with it, so 葡萄 finds "Sultanas" from then on; taking the term
    off again writes them back."""
    searchable(slug="sultanas", name_en="Golden sultanas", name_zh="", name_ug="")
    searchable(slug="walnuts", name_en="Walnuts", name_zh="", name_ug="")
    assert found("葡萄") == found("ئۈزۈم") == []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(concept_url(grape), concept_form(grape, terms="putao, sultana"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("葡萄") == found("ئۈزۈم") == found("putao") == ["sultanas"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(concept_url(grape), concept_form(grape, terms="putao"))

    assert found("葡萄") == found("ئۈزۈم") == []


def test_staff_add_a_concept_below_a_broader_one_and_the_broader_ones_words_find_its_products(
    admin_client, grape, pearl
):
    """A concept added with "grape" as its broader concept: a search for 葡萄 finds the products tagged with it."""
    response = admin_client.post(
        ADD_CONCEPT,
        concept_form(slug="raisin", name_zh="葡萄干", name_ug="كىشمىش", name_en="Raisins", broader=grape.pk),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    raisin = Concept.objects.get(slug="raisin")
    assert raisin.broader == grape
    services.product_update(product=pearl, concepts=[raisin], actor=None)
    assert found("葡萄干") == found("葡萄") == found("raisins") == ["black-pearl"]


def test_a_uyghur_only_product_tagged_raisin_is_found_by_its_chinese_and_english_names(pearl):
    """With the region's vocabulary: 葡萄干, "raisins" and 葡萄 (the broader concept) find the listing."""
    concepts = region_concepts_ensure()
    services.product_update(product=pearl, concepts=[concepts["raisin"]], actor=None)

    for query in ("葡萄干", "raisins", "raisin", "kishmish", "葡萄", "grapes"):
        assert "black-pearl" in found(query), query
    assert found("核桃") == found("walnuts") == []


def test_the_region_vocabulary_finds_a_uyghur_only_name_by_its_chinese_concept():
    """The demo's Uyghur-only raisins, untagged: their word كىشمىش is a term of the raisin concept."""
    region_concepts_ensure()
    searchable(slug="uyghur-only-raisins", name_zh="", name_en="", name_ug="چۈنجىدە قۇرۇتۇلغان كىشمىش")

    assert "uyghur-only-raisins" in found("葡萄干")
    assert "uyghur-only-raisins" in found("raisins")


def test_the_region_vocabulary_is_written_once_and_never_over_staff_edits():
    """Missing concepts are created with their broader concepts; one staff edited or deleted is kept as it is
    or made again; running it again adds nothing."""
    first = region_concepts_ensure()
    assert set(first) == {seed.slug for seed in REGION_CONCEPTS}
    assert first["raisin"].broader_id == first["grape"].pk
    Concept.objects.filter(slug="grape").update(name_en="Table grapes", terms="", is_active=False)
    Concept.objects.filter(slug="walnut-kernels").delete()
    before = Concept.objects.count()

    again = region_concepts_ensure()

    grape = Concept.objects.get(slug="grape")
    assert (grape.name_en, grape.terms, grape.is_active) == ("Table grapes", "", False)
    assert Concept.objects.count() == before + 1
    assert again["walnut-kernels"].broader_id == first["walnut"].pk
    assert region_concepts_ensure().keys() == again.keys()
    assert Concept.objects.count() == before + 1


def test_the_concept_list_shows_each_concepts_names_broader_concept_and_number_of_products(
    admin_client, grape, raisin, pearl, django_assert_max_num_queries
):
    services.product_update(product=pearl, concepts=[raisin], actor=None)
    for number in range(5):
        Concept.objects.create(slug=f"kind-{number}", name_zh=f"种类{number}", name_ug="تۈر", name_en=f"Kind {number}")

    with django_assert_max_num_queries(12):
        response = admin_client.get(CONCEPTS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    rows = {concept.slug: concept for concept in response.context["cl"].result_list}
    assert rows["raisin"].product_count == 1 and rows["grape"].product_count == 0
    body = response.content.decode()
    assert "葡萄干" in body and "كىشمىش" in body and "Raisins" in body


def test_the_concept_search_finds_a_concept_by_any_of_its_terms(admin_client, grape, raisin):
    response = admin_client.get(CONCEPTS, {"q": "putao"})

    assert [concept.slug for concept in response.context["cl"].result_list] == ["grape"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": ""}, "slug"),
        ({"slug": "not a slug!"}, "slug"),
        ({"slug": "raisin"}, "slug"),  # another concept's
        ({"name_en": ""}, "name_en"),
    ],
)
def test_the_concept_admin_refuses_bad_input_and_changes_nothing(admin_client, grape, raisin, changes, field):
    before = snapshot(("catalog",))

    response = admin_client.post(concept_url(grape), concept_form(grape, **changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert snapshot(("catalog",)) == before


def test_a_concept_cannot_be_its_own_broader_concept_nor_below_one_of_its_narrower_ones(admin_client, grape, raisin):
    """Grape as its own broader, or below raisin (which is below grape): refused on the form, nothing changes."""
    before = snapshot(("catalog",))

    itself = admin_client.post(concept_url(grape), concept_form(grape, broader=grape.pk))
    cycle = admin_client.post(concept_url(grape), concept_form(grape, broader=raisin.pk))

    for response in (itself, cycle):
        assert response.status_code == 200
        assert "broader" in response.context["adminform"].form.errors
    assert snapshot(("catalog",)) == before


def test_a_new_concept_with_no_slug_is_refused_and_nothing_is_added(admin_client):
    response = admin_client.post(ADD_CONCEPT, concept_form(name_zh="桑葚", name_ug="ئۈجمە", name_en="Mulberries"))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Concept.objects.exists()
    assert not SearchWord.objects.filter(word="mulberries").exists()
