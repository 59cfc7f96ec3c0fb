"""A depot sells for households without phones: it adds a household, takes orders for shoppers at its counter
or by phone, and hands pickup parcels over only against the shopper's pickup code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Variant
from catalog.stock import InsufficientStock
from notifications import sms
from orders.errors import InvalidOrder, OrderError
from orders.models import Fulfilment, Order, OrderEvent
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    order_place_at_depot,
    parcel_hand_over,
    parcel_receive_at_depot,
)
from producers.models import Producer, ProducerActivity
from producers.selectors import dashboard_producers
from producers.services import household_add
from tests.api import snapshot
from tests.orders import test_depot
from tests.orders.test_depot import Village, fresh, place, signed_in
from tests.photo_files import jpeg

pytestmark = pytest.mark.django_db

SHOPPER_PHONE = "13800138000"
village = test_depot.village  # the depot's village, its people and products: the same fixture


# --- Adding a household ----------------------------------------------------------------------------------


def test_a_manager_adds_a_household_that_sells_through_the_depot_at_once(village):
    """Verified on the manager's word, with the manager named as who verified it, and their back office opens."""
    household = household_add(
        depot=village.depot,
        actor=village.manager,
        names={"zh": "阿依古丽家", "ug": "", "en": "Aygul's household"},
        language="zh",
        phone="139 0000 0077",
    )

    household.refresh_from_db()
    assert household.sells_through_depot and household.is_verified
    assert household.verified_by == village.manager and household.verified_at is not None
    assert (household.village, household.default_depot) == (village.depot.village, village.depot)
    assert (household.kind, household.original_language) == (Producer.Kind.HOUSEHOLD, "zh")
    assert (household.name_zh, household.name_en, household.phone) == ("阿依古丽家", "Aygul's household", "13900000077")
    assert household.is_low_income_household is False
    assert not household.memberships.exists()
    activity = household.activities.get()
    assert (activity.actor, activity.on_behalf, activity.action) == (
        village.manager,
        True,
        ProducerActivity.Action.PRODUCER_VERIFIED,
    )
    assert household in dashboard_producers(user=village.manager)


def test_a_household_photo_is_checked_and_re_encoded(village):
    household = household_add(
        depot=village.depot,
        actor=village.manager,
        names={"ug": "ئايگۈل"},
        language="ug",
        phone="13900000078",
        photo=jpeg(800, 600),
    )

    assert household.photo.name.startswith("producers/") and household.photo.name.endswith(".jpg")
    assert household.name_ug == "ئايگۈل" and household.name_zh == ""


@pytest.mark.parametrize("who", ["other_manager", "member", "shopper", "staff"])
def test_only_a_manager_of_the_depot_adds_households_to_it(village, who):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        household_add(
            depot=village.depot,
            actor=getattr(village, who),
            names={"zh": "阿依古丽家"},
            language="zh",
            phone="13900000077",
        )

    assert snapshot() == before


@pytest.mark.parametrize(
    ("names", "phone", "photo", "fields"),
    [
        ({"zh": "  ", "en": "Aygul"}, "13900000077", None, {"name_zh"}),
        ({"zh": "阿依古丽家"}, "12345", None, {"phone"}),
        ({"zh": "家" * 201}, "13900000077", None, {"name_zh"}),
        ({"zh": "阿依古丽家"}, "13900000077", b"not a photo", {"photo"}),
        ({}, "", None, {"name_zh", "phone"}),
    ],
    ids=["no name in the manager's language", "bad phone", "name too long", "not a photo", "nothing"],
)
def test_a_household_with_bad_details_is_refused_naming_each_field(village, names, phone, photo, fields):
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        household_add(depot=village.depot, actor=village.manager, names=names, language="zh", phone=phone, photo=photo)

    assert set(error.value.message_dict) == fields
    assert snapshot() == before


