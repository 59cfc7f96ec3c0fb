"""Parcels through the API as a producer member packs and sends them; nobody else reaches them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalog.models import Variant
from orders.models import Fulfilment, Order, OrderEvent
from orders.services import fulfilment_transition, order_cancel, order_expire
from tests.api import COUNTED, ROLES, snapshot
from tests.factories import MembershipFactory, UserFactory
from tests.orders.api_support import FULFILMENTS, api, make_goods, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods(roles):
    return make_goods(roles)


@pytest.fixture
def order(roles, goods) -> Order:
    """A cash-on-delivery order shipped to an address with a parcel from each producer."""
    return place(roles.shopper, {goods.grapes: 1, goods.raisins: 2, goods.melon: 1})


def parcel_of(order: Order, producer) -> Fulfilment:
    return order.fulfilments.get(producer=producer)


def transition_url(parcel: Fulfilment) -> str:
    return f"{FULFILMENTS}{parcel.pk}/transition/"


# The list


def test_anonymous_cannot_list_parcels(roles):
    assert api(roles, "anonymous").get(FULFILMENTS).status_code == 401


@pytest.mark.parametrize("role", ["shopper", "other_shopper", "staff"])
def test_users_who_are_members_of_no_producer_get_an_empty_list(roles, order, role):
    """Even the shopper who placed the order: parcels are the producers' work lists."""
    response = api(roles, role).get(FULFILMENTS)

    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


@pytest.mark.parametrize(("role", "producer"), [("member", "producer"), ("other_member", "other_producer")])
def test_a_member_lists_the_parcels_of_their_producer_with_only_its_lines(roles, goods, order, role, producer):
    place(roles.other_shopper, {goods.melon: 1, goods.grapes: 1}, depot=goods.depot)
    mine = getattr(roles, producer)

    response = api(roles, role).get(FULFILMENTS)

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert {r["producer"]["slug"] for r in results} == {mine.slug}
    own_variants = {goods.grapes.pk, goods.raisins.pk} if producer == "producer" else {goods.melon.pk}
    assert {line["variant"] for r in results for line in r["lines"]} == own_variants


def test_a_parcel_shows_what_the_producer_needs_to_send_it(roles, goods, order):
    response = api(roles, "member").get(FULFILMENTS)

    parcel = response.json()["results"][0]
    assert parcel["order"] == order.number
    assert parcel["order_status"] == "confirmed"
    assert parcel["status"] == "new"
    assert parcel["contact"] == {"name": "Ayşe", "phone": "13800138000"}
    assert parcel["delivery"]["method"] == "ship"
    assert parcel["delivery"]["address"]["recipient"] == "Li Wei"
    assert parcel["delivery"]["address"]["phone"] == "13900001111"
    assert parcel["delivery"]["depot"] is None
    assert [(line["product_name"], line["quantity"], line["line_total"]) for line in parcel["lines"]] == [
        ("Seedless grapes", 1, "59.90"),
        ("Raisins", 2, "70.00"),
    ]
    assert (parcel["tracking_number"], parcel["carrier"], parcel["shipped_at"]) == ("", "", None)
    assert "email" not in parcel["contact"]


def test_a_pickup_parcel_names_the_depot_and_no_address(roles, goods):
    place(roles.shopper, {goods.grapes: 1}, depot=goods.depot)

    parcel = api(roles, "member").get(FULFILMENTS).json()["results"][0]

    assert parcel["delivery"]["method"] == "pickup"
    assert parcel["delivery"]["address"] is None
    assert parcel["delivery"]["depot"]["slug"] == goods.depot.slug


def test_parcels_are_filtered_by_status_and_by_producer(roles, goods, order):
    packed = parcel_of(place(roles.shopper, {goods.grapes: 1}), roles.producer)
    fulfilment_transition(fulfilment=packed, to="packed", actor=roles.member)
    client = api(roles, "member")

    by_status = client.get(FULFILMENTS, {"status": "packed"}).json()["results"]
    by_producer = client.get(FULFILMENTS, {"producer": roles.producer.slug}).json()["results"]
    not_mine = client.get(FULFILMENTS, {"producer": roles.other_producer.slug}).json()["results"]

    assert [p["id"] for p in by_status] == [packed.pk]
    assert len(by_producer) == 2
    assert not_mine == []


