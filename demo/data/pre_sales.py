"""The demo farmer's pre-sale: next season's large boxes of seedless grapes, sold before they are picked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from demo.data.catalogue import Trilingual


@dataclass(frozen=True)
class PreSaleSeed:
    product: str  # the slug of one of the demo farmer's products
    sku: str
    size: Trilingual
    grams: int
    price: Decimal
    expected: int  # units the farmer expects to pick
    starts_in: int  # days from the seeding to the harvest's first day
    lasts: int  # days the harvest lasts
    ships_within: int  # days after the harvest's end by which every order ships


PRE_SALE = PreSaleSeed(
    product="abdukerim-seedless-grapes",
    sku="ABDUKERIM-SEEDLESS-GRAPES-BOX-5KG-PRESALE",
    size=("5公斤箱（预售）", "5 كىلوگراملىق قۇتا (ئالدىن سېتىش)", "5 kg box (pre-sale)"),
    grams=5000,
    price=Decimal("128.00"),
    expected=60,
    starts_in=30,
    lasts=10,
    ships_within=2,
)
