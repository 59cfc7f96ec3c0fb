"""Input and output shapes of the orders and parcels endpoints.

Input serializers check only shapes, types and lengths and hand the services
their own request objects (``LineRequest``, ``Contact``, ``Delivery``); every
rule of the domain — phone numbers, postcodes, stock, depots, what is on sale —
is ``order_place``'s. Their messages and the service's reach the client in one
shape: messages per field, nested by the path of the field.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from marketplace.api.fields import AmountField, EmailTextField, TextField, WholeNumberField
from marketplace.api.serializers import FieldsBuiltOnce, FieldsBuiltOnceSerializer, NamedSerializer
from orders import selectors, services
from orders.models import MAX_LINE_QUANTITY, Fulfilment, Order, OrderEvent, OrderLine, Payment, Refund
from producers.api.serializers import DepotSerializer

# The largest id PostgreSQL's bigint holds: a bigger number is a malformed id, not an unknown one.
MAX_ID = 2**63 - 1


# Input


def _in_request_language(message: Any, **values: Any) -> Any:
    """A message with its values filled in when it is read, in the request's language; for ``error_messages``."""
    return lazy(lambda: str(message) % values, str)()


QUANTITY_RANGE = _in_request_language(
    gettext_lazy("Quantity must be a whole number from 1 to %(max)s."), max=MAX_LINE_QUANTITY
)
# The contact's and the address's text is read as sent, spaces included, so that its length and pattern are those
# the schema states; order_place trims it. Patterns end in \Z (the schema's $): Python's $ also matches before a
# final newline.
# Something besides spaces: what a required name or address line needs.
NOT_BLANK = r"\S"
# A mainland mobile number as the API takes it: 11 digits from 13 to 19, perhaps after +86, 0086 or 86, with a
# space or a dash between the groups ("+86 138 0013 8000"). Every such number is one ``normalize_mainland_mobile``
# reads; the pages take brackets and other spacing too.
MOBILE_PATTERN = r"\A(?:\+86|0086|86)?[ -]?1[3-9][0-9](?:[ -]?[0-9]){8}\Z"
MOBILE_MESSAGE = gettext_lazy("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 138 0013 8000.")
POSTCODE_PATTERN = r"\A([0-9]{6})?\Z"
SLUG_PATTERN = r"\A[-a-zA-Z0-9_]+\Z"


class OrderLineInputSerializer(FieldsBuiltOnce, serializers.Serializer):
    """One line of the basket: a variant's id and how many units."""

    variant = WholeNumberField(source="variant_id", min_value=1, max_value=MAX_ID)
    quantity = WholeNumberField(
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        error_messages={"min_value": QUANTITY_RANGE, "max_value": QUANTITY_RANGE},
        help_text=format_lazy(gettext_lazy("Units, from 1 to {max}."), max=MAX_LINE_QUANTITY),
    )

    def validate(self, attrs: dict[str, Any]) -> services.LineRequest:
        return services.LineRequest(**attrs)


def _text(max_length: int, *, pattern: str = "", message: Any = None, **kwargs: Any) -> TextField:
    """Text read as sent; ``pattern`` (which the schema shows) with ``message`` when it does not match."""
    # Validators as an argument: REST framework builds a field again from its arguments when it copies one.
    validators = [RegexValidator(pattern, message=message)] if pattern else []
    return TextField(max_length=max_length, trim_whitespace=False, validators=validators, **kwargs)


def _required_text(max_length: int, blank_message: Any) -> TextField:
    """Text that must hold more than spaces: the schema says so with ``minLength`` and a pattern."""
    return _text(max_length, pattern=NOT_BLANK, message=blank_message, error_messages={"blank": blank_message})


def _mobile(help_text: Any) -> TextField:
    return _text(
        30,
        pattern=MOBILE_PATTERN,
        message=MOBILE_MESSAGE,
        help_text=help_text,
        error_messages={"blank": MOBILE_MESSAGE},
    )


class OrderContactInputSerializer(FieldsBuiltOnce, serializers.Serializer):
    """Whom to ask for about the order."""

    name = _required_text(100, gettext_lazy("Enter the name we should ask for."))
    phone = _mobile(gettext_lazy("A mainland China mobile number."))
    email = EmailTextField(max_length=254, allow_blank=True, required=False, default="")

    def validate(self, attrs: dict[str, Any]) -> services.Contact:
        return services.Contact(**attrs)


