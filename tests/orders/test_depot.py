"""The depot back office: parcels due at a depot, receiving them from producers and handing them over."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog.models import Variant
from marketplace.models import User
from marketplace.templatetags.money import yuan
from orders.errors import IllegalTransition, InvalidOrder
from orders.models import Fulfilment, Order, OrderEvent, Payment
from orders.selectors import parcels_due_at_depot
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_place,
    parcel_hand_over,
    parcel_receive_at_depot,
)
from producers.models import Depot, Producer
from tests.api import snapshot
from tests.factories import (
    DepotFactory,
    FulfilmentFactory,
    MembershipFactory,
    OrderFactory,
    OrderLineFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = Address(recipient="Li Wei", phone="13900001111", province="浙江省", city="杭州市", street="文三路 1 号")


@dataclass
class Village:
    depot: Depot
    other_depot: Depot
    manager: User
    other_manager: User
    member: User
    other_member: User
    shopper: User
    staff: User
    farm: Producer  # in the depot's village, default depot: this one
    assisted: Producer  # in the depot's village, sells through the depot
    far_farm: Producer  # elsewhere, default depot: the other one
    grapes: Variant
    raisins: Variant
    melon: Variant


@pytest.fixture
def village() -> Village:
    home = VillageFactory(slug="grape-valley")
    depot = DepotFactory(slug="grape-valley-depot", village=home, name_en="Grape Valley depot")
    other_depot = DepotFactory(slug="wubao-depot", name_en="Wubao depot")
    manager = UserFactory(username="depot-manager")
    other_manager = UserFactory(username="other-depot-manager")
    depot.managers.add(manager)
    other_depot.managers.add(other_manager)
    farm = ProducerFactory(slug="abdukerim-vineyard", name_en="Abdukerim's Vineyard", village=home, default_depot=depot)
    assisted = ProducerFactory(
        slug="ismayil-ata", name_en="Grandpa Ismayil", village=home, default_depot=depot, sells_through_depot=True
    )
    far_farm = ProducerFactory(slug="wubao-melons", name_en="Wubao Melons", default_depot=other_depot)
    member = MembershipFactory(producer=farm, user__username="member").user
    other_member = MembershipFactory(producer=far_farm, user__username="other-member").user

    def variant(producer: Producer, name: str) -> Variant:
        return VariantFactory(
            product__producer=producer, product__name_en=name, name_en="1 kg", price=Decimal("40.00"), stock=500
        )

    return Village(
        depot=depot,
        other_depot=other_depot,
        manager=manager,
        other_manager=other_manager,
        member=member,
        other_member=other_member,
        shopper=UserFactory(username="shopper"),
        staff=UserFactory(username="staff", is_staff=True, is_superuser=True),
        farm=farm,
        assisted=assisted,
        far_farm=far_farm,
        grapes=variant(farm, "Seedless grapes"),
        raisins=variant(assisted, "Green raisins"),
        melon=variant(far_farm, "Hami melon"),
    )


def place(
    v: Village,
    *variants: Variant,
    pickup_at: Depot | None = None,
    payment: str = "cod",
    name: str = "Gulnar",
    phone: str = "13800138000",
) -> Order:
    delivery = (
        Delivery(method="pickup", depot_slug=pickup_at.slug) if pickup_at else Delivery(method="ship", address=ADDRESS)
    )
    return order_place(
        shopper=v.shopper,
        contact=Contact(name=name, phone=phone),
        lines=[LineRequest(variant_id=variant.pk, quantity=1) for variant in variants],
        delivery=delivery,
        payment_method=payment,
    )


def parcel_of(order: Order, producer: Producer) -> Fulfilment:
    return order.fulfilments.get(producer=producer)


def fresh(parcel: Fulfilment) -> Fulfilment:
    return Fulfilment.objects.select_related("order").get(pk=parcel.pk)


# --- Which parcels are due at a depot ------------------------------------------------------------------


def test_a_pickup_orders_parcels_from_every_producer_are_due_at_its_pickup_depot_only(village):
    order = place(village, village.grapes, village.melon, pickup_at=village.depot)

    due = set(parcels_due_at_depot(depot=village.depot))
    assert due == set(order.fulfilments.all())
    assert not parcels_due_at_depot(depot=village.other_depot).exists()


def test_a_shipped_orders_parcel_is_due_at_its_producers_depot(village):
    order = place(village, village.grapes, village.melon)

    assert list(parcels_due_at_depot(depot=village.depot)) == [parcel_of(order, village.farm)]
    assert list(parcels_due_at_depot(depot=village.other_depot)) == [parcel_of(order, village.far_farm)]


def test_a_parcel_placed_without_a_depot_is_due_at_its_producers_default_depot(village):
    parcel = FulfilmentFactory(
        order__delivery_method="ship",
        order__pickup_depot=None,
        order__ship_recipient="Li Wei",
        order__ship_phone="13900001111",
        order__ship_province="浙江省",
        order__ship_city="杭州市",
        order__ship_street="文三路 1 号",
        producer=village.farm,
        depot=None,
    )

    assert list(parcels_due_at_depot(depot=village.depot)) == [parcel]


# --- Receiving -----------------------------------------------------------------------------------------


def test_receiving_a_pickup_parcel_makes_it_ready_to_collect_through_legal_moves_with_events(village):
    """New → packed → shipped (for pickup: sent to the depot), the receipt stamped once and written down."""
    order = place(village, village.grapes, pickup_at=village.depot)
    parcel = order.fulfilments.get()

    received = parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    parcel = fresh(parcel)
    assert received.pk == parcel.pk
    assert parcel.status == Fulfilment.Status.SHIPPED
    assert parcel.received_at_depot_at is not None and parcel.packed_at and parcel.shipped_at
    assert parcel.tracking_number == ""
    events = list(OrderEvent.objects.filter(fulfilment=parcel).order_by("id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("new", "packed"),
        ("packed", "shipped"),
        ("shipped", "shipped"),
    ]
    assert {e.actor for e in events} == {village.manager}
    with translation.override("en"):
        assert events[-1].note_text == "Received at Grape Valley depot."
    assert events[-1].created_at >= parcel.received_at_depot_at
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED


def test_receiving_a_parcel_the_producer_already_sent_only_stamps_it(village):
    order = place(village, village.grapes, pickup_at=village.depot)
    parcel = order.fulfilments.get()
    fulfilment_transition(fulfilment=parcel, to="packed", actor=village.member)
    fulfilment_transition(fulfilment=parcel, to="shipped", actor=village.member)

    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    parcel = fresh(parcel)
    assert parcel.status == Fulfilment.Status.SHIPPED and parcel.received_at_depot_at
    assert OrderEvent.objects.filter(fulfilment=parcel, actor=village.manager).count() == 1


def test_receiving_a_shipped_orders_parcel_packs_it_and_keeps_it_for_the_carrier(village):
    order = place(village, village.grapes)
    parcel = order.fulfilments.get()

    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    parcel = fresh(parcel)
    assert parcel.status == Fulfilment.Status.PACKED and parcel.received_at_depot_at


def test_receiving_a_parcel_placed_without_a_depot_records_the_depot(village):
    parcel = FulfilmentFactory(
        order__delivery_method="ship",
        order__pickup_depot=None,
        order__ship_recipient="Li Wei",
        order__ship_phone="13900001111",
        order__ship_province="浙江省",
        order__ship_city="杭州市",
        order__ship_street="文三路 1 号",
        producer=village.farm,
        depot=None,
    )

    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert fresh(parcel).depot == village.depot


def test_a_parcel_is_received_only_once(village):
    parcel = place(village, village.grapes, pickup_at=village.depot).fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    before = snapshot()

    with pytest.raises(IllegalTransition, match="already marked"):
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert snapshot() == before


def test_a_parcel_not_due_at_the_depot_cannot_be_received_or_handed_over_there(village):
    parcel = place(village, village.melon, pickup_at=village.other_depot).fulfilments.get()
    before = snapshot()

    with pytest.raises(Fulfilment.DoesNotExist):
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    with pytest.raises(Fulfilment.DoesNotExist):
        parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert snapshot() == before


@pytest.mark.parametrize("case", ["unpaid", "cancelled", "shipped by the producer"])
def test_a_parcel_that_cannot_be_handled_is_not_received(village, case):
    if case == "unpaid":
        parcel = place(village, village.grapes, pickup_at=village.depot, payment="online").fulfilments.get()
    elif case == "cancelled":
        order = place(village, village.grapes, pickup_at=village.depot)
        order_cancel(order=order, actor=village.shopper)
        parcel = order.fulfilments.get()
    else:
        parcel = place(village, village.grapes).fulfilments.get()
        fulfilment_transition(fulfilment=parcel, to="packed", actor=village.member)
        fulfilment_transition(fulfilment=parcel, to="shipped", actor=village.member, tracking_number="SF100")
    before = snapshot()

    with pytest.raises(IllegalTransition):
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert snapshot() == before


# --- Handing over --------------------------------------------------------------------------------------


def test_a_parcel_is_handed_over_only_after_it_was_received(village):
    parcel = place(village, village.grapes, pickup_at=village.depot).fulfilments.get()
    before = snapshot()

    with pytest.raises(IllegalTransition, match="then hand it over"):
        parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert snapshot() == before


def test_the_shopper_collects_every_parcel_and_the_order_completes_with_the_last_cash_collected(village):
    order = place(village, village.grapes, village.raisins, pickup_at=village.depot)
    first, second = parcel_of(order, village.farm), parcel_of(order, village.assisted)
    for parcel in (first, second):
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    parcel_hand_over(fulfilment=first, depot=village.depot, actor=village.manager, pickup_code=order.pickup_code)

    assert fresh(first).status == Fulfilment.Status.DELIVERED and fresh(first).delivered_at
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert order.payments.get().status == Payment.Status.PENDING

    parcel_hand_over(fulfilment=second, depot=village.depot, actor=village.manager, pickup_code=order.pickup_code)

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert order.payments.get().status == Payment.Status.SUCCEEDED
    handed = OrderEvent.objects.filter(fulfilment=second, to_status="delivered").get()
    assert (handed.from_status, handed.actor) == ("shipped", village.manager)
    assert order.events.filter(fulfilment=None).last().actor == village.manager


def test_a_parcel_is_handed_over_only_once(village):
    parcel = place(village, village.grapes, village.melon, pickup_at=village.depot).fulfilments.first()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    parcel_hand_over(
        fulfilment=parcel, depot=village.depot, actor=village.manager, pickup_code=parcel.order.pickup_code
    )
    before = snapshot()

    with pytest.raises(IllegalTransition, match="already handed over"):
        parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager)

    assert snapshot() == before


def test_a_consolidated_parcel_goes_to_the_carrier_with_a_tracking_number(village):
    parcel = place(village, village.grapes).fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    before = snapshot()

    with pytest.raises(InvalidOrder) as error:
        parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager, tracking_number=" ")
    assert set(error.value.errors) == {"tracking_number"}
    assert snapshot() == before

    parcel_hand_over(
        fulfilment=parcel, depot=village.depot, actor=village.manager, tracking_number="SF2000", carrier="SF"
    )

    parcel = fresh(parcel)
    assert (parcel.status, parcel.tracking_number, parcel.carrier) == ("shipped", "SF2000", "SF")
    assert parcel.order.status == Order.Status.CONFIRMED


# --- Pages: who may open them ---------------------------------------------------------------------------

DENIED = ["other_manager", "member", "other_member", "shopper", "staff"]


def signed_in(client, v: Village, role: str):
    if role != "anonymous":
        client.force_login(getattr(v, role))
    return client


@pytest.mark.parametrize("name", ["depot-detail", "depot-pick-list"])
def test_the_depots_manager_opens_its_pages(client, village, name):
    place(village, village.grapes, pickup_at=village.depot)

    response = signed_in(client, village, "manager").get(reverse(name, kwargs={"depot": village.depot.slug}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", ["depot-detail", "depot-pick-list"])
@pytest.mark.parametrize("role", DENIED)
def test_anyone_else_gets_not_found_for_a_depots_pages(client, village, name, role):
    """Another depot's manager, producer members, a shopper and staff alike: the depot does not exist for them."""
    response = signed_in(client, village, role).get(reverse(name, kwargs={"depot": village.depot.slug}))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["depot-detail", "depot-pick-list"])
