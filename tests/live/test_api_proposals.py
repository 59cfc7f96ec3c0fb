"""A producer answers hosts' proposals through /api/v1/live-proposals/: the terms of each, accept or decline.

Members see and answer only their producers' proposals (a depot manager also those of the households they assist);
another producer's proposal answers 404 and stays as it was. Only accepted items sell at the flash price."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from live.models import LiveSession, LiveSessionItem
from producers.models import ProducerActivity
from tests.api import COUNTED, snapshot
from tests.factories import DepotFactory, HostFactory, UserFactory
from tests.live.api_support import (
    ACCEPTED,
    CANCELLED,
    DECLINED,
    ENDED,
    LIVE,
    PROPOSALS,
    PROPOSED,
    client_for,
    feature,
    make_session,
    make_variant,
    proposal_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db):
    return HostFactory(user__username="host", display_name="Aygul")


@pytest.fixture
def proposal(host, roles) -> LiveSessionItem:
    """The host proposes ``roles.producer``'s grapes (¥59.90) at ¥46.90 in a session tomorrow."""
    session = make_session(host, slug="harvest", name_en="Turpan harvest live", starts_in=timedelta(days=1))
    return feature(session, make_variant(roles.producer), consent=PROPOSED, quantity_cap=80, per_shopper_limit=3)


def consent_of(item: LiveSessionItem) -> str:
    return LiveSessionItem.objects.get(pk=item.pk).consent


# Listing


def test_a_member_sees_the_proposal_with_its_session_host_and_terms(roles, proposal):
    response = client_for(roles.member).get(PROPOSALS)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    session = row.pop("session")
    assert session["slug"] == "harvest"
    assert (session["name"], session["host"], session["status"]) == ("Turpan harvest live", "Aygul", "scheduled")
    assert session["share_url"] == "http://testserver/live/harvest/"
    assert row == {
        "id": proposal.pk,
        "producer": {"slug": roles.producer.slug, "name": roles.producer.name},
        "variant": proposal.variant_id,
        "sku": proposal.variant.sku,
        "product_slug": proposal.variant.product.slug,
        "product_name": "Seedless grapes",
        "variant_name": "2 kg box",
        "price": "59.90",
        "flash_price": "46.90",
        "quantity_cap": 80,
        "quantity_sold": 0,
        "per_shopper_limit": 3,
        "consent": "proposed",
        "consent_at": None,
    }


def test_only_sessions_not_over_are_listed_newest_first(host, roles):
    variant = make_variant(roles.producer)
    kept = [
        feature(make_session(host, slug="later", starts_in=timedelta(days=2)), variant),
        feature(make_session(host, slug="on-air", status=LIVE, starts_in=timedelta(minutes=-5)), variant),
    ]
    feature(make_session(host, slug="ended", status=ENDED, starts_in=timedelta(days=-1)), variant)
    feature(make_session(host, slug="cancelled", status=CANCELLED), variant)
    feature(make_session(host, slug="overran", status=LIVE, starts_in=timedelta(hours=-3)), variant)

    response = client_for(roles.member).get(PROPOSALS)

    assert [row["id"] for row in response.json()["results"]] == [item.pk for item in kept]


def test_the_list_filters_by_consent(host, roles):
    variant = make_variant(roles.producer)
    waiting = feature(make_session(host, slug="one"), variant, consent=PROPOSED)
    feature(make_session(host, slug="two"), variant, consent=ACCEPTED)
    feature(make_session(host, slug="three"), variant, consent=DECLINED)
    client = client_for(roles.member)

    proposed = client.get(PROPOSALS, {"consent": "proposed"}).json()["results"]
    wrong = client.get(PROPOSALS, {"consent": "maybe"})

    assert [row["id"] for row in proposed] == [waiting.pk]
    assert wrong.status_code == 400
    assert list(wrong.json()) == ["consent"]


@pytest.mark.parametrize("role", ["other_member", "shopper", "staff"])
def test_others_do_not_see_the_proposal(roles, proposal, role):
    response = client_for(getattr(roles, role)).get(PROPOSALS)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_anonymous_gets_401(proposal):
    before = snapshot()
    client = client_for(None)

    for response in [
        client.get(PROPOSALS),
        client.post(proposal_url(proposal, "accept")),
        client.post(proposal_url(proposal, "decline")),
    ]:
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    assert snapshot() == before


# Answering


