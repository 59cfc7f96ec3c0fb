"""Reads of orders shared by pages, the API and emails, with their joins applied."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from catalog.models import PreSale, Product, Variant, variant_on_sale
from catalog.selectors import product_search
from marketplace.models import User
from orders.models import Fulfilment, Order, OrderEvent, OrderLine, ParcelLot, Payment
from orders.models import Refund as RefundRow
from orders.transitions import FULFILLABLE
from producers.models import County, Depot, Prefecture, Producer


def order_details() -> QuerySet[Order]:
    return Order.objects.select_related("pickup_depot", "live_session").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("pre_sale")),
        "payments",
        Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("producer", "depot")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor", "fulfilment__producer")),
    )


def order_for_viewer(*, number: str, user: User | None, token: str = "", granted: Collection[str] = ()) -> Order:
    """The order with this number if this visitor may see it: its shopper, or a guest holding its secret link
    or whose browser session proved it by a code sent to the order's phone (``granted``: the numbers it found).

    Raises ``Order.DoesNotExist`` otherwise, so a page can answer 404 without
    telling whether the number exists.
    """
    order = order_details().get(number=number)
    if order.shopper_id is not None:
        if user is not None and user.is_authenticated and user.pk == order.shopper_id:
            return order
        raise Order.DoesNotExist
    if token and secrets.compare_digest(token, order.guest_token):
        return order
    if order.number in granted:
        return order
    raise Order.DoesNotExist


def guest_order_by_contact(*, number: str, phone: str) -> Order | None:
    """The guest's order (placed without an account) with this number and contact phone, if there is one."""
    return Order.objects.filter(number=number, contact_phone=phone, shopper__isnull=True).first()


@dataclass(frozen=True)
class Refund:
    """Money given back on an order: how much in all, its state, when last, and each refund (``orders.Refund``)."""

    amount: Decimal
    status: str
    status_label: str
    at: datetime | None
    items: tuple[RefundRow, ...] = ()


RECEIVED = (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED)


def _refunds(order: Order) -> list[RefundRow]:
    """``order``'s refunds, oldest first: the prefetched ones (``refunds``), else read with their parcel's producer."""
    if "refunds" in getattr(order, "_prefetched_objects_cache", {}):
        return list(order.refunds.all())
    return list(order.refunds.select_related("fulfilment__producer", "actor"))


def refunds_prefetch() -> Prefetch:
    """Prefetch an order's refunds with what pages show of them: their parcel's producer and who refunded."""
    return Prefetch("refunds", queryset=RefundRow.objects.select_related("fulfilment__producer", "actor"))


def _received(order: Order) -> Decimal:
    return sum((p.amount for p in order.payments.all() if p.status in RECEIVED), Decimal("0.00"))


def order_refundable(order: Order) -> Decimal:
    """What may still be refunded on ``order``: the payments received (succeeded, or refunded since) less every
    refund. Reads no refund when nothing was received (an unpaid order, cash on delivery not yet collected)."""
    received = _received(order)
    if not received:
        return Decimal("0.00")
    return max(received - sum((r.amount for r in _refunds(order)), Decimal("0.00")), Decimal("0.00"))


def parcel_paid(parcel: Fulfilment) -> Decimal:
    """What a parcel cost its shopper: its lines and its shipping fee."""
    return sum((line.line_total for line in parcel.lines.all()), Decimal("0.00")) + parcel.shipping_fee


def parcel_refundable(parcel: Fulfilment) -> Decimal:
    """What was paid for ``parcel`` less what was refunded on it (the order's own limit is ``order_refundable``)."""
    return max(parcel_paid(parcel) - sum((r.amount for r in parcel.refunds.all()), Decimal("0.00")), Decimal("0.00"))


def order_refund_due(order: Order) -> Decimal:
    """What cancelling ``order`` now would refund: the payments that succeeded (prefetched by ``order_details``),
    less what parcel refunds already gave back."""
    if not any(p.status == Payment.Status.SUCCEEDED for p in order.payments.all()):
        return Decimal("0.00")
    return order_refundable(order)


