"""Order, payment, stock and sign-in events are logged one line each, with ids and amounts and no personal data."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Variant
from catalog.services import variant_restock, variant_update
from marketplace import audit_log
from orders import payments
from orders.errors import InsufficientStock, PaymentRejected
from orders.models import Fulfilment, Order, Payment
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_place,
    order_refund,
    orders_expire_unpaid,
    payment_record_result,
)
from tests.factories import DepotFactory, ProducerFactory, ProductFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-shopper-password-1"
CONTACT = Contact(name="Ayşe Yılmaz", phone="13800138000", email="ayse.yilmaz@example.com")
ADDRESS = Address(
    recipient="Li Wei",
    phone="13900001111",
    province="浙江省",
    city="杭州市",
    district="西湖区",
    street="文三路 478 号",
    postcode="310013",
)
# Whatever names, reaches or locates the shopper, or was typed to sign in: none of it may be in any log record.
PERSONAL = [
    CONTACT.name,
    "Yılmaz",
    CONTACT.phone,
    CONTACT.email,
    "ayse.yilmaz",
    ADDRESS.recipient,
    ADDRESS.phone,
    ADDRESS.city,
    ADDRESS.district,
    ADDRESS.street,
    "文三路",
    ADDRESS.postcode,
    "ayse-shopper",
    PASSWORD,
    "a-wrong-password-2",
]


@pytest.fixture
def shop(db):
    producer = ProducerFactory()
    grapes = VariantFactory(product=ProductFactory(producer=producer), price=Decimal("59.90"), stock=10)
    melon = VariantFactory(product=ProductFactory(producer=producer), price=Decimal("38.00"), stock=5)
    return grapes, melon, DepotFactory(slug="grape-valley")


@pytest.fixture
def shopper(db):
    return UserFactory(username="ayse-shopper", email=CONTACT.email, password=PASSWORD)


def place(lines: dict[Variant, int], *, shopper, payment: str, delivery: Delivery) -> Order:
    return order_place(
        shopper=shopper,
        contact=CONTACT,
        lines=[LineRequest(variant_id=variant.pk, quantity=n) for variant, n in lines.items()],
        delivery=delivery,
        payment_method=payment,
    )


def events(records: list[logging.LogRecord]) -> list[tuple[str, str, dict]]:
    return [(r.name, r.event, r.event_fields) for r in records if getattr(r, "event", None)]


def named(found: list[tuple[str, str, dict]], event: str) -> list[dict]:
    return [fields for _logger, name, fields in found if name == event]


def everything_written(record: logging.LogRecord) -> str:
    """All a handler could write of ``record``: its message, its fields, its traceback, and its JSON line."""
    parts = [record.getMessage(), repr(getattr(record, "event_fields", "")), record.exc_text or ""]
    parts.append(audit_log.JsonFormatter().format(record))
    return "\n".join(parts)


def post_webhook(client, body: bytes, signature: str):
    return client.post(
        reverse("payment-webhook", args=["simulated"]),
        data=body,
        content_type="application/json",
        headers={payments.SIGNATURE_HEADER: signature},
    )


def test_a_shoppers_orders_payments_and_sign_ins_log_their_events_and_nothing_that_names_the_shopper(
    client, shop, shopper, caplog, django_capture_on_commit_callbacks
):
    """Placing, paying, cancelling and expiring orders, a forged notification, and failed and successful
    sign-ins each log their event on their domain's logger, with ids and amounts; no record of any logger, at
    any level, holds the shopper's name, phone, email, address, username or password."""
    grapes, melon, depot = shop
    shipped, pickup = Delivery(method="ship", address=ADDRESS), Delivery(method="pickup", depot_slug=depot.slug)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        paid = place({grapes: 2, melon: 1}, shopper=shopper, payment="online", delivery=shipped)
        payment = paid.payments.get(status=Payment.Status.PENDING)
        body = payments.simulated_notification_body(
            reference=payment.provider_reference, amount=payment.amount, succeeded=True
        )
        assert post_webhook(client, body, payments.sign(body)).status_code == 200
        assert post_webhook(client, body, "0" * 64).status_code == 400

        cancelled = place({grapes: 1}, shopper=shopper, payment="cod", delivery=pickup)
        order_cancel(order=cancelled, actor=shopper, reason="Ayşe Yılmaz changed her mind")

        expired = place({melon: 1}, shopper=None, payment="online", delivery=shipped)
        orders_expire_unpaid(now=timezone.now() + timedelta(days=1))

        refused = client.post(reverse("login"), {"username": CONTACT.email, "password": "a-wrong-password-2"})
        guessed = client.post(reverse("login"), {"username": "ayse-shopper", "password": "a-wrong-password-2"})
        signed_in = client.post(reverse("login"), {"username": "ayse-shopper", "password": PASSWORD})
    assert refused.status_code == guessed.status_code == 200 and signed_in.status_code == 302

    found = events(caplog.records)
    assert named(found, "order.placed") == [
        {
            "order": order.number,
            "order_id": order.pk,
            "user_id": user_id,
            "status": order.status,
            "payment_method": order.payment_method,
            "delivery": order.delivery_method,
            "lines": order.lines.count(),
            "parcels": order.fulfilments.count(),
            "subtotal": str(order.subtotal),
            "shipping": str(order.shipping),
            "total": str(order.total),
            "currency": "CNY",
            "live_session_id": None,
        }
        for order, user_id in ((paid, shopper.pk), (cancelled, shopper.pk), (expired, None))
    ]
    assert named(found, "order.paid") == [
        {
            "order": paid.number,
            "order_id": paid.pk,
            "user_id": shopper.pk,
            "payment_id": payment.pk,
            "amount": str(payment.amount),
        }
    ]
    assert named(found, "payment.notification_accepted")[0]["reference"] == payment.provider_reference
    assert named(found, "payment.notification_refused") == [{"cause": "signature"}]
    assert named(found, "order.cancelled") == [
        {
            "order": cancelled.number,
            "order_id": cancelled.pk,
            "user_id": shopper.pk,
            "total": "59.90",
            "actor_id": shopper.pk,
        }
    ]
    assert named(found, "order.expired") == [
        {"order": expired.number, "order_id": expired.pk, "user_id": None, "total": str(expired.total)}
    ]
    taken = named(found, "stock.taken")
    assert [fields["quantities"] for fields in taken] == [
        {str(grapes.pk): 2, str(melon.pk): 1},
        {str(grapes.pk): 1},
        {str(melon.pk): 1},
    ]
    assert taken[0]["stock"] == {str(grapes.pk): 8, str(melon.pk): 4}
    assert [(f["order_id"], f["quantities"]) for f in named(found, "stock.released")] == [
        (cancelled.pk, {str(grapes.pk): 1}),
        (expired.pk, {str(melon.pk): 1}),
    ]
    # An email typed where no account has it as its username; then the shopper's username with a wrong password.
    assert named(found, "auth.sign_in_failed") == [
        {"user_id": None, "path": reverse("login")},
        {"user_id": shopper.pk, "path": reverse("login")},
    ]
    assert named(found, "auth.signed_in") == [{"user_id": shopper.pk, "path": reverse("login")}]
    loggers = {name: logger for logger, name, _fields in found}
    assert loggers["order.placed"] == "oasis.orders"
    assert loggers["payment.notification_refused"] == "oasis.payments"
    assert loggers["stock.taken"] == "oasis.stock"
    assert loggers["auth.sign_in_failed"] == "oasis.auth"

    leaks = [
        (record.name, personal)
        for record in caplog.records
        for personal in PERSONAL
        if personal in everything_written(record)
    ]
    assert leaks == []


