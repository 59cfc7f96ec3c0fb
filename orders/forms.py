"""Forms of the cart, the checkout and the producer's back office; they validate shape, the services decide."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from catalog.services import PRE_SALE_MAX_QUANTITY
from notifications.one_time_codes import normalize_phone
from orders.converters import OrderNumberConverter
from orders.models import MAX_LINE_QUANTITY, Fulfilment, Order
from orders.services import Address, Contact, Delivery
from orders.transitions import PARCEL_PATH
from producers.models import Depot
from producers.selectors import PICKUP_HORIZON_DAYS, depot_first_pickup_day, depot_pickup_days


class ServiceErrorsMixin:
    """Shows an ``InvalidOrder``'s messages beside the form's fields.

    A service names a field by its path (``"delivery.address.city"``); ``SERVICE_FIELDS`` maps the paths
    a form shows beside a field to that field. Any other path becomes a message for the whole form.
    """

    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            field = self.SERVICE_FIELDS.get(key)
            for message in messages:
                self.add_error(field, message)


class CartAddForm(forms.Form):
    variant = forms.IntegerField(label=_("Size"), min_value=1, error_messages={"required": _("Choose a size to add.")})
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)
    live_session = forms.SlugField(required=False, widget=forms.HiddenInput)


class CartUpdateForm(forms.Form):
    variant = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_LINE_QUANTITY)


class DepotChoiceField(forms.ModelChoiceField):
    """A pickup depot named with its address, both in the page's language, and the first day an order placed
    now can be collected there (a full depot offers a later day)."""

    _pickup_days: dict[int, date | None] | None = None

    def label_from_instance(self, obj: Depot) -> str:
        if self._pickup_days is None:
            # Read once for every depot of the list, when the first option is drawn.
            first = depot_first_pickup_day()
            self._pickup_days = depot_pickup_days(depots=list(self.queryset), first=first, horizon=PICKUP_HORIZON_DAYS)
        day = self._pickup_days.get(obj.pk)
        if day is None:
            ready = gettext("fully booked for two weeks")
        else:
            ready = gettext("collect from %(day)s") % {"day": f"{day:%m-%d}"}
        return f"{obj.name} · {obj.address} · {ready}"


class CheckoutForm(ServiceErrorsMixin, forms.Form):
    """Contact, delivery and payment; the idempotency key makes a double submit place one order."""

    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    # The goods' total the page showed: the order is placed only at that total (see ``order_place``).
    expected_subtotal = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, widget=forms.HiddenInput
    )
    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("We send your order's link and updates here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    delivery_method = forms.ChoiceField(
        label=_("Delivery"),
        choices=Order.DeliveryMethod.choices,
        widget=forms.RadioSelect,
        initial=Order.DeliveryMethod.PICKUP,
    )
    depot = DepotChoiceField(
        label=_("Pickup depot"),
        queryset=Depot.objects.filter(is_active=True).select_related("village"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a depot"),
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    recipient_phone = forms.CharField(
        label=_("Recipient's mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    district = forms.CharField(label=_("District"), max_length=50, required=False)
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=6, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    payment_method = forms.ChoiceField(
        label=_("Payment"),
        choices=Order.PaymentMethod.choices,
        widget=forms.RadioSelect,
        initial=Order.PaymentMethod.COD,
    )

    # Required for one delivery method only: the order service checks them, the form must not call them optional.
    REQUIRED_FOR_DELIVERY = ("depot", "province", "city", "street")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED_FOR_DELIVERY:
            self.fields[name].required_for_delivery = True

    # Where the order service reports an error, by its field name.
    SERVICE_FIELDS = {
        "contact.name": "name",
        "contact.phone": "phone",
        "contact.email": "email",
        "delivery.method": "delivery_method",
        "delivery.depot": "depot",
        "delivery.address": "street",
        "delivery.address.recipient": "recipient",
        "delivery.address.phone": "recipient_phone",
        "delivery.address.province": "province",
        "delivery.address.city": "city",
        "delivery.address.district": "district",
        "delivery.address.street": "street",
        "delivery.address.postcode": "postcode",
        "payment_method": "payment_method",
    }

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(name=data["name"], phone=data["phone"], email=data.get("email") or "")

    def delivery(self) -> Delivery:
        data = self.cleaned_data
        if data["delivery_method"] == Order.DeliveryMethod.PICKUP:
            depot = data.get("depot")
            return Delivery(method=data["delivery_method"], depot_slug=depot.slug if depot else "")
        return Delivery(
            method=data["delivery_method"],
            address=Address(
                recipient=data.get("recipient") or data["name"],
                phone=data.get("recipient_phone") or data["phone"],
                province=data.get("province", ""),
                city=data.get("city", ""),
                district=data.get("district", ""),
                street=data.get("street", ""),
                postcode=data.get("postcode", ""),
            ),
        )


# The producer's back office


class ParcelTransitionForm(ServiceErrorsMixin, forms.Form):
    """One button of a parcel in the orders list: pack it, ship it (tracking number and carrier), mark it delivered.

    Whether a tracking number is needed (shipping to an address) and whether the move is allowed is for
    ``fulfilment_transition`` to say; its errors come back through ``add_service_errors``.
    """

    STEPS = tuple(Fulfilment.Status(step) for step in PARCEL_PATH[1:])
    SERVICE_FIELDS = {"tracking_number": "tracking_number", "carrier": "carrier"}

    parcel = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    to = forms.ChoiceField(
        choices=[(step.value, step.label) for step in STEPS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose packed, shipped or delivered.")},
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=50, required=False)
    carrier = forms.CharField(label=_("Carrier"), max_length=50, required=False)


# Far outside the marketplace's life a day is a typing mistake, and calendar arithmetic has its limits.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2999, 12, 31)


class PickListDayForm(forms.Form):
    """The day of a pick list, as ``YYYY-MM-DD``; empty means today."""

    date = forms.DateField(
        label=_("Orders placed on"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2025-09-01.")},
    )

    def clean_date(self) -> date | None:
        day = self.cleaned_data.get("date")
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
            )
        return day


class OrderFindForm(forms.Form):
    """A guest's order number and the mobile number given at its checkout."""

    number = forms.CharField(
        label=_("Order number"),
        max_length=40,
        help_text=_("On your confirmation: OM followed by 12 letters and digits."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone used on the order"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_number(self) -> str:
        number = re.sub(r"[\s\-]", "", self.cleaned_data["number"]).upper()
        if not re.fullmatch(OrderNumberConverter.regex, number):
            raise forms.ValidationError(
                _("An order number is OM followed by 12 letters and digits, as on your confirmation.")
            )
        return number

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class OrderFindCodeForm(forms.Form):
    """The one-time code the order's phone received."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _day_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as year-month-day, for example 2025-09-01.")},
    )


class PreSaleOpenForm(forms.Form):
    """A pre-sale of one of the producer's sizes: how many units are expected, when they are picked and shipped."""

    variant = forms.ModelChoiceField(label=_("Size or pack"), queryset=Variant.objects.none())
    expected_quantity = forms.IntegerField(
        label=_("Units you expect to harvest"),
        min_value=1,
        max_value=PRE_SALE_MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
        help_text=_("Shoppers can order this many units before the harvest, and no more."),
    )
    harvest_from = _day_field(_("Harvest starts"))
    harvest_until = _day_field(_("Harvest ends"))
    ship_by = _day_field(_("Every order ships by"))

    def __init__(self, *args, producer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variant"]
        field.queryset = (  # type: ignore[attr-defined]
            Variant.objects.filter(product__producer=producer, is_active=True)
            .select_related("product")
            .order_by("product__slug", "position", "id")
        )
        field.label_from_instance = lambda variant: variant.label  # type: ignore[attr-defined]


class HarvestEnterForm(forms.Form):
    """The units a pre-sale's harvest brought in."""

    quantity = forms.IntegerField(
        label=_("Units harvested"),
        min_value=0,
        max_value=PRE_SALE_MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
