"""Live selling's periodic job that beat runs: the same as `manage.py end_live_sessions`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from live.models import LiveSession
from live.tasks import end_live_sessions
from tests.factories import LiveSessionFactory

pytestmark = pytest.mark.django_db


def test_the_task_ends_live_sessions_past_their_scheduled_end_only():
    now = timezone.now()
    overdue = LiveSessionFactory(
        status=LiveSession.Status.LIVE, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )
    on_air = LiveSessionFactory(status=LiveSession.Status.LIVE, starts_at=now, ends_at=now + timedelta(hours=1))

    assert end_live_sessions.delay().get() == 1

    overdue.refresh_from_db()
    assert (overdue.status, overdue.ended_at) == (LiveSession.Status.ENDED, overdue.ends_at)
    assert LiveSession.objects.get(pk=on_air.pk).status == LiveSession.Status.LIVE
