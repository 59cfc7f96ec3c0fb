"""The villages and producers endpoints of /api/v1/: anyone reads them, only verified producers show, and
staff-only producer data never leaves the server."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from catalog.models import Product
from producers.models import Producer
from tests.api import COUNTED, ROLES, snapshot
from tests.factories import (
    CountyFactory,
    DepotFactory,
    MembershipFactory,
    PrefectureFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
VILLAGES = reverse("api-village-list")
PRODUCERS = reverse("api-producer-list")


def village_url(slug: str) -> str:
    return reverse("api-village-detail", kwargs={"slug": slug})


def producer_url(slug: str) -> str:
    return reverse("api-producer-detail", kwargs={"slug": slug})


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def tuyoq():
    county = CountyFactory(
        slug="shanshan", name_en="Shanshan", prefecture=PrefectureFactory(slug="turpan", name_en="Turpan")
    )
    return VillageFactory(
        slug="tuyoq",
        name_en="Tuyoq",
        name_ug="تۇيۇق",
        county=county,
        description_en="A green gorge below the Flaming Mountains.",
        photo="villages/tuyoq.jpg",
        is_featured=True,
    )


@pytest.fixture
def ayxem(tuyoq):
    return ProducerFactory(
        slug="ayxem-farm",
        name_en="Ayxem Family Farm",
        name_ug="ئايخەم ئائىلە دېھقانچىلىقى",
        kind=Producer.Kind.COOPERATIVE,
        village=tuyoq,
        description_en="We dry our grapes in mud-brick shade houses.",
        photo="producers/ayxem.jpg",
    )


# Anyone may read; nobody may write


def _read_urls(roles) -> list[str]:
    village = roles.producer.village.slug
    return [VILLAGES, village_url(village), PRODUCERS, producer_url(roles.producer.slug)]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_villages_and_producers(roles, role):
    client = roles.client(role)
    for url in _read_urls(roles):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_role_may_write_villages_or_producers(roles, role, method):
    """Geography and verification are run in the back office: the API refuses every write and changes nothing."""
    client = roles.client(role)
    before = snapshot()
    for url in _read_urls(roles):
        response = getattr(client, method)(url, {"slug": "renamed", "name_en": "Renamed"}, format="json")
        assert response.status_code == 405, (url, response.content)
        assert response.json()["code"] == "method_not_allowed"
    assert snapshot() == before


def test_a_token_that_is_not_valid_gets_401_even_on_a_public_read(roles):
    client = roles.client("anonymous")
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get(VILLAGES)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


# Villages


def test_the_village_list_gives_each_village_with_county_prefecture_and_photo(tuyoq):
    VillageFactory(slug="astana", photo="")

    response = APIClient().get(VILLAGES, headers=EN)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None
    rows = {row["slug"]: row for row in body["results"]}
    assert rows["tuyoq"] == {
        "slug": "tuyoq",
        "name": "Tuyoq",
        "description": "A green gorge below the Flaming Mountains.",
        "county": {"slug": "shanshan", "name": "Shanshan"},
        "prefecture": {"slug": "turpan", "name": "Turpan"},
        "photo": "http://testserver/media/villages/tuyoq.jpg",
        "is_featured": True,
    }
    assert rows["astana"]["photo"] is None
    assert rows["astana"]["is_featured"] is False


def test_villages_filter_by_county_and_prefecture_slug(tuyoq):
    VillageFactory(slug="lamjin", county=tuyoq.county)
    other_prefecture = VillageFactory(slug="aral")
    client = APIClient()

    assert slugs(client.get(VILLAGES, {"county": "shanshan"})) == ["lamjin", "tuyoq"]
    assert slugs(client.get(VILLAGES, {"prefecture": "turpan"})) == ["lamjin", "tuyoq"]
    assert slugs(client.get(VILLAGES, {"county": other_prefecture.county.slug})) == ["aral"]
    assert slugs(client.get(VILLAGES, {"county": "shanshan", "prefecture": "turpan"})) == ["lamjin", "tuyoq"]
    assert slugs(client.get(VILLAGES, {"county": "atlantis"})) == []


@pytest.mark.parametrize("parameter", ["county", "prefecture"])
def test_a_place_filter_that_cannot_be_a_slug_gets_400_naming_the_parameter(tuyoq, parameter):
    response = APIClient().get(VILLAGES, {parameter: "Shan shan!"}, headers=EN)

    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert "slug" in response.json()[parameter][0]


@pytest.mark.parametrize("parameter", ["county", "prefecture"])
def test_a_place_filter_sent_empty_gets_400_asking_for_a_value(tuyoq, parameter):
    response = APIClient().get(VILLAGES, {parameter: ""}, headers=EN)

    assert response.status_code == 400
    assert response.json() == {parameter: ["This field is required."]}


@pytest.mark.parametrize("page_size", ["0", "201", "ten", "-1"])
def test_a_page_size_that_is_not_1_to_200_gets_400(tuyoq, page_size):
    response = APIClient().get(VILLAGES, {"page_size": page_size}, headers=EN)

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_the_village_detail_lists_open_pickup_depots_and_verified_producers(tuyoq, ayxem):
    DepotFactory(
        village=tuyoq,
        slug="tuyoq-depot",
        name_en="Tuyoq depot",
        address_zh="3 Mazar Road",
        opening_hours="9:00-18:00",
        phone="13800138000",
    )
    DepotFactory(village=tuyoq, slug="closed-depot", is_active=False)
    DepotFactory(slug="elsewhere-depot")
    ProducerFactory(village=tuyoq, slug="not-yet-verified", is_verified=False, verified_at=None)
    ProducerFactory(village=tuyoq, slug="bostan-coop", name_en="Bostan Cooperative")

    response = APIClient().get(village_url("tuyoq"), headers=EN)

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Tuyoq"
    assert body["county"] == {"slug": "shanshan", "name": "Shanshan"}
    assert body["depots"] == [
        {"slug": "tuyoq-depot", "name": "Tuyoq depot", "address": "3 Mazar Road", "opening_hours": "9:00-18:00"}
    ]
    assert body["producers"] == [
        {"slug": "ayxem-farm", "name": "Ayxem Family Farm"},
        {"slug": "bostan-coop", "name": "Bostan Cooperative"},
    ]


def test_an_unknown_village_is_404_in_json():
    response = APIClient().get(village_url("atlantis"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("language", "name"), [("ug", "تۇيۇق"), ("en", "Tuyoq")])
def test_village_names_come_in_the_requested_language(tuyoq, language, name):
    client = APIClient()
    headers = {"accept-language": language}

    assert client.get(VILLAGES, headers=headers).json()["results"][0]["name"] == name
    assert client.get(village_url("tuyoq"), headers=headers).json()["name"] == name


def test_villages_come_in_pages_and_a_page_that_is_not_there_is_404(tuyoq):
    for n in range(4):
        VillageFactory(slug=f"village-x{n}", county=tuyoq.county)
    client = APIClient()

    first = client.get(VILLAGES, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 5
    assert len(first["results"]) == 3
    assert len(second["results"]) == 2
    assert second["next"] is None
    for page in ["9", "0", "x", ""]:
        beyond = client.get(VILLAGES, {"page": page})
        assert beyond.status_code == 404, page
        assert beyond.json()["code"] == "not_found"


# Producers


def test_the_producer_list_shows_verified_producers_only(ayxem):
    ProducerFactory(slug="unverified", is_verified=False, verified_at=None)
    ProducerFactory(slug="bostan-coop")

    assert slugs(APIClient().get(PRODUCERS)) == ["ayxem-farm", "bostan-coop"]


def test_a_producer_shows_story_kind_village_photo_and_products_on_sale(ayxem):
    ProductFactory(producer=ayxem)
    ProductFactory(producer=ayxem)
    ProductFactory(producer=ayxem, status=Product.Status.DRAFT)
    ProductFactory(producer=ayxem, status=Product.Status.ARCHIVED)
    ProductFactory()

    response = APIClient().get(producer_url("ayxem-farm"), headers=EN)

    assert response.status_code == 200
    body = response.json()
    assert parse_datetime(body.pop("verified_at")) == ayxem.verified_at
    assert body == {
        "slug": "ayxem-farm",
        "name": "Ayxem Family Farm",
        "description": "We dry our grapes in mud-brick shade houses.",
        "kind": "cooperative",
        "village": {"slug": "tuyoq", "name": "Tuyoq", "county": {"slug": "shanshan", "name": "Shanshan"}},
        "photo": "http://testserver/media/producers/ayxem.jpg",
        "product_count": 2,
    }
    assert APIClient().get(PRODUCERS).json()["results"][0]["product_count"] == 2


def test_an_unverified_producer_is_404_exactly_like_one_that_does_not_exist():
    """Nothing in the answer reveals that an unverified producer is there."""
    ProducerFactory(slug="unverified", is_verified=False, verified_at=None)
    client = APIClient()

    unverified = client.get(producer_url("unverified"), headers=EN)
    unknown = client.get(producer_url("no-such-producer"), headers=EN)

    assert unverified.status_code == unknown.status_code == 404
    assert unverified.json() == unknown.json()
    assert unverified.json()["code"] == "not_found"


def test_staff_only_and_private_producer_data_is_never_in_the_api(ayxem):
    """The low-income flag, phone, who verified and the members stay out of every producer and village answer."""
    verifier = UserFactory(username="verifying-officer")
    Producer.objects.filter(pk=ayxem.pk).update(is_low_income_household=True, phone="13912345678", verified_by=verifier)
    MembershipFactory(producer=ayxem, user__username="ayxem-member")
    client = APIClient()

    for url in [PRODUCERS, producer_url("ayxem-farm"), VILLAGES, village_url("tuyoq")]:
        text = json.dumps(client.get(url).json(), ensure_ascii=False)
        for secret in ["low_income", "is_low_income_household", "phone", "13912345678", "verified_by"]:
            assert secret not in text, (url, secret)
        for secret in ["members", "verifying-officer", "ayxem-member"]:
            assert secret not in text, (url, secret)


def test_producers_filter_by_village_county_and_kind(ayxem):
    neighbour = ProducerFactory(slug="bostan-coop", village__county=ayxem.village.county, kind=Producer.Kind.WORKSHOP)
    ProducerFactory(slug="far-away", kind=Producer.Kind.COOPERATIVE)
    client = APIClient()

    assert slugs(client.get(PRODUCERS, {"village": "tuyoq"})) == ["ayxem-farm"]
    assert slugs(client.get(PRODUCERS, {"village": neighbour.village.slug})) == ["bostan-coop"]
    assert slugs(client.get(PRODUCERS, {"county": "shanshan"})) == ["ayxem-farm", "bostan-coop"]
    assert slugs(client.get(PRODUCERS, {"kind": "cooperative"})) == ["ayxem-farm", "far-away"]
    assert slugs(client.get(PRODUCERS, {"county": "shanshan", "kind": "workshop"})) == ["bostan-coop"]
    assert slugs(client.get(PRODUCERS, {"kind": "household"})) == []
    assert slugs(client.get(PRODUCERS, {"village": "atlantis"})) == []


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("kind", "farm"), ("kind", "COOPERATIVE"), ("kind", ""), ("village", "tu yoq"), ("village", ""), ("county", "%")],
)
def test_a_bad_producer_filter_gets_400_naming_the_parameter(ayxem, parameter, value):
    response = APIClient().get(PRODUCERS, {parameter: value}, headers=EN)

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.parametrize(("language", "name"), [("ug", "ئايخەم ئائىلە دېھقانچىلىقى"), ("en", "Ayxem Family Farm")])
def test_producer_names_come_in_the_requested_language(ayxem, language, name):
    client = APIClient()
    headers = {"accept-language": language}

    assert client.get(PRODUCERS, headers=headers).json()["results"][0]["name"] == name
    assert client.get(producer_url("ayxem-farm"), headers=headers).json()["name"] == name
    assert client.get(village_url("tuyoq"), headers=headers).json()["producers"][0]["name"] == name


def test_a_producer_without_a_photo_has_photo_null(tuyoq):
    ProducerFactory(slug="no-photo", village=tuyoq, photo="")

    assert APIClient().get(producer_url("no-photo")).json()["photo"] is None


# Queries


def _villages_with_places(n: int, county) -> None:
    for _ in range(n):
        village = VillageFactory(county=county)
        DepotFactory(village=village)
        ProducerFactory(village=village)


@pytest.mark.parametrize("rows", [3, 20])
def test_the_village_list_runs_two_queries_whatever_the_page_size(tuyoq, django_assert_num_queries, rows):
    """A count and a page of villages joined to county and prefecture."""
    _villages_with_places(rows - 1, tuyoq.county)
    client = APIClient()

    with django_assert_num_queries(2 + COUNTED):
        response = client.get(VILLAGES, {"page_size": rows})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 20])
def test_the_village_detail_runs_three_queries_whatever_its_depots_and_producers(
    tuyoq, django_assert_num_queries, rows
):
    """The village, its open depots, its verified producers."""
    for _ in range(rows):
        DepotFactory(village=tuyoq)
        ProducerFactory(village=tuyoq)
    client = APIClient()

    with django_assert_num_queries(3 + COUNTED):
        response = client.get(village_url("tuyoq"))

    assert len(response.json()["depots"]) == len(response.json()["producers"]) == rows


@pytest.mark.parametrize("rows", [3, 20])
def test_the_producer_list_runs_two_queries_whatever_the_page_size(tuyoq, django_assert_num_queries, rows):
    """A count and a page of producers with village, county and their products on sale counted."""
    for _ in range(rows):
        ProductFactory(producer=ProducerFactory(village=VillageFactory(county=tuyoq.county)))
    client = APIClient()

    with django_assert_num_queries(2 + COUNTED):
        response = client.get(PRODUCERS, {"page_size": rows})

    assert [row["product_count"] for row in response.json()["results"]] == [1] * rows


def test_the_producer_detail_runs_one_query(ayxem, django_assert_num_queries):
    ProductFactory(producer=ayxem)
    client = APIClient()

    with django_assert_num_queries(1 + COUNTED):
        response = client.get(producer_url("ayxem-farm"))

    assert response.json()["product_count"] == 1
