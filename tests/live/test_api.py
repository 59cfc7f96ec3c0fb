"""The live session endpoints of /api/v1/: what is on air, coming or just over, and each featured item's flash
price and what is left of it; never a cancelled session, never a host's commission."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from catalog.models import Product, Variant
from live.models import LiveSession, LiveSessionItem
from tests.api import COUNTED, ROLES, snapshot
from tests.factories import HostFactory, LiveSessionFactory, LiveSessionItemFactory, ProductImageFactory, VariantFactory

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
SESSIONS = reverse("api-live-session-list")
LIVE = LiveSession.Status.LIVE
SCHEDULED = LiveSession.Status.SCHEDULED
ENDED = LiveSession.Status.ENDED
CANCELLED = LiveSession.Status.CANCELLED


def session_url(slug: str) -> str:
    return reverse("api-live-session-detail", kwargs={"slug": slug})


def make_session(*, slug: str, status: str = LIVE, starts_in: timedelta = timedelta(0), **kwargs) -> LiveSession:
    """A two-hour session starting ``starts_in`` from now."""
    starts_at = timezone.now() + starts_in
    return LiveSessionFactory(
        slug=slug, status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs
    )


def feature(session: LiveSession, n: int) -> None:
    """Feature ``n`` new variants, each with a product photo, in ``session``."""
    for position in range(n):
        variant = VariantFactory()
        ProductImageFactory(product=variant.product)
        LiveSessionItemFactory(session=session, variant=variant, position=position)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def grapes():
    """A session on air featuring a box of grapes: 30 of 100 sold at the flash price, 50 in stock."""
    session = make_session(
        slug="turpan-harvest",
        name_en="Turpan harvest live",
        name_ug="تۇرپان ھوسۇل نەق مەيدان",
        description_en="Grapes straight from the vine.",
        stream_url="https://live.example.com/turpan",
        host=HostFactory(display_name="Aygul", commission_rate=Decimal("0.0725")),
    )
    variant = VariantFactory(
        sku="GRAPE-2KG",
        product__slug="seedless-grapes",
        product__name_en="Seedless grapes",
        product__name_ug="ئۇرۇقسىز ئۈزۈم",
        name_en="2 kg box",
        price=Decimal("59.90"),
        stock=50,
    )
    LiveSessionItemFactory(
        session=session,
        variant=variant,
        flash_price=Decimal("45.50"),
        quantity_cap=100,
        quantity_sold=30,
        per_shopper_limit=3,
    )
    return session


# Anyone may read; nobody may write


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_sessions_and_a_session(roles, grapes, role):
    client = roles.client(role)
    for url in [SESSIONS, session_url(grapes.slug)]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_role_may_write_sessions_through_the_api(roles, grapes, role, method):
    """Hosts run their sessions elsewhere: every write here is refused and changes nothing."""
    client = roles.client(role)
    before = snapshot()
    for url in [SESSIONS, session_url(grapes.slug)]:
        response = getattr(client, method)(url, {"status": "cancelled", "name_en": "Renamed"}, format="json")
        assert response.status_code == 405, (url, response.content)
        assert response.json()["code"] == "method_not_allowed"
    assert snapshot() == before


# The list


def test_the_list_gives_live_then_upcoming_then_recently_ended_sessions():
    """On air first, then upcoming (soonest first), then ended in the last week (latest first)."""
    make_session(slug="upcoming-later", status=SCHEDULED, starts_in=timedelta(days=2))
    make_session(slug="ended-yesterday", status=ENDED, starts_in=timedelta(days=-1))
    make_session(slug="on-air", status=LIVE, starts_in=timedelta(minutes=-30))
    make_session(slug="upcoming-soon", status=SCHEDULED, starts_in=timedelta(hours=3))
    make_session(slug="ended-3-days-ago", status=ENDED, starts_in=timedelta(days=-3))
    make_session(slug="host-running-late", status=SCHEDULED, starts_in=timedelta(minutes=-10))

    assert slugs(APIClient().get(SESSIONS)) == [
        "on-air",
        "host-running-late",
        "upcoming-soon",
        "upcoming-later",
        "ended-yesterday",
        "ended-3-days-ago",
    ]


def test_the_list_leaves_out_cancelled_long_ended_and_never_started_sessions():
    make_session(slug="on-air")
    make_session(slug="cancelled", status=CANCELLED, starts_in=timedelta(hours=1))
    make_session(slug="ended-last-month", status=ENDED, starts_in=timedelta(days=-30))
    make_session(slug="scheduled-but-long-over", status=SCHEDULED, starts_in=timedelta(days=-2))

    assert slugs(APIClient().get(SESSIONS)) == ["on-air"]


def test_a_listed_session_has_host_times_links_and_featured_count_but_no_commission(grapes):
    not_on_sale = VariantFactory(product__status=Product.Status.DRAFT)
    LiveSessionItemFactory(session=grapes, variant=not_on_sale, position=1)

    response = APIClient().get(SESSIONS, headers=EN)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert parse_datetime(row.pop("starts_at")) == grapes.starts_at
    assert parse_datetime(row.pop("ends_at")) == grapes.ends_at
    assert row == {
        "slug": "turpan-harvest",
        "name": "Turpan harvest live",
        "description": "Grapes straight from the vine.",
        "host": "Aygul",
        "status": "live",
        "stream_url": "https://live.example.com/turpan",
        "share_url": "http://testserver/live/turpan-harvest/",
        "featured_count": 1,
    }
    text = json.dumps(response.json())
    assert "commission" not in text
    assert "0.0725" not in text


def test_a_session_without_a_stream_link_has_stream_url_null():
    make_session(slug="no-stream", stream_url="")

    [row] = APIClient().get(SESSIONS).json()["results"]

    assert row["stream_url"] is None


@pytest.mark.parametrize("status", [LIVE, SCHEDULED, ENDED])
def test_the_list_filters_by_status(status):
    make_session(slug="live", status=LIVE)
    make_session(slug="scheduled", status=SCHEDULED, starts_in=timedelta(hours=5))
    make_session(slug="ended", status=ENDED, starts_in=timedelta(days=-1))

    assert slugs(APIClient().get(SESSIONS, {"status": status})) == [status]


@pytest.mark.parametrize("status", ["cancelled", "on-air", "LIVE", ""])
def test_a_status_filter_that_is_not_a_shown_status_gets_400(status):
    """Cancelled sessions are never listed: asking for them is as wrong as asking for a status that does not exist."""
    make_session(slug="cancelled", status=CANCELLED)

    response = APIClient().get(SESSIONS, {"status": status}, headers=EN)

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


# A session


def test_a_session_gives_its_items_with_flash_price_cap_and_what_is_left(grapes):
    response = APIClient().get(session_url("turpan-harvest"), headers=EN)

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Turpan harvest live"
    assert body["host"] == "Aygul"
    assert body["share_url"] == "http://testserver/live/turpan-harvest/"
    assert body["featured_count"] == 1
    item = LiveSessionItem.objects.get()
    assert body["items"] == [
        {
            "variant": item.variant_id,
            "sku": "GRAPE-2KG",
            "product_slug": "seedless-grapes",
            "product_name": "Seedless grapes",
            "variant_name": "2 kg box",
            "price": "59.90",
            "flash_price": "45.50",
            "unit_price": "45.50",
            "quantity_cap": 100,
            "remaining": 50,
            "stock": 50,
            "per_shopper_limit": 3,
        }
    ]
    assert "commission" not in json.dumps(body)


@pytest.mark.parametrize(
    ("cap", "sold", "stock", "remaining"),
    [
        (100, 30, 500, 70),  # the cap is what limits
        (100, 30, 50, 50),  # the stock is what limits
        (100, 100, 50, 0),  # sold out at the flash price, still in stock
        (100, 30, 0, 0),  # out of stock
    ],
)
def test_remaining_is_what_the_cap_leaves_and_never_more_than_the_stock(grapes, cap, sold, stock, remaining):
    item = LiveSessionItem.objects.get()
    LiveSessionItem.objects.filter(pk=item.pk).update(quantity_cap=cap, quantity_sold=sold)
    Variant.objects.filter(pk=item.variant_id).update(stock=stock)

    [row] = APIClient().get(session_url("turpan-harvest")).json()["items"]

    assert (row["remaining"], row["stock"]) == (remaining, stock)


def test_items_no_longer_on_sale_are_left_out_of_a_session(grapes):
    LiveSessionItemFactory(session=grapes, variant=VariantFactory(is_active=False), position=1)
    LiveSessionItemFactory(session=grapes, variant=VariantFactory(product__status=Product.Status.ARCHIVED), position=2)
    unverified = VariantFactory(product__producer__is_verified=False, product__producer__verified_at=None)
    LiveSessionItemFactory(session=grapes, variant=unverified, position=3)

    body = APIClient().get(session_url("turpan-harvest")).json()

    assert [item["sku"] for item in body["items"]] == ["GRAPE-2KG"]
    assert body["featured_count"] == 1


@pytest.mark.parametrize("slug", ["cancelled", "no-such-session"])
def test_a_cancelled_or_unknown_session_is_404(slug):
    make_session(slug="cancelled", status=CANCELLED)

    response = APIClient().get(session_url(slug))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_recently_ended_session_still_answers_with_its_items(grapes):
    LiveSession.objects.filter(pk=grapes.pk).update(status=ENDED)

    body = APIClient().get(session_url("turpan-harvest")).json()

    assert body["status"] == "ended"
    assert len(body["items"]) == 1


@pytest.mark.parametrize(
    ("language", "session_name", "product_name"),
    [("ug", "تۇرپان ھوسۇل نەق مەيدان", "ئۇرۇقسىز ئۈزۈم"), ("en", "Turpan harvest live", "Seedless grapes")],
)
def test_names_come_in_the_requested_language(grapes, language, session_name, product_name):
    client = APIClient()
    headers = {"accept-language": language}

    assert client.get(SESSIONS, headers=headers).json()["results"][0]["name"] == session_name
    body = client.get(session_url("turpan-harvest"), headers=headers).json()
    assert body["name"] == session_name
    assert body["items"][0]["product_name"] == product_name


# Queries


@pytest.mark.parametrize("rows", [3, 20])
def test_the_list_runs_two_queries_whatever_the_page_size(django_assert_num_queries, rows):
    """A count and a page of sessions with host and featured count."""
    for n in range(rows):
        feature(make_session(slug=f"session-x{n}", starts_in=timedelta(minutes=n)), 2)
    client = APIClient()

    with django_assert_num_queries(2 + COUNTED):
        response = client.get(SESSIONS, {"page_size": rows})

    assert [row["featured_count"] for row in response.json()["results"]] == [2] * rows


@pytest.mark.parametrize("items", [3, 20])
def test_a_session_runs_three_queries_whatever_the_number_of_items(django_assert_num_queries, items):
    """The session with its host, its items with variant, product and producer, and the items' first photos."""
    feature(make_session(slug="busy"), items)
    client = APIClient()

    with django_assert_num_queries(3 + COUNTED):
        response = client.get(session_url("busy"))

    assert len(response.json()["items"]) == items


def test_after_the_session_ends_its_items_cost_their_regular_price(grapes):
    LiveSession.objects.filter(slug="turpan-harvest").update(status=LiveSession.Status.ENDED)

    body = APIClient().get(session_url("turpan-harvest"), headers=EN).json()

    assert [(item["flash_price"], item["unit_price"]) for item in body["items"]] == [("45.50", "59.90")]
