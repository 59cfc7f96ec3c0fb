"""The outbox: write a message in the caller's transaction; a worker sends it once after the commit.

A notification sent from inside a request would make the shopper wait on a mail
server, and one sent after the commit may be lost if the process dies in between.
A row in the same transaction as the change cannot be lost and cannot exist
without the change. After the commit the worker is told at once: each web
process queues at most one task a quarter of a second (``KICK_SECONDS``), which
sends every new message committed by the time it runs, so a burst of orders
costs the broker a few tasks, not one per order. ``outbox_deliver_pending``
(every minute) sends whatever that missed: a worker that was down, a broker
that was unreachable, a handler that failed. Without a broker each message is
sent in the process right after its commit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from marketplace.transactions import require_transaction
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# How long a new message waits for its own task before the sweep sends it instead.
SWEEP_AFTER = timedelta(seconds=30)
# After this many failures a message stays unsent for staff to look at (the admin's "given up").
MAX_ATTEMPTS = 12
# Waits after the 1st, 2nd, ... failure: one minute, doubling, at most an hour (about six hours in all).
_RETRY_FIRST = timedelta(minutes=1)
_RETRY_LONGEST = timedelta(hours=1)
SWEEP_BATCH = 200
# How long a web process lets new messages gather before the task that sends them runs.
KICK_SECONDS = 0.25
_kick_lock = threading.Lock()
_kick_closes = 0.0


class UnknownHandler(ValueError):
    """The handler is not listed in ``OUTBOX_HANDLERS``, so the outbox will not run it."""


def _handler(path: str) -> Callable[..., object]:
    # A row names code by its dotted path: only listed paths run, so a row written by mistake (or by
    # someone with database access) cannot call arbitrary code in the worker.
    if path not in settings.OUTBOX_HANDLERS:
        raise UnknownHandler(f"{path!r} is not in OUTBOX_HANDLERS.")
    return import_string(path)


def outbox_add(*, handler: str, payload: dict) -> OutboxMessage:
    """Write a message to send once the caller's transaction commits; nothing is sent if it rolls back.

    Must run inside the transaction that makes the change the message tells of (``RuntimeError``
    otherwise). ``handler`` must be listed in ``OUTBOX_HANDLERS`` (``UnknownHandler`` otherwise); it is
    called with ``payload`` as keyword arguments, so the payload holds ids and names, not model instances.
    """
    message = outbox_message_new(handler=handler, payload=payload)
    message.save()
    outbox_message_written(message)
    return message


def outbox_message_new(*, handler: str, payload: dict) -> OutboxMessage:
    """A message not yet written, for a caller that inserts it in a statement of its own (an order's
    ``InsertChain``); ``outbox_message_written`` once it is in. Checked as ``outbox_add`` checks it."""
    require_transaction("An outbox message must be written")
    _handler(handler)
    return OutboxMessage(handler=handler, payload=payload, next_attempt_at=timezone.now() + SWEEP_AFTER)


def outbox_message_written(message: OutboxMessage) -> None:
    """Have ``message``, just inserted in the caller's transaction, sent once that transaction commits."""
    transaction.on_commit(partial(_enqueue, message.pk))


def _enqueue(message_id: int) -> None:
    # The tasks module imports this one.
    from notifications.tasks import deliver, deliver_new

    global _kick_closes
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            deliver.delay(message_id)  # No broker: sent here and now.
            return
        now = time.time()
        with _kick_lock:
            if now < _kick_closes:
                return  # This message committed before the queued task runs, which sends it too.
            _kick_closes = now + KICK_SECONDS
        deliver_new.apply_async(countdown=KICK_SECONDS)
    except Exception:
        # The change is committed and the row is safe: the sweep sends it once the broker is back.
        # Failing here would turn a committed order into an error page.
        logger.exception("Could not queue outbox message %s; the periodic sweep will send it", message_id)


def _retry_delay(attempts: int) -> timedelta:
    return min(_RETRY_FIRST * 2 ** max(attempts - 1, 0), _RETRY_LONGEST)


def outbox_deliver(*, message_id: int) -> bool:
    """Send one message if nobody has: True if this call sent it.

    The row is locked while its handler runs and stamped sent in the same transaction, so a task that
    runs twice, or the sweep running beside it, sends it once (``SKIP LOCKED``: a second caller moves on
    instead of waiting). A handler that raises is logged; the attempt and its error are recorded and the
    sweep tries again later, until ``MAX_ATTEMPTS``.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            # A savepoint: a handler that fails half-way leaves none of its writes, but the attempt is recorded.
            with transaction.atomic():
                _handler(message.handler)(**message.payload)
        except Exception as error:
            logger.exception("Could not deliver outbox message %s (%s)", message.pk, message.handler)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.next_attempt_at = timezone.now() + _retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
    return True


def outbox_deliver_new(*, batch: int = SWEEP_BATCH) -> int:
    """Send every message never tried yet, oldest first; returns how many this call sent.

    What the web processes' tasks run: several may run at once, and each message is still sent once
    (``outbox_deliver`` skips a row another is sending, or has sent).
    """
    sent, after = 0, 0
    while True:
        ids = list(
            OutboxMessage.objects.filter(sent_at__isnull=True, attempts=0, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return sent
        sent += sum(outbox_deliver(message_id=message_id) for message_id in ids)
        after = ids[-1]


def outbox_deliver_pending(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Send messages still unsent after their wait (``SWEEP_AFTER``, or the back-off after a failure).

    Returns how many were sent. Messages that failed ``MAX_ATTEMPTS`` times are left for staff.
    """
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(outbox_deliver(message_id=message_id) for message_id in due)