def test_a_household_already_selling_with_the_same_phone_is_not_added_twice(village):
    Producer.objects.filter(pk=village.assisted.pk).update(phone="13900000077")
    before = snapshot()

    with pytest.raises(ValidationError, match="already sells through the depot"):
        household_add(
            depot=village.depot, actor=village.manager, names={"en": "Grandpa"}, language="en", phone="13900000077"
        )

    assert snapshot() == before


def test_the_household_page_adds_it_and_leads_to_listing_its_first_product(client, village):
    url = reverse("depot-household-add", kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")

    page = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert page.index('name="name_en"') < page.index('name="name_zh"')  # the manager's language first
    assert "low_income" not in page and "sells_through_depot" not in page
    assert "Grape" in page or village.depot.village.name in page

    photo = SimpleUploadedFile("aygul.jpg", jpeg(640, 480), content_type="image/jpeg")
    response = client.post(
        url,
        {"name_en": "Aygul's household", "name_zh": "阿依古丽家", "phone": "13900000077", "photo": photo},
        headers={"Accept-Language": "en"},
    )

    household = Producer.objects.get(name_en="Aygul's household")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard-product-new", kwargs={"producer": household.slug})
    assert household.photo and household.verified_by == village.manager
    follow = client.get(response["Location"], headers={"Accept-Language": "en"})
    assert follow.status_code == 200
    assert "Aygul&#x27;s household now sells through Grape Valley depot." in follow.content.decode()
    depot_page = client.get(reverse("depot-detail", kwargs={"depot": village.depot.slug})).content.decode()
    assert reverse("dashboard-product-new", kwargs={"producer": household.slug}) in depot_page


def test_the_household_page_shows_what_is_wrong_and_adds_nothing(client, village):
    signed_in(client, village, "manager")
    before = snapshot()

    response = client.post(
        reverse("depot-household-add", kwargs={"depot": village.depot.slug}),
        {"name_en": "", "phone": "555"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the household&#x27;s name, as shoppers will see it." in html
    assert "error-summary" in html
    assert snapshot() == before


@pytest.mark.parametrize("role", ["other_manager", "member", "shopper", "staff", "anonymous"])
def test_nobody_else_adds_a_household_to_the_depot(client, village, role):
    before = snapshot()

    response = signed_in(client, village, role).post(
        reverse("depot-household-add", kwargs={"depot": village.depot.slug}),
        {"name_zh": "阿依古丽家", "phone": "13900000077"},
    )

    assert response.status_code == (302 if role == "anonymous" else 404)
    assert snapshot() == before


def test_the_admin_producer_form_has_sells_through_depot_and_the_low_income_flag(admin_client, village):
    page = admin_client.get(reverse("admin:producers_producer_change", args=[village.assisted.pk])).content.decode()

    assert 'name="sells_through_depot"' in page and 'name="is_low_income_household"' in page


# --- Taking an order at the counter ---------------------------------------------------------------------


def counter(v: Village, *lines: tuple[Variant, int], delivery: Delivery | None = None, phone=SHOPPER_PHONE, **kw):
    return order_place_at_depot(
        depot=v.depot,
        actor=kw.pop("actor", v.manager),
        contact=Contact(name="Mahire", phone=phone),
        lines=[LineRequest(variant_id=variant.pk, quantity=quantity) for variant, quantity in lines],
        delivery=delivery or Delivery(method="pickup", depot_slug=v.depot.slug),
        **kw,
    )


def test_a_counter_order_is_placed_for_the_shopper_on_behalf_of_the_depot_and_texted_to_them(
    village, django_capture_on_commit_callbacks
):
    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = counter(village, (village.raisins, 3), (village.melon, 1))

    order = Order.objects.get(pk=order.pk)
    assert (order.shopper, order.contact_name, order.contact_phone) == (None, "Mahire", SHOPPER_PHONE)
    assert (order.payment_method, order.status) == ("cod", Order.Status.CONFIRMED)
    assert (order.delivery_method, order.pickup_depot) == ("pickup", village.depot)
    assert order.total == Decimal("160.00")
    assert Variant.objects.get(pk=village.raisins.pk).stock == 497
    placed = order.events.get()
    assert (placed.actor, placed.depot, placed.to_status) == (village.manager, village.depot, "confirmed")
    assert [phone for phone, _text in sms.sent] == [SHOPPER_PHONE]
    text = sms.sent[0][1]
    assert order.number in text and order.pickup_code in text and order.guest_token in text


def test_a_counter_order_may_be_shipped_to_an_address_and_its_text_has_no_pickup_code(
    village, django_capture_on_commit_callbacks
):
    sms.sent.clear()
    address = Address(recipient="Li Wei", phone="13900001111", province="浙江省", city="杭州市", street="文三路 1 号")
    with django_capture_on_commit_callbacks(execute=True):
        order = counter(village, (village.grapes, 2), delivery=Delivery(method="ship", address=address))

    assert (order.delivery_method, order.ship_city, order.payment_method) == ("ship", "杭州市", "cod")
    assert order.pickup_code not in sms.sent[-1][1] and order.number in sms.sent[-1][1]


@pytest.mark.parametrize(
    ("lines", "phone", "error", "match"),
    [
        ([], SHOPPER_PHONE, InvalidOrder, "The basket is empty"),
        ([(999_999, 1)], SHOPPER_PHONE, InvalidOrder, "Unknown item"),
        ([("raisins", 501)], SHOPPER_PHONE, InsufficientStock, "only 500 of Green raisins"),
        ([("raisins", 1)], "110", InvalidOrder, "Enter a mainland China mobile number"),
    ],
    ids=["no lines", "unknown product", "over stock", "bad phone"],
)
def test_a_bad_counter_order_is_refused_and_changes_nothing(
    village, django_capture_on_commit_callbacks, lines, phone, error, match
):
    sms.sent.clear()
    requested = [
        LineRequest(variant_id=getattr(village, v).pk if isinstance(v, str) else v, quantity=n) for v, n in lines
    ]
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(error, match=match):
        order_place_at_depot(
            depot=village.depot,
            actor=village.manager,
            contact=Contact(name="Mahire", phone=phone),
            lines=requested,
            delivery=Delivery(method="pickup", depot_slug=village.depot.slug),
        )

    assert snapshot() == before
    assert sms.sent == []


@pytest.mark.parametrize("who", ["other_manager", "member", "shopper"])
def test_only_a_manager_of_the_depot_takes_orders_for_it(village, who):
    before = snapshot()

    with pytest.raises(OrderError, match="Only a manager of this depot"):
        counter(village, (village.raisins, 1), actor=getattr(village, who))

    assert snapshot() == before


def counter_form(v: Village, **fields) -> dict:
    return {
        "action": "place",
        "idempotency_key": "counter-1",
        f"qty-{v.raisins.pk}": "2",
        "name": "Mahire",
        "phone": SHOPPER_PHONE,
        "delivery_method": "pickup",
        **fields,
    }


def test_the_counter_page_finds_products_keeps_what_was_entered_and_places_the_order(
    client, village, django_capture_on_commit_callbacks
):
    url = reverse("depot-order-new", kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")
    assert client.get(url).status_code == 200

    found = client.post(
        url,
        {"action": "search", "q": "raisins", f"qty-{village.melon.pk}": "1", "name": "Mahire", "idempotency_key": "k"},
        headers={"Accept-Language": "en"},
    )

    html = found.content.decode()
    assert found.status_code == 200
    assert f'name="qty-{village.raisins.pk}"' in html and "Green raisins" in html
    assert f'name="qty-{village.melon.pk}" value="1"' in html  # chosen before the search, still there
    assert 'value="Mahire"' in html and "error-summary" not in html

    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(
            url, counter_form(village, **{f"qty-{village.melon.pk}": "1"}), headers={"Accept-Language": "en"}
        )

    assert placed.status_code == 302 and placed["Location"] == reverse(
        "depot-detail", kwargs={"depot": village.depot.slug}
    )
    order = Order.objects.get(contact_name="Mahire")
    assert sorted(order.lines.values_list("variant_id", "quantity")) == sorted(
        [(village.raisins.pk, 2), (village.melon.pk, 1)]
    )
    assert order.events.get().actor == village.manager
    assert [phone for phone, _text in sms.sent] == [SHOPPER_PHONE]
    page = client.get(placed["Location"], headers={"Accept-Language": "en"}).content.decode()
    assert f"Order {order.number} placed for Mahire." in page
    assert order.number in page  # its parcels are to receive

    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, counter_form(village, **{f"qty-{village.melon.pk}": "1"}))
    assert again.status_code == 302 and Order.objects.filter(contact_name="Mahire").count() == 1  # a double submit
    assert sms.sent == []  # the shopper was told once


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"qty-%(raisins)s": ""}, "Choose at least one product and its quantity."),
        ({"qty-%(raisins)s": "501"}, "only 500 of Green raisins · 1 kg are left"),
        ({"qty-%(raisins)s": "-1"}, "Quantity must be a whole number from 1 to 999."),
        ({"phone": "110"}, "mobile"),
        ({"delivery_method": "ship"}, "Enter the province."),
    ],
    ids=["no lines", "over stock", "bad quantity", "bad phone", "no address"],
)
def test_the_counter_page_shows_what_is_wrong_and_places_nothing(client, village, fields, message):
    signed_in(client, village, "manager")
    data = counter_form(village)
    data.pop(f"qty-{village.raisins.pk}")
    data.update({key % {"raisins": village.raisins.pk}: value for key, value in fields.items()})
    data.setdefault(f"qty-{village.raisins.pk}", "2")
    before = snapshot()

    response = client.post(
        reverse("depot-order-new", kwargs={"depot": village.depot.slug}), data, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["other_manager", "member", "shopper", "staff", "anonymous"])
