"""The outbox's Celery tasks: new messages soon after their commit, and the sweep of what that missed; and the
prune of spent one-time codes."""

from __future__ import annotations

from celery import shared_task

from notifications import one_time_codes, services


# acks_late: a worker killed mid-task leaves the message on the broker for another; delivery is once-only anyway.
@shared_task(name="notifications.deliver", acks_late=True, reject_on_worker_lost=True)
def deliver(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


# Queued by the web processes after their commits, a few times a second at most (see services.KICK_SECONDS).
@shared_task(name="notifications.deliver_new")
def deliver_new() -> int:
    return services.outbox_deliver_new()


@shared_task(name="notifications.deliver_pending")
def deliver_pending() -> int:
    return services.outbox_deliver_pending()


@shared_task(name="notifications.prune_codes")
def prune_codes() -> int:
    """Delete one-time codes that expired or were voided."""
    return one_time_codes.codes_prune()