class ShipToInputSerializer(FieldsBuiltOnce, serializers.Serializer):
    """Where to ship the order."""

    recipient = _required_text(100, gettext_lazy("Enter the recipient's name."))
    phone = _mobile(gettext_lazy("The recipient's mainland China mobile number."))
    province = _required_text(50, gettext_lazy("Enter the province."))
    city = _required_text(50, gettext_lazy("Enter the city."))
    district = _text(50, allow_blank=True, required=False, default="")
    street = _required_text(200, gettext_lazy("Enter the street address."))
    postcode = _text(
        6,
        pattern=POSTCODE_PATTERN,
        message=gettext_lazy("A postcode has six digits."),
        allow_blank=True,
        required=False,
        default="",
        help_text=gettext_lazy("Six digits."),
    )

    def validate(self, attrs: dict[str, Any]) -> services.Address:
        return services.Address(**attrs)


class ShipDeliveryInputSerializer(serializers.Serializer):
    """Shipping to an address: ``address`` is needed. The schema's description of it; ``OrderDeliveryInputSerializer``
    reads the request."""

    method = serializers.ChoiceField(choices=[Order.DeliveryMethod.SHIP])
    address = ShipToInputSerializer()
    depot = TextField(max_length=50, allow_blank=True, required=False)


class PickupDeliveryInputSerializer(serializers.Serializer):
    """Pickup at a depot: ``depot`` is needed. The schema's description of it."""

    method = serializers.ChoiceField(choices=[Order.DeliveryMethod.PICKUP])
    depot = serializers.RegexField(
        SLUG_PATTERN,
        max_length=50,
        help_text=gettext_lazy("The slug of the pickup depot; needed when `method` is `pickup`."),
    )
    address = ShipToInputSerializer(required=False, allow_null=True)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="OrderDeliveryInput",
        serializers={
            Order.DeliveryMethod.SHIP.value: ShipDeliveryInputSerializer,
            Order.DeliveryMethod.PICKUP.value: PickupDeliveryInputSerializer,
        },
        resource_type_field_name="method",
    )
)
class OrderDeliveryInputSerializer(FieldsBuiltOnce, serializers.Serializer):
    """How the order reaches the shopper; the schema shows the two methods with what each needs."""

    method = serializers.ChoiceField(choices=Order.DeliveryMethod.choices)
    address = ShipToInputSerializer(
        required=False, allow_null=True, help_text=gettext_lazy("Where to ship; needed when `method` is `ship`.")
    )
    depot = TextField(
        source="depot_slug",
        max_length=50,
        allow_blank=True,
        required=False,
        help_text=gettext_lazy("The slug of the pickup depot; needed when `method` is `pickup`."),
    )

    def validate(self, attrs: dict[str, Any]) -> services.Delivery:
        # Only what the method uses is passed on: a pickup order stores no address, a shipped one no depot.
        if attrs["method"] == Order.DeliveryMethod.SHIP:
            if attrs.get("address") is None:
                raise serializers.ValidationError({"address": [_("Enter the address to ship to.")]})
            return services.Delivery(method=attrs["method"], address=attrs.get("address"))
        if not attrs.get("depot_slug"):
            raise serializers.ValidationError({"depot": [_("Choose the depot where you will pick up the order.")]})
        return services.Delivery(method=attrs["method"], depot_slug=attrs.get("depot_slug") or "")


