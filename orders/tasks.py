"""Orders' periodic jobs for Celery beat (marketplace/settings.py); the same services as the commands."""

from __future__ import annotations

from celery import shared_task

from orders.services import orders_expire_unpaid


@shared_task(name="orders.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    """What `manage.py expire_unpaid_orders` does: batches until no unpaid order is past its time."""
    total = 0
    while expired := orders_expire_unpaid():
        total += expired
    return total
