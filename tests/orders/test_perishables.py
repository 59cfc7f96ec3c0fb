"""Perishables: a fresh size's shelf life limits where it is delivered (the days its county's couriers take to a
province, kept by staff), and a perishable parcel must leave by its ship-by day: later it is refused, staff see it
and the shopper is offered a refund."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from orders import selectors, services
from orders.errors import InvalidOrder
from orders.models import Fulfilment, Order
from producers.models import CourierReach
from tests.api import snapshot
from tests.orders.conftest import place, ship
from tests.orders.test_cart_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
TODAY = timezone.localdate()


def reach(variant, province: str, days: int) -> CourierReach:
    return CourierReach.objects.create(county=variant.product.producer.village.county, province=province, days=days)


def keeps(variant, days: int | None) -> None:
    catalog_services.variant_update(variant=variant, shelf_life_days=days, actor=None)


def test_fresh_grapes_are_delivered_where_the_courier_arrives_within_their_shelf_life(shop):
    keeps(shop.grapes, 3)
    reach(shop.grapes, "浙江", 3)

    order = place(shop, {shop.grapes: 1}, delivery=ship())

    assert order.fulfilments.get().ship_by == TODAY + timedelta(days=2)


@pytest.mark.parametrize("rows", [[("浙江", 4)], [("北京", 2)], []], ids=["too slow", "another province", "no row"])
def test_fresh_grapes_are_refused_where_the_courier_takes_longer_than_they_keep_and_nothing_changes(shop, rows):
    keeps(shop.grapes, 3)
    for province, days in rows:
        reach(shop.grapes, province, days)
    before = snapshot()

    with pytest.raises(InvalidOrder) as refused:
        place(shop, {shop.grapes: 1, shop.raisins: 1}, delivery=ship())

    assert refused.value.errors == {
        "delivery.address.province": [
            "Seedless grapes · 2.5 kg box keeps 3 days, and its courier cannot bring it to 浙江省 in that time: "
            "pick it up at a depot, or leave it out."
        ]
    }
    assert snapshot() == before


def test_without_a_shelf_life_or_when_picked_up_fresh_produce_is_not_limited(shop):
    keeps(shop.melon, None)
    keeps(shop.grapes, 3)

    shipped = place(shop, {shop.melon: 1}, delivery=ship())
    picked_up = place(shop, {shop.grapes: 1})

    assert shipped.status == picked_up.status == Order.Status.CONFIRMED


def test_only_a_parcel_with_perishable_produce_gets_a_ship_by_day(shop):
    order = place(shop, {shop.grapes: 1, shop.raisins: 1, shop.melon: 1}, delivery=ship())
    order_of_raisins = place(shop, {shop.raisins: 1}, delivery=ship())

    assert {parcel.ship_by for parcel in order.fulfilments.all()} == {TODAY + timedelta(days=2)}
    assert order_of_raisins.fulfilments.get().ship_by is None


def test_the_checkout_page_says_why_fresh_produce_cannot_go_to_that_province(client, shop):
    keeps(shop.grapes, 2)
    reach(shop.grapes, "浙江", 3)
    add(client, shop.grapes, 1)
    form = checkout_data(
        client, shop, delivery_method="ship", province="浙江省", city="杭州市", district="西湖区", street="文三路 1 号"
    )

    response = client.post(reverse("checkout"), form, headers=EN)

    assert response.status_code == 200
    assert "keeps 2 days, and its courier cannot bring it to 浙江省 in that time" in response.content.decode()
    assert not Order.objects.exists()


@pytest.fixture
def late(shop):
    """A parcel of fresh grapes that had to leave yesterday."""
    order = place(shop, {shop.grapes: 1}, delivery=ship())
    parcel = order.fulfilments.get()
    Fulfilment.objects.filter(pk=parcel.pk).update(ship_by=TODAY - timedelta(days=1))
    return Fulfilment.objects.get(pk=parcel.pk)


def test_a_parcel_past_its_ship_by_day_is_refused_with_a_clear_error_and_nothing_changes(late):
    services.fulfilment_transition(fulfilment=late, to=Fulfilment.Status.PACKED, actor=None)
    before = snapshot()

    with pytest.raises(InvalidOrder) as refused:
        services.fulfilment_transition(fulfilment=late, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number="SF1")

    day = f"{TODAY - timedelta(days=1):%Y-%m-%d}"
    assert refused.value.errors == {
        "ship_by": [
            f"This parcel of perishable produce had to leave by {day}, and cannot be sent later. "
            "Staff will offer the shopper a refund."
        ]
    }
    assert snapshot() == before


def test_a_parcel_on_its_ship_by_day_still_ships(shop):
    order = place(shop, {shop.grapes: 1}, delivery=ship())
    parcel = order.fulfilments.get()
    Fulfilment.objects.filter(pk=parcel.pk).update(ship_by=TODAY)
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)

    shipped = services.fulfilment_transition(
        fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number="SF1"
    )

    assert shipped.status == Fulfilment.Status.SHIPPED


def test_staff_find_the_orders_that_missed_their_ship_by_day(admin_client, late, shop):
    on_time = place(shop, {shop.grapes: 1}, delivery=ship())

    listed = admin_client.get(reverse("admin:orders_order_changelist"), {"missed_ship_by": "1"}).context["cl"]

    assert [order.pk for order in listed.result_list] == [late.order_id]
    assert on_time.pk not in set(selectors.missed_ship_by().values_list("order_id", flat=True))


def test_the_shopper_is_told_and_offered_a_full_refund(client, late):
    """A guest's order, opened from its secret link."""
    order = late.order
    url = f"{reverse('order-detail', args=[order.number])}?token={order.guest_token}"

    html = client.get(url, headers=EN).content.decode()

    day = f"{TODAY - timedelta(days=1):%Y-%m-%d}"
    assert "had to leave by" in html and day in html and "so it will not be sent" in html
    assert "Cancel the order for a full refund" in html


@pytest.mark.parametrize(("days", "ok"), [(1, True), (60, True), (0, False), (61, False), (None, True)])
def test_a_shelf_life_is_one_to_sixty_days(shop, days, ok):
    if ok:
        keeps(shop.grapes, days)
        shop.grapes.refresh_from_db()
        assert shop.grapes.shelf_life_days == days
        return
    before = snapshot()
    with pytest.raises(Exception) as refused:
        keeps(shop.grapes, days)
    assert "A shelf life is 1 to 60 days." in str(refused.value)
    assert snapshot() == before


def test_a_producer_gives_a_new_size_its_shelf_life_in_the_back_office(client, shop):
    member = shop.grapes.product.producer.memberships.get()
    client.force_login(member.user)
    product = shop.grapes.product
    url = reverse("dashboard-product-variant-add", kwargs={"producer": product.producer.slug, "slug": product.slug})
    editor = reverse("dashboard-product-edit", kwargs={"producer": product.producer.slug, "slug": product.slug})
    assert 'name="new-shelf_life_days"' in client.get(editor, headers=EN).content.decode()

    response = client.post(
        url,
        {"new-name_en": "5 kg box", "new-price": "99.00", "new-stock": "10", "new-shelf_life_days": "4"},
        headers=EN,
    )

    assert response.status_code == 302, response.content.decode()[:500]
    assert product.variants.get(name_en="5 kg box").shelf_life_days == 4
    assert Decimal("99.00") == product.variants.get(name_en="5 kg box").price