def test_a_refund_and_every_outcome_of_a_payment_notification_are_logged(
    shop, shopper, caplog, django_capture_on_commit_callbacks
):
    """A staff refund of a completed order; a notification for an unknown payment, with the wrong amount, a failed
    payment and a replay of it: each its own event."""
    grapes, melon, depot = shop
    staff = UserFactory(is_staff=True)
    pickup = Delivery(method="pickup", depot_slug=depot.slug)
    with django_capture_on_commit_callbacks(execute=True):
        completed = place({grapes: 1}, shopper=shopper, payment="cod", delivery=pickup)
        for step in (Fulfilment.Status.PACKED, Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED):
            fulfilment_transition(fulfilment=completed.fulfilments.get(), to=step, actor=staff)
        unpaid = place({melon: 1}, shopper=shopper, payment="online", delivery=pickup)
    payment = unpaid.payments.get()
    caplog.clear()

    def notify(*, reference=payment.provider_reference, amount=payment.amount, event_id="evt-1"):
        with contextlib.suppress(PaymentRejected):
            payment_record_result(
                provider="simulated", event_id=event_id, reference=reference, succeeded=False, amount=amount
            )

    with caplog.at_level(logging.INFO, logger="oasis"), django_capture_on_commit_callbacks(execute=True):
        order_refund(order=completed, actor=staff)
        notify(reference="no-such-payment")
        notify(amount=payment.amount + 1)
        notify()
        notify()

    assert [(name, fields) for _logger, name, fields in events(caplog.records)] == [
        ("payment.notification_refused", {"provider": "simulated", "cause": "unknown_payment"}),
        (
            "payment.notification_refused",
            {
                "provider": "simulated",
                "cause": "amount_mismatch",
                "payment_id": payment.pk,
                "order_id": unpaid.pk,
                "amount": str(payment.amount + 1),
                "expected": str(payment.amount),
            },
        ),
        ("payment.notification_replayed", {"provider": "simulated", "payment_id": payment.pk}),
        (
            "order.refunded",
            {
                "order": completed.number,
                "order_id": completed.pk,
                "user_id": shopper.pk,
                "total": str(completed.total),
                "actor_id": staff.pk,
            },
        ),
        (
            "payment.failed",
            {
                "order": unpaid.number,
                "order_id": unpaid.pk,
                "user_id": shopper.pk,
                "payment_id": payment.pk,
                "amount": str(payment.amount),
            },
        ),
    ]
    # Not every record is an event: the worker's own lines (the refund's notices) have none.
    refused = {r.levelname for r in caplog.records if getattr(r, "event", None) == "payment.notification_refused"}
    assert refused == {"WARNING"}


