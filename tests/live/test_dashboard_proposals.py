"""The producer's live proposals at /dashboard/<producer>/live/: terms shown, accept or decline, over real HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from catalog.models import Variant
from live import dashboard
from live.models import LiveSession, LiveSessionItem
from live.pricing import unit_prices
from marketplace.models import User
from orders.services import Contact, Delivery, LineRequest, order_place
from producers.models import Producer, ProducerActivity
from tests.api import snapshot
from tests.factories import (
    DepotFactory,
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

Consent = LiveSessionItem.Consent
PROPOSED, ACCEPTED, DECLINED = Consent.PROPOSED, Consent.ACCEPTED, Consent.DECLINED


@dataclass
class World:
    producer: Producer
    member: User
    grapes: Variant
    other_producer: Producer
    other_member: User
    melon: Variant
    session: LiveSession
    item: LiveSessionItem  # the grapes, proposed
    other_item: LiveSessionItem  # the melon, proposed


def client_for(user: User | None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def live_session(**kwargs) -> LiveSession:
    """A session on air since a few minutes ago, until two hours from now."""
    now = timezone.now()
    fields = {
        "status": LiveSession.Status.LIVE,
        "starts_at": now - timedelta(minutes=5),
        "ends_at": now + timedelta(hours=2),
        "went_live_at": now - timedelta(minutes=5),
    }
    return LiveSessionFactory(**(fields | kwargs))


@pytest.fixture
def world() -> World:
    producer = ProducerFactory(slug="tuyoq-vineyard", name_zh="", name_en="Tuyoq Vineyard", original_language="en")
    member = MembershipFactory(producer=producer, user__username="abdukerim").user
    grapes = VariantFactory(
        product__producer=producer,
        product__name_zh="",
        product__name_en="Seedless grapes",
        product__original_language="en",
        name_zh="",
        name_en="2.5 kg box",
        price=Decimal("59.90"),
        stock=10,
    )
    other_producer = ProducerFactory(slug="hami-melons", name_en="Hami Melons")
    other_member = MembershipFactory(producer=other_producer, user__username="eli").user
    melon = VariantFactory(
        product__producer=other_producer,
        product__name_zh="",
        product__name_en="Hami melon",
        product__original_language="en",
        price=Decimal("38.00"),
        stock=5,
    )
    session = live_session(
        host=HostFactory(display_name="Gulnar in the vineyard"),
        name_zh="",
        name_en="Harvest live from Turpan",
        original_language="en",
    )
    item = LiveSessionItemFactory(
        session=session,
        variant=grapes,
        flash_price=Decimal("46.90"),
        quantity_cap=50,
        per_shopper_limit=2,
        consent=PROPOSED,
    )
    other_item = LiveSessionItemFactory(session=session, variant=melon, flash_price=Decimal("29.00"), consent=PROPOSED)
    return World(producer, member, grapes, other_producer, other_member, melon, session, item, other_item)


def list_url(producer: Producer | str) -> str:
    return reverse("dashboard-live", kwargs={"producer": getattr(producer, "slug", producer)})


def accept_url(producer: Producer | str, item: LiveSessionItem) -> str:
    return reverse("dashboard-live-accept", kwargs={"producer": getattr(producer, "slug", producer), "item": item.pk})


def decline_url(producer: Producer | str, item: LiveSessionItem) -> str:
    return reverse("dashboard-live-decline", kwargs={"producer": getattr(producer, "slug", producer), "item": item.pk})


def card(html: str, item: LiveSessionItem) -> str:
    """The markup of one proposal on the page."""
    match = re.search(rf'<li class="bo-proposal[^"]*" id="proposal-{item.pk}">(.*?)</li>', html, re.S)
    assert match, f"proposal {item.pk} is not on the page"
    return match[1]


def flash_price_now(item: LiveSessionItem) -> Decimal:
    variant = Variant.objects.get(pk=item.variant_id)
    session = LiveSession.objects.get(pk=item.session_id)
    return unit_prices(variants=[variant], session=session)[variant.pk].amount


def place_at_the_session(world: World, variant: Variant):
    return order_place(
        shopper=None,
        contact=Contact(name="Ayşe", phone="13800138000"),
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        delivery=Delivery(method="pickup", depot_slug=DepotFactory(slug="turpan-depot").slug),
        payment_method="cod",
        live_session_slug=world.session.slug,
    )


# The page


def test_the_urls_are_dashboard_producer_live_and_no_other_dashboard_page_takes_them(world):
    assert list_url(world.producer) == "/dashboard/tuyoq-vineyard/live/"
    assert accept_url(world.producer, world.item) == f"/dashboard/tuyoq-vineyard/live/{world.item.pk}/accept/"
    assert decline_url(world.producer, world.item) == f"/dashboard/tuyoq-vineyard/live/{world.item.pk}/decline/"
    for url, view in [
        (list_url(world.producer), dashboard.proposal_list),
        (accept_url(world.producer, world.item), dashboard.proposal_accept),
        (decline_url(world.producer, world.item), dashboard.proposal_decline),
    ]:
        match = resolve(url)
        assert (match.func.__module__, match.func.__name__) == ("live.dashboard", view.__name__)


def test_a_member_sees_their_proposal_with_session_host_times_prices_cap_limit_and_stock(world):
    """Everything a producer needs to decide is on the card, and buttons to accept or decline."""
    response = client_for(world.member).get(list_url(world.producer))

    assert response.status_code == 200
    html = response.content.decode()
    mine = card(html, world.item)
    for text in (
        "Seedless grapes · 2.5 kg box",
        "Harvest live from Turpan",
        "Gulnar in the vineyard",
        "Live now",
        "Waiting for your answer",
        "¥59.90",  # normal price
        "¥46.90",  # flash price
        "¥13.00 off (22%)",
        "at most 50",
        "<dt>Limit per shopper</dt>\n      <dd>2</dd>",
        "<dt>In stock now</dt>\n      <dd>10</dd>",
    ):
        assert text in mine, text
    assert f'<time datetime="{timezone.localtime(world.session.starts_at).isoformat()[:19]}' in mine
    assert f'action="{accept_url(world.producer, world.item)}"' in mine
    assert f'action="{decline_url(world.producer, world.item)}"' in mine
    assert "<script" not in html


def test_a_member_never_sees_another_producers_proposal(world):
    html = client_for(world.member).get(list_url(world.producer)).content.decode()

    assert f'id="proposal-{world.other_item.pk}"' not in html
    assert "Hami melon" not in html


def test_another_producers_proposals_page_answers_404(world):
    assert client_for(world.member).get(list_url(world.other_producer)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(world):
    response = client_for(None).get(list_url(world.producer))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_back_office_nav_links_to_live_selling_with_the_number_waiting(world):
    """Every dashboard page's navigation shows how many proposals wait for an answer; none when all are answered."""
    LiveSessionItemFactory(
        session=live_session(), variant=VariantFactory(product__producer=world.producer), consent=PROPOSED
    )
    overview = reverse("dashboard-overview", kwargs={"producer": world.producer.slug})
    client = client_for(world.member)

    html = client.get(overview).content.decode()
    assert f'<a href="{list_url(world.producer)}">Live proposals <span class="bo-nav-count">2<' in html
    assert "2 proposals waiting for your answer" in " ".join(re.sub(r"<[^>]+>", " ", html).split())

    LiveSessionItem.objects.filter(variant__product__producer=world.producer).update(consent=ACCEPTED)
    html = client.get(overview).content.decode()
    assert f'<a href="{list_url(world.producer)}">Live proposals</a>' in html


