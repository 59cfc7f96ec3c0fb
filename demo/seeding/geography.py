"""The demo region's prefectures, counties and villages (with photos), and its depots."""

from __future__ import annotations

from collections.abc import Sequence

from demo.data.accounts import MANAGED_DEPOT
from demo.data.geography import COURIER_DAYS, DEPOTS, PREFECTURES
from demo.seeding import photos
from demo.seeding.fields import seed_number, text_fields, translated_fields
from marketplace.models import User
from producers.models import County, CourierReach, Depot, Prefecture, Village


def seed_geography() -> dict[str, Village]:
    villages: dict[str, Village] = {}
    for position, seed in enumerate(PREFECTURES, start=1):
        prefecture, _ = Prefecture.objects.update_or_create(
            slug=seed.slug, defaults={"position": position, **translated_fields(seed.name, seed.description)}
        )
        for county_seed in seed.counties:
            county, _ = County.objects.update_or_create(
                slug=county_seed.slug,
                defaults={"prefecture": prefecture, **translated_fields(county_seed.name, county_seed.description)},
            )
            for province, days in COURIER_DAYS:
                CourierReach.objects.get_or_create(county=county, province=province, defaults={"days": days})
            for village_seed in county_seed.villages:
                village, _ = Village.objects.update_or_create(
                    slug=village_seed.slug,
                    defaults={
                        "county": county,
                        "is_featured": village_seed.featured,
                        **translated_fields(village_seed.name, village_seed.description),
                    },
                )
                if not village.photo:
                    photo = photos.village_picture(seed=seed_number(village.slug))
                    village.photo.save(photo.name, photo, save=True)
                villages[village.slug] = village
    return villages


def seed_depots(*, villages: dict[str, Village], managers: Sequence[User]) -> dict[str, Depot]:
    depots = {}
    for seed in DEPOTS:
        depot, _ = Depot.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "village": villages[seed.village],
                **text_fields("address", seed.address),
                "opening_hours": seed.opening_hours,
                "is_active": True,
                **translated_fields(seed.name),
            },
        )
        depots[seed.slug] = depot
    depots[MANAGED_DEPOT].managers.add(*managers)
    return depots