class OrderPlaceSerializer(FieldsBuiltOnce, serializers.Serializer):
    """An order as a shopper asks for it. Prices and totals are never read from the request."""

    lines = serializers.ListField(
        child=OrderLineInputSerializer(),
        min_length=1,
        max_length=services.MAX_LINES,
        error_messages={
            "min_length": gettext_lazy("The basket is empty."),
            "max_length": _in_request_language(
                gettext_lazy("An order can hold at most %(n)s different items."), n=services.MAX_LINES
            ),
        },
    )
    contact = OrderContactInputSerializer()
    delivery = OrderDeliveryInputSerializer()
    payment_method = serializers.ChoiceField(choices=Order.PaymentMethod.choices)
    live_session = TextField(
        source="live_session_slug",
        max_length=120,
        allow_blank=True,
        allow_null=True,
        required=False,
        default="",
        help_text=gettext_lazy("The slug of the live session the shopper came from: its flash prices apply."),
    )
    expected_subtotal = AmountField(
        required=False,
        help_text=gettext_lazy(
            "The goods' total the shopper was shown. When prices have changed since (a live session ended, say), "
            "nothing is placed and the answer is 409 `price_changed` with the new `subtotal`."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["live_session_slug"] = attrs.get("live_session_slug") or ""
        return attrs


def idempotency_key(value: str) -> str:
    """The ``Idempotency-Key`` header, checked like a text field (no NUL characters, at most 100 long)."""
    return TextField(max_length=100, allow_blank=True).run_validation(value)


class FulfilmentTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[
            (step, step.label)
            for step in (Fulfilment.Status.PACKED, Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED)
        ]
    )
    tracking_number = TextField(
        max_length=50,
        allow_blank=True,
        required=False,
        default="",
        help_text=gettext_lazy("Needed to ship a parcel to an address."),
    )
    carrier = TextField(max_length=50, allow_blank=True, required=False, default="")


def field_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """A serializer's errors as ``{"delivery.address.city": [...]}``, the way ``InvalidOrder`` carries them.

    A nested object's own messages (``non_field_errors``) belong to the object's path; errors of the
    items of a list (keyed by their index) become messages of the list, each naming its line.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, messages: list[str]) -> None:
        errors.setdefault(name or api_settings.NON_FIELD_ERRORS_KEY, []).extend(messages)

    if isinstance(detail, dict) and detail and all(isinstance(key, int) for key in detail):
        for index, item in sorted(detail.items()):
            for name, messages in field_errors(item).items():
                add(path, [_line_message(index + 1, name, message) for message in messages])
    elif isinstance(detail, dict):
        for key, value in detail.items():
            child = path if key == api_settings.NON_FIELD_ERRORS_KEY else f"{path}.{key}" if path else str(key)
            for name, messages in field_errors(value, child).items():
                add(name, messages)
    else:
        add(path, [str(message) for message in (detail if isinstance(detail, list) else [detail])])
    return errors


def _line_message(position: int, name: str, message: str) -> str:
    if name == api_settings.NON_FIELD_ERRORS_KEY:
        return _("Line %(n)s: %(message)s") % {"n": position, "message": message}
    return _("Line %(n)s, %(field)s: %(message)s") % {"n": position, "field": name, "message": message}


# Output


class OrderLineSerializer(FieldsBuiltOnceSerializer):
    """What was bought, with the names and the price as they were when the order was placed.

    The names are in the request's language, as the line took them in every language at checkout."""

    variant = serializers.IntegerField(source="variant_id")
    product_name = serializers.CharField(source="localized_product_name")
    variant_name = serializers.CharField(source="localized_variant_name")
    producer_name = serializers.CharField(source="localized_producer_name")
    live_price = serializers.SerializerMethodField()

    class Meta:
        model = OrderLine
        fields = [
            "variant",
            "sku",
            "product_name",
            "variant_name",
            "producer_name",
            "unit_price",
            "live_price",
            "quantity",
            "line_total",
        ]

    @extend_schema_field(
        serializers.BooleanField(help_text=gettext_lazy("Sold at the live price of the order's live session."))
    )
    def get_live_price(self, line: OrderLine) -> bool:
        return line.live_item_id is not None


class ShipToSerializer(FieldsBuiltOnce, serializers.Serializer):
    recipient = serializers.CharField(source="ship_recipient")
    phone = serializers.CharField(source="ship_phone")
    province = serializers.CharField(source="ship_province")
    city = serializers.CharField(source="ship_city")
    district = serializers.CharField(source="ship_district")
    street = serializers.CharField(source="ship_street")
    postcode = serializers.CharField(source="ship_postcode")


class OrderDeliverySerializer(FieldsBuiltOnce, serializers.Serializer):
    """``address`` when the order ships, ``depot`` when it is picked up; the other one is null."""

    method = serializers.ChoiceField(source="delivery_method", choices=Order.DeliveryMethod.choices)
    address = serializers.SerializerMethodField()
    depot = DepotSerializer(source="pickup_depot", allow_null=True)

    @extend_schema_field(ShipToSerializer(allow_null=True))
    def get_address(self, order: Order) -> dict | None:
        if order.delivery_method != Order.DeliveryMethod.SHIP:
            return None
        return ShipToSerializer(order).data


class OrderParcelSerializer(FieldsBuiltOnceSerializer):
    """One producer's parcel of the order, as the shopper follows it."""

    producer = NamedSerializer()

    class Meta:
        model = Fulfilment
        fields = ["id", "producer", "status", "carrier", "tracking_number", "shipped_at", "delivered_at"]


class OrderEventSerializer(FieldsBuiltOnceSerializer):
    """One step of the order's history. ``actor`` names a role, never a person."""

    class Actor:
        SHOPPER = "shopper"
        PRODUCER = "producer"
        MARKETPLACE = "marketplace"
        SYSTEM = "system"

    from_status = serializers.SerializerMethodField()
    to_status_label = serializers.CharField()
    parcel = serializers.IntegerField(source="fulfilment_id", allow_null=True)
    actor = serializers.SerializerMethodField()
    note = serializers.CharField(
        source="note_text", help_text=gettext_lazy("What happened, in the request's language; may be empty.")
    )

    class Meta:
        model = OrderEvent
        fields = ["from_status", "to_status", "to_status_label", "parcel", "actor", "note", "created_at"]
        extra_kwargs = {
            "to_status": {
                "help_text": gettext_lazy("An order status, or a parcel status when `parcel` is set."),
            }
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_status(self, event: OrderEvent) -> str | None:
        return event.from_status or None

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[Actor.SHOPPER, Actor.PRODUCER, Actor.MARKETPLACE, Actor.SYSTEM],
            help_text=gettext_lazy(
                "Who made the change: the shopper, the producer of the parcel, the marketplace's staff, "
                "or the system (payments, expiry)."
            ),
        )
    )
    def get_actor(self, event: OrderEvent) -> str:
        if event.actor_id is None:
            return self.Actor.SYSTEM
        if event.actor_id == event.order.shopper_id:
            return self.Actor.SHOPPER
        if event.fulfilment_id is not None:
            return self.Actor.PRODUCER
        return self.Actor.MARKETPLACE


