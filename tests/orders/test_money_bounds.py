"""Prices, quantities and totals are bounded so that no product of them overflows a column.

A unit price is at most ``MAX_PRICE`` wherever one is written (the model, the database, the services, the API,
the back office's forms); a line holds at most ``MAX_LINE_QUANTITY`` units and an order ``MAX_LINES`` lines; so
the largest order there can be fits its totals' columns, which checkout checks once more before writing. A
price of 99,999,999.99 times 101 units used to overflow them: a 500 from the API and the storefront alike.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from catalog import services as catalog_services
from catalog.forms import VariantQuickForm
from catalog.models import Variant
from marketplace.validators import MAX_PRICE
from orders import payments
from orders.checkout import MAX_LINES, MAX_ORDER_TOTAL
from orders.errors import InvalidOrder
from orders.models import MAX_LINE_QUANTITY, Order, OrderLine, Payment, PaymentWebhookEvent
from orders.services import LineRequest, order_place
from tests.api import snapshot
from tests.factories import MembershipFactory, ProductFactory, UserFactory, VariantFactory
from tests.orders.api_support import ORDERS, new_key, order_body
from tests.orders.conftest import CONTACT, pickup, ship

pytestmark = pytest.mark.django_db

OVER = MAX_PRICE + Decimal("0.01")


def test_the_largest_order_there_can_be_fits_the_total_columns(settings):
    """50 lines of 999 units at MAX_PRICE, each from its own producer, shipped with a fee per parcel."""
    settings.FREE_SHIPPING_THRESHOLD = str(MAX_ORDER_TOTAL)  # every parcel pays the fee
    variants = [VariantFactory(price=MAX_PRICE, stock=MAX_LINE_QUANTITY) for _ in range(MAX_LINES)]
    assert MAX_LINES * MAX_LINE_QUANTITY * MAX_PRICE < MAX_ORDER_TOTAL

    order = order_place(
        shopper=None,
        contact=CONTACT,
        lines=[LineRequest(variant_id=v.pk, quantity=MAX_LINE_QUANTITY) for v in variants],
        delivery=ship(),
        payment_method="cod",
    )

    order.refresh_from_db()
    assert order.subtotal == MAX_LINES * MAX_LINE_QUANTITY * MAX_PRICE
    assert order.total == order.subtotal + order.shipping <= MAX_ORDER_TOTAL
    assert OrderLine.objects.filter(order=order, line_total=MAX_LINE_QUANTITY * MAX_PRICE).count() == MAX_LINES


def test_a_total_past_the_columns_is_refused_before_anything_is_written(shop, settings):
    """Unreachable with bounded prices; a shipping fee set absurdly high shows the last guard holds."""
    settings.SHIPPING_FEE_PER_PARCEL = str(MAX_ORDER_TOTAL)
    settings.FREE_SHIPPING_THRESHOLD = str(MAX_ORDER_TOTAL)
    before = snapshot()

    with pytest.raises(InvalidOrder) as refused:
        order_place(
            shopper=None,
            contact=CONTACT,
            lines=[LineRequest(variant_id=shop.grapes.pk, quantity=1)],
            delivery=ship(),
            payment_method="cod",
        )

    assert "lines" in refused.value.errors
    assert snapshot() == before


def test_the_database_refuses_a_price_past_the_bound():
    variant = VariantFactory(price=MAX_PRICE)

    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(price=OVER)


def test_the_model_validates_the_bound():
    variant = VariantFactory.build(price=OVER, product=ProductFactory())

    with pytest.raises(ValidationError) as refused:
        variant.full_clean(exclude=["product"])

    assert "price" in refused.value.message_dict


def test_the_services_refuse_a_price_past_the_bound():
    variant = VariantFactory(price=Decimal("10.00"))

    with pytest.raises(ValidationError) as refused:
        catalog_services.variant_update(variant=variant, price=OVER, actor=None)

    assert "price" in refused.value.message_dict
    assert Variant.objects.get(pk=variant.pk).price == Decimal("10.00")


def test_the_back_office_form_refuses_a_price_past_the_bound():
    form = VariantQuickForm(data={"price": str(OVER), "stock": "1", "expected_stock": "1"})

    assert not form.is_valid()
    assert "price" in form.errors


@pytest.mark.parametrize(
    ("price", "status"),
    [(str(MAX_PRICE), 200), ("100000", 200), (str(OVER), 400), ("99999999.99", 400), (100000.01, 400)],
)
def test_the_api_takes_prices_up_to_the_bound(price, status):
    member = MembershipFactory().user
    variant = VariantFactory(product__producer=member.memberships.get().producer, price=Decimal("10.00"))
    client = Client()
    client.force_login(member)

    response = client.patch(
        f"/api/v1/variants/{variant.pk}/", json.dumps({"price": price}), content_type="application/json"
    )

    assert response.status_code == status
    assert Variant.objects.get(pk=variant.pk).price == (MAX_PRICE if status == 200 else Decimal("10.00"))


def test_the_api_order_that_once_overflowed_is_placed(roles, settings):
    """A price of 99,999,999.99 for 101 units overflowed the line total; 999 units at MAX_PRICE are placed."""
    variant = VariantFactory(price=MAX_PRICE, stock=MAX_LINE_QUANTITY)
    client = roles.client("shopper")

    response = client.post(
        ORDERS, order_body({variant: MAX_LINE_QUANTITY}), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 201
    assert response.json()["subtotal"] == f"{MAX_PRICE * MAX_LINE_QUANTITY:.2f}"


@pytest.mark.parametrize("quantity", [0, MAX_LINE_QUANTITY + 1, 10**30, -1])
def test_the_api_refuses_quantities_outside_one_to_999(roles, quantity):
    variant = VariantFactory(price=MAX_PRICE, stock=MAX_LINE_QUANTITY)
    before = snapshot()

    response = roles.client("shopper").post(
        ORDERS, order_body({variant: quantity}), format="json", HTTP_IDEMPOTENCY_KEY=new_key()
    )

    assert response.status_code == 400
    assert list(response.json()) == ["lines"]
    assert snapshot() == before


def test_the_storefront_checks_out_the_largest_line(shop):
    """The storefront's checkout of 999 units at MAX_PRICE: placed, never a 500."""
    variant = VariantFactory(price=MAX_PRICE, stock=MAX_LINE_QUANTITY, product__producer=shop.grapes.product.producer)
    client = Client()
    client.force_login(UserFactory())
    client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": MAX_LINE_QUANTITY})
    page = client.get(reverse("checkout")).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]

    response = client.post(
        reverse("checkout"),
        {
            "idempotency_key": key,
            "name": "Ayşe",
            "phone": "138 0013 8000",
            "delivery_method": "pickup",
            "depot": shop.depot.slug,
            "payment_method": "cod",
        },
    )

    assert response.status_code == 302
    assert Order.objects.get().subtotal == MAX_PRICE * MAX_LINE_QUANTITY


