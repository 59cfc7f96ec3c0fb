"""The producer's back office for orders: parcels to fulfil, packing slips, the day's pick list, the export, sales.

Kept apart from ``orders/views.py`` (the shopper's pages) because it is a second front end of its own: every
view here wears ``producers.access.producer_back_office``, so ``producer`` is a Producer the signed-in user
works for (a member, or a depot manager assisting it: ``producer.acting_for``), and every parcel is looked up
among that producer's (``orders.selectors.producer_parcels``): another's answers 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import Product
from catalog.pagination import page_of
from marketplace.spreadsheets import csv_download
from marketplace.spreadsheets import spreadsheet_safe as spreadsheet_safe  # also importable from here
from orders import selectors, services
from orders.errors import IllegalTransition, InvalidOrder
from orders.forms import ParcelTransitionForm, PickListDayForm
from orders.models import Fulfilment, OrderLine
from orders.transitions import FULFILLABLE, parcel_next_step
from producers.access import producer_back_office
from producers.models import Producer

PARCELS_PER_PAGE = 20

# The button each parcel shows: the next step of new → packed → shipped → delivered.


def _on_behalf_of(producer: Producer) -> Producer | None:
    return producer if producer.acting_for else None


def _done_message(parcel: Fulfilment, to: str) -> str:
    number = parcel.order.number
    if to == Fulfilment.Status.PACKED:
        return _("The parcel of order %(number)s is packed.") % {"number": number}
    if to == Fulfilment.Status.SHIPPED:
        return _("The parcel of order %(number)s is shipped.") % {"number": number}
    return _("The parcel of order %(number)s is delivered.") % {"number": number}


@producer_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def parcel_list(request: HttpRequest, producer: Producer) -> HttpResponse:
    """The producer's parcels in one status (a tab each: new, packed, shipped, delivered) with their next step.

    A step is a POST of ``ParcelTransitionForm`` to this page; done, it comes back here (POST/redirect/GET)
    with a note; refused (not the next step, the order no longer fulfillable, no tracking number for an
    address), the page shows why beside the parcel, with what was typed.
    """
    tab = request.GET.get("status", "")
    if tab not in selectors.PARCEL_TABS:
        tab = Fulfilment.Status.NEW
    parcels = selectors.producer_parcels(producer=producer)
    form = None
    if request.method == "POST":
        form = ParcelTransitionForm(request.POST)
        if form.is_valid():
            try:
                parcel = parcels.get(pk=form.cleaned_data["parcel"])
            except Fulfilment.DoesNotExist:
                raise Http404 from None
            to = form.cleaned_data["to"]
            try:
                services.fulfilment_transition(
                    fulfilment=parcel,
                    to=to,
                    actor=request.user,
                    tracking_number=form.cleaned_data["tracking_number"],
                    carrier=form.cleaned_data["carrier"],
                    on_behalf_of=_on_behalf_of(producer),
                )
            except IllegalTransition as error:
                form.add_error(None, str(error))
            except InvalidOrder as error:
                form.add_service_errors(error.errors)
            else:
                messages.success(request, _done_message(parcel, to))
                return redirect(f"{reverse('dashboard-orders', kwargs={'producer': producer.slug})}?status={tab}")
    page, page_note = page_of(request, parcels.filter(status=tab), per_page=PARCELS_PER_PAGE)
    failed_parcel = form.data.get("parcel") if form is not None else None
    for parcel in page:
        parcel.next_step = parcel_next_step(parcel.status) if parcel.order.status in FULFILLABLE else None
        parcel.form = form if failed_parcel == str(parcel.pk) else None
    context = {
        "producer": producer,
        "tab": tab,
        "tabs": [
            (status, Fulfilment.Status(status).label, count)
            for status, count in selectors.producer_parcel_counts(producer=producer).items()
        ],
        "page_obj": page,
        "page_note": page_note,
        "form": form,
    }
    return render(request, "orders/back_office_orders.html", context, status=400 if form is not None else 200)


@producer_back_office
@require_GET
def packing_slip(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """One parcel's packing slip, to print and put in the box: where it goes and what is in it, no prices."""
    try:
        parcel = selectors.producer_parcels(producer=producer).get(pk=pk)
    except Fulfilment.DoesNotExist:
        raise Http404 from None
    return render(request, "orders/back_office_packing_slip.html", {"producer": producer, "parcel": parcel})