def test_nobody_else_takes_an_order_for_the_depot(client, village, role):
    before = snapshot()

    response = signed_in(client, village, role).post(
        reverse("depot-order-new", kwargs={"depot": village.depot.slug}), counter_form(village)
    )

    assert response.status_code == (302 if role == "anonymous" else 404)
    assert snapshot() == before


# --- Handing over against the pickup code ---------------------------------------------------------------


def received_pickup_parcel(v: Village) -> Fulfilment:
    parcel = place(v, v.grapes, pickup_at=v.depot).fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=v.depot, actor=v.manager)
    return fresh(parcel)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_a_pickup_parcel_is_handed_over_with_the_right_code(village):
    parcel = received_pickup_parcel(village)

    parcel_hand_over(
        fulfilment=parcel, depot=village.depot, actor=village.manager, pickup_code=parcel.order.pickup_code
    )

    assert fresh(parcel).status == Fulfilment.Status.DELIVERED
    assert Order.objects.get(pk=parcel.order_id).status == Order.Status.COMPLETED


@pytest.mark.parametrize("code", ["", "   ", "wrong"], ids=["missing", "blank", "wrong"])
def test_a_pickup_parcel_is_not_handed_over_without_the_right_code(village, code):
    parcel = received_pickup_parcel(village)
    before = snapshot()

    with pytest.raises(InvalidOrder) as error:
        parcel_hand_over(
            fulfilment=parcel,
            depot=village.depot,
            actor=village.manager,
            pickup_code=wrong(parcel.order.pickup_code) if code == "wrong" else code,
        )

    assert set(error.value.errors) == {"pickup_code"}
    assert snapshot() == before


