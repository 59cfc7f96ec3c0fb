"""The outbox: a message is written in the transaction of its change, and sent once, after the commit, by a worker.

The tests under "With a worker and a broker" run a real Celery worker against the machine's Redis and
the test database, as `make serve` runs it; the others run without a broker, where tasks run in the
process right after the commit (development and most tests).
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.celery import app as celery_app
from notifications import services
from notifications.models import OutboxMessage
from notifications.tasks import deliver, deliver_new
from orders.models import Order
from orders.services import order_cancel
from tests.marketplace.test_serve import database_url
from tests.orders.conftest import CONTACT, place

ROOT = Path(__file__).resolve().parents[2]
# A database of its own on the machine's Redis, emptied before each worker starts.
BROKER_URL = "redis://127.0.0.1:6379/11"
HANDLER = "orders.notifications.send_order_emails"
SHOPPER = CONTACT.email
VINEYARD = "farmer@example.com"
MELON_FARM = "melons@example.com"


def emails_in(folder: Path) -> list[email.message.Message]:
    """The emails the file-based backend wrote to ``folder``: each followed by a line of 79 dashes."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


def recipients(messages) -> list[str]:
    """Every addressee of ``messages``: emails read back from files, or Django's own (``mail.outbox``)."""
    return sorted(
        address.strip()
        for message in messages
        for address in (message.to if hasattr(message, "to") else str(message["To"]).split(","))
    )


def wait_for(check, *, seconds: float = 15, what: str = "the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    pytest.fail(f"{what} did not finish within {seconds} s")


@pytest.fixture
def order(shop, transactional_db) -> Order:
    """A cash-on-delivery order committed before the broker is switched on: its "placed" emails went out here."""
    with transaction.atomic():
        order = place(shop, {shop.grapes: 1, shop.melon: 1})
    mail.outbox.clear()
    return order


@pytest.fixture
def mail_folder(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def worker(transactional_db, mail_folder, tmp_path):
    """A Celery worker in its own process, on the test database, writing its emails to ``mail_folder``."""
    redis.Redis.from_url(BROKER_URL).flushdb()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_folder),
        "LOG_LEVEL": "INFO",
    }
    command = [ROOT / ".venv/bin/celery", "-A", "marketplace", "worker", "--pool", "solo", "--loglevel", "INFO"]
    # Alone on its broker: no need to meet other workers first.
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"outbox-{os.getpid()}@%h"]
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.fixture
def via_broker(worker, settings, tmp_path):
    """This process queues tasks on the worker's broker instead of running them itself, until the worker answers."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=BROKER_URL, task_always_eager=False)
    _forget_broker_connections()
    try:

        def answers():
            if worker.poll() is not None:
                pytest.fail(f"the worker stopped:\n{(tmp_path / 'worker.log').read_text()}")
            return celery_app.control.ping(timeout=0.5)

        wait_for(answers, seconds=20, what="the worker's start")
        yield worker
    finally:
        celery_app.conf.update(saved)
        _forget_broker_connections()


def _forget_broker_connections() -> None:
    # The app keeps the connection and producer pools of the broker it first used; drop them when the broker changes.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def sent(message_id: int) -> bool:
    return OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=False).exists()


# With a worker and a broker


@pytest.mark.django_db(transaction=True)
def test_a_placed_order_is_emailed_once_by_the_worker_and_only_after_its_commit(shop, via_broker, mail_folder):
    """The worker sends the shopper's and each producer's email once; before the commit nobody hears anything."""
    with transaction.atomic():
        order = place(shop, {shop.grapes: 1, shop.melon: 1})
        message = OutboxMessage.objects.get()
        time.sleep(1)  # The worker is running: give it every chance to send too early.
        assert emails_in(mail_folder) == []

    wait_for(lambda: sent(message.pk) and len(emails_in(mail_folder)) >= 3)
    time.sleep(0.5)  # Anything sent twice would show up now.

    emails = emails_in(mail_folder)
    assert recipients(emails) == sorted([SHOPPER, VINEYARD, MELON_FARM])
    assert all(order.number in str(sent_email["Subject"]) for sent_email in emails)
    message.refresh_from_db()
    assert message.payload == {"order_id": order.pk, "event": "placed", "fulfilment_id": None}
    assert message.attempts == 1 and message.last_error == ""
    assert mail.outbox == []  # This process sent nothing itself.


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_writes_no_message_and_nobody_is_ever_emailed(order, via_broker, mail_folder):
    """A cancellation undone by a later failure in the same transaction leaves no message; the worker sends nothing."""
    with pytest.raises(RuntimeError), transaction.atomic():
        order_cancel(order=order, actor=None)
        assert OutboxMessage.objects.filter(payload__event="cancelled").exists()
        raise RuntimeError("something later in the request failed")

    assert not OutboxMessage.objects.filter(payload__event="cancelled").exists()
    assert services.outbox_deliver_pending(now=timezone.now() + timedelta(days=1)) == 0
    time.sleep(1.5)
    assert emails_in(mail_folder) == []
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_a_message_delivered_twice_is_sent_once(order, via_broker, mail_folder):
    """The task queued after the commit, the same task queued again and the sweep all run: one email each."""
    with transaction.atomic():
        order_cancel(order=order, actor=None)
        message = OutboxMessage.objects.get(payload__event="cancelled")
    deliver.delay(message.pk)
    services.outbox_deliver_pending(now=timezone.now() + timedelta(minutes=1))

    wait_for(lambda: sent(message.pk))
    time.sleep(1.5)  # The second task has run by now.
    delivered = emails_in(mail_folder) + list(mail.outbox)
    assert recipients(delivered) == sorted([SHOPPER, VINEYARD, MELON_FARM])
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_orders_queues_a_task_a_quarter_second_and_each_order_is_emailed_once(
    shop, via_broker, mail_folder, monkeypatch
):
    """Ten orders committed within a moment queue one task, not ten; it sends every one of their emails once."""
    queued = []
    real = deliver_new.apply_async
    monkeypatch.setattr(deliver_new, "apply_async", lambda *a, **kw: queued.append(kw) or real(*a, **kw))
    monkeypatch.setattr(services, "_kick_closes", 0.0)
    monkeypatch.setattr(services, "KICK_SECONDS", 2.0)  # A slow test machine still places all ten inside it.
    orders = []
    for _ in range(10):
        with transaction.atomic():
            orders.append(place(shop, {shop.raisins: 1}))

    assert queued == [{"countdown": 2.0}]
    wait_for(lambda: OutboxMessage.objects.filter(sent_at__isnull=False).count() == 10)
    time.sleep(0.5)
    emails = emails_in(mail_folder)
    assert len(emails) == 20  # Each order: its shopper and the vineyard.
    for order in orders:
        assert recipients([e for e in emails if order.number in str(e["Subject"])]) == sorted([SHOPPER, VINEYARD])
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


# Without a broker: tasks run in this process right after the commit


def test_without_a_broker_the_emails_go_out_right_after_the_commit(shop, django_capture_on_commit_callbacks):
    """No worker needed: the message is written with the order and sent by this process once it commits."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = place(shop, {shop.grapes: 1, shop.melon: 1})
    message = OutboxMessage.objects.get()
    assert mail.outbox == []
    assert message.sent_at is None

    for callback in callbacks:
        callback()

    assert recipients(mail.outbox) == sorted([SHOPPER, VINEYARD, MELON_FARM])
    assert all(order.number in m.subject for m in mail.outbox)
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_delivering_a_message_again_sends_nothing(shop, django_capture_on_commit_callbacks):
    """Running the task a second time for a sent message, or the sweep after it, sends no second email."""
    with django_capture_on_commit_callbacks(execute=True):
        place(shop, {shop.raisins: 1})
    message = OutboxMessage.objects.get()
    first = len(mail.outbox)

    deliver.delay(message.pk)
    deliver.apply(args=[message.pk])
    services.outbox_deliver_pending(now=timezone.now() + timedelta(days=1))

    assert first == 2  # The shopper and the vineyard.
    assert len(mail.outbox) == first
    message.refresh_from_db()
    assert message.attempts == 1