def test_a_member_accepts_and_the_item_sells_at_the_flash_price(roles, proposal):
    LiveSession.objects.filter(pk=proposal.session_id).update(status=LIVE, starts_at=timezone.now())
    public = client_for(None).get("/api/v1/live-sessions/harvest/").json()
    assert public["items"] == []  # proposed: not on sale at the flash price yet

    response = client_for(roles.member).post(proposal_url(proposal, "accept"))

    assert response.status_code == 200, response.content
    assert response.json()["consent"] == "accepted"
    assert response.json()["consent_at"] is not None
    item = LiveSessionItem.objects.get(pk=proposal.pk)
    assert (item.consent, item.consent_by) == (ACCEPTED, roles.member)
    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.actor, activity.action) == (
        roles.producer,
        roles.member,
        ProducerActivity.Action.LIVE_ITEM_ACCEPTED,
    )
    public = client_for(None).get("/api/v1/live-sessions/harvest/").json()
    assert [row["flash_price"] for row in public["items"]] == ["46.90"]


def test_a_member_declines_after_accepting(roles, proposal):
    client = client_for(roles.member)
    client.post(proposal_url(proposal, "accept"))

    response = client.post(proposal_url(proposal, "decline"))

    assert response.status_code == 200
    assert response.json()["consent"] == "declined"
    assert consent_of(proposal) == DECLINED


def test_answering_twice_the_same_way_changes_nothing_more(roles, proposal):
    client = client_for(roles.member)
    client.post(proposal_url(proposal, "accept"))
    before = snapshot()

    response = client.post(proposal_url(proposal, "accept"))

    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("role", ["other_member", "shopper", "staff"])
@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_another_producers_proposal_is_not_found_and_nothing_changes(roles, proposal, role, answer):
    before = snapshot()

    response = client_for(getattr(roles, role)).post(proposal_url(proposal, answer))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_an_unknown_proposal_is_not_found(roles, answer):
    response = client_for(roles.member).post(f"/api/v1/live-proposals/987654/{answer}/")

    assert response.status_code == 404


@pytest.mark.parametrize("status", [ENDED, CANCELLED])
def test_a_proposal_of_an_ended_or_cancelled_session_is_not_found(host, roles, status):
    item = feature(
        make_session(host, slug="closed", status=status, starts_in=timedelta(hours=-3)),
        make_variant(roles.producer),
        consent=PROPOSED,
    )
    before = snapshot()

    response = client_for(roles.member).post(proposal_url(item, "accept"))

    assert response.status_code == 404
    assert snapshot() == before


def test_a_live_session_past_its_end_has_nothing_left_to_answer(host, roles):
    session = make_session(host, slug="overran", status=LIVE, starts_in=timedelta(hours=-3))
    item = feature(session, make_variant(roles.producer), consent=PROPOSED)
    before = snapshot()

    response = client_for(roles.member).post(proposal_url(item, "accept"))

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current"], body["requested"]) == ("illegal_transition", "proposed", "accepted")
    assert snapshot() == before


def test_a_depot_manager_answers_for_a_household_that_sells_through_the_depot(roles, proposal):
    manager = UserFactory(username="depot-manager")
    DepotFactory(village=roles.producer.village).managers.add(manager)
    type(roles.producer).objects.filter(pk=roles.producer.pk).update(sells_through_depot=True)
    client = client_for(manager)

    listed = client.get(PROPOSALS).json()["results"]
    response = client.post(proposal_url(proposal, "accept"))

    assert [row["id"] for row in listed] == [proposal.pk]
    assert response.status_code == 200
    assert consent_of(proposal) == ACCEPTED
    assert ProducerActivity.objects.get().actor == manager


def test_a_depot_manager_cannot_answer_for_a_producer_that_sells_by_itself(roles, proposal):
    manager = UserFactory(username="depot-manager")
    DepotFactory(village=roles.producer.village).managers.add(manager)
    before = snapshot()

    response = client_for(manager).post(proposal_url(proposal, "accept"))

    assert response.status_code == 404
    assert snapshot() == before


# Queries


@pytest.mark.parametrize("rows", [3, 12])
def test_the_list_takes_two_queries_whatever_its_length(host, roles, rows, django_assert_max_num_queries):
    """The count and the page, with session, host, variant, product and producer."""
    variant = make_variant(roles.producer)
    for n in range(rows):
        feature(make_session(host, slug=f"show-{n}", starts_in=timedelta(hours=n + 1)), variant)
    client = client_for(roles.member)

    with django_assert_max_num_queries(2 + COUNTED):
        response = client.get(PROPOSALS)

    assert len(response.json()["results"]) == rows
