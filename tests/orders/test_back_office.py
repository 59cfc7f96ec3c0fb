"""The producer's back office for orders: parcels to fulfil, packing slips, pick lists, the CSV export and sales.

Over real HTTP with Django's test client, for every role: a member of the producer and a depot manager who
assists it may work there (the manager's moves are recorded on the producer's behalf); a member of another
producer, a manager of a depot elsewhere, a shopper and staff get 404 as if the producer did not exist; an
anonymous visitor is sent to sign in. A denied request changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Variant
from marketplace.models import User
from marketplace.templatetags.money import yuan
from orders import selectors
from orders.back_office import spreadsheet_safe
from orders.models import Fulfilment, Order, OrderEvent, OrderLine
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_place,
    order_refund,
    payment_record_result,
)
from producers.models import Producer, ProducerActivity
from tests.api import snapshot
from tests.factories import (
    DepotFactory,
    MembershipFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTACT = Contact(name="Ayşe", phone="13800138000", email="ayse@example.com")
ADDRESS = Address(
    recipient="李伟",
    phone="13900001111",
    province="浙江省",
    city="杭州市",
    district="西湖区",
    street="文三路 1 号",
    postcode="310000",
)


@dataclass
class World:
    producer: Producer  # sells through its village depot, so the depot's manager assists it
    other_producer: Producer  # same village, has its own smartphone
    member: User
    other_member: User
    manager: User  # manages the active depot of the producers' village
    far_manager: User  # manages a depot in another village
    shopper: User
    staff: User
    grapes: Variant
    raisins: Variant
    melon: Variant  # the other producer's

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def world(db) -> World:
    village = VillageFactory(slug="tuyoq")
    producer = ProducerFactory(
        slug="tuyoq-vineyard", name_zh="", name_en="Tuyoq Vineyard", village=village, sells_through_depot=True
    )
    other_producer = ProducerFactory(slug="hami-melons", name_en="Hami Melons", village=village)
    depot = DepotFactory(slug="tuyoq-depot", village=village, name_en="Tuyoq depot")
    manager = UserFactory(username="depot-manager")
    depot.managers.add(manager)
    far_manager = UserFactory(username="far-manager")
    DepotFactory(slug="far-depot").managers.add(far_manager)

    def variant(producer: Producer, name: str, price: str, *, perishable: bool = False) -> Variant:
        product = ProductFactory(
            producer=producer, name_zh="", name_en=name, original_language="en", is_perishable=perishable
        )
        return VariantFactory(product=product, name_zh="", name_en="Box", price=Decimal(price), stock=900)

    return World(
        producer=producer,
        other_producer=other_producer,
        member=MembershipFactory(producer=producer, user__username="member").user,
        other_member=MembershipFactory(producer=other_producer, user__username="other-member").user,
        manager=manager,
        far_manager=far_manager,
        shopper=UserFactory(username="shopper"),
        staff=UserFactory(username="staff", is_staff=True, is_superuser=True),
        grapes=variant(producer, "Seedless grapes", "59.90", perishable=True),
        raisins=variant(producer, "Raisins", "35.00"),
        melon=variant(other_producer, "Hami melon", "38.00", perishable=True),
    )


def place(world: World, lines: dict[Variant, int], *, pickup: bool = False, payment: str = "cod") -> Order:
    """An order placed through the order service in English, shipped to an address unless ``pickup``."""
    delivery = (
        Delivery(method="pickup", depot_slug="tuyoq-depot") if pickup else Delivery(method="ship", address=ADDRESS)
    )
    with translation.override("en"):
        return order_place(
            shopper=world.shopper,
            contact=CONTACT,
            lines=[LineRequest(variant_id=v.pk, quantity=q) for v, q in lines.items()],
            delivery=delivery,
            payment_method=payment,
        )


def placed_at(order: Order, moment: datetime) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=moment)
    order.refresh_from_db()
    return order


def parcel_of(order: Order, producer: Producer) -> Fulfilment:
    return order.fulfilments.get(producer=producer)


def client_for(world: World, role: str) -> Client:
    client = Client(headers={"accept-language": "en"})
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def orders_url(producer: Producer | str = "tuyoq-vineyard", **query: str) -> str:
    slug = producer if isinstance(producer, str) else producer.slug
    url = reverse("dashboard-orders", kwargs={"producer": slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def slip_url(parcel: Fulfilment, producer: str = "tuyoq-vineyard") -> str:
    return reverse("dashboard-packing-slip", kwargs={"producer": producer, "pk": parcel.pk})


def pick_list_url(producer: str = "tuyoq-vineyard", day: str | None = None) -> str:
    url = reverse("dashboard-pick-list", kwargs={"producer": producer})
    return url if day is None else f"{url}?date={day}"


def csv_url(producer: str = "tuyoq-vineyard") -> str:
    return reverse("dashboard-orders-csv", kwargs={"producer": producer})


def sales_url(producer: str = "tuyoq-vineyard") -> str:
    return reverse("dashboard-sales", kwargs={"producer": producer})


def step(client: Client, parcel: Fulfilment, to: str, tab: str = "new", **fields: str):
    return client.post(orders_url(status=tab), {"parcel": parcel.pk, "to": to, **fields})


def status(parcel: Fulfilment) -> str:
    return Fulfilment.objects.get(pk=parcel.pk).status


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


# Who may open each page


PAGES = ("orders", "slip", "pick-list", "csv", "sales")
ALLOWED = ("member", "manager")
DENIED = ("shopper", "other_member", "far_manager", "staff")


@pytest.fixture
def parcel(world) -> Fulfilment:
    """A new parcel of the producer in a confirmed cash-on-delivery order shipped to an address."""
    return parcel_of(place(world, {world.grapes: 2, world.melon: 1}), world.producer)


def page_url(page: str, parcel: Fulfilment) -> str:
    return {
        "orders": orders_url(),
        "slip": slip_url(parcel),
        "pick-list": pick_list_url(),
        "csv": csv_url(),
        "sales": sales_url(),
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ALLOWED)
def test_a_member_and_the_assisting_depot_manager_open_every_page(world, parcel, page, role):
    response = client_for(world, role).get(page_url(page, parcel))

    assert response.status_code == 200
    if page != "csv":
        assert "Tuyoq Vineyard" in body(response)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", DENIED)
def test_anyone_else_signed_in_gets_404(world, parcel, page, role):
    """A member of another producer, a manager of a depot elsewhere, a shopper, staff: as if it did not exist."""
    assert client_for(world, role).get(page_url(page, parcel)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(world, parcel, page):
    url = page_url(page, parcel)

    response = client_for(world, "anonymous").get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_the_village_depot_manager_gets_404_for_a_producer_that_does_not_sell_through_the_depot(world, parcel, page):
    Producer.objects.filter(pk=world.producer.pk).update(sells_through_depot=False)

    assert client_for(world, "manager").get(page_url(page, parcel)).status_code == 404


@pytest.mark.parametrize("page", ["orders", "slip", "pick-list", "csv", "sales"])
def test_a_member_of_the_other_producer_sees_only_their_own_back_office(world, parcel, page):
    """The other producer's pages open for its member, and hold nothing of this producer."""
    other_parcel = parcel_of(parcel.order, world.other_producer)
    url = {
        "orders": orders_url("hami-melons"),
        "slip": slip_url(other_parcel, "hami-melons"),
        "pick-list": pick_list_url("hami-melons"),
        "csv": csv_url("hami-melons"),
        "sales": sales_url("hami-melons"),
    }[page]

    response = client_for(world, "other_member").get(url)

    assert response.status_code == 200
    assert "Seedless grapes" not in body(response)
    assert world.grapes.sku not in body(response)