# The payment webhook: every field checked, never cut short


@pytest.fixture
def unpaid(shop) -> Payment:
    order = order_place(
        shopper=None,
        contact=CONTACT,
        lines=[LineRequest(variant_id=shop.grapes.pk, quantity=1)],
        delivery=pickup(shop),
        payment_method="online",
    )
    return Payment.objects.get(order=order)


def _notify(body: object) -> int:
    raw = json.dumps(body).encode()
    return (
        Client()
        .post(
            reverse("payment-webhook", kwargs={"provider": "simulated"}),
            data=raw,
            content_type="application/json",
            headers={payments.SIGNATURE_HEADER: payments.sign(raw)},
        )
        .status_code
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 12345),
        ("id", ["evt"]),
        ("id", "e" * 101),
        ("id", "evt\u202e"),
        ("id", None),
        ("reference", 10**30),
        ("reference", {"a": 1}),
        ("result", True),
        ("result", "SUCCEEDED"),
        ("amount", "-0.01"),
        ("amount", -5),
        ("amount", "1e2"),
        ("amount", " 59.90"),
        ("amount", [59.9]),
        ("amount", None),
    ],
)
def test_a_signed_notification_with_any_field_wrong_is_refused(unpaid, field, value):
    """Each of the four fields has its type and range: an id is never truncated into another event's."""
    good = {"id": "evt-1", "reference": unpaid.provider_reference, "result": "succeeded", "amount": str(unpaid.amount)}

    assert _notify({**good, field: value}) == 400
    assert not PaymentWebhookEvent.objects.exists()
    assert Payment.objects.get(pk=unpaid.pk).status == Payment.Status.PENDING


def test_a_signed_notification_with_every_field_right_is_applied(unpaid):
    good = {"id": "e" * 100, "reference": unpaid.provider_reference, "result": "succeeded", "amount": unpaid.amount}

    assert _notify({**good, "amount": float(unpaid.amount), "extra": [1, {"ignored": True}]}) == 200
    assert Payment.objects.get(pk=unpaid.pk).status == Payment.Status.SUCCEEDED


def test_a_notification_nested_deep_or_signed_oddly_is_a_400(unpaid):
    url = reverse("payment-webhook", kwargs={"provider": "simulated"})
    deep = b"[" * 100_000 + b"]" * 100_000
    client = Client()

    signed = client.post(url, deep, content_type="application/json", headers={"x-oasis-signature": payments.sign(deep)})
    odd = client.post(url, b"{}", content_type="application/json", headers={"x-oasis-signature": "\u00e9"})

    assert (signed.status_code, odd.status_code) == (400, 400)


def test_a_notification_past_the_size_limit_is_a_json_413(settings):
    body = b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = Client().post(
        reverse("payment-webhook", kwargs={"provider": "simulated"}), body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
