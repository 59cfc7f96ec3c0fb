"""``manage.py end_live_sessions``: live sessions past their scheduled end are written as ended, no others."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from live.models import LiveSession
from tests.factories import LiveSessionFactory

pytestmark = pytest.mark.django_db

Status = LiveSession.Status


def session(status: str, *, ended_ago: timedelta | None = None, ends_in: timedelta | None = None) -> LiveSession:
    """A two-hour session that ended ``ended_ago`` or ends ``ends_in`` from now."""
    ends_at = timezone.now() - ended_ago if ended_ago is not None else timezone.now() + ends_in
    return LiveSessionFactory(status=status, starts_at=ends_at - timedelta(hours=2), ends_at=ends_at)


def run() -> str:
    out = StringIO()
    call_command("end_live_sessions", stdout=out)
    return out.getvalue()


def test_the_command_ends_only_live_sessions_past_their_scheduled_end_and_says_how_many():
    overdue = [session(Status.LIVE, ended_ago=timedelta(minutes=1)), session(Status.LIVE, ended_ago=timedelta(days=1))]
    on_air = session(Status.LIVE, ends_in=timedelta(minutes=30))
    scheduled_past = session(Status.SCHEDULED, ended_ago=timedelta(hours=1))
    cancelled_past = session(Status.CANCELLED, ended_ago=timedelta(hours=1))

    output = run()

    assert output.strip() == "Ended 2 live session(s)."
    for ended in overdue:
        ended.refresh_from_db()
        assert (ended.status, ended.ended_at) == (Status.ENDED, ended.ends_at)
    statuses = {
        s.pk: s.status for s in LiveSession.objects.filter(pk__in=[on_air.pk, scheduled_past.pk, cancelled_past.pk])
    }
    assert statuses == {
        on_air.pk: Status.LIVE,
        scheduled_past.pk: Status.SCHEDULED,
        cancelled_past.pk: Status.CANCELLED,
    }


def test_running_the_command_again_ends_nothing_more():
    ended = session(Status.LIVE, ended_ago=timedelta(minutes=5))
    run()
    ended.refresh_from_db()
    first_update = ended.updated_at

    assert run().strip() == "Ended 0 live session(s)."
    ended.refresh_from_db()
    assert (ended.status, ended.updated_at) == (Status.ENDED, first_update)