def test_another_producers_parcel_under_ones_own_producer_is_404(world, parcel):
    """The parcel id of the other producer, under the slug of one's own producer: the slip is not found."""
    other_parcel = parcel_of(parcel.order, world.other_producer)

    assert client_for(world, "member").get(slip_url(other_parcel)).status_code == 404
    assert client_for(world, "manager").get(slip_url(other_parcel)).status_code == 404


@pytest.mark.parametrize("role", ["member", "manager"])
def test_moving_another_producers_parcel_under_ones_own_producer_is_404_and_changes_nothing(world, parcel, role):
    other_parcel = parcel_of(parcel.order, world.other_producer)
    before = snapshot()

    response = step(client_for(world, role), other_parcel, "packed")

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", [*DENIED, "anonymous"])
def test_a_denied_move_changes_nothing(world, parcel, role):
    before = snapshot()

    response = step(client_for(world, role), parcel, "packed")

    assert response.status_code == (302 if role == "anonymous" else 404)
    assert snapshot() == before
    assert status(parcel) == "new"


def test_the_village_depot_manager_cannot_move_a_parcel_of_a_producer_that_does_not_sell_through_the_depot(
    world, parcel
):
    Producer.objects.filter(pk=world.producer.pk).update(sells_through_depot=False)
    before = snapshot()

    assert step(client_for(world, "manager"), parcel, "packed").status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("page", ["slip", "pick-list", "csv", "sales"])
def test_the_read_only_pages_refuse_a_post(world, parcel, page):
    before = snapshot()

    assert client_for(world, "member").post(page_url(page, parcel)).status_code == 405
    assert snapshot() == before


# The orders list


def test_the_list_shows_each_parcel_with_only_this_producers_lines_and_what_sending_it_needs(world):
    shipped = place(world, {world.grapes: 2, world.raisins: 3, world.melon: 1})
    picked_up = place(world, {world.raisins: 1}, pickup=True)

    html = body(client_for(world, "member").get(orders_url()))

    for order in (shipped, picked_up):
        assert order.number in html
    assert "Seedless grapes · Box" in html and "Raisins · Box" in html
    assert world.grapes.sku in html and world.raisins.sku in html
    assert "× 3" in html
    assert "Hami melon" not in html and world.melon.sku not in html
    assert "浙江省 杭州市 西湖区 文三路 1 号 310000" in html and "李伟" in html
    assert "13800138000" in html  # the contact's phone
    assert "Pick up at <bdi>Tuyoq depot</bdi>" in html
    assert html.count("Keep cold") == 1  # only the parcel with grapes needs the cold chain
    assert shipped.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in html
    assert html.count('name="to" value="packed"') == 2
    assert f'href="{csv_url()}"' in html and f'href="{pick_list_url()}"' in html


