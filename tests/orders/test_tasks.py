"""The orders' periodic job that beat runs: the same expiry as `manage.py expire_unpaid_orders`."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from catalog.models import Variant
from orders.models import Order
from orders.tasks import expire_unpaid_orders
from tests.orders.conftest import CONTACT, place


def test_the_task_expires_unpaid_orders_past_their_time_and_tells_the_shopper(shop, django_capture_on_commit_callbacks):
    """An unpaid order past its time gives its stock back and its shopper is told; one still in time is left."""
    late = place(shop, {shop.grapes: 2}, payment="online")
    in_time = place(shop, {shop.melon: 1}, payment="online")
    Order.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        expired = expire_unpaid_orders.delay().get()

    assert expired == 1
    assert Order.objects.get(pk=late.pk).status == Order.Status.EXPIRED
    assert Order.objects.get(pk=in_time.pk).status == Order.Status.AWAITING_PAYMENT
    assert Variant.objects.get(pk=shop.grapes.pk).stock == 10
    assert [message.to for message in mail.outbox] == [[CONTACT.email]]
    assert "was not paid in time" in mail.outbox[0].subject
