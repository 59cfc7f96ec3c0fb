"""The producer's back office for orders: parcels to fulfil, packing slips, the day's pick list, the export, sales.

Kept apart from ``orders/views.py`` (the shopper's pages) because it is a second front end of its own: every
view here wears ``producers.access.producer_back_office``, so ``producer`` is a Producer the signed-in user
works for (a member, or a depot manager assisting it: ``producer.acting_for``), and every parcel is looked up
among that producer's (``orders.selectors.producer_parcels``): another's answers 404. The export's rows are
written by ``orders/exports.py``, the sales charts' geometry by ``orders/sales_chart.py``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from catalog import services as catalog_services
from catalog.models import PreSale
from catalog.pagination import page_of
from marketplace.flash import flash
from marketplace.forms import service_errors_on_form
from marketplace.phrases import Phrase
from marketplace.qr import qr_svg_inline
from marketplace.spreadsheets import csv_download
from marketplace.spreadsheets import spreadsheet_safe as spreadsheet_safe  # also importable from here
from orders import selectors, services
from orders.errors import IllegalTransition, InvalidOrder, OrderError
from orders.exports import order_lines_rows
from orders.forms import HarvestEnterForm, ParcelTransitionForm, PickListDayForm, PreSaleOpenForm
from orders.models import Fulfilment
from orders.sales_chart import sales_chart
from orders.transitions import FULFILLABLE, parcel_next_step
from producers.access import producer_back_office
from producers.models import Producer

PARCELS_PER_PAGE = 20

# The button each parcel shows: the next step of new → packed → shipped → delivered.


def _on_behalf_of(producer: Producer) -> Producer | None:
    return producer if producer.acting_for else None


def _done_message(parcel: Fulfilment, to: str) -> Phrase:
    number = parcel.order.number
    if to == Fulfilment.Status.PACKED:
        return Phrase(gettext_noop("The parcel of order %(number)s is packed."), number=number)
    if to == Fulfilment.Status.SHIPPED:
        return Phrase(gettext_noop("The parcel of order %(number)s is shipped."), number=number)
    return Phrase(gettext_noop("The parcel of order %(number)s is delivered."), number=number)


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
    """One parcel's packing slip, to print and put in the box: where it goes, what is in it, and the cash to collect.

    No line prices: only how the shopper pays and, for cash on delivery, what the parcel costs them.
    """
    try:
        parcel = selectors.producer_parcels(producer=producer).prefetch_related(selectors.parcel_lots()).get(pk=pk)
    except Fulfilment.DoesNotExist:
        raise Http404 from None
    trace_url = request.build_absolute_uri(parcel.get_trace_url())
    context = {
        "producer": producer,
        "parcel": parcel,
        "trace_url": trace_url,
        "trace_qr": qr_svg_inline(trace_url, title=gettext("Where this parcel comes from")),
    }
    return render(request, "orders/back_office_packing_slip.html", context)


@producer_back_office
@require_GET
def pick_list(request: HttpRequest, producer: Producer) -> HttpResponse:
    """What to take from the store for one day's orders, variant by variant, to print.

    The day (``?date=YYYY-MM-DD``, default today in Asia/Shanghai) is the day the orders were placed;
    the list holds the parcels of those orders still to pack (status new), then those parcels one by one with
    how the shopper pays and the cash to collect. Parcels of earlier days still
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
    cash = list(selectors.producer_parcels_to_pack_with_cash(producer=producer, day=day))
    context.update(
        day=day,
        rows=rows,
        cash=cash,
        cash_total=sum((parcel.amount_to_collect or Decimal("0.00") for parcel in cash), Decimal("0.00")),
        units=sum(row.units for row in rows),
        earlier=selectors.producer_parcels_to_pack_before(producer=producer, day=day),
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1) if day < today else None,
    )
    return render(request, "orders/back_office_pick_list.html", context)


# The export


@producer_back_office
@require_GET
def orders_csv(request: HttpRequest, producer: Producer) -> StreamingHttpResponse:
    """Every line of the producer's orders as CSV: UTF-8 with a byte order mark, so Excel reads Chinese.

    Orders confirmed, paid, completed or refunded (``PRODUCER_SEES``), oldest first, streamed in one query;
    every cell is made safe from spreadsheet formulas.
    """
    filename = f"oasis-orders-{producer.slug}-{selectors.back_office_today():%Y%m%d}.csv"
    return csv_download(order_lines_rows(producer=producer, language=translation.get_language()), filename=filename)


# Sales


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


# Pre-sales


def _pre_sales_page(
    request: HttpRequest,
    producer: Producer,
    *,
    form: PreSaleOpenForm | None = None,
    harvest: tuple[int, HarvestEnterForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    pre_sales = selectors.producer_pre_sales(producer=producer)
    for pre_sale in pre_sales:
        if pre_sale.is_open:
            pre_sale.harvest_form = (  # type: ignore[attr-defined]
                harvest[1] if harvest and harvest[0] == pre_sale.pk else HarvestEnterForm(prefix=f"ps{pre_sale.pk}")
            )
    context = {
        "producer": producer,
        "pre_sales": pre_sales,
        "form": form or PreSaleOpenForm(producer=producer, prefix="new"),
    }
    return render(request, "orders/back_office_pre_sales.html", context, status=status)


@producer_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def pre_sales(request: HttpRequest, producer: Producer) -> HttpResponse:
    """The producer's pre-sales, with what each holds; opens a new one."""
    if request.method != "POST":
        return _pre_sales_page(request, producer)
    form = PreSaleOpenForm(request.POST, producer=producer, prefix="new")
    if form.is_valid():
        try:
            pre_sale = catalog_services.presale_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("The pre-sale of %(name)s is open: shoppers can order %(n)s units."),
                name=pre_sale.variant.label,
                n=pre_sale.expected_quantity,
            )
            return redirect(
                reverse("dashboard-pre-sales", kwargs={"producer": producer.slug}) + f"#pre-sale-{pre_sale.pk}"
            )
    return _pre_sales_page(request, producer, form=form, status=400)


@producer_back_office
@require_http_methods(["POST"])
def pre_sale_harvest(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """Enter the harvest of one of the producer's open pre-sales: its orders are filled or cut."""
    pre_sale = get_object_or_404(PreSale, pk=pk, variant__product__producer=producer)
    form = HarvestEnterForm(request.POST, prefix=f"ps{pre_sale.pk}")
    if form.is_valid():
        try:
            done = services.presale_harvest(
                pre_sale=pre_sale, quantity=form.cleaned_data["quantity"], actor=request.user
            )
        except InvalidOrder as error:
            for messages_of_field in error.errors.values():
                form.add_error("quantity", messages_of_field)
        except OrderError as error:
            form.add_error(None, str(error))
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop(
                    "Harvest entered: %(filled)s orders are to be packed and shipped, %(cut)s cancelled and refunded."
                ),
                filled=done.orders_filled,
                cut=done.orders_cut,
            )
            return redirect(reverse("dashboard-pre-sales", kwargs={"producer": producer.slug}) + f"#pre-sale-{pk}")
    return _pre_sales_page(request, producer, harvest=(pre_sale.pk, form), status=400)