def test_the_list_leaves_out_orders_that_are_not_the_producers_to_fulfil(world):
    """Awaiting payment, cancelled, expired or refunded: not on the list, and no shopper's address shows."""
    unpaid = place(world, {world.grapes: 1}, payment="online")
    cancelled = place(world, {world.grapes: 1})
    order_cancel(order=cancelled, actor=world.shopper)
    refunded = place(world, {world.raisins: 1}, pickup=True)
    parcel = parcel_of(refunded, world.producer)
    for to in ("packed", "shipped", "delivered"):
        fulfilment_transition(fulfilment=parcel, to=to, actor=world.member)
    order_refund(order=refunded, actor=world.staff)
    listed = place(world, {world.raisins: 1})

    client = client_for(world, "member")
    html = "".join(body(client.get(orders_url(status=tab))) for tab in selectors.PARCEL_TABS)

    assert listed.number in html
    for order in (unpaid, cancelled, refunded):
        assert order.number not in html


def test_the_tabs_filter_by_status_and_count_each(world):
    orders = [place(world, {world.raisins: 1}) for _ in range(4)]
    fulfilment_transition(fulfilment=parcel_of(orders[0], world.producer), to="packed", actor=world.member)
    fulfilment_transition(fulfilment=parcel_of(orders[1], world.producer), to="packed", actor=world.member)
    client = client_for(world, "member")

    new = body(client.get(orders_url()))
    packed = body(client.get(orders_url(status="packed")))

    assert orders[2].number in new and orders[3].number in new
    assert orders[0].number not in new and orders[1].number not in new
    assert orders[0].number in packed and orders[2].number not in packed
    assert 'aria-current="page">New <span class="bo-count">2</span>' in new
    assert 'Packed <span class="bo-count">2</span>' in new
    assert 'name="to" value="shipped"' in packed
    # An unknown tab shows the new parcels.
    assert orders[2].number in body(client.get(orders_url(status="bogus")))


@pytest.mark.parametrize("parcels", [3, 20])
def test_the_list_runs_the_same_queries_for_3_and_20_parcels(world, django_assert_num_queries, parcels):
    for _ in range(parcels):
        place(world, {world.grapes: 1, world.raisins: 2, world.melon: 1})
    client = client_for(world, "member")

    # One of them is the back office navigation's: how many live proposals wait for the producer's answer; one
    # the header's cart count.
    with django_assert_num_queries(9):
        response = client.get(orders_url())

    assert response.status_code == 200
    assert body(response).count('<li class="bo-parcel') == parcels


# Moving a parcel


def test_a_member_packs_ships_and_delivers_a_parcel(world, parcel):
    client = client_for(world, "member")

    response = step(client, parcel, "packed")
    assert response.status_code == 302
    assert response["Location"] == orders_url(status="new")
    assert status(parcel) == "packed"
    assert "is packed" in body(client.get(response["Location"]))

    response = step(client, parcel, "shipped", tab="packed", tracking_number="SF1234567890", carrier="顺丰")
    assert response.status_code == 302
    shipped = Fulfilment.objects.get(pk=parcel.pk)
    assert (shipped.status, shipped.tracking_number, shipped.carrier) == ("shipped", "SF1234567890", "顺丰")

    assert step(client, parcel, "delivered", tab="shipped").status_code == 302
    assert status(parcel) == "delivered"

    events = OrderEvent.objects.filter(fulfilment=parcel).order_by("id")
    assert [(e.from_status, e.to_status, e.actor, e.on_behalf_of) for e in events] == [
        ("new", "packed", world.member, None),
        ("packed", "shipped", world.member, None),
        ("shipped", "delivered", world.member, None),
    ]
    activity = ProducerActivity.objects.filter(producer=world.producer).order_by("id")
    assert [(a.action, a.actor, a.on_behalf, a.subject) for a in activity] == [
        ("parcel_packed", world.member, False, parcel.order.number),
        ("parcel_shipped", world.member, False, parcel.order.number),
        ("parcel_delivered", world.member, False, parcel.order.number),
    ]


def test_the_assisting_depot_manager_moves_a_parcel_on_behalf_of_the_producer(world, parcel):
    client = client_for(world, "manager")

    assert step(client, parcel, "packed").status_code == 302
    assert step(client, parcel, "shipped", tab="packed", tracking_number="YT0001").status_code == 302

    events = OrderEvent.objects.filter(fulfilment=parcel).order_by("id")
    assert [(e.to_status, e.actor, e.on_behalf_of) for e in events] == [
        ("packed", world.manager, world.producer),
        ("shipped", world.manager, world.producer),
    ]
    activity = ProducerActivity.objects.filter(producer=world.producer).order_by("id")
    assert [(a.action, a.actor, a.on_behalf) for a in activity] == [
        ("parcel_packed", world.manager, True),
        ("parcel_shipped", world.manager, True),
    ]
    html = body(client.get(orders_url()))
    assert "on their behalf" in html  # the back office says the manager works for the producer