def test_after_five_wrong_codes_even_the_right_one_waits_an_hour(village):
    parcel = received_pickup_parcel(village)
    for _attempt in range(5):
        with pytest.raises(InvalidOrder, match="not the pickup code"):
            parcel_hand_over(
                fulfilment=parcel,
                depot=village.depot,
                actor=village.manager,
                pickup_code=wrong(parcel.order.pickup_code),
            )
    before = snapshot()

    with pytest.raises(InvalidOrder, match="Too many wrong pickup codes"):
        parcel_hand_over(
            fulfilment=parcel, depot=village.depot, actor=village.manager, pickup_code=parcel.order.pickup_code
        )

    assert snapshot() == before


def test_right_codes_do_not_use_up_the_tries_of_other_parcels_of_the_order(village):
    order = place(village, village.grapes, village.raisins, pickup_at=village.depot)
    parcels = list(order.fulfilments.all())
    for parcel in parcels:
        parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)
    for _attempt in range(4):
        with pytest.raises(InvalidOrder):
            parcel_hand_over(fulfilment=parcels[0], depot=village.depot, actor=village.manager, pickup_code="x")

    for parcel in parcels:
        parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager, pickup_code=order.pickup_code)

    assert Order.objects.get(pk=order.pk).status == Order.Status.COMPLETED