def test_the_page_runs_the_same_queries_for_3_and_12_proposals(world, django_assert_num_queries):
    client = client_for(world.member)

    def add(count: int) -> None:
        for _n in range(count):
            LiveSessionItemFactory(
                session=live_session(),
                variant=VariantFactory(product__producer=world.producer),
                consent=ACCEPTED,
                consent_by=UserFactory(),
                consent_at=timezone.now(),
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(list_url(world.producer)).content.decode().count('class="bo-proposal ') == 3
    add(9)
    with django_assert_num_queries(len(few)):
        response = client.get(list_url(world.producer))
    assert response.content.decode().count('class="bo-proposal ') == 12


# Accepting and declining


def test_accepting_makes_the_item_sell_at_its_flash_price_and_shows_it_on_the_live_page(world):
    live_page = reverse("live-session-detail", kwargs={"slug": world.session.slug})
    assert flash_price_now(world.item) == Decimal("59.90")
    assert "¥46.90" not in client_for(None).get(live_page).content.decode()

    response = client_for(world.member).post(accept_url(world.producer, world.item))

    assert response.status_code == 302
    assert response["Location"] == list_url(world.producer)
    world.item.refresh_from_db()
    assert (world.item.consent, world.item.consent_by) == (ACCEPTED, world.member)
    assert world.item.consent_at is not None
    assert flash_price_now(world.item) == Decimal("46.90")
    assert "¥46.90" in client_for(None).get(live_page).content.decode()
    activity = ProducerActivity.objects.get(producer=world.producer)
    assert (activity.action, activity.actor, activity.on_behalf) == (
        ProducerActivity.Action.LIVE_ITEM_ACCEPTED,
        world.member,
        False,
    )


def test_after_accepting_the_page_says_who_answered_and_when_and_offers_to_decline(world):
    client = client_for(world.member)
    response = client.post(accept_url(world.producer, world.item), follow=True)

    html = response.content.decode()
    mine = card(html, world.item)
    assert "You agreed: Seedless grapes · 2.5 kg box sells at ¥46.90" in html
    assert "Accepted by the producer" in mine
    assert "Accepted by abdukerim, " in mine
    assert f'action="{accept_url(world.producer, world.item)}"' not in mine
    assert f'action="{decline_url(world.producer, world.item)}"' in mine


def test_declining_means_the_item_never_sells_at_its_flash_price(world):
    response = client_for(world.member).post(decline_url(world.producer, world.item))

    assert response.status_code == 302
    world.item.refresh_from_db()
    assert (world.item.consent, world.item.consent_by) == (DECLINED, world.member)
    assert flash_price_now(world.item) == Decimal("59.90")
    order = place_at_the_session(world, world.grapes)
    line = order.lines.get()
    assert (line.unit_price, line.live_item_id) == (Decimal("59.90"), None)
    world.item.refresh_from_db()
    assert world.item.quantity_sold == 0
    live_page = reverse("live-session-detail", kwargs={"slug": world.session.slug})
    assert "¥46.90" not in client_for(None).get(live_page).content.decode()


def test_an_accepted_item_may_be_declined_while_the_session_is_on_air_and_stops_selling_at_once(world):
    client = client_for(world.member)
    client.post(accept_url(world.producer, world.item))
    assert flash_price_now(world.item) == Decimal("46.90")

    response = client.post(decline_url(world.producer, world.item), follow=True)

    world.item.refresh_from_db()
    assert world.item.consent == DECLINED
    assert flash_price_now(world.item) == Decimal("59.90")
    assert "Declined by abdukerim, " in card(response.content.decode(), world.item)
    assert place_at_the_session(world, world.grapes).lines.get().unit_price == Decimal("59.90")


def test_another_producers_proposal_answers_404_on_accept_and_decline_and_nothing_changes(world):
    """A member cannot answer for another producer: neither through their own URL nor the other's."""
    client = client_for(world.member)
    before = snapshot()

    attempts = [
        accept_url(world.producer, world.other_item),
        decline_url(world.producer, world.other_item),
        accept_url(world.other_producer, world.other_item),
        decline_url(world.other_producer, world.other_item),
    ]
    for url in attempts:
        assert client.post(url).status_code == 404, url

    assert snapshot() == before


def test_a_visitor_or_a_get_cannot_answer_and_nothing_changes(world):
    before = snapshot()

    anonymous = client_for(None).post(accept_url(world.producer, world.item))
    get = client_for(world.member).get(accept_url(world.producer, world.item))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert get.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("status", [LiveSession.Status.ENDED, LiveSession.Status.CANCELLED])
def test_a_proposal_of_an_ended_or_cancelled_session_is_gone_and_answers_404(world, status):
    LiveSession.objects.filter(pk=world.session.pk).update(status=status)
    client = client_for(world.member)
    before = snapshot()

    assert f'id="proposal-{world.item.pk}"' not in client.get(list_url(world.producer)).content.decode()
    assert client.post(accept_url(world.producer, world.item)).status_code == 404
    assert snapshot() == before


def test_a_session_past_its_scheduled_end_is_over_and_its_proposal_cannot_be_answered(world):
    """A live session whose end has passed is over even before it is marked ended: nothing to answer."""
    now = timezone.now()
    LiveSession.objects.filter(pk=world.session.pk).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(minutes=1)
    )
    client = client_for(world.member)
    before = snapshot()

    page = client.get(list_url(world.producer)).content.decode()
    response = client.post(accept_url(world.producer, world.item), follow=True)

    assert f'id="proposal-{world.item.pk}"' not in page
    assert "is over: there is nothing left to answer" in response.content.decode()
    assert snapshot() == before


