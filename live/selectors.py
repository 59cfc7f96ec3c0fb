"""Reads of live sessions shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Least, TruncMonth
from django.utils import timezone

from catalog.models import ProductImage, variant_on_sale
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from marketplace.privacy import masked_name

# Commission months and figures are counted in the region's time.
SHANGHAI = ZoneInfo("Asia/Shanghai")

# How long an ended session stays on the sessions page.
RECENTLY_ENDED = timedelta(days=7)

# A featured item shoppers see: its producer accepted it, and its variant passes the test ``order_place`` applies.
ITEM_ON_SALE = variant_on_sale("variant__") & Q(consent=LiveSessionItem.Consent.ACCEPTED)
SESSION_ITEM_ON_SALE = variant_on_sale("items__variant__") & Q(items__consent=LiveSessionItem.Consent.ACCEPTED)


def on_air(now: datetime | None = None, prefix: str = "") -> Q:
    """Sessions on air: gone live, and the scheduled end not passed (a session ends by itself then)."""
    return Q(**{f"{prefix}status": LiveSession.Status.LIVE, f"{prefix}ends_at__gt": now or timezone.now()})


def session_items() -> QuerySet[LiveSessionItem]:
    return LiveSessionItem.objects.select_related("variant__product__producer").order_by("position", "id")


def sessions_live_now() -> QuerySet[LiveSession]:
    """Sessions on air now, with their featured items, variants and products."""
    return (
        LiveSession.objects.filter(on_air())
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


def listed_sessions(*, now: datetime | None = None) -> QuerySet[LiveSession]:
    """Sessions on air, scheduled and not over, and ended in the last week, with host and ``featured_count``."""
    now = now or timezone.now()
    return (
        LiveSession.objects.filter(
            Q(status=LiveSession.Status.LIVE, ends_at__gte=now - RECENTLY_ENDED)
            # Still to come, or due and not yet on air (a host a few minutes late stays listed).
            | Q(status=LiveSession.Status.SCHEDULED, ends_at__gt=now)
            | Q(status=LiveSession.Status.ENDED, ends_at__gte=now - RECENTLY_ENDED)
        )
        .select_related("host")
        .annotate(featured_count=Count("items", filter=SESSION_ITEM_ON_SALE))
    )


def session_feed(*, now: datetime | None = None) -> QuerySet[LiveSession]:
    """The listed sessions in the order the sessions page shows them, in one ordered query:
    on air, then upcoming (both soonest first), then ended (latest first)."""
    now = now or timezone.now()
    group = Case(
        When(on_air(now), then=Value(0)),
        When(status=LiveSession.Status.SCHEDULED, then=Value(1)),
        default=Value(2),
    )
    ended_at = Case(When(Q(status=LiveSession.Status.ENDED) | Q(status=LiveSession.Status.LIVE), then=F("ends_at")))
    return listed_sessions(now=now).order_by(group, ended_at.desc(nulls_last=True), "starts_at", "id")


def session_listing(*, now: datetime | None = None) -> SessionListing:
    """Sessions on air, scheduled and not over, and ended in the last week, with host and ``featured_count``.

    One query whatever the number of sessions: the three groups are split in Python.
    """
    sessions = listed_sessions(now=now).order_by("starts_at", "id")
    live: list[LiveSession] = []
    upcoming: list[LiveSession] = []
    ended: list[LiveSession] = []
    groups: dict[str, list[LiveSession]] = {LiveSession.Status.LIVE: live, LiveSession.Status.SCHEDULED: upcoming}
    for session in sessions:
        groups.get(session.shown_status, ended).append(session)
    ended.sort(key=lambda session: (session.ends_at, session.pk), reverse=True)
    return SessionListing(live=live, upcoming=upcoming, ended=ended)


# Units a shopper can still buy at the flash price: what the cap leaves, and no more than the variant's stock.
# Both terms are at least 0 (the database holds sold <= cap and stock >= 0), so the result is too.
ITEM_AVAILABLE = Least(F("quantity_cap") - F("quantity_sold"), F("variant__stock"), output_field=IntegerField())


def featured_items() -> QuerySet[LiveSessionItem]:
    """Items on sale with what the session page shows: variant, product, producer and first photo,
    and ``available``: the units a shopper can still buy at the flash price."""
    return (
        LiveSessionItem.objects.filter(ITEM_ON_SALE)
        .annotate(available=ITEM_AVAILABLE)
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


def sessions_with_items() -> QuerySet[LiveSession]:
    """Sessions that are not cancelled, with their host and ``featured``: the items on sale (three queries)."""
    return (
        LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED)
        .select_related("host")
        .prefetch_related(Prefetch("items", queryset=featured_items(), to_attr="featured"))
    )


def session_detail(*, slug: str) -> LiveSession:
    """A session that is not cancelled, with its host and featured items (three queries).

    Raises ``LiveSession.DoesNotExist`` for an unknown or cancelled session.
    """
    return sessions_with_items().get(slug=slug)


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
        .values_list(
            "session__status", "session__ends_at", "variant_id", "quantity_cap", "quantity_sold", "variant__stock"
        )
    )
    if rows:
        status, ends_at = rows[0][:2]
    else:
        status, ends_at = (
            LiveSession.objects.exclude(status=LiveSession.Status.CANCELLED)
            .values_list("status", "ends_at")
            .get(slug=slug)
        )
    shown = LiveSession(status=status, ends_at=ends_at).shown_status
    items = [
        ItemStock(variant=variant, remaining=cap - sold, stock=stock) for _s, _e, variant, cap, sold, stock in rows
    ]
    return SessionStock(status=shown, items=items)


# The host's back office, the producer's proposals and commission reports (pages, the API and the admin).

# Orders that still hold what they bought count in a session's figures.
_HOLDING = ~Q(status__in=["cancelled", "expired"])


def host_of(user) -> Host | None:
    """The active host profile of ``user``, or None (one query)."""
    if user is None or not user.is_authenticated:
        return None
    return Host.objects.filter(user=user, is_active=True).first()


def host_sessions(*, host: Host) -> QuerySet[LiveSession]:
    """Every session of ``host``, newest start first, with ``item_count`` and ``proposed_count``."""
    return (
        LiveSession.objects.filter(host=host)
        .select_related("host")
        .annotate(
            item_count=Count("items"),
            proposed_count=Count("items", filter=Q(items__consent=LiveSessionItem.Consent.PROPOSED)),
        )
        .order_by("-starts_at", "-id")
    )


def host_session(*, host: Host, slug: str) -> LiveSession:
    """One of ``host``'s sessions; another host's or an unknown one raises ``LiveSession.DoesNotExist``."""
    return LiveSession.objects.select_related("host").get(host=host, slug=slug)


def host_session_items(*, session: LiveSession) -> QuerySet[LiveSessionItem]:
    """All items of a session whatever their consent, with variant, product, producer and who answered."""
    return (
        LiveSessionItem.objects.filter(session=session)
        .select_related("variant__product__producer", "consent_by")
        .order_by("position", "id")
    )


@dataclass(frozen=True)
class ItemFigures:
    item_id: int
    variant_id: int
    orders: int
    units: int
    revenue: Decimal


@dataclass(frozen=True)
class SessionFigures:
    """What a session sold: attributed orders (featured items or not) that still hold their goods."""

    orders: int
    units: int
    revenue: Decimal
    items: dict[int, ItemFigures]  # by item id: units sold at the flash price
    commission: dict[str, Decimal]  # by commission kind


def session_figures(*, session: LiveSession) -> SessionFigures:
    """Orders, units and revenue of a session, per featured item, and its commission (four queries)."""
    orders = session.orders.filter(_HOLDING)
    totals = orders.aggregate(n=Count("id", distinct=True), revenue=Sum("subtotal"))
    units = orders.aggregate(units=Sum("lines__quantity"))["units"] or 0
    per_item = (
        LiveSessionItem.objects.filter(session=session)
        .annotate(
            orders=Count("order_lines__order", filter=Q(order_lines__order__in=orders), distinct=True),
            units=Sum("order_lines__quantity", filter=Q(order_lines__order__in=orders)),
            revenue=Sum("order_lines__line_total", filter=Q(order_lines__order__in=orders)),
        )
        .values_list("pk", "variant_id", "orders", "units", "revenue")
    )
    items = {
        pk: ItemFigures(item_id=pk, variant_id=variant, orders=n, units=u or 0, revenue=r or Decimal("0.00"))
        for pk, variant, n, u, r in per_item
    }
    return SessionFigures(
        orders=totals["n"] or 0,
        units=units,
        revenue=totals["revenue"] or Decimal("0.00"),
        items=items,
        commission=commission_balances(CommissionEntry.objects.filter(session=session)),
    )


def commission_balances(entries: QuerySet[CommissionEntry]) -> dict[str, Decimal]:
    """Pending, earned and reversed totals of ``entries`` (one query); zero where there is none."""
    sums = entries.aggregate(
        **{kind: Sum("amount", filter=Q(kind=kind)) for kind in CommissionEntry.Kind.values},
    )
    return {kind: sums[kind] or Decimal("0.00") for kind in CommissionEntry.Kind.values}


def _balance_columns() -> dict:
    return {kind: Sum("amount", filter=Q(kind=kind)) for kind in CommissionEntry.Kind.values}


def commission_by_session(*, host: Host) -> QuerySet:
    """Rows of ``session`` (id), ``session__slug``, titles, ``session__starts_at`` and the three balances."""
    return (
        CommissionEntry.objects.filter(host=host)
        .values("session", "session__slug", "session__starts_at")
        .annotate(**_balance_columns())
        .order_by("-session__starts_at", "-session")
    )


def commission_by_month(*, host: Host | None = None) -> QuerySet:
    """Rows of ``month`` (Asia/Shanghai), ``host`` (id), ``host__display_name`` and the three balances:
    the entries written in that month. Every host's when ``host`` is None (the staff report)."""
    entries = CommissionEntry.objects.all() if host is None else CommissionEntry.objects.filter(host=host)
    return (
        entries.annotate(month=TruncMonth("created_at", tzinfo=SHANGHAI))
        .values("month", "host", "host__display_name")
        .annotate(**_balance_columns())
        .order_by("-month", "host__display_name", "host")
    )