def test_shipping_to_an_address_without_a_tracking_number_is_a_form_error_and_changes_nothing(world, parcel):
    client = client_for(world, "member")
    step(client, parcel, "packed")
    before = snapshot()

    response = step(client, parcel, "shipped", tab="packed", tracking_number="  ", carrier="EMS")

    assert response.status_code == 400
    html = body(response)
    assert "Enter the tracking number of the parcel." in html
    assert 'value="EMS"' in html  # what was typed is kept
    assert snapshot() == before


def test_a_pickup_parcel_ships_without_a_tracking_number(world):
    parcel = parcel_of(place(world, {world.raisins: 1}, pickup=True), world.producer)
    client = client_for(world, "member")
    step(client, parcel, "packed")

    assert step(client, parcel, "shipped", tab="packed").status_code == 302
    assert status(parcel) == "shipped"


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("delivered", "A parcel that is “New” cannot become “Delivered”."),
        ("shipped", "A parcel that is “New” cannot become “Shipped”."),
    ],
)
def test_a_step_out_of_order_is_a_visible_error_and_changes_nothing(world, parcel, to, message):
    before = snapshot()

    response = step(client_for(world, "member"), parcel, to, tracking_number="SF1")

    assert response.status_code == 400
    assert message in body(response)
    assert snapshot() == before


def test_a_parcel_packed_twice_shows_the_error_the_second_time(world, parcel):
    """Two phones of one household press Pack: the second is told, nothing is recorded twice."""
    client = client_for(world, "member")
    step(client, parcel, "packed")
    before = snapshot()

    response = step(client, parcel, "packed")

    assert response.status_code == 400
    assert "A parcel that is “Packed” cannot become “Packed”." in body(response)
    assert snapshot() == before


@pytest.mark.parametrize("data", [{"to": "cancelled"}, {"to": ""}, {"parcel": "x"}, {"tracking_number": "9" * 51}])
def test_a_malformed_step_is_a_form_error_and_changes_nothing(world, parcel, data):
    before = snapshot()
    fields = {"parcel": parcel.pk, "to": "shipped", **data}

    response = client_for(world, "member").post(orders_url(), fields)

    assert response.status_code == 400
    assert 'class="error-summary" role="alert" tabindex="-1"' in body(response)
    assert snapshot() == before


def test_a_parcel_of_an_order_awaiting_payment_cannot_be_moved(world):
    parcel = parcel_of(place(world, {world.grapes: 1}, payment="online"), world.producer)
    before = snapshot()

    assert step(client_for(world, "member"), parcel, "packed").status_code == 404
    assert snapshot() == before


def test_the_service_records_activity_only_when_someone_acts(world, parcel):
    """Moves without an actor (a script) leave the OrderEvent trail only; with one, the producer's activity too."""
    fulfilment_transition(fulfilment=parcel, to="packed", actor=None)
    assert not ProducerActivity.objects.exists()

    fulfilment_transition(fulfilment=parcel, to="shipped", actor=world.member, tracking_number="SF9")

    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.action, activity.on_behalf) == (world.producer, "parcel_shipped", False)


# The packing slip


def test_the_packing_slip_has_the_order_address_lines_and_cold_chain_note(world):
    order = place(world, {world.grapes: 2, world.raisins: 1, world.melon: 1})
    parcel = parcel_of(order, world.producer)

    response = client_for(world, "member").get(slip_url(parcel))

    html = body(response)
    assert order.number in html
    assert order.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in html
    assert "李伟 · <bdi>13900001111</bdi>" in html and "文三路 1 号 310000" in html
    assert f'<td class="bo-sku">{world.grapes.sku}</td><td>Seedless grapes · Box</td><td class="bo-qty">2</td>' in html
    assert f'<td class="bo-sku">{world.raisins.sku}</td>' in html
    assert world.melon.sku not in html
    assert "keep in the cold chain" in html
    # A slip in the box shows no line prices: its one amount is the cash to collect (cash on delivery).
    assert html.split('class="bo-sheet bo-slip"')[1].count("¥") == 1
    assert "back_office_orders" in html  # the stylesheet with the print rules


def test_a_pickup_slip_names_the_depot_and_a_dry_parcel_has_no_cold_chain_note(world):
    parcel = parcel_of(place(world, {world.raisins: 1}, pickup=True), world.producer)

    html = body(client_for(world, "member").get(slip_url(parcel)))

    assert "Tuyoq depot" in html and "1 Station Road" in html
    assert "keep in the cold chain" not in html


def test_the_print_styles_hide_the_navigation():
    css = (Path(settings.BASE_DIR) / "static/css/back_office_orders.css").read_text()

    printed = css.split("@media print", 1)[1]
    for hidden in (".site-header", ".back-office-header", ".bo-no-print"):
        assert hidden in printed
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "text-align: left", "float:"):
        assert physical not in css


# The pick list


