"""A livestream's rush: 200 buyers through the API, some of them sharing an account, race for a featured
item's 50 units at the live price with a limit of 2 per shopper.

Every buyer's request goes through the whole API stack (authentication, throttles, serializers, the order
service, the error handler) in its own thread on its own database connection, and the test commits for real,
so PostgreSQL's row locks decide who wins. 40 buyers are in flight at any moment (the database server's
connection limit allows no more), released together at the start.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import Variant
from live.models import LiveSession
from orders.models import Order, OrderLine
from tests.factories import LiveSessionItemFactory, UserFactory
from tests.orders.api_support import ORDERS, make_goods, new_key, order_body

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 200
IN_FLIGHT = 40
CAP = 50
LIMIT = 2
FLASH = Decimal("46.90")


def test_200_buyers_sharing_some_accounts_sell_exactly_the_cap_and_no_shopper_passes_the_limit(roles):
    goods = make_goods(roles)
    Variant.objects.filter(pk=goods.grapes.pk).update(stock=1000)
    item = LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE,
        variant=goods.grapes,
        flash_price=FLASH,
        quantity_cap=CAP,
        per_shopper_limit=LIMIT,
    )
    # 60 accounts used by two buyers each (a family on two phones), 80 used by one: 200 buyers.
    accounts = [UserFactory(username=f"viewer-{i}") for i in range(140)]
    tokens = {account.pk: Token.objects.create(user=account).key for account in accounts}
    buyers = [accounts[i % 60] if i < 120 else accounts[i - 60] for i in range(BUYERS)]
    assert len(set(buyers)) == 140

    go = threading.Event()

    def buy(i: int):
        quantity = 1 if i % 3 == 0 else LIMIT
        # What the buyer saw on the session page: the live price.
        body = order_body(
            {goods.grapes: quantity},
            depot=goods.depot,
            live_session=item.session.slug,
            expected_subtotal=str(FLASH * quantity),
        )
        # Each account orders with its own mobile number (limits count an account and its number together).
        body["contact"]["phone"] = f"139{accounts.index(buyers[i]):08d}"
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[buyers[i].pk]}", HTTP_ACCEPT_LANGUAGE="en")
        go.wait()
        try:
            return client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        futures = [pool.submit(buy, i) for i in range(BUYERS)]
        go.set()
        responses = [future.result() for future in futures]

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 400, 409}, statuses  # no 500, no throttling
    assert all(response.headers["Content-Type"] == "application/json" for response in responses)
    item.refresh_from_db()
    assert item.quantity_sold == CAP
    flash_lines = OrderLine.objects.filter(live_item=item)
    assert flash_lines.aggregate(units=Sum("quantity"))["units"] == CAP
    # Nobody was charged the normal price they had not been shown.
    assert set(OrderLine.objects.values_list("unit_price", flat=True)) == {FLASH}
    assert Variant.objects.get(pk=goods.grapes.pk).stock == 1000 - CAP
    assert Order.objects.count() == statuses[201]
    per_account: dict[int, int] = defaultdict(int)
    for shopper_id, quantity in OrderLine.objects.values_list("order__shopper_id", "quantity"):
        per_account[shopper_id] += quantity
    assert max(per_account.values()) <= LIMIT
    assert all(order.live_session_id == item.session_id for order in Order.objects.all())
    # Those who came too late heard why: the live units ran out or the price changed, or their limit.
    refusals = [response.json() for response in responses if response.status_code != 201]
    assert refusals
    assert all(
        refusal.get("code") in {"price_changed", "insufficient_stock"} or "lines" in refusal for refusal in refusals
    )
