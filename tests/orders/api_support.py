"""What the orders API tests share: goods of the two producers of ``roles``, order bodies, orders placed directly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rest_framework.test import APIClient

from catalog.models import Variant
from marketplace.models import User
from orders.models import Order
from orders.services import Delivery, LineRequest, order_place
from producers.models import Depot
from tests.api import Roles
from tests.factories import DepotFactory, ProductFactory, VariantFactory
from tests.orders.conftest import ADDRESS, CONTACT

ORDERS = "/api/v1/orders/"
FULFILMENTS = "/api/v1/fulfilments/"


def new_key() -> str:
    """A fresh Idempotency-Key, as a client makes one for each order it means to place."""
    return uuid.uuid4().hex


SHIP_TO = {
    "recipient": "Li Wei",
    "phone": "+86 139 0000 1111",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "street": "文三路 1 号",
    "postcode": "310000",
}


@dataclass
class Goods:
    grapes: Variant  # sold by roles.producer
    raisins: Variant  # sold by roles.producer
    melon: Variant  # sold by roles.other_producer
    depot: Depot


def make_goods(roles: Roles) -> Goods:
    def variant(producer, name: str, price: str, stock: int) -> Variant:
        product = ProductFactory(producer=producer, name_zh="", name_en=name, original_language="en")
        return VariantFactory(product=product, name_zh="", name_en="Box", price=Decimal(price), stock=stock)

    return Goods(
        grapes=variant(roles.producer, "Seedless grapes", "59.90", 10),
        raisins=variant(roles.producer, "Raisins", "35.00", 50),
        melon=variant(roles.other_producer, "Hami melon", "38.00", 5),
        depot=DepotFactory(slug="grape-valley"),
    )


def api(roles: Roles, role: str) -> APIClient:
    """The role's client, reading answers in English."""
    client = roles.client(role)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def order_body(lines: dict[Variant, int], *, depot: Depot | None = None, **extra: Any) -> dict[str, Any]:
    """A request to place an order: shipped to ``SHIP_TO``, or picked up at ``depot``."""
    delivery = {"method": "pickup", "depot": depot.slug} if depot else {"method": "ship", "address": dict(SHIP_TO)}
    return {
        "lines": [{"variant": variant.pk, "quantity": quantity} for variant, quantity in lines.items()],
        "contact": {"name": "Ayşe", "phone": "138 0013 8000", "email": "ayse@example.com"},
        "delivery": delivery,
        "payment_method": "cod",
        **extra,
    }


def place(
    shopper: User | None, lines: dict[Variant, int], *, depot: Depot | None = None, payment: str = "cod"
) -> Order:
    """An order placed through the service, as the storefront would: shipped, or picked up at ``depot``."""
    return order_place(
        shopper=shopper,
        contact=CONTACT,
        lines=[LineRequest(variant_id=variant.pk, quantity=quantity) for variant, quantity in lines.items()],
        delivery=Delivery(method="pickup", depot_slug=depot.slug)
        if depot
        else Delivery(method="ship", address=ADDRESS),
        payment_method=payment,
    )