def order_refund_of(order: Order) -> Refund | None:
    """The money given back on an order, each refund with its amount and parcel, or None when none was.

    Refunds are written at once by ``order_cancel``, ``order_refund``, ``parcel_refund`` and a payment that
    arrives too late, so each is done when it is shown. Reads no refund for an order nothing was paid on.
    """
    if not _received(order):
        return None
    items = tuple(_refunds(order))
    if not items:
        return None
    return Refund(
        amount=sum((r.amount for r in items), Decimal("0.00")),
        status=Payment.Status.REFUNDED,
        status_label=str(Payment.Status.REFUNDED.label),
        at=max(r.created_at for r in items),
        items=items,
    )


def orders_of_shopper(*, shopper: User) -> QuerySet[Order]:
    """A shopper's own orders with their lines, parcels and payments (no history), for lists."""
    return (
        Order.objects.filter(shopper=shopper)
        .select_related("pickup_depot", "live_session")
        .prefetch_related(
            "lines", "payments", Prefetch("fulfilments", queryset=Fulfilment.objects.select_related("producer"))
        )
    )


# Orders whose parcels a producer handles or handled. An order still awaiting payment, or cancelled or expired
# before it was paid, is not the producer's to ship: its shopper's address and phone stay hidden.
PRODUCER_SEES = FULFILLABLE | {Order.Status.COMPLETED, Order.Status.REFUNDED}


def fulfilments_of_member(*, user: User) -> QuerySet[Fulfilment]:
    """The parcels of the producers ``user`` is a member of, with what packing and sending them needs.

    Nobody else's: a user who is a member of no producer gets none. Only parcels of orders confirmed,
    paid or done (``PRODUCER_SEES``).
    """
    return (
        Fulfilment.objects.filter(producer__memberships__user=user, order__status__in=PRODUCER_SEES)
        .select_related("order__pickup_depot", "producer", "depot")
        .prefetch_related("lines")
    )


# The producer's back office: parcels to fulfil, pick lists, the export and the sales figures.

# Orders a producer fulfils and is paid for: confirmed cash on delivery, paid, or completed. Orders awaiting
# payment, cancelled, expired or refunded are not sales, and the first three are no work to do either.
PRODUCER_SALES = FULFILLABLE | {Order.Status.COMPLETED}

# The back office's working day: parcels and sales are counted by the day the order was placed there.
BACK_OFFICE_ZONE = ZoneInfo("Asia/Shanghai")

PARCEL_TABS = (
    Fulfilment.Status.NEW,
    Fulfilment.Status.PACKED,
    Fulfilment.Status.SHIPPED,
    Fulfilment.Status.DELIVERED,
)


def back_office_today() -> date:
    return timezone.localdate(timezone=BACK_OFFICE_ZONE)


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants from the start of ``first`` to the end of ``last`` in the back office's zone."""
    start = datetime.combine(first, time.min, tzinfo=BACK_OFFICE_ZONE)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=BACK_OFFICE_ZONE)
    return start, end


def producer_parcels(*, producer: Producer) -> QuerySet[Fulfilment]:
    """``producer``'s parcels of orders confirmed, paid or completed, newest order first.

    Each comes with its order, the pickup depot and only this producer's lines (a parcel holds the
    lines of one producer).
    """
    return (
        Fulfilment.objects.filter(producer=producer, order__status__in=PRODUCER_SALES)
        .select_related("order__pickup_depot", "depot")
        .prefetch_related("lines")
        .order_by("-order__created_at", "-id")
    )


