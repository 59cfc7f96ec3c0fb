"""The scheduler `make run` starts (`manage.py run_schedule`) expires unpaid orders past their time, and a payment
for such an order is refused afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalog.models import Variant
from orders.models import Order, Payment
from tests.marketplace.test_serve import database_url
from tests.orders.conftest import place

ROOT = Path(__file__).resolve().parents[2]
EN = {"accept-language": "en"}


def test_once_runs_every_job_and_expires_an_order_past_its_time(shop):
    """`run_schedule --once` (a cron line) expires an unpaid order past its time and gives its stock back."""
    order = place(shop, {shop.grapes: 3}, payment="online")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    call_command("run_schedule", "--once")

    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_process_expires_an_order_past_its_time_and_paying_it_afterwards_is_refused(shop, client):
    """Run as `make run` runs it, the scheduler expires an unpaid order within seconds of its deadline; the payment
    page then refuses the payment with the reason, and nothing changes."""
    order = place(shop, {shop.grapes: 3}, payment="online")
    payment = Payment.objects.get(order=order, status=Payment.Status.PENDING)
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 7
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url(), "CELERY_BROKER_URL": ""}
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "run_schedule", "--every", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(1)  # running, with nothing due yet
        assert Order.objects.get(pk=order.pk).status == Order.Status.AWAITING_PAYMENT
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
        deadline = time.monotonic() + 30
        while Order.objects.get(pk=order.pk).status != Order.Status.EXPIRED:
            assert scheduler.poll() is None, scheduler.stdout.read()
            assert time.monotonic() < deadline, "the scheduler did not expire the order"
            time.sleep(0.1)
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(10) == 0, scheduler.stdout.read()
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
        scheduler.stdout.close()
        connection.close()

    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10
    url = reverse("payment-page", kwargs={"reference": payment.provider_reference})
    response = client.post(url, {"result": "succeeded"}, headers=EN)

    body = response.content.decode()
    assert response.status_code == 409
    assert "because it was not paid in time; its items were released. Order again." in body
    assert "Confirm payment" not in body
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.CANCELLED
    assert not Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).exists()
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10
