"""The database itself holds the rules: a raw write that breaks one is refused."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from catalog.models import Variant
from orders.models import Order, OrderLine
from tests.factories import (
    CartLineFactory,
    LiveSessionItemFactory,
    OrderFactory,
    OrderLineFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def raw_update(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_stock_cannot_go_below_zero_even_with_raw_sql():
    variant = VariantFactory(stock=2)

    with pytest.raises(IntegrityError, match="variant_stock_not_negative"):
        raw_update("UPDATE catalog_variant SET stock = stock - 3 WHERE id = %s", [variant.pk])

    variant.refresh_from_db()
    assert variant.stock == 2


def test_orm_decrement_past_zero_is_refused():
    variant = VariantFactory(stock=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(stock=F("stock") - 2)

    assert Variant.objects.get(pk=variant.pk).stock == 1


@pytest.mark.parametrize("price", ["-0.01", "0"])
def test_price_cannot_be_zero_or_negative(price):
    variant = VariantFactory(price=Decimal("10.00"))

    with pytest.raises(IntegrityError, match="variant_price_above_zero"):
        raw_update("UPDATE catalog_variant SET price = %s WHERE id = %s", [price, variant.pk])

    assert Variant.objects.get(pk=variant.pk).price == Decimal("10.00")


def test_sku_is_unique():
    VariantFactory(sku="TRP-GRAPE-2.5")

    with pytest.raises(IntegrityError, match="sku"), transaction.atomic():
        VariantFactory(sku="TRP-GRAPE-2.5")

    assert Variant.objects.filter(sku="TRP-GRAPE-2.5").count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 1000])
def test_order_line_quantity_must_be_between_1_and_999(quantity):
    line = OrderLineFactory()

    with pytest.raises(IntegrityError, match="orderline_quantity_range"):
        raw_update(
            "UPDATE orders_orderline SET quantity = %s, line_total = unit_price * %s WHERE id = %s",
            [quantity, quantity, line.pk],
        )

    assert OrderLine.objects.get(pk=line.pk).quantity == 1


def test_order_line_total_must_equal_price_times_quantity():
    line = OrderLineFactory(quantity=2, unit_price=Decimal("10.00"), line_total=Decimal("20.00"))

    with pytest.raises(IntegrityError, match="orderline_total_is_price_times_quantity"):
        raw_update("UPDATE orders_orderline SET line_total = 1 WHERE id = %s", [line.pk])


@pytest.mark.parametrize("quantity", [0, -5])
def test_cart_line_quantity_must_be_positive(quantity):
    line = CartLineFactory(quantity=1)

    with pytest.raises(IntegrityError):
        raw_update("UPDATE orders_cartline SET quantity = %s WHERE id = %s", [quantity, line.pk])


def test_order_number_is_unique():
    first = OrderFactory()

    with pytest.raises(IntegrityError, match="number"), transaction.atomic():
        OrderFactory(number=first.number)


def test_same_shopper_cannot_store_two_orders_under_one_idempotency_key():
    first = OrderFactory(idempotency_key="key-1")

    with pytest.raises(IntegrityError, match="order_shopper_idempotency_key_unique"), transaction.atomic():
        OrderFactory(shopper=first.shopper, idempotency_key="key-1")

    # Another shopper may use the same key, and orders without a key never clash.
    OrderFactory(idempotency_key="key-1")
    OrderFactory(shopper=first.shopper, idempotency_key="")
    OrderFactory(shopper=first.shopper, idempotency_key="")
    assert Order.objects.filter(idempotency_key="key-1").count() == 2


def test_order_total_must_be_subtotal_plus_shipping():
    order = OrderFactory()

    with pytest.raises(IntegrityError, match="order_total_is_subtotal_plus_shipping"):
        raw_update("UPDATE orders_order SET total = total + 1 WHERE id = %s", [order.pk])


def test_shipping_order_needs_an_address_and_pickup_needs_a_depot():
    with pytest.raises(IntegrityError, match="order_delivery_complete"), transaction.atomic():
        OrderFactory(delivery_method=Order.DeliveryMethod.SHIP, pickup_depot=None)
    with pytest.raises(IntegrityError, match="order_delivery_complete"), transaction.atomic():
        OrderFactory(delivery_method=Order.DeliveryMethod.PICKUP, pickup_depot=None)


def test_live_item_cannot_sell_past_its_cap():
    item = LiveSessionItemFactory(quantity_cap=5)

    with pytest.raises(IntegrityError, match="liveitem_sold_within_cap"):
        raw_update("UPDATE live_livesessionitem SET quantity_sold = 6 WHERE id = %s", [item.pk])


def test_a_variant_with_orders_cannot_be_deleted():
    """Orders keep their history: deleting a sold variant is refused (PROTECT)."""
    from django.db.models import ProtectedError

    line = OrderLineFactory()

    with pytest.raises(ProtectedError), transaction.atomic():
        line.variant.delete()

    assert Variant.objects.filter(pk=line.variant_id).exists()
