"""Reads of places and producers shared by pages and the API, with their joins applied."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from marketplace.models import User
from producers.models import County, Depot, DepotDay, Producer, ProducerMembership, Village

# An active product's status (``catalog.models.Product.Status.ACTIVE``): catalog sits above producers.
PRODUCT_ACTIVE = "active"

# Staff-only or private: public pages never need them, so they are not even read.
PRIVATE_PRODUCER_FIELDS = ("is_low_income_household", "phone", "verified_by")


def public_producers() -> QuerySet[Producer]:
    """Verified producers, with their village, county and prefecture, without staff-only fields."""
    return (
        Producer.objects.filter(is_verified=True)
        .select_related("village__county__prefecture")
        .defer(*PRIVATE_PRODUCER_FIELDS)
    )


def public_producer_profiles() -> QuerySet[Producer]:
    """Verified producers as the API lists them, by slug, with ``product_count``: their products on sale."""
    return (
        public_producers()
        .annotate(product_count=Count("products", filter=Q(products__status=PRODUCT_ACTIVE)))
        .order_by("slug")
    )


def producer_detail(*, slug: str) -> Producer:
    """A verified producer; raises ``Producer.DoesNotExist`` for an unknown or unverified one."""
    return public_producers().get(slug=slug)


def villages() -> QuerySet[Village]:
    return Village.objects.select_related("county__prefecture").order_by("county__slug", "slug")


def village_detail(*, slug: str) -> Village:
    return villages().get(slug=slug)


def pickup_depots() -> QuerySet[Depot]:
    """Depots open for collection: the ones a shopper may choose for pickup."""
    return Depot.objects.filter(is_active=True).order_by("slug")


def village_profiles() -> QuerySet[Village]:
    """Villages with ``active_depots`` and ``verified_producers`` in slug order, one query each however many."""
    return villages().prefetch_related(
        Prefetch("depots", queryset=pickup_depots(), to_attr="active_depots"),
        Prefetch(
            "producers", queryset=public_producers().select_related(None).order_by("slug"), to_attr="verified_producers"
        ),
    )


def village_producers(*, village: Village) -> QuerySet[Producer]:
    return public_producers().filter(village=village).order_by("slug")


def featured_villages(*, limit: int = 8) -> list[Village]:
    """Villages staff feature on the home page."""
    return list(villages().filter(is_featured=True).order_by("slug")[:limit])


def counties() -> QuerySet[County]:
    return County.objects.select_related("prefecture").order_by("prefecture__position", "slug")


def dashboard_producers(*, user: User) -> QuerySet[Producer]:
    """The producers whose back office ``user`` may open: their own, and those they assist.

    A member works for their producers. A manager of an active depot works for the producers of
    that depot's village who sell through the depot (``sells_through_depot``). Each row carries
    ``acting_for``: true when the user is not a member, so every action is recorded on behalf.
    """
    if not user.is_authenticated:
        return Producer.objects.none()
    member = Exists(ProducerMembership.objects.filter(producer=OuterRef("pk"), user=user))
    assisted = Q(
        sells_through_depot=True,
        village__depots__is_active=True,
        village__depots__managers=user,
    )
    return (
        Producer.objects.filter(Q(memberships__user=user) | assisted)
        .annotate(is_member=member)
        .select_related("village")
        .distinct()
        .order_by("slug")
    )


def dashboard_producer(*, user: User, slug: str) -> Producer:
    """One producer of ``dashboard_producers`` with ``acting_for`` set; ``Producer.DoesNotExist`` otherwise."""
    producer = dashboard_producers(user=user).get(slug=slug)
    # ``is_member`` is annotated by dashboard_producers; ``acting_for`` is read by the dashboard's pages.
    producer.acting_for = not producer.is_member  # type: ignore[attr-defined]
    return producer


def depot_managers_of(*, producer: Producer) -> QuerySet[User]:
    """The managers of the active depots in the village of a producer that sells through its depot (who list
    and fulfil for it); none for any other producer."""
    if not producer.sells_through_depot:
        return User.objects.none()
    return User.objects.filter(
        managed_depots__village_id=producer.village_id, managed_depots__is_active=True
    ).distinct()


def managed_depots(*, user: User) -> QuerySet[Depot]:
    """The active depots ``user`` manages, with their village."""
    if not user.is_authenticated:
        return Depot.objects.none()
    return Depot.objects.filter(managers=user, is_active=True).select_related("village").order_by("slug")


def pending_application(*, user: User) -> Producer | None:
    """The producer ``user`` applied for that staff have not verified yet, if any."""
    return (
        Producer.objects.filter(memberships__user=user, is_verified=False, rejected_at__isnull=True)
        .order_by("created_at")
        .first()
    )


def pending_applications() -> QuerySet[Producer]:
    """Producers waiting for staff to verify them (or reject them)."""
    return Producer.objects.filter(is_verified=False, rejected_at__isnull=True)


# Pickup orders are collected from the day after they are placed, and a full depot offers the days after it,
# this many at most.
PICKUP_LEAD_DAYS = 1
PICKUP_HORIZON_DAYS = 14


def depot_first_pickup_day(*, today: date | None = None) -> date:
    """The first day a pickup order placed ``today`` (Asia/Shanghai) can be collected."""
    return (today or timezone.localdate()) + timedelta(days=PICKUP_LEAD_DAYS)


def depot_bookings(*, depot_ids: list[int], first: date, horizon: int) -> dict[tuple[int, date], int]:
    """Pickup orders booked at each depot on each of the ``horizon`` days from ``first``, by (depot id, day); a
    day without any is missing. One query."""
    rows = DepotDay.objects.filter(
        depot_id__in=depot_ids, day__gte=first, day__lt=first + timedelta(days=horizon)
    ).values_list("depot_id", "day", "orders")
    return {(depot_id, day): orders for depot_id, day, orders in rows}


def depot_pickup_days(*, depots: list[Depot], first: date, horizon: int) -> dict[int, date | None]:
    """For each depot, the first day from ``first`` with room for one more pickup order (``Depot.daily_capacity``
    against ``DepotDay``), or None when the ``horizon`` days from ``first`` are all full. One query."""
    limited = {depot.pk: depot.daily_capacity for depot in depots if depot.daily_capacity is not None}
    booked = depot_bookings(depot_ids=list(limited), first=first, horizon=horizon) if limited else {}
    found: dict[int, date | None] = {}
    for depot in depots:
        capacity = limited.get(depot.pk)
        days = (first + timedelta(days=offset) for offset in range(horizon))
        found[depot.pk] = (
            first if capacity is None else next((d for d in days if booked.get((depot.pk, d), 0) < capacity), None)
        )
    return found
