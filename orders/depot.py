"""The depot back office: the parcels due at a village depot, its pick list, receiving and handing over, the
households it sells for, and orders taken at its counter or by phone.

HTML views for depot managers, kept apart from the storefront's ``orders/views.py``; with their small
forms, which only these views use. Every page wears ``producers.access.depot_back_office``: a user who
does not manage the depot gets 404, as for a depot that does not exist. The parcels by stage are read by
``orders.selectors.depot_board``.
"""

from __future__ import annotations

import uuid
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.flash import flash
from marketplace.forms import service_errors_on_form
from marketplace.images import upload_bytes
from marketplace.models import CONTENT_LANGUAGES, content_language
from marketplace.widgets import PhotoFileInput
from orders import selectors, services
from orders.errors import IllegalTransition, InsufficientStock, InvalidOrder, OrderError
from orders.forms import CheckoutForm, ParcelTransitionForm, ServiceErrorsMixin
from orders.models import MAX_LINE_QUANTITY, Fulfilment, Order
from orders.services import Delivery, LineRequest
from producers import selectors as producer_selectors
from producers import services as producer_services
from producers.access import depot_back_office
from producers.models import Depot
from producers.services import NAME_MAX_LENGTH


class ParcelForm(forms.Form):
    parcel = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class HandOverForm(ServiceErrorsMixin, ParcelForm):
    """Handing over: a pickup parcel to the shopper who says the order's pickup code; a parcel of an order
    shipped to an address to a carrier with a tracking number."""

    pickup_code = forms.CharField(label=gettext_lazy("Pickup code"), max_length=20, required=False)
    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=50, required=False)
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=50, required=False)

    SERVICE_FIELDS = {**ParcelTransitionForm.SERVICE_FIELDS, "pickup_code": "pickup_code"}


HOUSEHOLD_NAME_REQUIRED = gettext_lazy("Give the household's name, as shoppers will see it.")


class HouseholdForm(forms.Form):
    """A household the depot sells for: its name in the manager's language (the others optional), its phone
    and a photo. The low-income flag is for staff, in the admin."""

    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        help_text=gettext_lazy("The household's own number, or a relative's. It is never shown to shoppers."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo of the household, its field or its workshop"),
        required=False,
        widget=PhotoFileInput,
    )

    LABELS = {
        "zh": gettext_lazy("Name in Chinese"),
        "ug": gettext_lazy("Name in Uyghur"),
        "en": gettext_lazy("Name in English"),
    }

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language = language
        names = {}
        # The manager's own language first and required; the others optional.
        for code in [language, *(c for c in CONTENT_LANGUAGES if c != language)]:
            names[f"name_{code}"] = forms.CharField(
                label=self.LABELS[code],
                max_length=NAME_MAX_LENGTH,
                required=code == language,
                widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
                error_messages={"required": HOUSEHOLD_NAME_REQUIRED},
            )
        self.fields = {**names, **self.fields}

    def clean_photo(self) -> bytes | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            return upload_bytes(photo)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code in CONTENT_LANGUAGES}


class CounterOrderForm(CheckoutForm):
    """An order a depot manager takes for a shopper: the checkout's contact and delivery fields, picked up at
    this depot or shipped, paid cash on delivery; ``q`` searches the products on sale."""

    q = forms.CharField(label=gettext_lazy("Find a product"), max_length=100, required=False)

    REQUIRED_FOR_DELIVERY = ("province", "city", "street")
    SERVICE_FIELDS = {**CheckoutForm.SERVICE_FIELDS, "delivery.depot": None}  # type: ignore[dict-item]

    def __init__(self, *args, depot: Depot, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.depot = depot
        for name in ("email", "depot", "payment_method", "expected_subtotal"):
            del self.fields[name]
        self.fields["name"].label = gettext_lazy("Shopper's name")
        self.fields["phone"].label = gettext_lazy("Shopper's mobile phone")
        self.fields["phone"].help_text = gettext_lazy("The order's link, and its pickup code, are sent here by SMS.")
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "dir": "ltr"})
        self.fields["delivery_method"].choices = [
            (Order.DeliveryMethod.PICKUP, gettext_lazy("Collected at this depot")),
            (Order.DeliveryMethod.SHIP, Order.DeliveryMethod.SHIP.label),
        ]

    def delivery(self) -> Delivery:
        if self.cleaned_data["delivery_method"] == Order.DeliveryMethod.PICKUP:
            return Delivery(method=Order.DeliveryMethod.PICKUP, depot_slug=self.depot.slug)
        return super().delivery()


QUANTITY_PREFIX = "qty-"