@producer_back_office
@require_GET
def pick_list(request: HttpRequest, producer: Producer) -> HttpResponse:
    """What to take from the store for one day's orders, variant by variant, to print.

    The day (``?date=YYYY-MM-DD``, default today in Asia/Shanghai) is the day the orders were placed;
    the list holds the parcels of those orders still to pack (status new). Parcels of earlier days still
    to pack are counted, with a link to them, so nothing is forgotten. A date that is not one is an error
    on the page (400).
    """
    form = PickListDayForm(request.GET)
    today = selectors.back_office_today()
    context = {"producer": producer, "form": form, "today": today}
    if not form.is_valid():
        return render(request, "orders/back_office_pick_list.html", context, status=400)
    day = form.cleaned_data["date"] or today
    rows = list(selectors.producer_pick_list(producer=producer, day=day))
    context.update(
        day=day,
        rows=rows,
        units=sum(row.units for row in rows),
        earlier=selectors.producer_parcels_to_pack_before(producer=producer, day=day),
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1) if day < today else None,
    )
    return render(request, "orders/back_office_pick_list.html", context)


# The export


def _csv_rows(producer: Producer, language: str) -> Iterator[list[str]]:
    with translation.override(language):
        yield [
            _("Order number"),
            _("Date"),
            _("Order status"),
            _("Parcel status"),
            _("SKU"),
            _("Product"),
            _("Variant"),
            _("Quantity"),
            _("Unit price (CNY)"),
            _("Line total (CNY)"),
            _("Delivery"),
            _("City or pickup depot"),
            _("Tracking number"),
        ]
        line: OrderLine
        for line in selectors.producer_order_lines(producer=producer).iterator(chunk_size=500):
            order, parcel = line.order, line.fulfilment
            place = order.pickup_depot.name if order.pickup_depot_id else order.ship_city
            yield [
                order.number,
                timezone.localtime(order.created_at, selectors.BACK_OFFICE_ZONE).strftime("%Y-%m-%d %H:%M"),
                order.get_status_display(),
                parcel.get_status_display(),
                line.sku,
                line.product_name,
                line.variant_name,
                line.quantity,
                line.unit_price,
                line.line_total,
                order.get_delivery_method_display(),
                place,
                parcel.tracking_number,
            ]


@producer_back_office
@require_GET
def orders_csv(request: HttpRequest, producer: Producer) -> StreamingHttpResponse:
    """Every line of the producer's orders as CSV: UTF-8 with a byte order mark, so Excel reads Chinese.

    Orders confirmed, paid, completed or refunded (``PRODUCER_SEES``), oldest first, streamed in one query;
    every cell is made safe from spreadsheet formulas.
    """
    filename = f"oasis-orders-{producer.slug}-{selectors.back_office_today():%Y%m%d}.csv"
    return csv_download(_csv_rows(producer, translation.get_language()), filename=filename)


# Sales

CHART_WIDTH = 420
CHART_PAD = 16
DAY_CHART_HEIGHT = 200
DAY_CHART_TOP = 28
DAY_CHART_BOTTOM = 28
PRODUCT_ROW = 46
PRODUCT_BAR = 16
PRODUCT_VALUE_ROOM = 130  # beside the longest bar, for its amount


def _n(value: float) -> str:
    """A coordinate for the SVG: plain digits with a point, whatever the page's language formats numbers as."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class DayBar:
    day: date
    revenue: Decimal
    units: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    labelled: bool


@dataclass(frozen=True)
class ProductBar:
    product: Product
    revenue: Decimal
    units: int
    x: str
    y: str
    width: str
    name_x: str
    name_y: str
    value_x: str
    value_y: str
    value_anchor: str


@dataclass(frozen=True)
class SalesChart:
    """Where every mark of the sales charts goes, in the SVG's own units, mirrored for right-to-left pages."""

    rtl: bool
    width: int
    day_height: int
    plot_start: str
    plot_end: str
    label_y: str
    baseline: str
    top: str
    max_label_x: str
    max_label_anchor: str
    max_revenue: Decimal
    day_bars: list[DayBar]
    product_height: int
    product_bar: int
    product_bars: list[ProductBar]