def test_a_visitor_is_asked_to_sign_in(client, village, name):
    url = reverse(name, kwargs={"depot": village.depot.slug})

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


def test_a_closed_depot_is_not_found_even_for_its_manager(client, village):
    Depot.objects.filter(pk=village.depot.pk).update(is_active=False)

    response = signed_in(client, village, "manager").get(
        reverse("depot-detail", kwargs={"depot": "grape-valley-depot"})
    )

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["depot-parcel-receive", "depot-parcel-hand-over"])
@pytest.mark.parametrize("role", ["anonymous", *DENIED])
def test_a_denied_post_changes_nothing(client, village, role, action):
    parcel = place(village, village.grapes, pickup_at=village.depot).fulfilments.get()
    if action == "depot-parcel-hand-over":
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    before = snapshot()

    response = signed_in(client, village, role).post(
        reverse(action, kwargs={"depot": village.depot.slug}), {"parcel": parcel.pk}
    )

    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("action", ["depot-parcel-receive", "depot-parcel-hand-over"])
def test_a_manager_cannot_act_on_a_parcel_due_at_another_depot(client, village, action):
    """The other depot's parcel answers 404 to this depot's manager, through this depot's or the other's URL."""
    parcel = place(village, village.melon, pickup_at=village.other_depot).fulfilments.get()
    if action == "depot-parcel-hand-over":
        parcel_receive_at_depot(fulfilment=parcel, depot=village.other_depot, actor=village.other_manager)
    before = snapshot()
    signed_in(client, village, "manager")

    for depot in (village.depot, village.other_depot):
        response = client.post(reverse(action, kwargs={"depot": depot.slug}), {"parcel": parcel.pk})
        assert response.status_code == 404
    for garbage in ({}, {"parcel": "x"}, {"parcel": "0"}):
        assert client.post(reverse(action, kwargs={"depot": village.depot.slug}), garbage).status_code == 404
    assert snapshot() == before


