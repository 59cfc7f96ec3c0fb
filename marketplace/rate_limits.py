"""Rate limits counted where every process sees the same count: Redis when ``REDIS_URL`` is set, else the database.

A limit is a number of hits per window ("10/min", "5/15min", "20/hour"). ``hit`` adds one to a key's
window and says whether the hit is within the limit; the count starts again when the window ends.
With Redis, one round trip (SET NX EX, INCR, TTL in a pipeline); without, or while Redis cannot be
reached, one statement on ``marketplace_ratecounter`` (an upsert that restarts an ended window), for
any number of counters a request checks (``hit_many``). Both
are atomic, so concurrent requests in any number of processes are counted exactly. The table's ended
windows are deleted by the scheduled ``marketplace.prune_rate_counters`` (``prune``), never by a request.

Keys name what is counted, never who: an account's name or a client's address enters a key only
through an HMAC under ``SECRET_KEY``, so the counters reveal no username or phone number.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
_UNITS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"10/min"``, ``"5/15min"``, ``"20/hour"``, ``"100/d"``; DRF's ``"10/m"`` forms too."""
        match = _RATE.match(text.lower())
        unit = match and (_UNITS.get(match.group(3)) or _UNITS.get(match.group(3)[0]))
        if not match or not unit:
            raise ValueError(f"Not a rate: {text!r} (expected a form such as 10/min or 5/15min).")
        return cls(limit=int(match.group(1)), seconds=int(match.group(2) or 1) * unit)


@dataclass(frozen=True)
class Hit:
    count: int  # hits in the window, this one included
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def key(scope: str, ident: str | int) -> str:
    """The counter's key for one thing counted: the scope in clear, the identity as an HMAC."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{ident}".encode(), hashlib.sha256).hexdigest()
    return f"rl:{scope}:{digest[:40]}"


def client_address(request: HttpRequest) -> str:
    """The client's address as the API's throttles take it: REMOTE_ADDR, or the declared proxies' header."""
    return BaseThrottle().get_ident(request)


def account_ident(name: str) -> str:
    """A typed username, email or phone number as one identity, whatever its case and spaces."""
    return name.strip().casefold()


@cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def _redis_hits(counts: list[tuple[str, Rate]]) -> list[Hit]:
    pipe = _redis().pipeline()
    for counter, rate in counts:
        pipe.set(counter, 0, ex=rate.seconds, nx=True)
        pipe.incr(counter)
        pipe.ttl(counter)
    replies = pipe.execute()
    return [
        Hit(count=int(replies[3 * n + 1]), limit=rate.limit, retry_after=max(int(replies[3 * n + 2]), 1))
        for n, (_, rate) in enumerate(counts)
    ]


_UPSERT = """
INSERT INTO marketplace_ratecounter AS c (key, hits, expires)
SELECT key, 1, clock_timestamp() + make_interval(secs => seconds)
FROM unnest(%s::varchar[], %s::int[]) AS counted (key, seconds)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.expires <= clock_timestamp() THEN 1 ELSE c.hits + 1 END,
    expires = CASE WHEN c.expires <= clock_timestamp() THEN EXCLUDED.expires ELSE c.expires END
RETURNING key, hits, GREATEST(CEIL(EXTRACT(EPOCH FROM expires - clock_timestamp())), 1)::int
"""


def _database_hits(counts: list[tuple[str, Rate]]) -> list[Hit]:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [[counter for counter, _ in counts], [rate.seconds for _, rate in counts]])
        rows = {key: (hits, retry_after) for key, hits, retry_after in cursor.fetchall()}
    return [Hit(count=rows[counter][0], limit=rate.limit, retry_after=rows[counter][1]) for counter, rate in counts]


def hit_many(counts: list[tuple[str, Rate | str]]) -> list[Hit]:
    """Count one hit on each counter, all in one statement (or one Redis round trip); keys must differ."""
    parsed = [(counter, Rate.parse(rate) if isinstance(rate, str) else rate) for counter, rate in counts]
    if len({counter for counter, _ in parsed}) != len(parsed):
        raise ValueError("hit_many counts each counter once.")
    if not parsed:
        return []
    if settings.REDIS_URL:
        try:
            return _redis_hits(parsed)
        except Exception:  # Redis down: the database counts instead, never a 500
            logger.warning("Redis could not count rate limits; counting in the database")
    return _database_hits(parsed)


def prune() -> int:
    """Delete the database's ended windows (a later hit would restart them anyway); how many went."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM marketplace_ratecounter WHERE expires < clock_timestamp()")
        return cursor.rowcount


def hit(counter: str, rate: Rate | str) -> Hit:
    """Count one hit on ``counter`` (from ``key``) and tell whether it is within ``rate``."""
    return hit_many([(counter, rate)])[0]


def forgive(counter: str) -> None:
    """Take one hit back (a sign-in that succeeded is no guess), never below zero."""
    if settings.REDIS_URL:
        try:
            _redis().eval(
                "if (tonumber(redis.call('GET', KEYS[1]) or '0') > 0) then redis.call('DECR', KEYS[1]) end", 1, counter
            )
            return
        except Exception:  # Redis down
            logger.warning("Redis could not forgive rate limit %s", counter.split(":")[1])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE marketplace_ratecounter SET hits = hits - 1 WHERE key = %s AND hits > 0", [counter])


def reset(counter: str) -> None:
    """Forget a counter's window."""
    if settings.REDIS_URL:
        try:
            _redis().delete(counter)
            return
        except Exception:  # Redis down
            logger.warning("Redis could not reset rate limit %s", counter.split(":")[1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM marketplace_ratecounter WHERE key = %s", [counter])


def clear_all() -> None:
    """Forget every counter (tests and an operator's reset): Redis's rate-limit keys and the table."""
    if settings.REDIS_URL:
        client = _redis()
        for name in client.scan_iter(match="rl:*", count=1000):
            client.delete(name)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM marketplace_ratecounter")
