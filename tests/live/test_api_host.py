"""A host runs their live sessions through /api/v1/host/ with the services of the /host/ pages: sessions, featured
items, go live and end, figures and commission. Another host's session or item answers 404, a user who is not a
host is refused, and every refusal or bad request changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Product, Variant
from live.models import Host, LiveSession, LiveSessionItem
from live.services import session_end
from orders.models import Order
from orders.services import order_cancel
from tests.api import COUNTED, file_count, snapshot
from tests.catalog.test_image_uploads import jpeg_bytes
from tests.factories import DepotFactory, HostFactory, UserFactory
from tests.live.api_support import (
    ACCEPTED,
    CANCELLED,
    COMMISSION,
    DECLINED,
    ENDED,
    LIVE,
    PROPOSED,
    SCHEDULED,
    SESSIONS,
    buy,
    client_for,
    feature,
    item_url,
    make_session,
    make_variant,
    session_url,
)
from tests.orders.api_support import new_key

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


@pytest.fixture
def host(db) -> Host:
    return HostFactory(user__username="host", display_name="Aygul", commission_rate=Decimal("0.0500"))


@pytest.fixture
def other_host(db) -> Host:
    return HostFactory(user__username="other-host", display_name="Dilnur")


@pytest.fixture
def grapes(roles) -> Variant:
    """A box of grapes of ``roles.producer`` at ¥59.90, 50 in stock."""
    return make_variant(roles.producer)


@pytest.fixture
def theirs(other_host, grapes) -> LiveSession:
    """Another host's session on air, featuring the grapes."""
    session = make_session(other_host, slug="their-show", status=LIVE, starts_in=timedelta(minutes=-10))
    feature(session, grapes)
    return session


def new_session(**extra) -> dict:
    starts = timezone.now() + timedelta(days=1)
    return {
        "name_zh": "吐鲁番葡萄直播",
        "name_en": "Turpan grape harvest",
        "description_en": "Straight from the vine.",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "stream_url": "https://live.example.com/turpan",
        **extra,
    }


def new_item(variant: Variant, **extra) -> dict:
    return {"variant": variant.pk, "flash_price": "46.90", "quantity_cap": 100, "per_shopper_limit": 2, **extra}


def object_endpoints(session: LiveSession, item: LiveSessionItem, variant: Variant) -> list[tuple[str, str, dict]]:
    """Every host endpoint that names a session or an item, with a body that would be accepted."""
    return [
        ("get", session_url(session.slug), {}),
        ("patch", session_url(session.slug), {"name_en": "Renamed"}),
        ("post", session_url(session.slug, "go-live"), {}),
        ("post", session_url(session.slug, "end"), {}),
        ("post", session_url(session.slug, "cancel"), {}),
        ("delete", session_url(session.slug, "cover"), {}),
        ("get", session_url(session.slug, "items"), {}),
        ("post", session_url(session.slug, "items"), new_item(variant, flash_price="40.00")),
        ("get", session_url(session.slug, "figures"), {}),
        ("patch", item_url(item), {"flash_price": "30.00"}),
        ("delete", item_url(item), {}),
    ]


# Sessions: create, list, read, change


def test_a_host_schedules_a_session(host):
    response = client_for(host.user).post(SESSIONS, new_session())

    assert response.status_code == 201, response.content
    body = response.json()
    session = LiveSession.objects.get()
    assert session.host == host
    assert session.status == SCHEDULED
    assert body["slug"] == session.slug and session.slug.startswith("turpan-grape-harvest-")
    assert (body["name"], body["name_zh"], body["name_ug"]) == ("Turpan grape harvest", "吐鲁番葡萄直播", "")
    assert body["description"] == "Straight from the vine."
    assert body["status"] == "scheduled"
    assert parse_datetime(body["starts_at"]) == session.starts_at
    assert body["went_live_at"] is body["ended_at"] is body["cover"] is None
    assert body["stream_url"] == "https://live.example.com/turpan"
    assert body["share_url"] == f"http://testserver/live/{session.slug}/"
    assert (body["item_count"], body["proposed_count"]) == (0, 0)