def test_an_event_is_one_key_value_line_and_one_json_object(shop, caplog, django_capture_on_commit_callbacks):
    grapes, _melon, depot = shop
    with caplog.at_level(logging.INFO, logger="oasis"), django_capture_on_commit_callbacks(execute=True):
        order = place({grapes: 1}, shopper=None, payment="cod", delivery=Delivery("pickup", depot_slug=depot.slug))
    record = next(r for r in caplog.records if getattr(r, "event", None) == "order.placed")

    assert record.getMessage().startswith(f"event=order.placed order={order.number} order_id={order.pk} user_id=- ")
    assert "\n" not in record.getMessage() and "total=59.90" in record.getMessage()
    line = json.loads(audit_log.JsonFormatter().format(record))
    assert line["logger"] == "oasis.orders" and line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert (line["event"], line["order"], line["order_id"], line["total"]) == (
        "order.placed",
        order.number,
        order.pk,
        "59.90",
    )


def test_nothing_is_logged_for_an_order_that_rolled_back_but_its_shortfall_is(
    shop, caplog, django_capture_on_commit_callbacks
):
    """Events of a transaction are logged when it commits: an order refused for stock was never placed."""
    grapes, melon, depot = shop
    pickup = Delivery(method="pickup", depot_slug=depot.slug)
    with (
        caplog.at_level(logging.INFO, logger="oasis"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(InsufficientStock),
    ):
        place({grapes: 1, melon: 6}, shopper=None, payment="cod", delivery=pickup)

    assert [(name, fields) for _logger, name, fields in events(caplog.records)] == [
        ("stock.short", {"variants": {str(melon.pk): {"requested": 6, "available": 5}}})
    ]


def test_stock_counted_anew_and_restocked_is_logged_with_who_did_it(shop, caplog, django_capture_on_commit_callbacks):
    grapes, _melon, _depot = shop
    member = UserFactory()
    with caplog.at_level(logging.INFO, logger="oasis"), django_capture_on_commit_callbacks(execute=True):
        variant_update(variant=grapes, stock=7, expected_stock=10, actor=member)
        variant_restock(variant=grapes, quantity=20, actor=None)

    assert [(name, fields) for _logger, name, fields in events(caplog.records)] == [
        ("stock.adjusted", {"variant_id": grapes.pk, "before": 10, "after": 7, "actor_id": member.pk}),
        ("stock.restocked", {"variant_id": grapes.pk, "quantity": 20, "actor_id": None}),
    ]


def test_a_field_named_for_personal_data_is_never_written(caplog):
    """The last line of defence: a field whose key names personal data or a secret is redacted, whatever it holds."""
    with caplog.at_level(logging.INFO, logger="oasis"):
        audit_log.auth_event(
            "auth.sign_in_failed", email="ayse@example.com", phone_number="13800138000", api_token="abc", method="code"
        )

    (record,) = caplog.records
    assert record.event_fields == {
        "user_id": None,
        "email": "[redacted]",
        "phone_number": "[redacted]",
        "api_token": "[redacted]",
        "method": "code",
    }
    assert "ayse@example.com" not in record.getMessage() and "13800138000" not in record.getMessage()


def test_log_format_json_makes_every_line_of_the_console_one_json_object():
    """LOG_FORMAT=json in the environment: the settings' console handler writes each record as JSON."""
    script = (
        "import logging, django; django.setup(); from marketplace import audit_log; "
        "from decimal import Decimal; "
        "audit_log.log_event(audit_log.ORDERS, 'order.placed', order_id=5, total=Decimal('9.90')); "
        "logging.getLogger('django').warning('plain %s', 'message')"
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "marketplace.settings", "LOG_FORMAT": "json"}

    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [{k: v for k, v in line.items() if k != "time"} for line in lines] == [
        {"level": "INFO", "logger": "oasis.orders", "event": "order.placed", "order_id": 5, "total": "9.90"},
        {"level": "WARNING", "logger": "django", "message": "plain message"},
    ]


def test_an_unknown_log_format_is_refused():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "marketplace.settings", "LOG_FORMAT": "xml"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "LOG_FORMAT must be 'text' or 'json'" in done.stderr
