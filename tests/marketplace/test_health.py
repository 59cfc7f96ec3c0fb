"""/readyz/ tells a load balancer whether this process can serve: database and cache reachable."""

from __future__ import annotations

import pytest
from django.db import OperationalError

# A Redis cache on a port nothing listens on, which swallows its errors as the production cache does.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


@pytest.mark.django_db
def test_a_process_with_its_database_and_cache_is_ready(client):
    response = client.get("/readyz/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_cache_that_swallows_its_failures_still_makes_the_process_not_ready(client, settings):
    settings.CACHES = UNREACHABLE_REDIS  # Django hands out caches from the new settings at once

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unreachable"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_makes_the_process_not_ready(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("marketplace.health.connection.cursor", refuse)

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.json() == {"database": "unreachable", "cache": "ok"}