def test_a_member_of_two_producers_sees_both_and_filters_by_either(roles, goods, order):
    MembershipFactory(producer=roles.other_producer, user=roles.member)
    client = api(roles, "member")

    everything = client.get(FULFILMENTS).json()["results"]
    melons = client.get(FULFILMENTS, {"producer": roles.other_producer.slug}).json()["results"]

    assert len(everything) == 2
    assert [p["producer"]["slug"] for p in melons] == [roles.other_producer.slug]


def test_parcels_come_newest_first_page_by_page(roles, goods):
    orders = [place(roles.shopper, {goods.raisins: 1}) for _ in range(5)]
    client = api(roles, "member")

    first = client.get(FULFILMENTS, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert [p["order"] for p in first["results"] + second["results"]] == [o.number for o in reversed(orders)]
    assert second["next"] is None


@pytest.mark.parametrize(("params", "field"), [({"status": "lost"}, "status"), ({"page_size": "101"}, "page_size")])
def test_a_bad_query_parameter_answers_400_naming_it(roles, params, field):
    response = api(roles, "member").get(FULFILMENTS, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(("parcels", "lines"), [(3, 1), (20, 2)])
def test_the_parcel_list_runs_the_same_queries_whatever_the_number_of_parcels_and_lines(
    roles, goods, django_assert_num_queries, parcels, lines
):
    variants = [goods.grapes, goods.raisins][:lines]
    Variant.objects.update(stock=500)
    for _ in range(parcels):
        place(roles.shopper, dict.fromkeys(variants, 1))
    client = api(roles, "member")

    # The page with orders, depots and producers joined, then its lines.
    with django_assert_num_queries(2 + COUNTED):
        response = client.get(FULFILMENTS, {"page_size": parcels})

    assert len(response.json()["results"]) == parcels


# Moving a parcel


def test_a_member_packs_ships_and_delivers_a_parcel(roles, order):
    parcel = parcel_of(order, roles.producer)
    client = api(roles, "member")

    packed = client.post(transition_url(parcel), {"to": "packed"}, format="json")
    shipped = client.post(
        transition_url(parcel), {"to": "shipped", "tracking_number": " SF1234567890 ", "carrier": "SF"}, format="json"
    )
    delivered = client.post(transition_url(parcel), {"to": "delivered"}, format="json")

    assert [r.status_code for r in (packed, shipped, delivered)] == [200, 200, 200]
    assert packed.json()["status"] == "packed" and packed.json()["packed_at"]
    assert (shipped.json()["tracking_number"], shipped.json()["carrier"]) == ("SF1234567890", "SF")
    assert delivered.json()["status"] == "delivered" and delivered.json()["delivered_at"]
    events = OrderEvent.objects.filter(fulfilment=parcel).order_by("id")
    assert [(e.to_status, e.actor) for e in events] == [(s, roles.member) for s in ("packed", "shipped", "delivered")]


def test_the_order_completes_when_its_last_parcel_is_delivered(roles, goods):
    order = place(roles.shopper, {goods.grapes: 1}, depot=goods.depot)
    parcel = parcel_of(order, roles.producer)
    client = api(roles, "member")

    for step in ("packed", "shipped", "delivered"):
        response = client.post(transition_url(parcel), {"to": step}, format="json")

    assert response.json()["order_status"] == "completed"


def test_shipping_to_an_address_without_a_tracking_number_answers_400_and_changes_nothing(roles, order):
    parcel = parcel_of(order, roles.producer)
    fulfilment_transition(fulfilment=parcel, to="packed", actor=roles.member)
    before = snapshot()

    response = api(roles, "member").post(
        transition_url(parcel), {"to": "shipped", "tracking_number": " "}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"tracking_number": ["Enter the tracking number of the parcel."]}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "to"),
        ({"to": "cancelled"}, "to"),
        ({"to": "flying"}, "to"),
        ({"to": ["packed"]}, "to"),
        ({"to": "shipped", "tracking_number": "9" * 51}, "tracking_number"),
        ({"to": "shipped", "tracking_number": "SF1", "carrier": "C" * 51}, "carrier"),
        (["packed"], "non_field_errors"),
    ],
)
def test_a_bad_transition_request_answers_400_naming_the_field_and_changes_nothing(roles, order, body, field):
    parcel = parcel_of(order, roles.producer)
    before = snapshot()

    response = api(roles, "member").post(transition_url(parcel), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert snapshot() == before


@pytest.mark.parametrize(("status", "to"), [("new", "shipped"), ("new", "delivered"), ("packed", "packed")])
def test_a_step_out_of_order_answers_409_illegal_transition_and_changes_nothing(roles, order, status, to):
    parcel = parcel_of(order, roles.producer)
    if status == "packed":
        fulfilment_transition(fulfilment=parcel, to="packed", actor=roles.member)
    before = snapshot()

    response = api(roles, "member").post(
        transition_url(parcel), {"to": to, "tracking_number": "SF1234567890"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() | {"detail": ""} == {
        "detail": "",
        "code": "illegal_transition",
        "current": status,
        "requested": to,
    }
    assert snapshot() == before


def test_a_parcel_of_an_unpaid_online_order_is_not_the_producers_yet(roles, goods, settings):
    """Until the shopper pays, the producer neither sees the parcel (nor the shopper's address) nor packs it."""
    settings.SIMULATED_PAYMENTS_ENABLED = True
    order = place(roles.shopper, {goods.grapes: 1}, payment="online")
    before = snapshot()

    listed = api(roles, "member").get("/api/v1/fulfilments/")
    response = api(roles, "member").post(
        transition_url(parcel_of(order, roles.producer)), {"to": "packed"}, format="json"
    )

    assert listed.json()["results"] == []
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("end", ["cancel", "expire"])
def test_parcels_of_orders_cancelled_or_expired_before_payment_drop_out_of_the_list(roles, goods, settings, end):
    settings.SIMULATED_PAYMENTS_ENABLED = True
    order = place(roles.shopper, {goods.grapes: 1}, payment="online")
    if end == "cancel":
        order_cancel(order=order, actor=roles.shopper)
    else:
        order_expire(order_id=order.pk, now=order.expires_at + timedelta(minutes=1))

    assert api(roles, "member").get("/api/v1/fulfilments/").json()["results"] == []


@pytest.mark.parametrize("role", [r for r in ROLES if r != "member"])
def test_nobody_but_the_producers_members_moves_its_parcel_and_nothing_changes(roles, order, role):
    """Another producer's member, the shopper and staff get 404 as for a parcel that does not exist."""
    parcel = parcel_of(order, roles.producer)
    before = snapshot()
    client = api(roles, role)

    response = client.post(transition_url(parcel), {"to": "packed"}, format="json")
    unknown = client.post(f"{FULFILMENTS}987654321/transition/", {"to": "packed"}, format="json")

    assert response.status_code == unknown.status_code == (401 if role == "anonymous" else 404)
    assert response.json() == unknown.json()
    assert snapshot() == before


def test_a_former_member_no_longer_reaches_the_parcels(roles, order):
    roles.member.memberships.all().delete()
    parcel = parcel_of(order, roles.producer)

    assert api(roles, "member").get(FULFILMENTS).json()["results"] == []
    assert api(roles, "member").post(transition_url(parcel), {"to": "packed"}, format="json").status_code == 404


def test_a_new_member_of_a_producer_sees_its_parcels(roles, order):
    newcomer = UserFactory(username="newcomer")
    MembershipFactory(producer=roles.producer, user=newcomer)
    client = api(roles, "anonymous")
    client.force_authenticate(newcomer)

    assert len(client.get(FULFILMENTS).json()["results"]) == 1