def test_the_list_gives_the_hosts_own_sessions_newest_first_with_item_counts(host, other_host, grapes, roles):
    later = make_session(host, slug="later", starts_in=timedelta(days=3))
    sooner = make_session(host, slug="sooner", starts_in=timedelta(days=1))
    make_session(other_host, slug="not-mine")
    feature(later, grapes, consent=ACCEPTED)
    feature(later, make_variant(roles.producer, name="Raisins"), consent=PROPOSED)
    feature(later, make_variant(roles.other_producer, name="Melon"), consent=DECLINED)

    response = client_for(host.user).get(SESSIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = [(row["slug"], row["item_count"], row["proposed_count"]) for row in body["results"]]
    assert rows == [(later.slug, 3, 1), (sooner.slug, 0, 0)]


def test_a_live_session_past_its_end_reads_as_ended_to_its_host(host):
    make_session(host, slug="overran", status=LIVE, starts_in=timedelta(hours=-3))

    [row] = client_for(host.user).get(SESSIONS).json()["results"]

    assert row["status"] == "ended"
    assert client_for(host.user).get(session_url("overran")).json()["status"] == "ended"


def test_a_host_changes_a_sessions_titles_and_times(host):
    session = make_session(host, slug="harvest")
    new_end = session.ends_at + timedelta(hours=1)

    response = client_for(host.user).patch(
        session_url("harvest"), {"name_ug": "ئۈزۈم ھوسۇلى", "ends_at": new_end.isoformat(), "stream_url": ""}
    )

    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert (session.name_ug, session.ends_at, session.stream_url) == ("ئۈزۈم ھوسۇلى", new_end, "")
    assert session.name_en  # untouched
    assert response.json()["name_ug"] == "ئۈزۈم ھوسۇلى"
    assert response.json()["stream_url"] is None


def test_a_session_on_air_keeps_its_start(host):
    session = make_session(host, slug="on-air", status=LIVE, starts_in=timedelta(minutes=-5))
    before = snapshot()

    response = client_for(host.user).patch(
        session_url(session.slug), {"starts_at": (timezone.now() + timedelta(hours=1)).isoformat()}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["starts_at"]
    assert snapshot() == before


@pytest.mark.parametrize("status", [ENDED, CANCELLED])
def test_an_ended_or_cancelled_session_cannot_change(host, status):
    make_session(host, slug="closed", status=status, starts_in=timedelta(hours=-3))
    before = snapshot()

    response = client_for(host.user).patch(session_url("closed"), {"name_en": "Renamed"})

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current"], body["requested"]) == ("illegal_transition", status, status)
    assert body["detail"]
    assert snapshot() == before


# Bad input: a 400 with messages per field, and nothing changed


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"name_zh": "", "name_en": "  "}, {"name_zh", "name_ug", "name_en"}),
        ({"name_en": "x" * 201}, {"name_en"}),
        ({"name_en": 12}, {"name_en"}),
        ({"name_en": None}, {"name_en"}),
        ({"description_en": "x" * 5001}, {"description_en"}),
        ({"starts_at": 1767225600}, {"starts_at"}),
        ({"starts_at": "tomorrow"}, {"starts_at"}),
        ({"ends_at": True}, {"ends_at"}),
        ({"starts_at": "0273-06-08T07:24:37-23:07"}, {"starts_at"}),
        ({"ends_at": "3132-03-26T02:56:59Z"}, {"ends_at"}),
        ({"ends_at": "9999-12-31T23:59:59-23:59"}, {"ends_at"}),
        ({"ends_at": None}, {"ends_at"}),
        ({"ends_at": "2020-01-01T10:00:00+08:00", "starts_at": "2020-01-01T09:00:00+08:00"}, {"ends_at"}),
        ({"starts_at": "2030-01-02T10:00:00+08:00", "ends_at": "2030-01-02T09:00:00+08:00"}, {"ends_at"}),
        ({"starts_at": "2030-01-02T10:00:00+08:00", "ends_at": "2030-01-02T10:00:00+08:00"}, {"ends_at"}),
        ({"stream_url": "javascript:alert(1)"}, {"stream_url"}),
        ({"stream_url": "ftp://live.example.com/x"}, {"stream_url"}),
        ({"stream_url": ["https://live.example.com"]}, {"stream_url"}),
        ({"stream_url": "https://live.example.com/" + "x" * 200}, {"stream_url"}),
    ],
)
def test_a_session_with_bad_fields_is_refused_per_field(host, change, fields):
    before = snapshot()

    response = client_for(host.user).post(SESSIONS, new_session(**change))

    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert snapshot() == before


