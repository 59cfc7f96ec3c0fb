"""Reads of live sessions shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from catalog.models import ProductImage, variant_on_sale
from live.models import LiveSession, LiveSessionItem

# How long an ended session stays on the sessions page.
RECENTLY_ENDED = timedelta(days=7)

# A featured item a shopper can buy: the same test ``order_place`` applies to a variant.
ITEM_ON_SALE = variant_on_sale("variant__")
SESSION_ITEM_ON_SALE = variant_on_sale("items__variant__")


def session_items() -> QuerySet[LiveSessionItem]:
    return LiveSessionItem.objects.select_related("variant__product__producer").order_by("position", "id")


def sessions_live_now() -> QuerySet[LiveSession]:
    """Sessions on air now, with their featured items, variants and products."""
    return (
        LiveSession.objects.filter(status=LiveSession.Status.LIVE)
        .select_related("host")
        .prefetch_related(Prefetch("items", queryset=session_items()))
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class SessionListing:
    live: list[LiveSession]
    upcoming: list[LiveSession]
    ended: list[LiveSession]

    def __bool__(self) -> bool:
        return bool(self.live or self.upcoming or self.ended)


def session_listing(*, now: datetime | None = None) -> SessionListing:
    """Sessions on air, scheduled and not over, and ended in the last week, with host and ``featured_count``.

    One query whatever the number of sessions: the three groups are split in Python.
    """
    now = now or timezone.now()
    sessions = (
        LiveSession.objects.filter(
            Q(status=LiveSession.Status.LIVE)
            # Still to come, or due and not yet on air (a host a few minutes late stays listed).
            | Q(status=LiveSession.Status.SCHEDULED, ends_at__gt=now)
            | Q(status=LiveSession.Status.ENDED, ends_at__gte=now - RECENTLY_ENDED)
        )
        .select_related("host")
        .annotate(featured_count=Count("items", filter=SESSION_ITEM_ON_SALE))
        .order_by("starts_at", "id")
    )
    live, upcoming, ended = [], [], []
    for session in sessions:
        {LiveSession.Status.LIVE: live, LiveSession.Status.SCHEDULED: upcoming}.get(session.status, ended).append(
            session
        )
    ended.sort(key=lambda session: (session.ends_at, session.pk), reverse=True)
    return SessionListing(live=live, upcoming=upcoming, ended=ended)


def featured_items() -> QuerySet[LiveSessionItem]:
    """Items on sale with what the session page shows: variant, product, producer and first photo."""
    return (
        LiveSessionItem.objects.filter(ITEM_ON_SALE)
        .select_related("variant__product__producer")
        .prefetch_related(
            Prefetch(
                "variant__product__images",
                queryset=ProductImage.objects.order_by("position", "id")[:1],
                to_attr="first_images",
            )
        )
        .order_by("position", "id")
    )


def session_detail(*, slug: str) -> LiveSession:
    """A session that is not cancelled, with its host and featured items (three queries).

    Raises ``LiveSession.DoesNotExist`` for an unknown or cancelled session.
    """
    return (
        LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED)
        .select_related("host")
        .prefetch_related(Prefetch("items", queryset=featured_items(), to_attr="featured"))
        .get(slug=slug)
    )


@dataclass(frozen=True)
class ItemStock:
    variant: int
    remaining: int
    stock: int


@dataclass(frozen=True)
class SessionStock:
    status: str
    items: list[ItemStock]


def session_stock(*, slug: str) -> SessionStock:
    """What a session page polls: its status and, per item on sale, remaining at the flash price and stock.

    One query (a second only when the session has no item on sale, to tell it from an unknown one).
    Raises ``LiveSession.DoesNotExist`` for an unknown or cancelled session.
    """
    rows = list(
        LiveSessionItem.objects.filter(ITEM_ON_SALE, session__slug=slug)
        .exclude(session__status=LiveSession.Status.CANCELLED)
        .order_by("position", "id")
        .values_list("session__status", "variant_id", "quantity_cap", "quantity_sold", "variant__stock")
    )
    if rows:
        status = rows[0][0]
    else:
        status = (
            LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED)
            .values_list("status", flat=True)
            .get(slug=slug)
        )
    items = [ItemStock(variant=variant, remaining=cap - sold, stock=stock) for _, variant, cap, sold, stock in rows]
    return SessionStock(status=status, items=items)
