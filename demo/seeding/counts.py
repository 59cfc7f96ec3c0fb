"""How many rows of each kind the demo holds, as ``seed_demo`` reports them."""

from __future__ import annotations

from django.db.models import Model

from catalog.models import Category, Product, ProductImage, Review, Variant
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.models import User
from orders.models import Fulfilment, Order, OrderLine
from producers.models import County, Depot, Prefecture, Producer, ProducerMembership, Village

COUNTED_MODELS: tuple[tuple[str, type[Model]], ...] = (
    ("prefectures", Prefecture),
    ("counties", County),
    ("villages", Village),
    ("depots", Depot),
    ("producers", Producer),
    ("producer members", ProducerMembership),
    ("categories", Category),
    ("products", Product),
    ("variants", Variant),
    ("product images", ProductImage),
    ("hosts", Host),
    ("live sessions", LiveSession),
    ("featured live items", LiveSessionItem),
    ("users", User),
    ("orders", Order),
    ("order lines", OrderLine),
    ("parcels", Fulfilment),
    ("reviews", Review),
)


def demo_counts() -> dict[str, int]:
    counts = {label: model._default_manager.count() for label, model in COUNTED_MODELS}
    counts["active products"] = Product.objects.active().count()
    return counts