def test_the_pages_answer_only_their_methods(client, village):
    signed_in(client, village, "manager")
    slug = village.depot.slug

    assert client.post(reverse("depot-detail", kwargs={"depot": slug})).status_code == 405
    assert client.get(reverse("depot-parcel-receive", kwargs={"depot": slug})).status_code == 405
    assert client.get(reverse("depot-parcel-hand-over", kwargs={"depot": slug})).status_code == 405


# --- Pages: what they show and do -----------------------------------------------------------------------


def section(html: str, heading_id: str) -> str:
    """The HTML of the page's section whose heading has ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    end = html.find('<section class="depot-stage"', start)
    return html[start : end if end != -1 else len(html)]


def test_the_depot_page_groups_parcels_by_stage(client, village):
    to_receive = place(village, village.grapes, village.melon, pickup_at=village.depot, name="Gulnar")
    at_depot = place(village, village.raisins, pickup_at=village.depot, name="Alim")
    parcel_receive_at_depot(fulfilment=at_depot.fulfilments.get(), depot=village.depot, actor=village.manager)
    handed = place(village, village.grapes, pickup_at=village.depot, name="Mahire")
    parcel_receive_at_depot(fulfilment=handed.fulfilments.get(), depot=village.depot, actor=village.manager)
    parcel_hand_over(
        fulfilment=handed.fulfilments.get(), depot=village.depot, actor=village.manager, pickup_code=handed.pickup_code
    )
    consolidated = place(village, village.grapes, name="Li Wei")
    unpaid = place(village, village.grapes, pickup_at=village.depot, payment="online")
    cancelled = place(village, village.grapes, pickup_at=village.depot)
    order_cancel(order=cancelled, actor=village.shopper)
    elsewhere = place(village, village.melon, pickup_at=village.other_depot)

    response = signed_in(client, village, "manager").get(
        reverse("depot-detail", kwargs={"depot": village.depot.slug}), headers={"Accept-Language": "en"}
    )

    html = response.content.decode()
    receive, at, over = (
        section(html, "stage-to-receive"),
        section(html, "stage-at-depot"),
        section(html, "stage-handed-over"),
    )
    assert to_receive.number in receive and consolidated.number in receive
    assert "Wubao Melons" in receive and "Abdukerim&#x27;s Vineyard" in receive  # every producer of a pickup order
    assert "Gulnar" in receive and "13800138000" in receive
    assert at_depot.number in at and at_depot.number not in receive
    assert handed.number in over and handed.number not in at
    for hidden in (unpaid, cancelled, elsewhere):
        assert hidden.number not in html
    assert receive.count(">Mark as received from the producer</button>") == 3
    assert at.count(">Hand over to the shopper</button>") == 1
    assert 'name="pickup_code"' in at


def test_the_depot_page_lists_the_producers_it_sells_for(client, village):
    response = signed_in(client, village, "manager").get(
        reverse("depot-detail", kwargs={"depot": village.depot.slug}), headers={"Accept-Language": "en"}
    )

    assisted = section(response.content.decode(), "assisted")
    assert "Grandpa Ismayil" in assisted
    assert "Abdukerim" not in assisted and "Wubao" not in assisted


def test_receiving_through_the_page_redirects_with_a_note_and_records_who(client, village):
    order = place(village, village.grapes, pickup_at=village.depot)
    parcel = order.fulfilments.get()
    url = reverse("depot-detail", kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")

    response = client.post(
        reverse("depot-parcel-receive", kwargs={"depot": village.depot.slug}),
        {"parcel": parcel.pk},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 302 and response["Location"] == url
    assert fresh(parcel).received_at_depot_at is not None
    events = OrderEvent.objects.filter(fulfilment=parcel, actor=village.manager)
    assert events.filter(note_phrase__msgid__startswith="Received").exists()
    page = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert f"Parcel of order {order.number} from Abdukerim&#x27;s Vineyard received." in page
    assert order.number in section(page, "stage-at-depot")


def test_handing_over_through_the_page_completes_a_pickup_order(client, village):
    order = place(village, village.grapes, pickup_at=village.depot)
    parcel = order.fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    response = signed_in(client, village, "manager").post(
        reverse("depot-parcel-hand-over", kwargs={"depot": village.depot.slug}),
        {"parcel": parcel.pk, "pickup_code": order.pickup_code},
    )

    assert response.status_code == 302
    assert fresh(parcel).status == Fulfilment.Status.DELIVERED
    assert Order.objects.get(pk=order.pk).status == Order.Status.COMPLETED


def test_a_wrong_move_through_the_page_shows_the_error_and_changes_nothing(client, village):
    parcel = place(village, village.grapes, pickup_at=village.depot).fulfilments.get()
    signed_in(client, village, "manager")
    before = snapshot()

    response = client.post(
        reverse("depot-parcel-hand-over", kwargs={"depot": village.depot.slug}),
        {"parcel": parcel.pk},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 409
    assert "First mark the parcel “Received” at the depot, then hand it over." in response.content.decode()
    assert snapshot() == before

    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    receive_again = client.post(
        reverse("depot-parcel-receive", kwargs={"depot": village.depot.slug}),
        {"parcel": parcel.pk},
        headers={"Accept-Language": "en"},
    )
    assert receive_again.status_code == 409
    assert "This parcel was already marked “Received” at the depot." in receive_again.content.decode()


def test_handing_a_parcel_to_a_carrier_through_the_page_needs_a_tracking_number(client, village):
    order = place(village, village.grapes)
    parcel = order.fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    url = reverse("depot-parcel-hand-over", kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")
    before = snapshot()

    missing = client.post(url, {"parcel": parcel.pk, "carrier": "SF"}, headers={"Accept-Language": "en"})
    too_long = client.post(url, {"parcel": parcel.pk, "tracking_number": "9" * 51}, headers={"Accept-Language": "en"})

    assert missing.status_code == 400 and "Enter the tracking number of the parcel." in missing.content.decode()
    assert 'value="SF"' in missing.content.decode()
    assert too_long.status_code == 400
    assert snapshot() == before

    done = client.post(url, {"parcel": parcel.pk, "tracking_number": "SF3000", "carrier": "SF"})

    assert done.status_code == 302
    assert fresh(parcel).tracking_number == "SF3000" and fresh(parcel).status == Fulfilment.Status.SHIPPED


def test_the_pick_list_groups_parcels_to_hand_over_by_shopper_and_to_collect_by_producer(client, village):
    gulnar_one = place(
        village, village.grapes, village.raisins, pickup_at=village.depot, name="Gulnar", phone="13800000001"
    )
    gulnar_two = place(village, village.raisins, pickup_at=village.depot, name="Gulnar", phone="13800000001")
    alim = place(village, village.grapes, pickup_at=village.depot, name="Alim", phone="13800000002")
    for order in (gulnar_one, gulnar_two, alim):
        for parcel in order.fulfilments.all():
            parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    consolidated = place(village, village.grapes, name="Li Wei")
    parcel_receive_at_depot(fulfilment=consolidated.fulfilments.get(), depot=village.depot, actor=village.manager)
    to_collect = place(village, village.raisins, village.melon, pickup_at=village.depot, name="Mahire")

    response = signed_in(client, village, "manager").get(
        reverse("depot-pick-list", kwargs={"depot": village.depot.slug}), headers={"Accept-Language": "en"}
    )

    html = response.content.decode()
    shoppers = html[html.index('id="pick-shoppers"') : html.index('id="pick-carrier"')]
    carrier = html[html.index('id="pick-carrier"') : html.index('id="pick-collect"')]
    collect = html[html.index('id="pick-collect"') :]
    assert shoppers.count("<h3>") == 2
    assert shoppers.index("Alim") < shoppers.index("Gulnar")
    gulnar = shoppers[shoppers.index("Gulnar") :]
    assert gulnar_one.number in gulnar and gulnar_two.number in gulnar and alim.number not in gulnar
    assert "Green raisins" in gulnar and "Seedless grapes" in gulnar
    assert consolidated.number in carrier and "文三路 1 号" in carrier
    assert to_collect.number in collect and collect.count("<h3>") == 2  # Grandpa Ismayil, Wubao Melons
    assert "depot.css" in html


def test_the_depot_stylesheet_prints_the_pick_list_and_uses_logical_properties():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/depot.css").read_text()
    assert "@media print" in css
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "text-align: left", "float:"):
        assert physical not in css


# --- Query counts ---------------------------------------------------------------------------------------


def make_parcels(v: Village, count: int) -> None:
    """``count`` parcels at every stage, from producers of both villages, with two lines each."""
    producers = [v.farm, v.assisted, v.far_farm]
    for n in range(count):
        fulfilment = FulfilmentFactory(
            order=OrderFactory(pickup_depot=v.depot, contact_name=f"Shopper {n % 4}"),
            producer=producers[n % 3],
            depot=v.depot,
        )
        for _ in range(2):
            OrderLineFactory(fulfilment=fulfilment)
        if n % 3 == 1:
            parcel_receive_at_depot(fulfilment=fulfilment, depot=v.depot, actor=v.manager)
        elif n % 3 == 2:
            parcel_receive_at_depot(fulfilment=fulfilment, depot=v.depot, actor=v.manager)
            parcel_hand_over(
                fulfilment=fulfilment, depot=v.depot, actor=v.manager, pickup_code=fulfilment.order.pickup_code
            )


@pytest.mark.parametrize("name", ["depot-detail", "depot-pick-list"])
def test_the_depot_pages_run_the_same_queries_for_3_or_20_parcels(client, village, django_assert_num_queries, name):
    url = reverse(name, kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")
    make_parcels(village, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    make_parcels(village, 17)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "depot-detail":
        assert response.content.decode().count('<article class="depot-parcel') == 20


def test_depot_root_sends_a_manager_to_their_depot_and_others_to_the_back_office(client):
    manager = UserFactory(username="one-depot")
    depot = DepotFactory(slug="only-depot")
    depot.managers.add(manager)
    client.force_login(manager)
    assert client.get("/depot/")["Location"] == "/depot/only-depot/"
    client.force_login(UserFactory(username="no-depot"))
    assert client.get("/depot/")["Location"] == "/dashboard/"


def test_the_cash_of_a_pickup_order_shows_once_on_its_first_parcel_naming_the_parcels_it_covers(client, village):
    order = place(village, village.grapes, village.raisins, pickup_at=village.depot)
    first, second = order.fulfilments.order_by("id")
    cash = f"Collect {yuan(order.total)} in cash for the whole order: its 2 parcels, from "
    signed_in(client, village, "manager")
    detail = reverse("depot-detail", kwargs={"depot": village.depot.slug})

    html = client.get(detail, headers={"Accept-Language": "en"}).content.decode()

    assert html.count(yuan(order.total)) == 1
    first_card = html.split(f'id="parcel-{first.pk}"')[1].split("</article>")[0]
    second_card = html.split(f'id="parcel-{second.pk}"')[1].split("</article>")[0]
    assert cash + f"{first.producer.name}, {second.producer.name}.".replace("'", "&#x27;") in first_card
    assert "The cash for this order is noted on its parcel from " + first.producer.name.replace("'", "&#x27;") in (
        second_card
    )

    for parcel in (first, second):
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    pick_list = client.get(reverse("depot-pick-list", kwargs={"depot": village.depot.slug}))
    assert pick_list.content.decode().count(yuan(order.total)) == 1