def _counter_lines(data) -> tuple[dict[int, int], list[str]]:
    """The quantities a counter order's form asks for, by variant id (0 and blank left out), and what is wrong."""
    lines: dict[int, int] = {}
    errors: list[str] = []
    for key, value in data.items():
        if not key.startswith(QUANTITY_PREFIX) or not (value or "").strip():
            continue
        variant_id, quantity = key.removeprefix(QUANTITY_PREFIX), value.strip()
        if not variant_id.isdigit() or not quantity.isdigit() or int(quantity) > MAX_LINE_QUANTITY:
            errors.append(_("Quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY})
            continue
        if int(quantity) > 0:
            lines[int(variant_id)] = int(quantity)
    return lines, errors


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
    except InvalidOrder as error:  # a perishable parcel past its ship-by day
        form.add_error(None, str(error))
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=409)
    flash(
        request,
        messages.SUCCESS,
        gettext_noop("Parcel of order %(number)s from %(producer)s received."),
        number=parcel.order.number,
        producer=parcel.producer,
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
            pickup_code=form.cleaned_data["pickup_code"],
        )
    except IllegalTransition as error:
        form.add_error(None, str(error))
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=409)
    except InvalidOrder as error:
        form.add_service_errors(error.errors)
        return _detail(request, depot, failed={"parcel": parcel.pk, "form": form}, status=400)
    flash(
        request,
        messages.SUCCESS,
        gettext_noop("Parcel of order %(number)s from %(producer)s handed over."),
        number=parcel.order.number,
        producer=parcel.producer,
    )
    return redirect("depot-detail", depot=depot.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@depot_back_office
def depot_household_add(request: HttpRequest, depot: Depot) -> HttpResponse:
    """Add a household of the depot's village that sells through the depot; then list its products for it."""
    language = content_language()
    form = HouseholdForm(request.POST or None, request.FILES or None, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            producer = producer_services.household_add(
                depot=depot,
                actor=request.user,
                names=form.names(),
                language=language,
                phone=form.cleaned_data["phone"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("%(name)s now sells through %(depot)s. Add its first product."),
                name=producer,
                depot=depot,
            )
            return redirect("dashboard-product-new", producer=producer.slug)
    status = 400 if form.errors else 200
    return render(request, "orders/depot_household_form.html", {"depot": depot, "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@depot_back_office
def depot_order_new(request: HttpRequest, depot: Depot) -> HttpResponse:
    """Take an order for a shopper at the counter or by phone: products on sale, the shopper, pickup or shipping.

    One form, without script: "Search" shows the products a search finds and keeps what was entered;
    "Place the order" places it, cash on delivery, through ``services.order_place_at_depot``.
    """
    placing = request.method == "POST" and request.POST.get("action") == "place"
    if placing:
        form = CounterOrderForm(request.POST, depot=depot)
    else:  # the first visit, or a search: what was entered is kept, and not judged yet
        initial = {"idempotency_key": uuid.uuid4().hex, "delivery_method": Order.DeliveryMethod.PICKUP}
        form = CounterOrderForm(depot=depot, initial={**initial, **request.POST.dict()})
    lines, line_errors = _counter_lines(request.POST) if request.method == "POST" else ({}, [])
    q = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    status = 200
    if placing:
        if form.is_valid() and not line_errors and lines:
            try:
                order = services.order_place_at_depot(
                    depot=depot,
                    actor=request.user,
                    contact=form.contact(),
                    lines=[LineRequest(variant_id=v, quantity=n) for v, n in sorted(lines.items())],
                    delivery=form.delivery(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except InvalidOrder as error:
                form.add_service_errors(error.errors)
            except (OrderError, InsufficientStock) as error:  # the key reused, stock short, no longer a manager
                form.add_error(None, str(error))
            else:
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop(
                        "Order %(number)s placed for %(name)s. The link to it was sent to their phone by SMS."
                    ),
                    number=order.number,
                    name=order.contact_name,
                )
                return redirect("depot-detail", depot=depot.slug)
        for message in line_errors:
            form.add_error(None, message)
        if not lines and not line_errors:
            form.add_error(None, _("Choose at least one product and its quantity."))
        status = 400
    chosen, found = selectors.counter_variants(q=q, chosen=lines)
    context = {
        "depot": depot,
        "form": form,
        "q": q,
        "chosen": [(variant, lines[variant.pk]) for variant in chosen],
        "found": found,
        "searched": bool(q.strip()),
    }
    return render(request, "orders/depot_order_form.html", context, status=status)


@require_GET
@login_required
def depot_home(request: HttpRequest) -> HttpResponse:
    """``/depot/``: straight to the one depot the user manages; with several or none, the back office's choice."""
    depots = list(producer_selectors.managed_depots(user=request.user)[:2])
    if len(depots) == 1:
        return redirect("depot-detail", depot=depots[0].slug)
    return redirect("dashboard")
