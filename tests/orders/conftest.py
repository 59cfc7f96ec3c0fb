"""A small shop for order tests: two verified producers, a depot, variants with stock."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from catalog.models import Variant
from orders.services import Address, Contact, Delivery, LineRequest, order_place
from producers.models import Depot
from tests.factories import DepotFactory, MembershipFactory, ProducerFactory, ProductFactory, VariantFactory


@dataclass
class Shop:
    grapes: Variant
    raisins: Variant
    melon: Variant
    depot: Depot


@pytest.fixture
def shop(db) -> Shop:
    vineyard = ProducerFactory(name_zh="", name_en="Abdukerim's Vineyard", original_language="en")
    melon_farm = ProducerFactory(name_zh="", name_en="Eli's Melon Farm", original_language="ug")
    MembershipFactory(producer=vineyard, user__email="farmer@example.com")
    MembershipFactory(producer=melon_farm, user__email="melons@example.com")
    grapes = VariantFactory(
        product=ProductFactory(
            producer=vineyard, name_zh="", name_en="Seedless grapes", original_language="en", is_perishable=True
        ),
        name_zh="",
        name_en="2.5 kg box",
        price=Decimal("59.90"),
        stock=10,
    )
    raisins = VariantFactory(
        product=ProductFactory(producer=vineyard, name_zh="", name_en="Raisins", original_language="en"),
        name_zh="",
        name_en="1 kg bag",
        price=Decimal("35.00"),
        stock=50,
    )
    melon = VariantFactory(
        product=ProductFactory(
            producer=melon_farm, name_zh="", name_en="Hami melon", original_language="en", is_perishable=True
        ),
        name_zh="",
        name_en="One melon",
        price=Decimal("38.00"),
        stock=5,
    )
    return Shop(grapes=grapes, raisins=raisins, melon=melon, depot=DepotFactory(slug="grape-valley"))


CONTACT = Contact(name="Ayşe", phone="13800138000", email="ayse@example.com")
ADDRESS = Address(
    recipient="Li Wei",
    phone="+86 139 0000 1111",
    province="浙江省",
    city="杭州市",
    district="西湖区",
    street="文三路 1 号",
)


def pickup(shop: Shop) -> Delivery:
    return Delivery(method="pickup", depot_slug=shop.depot.slug)


def ship() -> Delivery:
    return Delivery(method="ship", address=ADDRESS)


def place(shop: Shop, lines: dict[Variant, int], *, shopper=None, payment="cod", delivery=None, key="", **kwargs):
    return order_place(
        shopper=shopper,
        contact=CONTACT,
        lines=[LineRequest(variant_id=v.pk, quantity=q) for v, q in lines.items()],
        delivery=delivery or pickup(shop),
        payment_method=payment,
        idempotency_key=key,
        **kwargs,
    )
