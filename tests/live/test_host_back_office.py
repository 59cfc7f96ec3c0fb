"""The host's back office, ``/host/``: sessions, featured items, the live view, the share link and commission.

Over real HTTP with Django's test client. Only an active host reaches it: an anonymous visitor is sent to sign
in, anyone else gets 404, and another host's session or item answers 404 as if it did not exist; a denied
request changes nothing. Orders are placed through ``orders.services.order_place`` as checkout places them.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from catalog.models import Variant
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from live.pricing import commission
from live.selectors import masked_name
from marketplace.models import User
from marketplace.qr import qr_svg as share_qr_svg
from orders.models import Fulfilment, Order
from orders.services import Contact, Delivery, LineRequest, fulfilment_transition, order_cancel, order_place
from tests.api import snapshot
from tests.factories import (
    DepotFactory,
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCHEDULED = LiveSession.Status.SCHEDULED
LIVE = LiveSession.Status.LIVE
ENDED = LiveSession.Status.ENDED
CANCELLED = LiveSession.Status.CANCELLED


@dataclass
class World:
    host: Host
    other_host: Host
    shopper: User
    session: LiveSession  # the host's, scheduled
    other_session: LiveSession  # the other host's, live, with an item
    other_item: LiveSessionItem
    grapes: Variant  # a verified producer's, 59.90
    raisins: Variant  # a verified producer's, 35.00
    unverified: Variant  # on an active product of a producer staff have not verified


@pytest.fixture
def world(db) -> World:
    vineyard = ProducerFactory(slug="tuyoq-vineyard", name_zh="吐峪沟葡萄园", name_en="Tuyoq Vineyard")
    newcomer = ProducerFactory(slug="newcomer", name_en="Newcomer Farm", is_verified=False, verified_at=None)

    def variant(producer, name_en: str, name_zh: str, price: str, sku: str) -> Variant:
        product = ProductFactory(producer=producer, name_en=name_en, name_zh=name_zh, original_language="en")
        return VariantFactory(product=product, name_en="Box", name_zh="箱", price=Decimal(price), stock=100, sku=sku)

    DepotFactory(slug="tuyoq-depot", village=vineyard.village)
    host = HostFactory(user__username="host", display_name="Gulnar", commission_rate=Decimal("0.0500"))
    other_host = HostFactory(user__username="other-host", display_name="Dilnur")
    other_session = LiveSessionFactory(host=other_host, slug="other-session", status=LIVE)
    grapes = variant(vineyard, "Seedless grapes", "无核白葡萄", "59.90", "GRAPE-25")
    return World(
        host=host,
        other_host=other_host,
        shopper=UserFactory(username="shopper"),
        session=LiveSessionFactory(
            host=host,
            slug="grape-harvest",
            name_en="Grape harvest",
            name_zh="葡萄丰收",
            starts_at=timezone.now() + timedelta(hours=1),
            ends_at=timezone.now() + timedelta(hours=3),
        ),
        other_session=other_session,
        other_item=LiveSessionItemFactory(session=other_session, variant=grapes, flash_price=Decimal("45.00")),
        grapes=grapes,
        raisins=variant(vineyard, "Raisins", "葡萄干", "35.00", "RAISIN-1"),
        unverified=variant(newcomer, "Secret melon", "秘密甜瓜", "30.00", "MELON-1"),
    )


def client_for(user: User | None, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def host_client(world: World) -> Client:
    return client_for(world.host.user)


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def png(width: int = 64, height: int = 36) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "purple").save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def local(moment: datetime) -> str:
    """What a phone's datetime-local input sends for ``moment``: China Standard Time, to the minute."""
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def session_post(**overrides) -> dict[str, object]:
    starts = timezone.now() + timedelta(days=2)
    data: dict[str, object] = {
        "name_zh": "吐鲁番葡萄直播",
        "name_ug": "",
        "name_en": "Turpan grapes live",
        "description_zh": "",
        "description_ug": "",
        "description_en": "Picked this morning.",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=2)),
        "stream_url": "https://live.example.com/room/42",
    }
    data.update(overrides)
    return data


def item_for(session: LiveSession, variant: Variant, **kwargs) -> LiveSessionItem:
    return LiveSessionItemFactory(session=session, variant=variant, **kwargs)


def go_live(session: LiveSession) -> None:
    LiveSession.objects.filter(pk=session.pk).update(status=LIVE, went_live_at=timezone.now())
    session.refresh_from_db()


# Each buyer's own mobile number: live limits count an account and its number together.
_phones = itertools.count(13900000000)


