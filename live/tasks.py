"""Live selling's periodic job for Celery beat (marketplace/settings.py); the same service as the command."""

from __future__ import annotations

from celery import shared_task

from live.services import sessions_end_overdue


@shared_task(name="live.end_live_sessions")
def end_live_sessions() -> int:
    """What `manage.py end_live_sessions` does: write "ended" on sessions past their scheduled end."""
    return sessions_end_overdue()