def commission_entries(*, host: Host | None = None) -> QuerySet[CommissionEntry]:
    """The ledger, newest first, with session, order and line (for the CSV exports)."""
    entries = CommissionEntry.objects.all() if host is None else CommissionEntry.objects.filter(host=host)
    return entries.select_related("host", "session", "order", "order_line").order_by("-created_at", "-id")


def proposals_for(*, producers) -> QuerySet[LiveSessionItem]:
    """Items featuring these producers' variants in sessions not over, newest session first, with what the
    producer needs to decide: session, host, variant, product, flash price, cap and limit."""
    return (
        LiveSessionItem.objects.filter(
            variant__product__producer__in=producers,
            session__status__in=[LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE],
        )
        .select_related("session__host", "variant__product__producer", "consent_by")
        .order_by("-session__starts_at", "position", "id")
    )


def proposals_open(*, producers, now: datetime | None = None) -> QuerySet[LiveSessionItem]:
    """``proposals_for`` in sessions whose scheduled end has not passed: the ones a producer may still answer."""
    return proposals_for(producers=producers).filter(session__ends_at__gt=now or timezone.now())


def proposals_waiting_count(*, producer) -> int:
    """How many of the producer's open proposals wait for an answer (one query)."""
    return proposals_open(producers=[producer]).filter(consent=LiveSessionItem.Consent.PROPOSED).count()