def sales_chart(report: selectors.SalesReport, *, rtl: bool) -> SalesChart:
    """Bars of revenue by day (oldest first in reading order, so on the right on a right-to-left page) and by product.

    Bars are scaled to the largest amount of their chart; the figures themselves are written in the
    bars' titles and in the table beside the chart.
    """
    plot_width = CHART_WIDTH - 2 * CHART_PAD
    plot_height = DAY_CHART_HEIGHT - DAY_CHART_TOP - DAY_CHART_BOTTOM
    baseline = DAY_CHART_TOP + plot_height

    def across(x: float, width: float) -> float:
        """``x`` of a mark ``width`` wide, counted from the start of the line: from the right on an RTL page."""
        return CHART_WIDTH - x - width if rtl else x

    count = len(report.days)
    slot = plot_width / max(count, 1)
    bar_width = slot * 0.7
    top_day = max((day.revenue for day in report.days), default=Decimal("0"))
    day_bars = []
    for index, day in enumerate(report.days):
        height = float(day.revenue / top_day) * plot_height if top_day else 0.0
        x = across(CHART_PAD + index * slot + (slot - bar_width) / 2, bar_width)
        day_bars.append(
            DayBar(
                day=day.day,
                revenue=day.revenue,
                units=day.units,
                x=_n(x),
                y=_n(baseline - height),
                width=_n(bar_width),
                height=_n(height),
                label_x=_n(x + bar_width / 2),
                # A date under every seventh bar, counted back from the last day, so the latest is always named.
                labelled=(count - 1 - index) % 7 == 0,
            )
        )

    top_product = max((row.revenue for row in report.products), default=Decimal("0"))
    room = plot_width - PRODUCT_VALUE_ROOM
    product_bars = []
    for index, row in enumerate(report.products):
        row_top = CHART_PAD + index * PRODUCT_ROW
        width = float(row.revenue / top_product) * room if top_product else 0.0
        x = across(CHART_PAD, width)
        product_bars.append(
            ProductBar(
                product=row.product,
                revenue=row.revenue,
                units=row.units,
                x=_n(x),
                y=_n(row_top + 22),
                width=_n(width),
                name_x=_n(CHART_WIDTH - CHART_PAD if rtl else CHART_PAD),
                name_y=_n(row_top + 16),
                value_x=_n(x - 6 if rtl else x + width + 6),
                value_y=_n(row_top + 35),
                value_anchor="end" if rtl else "start",
            )
        )
    return SalesChart(
        rtl=rtl,
        width=CHART_WIDTH,
        day_height=DAY_CHART_HEIGHT,
        plot_start=_n(CHART_PAD),
        plot_end=_n(CHART_WIDTH - CHART_PAD),
        label_y=_n(DAY_CHART_HEIGHT - 8),
        baseline=_n(baseline),
        top=_n(DAY_CHART_TOP),
        max_label_x=_n(CHART_WIDTH - CHART_PAD if rtl else CHART_PAD),
        max_label_anchor="end" if rtl else "start",
        max_revenue=top_day,
        day_bars=day_bars,
        product_height=2 * CHART_PAD + len(product_bars) * PRODUCT_ROW,
        product_bar=PRODUCT_BAR,
        product_bars=product_bars,
    )


@producer_back_office
@require_GET
def sales(request: HttpRequest, producer: Producer) -> HttpResponse:
    """Revenue and units of the last 30 days (Asia/Shanghai) by day and by product: SVG bar charts and tables.

    Every figure comes from ``orders.selectors.producer_sales``, the one definition of a sale.
    """
    report = selectors.producer_sales(producer=producer)
    chart = sales_chart(report, rtl=translation.get_language_bidi())
    context = {
        "producer": producer,
        "report": report,
        "chart": chart,
        "has_sales": any(day.units for day in report.days),
    }
    return render(request, "orders/back_office_sales.html", context)