def test_the_pick_list_adds_up_the_units_of_the_parcels_still_to_pack_of_the_days_orders(world):
    today = timezone.localdate(timezone=SHANGHAI)
    morning = datetime.combine(today, time(0, 5), tzinfo=SHANGHAI)
    first = placed_at(place(world, {world.grapes: 2, world.raisins: 1, world.melon: 4}), morning)
    placed_at(place(world, {world.grapes: 3}), morning + timedelta(hours=1))
    packed = placed_at(place(world, {world.raisins: 7}), morning)
    fulfilment_transition(fulfilment=parcel_of(packed, world.producer), to="packed", actor=world.member)
    # Yesterday just before midnight in Shanghai: not today's, but counted as still to pack.
    placed_at(place(world, {world.raisins: 5}), morning - timedelta(minutes=10))
    placed_at(place(world, {world.grapes: 1}, payment="online"), morning)  # unpaid: nothing to pick

    html = body(client_for(world, "member").get(pick_list_url()))

    cold = '<span class="bo-cold">Keep cold</span>'
    assert f'<td>Seedless grapes · Box {cold}<br><span class="bo-sku">{world.grapes.sku}</span></td>' in html
    rows = PickListRows.of(html)
    assert rows == {world.grapes.sku: (5, 2), world.raisins.sku: (1, 1)}
    assert "6 units to pick" in html
    assert "1 parcel of earlier days is still to pack." in html
    assert today.isoformat() in html
    assert first.number not in html.split('class="lines bo-sheet-lines bo-cash"')[0]  # goods first, not orders

    yesterday = body(client_for(world, "member").get(pick_list_url(day=(today - timedelta(days=1)).isoformat())))
    assert PickListRows.of(yesterday) == {world.raisins.sku: (5, 1)}


@pytest.mark.parametrize("day", ["yesterday", "2025-13-01", "2025-02-30", "99999-01-01", "1999-12-31", "<b>"])
def test_a_bad_date_on_the_pick_list_is_a_clear_error(world, day):
    response = client_for(world, "member").get(pick_list_url(day=day))

    assert response.status_code == 400
    html = body(response)
    assert 'class="error"' in html
    assert "<b>" not in html.split("<main", 1)[1]  # what was typed comes back escaped


