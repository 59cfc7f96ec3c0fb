"""The orders API as a shopper's app uses it: place, list, read and cancel orders, through full requests."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from catalog.models import Variant
from orders.models import Fulfilment, Order, OrderEvent
from orders.services import fulfilment_transition, order_cancel
from tests.api import COUNTED, ROLES, snapshot
from tests.orders.api_support import ORDERS, SHIP_TO, api, make_goods, new_key, order_body, place

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


@pytest.fixture
def goods(roles):
    return make_goods(roles)


@pytest.fixture(autouse=True)
def flat_shipping(settings):
    settings.SHIPPING_FEE_PER_PARCEL = "12.00"
    settings.FREE_SHIPPING_THRESHOLD = "99.00"
    settings.SIMULATED_PAYMENTS_ENABLED = True


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def detail_url(number: str) -> str:
    return f"{ORDERS}{number}/"


# Placing an order


def test_anonymous_cannot_place_an_order_and_nothing_changes(roles, goods):
    before = snapshot()

    response = api(roles, "anonymous").post(
        ORDERS, order_body({goods.grapes: 1}), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert snapshot() == before


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_signed_in_user_places_orders_as_a_shopper(roles, goods, role):
    """Members and staff buy like anyone else: the order is theirs and nobody else's."""
    response = api(roles, role).post(
        ORDERS, order_body({goods.grapes: 1}), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 201
    assert Order.objects.get(number=response.json()["number"]).shopper == getattr(roles, role)


def test_a_shipped_order_is_priced_from_the_catalog_and_split_into_one_parcel_per_producer(roles, goods):
    body = order_body({goods.grapes: 1, goods.melon: 2})

    response = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.status_code == 201
    data = response.json()
    order = Order.objects.get(number=data["number"])
    assert data["status"] == "confirmed"
    assert (data["subtotal"], data["shipping"], data["total"]) == ("135.90", "24.00", "159.90")
    assert order.total == Decimal("159.90")
    assert data["currency"] == "CNY"
    assert data["payment_method"] == "cod"
    assert data["payment_url"] is None
    assert data["lines"] == [
        {
            "variant": goods.grapes.pk,
            "sku": goods.grapes.sku,
            "product_name": "Seedless grapes",
            "variant_name": "Box",
            "producer_name": roles.producer.name,
            "unit_price": "59.90",
            "live_price": False,
            "quantity": 1,
            "line_total": "59.90",
        },
        {
            "variant": goods.melon.pk,
            "sku": goods.melon.sku,
            "product_name": "Hami melon",
            "variant_name": "Box",
            "producer_name": roles.other_producer.name,
            "unit_price": "38.00",
            "live_price": False,
            "quantity": 2,
            "line_total": "76.00",
        },
    ]
    assert data["delivery"] == {
        "method": "ship",
        "address": {**SHIP_TO, "phone": "13900001111"},
        "depot": None,
    }
    assert [(f["producer"]["slug"], f["status"], f["tracking_number"]) for f in data["fulfilments"]] == [
        (roles.producer.slug, "new", ""),
        (roles.other_producer.slug, "new", ""),
    ]
    assert [(e["to_status"], e["actor"]) for e in data["events"]] == [("confirmed", "shopper")]
    assert stock(goods.grapes) == 9 and stock(goods.melon) == 3


def test_shipping_is_charged_per_parcel_under_the_free_shipping_threshold(roles, goods):
    response = api(roles, "shopper").post(
        ORDERS, order_body({goods.grapes: 2, goods.melon: 1}), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    data = response.json()
    # The vineyard's 119.80 parcel ships free; the melon farm's 38.00 parcel pays the fee.
    assert (data["subtotal"], data["shipping"], data["total"]) == ("157.80", "12.00", "169.80")


def test_a_pickup_order_names_its_depot_and_ships_free(roles, goods):
    response = api(roles, "shopper").post(
        ORDERS, order_body({goods.raisins: 2}, depot=goods.depot), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 201
    data = response.json()
    assert data["delivery"]["method"] == "pickup"
    assert data["delivery"]["address"] is None
    assert data["delivery"]["depot"]["slug"] == "grape-valley"
    assert (data["subtotal"], data["shipping"], data["total"]) == ("70.00", "0.00", "70.00")
    assert Order.objects.get(number=data["number"]).ship_street == ""


def test_an_online_order_awaits_payment_at_the_payment_page_it_links_to(roles, goods):
    body = order_body({goods.grapes: 1}, depot=goods.depot, payment_method="online")

    data = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key()).json()

    assert data["status"] == "awaiting_payment"
    assert data["expires_at"] is not None
    assert data["payment_url"].startswith("http://testserver/payments/simulated/pay/")
    page = Client().get(data["payment_url"].removeprefix("http://testserver"), headers={"accept-language": "en"})
    assert page.status_code == 200
    assert data["number"] in page.content.decode()


def test_prices_and_totals_sent_by_the_client_are_ignored(roles, goods):
    body = order_body({goods.grapes: 2}, depot=goods.depot)
    body["lines"][0].update(price="0.01", unit_price="0.01", line_total="0.02")
    body.update(subtotal="0.02", shipping="0.00", total="0.02", status="paid", number="OM000000000000")

    data = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key()).json()

    assert (data["lines"][0]["unit_price"], data["subtotal"], data["total"]) == ("59.90", "119.80", "119.80")
    assert data["status"] == "confirmed"
    assert data["number"] != "OM000000000000"


def test_retrying_with_the_same_idempotency_key_returns_the_same_order_and_takes_stock_once(roles, goods):
    client = api(roles, "shopper")
    body = order_body({goods.grapes: 3})

    first = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")
    again = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="tap-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Order.objects.count() == 1
    assert stock(goods.grapes) == 7


def test_placing_an_order_runs_only_its_own_statements_and_answers_without_reading_it_back(
    roles, goods, django_assert_num_queries
):
    client = api(roles, "shopper")
    body = order_body({goods.grapes: 1, goods.melon: 2})

    # One read: the variants with their products and producers. Then one transaction (a savepoint here) of
    # two statements: the order, its parcels, its lines, its payment, its first event and its outbox message
    # inserted together, then the stock taken by one guarded UPDATE. Nothing is read back for the answer.
    with django_assert_num_queries(5 + COUNTED):
        response = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="once")

    assert response.status_code == 201
    read_back = client.get(detail_url(response.json()["number"]))
    assert response.json() == read_back.json()


