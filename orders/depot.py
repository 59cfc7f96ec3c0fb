"""The depot back office: the parcels due at a village depot, its pick list, and receiving and handing over.

HTML views for depot managers, kept apart from the storefront's ``orders/views.py``; with their two small
forms, which only these views use. Every page wears ``producers.access.depot_back_office``: a user who
does not manage the depot gets 404, as for a depot that does not exist. The parcels by stage are read by
``orders.selectors.depot_board``.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from producers import selectors as producer_selectors
from producers.access import depot_back_office
from producers.models import Depot


class ParcelForm(forms.Form):
    parcel = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class HandOverForm(ServiceErrorsMixin, ParcelForm):
    """Handing over; a parcel of an order shipped to an address goes to a carrier with a tracking number."""

    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=50, required=False)
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=50, required=False)

    SERVICE_FIELDS = ParcelTransitionForm.SERVICE_FIELDS


def _detail(request: HttpRequest, depot: Depot, *, failed: dict | None = None, status: int = 200) -> HttpResponse:
    context = {
        "depot": depot,
        "board": selectors.depot_board(depot=depot),
        "producers": selectors.assisted_producers(depot=depot),
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
    board = selectors.depot_board(depot=depot)
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
