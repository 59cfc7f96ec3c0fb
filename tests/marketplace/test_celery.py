"""The Celery app: every job beat schedules is a task the worker knows, and nothing needs a broker by default."""

from __future__ import annotations

from django.conf import settings

from marketplace.celery import app


def test_every_scheduled_job_names_a_registered_task():
    """A typo in CELERY_BEAT_SCHEDULE would be a job beat sends and no worker runs."""
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "notifications.deliver_pending",
        "orders.expire_unpaid_orders",
        "catalog.waitlist_holds_lapse",
        "live.end_live_sessions",
        "catalog.process_stale_images",
        "catalog.refresh_popularity",
        "marketplace.prune_rate_counters",
        "notifications.prune_codes",
    }
    assert scheduled <= set(app.tasks)
    every = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert every.pop("marketplace.prune_rate_counters") == 600.0
    assert every.pop("notifications.prune_codes") == 600.0
    assert every.pop("catalog.refresh_popularity") == 300.0
    assert set(every.values()) == {60.0}


def test_without_a_broker_tasks_run_in_the_process():
    """Development and tests need no broker: CELERY_BROKER_URL unset means tasks run where they are queued."""
    assert settings.CELERY_BROKER_URL == ""
    assert app.conf.task_always_eager is True
    assert app.conf.task_ignore_result is True