def test_another_shopper_may_use_the_same_idempotency_key(roles, goods):
    body = order_body({goods.grapes: 1})

    mine = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    theirs = api(roles, "other_shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["number"] != theirs.json()["number"]


def test_the_same_idempotency_key_with_another_order_is_refused_with_422_and_changes_nothing(roles, goods):
    client = api(roles, "shopper")
    client.post(ORDERS, order_body({goods.grapes: 1}), format="json", HTTP_IDEMPOTENCY_KEY="k")
    before = snapshot()

    response = client.post(ORDERS, order_body({goods.grapes: 2}), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()["detail"]
    assert snapshot() == before


def test_not_enough_stock_answers_409_naming_every_short_line_and_takes_nothing(roles, goods):
    Variant.objects.filter(pk=goods.melon.pk).update(stock=1)
    before = snapshot()

    response = api(roles, "shopper").post(
        ORDERS,
        order_body({goods.grapes: 11, goods.melon: 2, goods.raisins: 1}),
        format="json",
        HTTP_IDEMPOTENCY_KEY=new_key(),
    )

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "insufficient_stock"
    assert data["lines"] == [
        {"variant": goods.grapes.pk, "requested": 11, "available": 10},
        {"variant": goods.melon.pk, "requested": 2, "available": 1},
    ]
    assert "Not enough stock" in data["detail"]
    assert snapshot() == before


def _without(body: dict, *path: str) -> dict:
    node = body
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return body


def _line(**fields) -> dict:
    return {"variant": 1, "quantity": 1, **fields}


# Each case: how the body is spoiled, and the field paths the answer must name (nested like the request).
BAD_BODIES = {
    "quantity 0": (lambda b, g: b["lines"][0].update(quantity=0), [("lines",)]),
    "quantity -1": (lambda b, g: b["lines"][0].update(quantity=-1), [("lines",)]),
    "quantity 1000": (lambda b, g: b["lines"][0].update(quantity=1000), [("lines",)]),
    "quantity huge": (lambda b, g: b["lines"][0].update(quantity=10**20), [("lines",)]),
    "quantity text": (lambda b, g: b["lines"][0].update(quantity="abc"), [("lines",)]),
    "quantity fraction": (lambda b, g: b["lines"][0].update(quantity=1.5), [("lines",)]),
    "quantity true": (lambda b, g: b["lines"][0].update(quantity=True), [("lines",)]),
    "variant unknown": (lambda b, g: b["lines"][0].update(variant=987654321), [("lines",)]),
    "variant huge": (lambda b, g: b["lines"][0].update(variant=10**20), [("lines",)]),
    "variant text": (lambda b, g: b["lines"][0].update(variant="grapes"), [("lines",)]),
    "variant missing": (lambda b, g: _without(b, "lines", 0, "variant"), [("lines",)]),
    "line not an object": (lambda b, g: b.update(lines=[5]), [("lines",)]),
    "lines not a list": (lambda b, g: b.update(lines={"variant": g.grapes.pk, "quantity": 1}), [("lines",)]),
    "lines empty": (lambda b, g: b.update(lines=[]), [("lines",)]),
    "51 lines": (lambda b, g: b.update(lines=[_line(variant=g.grapes.pk)] * 51), [("lines",)]),
    "lines missing": (lambda b, g: _without(b, "lines"), [("lines",)]),
    "contact missing": (lambda b, g: _without(b, "contact"), [("contact",)]),
    "contact not an object": (lambda b, g: b.update(contact="Ayşe"), [("contact",)]),
    "name blank": (lambda b, g: b["contact"].update(name="  "), [("contact", "name")]),
    "name too long": (lambda b, g: b["contact"].update(name="A" * 101), [("contact", "name")]),
    "name with NUL": (lambda b, g: b["contact"].update(name="A\x00"), [("contact", "name")]),
    "phone missing": (lambda b, g: _without(b, "contact", "phone"), [("contact", "phone")]),
    "phone not mobile": (lambda b, g: b["contact"].update(phone="010-1234567"), [("contact", "phone")]),
    "phone a number": (lambda b, g: b["contact"].update(phone=["138"]), [("contact", "phone")]),
    "email invalid": (lambda b, g: b["contact"].update(email="not-an-email"), [("contact", "email")]),
    "delivery missing": (lambda b, g: _without(b, "delivery"), [("delivery",)]),
    "method unknown": (lambda b, g: b["delivery"].update(method="drone"), [("delivery", "method")]),
    "address missing": (lambda b, g: _without(b, "delivery", "address"), [("delivery", "address")]),
    "address not an object": (lambda b, g: b["delivery"].update(address="Hangzhou"), [("delivery", "address")]),
    "city missing": (lambda b, g: _without(b, "delivery", "address", "city"), [("delivery", "address", "city")]),
    "street blank": (lambda b, g: b["delivery"]["address"].update(street=""), [("delivery", "address", "street")]),
    "postcode wrong": (
        lambda b, g: b["delivery"]["address"].update(postcode="31000"),
        [("delivery", "address", "postcode")],
    ),
    "postcode long": (
        lambda b, g: b["delivery"]["address"].update(postcode="3100001"),
        [("delivery", "address", "postcode")],
    ),
    "depot unknown": (
        lambda b, g: b.update(delivery={"method": "pickup", "depot": "nowhere"}),
        [("delivery", "depot")],
    ),
    "depot missing": (lambda b, g: b.update(delivery={"method": "pickup"}), [("delivery", "depot")]),
    "payment unknown": (lambda b, g: b.update(payment_method="barter"), [("payment_method",)]),
    "payment missing": (lambda b, g: _without(b, "payment_method"), [("payment_method",)]),
    "live session unknown": (lambda b, g: b.update(live_session="no-such-show"), [("live_session",)]),
    "several at once": (
        lambda b, g: (
            b["contact"].update(phone="12"),
            b["delivery"]["address"].update(city=""),
            b["lines"][0].update(quantity=0),
        ),
        [("lines",), ("contact", "phone"), ("delivery", "address", "city")],
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_bad_input_answers_400_with_messages_nested_by_field_and_changes_nothing(roles, goods, case):
    spoil, paths = BAD_BODIES[case]
    body = order_body({goods.grapes: 1})
    spoil(body, goods)
    before = snapshot()

    response = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.status_code == 400, response.json()
    data = response.json()
    for path in paths:
        node = data
        for key in path:
            node = node[key]
        # Messages about a field are a list of readable strings, whether the serializer or the service wrote them.
        assert isinstance(node, list) and node and all(isinstance(m, str) and m for m in node), data
    assert snapshot() == before


def test_a_service_rule_and_a_type_error_come_back_in_the_same_shape(roles, goods):
    client = api(roles, "shopper")
    body = order_body({goods.grapes: 1})
    body["contact"]["phone"] = "12345"  # checked by order_place
    body["delivery"]["address"]["city"] = "C" * 51  # checked by the serializer

    by_service = client.post(
        ORDERS, body | {"delivery": order_body({})["delivery"]}, format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    ).json()
    by_serializer = client.post(
        ORDERS, body | {"contact": order_body({})["contact"]}, format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    ).json()

    assert by_service == {"contact": {"phone": [by_service["contact"]["phone"][0]]}}
    assert "mobile number" in by_service["contact"]["phone"][0]
    assert by_serializer == {"delivery": {"address": {"city": ["Ensure this field has no more than 50 characters."]}}}


def test_a_line_with_a_wrong_type_is_named_by_its_position(roles, goods):
    body = order_body({goods.grapes: 1, goods.raisins: 1})
    body["lines"][1]["quantity"] = "abc"

    response = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.json() == {"lines": ["Line 2, quantity: A valid integer is required."]}


def test_a_bound_s_message_is_in_each_request_s_language_not_the_first_one_s(roles, goods):
    """Fields are built once per serializer class: a message formatted for one request must not answer the next."""
    body = order_body({goods.grapes: 1000})
    client = roles.client("shopper")

    chinese = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key(), HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.json() == {"lines": ["第 1 项商品，quantity：数量必须是 1 到 999 之间的整数。"]}
    assert english.json() == {"lines": ["Line 1, quantity: Quantity must be a whole number from 1 to 999."]}


def test_quantities_out_of_range_are_explained(roles, goods):
    body = order_body({goods.grapes: 1000})

    response = api(roles, "shopper").post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.json() == {"lines": ["Line 1, quantity: Quantity must be a whole number from 1 to 999."]}


def test_an_idempotency_key_longer_than_100_characters_is_refused(roles, goods):
    before = snapshot()

    response = api(roles, "shopper").post(
        ORDERS, order_body({goods.grapes: 1}), format="json", HTTP_IDEMPOTENCY_KEY="k" * 101
    )

    assert response.status_code == 400
    assert list(response.json()) == ["idempotency_key"]
    assert snapshot() == before


@pytest.mark.parametrize("key", [None, "", "   "])
def test_an_order_without_an_idempotency_key_is_refused_with_how_to_send_one(roles, goods, key):
    """A client that could not retry safely is told to send a key; nothing is placed."""
    before = snapshot()
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}

    response = api(roles, "shopper").post(ORDERS, order_body({goods.grapes: 1}), format="json", **headers)

    assert response.status_code == 400
    message = response.json()["idempotency_key"][0]
    assert "Idempotency-Key" in message and "same key" in message
    assert snapshot() == before


def test_the_schema_says_the_idempotency_key_is_required(client):
    operation = client.get("/api/schema/?format=json").json()["paths"]["/api/v1/orders/"]["post"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["required"] is True
    assert (header["schema"]["minLength"], header["schema"]["maxLength"]) == (1, 100)


def test_a_body_that_is_not_json_answers_400_parse_error(roles, goods):
    before = snapshot()

    response = api(roles, "shopper").post(ORDERS, '{"lines": [', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert snapshot() == before


def test_a_body_that_is_not_an_object_answers_400(roles, goods):
    response = api(roles, "shopper").post(
        ORDERS, json.dumps([1, 2]), content_type="application/json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_a_body_that_is_not_json_by_its_content_type_answers_415_and_changes_nothing(roles, goods, content_type):
    before = snapshot()

    response = api(roles, "shopper").post(
        ORDERS, json.dumps(order_body({goods.grapes: 1})), content_type=content_type, HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert snapshot() == before


def test_error_messages_follow_accept_language(roles, goods):
    body = order_body({goods.grapes: 1})
    body["contact"]["phone"] = "12345"

    response = roles.client("shopper").post(
        ORDERS, body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert "手机" in response.json()["contact"]["phone"][0]


# Listing my orders


def test_anonymous_cannot_list_orders(roles):
    response = api(roles, "anonymous").get(ORDERS)

    assert response.status_code == 401


@pytest.mark.parametrize("role", SIGNED_IN)
def test_each_user_lists_only_their_own_orders(roles, goods, role):
    mine = {place(getattr(roles, role), {goods.raisins: 1}).number for _ in range(2)}
    for other in SIGNED_IN:
        if other != role:
            place(getattr(roles, other), {goods.raisins: 1})
    place(None, {goods.raisins: 1})  # a guest's

    response = api(roles, role).get(ORDERS)

    assert response.status_code == 200
    assert {order["number"] for order in response.json()["results"]} == mine


def test_orders_are_listed_newest_first_page_by_page_without_repeats(roles, goods):
    placed = [place(roles.shopper, {goods.raisins: 1}).number for _ in range(5)]
    client = api(roles, "shopper")

    first = client.get(ORDERS, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    numbers = [o["number"] for page in (first, second, third) for o in page["results"]]
    assert numbers == placed[::-1]
    assert third["next"] is None
    assert first["previous"] is None
    assert [o["number"] for o in client.get(second["previous"]).json()["results"]] == numbers[:2]


def test_orders_are_filtered_by_status(roles, goods):
    kept = place(roles.shopper, {goods.raisins: 1})
    cancelled = place(roles.shopper, {goods.raisins: 1})
    order_cancel(order=cancelled, actor=roles.shopper)

    response = api(roles, "shopper").get(ORDERS, {"status": "cancelled"})

    assert [o["number"] for o in response.json()["results"]] == [cancelled.number]
    assert kept.number not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"cursor": "forged"}, "cursor"), ({"page_size": "0"}, "page_size")],
)
def test_a_bad_query_parameter_answers_400_naming_it(roles, params, field):
    response = api(roles, "shopper").get(ORDERS, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(("orders", "lines"), [(3, 1), (20, 4)])
def test_the_order_list_runs_the_same_queries_whatever_the_number_of_orders_and_lines(
    roles, goods, django_assert_num_queries, orders, lines
):
    variants = [goods.grapes, goods.raisins, goods.melon, goods.raisins][:lines]
    Variant.objects.update(stock=500)
    for _ in range(orders):
        place(roles.shopper, dict.fromkeys(variants, 1))
    client = api(roles, "shopper")

    # The page, its lines, its payments, its parcels with their producers.
    with django_assert_num_queries(4 + COUNTED):
        response = client.get(ORDERS, {"page_size": orders})

    assert len(response.json()["results"]) == orders


# One order


@pytest.mark.parametrize("role", ROLES)
def test_only_the_orders_shopper_reads_it_others_get_404_like_an_unknown_number(roles, goods, role):
    order = place(roles.shopper, {goods.grapes: 1})
    client = api(roles, role)

    response = client.get(detail_url(order.number))
    unknown = client.get(detail_url("OM0000000000ZZ"))

    expected = {"anonymous": 401, "shopper": 200}.get(role, 404)
    assert response.status_code == expected
    if expected == 404:
        assert unknown.status_code == 404
        assert response.json() == unknown.json() == {"detail": "Not found.", "code": "not_found"}


def test_a_guests_order_is_not_found_through_the_api(roles, goods):
    order = place(None, {goods.grapes: 1})

    response = api(roles, "shopper").get(detail_url(order.number))

    assert response.status_code == 404


def test_the_timeline_names_roles_never_people(roles, goods):
    order = place(roles.shopper, {goods.grapes: 1, goods.melon: 1})
    parcel = order.fulfilments.get(producer=roles.producer)
    fulfilment_transition(fulfilment=parcel, to="packed", actor=roles.member)
    OrderEvent.objects.create(
        order=order, actor=roles.staff, from_status="confirmed", to_status="confirmed", note="Called the shopper."
    )

    response = api(roles, "shopper").get(detail_url(order.number))

    events = response.json()["events"]
    assert [(e["from_status"], e["to_status"], e["actor"], e["parcel"]) for e in events] == [
        (None, "confirmed", "shopper", None),
        ("new", "packed", "producer", parcel.pk),
        ("confirmed", "confirmed", "marketplace", None),
    ]
    assert events[1]["to_status_label"] == "Packed"
    text = response.content.decode()
    for user in (roles.member, roles.staff):
        assert user.username not in text and user.email not in text


# Cancelling


def test_the_shopper_cancels_an_order_and_its_stock_comes_back(roles, goods):
    order = place(roles.shopper, {goods.grapes: 4})

    response = api(roles, "shopper").post(f"{detail_url(order.number)}cancel/")

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "cancelled"
    assert [f["status"] for f in data["fulfilments"]] == ["cancelled"]
    assert data["events"][-1]["actor"] == "shopper"
    assert stock(goods.grapes) == 10


@pytest.mark.parametrize("role", [r for r in ROLES if r != "shopper"])
def test_nobody_else_cancels_a_shoppers_order_and_nothing_changes(roles, goods, role):
    order = place(roles.shopper, {goods.grapes: 4})
    before = snapshot()

    response = api(roles, role).post(f"{detail_url(order.number)}cancel/")

    assert response.status_code == (401 if role == "anonymous" else 404)
    assert snapshot() == before


def test_an_order_with_a_shipped_parcel_cannot_be_cancelled(roles, goods):
    order = place(roles.shopper, {goods.grapes: 1})
    parcel = order.fulfilments.get()
    fulfilment_transition(fulfilment=parcel, to="packed", actor=roles.member)
    fulfilment_transition(fulfilment=parcel, to="shipped", actor=roles.member, tracking_number="SF1234567890")
    before = snapshot()

    response = api(roles, "shopper").post(f"{detail_url(order.number)}cancel/")

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "shipped" in response.json()["detail"]
    assert snapshot() == before


def test_cancelling_twice_answers_409_and_gives_stock_back_once(roles, goods):
    order = place(roles.shopper, {goods.grapes: 4})
    client = api(roles, "shopper")
    client.post(f"{detail_url(order.number)}cancel/")

    response = client.post(f"{detail_url(order.number)}cancel/")

    assert response.status_code == 409
    assert response.json() | {"detail": ""} == {
        "detail": "",
        "code": "illegal_transition",
        "current": "cancelled",
        "requested": "cancelled",
    }
    assert stock(goods.grapes) == 10
    assert Fulfilment.objects.get(order=order).status == "cancelled"


# Signed in by session cookie, as the storefront's own scripts would be


@pytest.fixture
def session_client(roles):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(roles.shopper)
    return client


def test_a_session_signed_in_post_without_the_csrf_token_answers_403_in_json_and_changes_nothing(
    roles, goods, session_client
):
    order = place(roles.shopper, {goods.grapes: 1})
    before = snapshot()

    response = session_client.post(f"{detail_url(order.number)}cancel/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("path", ["orders/not-a-number/cancel/", "orders/OM%00X/", "fulfilments/x/transition/"])
def test_a_malformed_path_answers_404_in_json_even_to_a_post_without_the_csrf_token(session_client, path):
    response = session_client.post(f"/api/v1/{path}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