class OrderSerializer(FieldsBuiltOnceSerializer):
    """An order as its shopper sees it. Amounts are decimal strings in ``currency``."""

    lines = OrderLineSerializer(many=True)
    delivery = OrderDeliverySerializer(source="*")
    fulfilments = OrderParcelSerializer(many=True)
    payment_url = serializers.SerializerMethodField()
    live_session = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The live session that brought the order, or null."),
    )

    class Meta:
        model = Order
        fields = [
            "number",
            "status",
            "live_session",
            "lines",
            "subtotal",
            "shipping",
            "total",
            "currency",
            "delivery",
            "payment_method",
            "payment_url",
            "expires_at",
            "fulfilments",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text=gettext_lazy("Where to pay an online order that awaits payment; null otherwise."),
        )
    )
    def get_payment_url(self, order: Order) -> str | None:
        if order.status != Order.Status.AWAITING_PAYMENT:
            return None
        pending = next((p for p in order.payments.all() if p.status == Payment.Status.PENDING), None)
        if pending is None or not pending.provider_reference:
            return None
        url = reverse("payment-page", kwargs={"reference": pending.provider_reference})
        return self.context["request"].build_absolute_uri(url)


class OrderRefundSerializer(FieldsBuiltOnceSerializer):
    """Money given back on the order: of one parcel (``parcel``, its id), or of the whole order (``parcel`` null)."""

    parcel = serializers.PrimaryKeyRelatedField(source="fulfilment", read_only=True, allow_null=True)

    class Meta:
        model = Refund
        fields = ["amount", "parcel", "reason", "created_at"]