# Assisted selling


@pytest.fixture
def assisted(world):
    """Old Ali sells through the Grape Valley depot that Reshit manages; a host proposes his raisins."""
    village = VillageFactory(slug="grape-valley")
    old_ali = ProducerFactory(slug="old-ali", name_en="Old Ali", village=village, sells_through_depot=True)
    manager = UserFactory(username="reshit")
    DepotFactory(village=village).managers.add(manager)
    raisins = VariantFactory(product__producer=old_ali, price=Decimal("35.00"))
    item = LiveSessionItemFactory(
        session=world.session, variant=raisins, flash_price=Decimal("29.90"), consent=PROPOSED
    )
    return old_ali, manager, item


def test_a_depot_manager_answers_for_a_household_that_sells_through_the_depot(world, assisted):
    old_ali, manager, item = assisted
    client = client_for(manager)

    page = client.get(list_url(old_ali)).content.decode()
    response = client.post(accept_url(old_ali, item))

    assert "You are working for Old Ali" in page
    assert f'id="proposal-{item.pk}"' in page
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.consent, item.consent_by) == (ACCEPTED, manager)
    assert flash_price_now(item) == Decimal("29.90")
    activity = ProducerActivity.objects.get(producer=old_ali)
    assert (activity.action, activity.actor, activity.on_behalf) == (
        ProducerActivity.Action.LIVE_ITEM_ACCEPTED,
        manager,
        True,
    )


def test_a_depot_manager_cannot_answer_for_a_producer_who_does_not_sell_through_the_depot(world, assisted):
    old_ali, manager, _item = assisted
    Producer.objects.filter(pk=old_ali.pk).update(sells_through_depot=False)
    before = snapshot()

    response = client_for(manager).post(accept_url(old_ali, assisted[2]))

    assert response.status_code == 404
    assert snapshot() == before