class PickListRows(HTMLParser):
    """SKU → (units, parcels) from a pick list's table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.sku = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and dict(attrs).get("data-sku"):
            self.sku = dict(attrs)["data-sku"]
            self.rows[self.sku] = []
        elif tag == "td" and self.sku:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "tr":
            self.sku = ""
        elif tag == "td" and self.cell is not None:
            self.rows[self.sku].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    @classmethod
    def of(cls, html: str) -> dict[str, tuple[int, int]]:
        parser = cls()
        parser.feed(html)
        return {sku: (int(row[1]), int(row[2])) for sku, row in parser.rows.items()}


# The CSV export


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_export_has_one_row_per_line_of_this_producer_in_utf8_with_a_bom(world):
    order = place(world, {world.grapes: 2, world.raisins: 1, world.melon: 1})
    parcel = parcel_of(order, world.producer)
    for to, extra in (("packed", {}), ("shipped", {"tracking_number": "SF777", "carrier": "顺丰"})):
        fulfilment_transition(fulfilment=parcel, to=to, actor=world.member, **extra)
    pickup = place(world, {world.raisins: 4}, pickup=True)
    place(world, {world.grapes: 1}, payment="online")  # awaiting payment: not exported

    response = client_for(world, "member").get(csv_url())

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="oasis-orders-tuyoq-vineyard-')
    header, *rows = read_csv(response)
    assert header == [
        "Order number",
        "Date",
        "Order status",
        "Parcel status",
        "SKU",
        "Product",
        "Variant",
        "Quantity",
        "Unit price (CNY)",
        "Line total (CNY)",
        "Delivery",
        "City or pickup depot",
        "Tracking number",
        "Payment method",
        "Cash to collect for the parcel (CNY)",
    ]
    day = order.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert rows == [
        [
            order.number,
            day,
            "Confirmed (cash on delivery)",
            "Shipped",
            world.grapes.sku,
            "Seedless grapes",
            "Box",
            "2",
            "59.90",
            "119.80",
            "Ship to an address",
            "杭州市",
            "SF777",
            "Cash on delivery",
            "154.80",  # 119.80 + 35.00 of goods, shipped free; the other producer's parcel is not here
        ],
        [
            order.number,
            day,
            "Confirmed (cash on delivery)",
            "Shipped",
            world.raisins.sku,
            "Raisins",
            "Box",
            "1",
            "35.00",
            "35.00",
            "Ship to an address",
            "杭州市",
            "SF777",
            "Cash on delivery",
            "",
        ],
        [
            pickup.number,
            pickup.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            "Confirmed (cash on delivery)",
            "New",
            world.raisins.sku,
            "Raisins",
            "Box",
            "4",
            "35.00",
            "140.00",
            "Pick up at a depot",
            "Tuyoq depot",
            "",
            "Cash on delivery",
            "140.00",
        ],
    ]


def test_the_export_speaks_the_visitors_language_and_keeps_chinese_readable(world):
    order = place(world, {world.raisins: 1})
    client = client_for(world, "member")
    client.cookies["django_language"] = "zh-hans"

    header, row = read_csv(client.get(csv_url(), headers={"accept-language": "zh-hans"}))

    with translation.override("zh-hans"):
        confirmed, ship = str(Order.Status.CONFIRMED.label), str(Order.DeliveryMethod.SHIP.label)
    assert confirmed != "Confirmed (cash on delivery)"
    assert (row[0], row[2], row[10], row[11]) == (order.number, confirmed, ship, "杭州市")
    assert len(header) == len(row)


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted(world):
    order = place(world, {world.raisins: 1})
    # Names typed by a producer, as the line took them in every language.
    names = {"product": {"en": '=HYPERLINK("http://evil.example","Raisins")'}, "variant": {"en": "+1 kg"}}
    OrderLine.objects.filter(order=order).update(names=names, sku="@SKU-1")
    Order.objects.filter(pk=order.pk).update(ship_city="-2+3")

    _header, row = read_csv(client_for(world, "member").get(csv_url()))

    assert row[4:7] == ["'@SKU-1", '\'=HYPERLINK("http://evil.example","Raisins")', "'+1 kg"]
    assert row[11] == "'-2+3"


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-3", "'-3"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("葡萄", "葡萄"), (5, "5")],
)
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.parametrize("orders", [3, 20])
def test_the_export_runs_the_same_queries_for_3_and_20_orders(world, django_assert_num_queries, orders):
    for _ in range(orders):
        place(world, {world.grapes: 1, world.raisins: 1, world.melon: 1})
    client = client_for(world, "member")

    with django_assert_num_queries(4):
        rows = read_csv(client.get(csv_url()))

    assert len(rows) == 1 + 2 * orders


# Sales


SALE_STATUSES = {"confirmed", "paid", "completed"}


def expected_sales(producer: Producer, today: date) -> tuple[dict[date, tuple[Decimal, int]], dict[str, tuple]]:
    """The figures computed the long way: every order, every line, in Python."""
    first = today - timedelta(days=29)
    by_day: dict[date, list] = {first + timedelta(days=n): [Decimal("0.00"), 0] for n in range(30)}
    by_product: dict[str, list] = defaultdict(lambda: [Decimal("0.00"), 0])
    for order in Order.objects.all():
        day = order.created_at.astimezone(SHANGHAI).date()
        if order.status not in SALE_STATUSES or not first <= day <= today:
            continue
        for line in OrderLine.objects.filter(order=order).select_related("variant__product"):
            if line.producer_id != producer.pk:
                continue
            by_day[day][0] += line.line_total
            by_day[day][1] += line.quantity
            by_product[line.variant.product.slug][0] += line.line_total
            by_product[line.variant.product.slug][1] += line.quantity
    return {d: tuple(v) for d, v in by_day.items()}, {p: tuple(v) for p, v in by_product.items()}


class SalesPage(HTMLParser):
    """The figures a sales page shows: its two tables and the data, titles and heights of its SVG bars."""

    def __init__(self) -> None:
        super().__init__()
        self.table_rows: dict[str, dict[str, list[str]]] = {"sales-days": {}, "sales-products": {}}
        self.bars: dict[str, dict[str, dict]] = {"day": {}, "product": {}}
        self.table = ""
        self.row_key = ""
        self.cell: list[str] | None = None
        self.bar: dict | None = None
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = attrs.get("id", "")
        elif tag == "tr" and self.table and ("data-day" in attrs or "data-product" in attrs):
            self.row_key = attrs.get("data-day") or attrs["data-product"]
            self.table_rows[self.table][self.row_key] = []
        elif tag in {"th", "td"} and self.row_key:
            self.cell = []
        elif tag == "g" and "data-revenue" in attrs:
            kind = "day" if "data-day" in attrs else "product"
            self.bar = {"revenue": attrs["data-revenue"], "units": attrs["data-units"], "title": ""}
            self.bars[kind][attrs.get("data-day") or attrs["data-product"]] = self.bar
        elif tag == "title" and self.bar is not None:
            self.in_title = True
        elif tag == "rect" and self.bar is not None:
            self.bar.update(x=float(attrs["x"]), height=float(attrs["height"]))

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = ""
        elif tag == "tr":
            self.row_key = ""
        elif tag in {"th", "td"} and self.cell is not None:
            self.table_rows[self.table][self.row_key].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "g":
            self.bar = None
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.in_title and self.bar is not None:
            self.bar["title"] += data

    @classmethod
    def of(cls, html: str) -> SalesPage:
        page = cls()
        page.feed(html)
        return page


def units_text(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


@pytest.fixture
def sales_history(world):
    """Orders over five weeks, in every status, some with the other producer's goods, around Shanghai's midnight."""
    today = timezone.localdate(timezone=SHANGHAI)

    def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour, minute), tzinfo=SHANGHAI)

    def order(lines, moment, *, payment="cod", pickup=False) -> Order:
        return placed_at(place(world, lines, payment=payment, pickup=pickup), moment)

    order({world.grapes: 2, world.melon: 1}, at(0, 9))
    order({world.raisins: 3}, at(0, 0, 1))  # just after midnight in Shanghai: today, though yesterday in UTC
    order({world.grapes: 1, world.raisins: 1}, at(1, 23, 59))  # just before: yesterday
    order({world.raisins: 10}, at(29, 8))  # the first day of the window
    order({world.grapes: 9}, at(30, 20))  # a day too old
    order({world.grapes: 4}, at(5, 12), payment="online")  # awaiting payment: not a sale
    paid = order({world.grapes: 1, world.melon: 2}, at(5, 13), payment="online")
    payment = paid.payments.get()
    payment_record_result(
        provider=payment.provider,
        event_id="e1",
        reference=payment.provider_reference,
        succeeded=True,
        amount=payment.amount,
    )
    order_cancel(order=order({world.raisins: 6}, at(3, 10)), actor=world.shopper)
    expired = order({world.raisins: 2}, at(4, 10), payment="online")
    Order.objects.filter(pk=expired.pk).update(status="expired")
    delivered = order({world.grapes: 3}, at(10, 18), pickup=True)
    parcel = parcel_of(delivered, world.producer)
    for to in ("packed", "shipped", "delivered"):
        fulfilment_transition(fulfilment=parcel, to=to, actor=world.member)  # the order completes
    refunded = order({world.raisins: 5}, at(12, 18), pickup=True)
    parcel = parcel_of(refunded, world.producer)
    for to in ("packed", "shipped", "delivered"):
        fulfilment_transition(fulfilment=parcel, to=to, actor=world.member)
    order_refund(order=refunded, actor=world.staff)
    order({world.melon: 3}, at(2, 10))  # the other producer's only
    return today


def test_the_sales_selector_equals_a_direct_computation_over_the_orders(world, sales_history):
    days, products = expected_sales(world.producer, sales_history)

    report = selectors.producer_sales(producer=world.producer, today=sales_history)

    assert [(d.day, d.revenue, d.units) for d in report.days] == [(d, *v) for d, v in sorted(days.items())]
    assert {p.product.slug: (p.revenue, p.units) for p in report.products} == products
    assert all(isinstance(d.revenue, Decimal) for d in report.days)
    assert report.revenue == sum(v[0] for v in days.values())
    # Something is in every bucket the test means to prove.
    assert days[sales_history][1] == 2 + 3
    assert days[sales_history - timedelta(days=1)][1] == 2
    assert days[sales_history - timedelta(days=29)][1] == 10


def test_the_sales_chart_and_tables_show_the_numbers_of_a_direct_query_over_the_orders(world, sales_history):
    """Every figure the page shows — day table, product table, SVG bars' values, titles and heights — as computed."""
    days, products = expected_sales(world.producer, sales_history)

    response = client_for(world, "member").get(sales_url())

    assert response.status_code == 200
    page = SalesPage.of(body(response))
    assert len(page.table_rows["sales-days"]) == 30 and len(page.bars["day"]) == 30
    top = max(revenue for revenue, _units in days.values())
    for day, (revenue, units) in days.items():
        key = day.isoformat()
        assert page.table_rows["sales-days"][key] == [key, str(units), yuan(revenue)]
        bar = page.bars["day"][key]
        assert (Decimal(bar["revenue"]), int(bar["units"])) == (revenue, units)
        assert bar["title"] == f"{key}: {yuan(revenue)} · {units_text(units)}"
        assert bar["height"] == pytest.approx(float(revenue / top) * 144, abs=0.06)
    slugs = {v.product.slug: v.product for v in (world.grapes, world.raisins)}
    assert set(page.table_rows["sales-products"]) == set(products)
    for slug, (revenue, units) in products.items():
        name = slugs[slug].name
        assert page.table_rows["sales-products"][slug] == [name, str(units), yuan(revenue)]
        bar = page.bars["product"][slug]
        assert (Decimal(bar["revenue"]), int(bar["units"])) == (revenue, units)
        assert bar["title"] == f"{name}: {yuan(revenue)} · {units_text(units)}"
    total_revenue = sum(v[0] for v in days.values())
    assert f"{yuan(total_revenue)} for {sum(v[1] for v in days.values())} units" in body(response)


