"""Health checks for load balancers and monitors; also the baselines `make bench` measures against."""

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


def alive(request: HttpRequest) -> HttpResponse:
    """The process answers: a plain Django view, no database."""
    return HttpResponse("ok", content_type="text/plain")


def database(request: HttpRequest) -> HttpResponse:
    """The process reaches PostgreSQL: one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


def ready(request: HttpRequest) -> JsonResponse:
    """The process can serve: PostgreSQL answers a query and the cache keeps what it is given.

    200 with each part ``ok``, or 503 naming the part that failed, for a load balancer to take the process
    out of rotation. The cache is written and read back, since the Redis cache swallows its own errors.
    """
    parts = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Readiness: the database does not answer")
        parts["database"] = "unreachable"
    token = secrets.token_hex(8)
    try:
        cache.set("readyz", token, timeout=10)
        kept = cache.get("readyz") == token
    except Exception:
        logger.exception("Readiness: the cache failed")
        kept = False
    if not kept:
        parts["cache"] = "unreachable"
    status = 200 if all(value == "ok" for value in parts.values()) else 503
    response = JsonResponse(parts, status=status)
    response["Cache-Control"] = "no-store"
    return response
