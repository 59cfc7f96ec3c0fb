"""The demo's reviews: each buyer's order placed, delivered and reviewed through the order and catalog services."""

from __future__ import annotations

from django.utils import translation

from catalog.models import Review, Variant
from catalog.services import review_add
from demo import images
from demo.data.reviews import REVIEWED_PRODUCT, REVIEWS
from demo.seeding.fields import seed_number
from marketplace.models import User
from orders.services import Contact, Delivery, LineRequest, fulfilment_transition, order_place
from orders.transitions import parcel_steps


def seed_reviews(*, farmer: User) -> None:
    """Each review's buyer, their delivered order and their review; a second run adds nothing."""
    variant = (
        Variant.objects.select_related("product__producer__default_depot")
        .filter(product__slug=REVIEWED_PRODUCT, is_active=True)
        .order_by("position", "pk")
        .first()
    )
    if variant is None:
        return
    product = variant.product
    reviewed = set(Review.objects.filter(product=product).values_list("author__username", flat=True))
    pickup = Delivery(method="pickup", depot_slug=product.producer.default_depot.slug)
    with translation.override("zh-hans"):
        for seed in REVIEWS:
            if seed.username in reviewed:
                continue
            buyer, _created = User.objects.update_or_create(
                username=seed.username,
                defaults={"first_name": seed.first_name, "last_name": seed.last_name, "is_active": True},
            )
            order = order_place(
                shopper=buyer,
                contact=Contact(name=seed.last_name + seed.first_name, phone=seed.phone),
                lines=[LineRequest(variant_id=variant.pk, quantity=seed.quantity)],
                delivery=pickup,
                payment_method="cod",
                idempotency_key=f"demo-review-{seed.username}",
            )
            parcel = order.fulfilments.get()
            for step in parcel_steps(parcel.status, "delivered"):
                parcel = fulfilment_transition(fulfilment=parcel, to=step, actor=farmer)
            photo = None
            if seed.with_photo:
                photo = images.product_photo(picture="grapes", seed=seed_number(f"review:{seed.username}"))
            review_add(product=product, author=buyer, rating=seed.rating, body=seed.body, photo=photo)
