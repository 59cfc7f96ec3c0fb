"""The waitlist of a sold-out size: shoppers join it; when stock returns (a restock, an order cancelled or expired)
the units are held for them in the order they joined and each is told at once; a hold is theirs alone until it
lapses, then passes to the next in line."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from catalog import tasks
from catalog.models import Variant, WaitlistEntry
from catalog.stock import InsufficientStock
from notifications.models import Notice
from orders import services
from orders.models import Order
from tests.api import snapshot
from tests.factories import UserFactory
from tests.orders.conftest import place
from tests.orders.test_cart_checkout import EN

pytestmark = pytest.mark.django_db

HELD = WaitlistEntry.Status.HELD


def sold_out(variant: Variant) -> Variant:
    Variant.objects.filter(pk=variant.pk).update(stock=0)
    return variant


def stock(variant: Variant) -> int:
    return Variant.objects.get(pk=variant.pk).stock


def statuses(entries: list[WaitlistEntry]) -> list[str]:
    return [WaitlistEntry.objects.get(pk=entry.pk).status for entry in entries]


def held_notices(user) -> list[str]:
    return list(Notice.objects.filter(user=user, code="catalog.waitlist_held").values_list("code", flat=True))


def test_a_restock_holds_units_for_the_waiting_shoppers_in_the_order_they_joined_and_tells_them(shop):
    sold_out(shop.grapes)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    entries = [
        catalog_services.waitlist_join(variant=shop.grapes, shopper=first, quantity=1),
        catalog_services.waitlist_join(variant=shop.grapes, shopper=second, quantity=3),
        catalog_services.waitlist_join(variant=shop.grapes, shopper=third, quantity=1),
    ]

    catalog_services.variant_restock(variant=shop.grapes, quantity=2, actor=None)

    # The second shopper's three units do not fit: they keep their place, and the third is served.
    assert statuses(entries) == [HELD, WaitlistEntry.Status.WAITING, HELD]
    assert stock(shop.grapes) == 0
    assert [len(held_notices(user)) for user in (first, second, third)] == [1, 0, 1]
    told = Notice.objects.filter(code="catalog.waitlist_held").order_by("pk").values_list("user_id", flat=True)
    assert list(told) == [first.pk, third.pk]
    notice = Notice.objects.get(user=first)
    assert notice.params["n"] == 1 and notice.link == reverse("waitlist")
    assert notice.params["name"]["en"] == "Seedless grapes · 2.5 kg box"

    # The next units go to the second shopper first.
    catalog_services.variant_restock(variant=shop.grapes, quantity=4, actor=None)
    assert statuses(entries)[1] == HELD
    assert stock(shop.grapes) == 1


def test_a_hold_lapses_after_its_time_and_passes_to_the_next_shopper(shop, settings):
    settings.WAITLIST_HOLD_MINUTES = 30
    sold_out(shop.grapes)
    first, second = UserFactory(), UserFactory()
    entries = [
        catalog_services.waitlist_join(variant=shop.grapes, shopper=user, quantity=2) for user in (first, second)
    ]
    catalog_services.variant_restock(variant=shop.grapes, quantity=2, actor=None)
    assert statuses(entries) == [HELD, WaitlistEntry.Status.WAITING]

    assert catalog_services.waitlist_holds_lapse(now=timezone.now() + timedelta(minutes=29)) == 0
    assert statuses(entries) == [HELD, WaitlistEntry.Status.WAITING]

    assert catalog_services.waitlist_holds_lapse(now=timezone.now() + timedelta(minutes=31)) == 1

    assert statuses(entries) == [WaitlistEntry.Status.LAPSED, HELD]
    assert stock(shop.grapes) == 0
    assert len(held_notices(second)) == 1
    # Nobody left waiting: the next lapse puts the units back on sale.
    catalog_services.waitlist_holds_lapse(now=timezone.now() + timedelta(minutes=70))
    assert stock(shop.grapes) == 2


def test_held_units_are_the_shoppers_own_to_order_and_nobody_elses(shop):
    sold_out(shop.grapes)
    waiting = UserFactory()
    entry = catalog_services.waitlist_join(variant=shop.grapes, shopper=waiting, quantity=2)
    catalog_services.variant_restock(variant=shop.grapes, quantity=3, actor=None)
    assert stock(shop.grapes) == 1

    with pytest.raises(InsufficientStock):
        place(shop, {shop.grapes: 2}, shopper=UserFactory())
    order = place(shop, {shop.grapes: 3}, shopper=waiting)

    assert order.status == Order.Status.CONFIRMED
    assert statuses([entry]) == [WaitlistEntry.Status.ORDERED]
    assert stock(shop.grapes) == 0


def test_a_cancelled_order_gives_its_units_to_the_waitlist_at_once(shop):
    order = place(shop, {shop.grapes: 10})
    assert stock(shop.grapes) == 0
    waiting = UserFactory()
    entry = catalog_services.waitlist_join(variant=shop.grapes, shopper=waiting, quantity=4)

    services.order_cancel(order=order, actor=None)

    assert statuses([entry]) == [HELD]
    assert stock(shop.grapes) == 6
    assert len(held_notices(waiting)) == 1


def test_leaving_with_a_hold_passes_it_on(shop):
    sold_out(shop.grapes)
    first, second = UserFactory(), UserFactory()
    entries = [catalog_services.waitlist_join(variant=shop.grapes, shopper=user) for user in (first, second)]
    catalog_services.variant_restock(variant=shop.grapes, quantity=1, actor=None)

    catalog_services.waitlist_leave(entry=entries[0], shopper=first)

    assert statuses(entries) == [WaitlistEntry.Status.LEFT, HELD]
    with pytest.raises(ValidationError):
        catalog_services.waitlist_leave(entry=entries[0], shopper=first)


@pytest.mark.parametrize(
    ("quantity", "field", "message"),
    [
        (0, "quantity", "Wait for 1 to 5 units."),
        (6, "quantity", "Wait for 1 to 5 units."),
        ("2", "quantity", "Wait for 1 to 5 units."),
        (True, "quantity", "Wait for 1 to 5 units."),
    ],
)
def test_a_bad_quantity_is_refused_and_nothing_changes(shop, quantity, field, message):
    sold_out(shop.grapes)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        catalog_services.waitlist_join(variant=shop.grapes, shopper=UserFactory(), quantity=quantity)

    assert refused.value.message_dict == {field: [message]}
    assert snapshot() == before


def test_a_size_in_stock_or_waited_for_already_is_refused(shop):
    shopper = UserFactory()
    with pytest.raises(ValidationError) as in_stock:
        catalog_services.waitlist_join(variant=shop.grapes, shopper=shopper)
    assert in_stock.value.message_dict == {"variant": ["This size is in stock: add it to your cart."]}
    sold_out(shop.grapes)
    catalog_services.waitlist_join(variant=shop.grapes, shopper=shopper)
    with pytest.raises(ValidationError) as twice:
        catalog_services.waitlist_join(variant=shop.grapes, shopper=shopper)
    assert twice.value.message_dict == {"variant": ["You are already on the waitlist for this size."]}
    assert WaitlistEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hold_used_at_the_moment_it_lapses_is_never_both_ordered_and_passed_on(shop):
    """The waiting shopper places the order just as the every-minute job lapses the hold: either the order takes
    the held units, or the next shopper holds them; the units are never counted twice."""
    sold_out(shop.grapes)
    first, second = UserFactory(), UserFactory()
    entries = [
        catalog_services.waitlist_join(variant=shop.grapes, shopper=user, quantity=2) for user in (first, second)
    ]
    catalog_services.variant_restock(variant=shop.grapes, quantity=2, actor=None)
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def order():
        try:
            start.wait()
            place(shop, {shop.grapes: 2}, shopper=first)
        except InsufficientStock:
            pass  # the hold had lapsed and passed on
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def lapse():
        try:
            start.wait()
            catalog_services.waitlist_holds_lapse(now=timezone.now() + timedelta(hours=1))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=order), threading.Thread(target=lapse)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ordered = Order.objects.filter(shopper=first).exists()
    assert statuses(entries) == (
        [WaitlistEntry.Status.ORDERED, WaitlistEntry.Status.WAITING] if ordered else [WaitlistEntry.Status.LAPSED, HELD]
    )
    assert stock(shop.grapes) == 0


def test_the_shopper_joins_from_the_product_page_sees_their_place_and_orders_what_is_held(shop, client):
    sold_out(shop.grapes)
    product_url = shop.grapes.product.get_absolute_url()
    ahead = UserFactory()
    catalog_services.waitlist_join(variant=shop.grapes, shopper=ahead)
    page = client.get(product_url, headers=EN).content.decode()
    assert 'action="/waitlist/join/"' in page and f'<option value="{shop.grapes.pk}">' in page

    # A guest is asked to sign in first, and nothing is written.
    guest = client.post(reverse("waitlist-join"), {"variant": shop.grapes.pk, "quantity": "1", "next": product_url})
    assert guest.status_code == 302 and "/accounts/login/" in guest["Location"]
    assert WaitlistEntry.objects.count() == 1

    shopper = UserFactory()
    client.force_login(shopper)
    refused = client.post(reverse("waitlist-join"), {"variant": shop.grapes.pk, "quantity": "9"}, headers=EN)
    assert refused.status_code == 302 and WaitlistEntry.objects.count() == 1
    joined = client.post(
        reverse("waitlist-join"), {"variant": shop.grapes.pk, "quantity": "2"}, headers=EN, follow=True
    ).content.decode()
    assert "You are on the waitlist for Seedless grapes · 2.5 kg box" in joined
    assert "Waiting: 1 shopper is ahead of you." in joined

    catalog_services.variant_restock(variant=shop.grapes, quantity=3, actor=None)
    page = client.get(reverse("waitlist"), headers=EN).content.decode()
    assert "2 units are held for you until" in page
    added = client.post(reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": "2"}, headers=EN, follow=True)
    assert "Added to your cart" in added.content.decode()
    assert "Held for you from the waitlist" in client.get(reverse("cart"), headers=EN).content.decode()

    entry = WaitlistEntry.objects.get(shopper=shopper)
    client.post(reverse("waitlist-leave", kwargs={"pk": entry.pk}), headers=EN)
    assert statuses([entry]) == [WaitlistEntry.Status.LEFT]
    assert stock(shop.grapes) == 2  # the first shopper holds 1; the 2 left went back on sale


def test_another_shoppers_entry_cannot_be_left(shop, client):
    sold_out(shop.grapes)
    entry = catalog_services.waitlist_join(variant=shop.grapes, shopper=UserFactory())
    client.force_login(UserFactory())

    assert client.post(reverse("waitlist-leave", kwargs={"pk": entry.pk})).status_code == 404
    assert statuses([entry]) == [WaitlistEntry.Status.WAITING]


def test_the_producer_sees_the_units_held_for_the_waitlist_beside_the_stock(shop, client):
    sold_out(shop.grapes)
    catalog_services.waitlist_join(variant=shop.grapes, shopper=UserFactory(), quantity=2)
    catalog_services.variant_restock(variant=shop.grapes, quantity=2, actor=None)
    client.force_login(shop.grapes.product.producer.members.get())

    page = client.get(
        reverse("dashboard-overview", kwargs={"producer": shop.grapes.product.producer.slug}), headers=EN
    ).content.decode()

    assert "2 more units are held for shoppers on the waitlist: they are not in the stock above." in page


def test_the_every_minute_job_lapses_holds_past_their_time_and_offers_stock_the_admin_put_back(shop):
    sold_out(shop.grapes)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    entries = [catalog_services.waitlist_join(variant=shop.grapes, shopper=user) for user in (first, second, third)]
    catalog_services.variant_restock(variant=shop.grapes, quantity=1, actor=None)
    WaitlistEntry.objects.filter(pk=entries[0].pk).update(held_until=timezone.now() - timedelta(seconds=1))
    # Stock written straight to the row, as a bulk import or the database console would: nothing offered it.
    Variant.objects.filter(pk=shop.grapes.pk).update(stock=1)

    assert tasks.waitlist_holds_lapse() == 1

    assert statuses(entries) == [WaitlistEntry.Status.LAPSED, HELD, HELD]
    assert stock(shop.grapes) == 0
