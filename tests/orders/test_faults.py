"""Checkouts through the production server while its database connections are cut and its workers killed.

`make serve` (gunicorn, two workers, DEBUG off) places orders sent over HTTP by concurrent clients, each
with its own Idempotency-Key, while a second connection terminates the server's database connections
every few milliseconds, and then while its workers are killed with SIGKILL. Afterwards each client that
got no 201 sends the same order again with the same key, as docs/api.md tells clients to.

Every order committed must have been answered, or be found by its key on that retry; a retry must never
place a second order; no order may be partial (without its line, parcel, payment or first event); and
the stock must have gone down by exactly the units of the orders placed. The figures (requests, orders
committed, answered, found by key, placed on retry) are printed and written to
test-artifacts/faults.json.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from catalog.models import Variant
from orders.models import Fulfilment, Order, OrderEvent, OrderLine, Payment
from tests.factories import DepotFactory, ProductFactory, UserFactory, VariantFactory
from tests.marketplace.test_serve import make_serve, process_group

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS_PER_PHASE = 40
CLIENTS = 8
STOCK = 1000
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults.json"


@dataclass
class Tally:
    sent: int = 0
    answered: int = 0
    failed: dict[str, int] = field(default_factory=dict)

    def failure(self, kind: str) -> None:
        self.failed[kind] = self.failed.get(kind, 0) + 1


def admin_connection():
    """A connection of the test's own to the test database, to cut the server's connections from."""
    params = connection.get_connection_params()
    return psycopg2.connect(**{k: v for k, v in params.items() if k not in {"cursor_factory", "context"}})


def cut_connections_until(stop: threading.Event, ready: threading.Event, cuts: list[int]) -> None:
    # Not ``with connection``: psycopg2 would make the whole loop one transaction, which sees
    # pg_stat_activity as it was at its start.
    cutter = admin_connection()
    cutter.autocommit = True
    try:
        with cutter.cursor() as cursor:
            ready.set()
            while not stop.is_set():
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                cuts.append(cursor.fetchone()[0])
                time.sleep(0.1)
    finally:
        cutter.close()


def kill_workers_until(stop: threading.Event, server_pid: int, kills: list[int]) -> None:
    """SIGKILL a gunicorn worker at once, then another every 0.3 s, while the orders are coming in."""
    while True:
        master = min_gunicorn(server_pid)
        workers = [
            pid
            for pid, command in process_group(server_pid).items()
            if "gunicorn" in command and "marketplace.serve" not in command and pid != master
        ]
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            kills.append(workers[0])
        if stop.wait(0.3):
            return


def min_gunicorn(server_pid: int) -> int:
    """The gunicorn master: the oldest (lowest) gunicorn process of the group."""
    return min(
        pid
        for pid, command in process_group(server_pid).items()
        if "gunicorn" in command and "marketplace.serve" not in command
    )


def place(base: str, tokens: list[str], body: dict, key: str) -> requests.Response | str:
    """POST the order under ``key``, as the shopper the key belongs to (the same one on every retry)."""
    token = tokens[int(key, 16) % len(tokens)]
    try:
        return requests.post(
            f"{base}/api/v1/orders/",
            json=body,
            headers={"Authorization": f"Token {token}", "Idempotency-Key": key, "Accept-Language": "en"},
            timeout=20,
        )
    except requests.RequestException as error:
        return type(error).__name__


def burst(base: str, tokens: list[str], body: dict, keys: list[str], tally: Tally, answers: dict[str, str]) -> None:
    def one(key: str) -> None:
        outcome = place(base, tokens, body, key)
        tally.sent += 1
        if isinstance(outcome, str):
            tally.failure(outcome)
        elif outcome.status_code == 201:
            tally.answered += 1
            answers[key] = outcome.json()["number"]
        else:
            tally.failure(str(outcome.status_code))

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(one, keys))


def test_every_committed_order_is_answered_or_found_by_its_key_when_connections_are_cut_and_workers_killed(
    tmp_path,
):
    # One shopper per client: each stays within the order-placing throttle (30 a minute).
    shoppers = [UserFactory(username=f"faults{n}") for n in range(CLIENTS)]
    tokens = [Token.objects.create(user=shopper).key for shopper in shoppers]
    variant = VariantFactory(
        product=ProductFactory(name_en="Seedless grapes", original_language="en"), price="20.00", stock=STOCK
    )
    depot = DepotFactory(slug="fault-depot")
    body = {
        "lines": [{"variant": variant.pk, "quantity": 1}],
        "contact": {"name": "Ayşe", "phone": "13800138000"},
        "delivery": {"method": "pickup", "depot": depot.slug},
        "payment_method": "cod",
    }
    keys = {"cut": [uuid.uuid4().hex for _ in range(ORDERS_PER_PHASE)]}
    keys["kill"] = [uuid.uuid4().hex for _ in range(ORDERS_PER_PHASE)]
    tallies = {"cut": Tally(), "kill": Tally()}
    answers: dict[str, str] = {}
    cuts: list[int] = []
    kills: list[int] = []

    log = tmp_path / "serve.log"
    with make_serve(tmp_path, log=log, WORKERS="2") as (base, server):
        connection.close()  # the cutter ends every other connection to the test database, this one too
        stop, ready = threading.Event(), threading.Event()
        cutter = threading.Thread(target=cut_connections_until, args=(stop, ready, cuts))
        cutter.start()
        ready.wait(30)
        try:
            burst(base, tokens, body, keys["cut"], tallies["cut"], answers)
        finally:
            stop.set()
            cutter.join()

        stop = threading.Event()
        killer = threading.Thread(target=kill_workers_until, args=(stop, server.pid, kills))
        killer.start()
        time.sleep(0.05)  # the first worker dies as the orders arrive
        try:
            burst(base, tokens, body, keys["kill"], tallies["kill"], answers)
        finally:
            stop.set()
            killer.join()

        # The clients that got no 201 retry with the same key, the faults over.
        unanswered = [key for phase in keys.values() for key in phase if key not in answers]
        committed_unanswered = set(
            Order.objects.filter(shopper__in=shoppers, idempotency_key__in=unanswered).values_list(
                "idempotency_key", flat=True
            )
        )
        retried: dict[str, str] = {}
        deadline = time.monotonic() + 60
        for key in unanswered:
            while True:
                outcome = place(base, tokens, body, key)
                if not isinstance(outcome, str) and outcome.status_code == 201:
                    retried[key] = outcome.json()["number"]
                    break
                tail = log.read_text()[-3000:]
                assert time.monotonic() < deadline, f"a retry of {key} got no order: {outcome}\n{tail}"
                time.sleep(0.5)

    orders = Order.objects.filter(shopper__in=shoppers)
    by_key = dict(orders.values_list("idempotency_key", "number"))
    all_keys = keys["cut"] + keys["kill"]
    figures = {
        "requests": {phase: tally.sent for phase, tally in tallies.items()},
        "answered_201_first_time": {phase: tally.answered for phase, tally in tallies.items()},
        "failed_first_time": {phase: tally.failed for phase, tally in tallies.items()},
        "connections_cut": sum(cuts),
        "workers_killed": len(kills),
        "committed_but_unanswered_then_found_by_key": len(committed_unanswered),
        "not_committed_then_placed_on_retry": len(unanswered) - len(committed_unanswered),
        "orders_in_database": orders.count(),
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2))
    print("fault figures:", json.dumps(figures))

    # Each key made exactly one order, the one its answer named, first time or on retry.
    assert sorted(by_key) == sorted(all_keys)
    assert orders.count() == len(all_keys)
    for key, number in {**answers, **retried}.items():
        assert by_key[key] == number
    # A committed order's retry was answered with that very order, not a second one.
    assert all(key in retried for key in committed_unanswered)
    # No partial order: each has its line, its parcel, its payment and its first event.
    ids = list(orders.values_list("pk", flat=True))
    assert OrderLine.objects.filter(order_id__in=ids).count() == len(ids)
    assert Fulfilment.objects.filter(order_id__in=ids).count() == len(ids)
    assert Payment.objects.filter(order_id__in=ids).values("order_id").distinct().count() == len(ids)
    assert OrderEvent.objects.filter(order_id__in=ids).values("order_id").distinct().count() == len(ids)
    # Stock went down by the units of the orders placed, no more, no less.
    assert Variant.objects.get(pk=variant.pk).stock == STOCK - len(ids)
    # The faults happened.
    assert sum(cuts) > 0 and kills
