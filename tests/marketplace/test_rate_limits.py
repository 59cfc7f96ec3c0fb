"""Rate-limit counts shared by every process: in the database without Redis, in Redis with it.

Each count is proven exact under real concurrency: threads on their own database connections, and
separate processes, all hitting one counter at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from marketplace import rate_limits
from tests.marketplace.test_serve import database_url
from tests.orders.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_counts(settings):
    settings.REDIS_URL = REDIS_URL
    rate_limits._redis.cache_clear()
    rate_limits.clear_all()
    yield
    rate_limits.clear_all()
    rate_limits._redis.cache_clear()


@pytest.mark.parametrize(
    ("text", "limit", "seconds"),
    [("10/min", 10, 60), ("5/15min", 5, 900), ("20/hour", 20, 3600), ("3/d", 3, 86400), ("120/m", 120, 60)],
)
def test_rates_read_every_form_the_settings_use(text, limit, seconds):
    assert rate_limits.Rate.parse(text) == rate_limits.Rate(limit, seconds)


@pytest.mark.parametrize("text", ["", "ten/min", "10", "10/fortnight", "-1/min"])
def test_a_rate_that_is_not_one_is_refused_with_its_text(text):
    with pytest.raises(ValueError, match="Not a rate"):
        rate_limits.Rate.parse(text)


def test_thirty_concurrent_hits_in_the_database_allow_exactly_the_limit():
    counter = rate_limits.key("test", "race")
    results = race(30, lambda _: rate_limits.hit(counter, "10/min"))
    assert sorted(result.count for result in results) == list(range(1, 31))
    assert sum(result.allowed for result in results) == 10


def test_thirty_concurrent_hits_in_redis_allow_exactly_the_limit(redis_counts):
    counter = rate_limits.key("test", "race")
    results = race(30, lambda _: rate_limits.hit(counter, "10/min"))
    assert sum(result.allowed for result in results) == 10
    with connection.cursor() as cursor:  # Redis counted: nothing went to the table
        cursor.execute("SELECT count(*) FROM marketplace_ratecounter")
        assert cursor.fetchone() == (0,)


COUNT_IN_A_PROCESS = """
import django, sys
django.setup()
from marketplace import rate_limits
allowed = sum(rate_limits.hit(rate_limits.key("test", "processes"), "10/min").allowed for _ in range(10))
print(allowed)
"""


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_processes_share_one_count(backend, redis_counts):
    """Two web processes, ten hits each on a limit of ten: ten pass in all, not ten in each."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL if backend == "redis" else "",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_IN_A_PROCESS], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    allowed = [int(process.communicate(timeout=60)[0].strip()) for process in processes]
    assert sum(allowed) == 10


def test_a_window_starts_again_when_it_ends():
    counter = rate_limits.key("test", "window")
    assert [rate_limits.hit(counter, "2/s").allowed for _ in range(3)] == [True, True, False]
    time.sleep(1.1)
    assert rate_limits.hit(counter, "2/s").count == 1


def test_an_unreachable_redis_counts_in_the_database_instead_of_failing(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    rate_limits._redis.cache_clear()
    try:
        counter = rate_limits.key("test", "redis-down")
        assert [rate_limits.hit(counter, "2/min").allowed for _ in range(3)] == [True, True, False]
    finally:
        rate_limits._redis.cache_clear()
    assert "counting in the database" in caplog.text


def test_keys_name_the_scope_but_never_the_account_or_address():
    counter = rate_limits.key("sign_in_account", "13800138000")
    assert counter.startswith("rl:sign_in_account:")
    assert "13800138000" not in counter
    assert rate_limits.key("sign_in_account", "13800138001") != counter


def test_api_throttles_count_across_processes_in_the_shared_counter(settings):
    """The API's per-client throttle is one count: requests seen by this process and another add up."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "5/min"},
    }
    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] == "5/min"
    client = APIClient()
    # Another process's three requests from the same address, as the counter holds them.
    for _ in range(3):
        rate_limits.hit(rate_limits.key("anon", "127.0.0.1"), "5/min")
    statuses = [client.get("/api/v1/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_scheduled_prune_deletes_ended_windows_and_keeps_live_counts():
    from marketplace.tasks import prune_rate_counters

    live = rate_limits.key("test", "live")
    ended = rate_limits.key("test", "ended")
    rate_limits.hit_many([(live, "10/min"), (ended, "10/min")])
    rate_limits.hit(live, "10/min")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE marketplace_ratecounter SET expires = now() - interval '1s' WHERE key = %s", [ended])

    assert prune_rate_counters() == 1

    with connection.cursor() as cursor:
        cursor.execute("SELECT key, hits FROM marketplace_ratecounter WHERE key LIKE 'rl:test:%%'")
        assert cursor.fetchall() == [(live, 2)]
    assert rate_limits.hit(live, "10/min").count == 3
