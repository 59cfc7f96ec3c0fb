"""Forms of the cart and the checkout; they validate shape, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import MAX_LINE_QUANTITY, Order
from orders.services import Address, Contact, Delivery
from producers.models import Depot


class CartAddForm(forms.Form):
    variant = forms.IntegerField(label=_("Size"), min_value=1, error_messages={"required": _("Choose a size to add.")})
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)
    live_session = forms.SlugField(required=False, widget=forms.HiddenInput)


class CartUpdateForm(forms.Form):
    variant = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_LINE_QUANTITY)


class CheckoutForm(forms.Form):
    """Contact, delivery and payment; the idempotency key makes a double submit place one order."""

    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
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
    depot = forms.ModelChoiceField(
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

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            field = self.SERVICE_FIELDS.get(key)
            for message in messages:
                self.add_error(field, message)