def test_a_parcel_for_a_carrier_needs_no_pickup_code(village):
    parcel = place(village, village.grapes).fulfilments.get()
    parcel_receive_at_depot(fulfilment=parcel, depot=village.depot, actor=village.manager)

    parcel_hand_over(fulfilment=parcel, depot=village.depot, actor=village.manager, tracking_number="SF1", carrier="SF")

    assert fresh(parcel).status == Fulfilment.Status.SHIPPED


def test_the_hand_over_form_asks_for_the_code_and_a_wrong_one_changes_nothing(client, village):
    parcel = received_pickup_parcel(village)
    url = reverse("depot-parcel-hand-over", kwargs={"depot": village.depot.slug})
    signed_in(client, village, "manager")
    board = client.get(reverse("depot-detail", kwargs={"depot": village.depot.slug}), headers={"Accept-Language": "en"})
    assert 'name="pickup_code"' in board.content.decode()
    assert ">Hand over to the shopper</button>" in board.content.decode()
    before = snapshot()

    refused = client.post(
        url, {"parcel": parcel.pk, "pickup_code": wrong(parcel.order.pickup_code)}, headers={"Accept-Language": "en"}
    )
    missing = client.post(url, {"parcel": parcel.pk}, headers={"Accept-Language": "en"})

    assert refused.status_code == 400
    assert "This is not the pickup code of the order. Nothing was handed over." in refused.content.decode()
    assert missing.status_code == 400 and "Ask the shopper for the pickup code" in missing.content.decode()
    assert snapshot() == before
    assert not OrderEvent.objects.filter(fulfilment=parcel, to_status="delivered").exists()

    done = client.post(url, {"parcel": parcel.pk, "pickup_code": parcel.order.pickup_code})

    assert done.status_code == 302 and fresh(parcel).status == Fulfilment.Status.DELIVERED


def test_the_shopper_sees_the_pickup_code_on_their_order_page_isolated(client, village):
    pickup = place(village, village.grapes, pickup_at=village.depot)
    shipped = place(village, village.grapes)
    client.force_login(village.shopper)

    pickup_page = client.get(reverse("order-detail", kwargs={"number": pickup.number})).content.decode()
    shipped_page = client.get(reverse("order-detail", kwargs={"number": shipped.number})).content.decode()

    assert f'<bdi dir="ltr">{pickup.pickup_code}</bdi>' in pickup_page and "data-pickup-code" in pickup_page
    assert "data-pickup-code" not in shipped_page


def test_the_pick_list_keeps_order_numbers_on_one_line():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/depot.css").read_text()
    rule = css[css.index(".pick-number {") :]
    assert "white-space: nowrap" in rule[: rule.index("}")]
