"""Depot capacity: a depot hands over so many pickup orders a day; when a day is full, checkout offers the next and
says so, an order cancelled gives its place back, orders placed at once never overfill a day, and staff see the
load per depot per day."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.errors import InvalidOrder
from orders.models import Order
from producers.models import Depot, DepotDay
from producers.selectors import PICKUP_HORIZON_DAYS
from tests.api import snapshot
from tests.orders.conftest import place
from tests.orders.test_cart_checkout import EN, add

TOMORROW = timezone.localdate() + timedelta(days=1)


def capacity(depot: Depot, orders: int | None) -> None:
    Depot.objects.filter(pk=depot.pk).update(daily_capacity=orders)


@pytest.mark.django_db
def test_a_full_day_sends_the_next_pickup_order_to_the_day_after(shop):
    capacity(shop.depot, 2)

    days = [place(shop, {shop.raisins: 1}).pickup_on for _ in range(3)]

    assert days == [TOMORROW, TOMORROW, TOMORROW + timedelta(days=1)]
    assert list(DepotDay.objects.values_list("day", "orders")) == [(TOMORROW, 2), (TOMORROW + timedelta(days=1), 1)]


@pytest.mark.django_db
def test_a_depot_without_a_capacity_takes_every_order_from_tomorrow(shop):
    orders = [place(shop, {shop.raisins: 1}) for _ in range(3)]

    assert {order.pickup_on for order in orders} == {TOMORROW}
    assert not DepotDay.objects.exists()


@pytest.mark.django_db
def test_an_order_cancelled_gives_its_place_back(shop):
    capacity(shop.depot, 1)
    first = place(shop, {shop.raisins: 1})

    services.order_cancel(order=first, actor=None)
    again = place(shop, {shop.raisins: 1})

    assert again.pickup_on == TOMORROW
    assert DepotDay.objects.get().orders == 1


@pytest.mark.django_db
def test_a_depot_full_for_two_weeks_refuses_the_order_with_a_clear_error_and_nothing_changes(shop):
    capacity(shop.depot, 1)
    DepotDay.objects.bulk_create(
        DepotDay(depot=shop.depot, day=TOMORROW + timedelta(days=offset), orders=1)
        for offset in range(PICKUP_HORIZON_DAYS)
    )
    before = snapshot()

    with pytest.raises(InvalidOrder) as refused:
        place(shop, {shop.raisins: 1})

    message = refused.value.errors["delivery.depot"][0]
    assert "is fully booked for the next 14 days: choose another depot, or delivery." in message
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_orders_placed_at_once_never_overfill_a_day(shop):
    """Five shoppers press "Place order" at the same moment at a depot that hands over three a day."""
    capacity(shop.depot, 3)
    start = threading.Barrier(5)
    placed, errors = [], []

    def order():
        try:
            start.wait()
            placed.append(place(shop, {shop.raisins: 1}).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=order) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    days = sorted(Order.objects.filter(pk__in=placed).values_list("pickup_on", flat=True))
    assert days == [TOMORROW] * 3 + [TOMORROW + timedelta(days=1)] * 2
    assert list(DepotDay.objects.order_by("day").values_list("orders", flat=True)) == [3, 2]


@pytest.mark.django_db
def test_checkout_says_when_each_depot_can_hand_the_order_over(client, shop):
    capacity(shop.depot, 1)
    DepotDay.objects.create(depot=shop.depot, day=TOMORROW, orders=1)
    add(client, shop.raisins, 1)

    page = client.get(reverse("checkout"), headers=EN).content.decode()

    assert f"collect from {TOMORROW + timedelta(days=1):%m-%d}" in page


@pytest.mark.django_db
def test_the_order_page_says_from_which_day_to_collect(client, shop):
    order = place(shop, {shop.raisins: 1})

    html = client.get(f"{reverse('order-detail', args=[order.number])}?token={order.guest_token}", headers=EN)

    page = html.content.decode()
    assert "Collect at " in page and f"{TOMORROW:%Y-%m-%d}" in page


@pytest.mark.django_db
def test_staff_see_the_load_of_each_depot_each_day_and_the_full_days(admin_client, shop):
    capacity(shop.depot, 2)
    place(shop, {shop.raisins: 1})
    place(shop, {shop.raisins: 1})

    html = admin_client.get(reverse("admin:producers_depot_load"), headers=EN).content.decode()

    cell = f'<td data-day="{TOMORROW:%Y-%m-%d}" class="depot-load-full">2 (full)</td>'
    assert cell in html
    assert f'<td data-day="{TOMORROW + timedelta(days=1):%Y-%m-%d}">0</td>' in html
    assert (
        "Pickup orders by depot and day"
        in admin_client.get(reverse("admin:producers_depot_changelist"), headers=EN).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "lots"])
def test_staff_cannot_set_a_capacity_below_one_order(admin_client, shop, value):
    from tests.admin_forms import change_form_data

    url = reverse("admin:producers_depot_change", args=[shop.depot.pk])
    data = change_form_data(admin_client.get(url))
    data["daily_capacity"] = value
    before = snapshot()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "daily_capacity" in response.context["adminform"].form.errors
    assert snapshot() == before
