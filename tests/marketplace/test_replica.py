"""The read replica: only reads marked read-only go there; writes, reads in a transaction and the rest use the primary.

The replica is a real second database (``test_<name>_replica``, made by tests/conftest.py
only for tests that ask for it). A product's row is copied to it with the same primary key,
as replication would, and then renamed there only, so every answer tells which database it
was read from.
"""

from __future__ import annotations

import pytest
from django.core import serializers
from django.db import connections, router, transaction
from django.urls import reverse

from catalog import search_text, selectors
from catalog.models import Product, ProductSearch, SearchWord
from catalog.services import product_update
from marketplace.db_routers import ReplicaRouter, replica_reads
from producers.models import Producer
from tests.factories import MembershipFactory, VariantFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)

PRIMARY_NAME = "Turpan raisins"
REPLICA_NAME = "Seedless grapes"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def replicate(*objects) -> None:
    """Copy rows to the replica as they are, primary keys included, as streaming replication would."""
    for copy in serializers.deserialize("python", serializers.serialize("python", objects)):
        copy.save(using="replica")


@pytest.fixture
def product(settings) -> Product:
    """A product on sale on both databases, named differently on each; replica reads on; no shared page cache."""
    settings.DATABASE_READ_REPLICA = "replica"
    # The views themselves answer, not the shared page cache (which also reads the replica).
    settings.PAGE_CACHE_SECONDS = 0
    variant = VariantFactory(product__name_en=PRIMARY_NAME, product__producer__name_en="Primary farm")
    product = Product.objects.get(pk=variant.product_id)
    producer = product.producer
    village = producer.village
    search_row = ProductSearch.objects.get(pk=product.pk)
    replicate(village.county.prefecture, village.county, village, producer, product.category, product, variant)
    replicate(search_row)
    Product.objects.using("replica").filter(pk=product.pk).update(name_en=REPLICA_NAME)
    # The search row and the words typos are corrected towards, as the replica's copy of the services' writes.
    with connections["replica"].cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_productsearch SET words = %s::tsvector WHERE product_id = %s",
            [search_text.document(names=[REPLICA_NAME], concept_ids=()), product.pk],
        )
    SearchWord.objects.using("replica").bulk_create(
        [SearchWord(word=word) for word in search_text.vocabulary([REPLICA_NAME])], ignore_conflicts=True
    )
    Producer.objects.using("replica").filter(pk=producer.pk).update(name_en="Replica farm")
    return product


def name_read(pk: int) -> str:
    return Product.objects.get(pk=pk).name_en


def test_reads_inside_replica_reads_come_from_the_replica_and_all_others_from_the_primary(product):
    assert name_read(product.pk) == PRIMARY_NAME
    with replica_reads():
        assert name_read(product.pk) == REPLICA_NAME
        assert [card.name_en for card in selectors.product_cards()] == [REPLICA_NAME]
    assert name_read(product.pk) == PRIMARY_NAME


def test_replica_reads_decorates_a_view_with_or_without_parentheses(product):
    @replica_reads
    def bare(pk):
        return name_read(pk)

    @replica_reads()
    def called(pk):
        return name_read(pk)

    assert bare(product.pk) == REPLICA_NAME
    assert called(product.pk) == REPLICA_NAME
    assert name_read(product.pk) == PRIMARY_NAME


def test_an_object_read_from_the_replica_reads_its_relations_from_the_primary_afterwards(product):
    """Outside the block the primary answers, even for an object loaded from the replica."""
    with replica_reads():
        from_replica = Product.objects.get(pk=product.pk)

    assert from_replica.producer.name_en == "Primary farm"


def test_writes_inside_replica_reads_go_to_the_primary_and_a_service_reads_its_own_writes(product):
    with replica_reads():
        updated = product_update(product=Product.objects.get(pk=product.pk), name_en="Sultana raisins", actor=None)
        with transaction.atomic():
            # Inside a transaction on the primary, reads stay there: they must see its writes.
            assert name_read(product.pk) == "Sultana raisins"
        assert name_read(product.pk) == REPLICA_NAME

    assert updated.name_en == "Sultana raisins"
    assert Product.objects.using("default").get(pk=product.pk).name_en == "Sultana raisins"
    assert Product.objects.using("replica").get(pk=product.pk).name_en == REPLICA_NAME


