"""The depot back office: the parcels due at a village depot, its pick list, and receiving and handing over.

HTML views for depot managers, kept apart from the storefront's ``orders/views.py``; with their two small
forms, which only these views use. Every page wears ``producers.access.depot_back_office``: a user who
does not manage the depot gets 404, as for a depot that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from orders import selectors, services
from orders.errors import IllegalTransition, InvalidOrder
from orders.forms import ParcelTransitionForm, ServiceErrorsMixin
from orders.models import Fulfilment, Order
from orders.transitions import FULFILLABLE
from producers import selectors as producer_selectors
from producers.access import depot_back_office
from producers.models import Depot, Producer

# How long a parcel handed over stays on the depot's page.
RECENT = timedelta(days=7)

TO_RECEIVE, AT_DEPOT, HANDED_OVER = "to_receive", "at_depot", "handed_over"

F = Fulfilment.Status
PICKUP = Q(order__delivery_method=Order.DeliveryMethod.PICKUP)
SHIP = Q(order__delivery_method=Order.DeliveryMethod.SHIP)
OPEN = Q(order__status__in=FULFILLABLE)


class ParcelForm(forms.Form):
    parcel = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class HandOverForm(ServiceErrorsMixin, ParcelForm):
    """Handing over; a parcel of an order shipped to an address goes to a carrier with a tracking number."""

    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=50, required=False)
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=50, required=False)

    SERVICE_FIELDS = ParcelTransitionForm.SERVICE_FIELDS


@dataclass
class Board:
    """A depot's parcels by stage, each list in the order the page shows it."""

    to_receive: list[Fulfilment] = field(default_factory=list)
    at_depot: list[Fulfilment] = field(default_factory=list)
    handed_over: list[Fulfilment] = field(default_factory=list)