# The host's live view: the latest orders a session brought, with the buyer's name masked.

RECENT_ORDERS = 20


@dataclass(frozen=True)
class RecentOrder:
    number: str
    placed_at: datetime
    status: str
    status_label: str
    units: int
    subtotal: Decimal
    buyer: str  # masked: a host never sees the buyer's full name, phone or address
    counted: bool  # still holds its goods, so it counts in the session's figures


def session_recent_orders(*, session: LiveSession, limit: int = RECENT_ORDERS) -> list[RecentOrder]:
    """The latest orders attributed to ``session``, newest first, cancelled and expired ones marked (one query)."""
    orders = session.orders.all()
    statuses = orders.model.Status
    rows = (
        orders.annotate(
            units=Sum("lines__quantity"),
            counted=Case(When(_HOLDING, then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        .order_by("-created_at", "-id")
        .values_list("number", "created_at", "status", "subtotal", "contact_name", "units", "counted")[:limit]
    )
    return [
        RecentOrder(
            number=number,
            placed_at=placed_at,
            status=status,
            status_label=str(statuses(status).label),
            units=units or 0,
            subtotal=subtotal,
            buyer=masked_name(name),
            counted=counted,
        )
        for number, placed_at, status, subtotal, name, units, counted in rows
    ]


def host_items(*, host: Host) -> QuerySet[LiveSessionItem]:
    """Items of ``host``'s sessions, whatever their consent, with their session, variant, product and producer.

    Another host's items are not among them, so looking one up by id answers as if it did not exist."""
    return LiveSessionItem.objects.filter(session__host=host).select_related(
        "session", "variant__product__producer", "consent_by"
    )