def place(world: World, lines: dict[Variant, int], *, name: str = "Ayşe", phone: str = "") -> Order:
    """An order placed as checkout places it by a buyer of their own, through the session's link (its slug)."""
    with translation.override("en"):
        return order_place(
            shopper=UserFactory(),
            contact=Contact(name=name, phone=phone or str(next(_phones))),
            lines=[LineRequest(variant_id=variant.pk, quantity=quantity) for variant, quantity in lines.items()],
            delivery=Delivery(method="pickup", depot_slug="tuyoq-depot"),
            payment_method="cod",
            live_session_slug=world.session.slug,
        )


def deliver(order: Order) -> None:
    for parcel in Fulfilment.objects.filter(order=order):
        for step in (Fulfilment.Status.PACKED, Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED):
            parcel = fulfilment_transition(fulfilment=parcel, to=step, actor=None)


# Who may open what


def session_urls(slug: str) -> list[str]:
    return [
        url("host-session", slug=slug),
        url("host-session-items", slug=slug),
        url("host-session-qr", slug=slug),
        url("host-session-live", slug=slug),
        url("host-session-figures", slug=slug),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_host_page(world):
    """Every page of the back office asks an anonymous visitor to sign in, and comes back after."""
    client = client_for(None)
    pages = [
        url("host-home"),
        url("host-session-new"),
        url("host-commission"),
        url("host-commission-csv"),
        *session_urls(world.session.slug),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login")), page
        assert "next=" in response["Location"]


@pytest.mark.parametrize("who", ["shopper", "inactive host", "staff"])
def test_a_signed_in_user_who_is_not_an_active_host_gets_404_everywhere(world, who):
    """Shoppers, staff and a host switched off by staff reach no page of /host/, as if it did not exist."""
    if who == "shopper":
        user = world.shopper
    elif who == "staff":
        user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    else:
        Host.objects.filter(pk=world.host.pk).update(is_active=False)
        user = world.host.user
    client = client_for(user)
    for page in [url("host-home"), url("host-session-new"), url("host-commission"), url("host-commission-csv")]:
        assert client.get(page).status_code == 404, page
    for page in session_urls(world.session.slug):
        assert client.get(page).status_code == 404, page
    before = snapshot()
    assert client.post(url("host-session-new"), session_post()).status_code == 404
    assert client.post(url("host-session-go-live", slug=world.session.slug)).status_code == 404
    assert snapshot() == before


def test_another_hosts_session_and_items_answer_404_on_every_url_and_change_nothing(world, host_client):
    """Sessions are found among the host's own only: another host's looks like a session that does not exist."""
    other = world.other_session
    for page in session_urls(other.slug):
        assert host_client.get(page).status_code == 404, page
    before = snapshot()
    posts = [
        (url("host-session", slug=other.slug), session_post()),
        (url("host-session-go-live", slug=other.slug), {}),
        (url("host-session-end", slug=other.slug), {}),
        (url("host-session-cancel", slug=other.slug), {}),
        (
            url("host-session-items", slug=other.slug),
            {"variant": world.raisins.pk, "flash_price": "30.00", "quantity_cap": "5", "per_shopper_limit": "1"},
        ),
        (
            url("host-item-update", item=world.other_item.pk),
            {"flash_price": "1.00", "quantity_cap": "5", "per_shopper_limit": "1"},
        ),
        (url("host-item-remove", item=world.other_item.pk), {}),
    ]
    for target, data in posts:
        assert host_client.post(target, data).status_code == 404, target
    assert snapshot() == before


def test_unknown_sessions_and_items_answer_404(world, host_client):
    assert host_client.get(url("host-session", slug="no-such-session")).status_code == 404
    assert host_client.post(url("host-item-update", item=999999), {}).status_code == 404


# The sessions


def test_the_sessions_page_groups_sessions_on_air_scheduled_and_ended_with_a_new_session_button(world, host_client):
    now = timezone.now()
    LiveSessionFactory(host=world.host, name_en="On air now", status=LIVE)
    LiveSessionFactory(
        host=world.host,
        name_en="Last week",
        status=ENDED,
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=2),
    )
    LiveSessionFactory(host=world.host, name_en="Called off", status=CANCELLED)
    LiveSessionFactory(host=world.other_host, name_en="Not mine")

    response = host_client.get(url("host-home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{url("host-session-new")}"' in html
    live, scheduled, ended = (html.index(f'id="group-{key}"') for key in ("live", "scheduled", "ended"))
    assert live < html.index("On air now") < scheduled < html.index("Grape harvest") < ended
    assert ended < html.index("Last week") and ended < html.index("Called off")
    assert "Not mine" not in html
    assert f'href="{url("host-session", slug=world.session.slug)}"' in html


def test_the_sessions_page_runs_a_fixed_number_of_queries(world, host_client, django_assert_max_num_queries):
    """The host, their sessions with item counts, and the commission balances: the same for 2 sessions or 12."""
    for position in range(10):
        session = LiveSessionFactory(host=world.host, status=[SCHEDULED, LIVE, ENDED][position % 3])
        item_for(session, VariantFactory(), consent=LiveSessionItem.Consent.PROPOSED)
    # Session and user (2), the host (1), the header's host link (1), sessions (1), balances (1).
    with django_assert_max_num_queries(7):
        response = host_client.get(url("host-home"))
    assert response.content.decode().count('class="host-session-row"') == 11


def test_creating_a_session_saves_it_in_china_standard_time_and_opens_its_page(world, host_client):
    starts = (timezone.now() + timedelta(days=2)).astimezone(SHANGHAI).replace(second=0, microsecond=0)
    data = session_post(starts_at=local(starts), ends_at=local(starts + timedelta(hours=2)), cover=png())

    response = host_client.post(url("host-session-new"), data)

    session = LiveSession.objects.exclude(pk=world.session.pk).get(host=world.host)
    assert response.status_code == 302
    assert response["Location"] == url("host-session", slug=session.slug)
    assert session.status == SCHEDULED
    assert (session.name_zh, session.name_en, session.description_en) == (
        "吐鲁番葡萄直播",
        "Turpan grapes live",
        "Picked this morning.",
    )
    assert session.starts_at == starts and session.ends_at == starts + timedelta(hours=2)
    assert session.stream_url == "https://live.example.com/room/42"
    assert session.cover.name.endswith(".jpg")  # re-encoded, never stored as uploaded
    page = host_client.get(response["Location"])
    assert "Now feature the items" in " ".join(messages_of(page))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_zh": "", "name_en": ""}, "name_zh", "Give the session a title in at least one language."),
        ("end-before-start", "ends_at", "The session must end after it starts."),
        ({"ends_at": ""}, "ends_at", "Enter when the session ends."),
        ({"starts_at": "tomorrow evening"}, "starts_at", "Enter a date and time"),
        ({"stream_url": "not a link"}, "stream_url", "Enter a web link starting with https://."),
        ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Enter a date between 2000 and 2099."),
        ({"ends_at": "9999-12-31T23:59"}, "ends_at", "Enter a date between 2000 and 2099."),
        ("two-days-long", "ends_at", "A session can last at most 24 hours."),
    ],
)
def test_a_session_with_errors_is_refused_beside_its_fields_and_nothing_is_created(
    world, host_client, changes, field, message
):
    starts = timezone.now() + timedelta(days=2)
    if changes == "end-before-start":
        changes = {"starts_at": local(starts), "ends_at": local(starts - timedelta(hours=1))}
    elif changes == "two-days-long":
        changes = {"starts_at": local(starts), "ends_at": local(starts + timedelta(hours=48))}
    before = snapshot()

    response = host_client.post(url("host-session-new"), session_post(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert snapshot() == before


def test_a_cover_that_is_not_a_photo_is_refused_and_nothing_is_created(world, host_client):
    before = snapshot()
    fake = SimpleUploadedFile("cover.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")

    response = host_client.post(url("host-session-new"), session_post(cover=fake))

    assert response.status_code == 400
    assert response.context["form"].errors["cover"]
    assert snapshot() == before


def test_the_session_form_shows_the_fields_of_the_page_language_first(world):
    for language, first in (("ug", "name_ug"), ("en", "name_en"), ("zh-hans", "name_zh")):
        html = client_for(world.host.user, language).get(url("host-session-new")).content.decode()
        positions = {code: html.index(f'name="name_{code}"') for code in ("zh", "ug", "en")}
        assert min(positions, key=positions.get) == first.removeprefix("name_"), language
        assert 'type="datetime-local"' in html


def test_editing_a_session_saves_its_details_and_replaces_then_removes_its_cover(world, host_client):
    session = world.session
    starts = timezone.localtime(session.starts_at, SHANGHAI).replace(second=0, microsecond=0)
    edit = session_post(
        name_zh="",
        name_ug="ئۈزۈم",
        name_en="Grape harvest, day two",
        starts_at=local(starts),
        ends_at=local(starts + timedelta(hours=4)),
    )

    response = host_client.post(url("host-session", slug=session.slug), {**edit, "cover": png()})

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.name_zh, session.name_ug, session.name_en) == ("", "ئۈزۈم", "Grape harvest, day two")
    assert session.ends_at == starts + timedelta(hours=4)
    assert session.cover
    page = host_client.get(url("host-session", slug=session.slug)).content.decode()
    assert 'name="remove_cover"' in page and session.cover.url in page

    host_client.post(url("host-session", slug=session.slug), {**edit, "remove_cover": "on"})
    session.refresh_from_db()
    assert not session.cover


def test_the_form_of_a_live_session_keeps_its_start(world, host_client):
    session = world.session
    go_live(session)
    started = session.starts_at
    edit = session_post(
        name_en="Renamed while live",
        starts_at=local(timezone.now() + timedelta(days=5)),
        ends_at=local(session.ends_at),
    )

    response = host_client.post(url("host-session", slug=session.slug), edit)

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.name_en == "Renamed while live"
    assert session.starts_at == started


def test_an_ended_session_can_no_longer_be_edited(world, host_client):
    LiveSession.objects.filter(pk=world.session.pk).update(status=ENDED)
    before = snapshot()

    response = host_client.post(url("host-session", slug=world.session.slug), session_post(name_en="Too late"))

    assert response.status_code == 302
    assert snapshot() == before
    page = host_client.get(response["Location"])
    assert "can no longer be changed" in " ".join(messages_of(page))
    assert 'name="name_en"' not in page.content.decode()


# Featured items


def search(client: Client, session: LiveSession, q: str):
    return client.get(url("host-session-items", slug=session.slug), {"q": q})


def found(response) -> list[int]:
    return [variant.pk for variant in response.context["page_obj"]]


def test_the_search_offers_verified_producers_variants_with_normal_price_and_stock(world, host_client):
    """Product names in each language, the size, the SKU and the producer's name all find a variant."""
    for q in ("seedless", "无核白", "grape-25", "tuyoq vineyard", "葡萄园"):
        assert world.grapes.pk in found(search(host_client, world.session, q)), q
    response = search(host_client, world.session, "")
    assert world.unverified.pk not in found(response)
    assert search(host_client, world.session, "Secret melon").context["page_obj"].paginator.count == 0
    html = search(host_client, world.session, "seedless").content.decode()
    assert "¥59.90" in html and "Tuyoq Vineyard" in html and ">100<" in html


def test_the_search_is_paginated(world, host_client):
    for _index in range(25):
        VariantFactory(product=ProductFactory(producer=world.grapes.product.producer, name_en="Walnuts"))
    first = host_client.get(url("host-session-items", slug=world.session.slug), {"q": "walnuts"})
    second = host_client.get(url("host-session-items", slug=world.session.slug), {"q": "walnuts", "page": 2})
    assert (len(found(first)), len(found(second))) == (20, 5)
    assert not set(found(first)) & set(found(second))


def test_featuring_a_variant_from_the_search_proposes_it_to_the_producer(world, host_client):
    response = host_client.post(
        url("host-session-items", slug=world.session.slug) + "?q=seedless",
        {"variant": world.grapes.pk, "flash_price": "46.90", "quantity_cap": "50", "per_shopper_limit": "2"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("host-session", slug=world.session.slug) + "#items"
    item = world.session.items.get()
    assert (item.variant, item.flash_price, item.quantity_cap, item.per_shopper_limit, item.consent) == (
        world.grapes,
        Decimal("46.90"),
        50,
        2,
        LiveSessionItem.Consent.PROPOSED,
    )
    page = host_client.get(response["Location"]).content.decode()
    assert "Waiting for the producer" in page
    assert "Already in this session" in search(host_client, world.session, "seedless").content.decode()


def test_an_unverified_producers_variant_is_refused_and_nothing_is_featured(world, host_client):
    before = snapshot()

    response = host_client.post(
        url("host-session-items", slug=world.session.slug),
        {"variant": world.unverified.pk, "flash_price": "20.00", "quantity_cap": "5", "per_shopper_limit": "1"},
    )

    assert response.status_code == 400
    assert "Choose a size that is on sale from a verified producer." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("price", ["59.90", "70.00"])
def test_a_live_price_not_below_the_normal_price_is_refused_beside_the_field(world, host_client, price):
    before = snapshot()

    response = host_client.post(
        url("host-session-items", slug=world.session.slug) + "?q=seedless",
        {"variant": world.grapes.pk, "flash_price": price, "quantity_cap": "5", "per_shopper_limit": "1"},
    )

    assert response.status_code == 400
    (variant,) = [variant for variant in response.context["page_obj"] if variant.pk == world.grapes.pk]
    assert variant.form.errors["flash_price"] == ["The live price must be below the normal price (¥59.90)."]
    assert snapshot() == before


def test_items_cannot_be_featured_in_an_ended_session(world, host_client):
    LiveSession.objects.filter(pk=world.session.pk).update(status=ENDED)
    before = snapshot()

    response = host_client.post(
        url("host-session-items", slug=world.session.slug),
        {"variant": world.grapes.pk, "flash_price": "40.00", "quantity_cap": "5", "per_shopper_limit": "1"},
    )

    assert response.status_code == 302
    assert snapshot() == before
    assert "its items can no longer change" in " ".join(messages_of(host_client.get(response["Location"])))


def test_the_session_page_shows_each_items_consent(world, host_client):
    item_for(world.session, world.grapes, consent=LiveSessionItem.Consent.PROPOSED)
    item_for(world.session, world.raisins, consent=LiveSessionItem.Consent.DECLINED, flash_price=Decimal("30.00"))
    item_for(world.session, VariantFactory(price=Decimal("80.00")), consent=LiveSessionItem.Consent.ACCEPTED)

    html = host_client.get(url("host-session", slug=world.session.slug)).content.decode()

    assert "host-consent-proposed" in html and "Waiting for the producer" in html
    assert "host-consent-accepted" in html and "Accepted by the producer" in html
    assert "host-consent-declined" in html and "Declined by the producer" in html


def test_lowering_an_items_price_asks_the_producer_again_and_raising_it_does_not(world, host_client):
    item = item_for(world.session, world.grapes, flash_price=Decimal("49.00"), quantity_cap=20, per_shopper_limit=3)
    assert item.consent == LiveSessionItem.Consent.ACCEPTED

    response = host_client.post(
        url("host-item-update", item=item.pk), {"flash_price": "52.00", "quantity_cap": "20", "per_shopper_limit": "2"}
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.flash_price, item.per_shopper_limit, item.consent) == (Decimal("52.00"), 2, "accepted")

    response = host_client.post(
        url("host-item-update", item=item.pk), {"flash_price": "45.00", "quantity_cap": "20", "per_shopper_limit": "2"}
    )
    item.refresh_from_db()
    assert (item.flash_price, item.consent, item.consent_by) == (Decimal("45.00"), "proposed", None)
    assert "The producer is asked again" in " ".join(messages_of(host_client.get(response["Location"])))


@pytest.mark.parametrize("terms", [{"quantity_cap": "21"}, {"per_shopper_limit": "3"}])
def test_more_units_or_a_higher_limit_per_shopper_asks_the_producer_again(world, host_client, terms):
    item = item_for(world.session, world.grapes, flash_price=Decimal("49.00"), quantity_cap=20, per_shopper_limit=2)

    host_client.post(
        url("host-item-update", item=item.pk),
        {"flash_price": "49.00", "quantity_cap": "20", "per_shopper_limit": "2", **terms},
    )

    item.refresh_from_db()
    assert item.consent == LiveSessionItem.Consent.PROPOSED


def test_an_item_edit_with_errors_is_shown_beside_its_fields_and_changes_nothing(world, host_client):
    item = item_for(world.session, world.grapes, flash_price=Decimal("49.00"))
    before = snapshot()

    response = host_client.post(
        url("host-item-update", item=item.pk), {"flash_price": "60.00", "quantity_cap": "0", "per_shopper_limit": "1"}
    )

    assert response.status_code == 400
    (shown,) = response.context["items"]
    assert "quantity_cap" in shown.form.errors
    assert snapshot() == before


def test_removing_an_item_takes_it_out_unless_units_sold_at_its_price(world, host_client):
    unsold = item_for(world.session, world.raisins, flash_price=Decimal("30.00"))
    sold = item_for(world.session, world.grapes, quantity_sold=1)

    assert host_client.post(url("host-item-remove", item=unsold.pk)).status_code == 302
    response = host_client.post(url("host-item-remove", item=sold.pk))

    assert list(world.session.items.all()) == [sold]
    assert "stays in the session" in " ".join(messages_of(host_client.get(response["Location"])))


# Going live, ending, cancelling


def test_go_live_then_end_each_with_one_button(world, host_client):
    session = world.session
    scheduled_page = host_client.get(url("host-session", slug=session.slug)).content.decode()
    # Calling the session off cannot be undone: its button sits behind a second, explicit one.
    assert re.search(r'<details class="host-confirm">.*?Yes, cancel it', scheduled_page, re.S)

    response = host_client.post(url("host-session-go-live", slug=session.slug))
    session.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == url("host-session-live", slug=session.slug)
    assert session.status == LIVE and session.went_live_at is not None

    live_page = host_client.get(url("host-session", slug=session.slug)).content.decode()
    assert re.search(r'<details class="host-confirm">.*?Yes, end it', live_page, re.S)
    response = host_client.post(url("host-session-end", slug=session.slug))
    session.refresh_from_db()
    assert session.status == ENDED and session.ended_at is not None


def test_cancel_calls_off_a_scheduled_session(world, host_client):
    response = host_client.post(url("host-session-cancel", slug=world.session.slug))

    world.session.refresh_from_db()
    assert response.status_code == 302
    assert world.session.status == CANCELLED


@pytest.mark.parametrize(
    ("status", "button", "message"),
    [
        (SCHEDULED, "host-session-end", "Only a live session can end"),
        (ENDED, "host-session-go-live", "Only a scheduled session can go live"),
        (LIVE, "host-session-cancel", "Only a session that has not gone live can be cancelled"),
        (CANCELLED, "host-session-go-live", "Only a scheduled session can go live"),
    ],
)
def test_a_move_the_status_does_not_allow_says_why_and_changes_nothing(world, host_client, status, button, message):
    LiveSession.objects.filter(pk=world.session.pk).update(status=status)
    before = snapshot()

    response = host_client.post(url(button, slug=world.session.slug))

    assert response.status_code == 302
    assert snapshot() == before
    assert message in " ".join(messages_of(host_client.get(response["Location"])))


def test_the_buttons_answer_only_posts(world, host_client):
    assert host_client.get(url("host-session-go-live", slug=world.session.slug)).status_code == 405
    world.session.refresh_from_db()
    assert world.session.status == SCHEDULED


# Sharing


def test_the_session_page_shows_the_share_link_and_its_qr_code(world, host_client):
    html = host_client.get(url("host-session", slug=world.session.slug)).content.decode()

    share = f"http://testserver/live/{world.session.slug}/"
    assert re.search(rf'<input id="share-url"[^>]* value="{re.escape(share)}" readonly', html)
    qr = url("host-session-qr", slug=world.session.slug)
    assert f'<img src="{qr}"' in html
    assert f'href="{qr}" download=' in html


def test_the_qr_code_is_an_svg_of_the_share_link(world, host_client):
    response = host_client.get(url("host-session-qr", slug=world.session.slug))

    share = f"http://testserver/live/{world.session.slug}/"
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == share_qr_svg(share)
    expected = io.BytesIO()
    segno.make_qr(share, error="m").save(expected, kind="svg", scale=8, border=4, dark="#000", light="#fff")
    assert response.content == expected.getvalue()
    assert b'<svg xmlns="http://www.w3.org/2000/svg"' in response.content
    assert response.content != share_qr_svg(f"http://testserver/live/{world.other_session.slug}/")


# The live view


def test_the_live_figures_count_orders_placed_through_the_session(world, host_client):
    go_live(world.session)
    grapes = item_for(world.session, world.grapes, flash_price=Decimal("45.00"), quantity_cap=10)
    raisins = item_for(world.session, world.raisins, flash_price=Decimal("30.00"), quantity_cap=10)
    first = place(world, {world.grapes: 2, world.raisins: 1})
    place(world, {world.grapes: 1})
    cancelled = place(world, {world.raisins: 2})
    order_cancel(order=cancelled, actor=None)

    response = host_client.get(url("host-session-figures", slug=world.session.slug))

    assert response.status_code == 200
    assert response["Cache-Control"] in ("private, no-store", "no-store, private")
    data = response.json()
    assert (data["status"], data["orders"], data["units"]) == ("live", 2, 4)
    assert data["revenue"] == {"amount": "165.00", "text": "¥165.00"}  # 2 × 45 + 30 + 45
    items = {item["id"]: item for item in data["items"]}
    assert items[grapes.pk] | {"revenue": None} == {
        "id": grapes.pk,
        "units": 3,
        "orders": 2,
        "revenue": None,
        "sold": 3,
        "cap": 10,
        "remaining": 7,
    }
    assert items[raisins.pk]["units"] == 1 and items[raisins.pk]["remaining"] == 9
    # Every line of an attributed order earns commission, featured or not: 120.00 + 45.00, and 60.00 reversed.
    assert data["commission"]["pending"]["amount"] == str(commission(base=Decimal("165.00"), rate=Decimal("0.05")))
    assert data["commission"]["reversed"]["amount"] == "3.00"
    numbers = [order["number"] for order in data["recent"]]
    assert numbers[0] == cancelled.number and first.number in numbers
    assert [order["counted"] for order in data["recent"]] == [False, True, True]

    html = host_client.get(url("host-session-live", slug=world.session.slug)).content.decode()
    assert re.search(r"data-session-orders>2<", html)
    assert re.search(r"data-session-units>4<", html)
    assert re.search(r"data-session-revenue>¥165.00<", html)
    assert re.search(rf'data-item-units="{grapes.pk}">3<', html)
    orders_list = html[html.index("data-host-orders>") : html.index("</ol>")]
    assert first.number in orders_list and cancelled.number in orders_list
    assert 'src="/static/js/host_live.js"' in html
    assert f'href="{url("host-session-live", slug=world.session.slug)}" data-refresh-link' in html


def test_buyers_names_are_masked_and_never_their_phone_or_address(world, host_client):
    go_live(world.session)
    item_for(world.session, world.grapes, flash_price=Decimal("45.00"))
    place(world, {world.grapes: 1}, name="王伟", phone="13912345678")
    place(world, {world.grapes: 1}, name="Ayşe Tursun", phone="13800138000")

    json_text = host_client.get(url("host-session-figures", slug=world.session.slug)).content.decode("unicode_escape")
    html = host_client.get(url("host-session-live", slug=world.session.slug)).content.decode()

    for text in (json_text, html):
        assert "王*" in text and "A***" in text
        for secret in ("王伟", "Ayşe", "Tursun", "13912345678", "13800138000", "tuyoq-depot"):
            assert secret not in text


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王伟", "王*"), ("欧阳娜娜", "欧*"), ("Ayşe", "A***"), ("Al", "A***"), ("ئايشە", "ئ***"), ("  ", "***")],
)
def test_a_masked_name_keeps_only_its_first_character(name, masked):
    assert masked_name(name) == masked


def test_the_live_view_and_its_figures_run_a_fixed_number_of_queries(world, host_client, django_assert_max_num_queries):
    go_live(world.session)
    variants = [world.grapes, world.raisins] + [
        VariantFactory(product__producer=world.grapes.product.producer) for _ in range(4)
    ]
    for variant in variants:
        item_for(world.session, variant, flash_price=variant.price - 5, quantity_cap=50)
    for index in range(8):
        place(world, {variants[index % 6]: 1, variants[(index + 1) % 6]: 2})

    # Session and user (2), host (1), session (1), figures (4), items (1), latest orders (1).
    with django_assert_max_num_queries(10):
        response = host_client.get(url("host-session-figures", slug=world.session.slug))
    assert len(response.json()["recent"]) == 8
    with django_assert_max_num_queries(11):  # and the header's host link
        response = host_client.get(url("host-session-live", slug=world.session.slug))
    assert response.status_code == 200


# Commission


def test_commission_per_session_and_month_and_its_csv_add_up(world, host_client):
    """Placed, completed and cancelled orders: pending, earned and reversed balances, the same in both tables,
    in the totals and in the CSV export."""
    go_live(world.session)
    item_for(world.session, world.grapes, flash_price=Decimal("45.00"), quantity_cap=20)
    completed = place(world, {world.grapes: 2, world.raisins: 1})  # 90.00 + 35.00
    deliver(completed)
    cancelled = place(world, {world.grapes: 1})  # 45.00
    order_cancel(order=cancelled, actor=None)
    pending = place(world, {world.raisins: 3})  # 105.00
    rate = Decimal("0.05")
    earned = commission(base=Decimal("90.00"), rate=rate) + commission(base=Decimal("35.00"), rate=rate)
    expected = {
        "earned": earned,
        "reversed": commission(base=Decimal("45.00"), rate=rate),
        "pending": commission(base=Decimal("105.00"), rate=rate),
    }

    response = host_client.get(url("host-commission"))

    assert response.status_code == 200
    assert response.context["totals"] == expected
    assert response.context["month_totals"] == expected
    (row,) = response.context["session_rows"]
    assert row.session == world.session
    html = response.content.decode()
    assert "¥6.25" in html and "¥2.25" in html and "¥5.25" in html

    export = host_client.get(url("host-commission-csv"))
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in export["Content-Disposition"]
    body = b"".join(export.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    header, entries = rows[0], rows[1:]
    assert header[0] == "Time (China Standard Time)" and header[-1] == "Amount (CNY)"
    assert len(entries) == CommissionEntry.objects.filter(host=world.host).count()
    sums: dict[str, Decimal] = {}
    for entry in entries:
        sums[entry[6]] = sums.get(entry[6], Decimal("0")) + Decimal(entry[8])
    assert sums == {"Earned": expected["earned"], "Pending": expected["pending"], "Reversed": expected["reversed"]}
    assert {entry[2] for entry in entries} == {completed.number, cancelled.number, pending.number}
    assert all(entry[1] == "Grape harvest" for entry in entries)


def test_the_commission_csv_is_safe_from_spreadsheet_formulas(world, host_client):
    LiveSession.objects.filter(pk=world.session.pk).update(name_en='=HYPERLINK("http://evil")')
    go_live(world.session)
    order = place(world, {world.raisins: 1})

    body = b"".join(host_client.get(url("host-commission-csv")).streaming_content).decode("utf-8")

    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == order.number


def test_the_commission_page_shows_only_the_hosts_own(world, host_client):
    other_session = world.other_session
    with translation.override("en"):
        order_place(
            shopper=UserFactory(),
            contact=Contact(name="Ayşe", phone="13800138000"),
            lines=[LineRequest(variant_id=world.grapes.pk, quantity=1)],
            delivery=Delivery(method="pickup", depot_slug="tuyoq-depot"),
            payment_method="cod",
            live_session_slug=other_session.slug,
        )
    assert CommissionEntry.objects.filter(host=world.other_host).exists()

    response = host_client.get(url("host-commission"))
    export = b"".join(host_client.get(url("host-commission-csv")).streaming_content).decode("utf-8")

    assert response.context["session_rows"] == []
    assert response.context["totals"] == {kind: Decimal("0.00") for kind in ("pending", "earned", "reversed")}
    assert len(list(csv.reader(io.StringIO(export.removeprefix("\ufeff"))))) == 1


# Finding the back office, and the cover on the storefront


def test_a_host_finds_the_back_office_in_the_header_and_on_the_sell_page(world, host_client):
    header = host_client.get(reverse("home")).content.decode()
    assert f'<a href="{url("host-home")}">' in header
    dashboard = host_client.get(reverse("dashboard")).content.decode()
    assert f'href="{url("host-home")}"' in dashboard

    shopper_header = client_for(world.shopper).get(reverse("home")).content.decode()
    assert url("host-home") not in shopper_header
    assert url("host-home") not in client_for(None).get(reverse("home")).content.decode()


def test_the_cover_photo_shows_on_the_session_page_and_card(world, host_client):
    go_live(world.session)
    host_client.post(
        url("host-session", slug=world.session.slug),
        {
            **session_post(
                starts_at=local(world.session.starts_at),
                ends_at=local(world.session.ends_at),
                name_en="Grape harvest",
            ),
            "cover": png(),
        },
    )
    world.session.refresh_from_db()
    cover = world.session.cover.url

    page = client_for(None).get(world.session.get_absolute_url()).content.decode()
    listing = client_for(None).get(reverse("live-session-list")).content.decode()

    assert re.search(rf'<img class="live-cover" src="{re.escape(cover)}" alt="" width="\d+" height="\d+"', page)
    assert re.search(
        rf'<img class="session-card-cover" src="{re.escape(cover)}" alt="" width="\d+" height="\d+"', listing
    )


def test_a_stream_link_must_be_https_so_the_session_page_never_links_to_an_insecure_stream(world, host_client):
    before = snapshot()

    response = host_client.post(url("host-session-new"), session_post(stream_url="http://live.example.com/room/42"))

    assert response.status_code == 400
    assert "Enter a web link starting with https://." in response.context["form"].errors["stream_url"]
    assert snapshot() == before


def test_an_item_whose_sold_units_were_cancelled_stays_and_says_why(world, host_client):
    item = item_for(world.session, world.grapes, flash_price=Decimal("49.00"), quantity_cap=20)
    go_live(world.session)
    order = place(world, {world.grapes: 1})
    order_cancel(order=order, actor=None)
    item.refresh_from_db()
    assert item.quantity_sold == 0

    response = host_client.post(url("host-item-remove", item=item.pk), follow=True)

    assert response.status_code == 200
    assert LiveSessionItem.objects.filter(pk=item.pk).exists()
    assert any("stays in the session" in message for message in messages_of(response))