def depot_parcels(*, depot: Depot, now=None) -> QuerySet[Fulfilment]:
    """The parcels the depot works on, each with ``stage``; with their order, producer and lines.

    Only parcels of orders that may be handled (confirmed cash on delivery, or paid) are to receive or at
    the depot; parcels handed over in the last week stay listed, whatever their order became.
    """
    since = (now or timezone.now()) - RECENT
    received = Q(received_at_depot_at__isnull=False)
    to_receive = (
        OPEN
        & ~received
        & ((PICKUP & Q(status__in=[F.NEW, F.PACKED, F.SHIPPED])) | (SHIP & Q(status__in=[F.NEW, F.PACKED])))
    )
    at_depot = OPEN & received & ((PICKUP & Q(status__in=[F.PACKED, F.SHIPPED])) | (SHIP & Q(status=F.PACKED)))
    handed_over = (PICKUP & Q(status=F.DELIVERED, delivered_at__gte=since)) | (
        SHIP & received & Q(status__in=[F.SHIPPED, F.DELIVERED], shipped_at__gte=since)
    )
    return (
        selectors.parcels_due_at_depot(depot=depot)
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


def _handed_over_at(parcel: Fulfilment):
    """When the depot gave the parcel away: to the shopper (delivered) or to a carrier (shipped)."""
    if parcel.order.delivery_method == Order.DeliveryMethod.PICKUP:
        return parcel.delivered_at
    return parcel.shipped_at


def depot_board(*, depot: Depot) -> Board:
    board = Board()
    for parcel in depot_parcels(depot=depot):
        parcel.handed_over_at = _handed_over_at(parcel)
        getattr(board, parcel.stage).append(parcel)
    board.handed_over.sort(key=lambda parcel: parcel.handed_over_at, reverse=True)
    return board


def assisted_producers(*, depot: Depot) -> QuerySet[Producer]:
    """Producers of the depot's village who sell through it: its managers list and fulfil for them."""
    return Producer.objects.filter(village_id=depot.village_id, sells_through_depot=True).order_by("slug")


def _detail(request: HttpRequest, depot: Depot, *, failed: dict | None = None, status: int = 200) -> HttpResponse:
    context = {
        "depot": depot,
        "board": depot_board(depot=depot),
        "producers": assisted_producers(depot=depot),
        "failed": failed or {},
    }
    return render(request, "orders/depot_detail.html", context, status=status)


@require_GET
@depot_back_office
def depot_detail(request: HttpRequest, depot: Depot) -> HttpResponse:
    """Parcels to receive from producers, at the depot, and handed over lately; and the producers assisted."""
    return _detail(request, depot)


@require_GET
@depot_back_office
def depot_pick_list(request: HttpRequest, depot: Depot) -> HttpResponse:
    """A printable list for today: what to hand to each shopper, to carriers, and to collect from each producer."""
    board = depot_board(depot=depot)
    pickup = [p for p in board.at_depot if p.order.delivery_method == Order.DeliveryMethod.PICKUP]
    pickup.sort(key=lambda p: (p.order.contact_name, p.order.contact_phone, p.order.number, p.pk))
    shoppers = [
        {"name": name, "phone": phone, "parcels": list(parcels)}
        for (name, phone), parcels in groupby(pickup, key=lambda p: (p.order.contact_name, p.order.contact_phone))
    ]
    carrier = [p for p in board.at_depot if p.order.delivery_method == Order.DeliveryMethod.SHIP]
    collect = sorted(board.to_receive, key=lambda p: (p.producer.slug, p.order.number))
    producers = [
        {"producer": parcels[0].producer, "parcels": parcels}
        for parcels in (list(group) for _slug, group in groupby(collect, key=lambda p: p.producer.slug))
    ]
    context = {
        "depot": depot,
        "today": timezone.localdate(),
        "shoppers": shoppers,
        "carrier": carrier,
        "producers": producers,
    }
    return render(request, "orders/depot_pick_list.html", context)


def _due_parcel(depot: Depot, form: forms.Form) -> Fulfilment:
    """The parcel a form names, if it is due at this depot; 404 otherwise (as for one that does not exist)."""
    if not form.is_valid() and "parcel" in form.errors:
        raise Http404
    queryset = selectors.parcels_due_at_depot(depot=depot).select_related("order", "producer")
    return get_object_or_404(queryset, pk=form.cleaned_data["parcel"])


@require_POST
@depot_back_office
def depot_parcel_receive(request: HttpRequest, depot: Depot) -> HttpResponse:
    """The producer handed the parcel in at the depot."""
    form = ParcelForm(request.POST)
    parcel = _due_parcel(depot, form)
    try:
        services.parcel_receive_at_depot(fulfilment=parcel, depot=depot, actor=request.user)
    except IllegalTransition as error:
        form.add_error(None, str(error))
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=409)
    messages.success(
        request,
        _("Parcel of order %(number)s from %(producer)s received.")
        % {"number": parcel.order.number, "producer": parcel.producer.name},
    )
    return redirect("depot-detail", depot=depot.slug)


@require_POST
@depot_back_office
def depot_parcel_hand_over(request: HttpRequest, depot: Depot) -> HttpResponse:
    """The shopper collected the parcel, or a carrier took it on with its tracking number."""
    form = HandOverForm(request.POST)
    parcel = _due_parcel(depot, form)
    if form.errors:
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=400)
    try:
        services.parcel_hand_over(
            fulfilment=parcel,
            depot=depot,
            actor=request.user,
            tracking_number=form.cleaned_data["tracking_number"],
            carrier=form.cleaned_data["carrier"],
        )
    except IllegalTransition as error:
        form.add_error(None, str(error))
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=409)
    except InvalidOrder as error:
        form.add_service_errors(error.errors)
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=400)
    messages.success(
        request,
        _("Parcel of order %(number)s from %(producer)s handed over.")
        % {"number": parcel.order.number, "producer": parcel.producer.name},
    )
    return redirect("depot-detail", depot=depot.slug)


@require_GET
@login_required
def depot_home(request: HttpRequest) -> HttpResponse:
    """``/depot/``: straight to the one depot the user manages; with several or none, the back office's choice."""
    depots = list(producer_selectors.managed_depots(user=request.user)[:2])
    if len(depots) == 1:
        return redirect("depot-detail", depot=depots[0].slug)
    return redirect("dashboard")
