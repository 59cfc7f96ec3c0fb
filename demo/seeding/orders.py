"""The demo shopper's orders and the managed depot's pickup orders, placed and moved through the order services."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from catalog.models import Product, Variant
from demo.data.accounts import FARMER_PRODUCER, MANAGED_DEPOT
from demo.data.orders import DEPOT_ORDERS, SHOPPER_ADDRESS, SHOPPER_ORDERS, SHOPPER_PHONE
from marketplace.models import User
from orders.models import Cart, CartLine, Order
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_place,
    parcel_receive_at_depot,
)
from orders.transitions import parcel_steps
from producers.models import Depot, Producer


def seed_orders(*, shopper: User, farmer: User) -> None:
    """Orders of the demo shopper, placed and moved through the order services like real ones.

    Idempotency keys make a second run return the same orders; parcels only move forward.
    """
    variants = list(
        Variant.objects.filter(
            product__producer__slug=FARMER_PRODUCER, product__status=Product.Status.ACTIVE, stock__gte=2
        ).order_by("pk")[:3]
    )
    producer = Producer.objects.get(slug=FARMER_PRODUCER)
    contact = Contact(name=shopper.first_name or shopper.username, phone=SHOPPER_PHONE, email=shopper.email)
    province, city, district, street, postcode = SHOPPER_ADDRESS
    deliveries = {
        "pickup": Delivery(method="pickup", depot_slug=producer.default_depot.slug),
        "ship": Delivery(
            method="ship",
            address=Address(
                recipient=contact.name,
                phone=contact.phone,
                province=province,
                city=city,
                district=district,
                street=street,
                postcode=postcode,
            ),
        ),
    }
    seeds = [
        seed
        for seed in SHOPPER_ORDERS
        if seed.payment_method != Order.PaymentMethod.ONLINE or settings.SIMULATED_PAYMENTS_ENABLED
    ]
    # Something in the demo shopper's cart, so the checkout page opens straight away.
    cart, _created = Cart.objects.get_or_create(user=shopper)
    CartLine.objects.get_or_create(cart=cart, variant=variants[0], defaults={"quantity": 1})
    with translation.override("zh-hans"):
        for seed, variant in zip(seeds, variants, strict=False):
            order = order_place(
                shopper=shopper,
                contact=contact,
                lines=[LineRequest(variant_id=variant.pk, quantity=1)],
                delivery=deliveries[seed.delivery],
                payment_method=seed.payment_method,
                idempotency_key=seed.key,
            )
            parcel = order.fulfilments.get()
            for step in parcel_steps(parcel.status, seed.goal):
                parcel = fulfilment_transition(
                    fulfilment=parcel, to=step, actor=farmer, tracking_number=seed.tracking_number
                )


def seed_depot_orders(*, manager: User) -> None:
    """Guests' pickup orders at the managed depot: one to receive from two producers, one already received.

    Placed and moved through the order services; idempotency keys make a second run change nothing.
    """
    depot = Depot.objects.get(slug=MANAGED_DEPOT)
    producers = Producer.objects.filter(village=depot.village, is_verified=True)
    first_variant = {}
    for variant in (
        Variant.objects.filter(product__producer__in=producers, product__status=Product.Status.ACTIVE, stock__gte=2)
        .select_related("product__producer")
        .order_by("pk")
    ):
        first_variant.setdefault(variant.product.producer.slug, variant)
    pickup = Delivery(method="pickup", depot_slug=depot.slug)
    with translation.override("zh-hans"):
        for seed in DEPOT_ORDERS:
            order = order_place(
                shopper=None,
                contact=Contact(name=seed.name, phone=seed.phone),
                lines=[LineRequest(variant_id=first_variant[slug].pk, quantity=1) for slug in seed.producers],
                delivery=pickup,
                payment_method=Order.PaymentMethod.COD,
                idempotency_key=seed.key,
            )
            if seed.received:
                for parcel in order.fulfilments.filter(received_at_depot_at__isnull=True):
                    parcel_receive_at_depot(fulfilment=parcel, depot=depot, actor=manager)