BAR_WIDTH = (420 - 2 * 16) / 30 * 0.7  # the day chart's bars: 30 in the plot's width, 70 % of their slot


def test_the_sales_chart_reads_from_the_right_on_a_uyghur_page(world, sales_history):
    """Oldest day first in reading order: on the left in English, on the right in Uyghur; amounts stay ¥1.00."""
    english = SalesPage.of(body(client_for(world, "member").get(sales_url())))
    uyghur_client = client_for(world, "member")
    uyghur_client.cookies["django_language"] = "ug"
    response = uyghur_client.get(sales_url(), headers={"accept-language": "ug"})
    html = body(response)
    uyghur = SalesPage.of(html)

    assert 'dir="rtl"' in html and 'direction="ltr"' in html
    first, last = sorted(english.bars["day"])[0], sorted(english.bars["day"])[-1]
    assert english.bars["day"][first]["x"] < english.bars["day"][last]["x"]
    assert uyghur.bars["day"][first]["x"] > uyghur.bars["day"][last]["x"]
    for key, bar in english.bars["day"].items():
        assert uyghur.bars["day"][key]["x"] == pytest.approx(420 - bar["x"] - BAR_WIDTH, abs=0.11)
        assert uyghur.bars["day"][key]["revenue"] == bar["revenue"]
    assert "¥" in html