@pytest.mark.parametrize("missing", ["starts_at", "ends_at"])
def test_a_new_session_needs_its_start_and_end(host, missing):
    body = new_session()
    del body[missing]

    response = client_for(host.user).post(SESSIONS, body)

    assert response.status_code == 400
    assert list(response.json()) == [missing]
    assert not LiveSession.objects.exists()


@pytest.mark.parametrize("body", ['{"name_en": "Turpan"', "[]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_a_400(host, body):
    response = client_for(host.user).post(SESSIONS, body, content_type="application/json")

    assert response.status_code == 400
    assert not LiveSession.objects.exists()


# Going live, ending, cancelling


def test_a_host_goes_live_then_ends_the_session(host):
    session = make_session(host, slug="harvest", starts_in=timedelta(minutes=10))
    client = client_for(host.user)

    live = client.post(session_url("harvest", "go-live"))

    assert live.status_code == 200, live.content
    assert live.json()["status"] == "live"
    assert live.json()["went_live_at"] is not None
    session.refresh_from_db()
    assert session.status == LIVE and session.went_live_at is not None

    ended = client.post(session_url("harvest", "end"))

    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    session.refresh_from_db()
    assert session.status == ENDED and session.ended_at is not None


def test_a_host_cancels_a_scheduled_session(host):
    session = make_session(host, slug="rained-off")

    response = client_for(host.user).post(session_url("rained-off", "cancel"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    session.refresh_from_db()
    assert session.status == CANCELLED


@pytest.mark.parametrize(
    ("status", "action", "requested"),
    [
        (LIVE, "go-live", LIVE),
        (ENDED, "go-live", LIVE),
        (CANCELLED, "go-live", LIVE),
        (SCHEDULED, "end", ENDED),
        (ENDED, "end", ENDED),
        (LIVE, "cancel", CANCELLED),
        (ENDED, "cancel", CANCELLED),
    ],
)
def test_a_move_the_status_does_not_allow_is_a_409_and_changes_nothing(host, status, action, requested):
    make_session(host, slug="show", status=status, starts_in=timedelta(minutes=-10))
    before = snapshot()

    response = client_for(host.user).post(session_url("show", action))

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current"], body["requested"]) == ("illegal_transition", status, requested)
    assert snapshot() == before


def test_a_session_whose_end_has_passed_cannot_go_live(host):
    make_session(host, slug="missed", status=SCHEDULED, starts_in=timedelta(hours=-3))
    before = snapshot()

    response = client_for(host.user).post(session_url("missed", "go-live"))

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert snapshot() == before


# Cover photo


def test_a_host_uploads_a_cover_photo_and_removes_it(host):
    make_session(host, slug="harvest")
    client = client_for(host.user)
    upload = client.post(session_url("harvest", "cover"), {"cover": _jpeg("cover.jpg")}, format="multipart")

    assert upload.status_code == 200, upload.content
    session = LiveSession.objects.get()
    assert session.cover.name.startswith("live/") and session.cover.name.endswith(".jpg")
    assert upload.json()["cover"] == f"http://testserver{session.cover.url}"

    removed = client.delete(session_url("harvest", "cover"))

    assert removed.status_code == 200
    assert removed.json()["cover"] is None
    session.refresh_from_db()
    assert not session.cover


def test_a_cover_that_is_not_a_photo_is_refused_and_nothing_is_stored(host):
    make_session(host, slug="harvest")
    before, files = snapshot(), file_count(LiveSession._meta.get_field("cover"))
    fake = _jpeg("cover.jpg", data=b"<svg onload=alert(1)>")

    response = client_for(host.user).post(session_url("harvest", "cover"), {"cover": fake}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == ["cover"]
    assert snapshot() == before
    assert file_count(LiveSession._meta.get_field("cover")) == files


def _jpeg(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type="image/jpeg")


# Featured items


def test_a_host_features_a_variant_and_it_waits_for_the_producer(host, grapes, roles):
    make_session(host, slug="harvest")

    response = client_for(host.user).post(session_url("harvest", "items"), new_item(grapes, flash_price=46.9))

    assert response.status_code == 201, response.content
    item = LiveSessionItem.objects.get()
    assert (item.flash_price, item.quantity_cap, item.per_shopper_limit) == (Decimal("46.90"), 100, 2)
    assert item.consent == PROPOSED
    assert response.json() == {
        "id": item.pk,
        "variant": grapes.pk,
        "sku": grapes.sku,
        "product_slug": grapes.product.slug,
        "product_name": "Seedless grapes",
        "variant_name": "2 kg box",
        "producer": {"slug": roles.producer.slug, "name": roles.producer.name},
        "price": "59.90",
        "flash_price": "46.90",
        "quantity_cap": 100,
        "quantity_sold": 0,
        "remaining": 100,
        "stock": 50,
        "per_shopper_limit": 2,
        "position": 1,
        "consent": "proposed",
        "consent_at": None,
    }


def test_the_items_list_shows_every_item_with_the_producers_answer(host, grapes, roles):
    session = make_session(host, slug="harvest")
    accepted = feature(session, grapes, consent=ACCEPTED, position=1)
    declined = feature(session, make_variant(roles.other_producer, name="Melon"), consent=DECLINED, position=2)
    waiting = feature(session, make_variant(roles.producer, name="Raisins"), consent=PROPOSED, position=3)

    response = client_for(host.user).get(session_url("harvest", "items"))

    assert response.status_code == 200
    assert [(row["id"], row["consent"]) for row in response.json()] == [
        (accepted.pk, "accepted"),
        (declined.pk, "declined"),
        (waiting.pk, "proposed"),
    ]


def unsellable_variant(roles) -> Variant:
    variant = make_variant(roles.producer, name="Draft")
    Product.objects.filter(pk=variant.product_id).update(status=Product.Status.DRAFT)
    return variant


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"variant": "GRAPES"}, "variant"),
        ({"variant": True}, "variant"),
        ({"variant": 2**70}, "variant"),
        ({"variant": 0}, "variant"),
        ({"variant": 987654321}, "variant"),
        ({"flash_price": "abc"}, "flash_price"),
        ({"flash_price": True}, "flash_price"),
        ({"flash_price": "-1.00"}, "flash_price"),
        ({"flash_price": "0.00"}, "flash_price"),
        ({"flash_price": "46.905"}, "flash_price"),
        ({"flash_price": "59.90"}, "flash_price"),
        ({"flash_price": "60.00"}, "flash_price"),
        ({"flash_price": "1e3"}, "flash_price"),
        ({"flash_price": None}, "flash_price"),
        ({"quantity_cap": "100"}, "quantity_cap"),
        ({"quantity_cap": 0}, "quantity_cap"),
        ({"quantity_cap": -5}, "quantity_cap"),
        ({"quantity_cap": 100_001}, "quantity_cap"),
        ({"quantity_cap": 10**30}, "quantity_cap"),
        ({"quantity_cap": 2.5}, "quantity_cap"),
        ({"per_shopper_limit": False}, "per_shopper_limit"),
        ({"per_shopper_limit": 0}, "per_shopper_limit"),
        ({"per_shopper_limit": 1000}, "per_shopper_limit"),
        ({"quantity_cap": 5, "per_shopper_limit": 6}, "per_shopper_limit"),
    ],
)
def test_an_item_with_bad_terms_is_refused_per_field(host, grapes, change, field):
    make_session(host, slug="harvest")
    before = snapshot()

    response = client_for(host.user).post(session_url("harvest", "items"), {**new_item(grapes), **change})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert snapshot() == before


@pytest.mark.parametrize("which", ["draft product", "inactive variant", "unverified producer"])
def test_a_variant_not_on_sale_cannot_be_featured(host, roles, which):
    variant = make_variant(roles.producer)
    if which == "draft product":
        Product.objects.filter(pk=variant.product_id).update(status=Product.Status.DRAFT)
    elif which == "inactive variant":
        Variant.objects.filter(pk=variant.pk).update(is_active=False)
    else:
        type(roles.producer).objects.filter(pk=roles.producer.pk).update(is_verified=False, verified_at=None)
    make_session(host, slug="harvest")
    before = snapshot()

    response = client_for(host.user).post(session_url("harvest", "items"), new_item(variant))

    assert response.status_code == 400
    assert list(response.json()) == ["variant"]
    assert snapshot() == before


def test_a_variant_is_featured_once_per_session(host, grapes):
    feature(make_session(host, slug="harvest"), grapes)
    before = snapshot()

    response = client_for(host.user).post(session_url("harvest", "items"), new_item(grapes, flash_price="40.00"))

    assert response.status_code == 400
    assert list(response.json()) == ["variant"]
    assert snapshot() == before


@pytest.mark.parametrize("status", [ENDED, CANCELLED])
def test_items_of_an_ended_or_cancelled_session_cannot_change(host, grapes, roles, status):
    session = make_session(host, slug="closed", status=status, starts_in=timedelta(hours=-3))
    item = feature(session, grapes)
    raisins = make_variant(roles.producer, name="Raisins")
    client = client_for(host.user)
    before = snapshot()

    answers = [
        client.post(session_url("closed", "items"), new_item(raisins)),
        client.patch(item_url(item), {"flash_price": "40.00"}),
        client.delete(item_url(item)),
    ]

    assert [answer.status_code for answer in answers] == [409, 409, 409]
    assert {answer.json()["code"] for answer in answers} == {"illegal_transition"}
    assert snapshot() == before


def test_a_lower_flash_price_asks_the_producer_again(host, grapes):
    item = feature(make_session(host, slug="harvest"), grapes, consent=ACCEPTED)

    response = client_for(host.user).patch(item_url(item), {"flash_price": "39.90"})

    assert response.status_code == 200, response.content
    assert (response.json()["flash_price"], response.json()["consent"]) == ("39.90", "proposed")
    item.refresh_from_db()
    assert (item.flash_price, item.consent, item.quantity_cap) == (Decimal("39.90"), PROPOSED, 100)


def test_a_smaller_cap_or_limit_keeps_the_producers_answer(host, grapes):
    item = feature(make_session(host, slug="harvest"), grapes, consent=ACCEPTED)

    response = client_for(host.user).patch(item_url(item), {"quantity_cap": 40, "per_shopper_limit": 1})

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.quantity_cap, item.per_shopper_limit, item.flash_price, item.consent) == (
        40,
        1,
        Decimal("46.90"),
        ACCEPTED,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity_cap": 10}, "quantity_cap"),  # 12 sold already
        ({"quantity_cap": "50"}, "quantity_cap"),
        ({"flash_price": "59.90"}, "flash_price"),
        ({"flash_price": False}, "flash_price"),
        ({"per_shopper_limit": -1}, "per_shopper_limit"),
    ],
)
def test_bad_new_terms_are_refused_and_change_nothing(host, grapes, change, field):
    item = feature(make_session(host, slug="harvest"), grapes, quantity_sold=12)
    before = snapshot()

    response = client_for(host.user).patch(item_url(item), change)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert snapshot() == before