def test_the_api_product_list_and_detail_read_the_replica_for_anonymous_callers(client, product):
    detail = reverse("api-product-detail", kwargs={"slug": product.slug})

    listed = client.get(reverse("api-product-list"), **EN)
    shown = client.get(detail, **EN)

    assert [card["name"] for card in listed.json()["results"]] == [REPLICA_NAME]
    assert listed.json()["results"][0]["producer"]["name"] == "Replica farm"
    assert shown.json()["name"] == REPLICA_NAME


def test_the_api_search_on_the_replica_tolerates_typos_as_on_the_primary(client, product):
    """The word-similarity threshold is set on the replica's connection, the one the search reads."""
    response = client.get(reverse("api-product-list"), {"q": "grpes"}, **EN)

    assert [card["name"] for card in response.json()["results"]] == [REPLICA_NAME]


def test_a_signed_in_caller_reads_the_primary_and_writes_through_the_api_go_there(client, product):
    """A member reads back what they just wrote, which the replica may not have yet; their session is the primary's."""
    member = MembershipFactory(producer=product.producer).user
    client.force_login(member)
    detail = reverse("api-product-detail", kwargs={"slug": product.slug})

    assert client.get(detail, **EN).json()["name"] == PRIMARY_NAME
    assert [card["name"] for card in client.get(reverse("api-product-list"), **EN).json()["results"]] == [PRIMARY_NAME]

    response = client.patch(detail, {"name_en": "Sultana raisins"}, content_type="application/json", **EN)

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Sultana raisins"
    assert Product.objects.using("default").get(pk=product.pk).name_en == "Sultana raisins"
    assert Product.objects.using("replica").get(pk=product.pk).name_en == REPLICA_NAME


@pytest.mark.parametrize("alias", ["", "missing"])
def test_without_a_configured_replica_everything_reads_the_primary(client, settings, product, alias):
    settings.DATABASE_READ_REPLICA = alias

    with replica_reads():
        assert name_read(product.pk) == PRIMARY_NAME
    listed = client.get(reverse("api-product-list"), **EN)
    shown = client.get(reverse("api-product-detail", kwargs={"slug": product.slug}), **EN)

    assert [card["name"] for card in listed.json()["results"]] == [PRIMARY_NAME]
    assert shown.json()["name"] == PRIMARY_NAME


def test_only_the_primary_is_migrated(settings):
    """A replica receives the schema by replication; migrate, flush and loaddata never touch it.

    The test run migrates its replica through a router of its own (tests/conftest.py), so the
    production routers are checked alone here.
    """
    settings.DATABASE_ROUTERS = ["marketplace.db_routers.ReplicaRouter"]

    assert router.allow_migrate_model("default", Product)
    assert not router.allow_migrate_model("replica", Product)
    assert ReplicaRouter().allow_migrate("default", "catalog", model_name="product")
    assert not ReplicaRouter().allow_migrate("replica", "catalog", model_name="product")


def test_writes_go_to_the_primary_even_for_an_object_read_from_the_replica(product):
    with replica_reads():
        from_replica = Product.objects.get(pk=product.pk)
        assert router.db_for_write(Product, instance=from_replica) == "default"
        from_replica.name_en = "Written back"
        from_replica.save(update_fields=["name_en"])

    assert Product.objects.using("default").get(pk=product.pk).name_en == "Written back"
    assert Product.objects.using("replica").get(pk=product.pk).name_en == REPLICA_NAME


@pytest.mark.parametrize("page", ["product-detail", "api-product-detail"])
def test_a_shared_page_is_rendered_from_the_replica_but_from_the_primary_right_after_a_write(
    client, settings, product, page
):
    """Also the API's product, whose view asks for the replica itself: right after a write the cache knows better."""
    settings.PAGE_CACHE_SECONDS = 30
    url = reverse(page, args=[product.slug])
    assert REPLICA_NAME in client.get(url, **EN).content.decode()

    # A write the replica has not replayed yet: the page must not be stored from the replica's old rows.
    product_update(product=Product.objects.get(pk=product.pk), name_en="Turpan green raisins", actor=None)
    after_write = client.get(url, **EN)

    assert after_write["X-Page-Cache"] == "miss"
    assert "Turpan green raisins" in after_write.content.decode()
    assert "Turpan green raisins" in client.get(url, **EN).content.decode()  # and that copy is kept
