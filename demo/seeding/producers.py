"""The demo producers (verified through the producers' services, as staff would), their photos and members."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.hashers import make_password

from demo.data.accounts import FARMER_PRODUCER, PRODUCER_MEMBERS
from demo.data.catalogue import KINDS, PRODUCTS
from demo.data.producers import PRODUCERS
from demo.seeding import photos
from demo.seeding.fields import seed_number, translated_fields
from marketplace.models import User
from producers.models import Depot, Producer, ProducerMembership, Village
from producers.services import producers_unverify, producers_verify


def _nearest_depot(village: Village, depots: dict[str, Depot]) -> Depot:
    """The depot in the producer's village, else one in its county, else one in its prefecture."""
    candidates = sorted(depots.values(), key=lambda depot: depot.slug)
    for same in (
        lambda depot: depot.village_id == village.pk,
        lambda depot: depot.village.county_id == village.county_id,
        lambda depot: depot.village.county.prefecture_id == village.county.prefecture_id,
    ):
        for depot in candidates:
            if same(depot):
                return depot
    return candidates[0]


def seed_producers(
    *, villages: dict[str, Village], depots: dict[str, Depot], admin: User, now: datetime
) -> dict[str, Producer]:
    producers = {}
    for seed in PRODUCERS:
        village = villages[seed.village]
        producer = Producer.objects.filter(slug=seed.slug).first() or Producer(slug=seed.slug)
        producer.kind = seed.kind
        producer.village = village
        producer.is_low_income_household = seed.low_income
        producer.sells_through_depot = seed.sells_through_depot
        producer.default_depot = _nearest_depot(village, depots)
        for name, value in translated_fields(seed.name, seed.story).items():
            setattr(producer, name, value)
        producer.save()
        producers[seed.slug] = producer
    # Verification goes through the same service as the admin's action: it records
    # who and when once, and a later run keeps that record.
    verified = {seed.slug for seed in PRODUCERS if seed.verified}
    producers_verify(producers=Producer.objects.filter(slug__in=verified), actor=admin)
    producers_unverify(producers=Producer.objects.filter(slug__in=producers.keys() - verified), actor=admin)
    for producer in producers.values():
        producer.refresh_from_db(fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    return producers


def seed_producer_photos(*, producers: dict[str, Producer]) -> None:
    first_kind = {}
    for seed in PRODUCTS:
        first_kind.setdefault(seed.producer, seed.kind)
    for slug, producer in producers.items():
        if producer.photo:
            continue
        photo = photos.product_picture(picture=KINDS[first_kind[slug]].picture, seed=seed_number(f"producer:{slug}"))
        producer.photo.save(photo.name, photo, save=True)


def seed_members(*, producers: dict[str, Producer], farmer: User) -> dict[str, User]:
    """A member of each producer the demo host features, by producer slug: they answer the host's proposals."""
    ProducerMembership.objects.update_or_create(
        producer=producers[FARMER_PRODUCER], user=farmer, defaults={"role": ProducerMembership.Role.OWNER}
    )
    members = {FARMER_PRODUCER: farmer}
    for username, first_name, producer_slug in PRODUCER_MEMBERS:
        fields = {"first_name": first_name, "email": f"{username}@oasis.example", "is_active": True}
        user, _ = User.objects.update_or_create(
            username=username, defaults=fields, create_defaults={**fields, "password": make_password(None)}
        )
        ProducerMembership.objects.update_or_create(
            producer=producers[producer_slug], user=user, defaults={"role": ProducerMembership.Role.OWNER}
        )
        members[producer_slug] = user
    return members