def test_a_producer_without_sales_sees_zeros_and_a_note(world):
    place(world, {world.grapes: 1}, payment="online")  # not a sale

    html = body(client_for(world, "member").get(sales_url()))

    assert "No sales in these 30 days yet." in html
    page = SalesPage.of(html)
    assert len(page.table_rows["sales-days"]) == 30
    assert {tuple(row[1:]) for row in page.table_rows["sales-days"].values()} == {("0", yuan(Decimal("0")))}


def test_the_sales_page_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    for _ in range(3):
        place(world, {world.grapes: 1, world.raisins: 2})
    client = client_for(world, "member")

    # One of them is the back office navigation's: how many live proposals wait for the producer's answer; one
    # the header's cart count.
    with django_assert_num_queries(7):
        client.get(sales_url())
    for _ in range(10):
        place(world, {world.grapes: 1, world.raisins: 2})
    with django_assert_num_queries(7):
        client.get(sales_url())


# What to collect: how the shopper pays, and the cash each parcel brings in


def pay_online(order: Order) -> None:
    payment = order.payments.get()
    payment_record_result(
        provider=payment.provider,
        event_id=f"paid-{order.number}",
        reference=payment.provider_reference,
        succeeded=True,
        amount=payment.amount,
    )


def collect_text(amount: Decimal) -> str:
    return f"Cash on delivery: collect {yuan(amount)} for this parcel"


def test_every_back_office_sheet_says_how_the_shopper_pays_and_the_cash_to_collect_for_this_parcel(world):
    # Two producers: this producer's parcel is 59.90 + 35.00 = 94.90 of goods, under the free-shipping
    # threshold, so it carries its own shipping fee; the melon is the other producer's parcel.
    cash = place(world, {world.grapes: 1, world.raisins: 1, world.melon: 1})
    online = place(world, {world.raisins: 2}, payment="online")
    pay_online(online)
    fee = Decimal(settings.SHIPPING_FEE_PER_PARCEL)
    mine = Decimal("94.90") + fee
    assert cash.total == mine + Decimal("38.00") + fee  # the order's total is not this producer's to collect
    client = client_for(world, "member")

    card = body(client.get(orders_url()))
    cash_card = card.split(f'id="parcel-{parcel_of(cash, world.producer).pk}"')[1].split("bo-parcel-links")[0]
    assert collect_text(mine) in cash_card
    assert yuan(cash.total) not in card
    online_card = card.split(f'id="parcel-{parcel_of(online, world.producer).pk}"')[1].split("bo-parcel-links")[0]
    assert "Paid online, collect nothing" in online_card and "collect ¥" not in online_card

    slip = body(client.get(slip_url(parcel_of(cash, world.producer)))).split('class="bo-sheet bo-slip"')[1]
    assert collect_text(mine) in slip
    assert slip.count("¥") == 1  # the cash to collect, never the lines' prices
    online_slip = body(client.get(slip_url(parcel_of(online, world.producer))))
    assert "Paid online, collect nothing" in online_slip and "¥" not in online_slip.split("bo-slip")[1]

    pick = body(client.get(pick_list_url()))
    assert f'<tr data-order="{cash.number}"><td><bdi>{cash.number}</bdi></td><td>Cash on delivery</td>' in pick
    assert f'<td class="bo-qty">{yuan(mine)}</td></tr>' in pick
    assert f'<tr data-order="{online.number}"><td><bdi>{online.number}</bdi></td><td>Pay online</td>' in pick
    assert f'<td class="bo-qty">{yuan(mine)}</td></tr></tfoot>' in pick  # in all: only the cash parcel's

    header, *rows = read_csv(client.get(csv_url()))
    assert header[-2:] == ["Payment method", "Cash to collect for the parcel (CNY)"]
    by_order = defaultdict(list)
    for row in rows:
        by_order[row[0]].append(row[-2:])
    # The parcel's cash stands on its first line only, so the column adds up to what is collected.
    assert by_order[cash.number] == [["Cash on delivery", str(mine)], ["Cash on delivery", ""]]
    assert by_order[online.number] == [["Pay online", "0.00"]]


def test_a_cash_order_already_paid_has_nothing_left_to_collect(world):
    order = place(world, {world.raisins: 1}, pickup=True)
    for to in ("packed", "shipped", "delivered"):
        fulfilment_transition(fulfilment=parcel_of(order, world.producer), to=to, actor=world.member)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED  # the cash was taken on delivery

    html = body(client_for(world, "member").get(slip_url(parcel_of(order, world.producer))))

    assert "Cash on delivery, already paid: collect nothing" in html and "collect ¥" not in html


def test_the_payment_and_cash_columns_speak_the_visitors_language(world):
    place(world, {world.raisins: 1})
    client = client_for(world, "member")
    client.cookies["django_language"] = "ug"

    header, row = read_csv(client.get(csv_url(), headers={"accept-language": "ug"}))

    with translation.override("ug"):
        expected = [translation.gettext("Payment method"), translation.gettext("Cash to collect for the parcel (CNY)")]
        cod = str(Order.PaymentMethod.COD.label)
    assert header[-2:] == expected and expected[0] != "Payment method"
    assert row[-2:] == [cod, str(Decimal("35.00") + Decimal(settings.SHIPPING_FEE_PER_PARCEL))]