class OrderDetailSerializer(OrderSerializer):
    """The order with its history, oldest step first, and its refunds."""

    events = OrderEventSerializer(many=True)
    refunds = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "events", "refunds"]

    @extend_schema_field(OrderRefundSerializer(many=True))
    def get_refunds(self, order: Order) -> list:
        refund = selectors.order_refund_of(order)  # reads none for an order nothing was paid on
        return OrderRefundSerializer(refund.items if refund else [], many=True).data


class ParcelContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name")
    phone = serializers.CharField(source="contact_phone")


class FulfilmentSerializer(FieldsBuiltOnceSerializer):
    """A parcel as its producer packs and sends it: where it goes, whom to call, and only its own lines."""

    order = serializers.CharField(source="order.number")
    order_status = serializers.ChoiceField(source="order.status", choices=Order.Status.choices)
    producer = NamedSerializer()
    delivery = OrderDeliverySerializer(source="order")
    contact = ParcelContactSerializer(source="order")
    depot = NamedSerializer(allow_null=True, help_text=gettext_lazy("The depot that collects the parcel."))
    lines = OrderLineSerializer(many=True)

    class Meta:
        model = Fulfilment
        fields = [
            "id",
            "order",
            "order_status",
            "producer",
            "status",
            "delivery",
            "contact",
            "depot",
            "needs_cold_chain",
            "lines",
            "carrier",
            "tracking_number",
            "created_at",
            "updated_at",
            "received_at_depot_at",
            "packed_at",
            "shipped_at",
            "delivered_at",
        ]


# Error bodies, for the schema

_MESSAGES = {"type": "array", "items": {"type": "string"}}


def _messages_or(fields: list[str], **nested: dict[str, Any]) -> dict[str, Any]:
    """Messages about a whole object, or messages per field of it."""
    children = {name: _MESSAGES for name in fields} | nested
    return {"oneOf": [_MESSAGES, {"type": "object", "properties": children}]}


_ADDRESS_ERRORS = _messages_or(["recipient", "phone", "province", "city", "district", "street", "postcode"])


@extend_schema_field(_messages_or(["name", "phone", "email"]))
class ContactErrorsField(serializers.JSONField):
    pass


@extend_schema_field(_messages_or(["method", "depot"], address=_ADDRESS_ERRORS))
class DeliveryErrorsField(serializers.JSONField):
    pass


def _messages() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), required=False)


class OrderPlaceErrorSerializer(serializers.Serializer):
    """Messages per field, nested like the request; messages about a whole object sit where the object is.

    A body that is not JSON gets ``detail`` and ``code`` instead."""

    lines = _messages()
    contact = ContactErrorsField(required=False)
    delivery = DeliveryErrorsField(required=False)
    payment_method = _messages()
    live_session = _messages()
    expected_subtotal = _messages()
    idempotency_key = _messages()
    non_field_errors = _messages()
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)


class FulfilmentTransitionErrorSerializer(serializers.Serializer):
    """Messages per field; a body that is not JSON gets ``detail`` and ``code`` instead."""

    to = _messages()
    tracking_number = _messages()
    carrier = _messages()
    non_field_errors = _messages()
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)


class OrderListQueryErrorSerializer(serializers.Serializer):
    """Messages per query parameter."""

    status = _messages()
    producer = _messages()
    cursor = _messages()
    page_size = _messages()


class ShortfallSerializer(serializers.Serializer):
    variant = serializers.IntegerField()
    requested = serializers.IntegerField()
    available = serializers.IntegerField()


class InsufficientStockSerializer(serializers.Serializer):
    """Not enough stock for some lines; nothing was taken. ``lines`` names each short variant."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["insufficient_stock"])
    lines = ShortfallSerializer(many=True)


class PricesChangedSerializer(serializers.Serializer):
    """The goods now cost other than ``expected_subtotal``; nothing was placed. Show the new prices, then place
    the order again with ``subtotal`` as ``expected_subtotal``."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["price_changed"])
    expected = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=gettext_lazy("What was sent."))
    subtotal = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=gettext_lazy("The goods' total at today's prices.")
    )


class IllegalTransitionSerializer(serializers.Serializer):
    """The order or parcel cannot make this move from where it is."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["illegal_transition"])
    current = serializers.CharField()
    requested = serializers.CharField()
