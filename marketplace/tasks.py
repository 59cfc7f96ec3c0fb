"""The marketplace's own periodic job for Celery beat (marketplace/settings.py)."""

from __future__ import annotations

from celery import shared_task

from marketplace import rate_limits


@shared_task(name="marketplace.prune_rate_counters")
def prune_rate_counters() -> int:
    """Delete the rate-limit windows that have ended, so the table holds only live counts."""
    return rate_limits.prune()