class DownMailServer:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server is down")


def test_a_failed_delivery_is_recorded_and_tried_again_later(shop, settings, django_capture_on_commit_callbacks):
    """The mail server being down leaves the message unsent with its error; the sweep sends it once it is due."""
    settings.EMAIL_BACKEND = f"{__name__}.DownMailServer"
    with django_capture_on_commit_callbacks(execute=True):
        place(shop, {shop.raisins: 1})
    message = OutboxMessage.objects.get()
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1
    assert "ConnectionRefusedError: mail server is down" in message.last_error
    assert message.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.outbox_deliver_pending() == 0  # Not due yet.
    assert services.outbox_deliver_pending(now=message.next_attempt_at) == 1

    assert recipients(mail.outbox) == sorted([SHOPPER, VINEYARD])
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2


def test_the_sweep_gives_up_after_the_last_attempt(shop, django_capture_on_commit_callbacks):
    """A message that failed MAX_ATTEMPTS times is left for staff, not tried every minute for ever."""
    with django_capture_on_commit_callbacks(execute=False):
        place(shop, {shop.raisins: 1})
    OutboxMessage.objects.update(attempts=services.MAX_ATTEMPTS)

    assert services.outbox_deliver_pending(now=timezone.now() + timedelta(days=1)) == 0
    assert mail.outbox == []


def test_only_listed_handlers_are_written_or_run(db, tmp_path):
    """A message cannot name arbitrary code: outbox_add refuses it, and delivery refuses a row written by hand."""
    trace = tmp_path / "the-handler-ran"  # A harmless function: it leaves this folder behind if it runs.
    with transaction.atomic(), pytest.raises(services.UnknownHandler):
        services.outbox_add(handler="os.makedirs", payload={"name": str(trace)})
    row = OutboxMessage.objects.create(
        handler="os.makedirs", payload={"name": str(trace)}, next_attempt_at=timezone.now()
    )

    assert services.outbox_deliver(message_id=row.pk) is False

    row.refresh_from_db()
    assert row.sent_at is None and "not in OUTBOX_HANDLERS" in row.last_error
    assert not trace.exists()
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_message_must_be_written_inside_the_callers_transaction():
    """Outside a transaction a message could outlive a change that failed, or be lost with one that committed."""
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        services.outbox_add(handler=HANDLER, payload={"order_id": 1, "event": "placed"})
    assert not OutboxMessage.objects.exists()


def test_staff_see_pending_and_sent_messages_apart(admin_client, shop, django_capture_on_commit_callbacks):
    """The back office lists the outbox read only, filtered by what is still to send."""
    with django_capture_on_commit_callbacks(execute=True):
        place(shop, {shop.raisins: 1})
    with django_capture_on_commit_callbacks(execute=False):
        place(shop, {shop.melon: 1})
    sent_row, pending_row = OutboxMessage.objects.order_by("pk")
    url = reverse("admin:notifications_outboxmessage_changelist")

    pending = admin_client.get(url, {"delivery": "pending"})
    done = admin_client.get(url, {"delivery": "sent"})

    assert list(pending.context["cl"].result_list) == [pending_row]
    assert list(done.context["cl"].result_list) == [sent_row]
    assert admin_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
