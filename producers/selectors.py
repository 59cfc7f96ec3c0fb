"""Reads of places and producers shared by pages and the API, with their joins applied."""

from __future__ import annotations

from django.db.models import QuerySet

from producers.models import County, Producer, Village

# Staff-only or private: public pages never need them, so they are not even read.
PRIVATE_PRODUCER_FIELDS = ("is_low_income_household", "phone", "verified_by")


def public_producers() -> QuerySet[Producer]:
    """Verified producers, with their village, county and prefecture, without staff-only fields."""
    return (
        Producer.objects.filter(is_verified=True)
        .select_related("village__county__prefecture")
        .defer(*PRIVATE_PRODUCER_FIELDS)
    )


def producer_detail(*, slug: str) -> Producer:
    """A verified producer; raises ``Producer.DoesNotExist`` for an unknown or unverified one."""
    return public_producers().get(slug=slug)


def villages() -> QuerySet[Village]:
    return Village.objects.select_related("county__prefecture").order_by("county__slug", "slug")


def village_detail(*, slug: str) -> Village:
    return villages().get(slug=slug)


def village_producers(*, village: Village) -> QuerySet[Producer]:
    return public_producers().filter(village=village).order_by("slug")


def featured_villages(*, limit: int = 8) -> list[Village]:
    """Villages staff feature on the home page."""
    return list(villages().filter(is_featured=True).order_by("slug")[:limit])


def counties() -> QuerySet[County]:
    return County.objects.select_related("prefecture").order_by("prefecture__position", "slug")
