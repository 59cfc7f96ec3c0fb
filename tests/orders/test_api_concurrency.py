"""Shoppers' apps racing through the real HTTP server for the last units, each request on its own connection.

The server runs in threads (pytest-django's ``live_server``) and the tests
commit for real, so PostgreSQL's row locks decide who wins, as in production.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rest_framework.authtoken.models import Token

from catalog.models import Variant
from orders.models import Order, OrderLine
from tests.factories import UserFactory
from tests.orders.api_support import ORDERS, make_goods, new_key, order_body

pytestmark = pytest.mark.django_db(transaction=True)


def post_at_once(url: str, requests_: list[dict]) -> list[requests.Response]:
    """Send every request from its own thread, released together."""
    barrier = threading.Barrier(len(requests_))

    def send(request: dict) -> requests.Response:
        barrier.wait()
        return requests.post(url, timeout=30, **request)

    with ThreadPoolExecutor(max_workers=len(requests_)) as pool:
        return list(pool.map(send, requests_))


def token_headers(user, **extra: str) -> dict[str, str]:
    return {
        "Authorization": f"Token {Token.objects.create(user=user).key}",
        "Accept-Language": "en",
        "Idempotency-Key": new_key(),
        **extra,
    }


def test_12_shoppers_racing_for_the_last_4_units_get_4_orders_and_8_clear_refusals(live_server, roles):
    goods = make_goods(roles)
    Variant.objects.filter(pk=goods.grapes.pk).update(stock=4)
    body = order_body({goods.grapes: 1})
    shoppers = [UserFactory(username=f"racer-{i}") for i in range(12)]

    responses = post_at_once(
        live_server.url + ORDERS, [{"json": body, "headers": token_headers(shopper)} for shopper in shoppers]
    )

    assert Counter(r.status_code for r in responses) == {201: 4, 409: 8}
    refusals = [r.json() for r in responses if r.status_code == 409]
    assert all(r["code"] == "insufficient_stock" for r in refusals)
    assert all(r["lines"] == [{"variant": goods.grapes.pk, "requested": 1, "available": 0}] for r in refusals)
    assert Variant.objects.get(pk=goods.grapes.pk).stock == 0
    assert Order.objects.count() == 4
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 4


def test_one_idempotency_key_sent_6_times_at_once_makes_one_order_and_takes_stock_once(live_server, roles):
    goods = make_goods(roles)
    headers = token_headers(roles.shopper, **{"Idempotency-Key": "double-tap-7f3a"})
    body = order_body({goods.grapes: 3})

    responses = post_at_once(live_server.url + ORDERS, [{"json": body, "headers": headers}] * 6)

    assert [r.status_code for r in responses] == [201] * 6
    assert len({r.json()["number"] for r in responses}) == 1
    assert Order.objects.count() == 1
    assert Variant.objects.get(pk=goods.grapes.pk).stock == 7
