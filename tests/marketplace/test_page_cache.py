"""Shared pages from the cache: what every visitor gets is right for them, and every write path shows at once."""

from __future__ import annotations

import dataclasses
import re
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from catalog.models import Product
from live.attribution import COOKIE as ATTRIBUTION_COOKIE
from live.models import LiveSession
from live.services import session_end
from marketplace.page_cache import GENERATION_KEY, GENERATION_SECONDS, HEADER, forget_local
from marketplace.page_cache import _key as page_key
from orders.models import CartLine, Order
from orders.services import Contact, Delivery, LineRequest, order_cancel, order_place
from tests.admin_forms import change_form_data
from tests.api import make_roles
from tests.factories import (
    DepotFactory,
    FulfilmentFactory,
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    OrderLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def grapes():
    product = ProductFactory(slug="seedless-grapes", name_en="Seedless grapes", name_zh="无核白葡萄")
    VariantFactory(product=product, name_en="2.5 kg box", price=Decimal("59.00"), stock=40)
    return product


def page(path: str, client: Client | None = None, **headers):
    response = (client or Client()).get(path, **(headers or EN))
    assert response.status_code == 200, response.status_code
    return response


def text(response) -> str:
    return response.content.decode()


def buy(variant, quantity: int = 1) -> Order:
    depot = DepotFactory()
    return order_place(
        shopper=None,
        contact=Contact(name="Ayşe", phone="13800138000"),
        lines=[LineRequest(variant_id=variant.pk, quantity=quantity)],
        delivery=Delivery(method="pickup", depot_slug=depot.slug),
        payment_method="cod",
    )


# Served once, right for everyone


def test_an_anonymous_page_is_rendered_once_then_served_without_a_query(grapes, django_assert_num_queries):
    url = grapes.get_absolute_url()
    first = page(url)
    with django_assert_num_queries(0):
        second = page(url)

    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert TOKEN.sub("", text(first)) == TOKEN.sub("", text(second))
    assert "Seedless grapes" in text(second)


def test_each_language_has_its_own_copy(grapes):
    url = grapes.get_absolute_url()
    page(url), page(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    english, chinese = page(url), page(url, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english[HEADER] == chinese[HEADER] == "hit"
    assert "Seedless grapes" in text(english) and "无核白葡萄" not in text(english)
    assert "无核白葡萄" in text(chinese) and 'lang="zh-Hans"' in text(chinese)


def test_a_cached_page_carries_the_visitors_own_csrf_token_and_its_form_posts(grapes):
    url = grapes.get_absolute_url()
    first_visitor = Client(enforce_csrf_checks=True)
    page(url, first_visitor)
    visitor = Client(enforce_csrf_checks=True)
    cached = page(url, visitor)
    tokens = set(TOKEN.findall(text(cached)))

    response = visitor.post(
        reverse("cart-add"),
        {"csrfmiddlewaretoken": tokens.pop(), "variant": grapes.variants.get().pk, "quantity": 1, "next": url},
    )

    assert cached[HEADER] == "hit"
    assert not tokens  # one token for every form of the page
    assert response.status_code == 302
    assert CartLine.objects.filter(variant__product=grapes).count() == 1
    # The first visitor's token is not the second one's: a stale copy would fail this post.
    refused = Client(enforce_csrf_checks=True).post(
        reverse("cart-add"), {"csrfmiddlewaretoken": TOKEN.findall(text(cached))[0], "variant": 1, "quantity": 1}
    )
    assert refused.status_code == 403


def test_signed_in_visitors_get_their_own_header_and_never_leave_it_in_the_shared_copy(grapes):
    url = grapes.get_absolute_url()
    shopper = UserFactory(username="amina", is_staff=True)
    signed_in = Client()
    signed_in.force_login(shopper)

    theirs = page(url, signed_in)  # rendered first for them: the copy kept is the anonymous one
    anonymous = page(url)

    assert theirs[HEADER] == "miss" and anonymous[HEADER] == "hit"
    assert "Sign out" in text(theirs) and "My orders" in text(theirs) and "Back office" in text(theirs)
    assert "Sign in" not in text(theirs)
    assert "Sign in" in text(anonymous)
    assert "Sign out" not in text(anonymous) and "Back office" not in text(anonymous)


def test_a_message_waiting_for_the_visitor_shows_once_on_a_cached_page(grapes):
    url = grapes.get_absolute_url()
    page(url)
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))

    stranger.post(reverse("product-review", args=[grapes.slug]), {"rating": 5, "body": "Sweet"}, **EN)
    with_message, after = page(url, stranger), page(url, stranger)

    assert with_message[HEADER] == "hit"
    assert "once a parcel with it has been delivered" in text(with_message)
    assert "once a parcel with it has been delivered" not in text(after)


def test_only_a_buyer_whose_parcel_arrived_finds_the_review_form_on_a_cached_page(grapes):
    url = grapes.get_absolute_url()
    buyer = UserFactory(username="buyer")
    parcel = FulfilmentFactory(
        order__shopper=buyer, producer=grapes.producer, status="delivered", tracking_number="SF1"
    )
    OrderLineFactory(fulfilment=parcel, variant=grapes.variants.get())
    buyer_client, stranger_client = Client(), Client()
    buyer_client.force_login(buyer)
    stranger_client.force_login(UserFactory(username="stranger"))
    page(url)

    for_buyer, for_stranger, for_anonymous = page(url, buyer_client), page(url, stranger_client), page(url)

    assert for_buyer[HEADER] == "hit"
    assert "Write a review" in text(for_buyer)
    assert "Write a review" not in text(for_stranger)
    assert "Write a review" not in text(for_anonymous)
    response = buyer_client.post(
        reverse("product-review", args=[grapes.slug]),
        {"csrfmiddlewaretoken": TOKEN.findall(text(for_buyer))[0], "rating": 4, "body": "Crisp and sweet"},
    )
    assert response.status_code == 302
    assert "Crisp and sweet" in text(page(url))  # the review is shown at once


def test_a_live_sessions_cached_page_still_marks_the_visitor_as_sent_by_it(grapes):
    session = LiveSessionFactory(slug="grape-valley", status=LiveSession.Status.LIVE)
    LiveSessionItemFactory(session=session, variant=grapes.variants.get())
    url = reverse("live-session-detail", args=[session.slug])
    page(url)

    cached = page(url)

    assert cached[HEADER] == "hit"
    assert cached.cookies[ATTRIBUTION_COOKIE].value.startswith("grape-valley:")


# Every write path shows at once


def price_shown(product: Product) -> str:
    return re.search(r'class="variant-price">([^<]+)<', text(page(product.get_absolute_url())))[1]


def test_a_price_changed_in_the_producers_dashboard_shows_at_once(grapes):
    member = MembershipFactory(producer=grapes.producer).user
    variant = grapes.variants.get()
    assert price_shown(grapes) == "¥59.00"
    client = Client()
    client.force_login(member)

    response = client.post(
        reverse("dashboard-variant-quick-edit", kwargs={"producer": grapes.producer.slug, "pk": variant.pk}),
        {f"v{variant.pk}-price": "52.50", f"v{variant.pk}-stock": "40", f"v{variant.pk}-expected_stock": "40"},
    )

    assert response.status_code == 302
    assert price_shown(grapes) == "¥52.50"


def test_a_name_changed_through_the_api_shows_on_the_product_page_and_the_list(grapes):
    roles = make_roles()
    MembershipFactory(producer=grapes.producer, user=roles.member)
    page(grapes.get_absolute_url()), page(reverse("product-list"))

    response = roles.client("member").patch(
        reverse("api-product-detail", args=[grapes.slug]), {"name_en": "Green raisin grapes"}, format="json"
    )

    assert response.status_code == 200
    assert "Green raisin grapes" in text(page(grapes.get_absolute_url()))
    assert "Green raisin grapes" in text(page(reverse("product-list")))


def test_a_name_changed_in_the_admin_shows_at_once(grapes):
    staff = Client()
    staff.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    change = reverse("admin:catalog_product_change", args=[grapes.pk])
    page(grapes.get_absolute_url())
    data = change_form_data(staff.get(change))
    data["name_en"] = "Turpan seedless grapes"

    response = staff.post(change, data)

    assert response.status_code == 302
    assert "Turpan seedless grapes" in text(page(grapes.get_absolute_url()))


def test_a_producer_unverified_in_the_admin_leaves_the_cached_pages(grapes):
    staff = Client()
    staff.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    producer_url = reverse("producer-detail", args=[grapes.producer.slug])
    page(producer_url), page(grapes.get_absolute_url())
    assert "Seedless grapes" in text(page(reverse("product-list")))

    staff.post(
        reverse("admin:producers_producer_changelist"),
        {"action": "unverify", "_selected_action": [grapes.producer.pk]},
    )

    assert Client().get(producer_url, **EN).status_code == 404
    assert Client().get(grapes.get_absolute_url(), **EN).status_code == 404
    assert "Seedless grapes" not in text(page(reverse("product-list")))


def test_an_order_taking_the_last_unit_shows_sold_out_and_its_cancellation_brings_it_back(grapes):
    variant = grapes.variants.get()
    variant.stock = 2
    variant.save()
    url = grapes.get_absolute_url()
    assert "Only 2 left" in text(page(url))

    buy(variant)
    assert "Only 1 left" in text(page(url))
    order = buy(variant)
    assert "Sold out" in text(page(url))

    order_cancel(order=order, actor=None)
    assert "Only 1 left" in text(page(url))


def test_an_order_that_leaves_the_stock_band_unchanged_keeps_the_cached_page(grapes):
    url = grapes.get_absolute_url()
    page(url)

    buy(grapes.variants.get())
    again = page(url)

    assert again[HEADER] == "hit" and "In stock" in text(again)


def test_a_write_rolled_back_changes_nothing_shown(grapes):
    url = grapes.get_absolute_url()
    page(url)

    with pytest.raises(RuntimeError), transaction.atomic():
        buy(grapes.variants.get(), quantity=40)  # the last units: "Sold out" had it committed
        raise RuntimeError("payment provider down")

    assert "In stock" in text(page(url))


def test_a_session_the_host_ends_shows_as_ended_and_its_items_at_their_normal_price(grapes):
    host = HostFactory()
    session = LiveSessionFactory(host=host, slug="grape-valley", status=LiveSession.Status.LIVE, name_en="Grape valley")
    LiveSessionItemFactory(session=session, variant=grapes.variants.get(), flash_price=Decimal("39.00"))
    url = reverse("live-session-detail", args=[session.slug])
    assert "¥39.00" in text(page(url)) and "¥39.00" in text(page(reverse("home")))

    session_end(session=session, actor=host.user)

    assert "¥39.00" not in text(page(url))
    assert "¥39.00" not in text(page(reverse("home")))


def test_the_last_live_unit_sold_brings_the_normal_price_back_on_the_home_page(grapes):
    session = LiveSessionFactory(slug="grape-valley", status=LiveSession.Status.LIVE)
    variant = grapes.variants.get()
    LiveSessionItemFactory(session=session, variant=variant, flash_price=Decimal("39.00"), quantity_cap=1)
    assert "¥39.00" in text(page(reverse("home")))

    order_place(
        shopper=None,
        contact=Contact(name="Ayşe", phone="13800138000"),
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        delivery=Delivery(method="pickup", depot_slug=DepotFactory().slug),
        payment_method="cod",
        live_session_slug=session.slug,
    )

    assert "¥39.00" not in text(page(reverse("home")))


# The API


def test_the_api_serves_anonymous_reads_from_the_cache_and_signed_in_members_their_drafts(grapes):
    detail = reverse("api-product-detail", args=[grapes.slug])
    page(detail)
    assert page(detail)[HEADER] == "hit"

    draft = ProductFactory(producer=grapes.producer, slug="walnuts", status=Product.Status.DRAFT)
    member = MembershipFactory(producer=grapes.producer).user
    draft_url = reverse("api-product-detail", args=[draft.slug])
    assert Client().get(draft_url, **EN).status_code == 404
    signed_in = Client()
    signed_in.force_login(member)
    theirs = signed_in.get(draft_url, **EN)
    assert theirs.status_code == 200 and theirs.json()["slug"] == "walnuts"
    assert HEADER not in theirs


def test_an_exact_stock_count_is_rendered_again_once_its_copy_times_out_while_others_keep_the_copy(grapes):
    detail = reverse("api-product-detail", args=[grapes.slug])
    assert page(detail).json()["variants"][0]["stock"] == 40
    buy(grapes.variants.get())  # 39 left: the same band, so the copy stays until it times out
    assert page(detail).json()["variants"][0]["stock"] == 40
    with translation.override("en"):
        key = page_key(RequestFactory().get(detail))
    cache.set(key, dataclasses.replace(cache.get(key), fresh_until=time.time() - 1))  # its time is up
    cache.add(f"{key}:renders", 1)  # and another request is rendering it right now
    forget_local()  # as another web process finds it, with no copy of its own

    meanwhile = page(detail)
    cache.delete(f"{key}:renders")
    renewed = page(detail)

    assert (meanwhile[HEADER], meanwhile.json()["variants"][0]["stock"]) == ("hit", 40)
    assert (renewed[HEADER], renewed.json()["variants"][0]["stock"]) == ("refresh", 39)
    assert page(detail)[HEADER] == "hit"


def test_another_processs_write_reaches_this_processs_own_copies_within_a_second(grapes):
    url = grapes.get_absolute_url()
    page(url)
    # Another web process changes the price and bumps the shared generation; this one still trusts the
    # generation it read less than a second ago.
    grapes.variants.update(price=Decimal("52.00"))
    cache.incr(GENERATION_KEY)
    assert price_shown(grapes) == "¥59.00"

    time.sleep(GENERATION_SECONDS + 0.1)

    assert price_shown(grapes) == "¥52.00"