def producer_parcel_counts(*, producer: Producer) -> dict[str, int]:
    """How many of ``producer_parcels`` are in each status of ``PARCEL_TABS``, in one query."""
    counts = dict(
        Fulfilment.objects.filter(producer=producer, order__status__in=PRODUCER_SALES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {status: counts.get(status, 0) for status in PARCEL_TABS}


def producer_pick_list(*, producer: Producer, day: date) -> QuerySet[Variant]:
    """The units to pick for the parcels still to pack (status new) of orders placed on ``day``.

    One row per variant, with its product, the units (``units``) and the number of parcels (``parcels``)
    of ``producer`` that hold it. The day is the back office's (Asia/Shanghai).
    """
    start, end = _day_bounds(day, day)
    return (
        Variant.objects.filter(
            order_lines__producer=producer,
            order_lines__fulfilment__status=Fulfilment.Status.NEW,
            order_lines__order__status__in=FULFILLABLE,
            order_lines__order__created_at__gte=start,
            order_lines__order__created_at__lt=end,
        )
        .annotate(units=Sum("order_lines__quantity"), parcels=Count("order_lines__fulfilment", distinct=True))
        .select_related("product")
        .order_by("product__slug", "position", "sku")
    )


def producer_parcels_to_pack_with_cash(*, producer: Producer, day: date) -> QuerySet[Fulfilment]:
    """The parcels of ``producer_pick_list`` (still to pack, orders placed on ``day``), by order number.

    Each with its order and lines, for ``Fulfilment.amount_to_collect``: how the shopper pays and the cash to
    collect for each parcel.
    """
    start, end = _day_bounds(day, day)
    return (
        Fulfilment.objects.filter(
            producer=producer,
            status=Fulfilment.Status.NEW,
            order__status__in=FULFILLABLE,
            order__created_at__gte=start,
            order__created_at__lt=end,
        )
        .select_related("order")
        .prefetch_related("lines")
        .order_by("order__number", "id")
    )


def producer_parcels_to_pack_before(*, producer: Producer, day: date) -> int:
    """Parcels of ``producer`` still to pack whose order was placed before ``day``: work the day's list leaves out."""
    start, _end = _day_bounds(day, day)
    return Fulfilment.objects.filter(
        producer=producer,
        status=Fulfilment.Status.NEW,
        order__status__in=FULFILLABLE,
        order__created_at__lt=start,
    ).count()


def producer_order_lines(*, producer: Producer) -> QuerySet[OrderLine]:
    """Every line of ``producer`` in orders it handles or handled (``PRODUCER_SEES``), oldest order first.

    For the export: each line carries its order, parcel and the order's pickup depot, its parcel's goods
    (``parcel_goods``: the sum of the parcel's line totals) and whether it is the parcel's first line
    (``parcel_line``, counted from 1).
    """
    return (
        OrderLine.objects.filter(producer=producer, order__status__in=PRODUCER_SEES)
        .select_related("order__pickup_depot", "fulfilment")
        .annotate(
            parcel_goods=Window(Sum("line_total"), partition_by=[F("fulfilment_id")]),
            parcel_line=Window(RowNumber(), partition_by=[F("fulfilment_id")], order_by=F("id").asc()),
        )
        .order_by("order__created_at", "order_id", "id")
    )


@dataclass(frozen=True)
class DaySales:
    day: date
    revenue: Decimal
    units: int


@dataclass(frozen=True)
class ProductSales:
    product: Product
    revenue: Decimal
    units: int


@dataclass(frozen=True)
class SalesReport:
    """A producer's sales of ``first`` to ``last`` (both included): every day, zeros too, and each product sold."""

    first: date
    last: date
    days: list[DaySales]
    products: list[ProductSales]

    @property
    def revenue(self) -> Decimal:
        return sum((day.revenue for day in self.days), Decimal("0.00"))

    @property
    def units(self) -> int:
        return sum(day.units for day in self.days)


def producer_sales(*, producer: Producer, days: int = 30, today: date | None = None) -> SalesReport:
    """Revenue and units of ``producer`` over the last ``days`` days up to ``today``, by day and by product.

    The one definition of a sale: a line of ``producer`` in an order confirmed, paid or completed
    (``PRODUCER_SALES``; not awaiting payment, cancelled, expired or refunded), counted on the day the order
    was placed in Asia/Shanghai. Revenue is the lines' totals (goods, not shipping), as ``Decimal``. Two
    aggregate queries.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    last = today or back_office_today()
    first = last - timedelta(days=days - 1)
    start, end = _day_bounds(first, last)
    lines = OrderLine.objects.filter(
        producer=producer,
        order__status__in=PRODUCER_SALES,
        order__created_at__gte=start,
        order__created_at__lt=end,
    )
    by_day = {
        row["day"]: row
        for row in lines.annotate(day=TruncDate("order__created_at", tzinfo=BACK_OFFICE_ZONE))
        .order_by()
        .values("day")
        .annotate(revenue=Sum("line_total"), units=Sum("quantity"))
    }
    day_rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = by_day.get(day, {})
        day_rows.append(DaySales(day=day, revenue=row.get("revenue") or Decimal("0.00"), units=row.get("units") or 0))
    products = (
        Product.objects.filter(
            variants__order_lines__producer=producer,
            variants__order_lines__order__status__in=PRODUCER_SALES,
            variants__order_lines__order__created_at__gte=start,
            variants__order_lines__order__created_at__lt=end,
        )
        .annotate(revenue=Sum("variants__order_lines__line_total"), units=Sum("variants__order_lines__quantity"))
        .order_by("-revenue", "slug")
    )
    return SalesReport(
        first=first,
        last=last,
        days=day_rows,
        products=[ProductSales(product=p, revenue=p.revenue, units=p.units) for p in products],
    )


def parcels_due_at_depot(*, depot: Depot) -> QuerySet[Fulfilment]:
    """Every parcel that passes through ``depot``, whatever its status; the depot services act only on these.

    A pickup order's parcels, from every producer in it, come to its pickup depot, where the shopper
    collects them. A parcel of an order shipped to an address is gathered at its producer's depot and
    leaves from there with a carrier: the parcel's ``depot`` (the producer's default depot when the order
    was placed), or the producer's default depot now for a parcel placed without one.
    """
    pickup = Q(order__delivery_method=Order.DeliveryMethod.PICKUP, order__pickup_depot=depot)
    consolidated = Q(order__delivery_method=Order.DeliveryMethod.SHIP) & (
        Q(depot=depot) | Q(depot__isnull=True, producer__default_depot=depot)
    )
    return Fulfilment.objects.filter(pickup | consolidated)


# The depot's board: the parcels it works on, by stage.

# How long a parcel handed over stays on the depot's page.
DEPOT_RECENT = timedelta(days=7)

TO_RECEIVE, AT_DEPOT, HANDED_OVER = "to_receive", "at_depot", "handed_over"


@dataclass
class DepotBoard:
    """A depot's parcels by stage, each list in the order the page shows it."""

    to_receive: list[Fulfilment] = field(default_factory=list)
    at_depot: list[Fulfilment] = field(default_factory=list)
    handed_over: list[Fulfilment] = field(default_factory=list)


def depot_parcels(*, depot: Depot, now: datetime | None = None) -> QuerySet[Fulfilment]:
    """The parcels the depot works on, each with ``stage``; with their order, producer and lines.

    Only parcels of orders that may be handled (confirmed cash on delivery, or paid) are to receive or at
    the depot; parcels handed over in the last week stay listed, whatever their order became.
    """
    status = Fulfilment.Status
    pickup = Q(order__delivery_method=Order.DeliveryMethod.PICKUP)
    ship = Q(order__delivery_method=Order.DeliveryMethod.SHIP)
    fulfillable = Q(order__status__in=FULFILLABLE)
    since = (now or timezone.now()) - DEPOT_RECENT
    received = Q(received_at_depot_at__isnull=False)
    to_receive = (
        fulfillable
        & ~received
        & (
            (pickup & Q(status__in=[status.NEW, status.PACKED, status.SHIPPED]))
            | (ship & Q(status__in=[status.NEW, status.PACKED]))
        )
    )
    at_depot = (
        fulfillable
        & received
        & ((pickup & Q(status__in=[status.PACKED, status.SHIPPED])) | (ship & Q(status=status.PACKED)))
    )
    handed_over = (pickup & Q(status=status.DELIVERED, delivered_at__gte=since)) | (
        ship & received & Q(status__in=[status.SHIPPED, status.DELIVERED], shipped_at__gte=since)
    )
    return (
        parcels_due_at_depot(depot=depot)
        .annotate(
            stage=Case(
                When(to_receive, then=Value(TO_RECEIVE)),
                When(at_depot, then=Value(AT_DEPOT)),
                When(handed_over, then=Value(HANDED_OVER)),
                default=None,
                output_field=CharField(),
            )
        )
        .filter(stage__isnull=False)
        .select_related("order", "producer")
        .prefetch_related("lines")
        .order_by("order__created_at", "order_id", "id")
    )


def _handed_over_at(parcel: Fulfilment) -> datetime | None:
    """When the depot gave the parcel away: to the shopper (delivered) or to a carrier (shipped)."""
    if parcel.order.delivery_method == Order.DeliveryMethod.PICKUP:
        return parcel.delivered_at
    return parcel.shipped_at


def _mark_cash_once_per_order(parcels: list[Fulfilment]) -> None:
    """The cash of a pickup order paid on delivery is the whole order's, so it is noted on one parcel only.

    The order's first parcel (of ``parcels``, in the depot's order) gets ``cash_parcels``: the order's
    parcels that the cash covers (and ``cash_producers``, theirs); the others get ``cash_on``: that first
    parcel. Parcels of other orders get neither.
    """
    by_order: dict[int, list[Fulfilment]] = {}
    for parcel in parcels:
        parcel.cash_parcels, parcel.cash_on = [], None  # type: ignore[attr-defined]
        order = parcel.order
        if order.delivery_method == Order.DeliveryMethod.PICKUP and order.collects_cash:
            by_order.setdefault(order.pk, []).append(parcel)
    for together in by_order.values():
        first, *others = together
        first.cash_parcels = together  # type: ignore[attr-defined]
        first.cash_producers = [each.producer for each in together]  # type: ignore[attr-defined]
        for parcel in others:
            parcel.cash_on = first  # type: ignore[attr-defined]


def depot_board(*, depot: Depot) -> DepotBoard:
    """``depot_parcels`` by stage, each with ``handed_over_at``; those handed over latest first.

    A pickup order's cash to collect is marked on its first parcel only (``_mark_cash_once_per_order``).
    """
    board = DepotBoard()
    parcels = list(depot_parcels(depot=depot))
    for parcel in parcels:
        # ``stage`` is annotated by depot_parcels; ``handed_over_at`` is read by the depot's page.
        parcel.handed_over_at = _handed_over_at(parcel)  # type: ignore[attr-defined]
        getattr(board, parcel.stage).append(parcel)  # type: ignore[attr-defined]
    _mark_cash_once_per_order(parcels)
    board.handed_over.sort(key=lambda parcel: parcel.handed_over_at, reverse=True)  # type: ignore[attr-defined]
    return board


COUNTER_RESULTS = 20


def counter_variants(*, q: str, chosen: Collection[int]) -> tuple[list[Variant], list[Variant]]:
    """What a depot's counter order offers: the variants on sale already ``chosen`` (by id, in id order), and
    those of the products a search ``q`` finds (any language, as the shop's search), at most ``COUNTER_RESULTS``
    products' worth, without the chosen ones. Each variant comes with its product and producer."""
    variants = Variant.objects.filter(variant_on_sale()).select_related("product__producer").order_by("id")
    picked = list(variants.filter(pk__in=list(chosen))) if chosen else []
    found: list[Variant] = []
    if q.strip():
        product_ids = list(product_search(q=q, on_sale_only=True).values_list("pk", flat=True)[:COUNTER_RESULTS])
        order = {pk: position for position, pk in enumerate(product_ids)}
        found = sorted(
            variants.filter(product_id__in=product_ids).exclude(pk__in=[v.pk for v in picked]),
            key=lambda variant: (order[variant.product_id], variant.pk),
        )
    return picked, found


def assisted_producers(*, depot: Depot) -> QuerySet[Producer]:
    """Producers of the depot's village who sell through it: its managers list and fulfil for them."""
    return Producer.objects.filter(village_id=depot.village_id, sells_through_depot=True).order_by("slug")


# An order in these statuses holds what it bought: its live units count against the shopper's limit.
HOLDING_STATUSES = [status for status in Order.Status.values if status not in {"cancelled", "expired"}]


def live_units_bought(
    *, item_ids: list[int], shopper: User | None, phone: str = "", exclude_order: Order | None = None
) -> dict[int, int]:
    """Units each featured item sold at its flash price to this buyer, in orders that still hold them.

    A buyer is counted by account and by mobile number together: the orders of the account, and every order
    giving the same number, signed in or not (a guest who signs up later, or a family sharing a phone, stays
    within one limit)."""
    buyer = Q()
    if shopper is not None:
        buyer |= Q(order__shopper=shopper)
    if phone:
        buyer |= Q(order__contact_phone=phone)
    if not buyer:
        return {}
    lines = OrderLine.objects.filter(buyer, live_item_id__in=item_ids, order__status__in=HOLDING_STATUSES)
    if exclude_order is not None:
        lines = lines.exclude(order=exclude_order)
    return dict(lines.values_list("live_item_id").annotate(units=Sum("quantity")))


# A parcel of a confirmed or paid order should leave within this many days of the order being placed.
def missed_ship_by(*, today: date | None = None) -> QuerySet[Fulfilment]:
    """Perishable parcels of orders still to fulfil, not sent, whose ship-by day has passed (Asia/Shanghai):
    they can no longer ship (``Fulfilment.missed_ship_by``)."""
    return Fulfilment.objects.filter(
        order__status__in=FULFILLABLE,
        status__in=[Fulfilment.Status.NEW, Fulfilment.Status.PACKED],
        ship_by__lt=today or back_office_today(),
    )


PARCEL_OVERDUE_AFTER = timedelta(days=3)


def overdue_fulfilments(*, now: datetime | None = None) -> QuerySet[Fulfilment]:
    """Parcels not yet shipped (new or packed) of orders confirmed or paid more than ``PARCEL_OVERDUE_AFTER`` ago.

    The order's creation stands for its confirmation: a cash-on-delivery order is confirmed when it is placed,
    and an online one is paid within its short payment window.
    """
    cutoff = (now or timezone.now()) - PARCEL_OVERDUE_AFTER
    return Fulfilment.objects.filter(
        status__in=[Fulfilment.Status.NEW, Fulfilment.Status.PACKED],
        order__status__in=FULFILLABLE,
        order__created_at__lt=cutoff,
    )


# The staff impact report: what reaches producers registered as low-income households, beside all producers.


@dataclass
class ImpactFigures:
    """Sales (goods, CNY) of all producers and of low-income households, and how many of each sold."""

    sales: Decimal = Decimal("0.00")
    sellers: int = 0
    household_sales: Decimal = Decimal("0.00")
    households: int = 0

    def add(self, other: ImpactFigures) -> None:
        self.sales += other.sales
        self.sellers += other.sellers
        self.household_sales += other.household_sales
        self.households += other.households

    @property
    def share(self) -> Decimal | None:
        """The households' part of the sales, in percent to one decimal; None with no sales."""
        if not self.sales:
            return None
        return (self.household_sales * 100 / self.sales).quantize(Decimal("0.1"))


@dataclass
class ImpactRow:
    county: County
    figures: ImpactFigures

    @property
    def prefecture(self) -> Prefecture:
        return self.county.prefecture


@dataclass
class ImpactMonth:
    month: date  # its first day
    rows: list[ImpactRow] = field(default_factory=list)
    totals: ImpactFigures = field(default_factory=ImpactFigures)


@dataclass
class ImpactReport:
    """A year's sales by month, prefecture and county (Asia/Shanghai), and the year's by county.

    Sellers and households are counted once per county and period: a producer belongs to one county, so the
    totals of a month or of the year add them up exactly, and a household that sold in three months counts
    once in the year.
    """

    year: int
    months: list[ImpactMonth]  # every month of the year, January first, with or without sales
    counties: list[ImpactRow]  # the whole year, by prefecture then county
    totals: ImpactFigures


def _impact_figures(row: dict) -> ImpactFigures:
    return ImpactFigures(
        sales=row["sales"] or Decimal("0.00"),
        sellers=row["sellers"],
        household_sales=row["household_sales"] or Decimal("0.00"),
        households=row["households"],
    )


def impact_sales() -> QuerySet[OrderLine]:
    """The lines whose money reaches their producer: a sale (``PRODUCER_SALES``) in a parcel not cancelled."""
    return OrderLine.objects.filter(order__status__in=PRODUCER_SALES).exclude(
        fulfilment__status=Fulfilment.Status.CANCELLED
    )


def impact_years() -> list[int]:
    """The years with a sale, newest first, and the current one (Asia/Shanghai)."""
    first = impact_sales().order_by("order__created_at").values_list("order__created_at", flat=True).first()
    this_year = back_office_today().year
    start = timezone.localtime(first, BACK_OFFICE_ZONE).year if first else this_year
    return list(range(max(this_year, start), min(this_year, start) - 1, -1))


def impact_report(*, year: int) -> ImpactReport:
    """Sales of ``year`` reaching all producers and those registered as low-income households, by month,
    prefecture and county, counted on the day the order was placed in Asia/Shanghai. Three queries.

    Staff only: the flag and these figures are never shown to shoppers, producers, hosts or the API.
    """
    start, end = _day_bounds(date(year, 1, 1), date(year, 12, 31))
    household = Q(producer__is_low_income_household=True)
    columns = {
        "sales": Sum("line_total"),
        "sellers": Count("producer", distinct=True),
        "household_sales": Sum("line_total", filter=household),
        "households": Count("producer", distinct=True, filter=household),
    }
    lines = impact_sales().filter(order__created_at__gte=start, order__created_at__lt=end).order_by()
    by_month = list(
        lines.annotate(month=TruncMonth("order__created_at", tzinfo=BACK_OFFICE_ZONE))
        .values("month", "producer__village__county")
        .annotate(**columns)
    )
    by_county = list(lines.values("producer__village__county").annotate(**columns))
    counties = County.objects.select_related("prefecture").in_bulk(
        {row["producer__village__county"] for row in by_county}
    )

    def place(county: County) -> tuple:
        return (county.prefecture.name, county.prefecture.slug, county.name, county.slug)

    months = [ImpactMonth(month=date(year, number, 1)) for number in range(1, 13)]
    for values in by_month:
        # TruncMonth gives the month's first moment in Asia/Shanghai.
        month = months[timezone.localtime(values["month"], BACK_OFFICE_ZONE).month - 1]
        month.rows.append(ImpactRow(counties[values["producer__village__county"]], _impact_figures(values)))
    for month in months:
        month.rows.sort(key=lambda line: place(line.county))
        for line in month.rows:
            month.totals.add(line.figures)
    year_rows = sorted(
        (ImpactRow(counties[values["producer__village__county"]], _impact_figures(values)) for values in by_county),
        key=lambda line: place(line.county),
    )
    totals = ImpactFigures()
    for line in year_rows:
        totals.add(line.figures)
    return ImpactReport(year=year, months=months, counties=year_rows, totals=totals)


# A parcel's public trace page: where its produce was grown and picked, nothing about who bought it.


def parcel_lots() -> Prefetch:
    """A parcel's harvest lots (``lots``) with their product and variant, oldest pick date first."""
    lots = ParcelLot.objects.select_related("receipt__lot__product", "receipt__variant")
    return Prefetch("lots", queryset=lots.order_by("receipt__lot__picked_on", "id"))


def parcel_trace(*, pk: int, key: str) -> Fulfilment:
    """The parcel whose trace page address is ``pk`` and ``key`` (``Fulfilment.trace_key``), with its producer's
    village, county and prefecture and the lots it was packed from, or ``Fulfilment.DoesNotExist``. Two queries."""
    parcel = (
        Fulfilment.objects.select_related("producer__village__county__prefecture")
        .prefetch_related(parcel_lots())
        .get(pk=pk)
    )
    if not constant_time_compare(key, parcel.trace_key):
        raise Fulfilment.DoesNotExist
    return parcel


# Pre-sales

PRE_SALE_HOLDING = (Order.Status.AWAITING_PAYMENT, Order.Status.PAID, Order.Status.CONFIRMED)


def producer_pre_sales(*, producer: Producer, limit: int = 50) -> list[PreSale]:
    """``producer``'s pre-sales, open ones first, then the newest: each with ``orders_held`` and ``units_held``,
    the orders it holds (placed, and not cancelled, expired or refunded) and their units."""
    holding = Q(order_lines__order__status__in=PRE_SALE_HOLDING)
    return list(
        PreSale.objects.filter(variant__product__producer=producer)
        .select_related("variant__product")
        .annotate(
            orders_held=Count("order_lines", filter=holding),
            units_held=Coalesce(Sum("order_lines__quantity", filter=holding), 0),
        )
        .order_by("-status", "-opened_at", "-id")[:limit]
    )


def open_pre_sales(*, variant_ids: Collection[int]) -> dict[int, PreSale]:
    """The open pre-sale of each of ``variant_ids`` that has one, by variant id (one query)."""
    return {p.variant_id: p for p in PreSale.objects.filter(variant_id__in=variant_ids, status=PreSale.Status.OPEN)}