def test_a_host_removes_an_item_nothing_sold(host, grapes):
    item = feature(make_session(host, slug="harvest"), grapes)

    response = client_for(host.user).delete(item_url(item))

    assert response.status_code == 204
    assert not LiveSessionItem.objects.filter(pk=item.pk).exists()


def test_an_item_that_sold_stays(host, grapes):
    item = feature(make_session(host, slug="harvest"), grapes, quantity_sold=3)
    before = snapshot()

    response = client_for(host.user).delete(item_url(item))

    assert response.status_code == 400
    assert response.json()["code"] == "has_sales"
    assert snapshot() == before


# Who may call: the host only


def test_anonymous_callers_get_401_everywhere_and_nothing_changes(host, grapes):
    session = make_session(host, slug="harvest")
    item = feature(session, grapes)
    client = client_for(None)
    before = snapshot()
    calls = [("get", SESSIONS, {}), ("post", SESSIONS, new_session()), ("get", COMMISSION, {})]

    for method, url, body in [*calls, *object_endpoints(session, item, grapes)]:
        response = getattr(client, method)(url, body)
        assert response.status_code == 401, (method, url)
        assert response.json()["code"] == "not_authenticated"
        assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("role", ["shopper", "member", "staff", "inactive host"])
def test_a_user_who_is_not_a_host_is_refused_and_nothing_changes(roles, host, grapes, role):
    """403 ``not_a_host`` on the host's lists; a session or item is not found, as it does not exist for them."""
    if role == "inactive host":
        Host.objects.filter(pk=host.pk).update(is_active=False)
        user = host.user
    else:
        user = getattr(roles, role)
    session = make_session(host, slug="harvest")
    item = feature(session, grapes)
    client = client_for(user)
    before = snapshot()

    for method, url, body in [("get", SESSIONS, {}), ("post", SESSIONS, new_session()), ("get", COMMISSION, {})]:
        response = getattr(client, method)(url, body)
        assert response.status_code == 403, (method, url)
        assert response.json()["code"] == "not_a_host"
    for method, url, body in object_endpoints(session, item, grapes):
        response = getattr(client, method)(url, body)
        assert response.status_code == 404, (method, url)
        assert response.json()["code"] == "not_found"
    assert snapshot() == before


