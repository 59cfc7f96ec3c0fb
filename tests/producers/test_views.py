"""Producer and village pages: verified producers only, their products, and no staff-only data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog.models import Product
from producers.models import Producer
from tests.factories import (
    CountyFactory,
    PrefectureFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def card_names(response) -> list[str]:
    return re.findall(r'<span class="card-name">([^<]*)</span>', response.content.decode())


@pytest.fixture
def village():
    county = CountyFactory(name_en="Shanshan", prefecture=PrefectureFactory(name_en="Turpan"))
    return VillageFactory(
        slug="tuyoq",
        name_en="Tuyoq",
        county=county,
        description_en="A green gorge below the Flaming Mountains.",
        photo="villages/tuyoq.jpg",
    )


@pytest.fixture
def producer(village):
    return ProducerFactory(
        slug="ayxem-farm",
        name_en="Ayxem Family Farm",
        kind=Producer.Kind.COOPERATIVE,
        village=village,
        description_en="We dry our grapes in mud-brick shade houses.",
        photo="producers/ayxem.jpg",
    )


# The producer page


def test_the_producer_page_shows_story_kind_village_and_products_on_sale(client, producer):
    ProductFactory(producer=producer, name_en="Green raisins")
    ProductFactory(producer=producer, name_en="Draft jam", status=Product.Status.DRAFT)
    ProductFactory(name_en="Someone else's melon")

    response = client.get(reverse("producer-detail", args=["ayxem-farm"]), headers=EN)
    body = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Ayxem Family Farm</h1>" in body
    assert "Cooperative" in body
    assert "We dry our grapes in mud-brick shade houses." in body
    assert 'href="/villages/tuyoq/"' in body
    assert "Shanshan" in body
    assert '<img class="place-profile-photo" src="/media/producers/ayxem.jpg" alt="Ayxem Family Farm"' in body
    assert card_names(response) == ["Green raisins"]


@pytest.mark.parametrize("slug", ["unverified", "no-such-producer"])
def test_an_unverified_or_unknown_producer_is_not_found(client, slug):
    ProducerFactory(slug="unverified", is_verified=False, verified_at=None)

    assert client.get(reverse("producer-detail", args=[slug])).status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "ug", "en"])
def test_the_low_income_flag_is_never_shown(client, producer, language):
    """Staff-only: neither the field's label (in any language) nor its name reaches the page."""
    Producer.objects.filter(pk=producer.pk).update(is_low_income_household=True)
    ProductFactory(producer=producer)
    field = Producer._meta.get_field("is_low_income_household")
    labels = set()
    for code in ("zh-hans", "ug", "en"):
        with translation.override(code):
            labels.add(str(field.verbose_name).lower())

    pages = [
        reverse("producer-detail", args=[producer.slug]),
        reverse("village-detail", args=[producer.village.slug]),
        Product.objects.get(producer=producer).get_absolute_url(),
    ]
    for url in pages:
        body = client.get(url, headers={"accept-language": language}).content.decode().lower()
        assert "is_low_income_household" not in body
        assert "low-income" not in body
        assert "low_income" not in body
        assert "低收入" not in body
        assert "تۆۋەن كىرىملىك" not in body
        for label in labels:
            assert label not in body, (url, label)


def test_a_producers_products_are_paged_24_at_a_time(client, producer):
    for n in range(26):
        ProductFactory(producer=producer, name_en=f"Raisins {n:02d}")

    url = reverse("producer-detail", args=[producer.slug])
    first, second = client.get(url, headers=EN), client.get(url, {"page": "2"}, headers=EN)
    last = client.get(url, {"page": "7"}, headers=EN)

    assert len(card_names(first)) == 24
    assert len(card_names(second)) == 2
    assert last.status_code == 200
    assert card_names(last) == card_names(second)
    assert "There is no page 7" in last.content.decode()


# The village page


def test_the_village_page_shows_place_verified_producers_and_their_products(client, village, producer):
    ProducerFactory(village=village, name_en="Hidden workshop", is_verified=False, verified_at=None)
    ProductFactory(producer=producer, name_en="Green raisins")
    ProductFactory(producer__village=village, producer__is_verified=False, name_en="Unverified jam")
    ProductFactory(name_en="Far away melon")

    response = client.get(reverse("village-detail", args=["tuyoq"]), headers=EN)
    body = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Tuyoq</h1>" in body
    assert "Shanshan · Turpan" in body
    assert "A green gorge below the Flaming Mountains." in body
    assert '<img class="place-profile-photo" src="/media/villages/tuyoq.jpg" alt="Tuyoq"' in body
    assert 'href="/producers/ayxem-farm/"' in body
    assert "Hidden workshop" not in body
    assert card_names(response) == ["Green raisins"]


def test_an_unknown_village_is_not_found(client):
    assert client.get(reverse("village-detail", args=["atlantis"])).status_code == 404


def test_a_villages_products_are_paged_24_at_a_time(client, producer):
    for n in range(25):
        ProductFactory(producer=producer, name_en=f"Raisins {n:02d}")

    url = reverse("village-detail", args=[producer.village.slug])

    assert len(card_names(client.get(url))) == 24
    assert len(card_names(client.get(url, {"page": "2"}))) == 1
    assert client.get(url, {"page": "x"}).status_code == 200


# Queries


def _add_products(n, **producer):
    for _ in range(n):
        product = ProductFactory(**producer)
        VariantFactory(product=product)
        ProductImageFactory(product=product)


def test_the_producer_page_runs_the_same_queries_for_3_products_as_for_24(client, producer, uncached_pages):
    url = reverse("producer-detail", args=[producer.slug])
    _add_products(3, producer=producer)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    _add_products(21, producer=producer)
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(url)

    assert len(card_names(response)) == 24
    assert len(twenty_four) == len(three), [q["sql"] for q in twenty_four.captured_queries]


def test_the_village_page_runs_the_same_queries_for_3_producers_and_products_as_for_24(client, village, uncached_pages):
    url = reverse("village-detail", args=[village.slug])
    _add_products(3, producer__village=village)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    _add_products(21, producer__village=village)
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(url)

    assert len(card_names(response)) == 24
    assert response.content.decode().count('class="place-card"') == 24
    assert len(twenty_four) == len(three), [q["sql"] for q in twenty_four.captured_queries]
