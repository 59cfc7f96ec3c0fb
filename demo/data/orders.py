"""The demo shopper's orders, and guests' pickup orders at the depot demo-depot manages."""

from __future__ import annotations

from dataclasses import dataclass

from demo.data.accounts import FARMER_PRODUCER, MANAGED_DEPOT
from demo.data.geography import DEPOTS
from demo.data.producers import PRODUCERS
from orders.models import Order


@dataclass(frozen=True)
class ShopperOrderSeed:
    """An order of the demo shopper: one unit of one of demo-farmer's products, its parcel moved to ``goal``."""

    key: str  # the idempotency key: a later run returns the order instead of placing another
    # "pickup" at the producer's default depot, or "ship" to SHOPPER_ADDRESS.
    delivery: str
    # The status the parcel moves to: "new", "packed", "shipped" or "delivered".
    goal: str
    tracking_number: str = ""
    payment_method: str = Order.PaymentMethod.COD


@dataclass(frozen=True)
class DepotOrderSeed:
    """A guest's pickup order at the managed depot: one unit from each of ``producers``, in that order."""

    key: str
    name: str
    phone: str
    producers: tuple[str, ...]  # producer slugs
    # Received at the depot from every producer.
    received: bool = False


def _assisted_producer(depot: str) -> str:
    """The producer of the depot's village who sells through the depot."""
    village = next(seed.village for seed in DEPOTS if seed.slug == depot)
    return next(seed.slug for seed in PRODUCERS if seed.sells_through_depot and seed.village == village)


# The demo shopper's phone, and where their shipped orders go: (province, city, district, street, postcode).
SHOPPER_PHONE = "13800138000"
SHOPPER_ADDRESS = ("上海市", "上海市", "徐汇区", "漕溪北路 88 号", "200030")

SHOPPER_ORDERS: tuple[ShopperOrderSeed, ...] = (
    ShopperOrderSeed("demo-order-delivered", "pickup", "delivered"),
    ShopperOrderSeed("demo-order-on-its-way", "ship", "shipped", tracking_number="SF1400000001"),
    # Waiting for the simulated online payment (expire_unpaid_orders releases it when due); placed only while
    # the simulated provider is enabled.
    ShopperOrderSeed("demo-order-to-pay", "pickup", "new", payment_method="online"),
)

DEPOT_ORDERS: tuple[DepotOrderSeed, ...] = (
    DepotOrderSeed(
        "demo-order-depot-to-receive",
        "古丽娜尔",
        "13900139001",
        (_assisted_producer(MANAGED_DEPOT), FARMER_PRODUCER),
    ),
    DepotOrderSeed("demo-order-depot-received", "Alim", "13900139002", ("grape-valley-cooperative",), received=True),
)