def test_another_hosts_session_and_items_are_not_found_and_nothing_changes(host, theirs, roles):
    item = theirs.items.get()
    client = client_for(host.user)
    raisins = make_variant(roles.producer, name="Raisins")
    before = snapshot()

    for method, url, body in object_endpoints(theirs, item, raisins):
        response = getattr(client, method)(url, body)
        assert response.status_code == 404, (method, url)
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    upload = client.post(session_url(theirs.slug, "cover"), {"cover": _jpeg("c.jpg")}, format="multipart")
    assert upload.status_code == 404
    assert snapshot() == before


def test_another_hosts_sessions_and_commission_are_not_listed(host, theirs, grapes):
    buy(theirs, {grapes: 1})

    sessions = client_for(host.user).get(SESSIONS).json()
    commission = client_for(host.user).get(COMMISSION).json()

    assert sessions["results"] == []
    assert commission["sessions"] == commission["months"] == []
    assert commission["totals"] == {"pending": "0.00", "earned": "0.00", "reversed": "0.00"}


def test_a_token_signs_a_host_in(host):
    token = Token.objects.create(user=host.user)
    make_session(host, slug="harvest")

    response = APIClient().get(SESSIONS, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["harvest"]


# Figures and commission


@pytest.fixture
def on_air(host, grapes, roles) -> LiveSession:
    """The host's session on air: the grapes at ¥46.90 (accepted) and raisins at ¥30.00 (still proposed)."""
    session = make_session(host, slug="harvest", status=LIVE, starts_in=timedelta(minutes=-30))
    feature(session, grapes, consent=ACCEPTED, position=1)
    feature(
        session,
        make_variant(roles.producer, price="35.00", name="Raisins"),
        consent=PROPOSED,
        position=2,
        flash_price=Decimal("30.00"),
    )
    return session


def test_figures_count_the_sessions_orders_units_revenue_per_item_and_commission(host, on_air, grapes):
    raisins = on_air.items.get(position=2).variant
    buy(on_air, {grapes: 2, raisins: 1})  # 93.80 at the flash price + 35.00 (raisins not accepted)
    buy(on_air, {grapes: 1})  # 46.90
    cancelled = buy(on_air, {grapes: 1})
    order_cancel(order=cancelled, actor=None)
    buy(None, {grapes: 1})  # not attributed

    response = client_for(host.user).get(session_url("harvest", "figures"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["slug"], body["status"], body["currency"]) == ("harvest", "live", "CNY")
    assert (body["orders"], body["units"], body["revenue"]) == (2, 4, "175.70")
    # 5% of 93.80 + 35.00 + 46.90 = 4.69 + 1.75 + 2.35; the cancelled order's 2.35 reversed.
    assert body["commission"] == {"pending": "8.79", "earned": "0.00", "reversed": "2.35"}
    grapes_row, raisins_row = body["items"]
    assert (grapes_row["sku"], grapes_row["orders"], grapes_row["units"], grapes_row["revenue"]) == (
        grapes.sku,
        2,
        3,
        "140.70",
    )
    assert (grapes_row["quantity_sold"], grapes_row["consent"]) == (3, "accepted")
    assert (raisins_row["orders"], raisins_row["units"], raisins_row["revenue"], raisins_row["consent"]) == (
        0,
        0,
        "0.00",
        "proposed",
    )


def test_commission_comes_in_all_per_session_and_per_month(host, on_air, grapes):
    earlier = make_session(host, slug="earlier", status=LIVE, starts_in=timedelta(hours=-1))
    feature(earlier, make_variant(grapes.product.producer, price="20.00", name="Walnuts"))
    buy(on_air, {grapes: 2})  # 93.80 → 4.69
    buy(earlier, {grapes: 1})  # not featured there: 59.90 → 3.00 (half up from 2.995)
    order_cancel(order=buy(earlier, {grapes: 1}), actor=None)
    session_end(session=on_air, actor=None)

    response = client_for(host.user).get(COMMISSION)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["commission_rate"], body["currency"]) == ("0.0500", "CNY")
    assert body["totals"] == {"pending": "7.69", "earned": "0.00", "reversed": "3.00"}
    assert [(row["session"], row["pending"], row["reversed"]) for row in body["sessions"]] == [
        ("harvest", "4.69", "0.00"),
        ("earlier", "3.00", "3.00"),
    ]
    assert body["sessions"][0]["name"] == on_air.name_en
    [month] = body["months"]
    assert month["month"] == timezone.localtime(timezone.now(), timezone.get_fixed_timezone(480)).strftime("%Y-%m")
    assert (month["pending"], month["earned"], month["reversed"]) == ("7.69", "0.00", "3.00")


# Queries


@pytest.mark.parametrize("rows", [3, 12])
def test_the_session_list_takes_three_queries_whatever_its_length(host, roles, rows, django_assert_max_num_queries):
    """The host, the count and the page of sessions with their items counted."""
    variants = [make_variant(roles.producer, name=f"Item {n}") for n in range(3)]
    for n in range(rows):
        session = make_session(host, slug=f"show-{n}", starts_in=timedelta(hours=n + 1))
        for variant in variants:
            feature(session, variant)
    client = client_for(host.user)

    with django_assert_max_num_queries(3 + COUNTED):
        response = client.get(SESSIONS)

    assert [row["item_count"] for row in response.json()["results"]] == [3] * rows


@pytest.mark.parametrize("rows", [3, 12])
def test_the_items_list_takes_three_queries_whatever_its_length(host, roles, rows, django_assert_max_num_queries):
    """The host, the session, and the items with variant, product and producer."""
    session = make_session(host, slug="harvest")
    for n in range(rows):
        feature(session, make_variant(roles.producer, name=f"Item {n}"), position=n)
    client = client_for(host.user)

    with django_assert_max_num_queries(3 + COUNTED):
        response = client.get(session_url("harvest", "items"))

    assert len(response.json()) == rows


@pytest.mark.parametrize("rows", [2, 8])
def test_figures_and_commission_take_a_fixed_number_of_queries(host, roles, rows, django_assert_max_num_queries):
    variants = [make_variant(roles.producer, name=f"Item {n}") for n in range(3)]
    for n in range(rows):
        session = make_session(host, slug=f"show-{n}", status=LIVE, starts_in=timedelta(minutes=-n - 1))
        for variant in variants:
            feature(session, variant, per_shopper_limit=5)
        buy(session, dict.fromkeys(variants, 1))
    client = client_for(host.user)

    with django_assert_max_num_queries(8 + COUNTED):
        figures = client.get(session_url("show-0", "figures"))
    with django_assert_max_num_queries(5 + COUNTED):
        commission = client.get(COMMISSION)

    assert len(figures.json()["items"]) == 3
    assert len(commission.json()["sessions"]) == rows


# The shopper's side: the public read and placing an order


def test_the_public_session_shows_only_items_the_producer_accepted(host, on_air, roles):
    feature(on_air, make_variant(roles.other_producer, name="Melon"), consent=DECLINED, position=3)

    body = client_for(None).get(f"/api/v1/live-sessions/{on_air.slug}/").json()

    assert [item["variant_name"] for item in body["items"]] == ["2 kg box"]
    assert [item["flash_price"] for item in body["items"]] == ["46.90"]
    assert body["featured_count"] == 1


def test_a_live_session_past_its_end_reads_as_ended_in_the_public_api(host):
    make_session(host, slug="overran", status=LIVE, starts_in=timedelta(hours=-3))
    make_session(host, slug="on-air", status=LIVE, starts_in=timedelta(minutes=-3))
    client = client_for(None)

    detail = client.get("/api/v1/live-sessions/overran/").json()
    live = client.get("/api/v1/live-sessions/", {"status": "live"}).json()["results"]
    ended = client.get("/api/v1/live-sessions/", {"status": "ended"}).json()["results"]

    assert detail["status"] == "ended"
    assert [row["slug"] for row in live] == ["on-air"]
    assert [(row["slug"], row["status"]) for row in ended] == [("overran", "ended")]


@pytest.fixture(autouse=True)
def depot(db):
    return DepotFactory(slug="grape-valley")


def order_body(variant: Variant, quantity: int, **extra) -> dict:
    return {
        "lines": [{"variant": variant.pk, "quantity": quantity}],
        "contact": {"name": "Ayşe", "phone": "13800138000"},
        "delivery": {"method": "pickup", "depot": "grape-valley"},
        "payment_method": "cod",
        **extra,
    }


def test_an_order_quoted_at_flash_prices_after_the_session_ended_is_refused_with_the_new_total(host, on_air, grapes):
    """The shopper saw two boxes at ¥46.90; the host ended the session before the order arrived: 409, nothing placed."""
    client = client_for(UserFactory())
    session_end(session=on_air, actor=host.user)
    before = snapshot()

    response = client.post(
        "/api/v1/orders/",
        order_body(grapes, 2, live_session=on_air.slug, expected_subtotal="93.80"),
        HTTP_IDEMPOTENCY_KEY=new_key(),
    )

    assert response.status_code == 409, response.content
    body = response.json()
    assert (body["code"], body["expected"], body["subtotal"]) == ("price_changed", "93.80", "119.80")
    assert "119.80" in body["detail"]
    assert snapshot() == before
    assert Variant.objects.get(pk=grapes.pk).stock == 50


def test_an_order_at_the_total_the_shopper_saw_is_placed(host, on_air, grapes):
    response = client_for(UserFactory()).post(
        "/api/v1/orders/",
        order_body(grapes, 2, live_session=on_air.slug, expected_subtotal="93.80"),
        HTTP_IDEMPOTENCY_KEY=new_key(),
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (order.subtotal, order.live_session) == (Decimal("93.80"), on_air)
    body = response.json()
    assert body["live_session"] == on_air.slug
    assert [(line["unit_price"], line["live_price"]) for line in body["lines"]] == [("46.90", True)]


def test_an_order_naming_a_session_after_it_ended_gets_normal_prices_and_no_session(host, on_air, grapes):
    session_end(session=on_air, actor=host.user)

    response = client_for(UserFactory()).post(
        "/api/v1/orders/", order_body(grapes, 2, live_session=on_air.slug), HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 201, response.content
    assert response.json()["subtotal"] == "119.80"
    assert response.json()["live_session"] is None
    assert response.json()["lines"][0]["live_price"] is False
    order = Order.objects.get()
    assert order.live_session is None and order.commission_rate is None
    assert order.lines.get().unit_price == Decimal("59.90")
    assert LiveSessionItem.objects.get(variant=grapes).quantity_sold == 0


@pytest.mark.parametrize("value", ["abc", True, "-1.00", "93.805", [], "1e2"])
def test_an_expected_subtotal_that_is_not_an_amount_is_a_400(host, on_air, grapes, value):
    before = snapshot()

    response = client_for(UserFactory()).post(
        "/api/v1/orders/",
        order_body(grapes, 1, live_session=on_air.slug, expected_subtotal=value),
        HTTP_IDEMPOTENCY_KEY=new_key(),
    )

    assert response.status_code == 400
    assert list(response.json()) == ["expected_subtotal"]
    assert snapshot() == before
