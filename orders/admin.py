"""Back office for orders and payments: read-mostly, since orders change through their services.

Status, amounts and lines move only through ``orders.services`` (allowed
transitions, stock given back, events recorded), so the admin shows them but
does not edit them; staff may correct the contact and the delivery address.
Nothing here adds or deletes an order, a line, a parcel, a payment or an event.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.admin import CheckConstraintsForm, SaveEditedFieldsMixin
from orders.models import Fulfilment, Order, OrderEvent, OrderLine, Payment


class ReadOnlyInline(admin.TabularInline):
    """Rows written by the order services: shown, never added, changed or deleted here."""

    extra = 0
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Order | None = None) -> tuple[str, ...]:
        return tuple(self.fields)

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product_name", "variant_name", "sku", "variant", "producer_name", "unit_price", "quantity", "line_total")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderLine]:
        return super().get_queryset(request).select_related("variant")


class FulfilmentInline(ReadOnlyInline):
    model = Fulfilment
    fields = (
        "producer",
        "depot",
        "status",
        "needs_cold_chain",
        "shipping_fee",
        "carrier",
        "tracking_number",
        "received_at_depot_at",
        "packed_at",
        "shipped_at",
        "delivered_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Fulfilment]:
        return super().get_queryset(request).select_related("producer", "depot")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("method", "provider", "provider_reference", "amount", "status", "paid_at", "created_at")


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ("created_at", "from_status", "to_status", "fulfilment", "actor", "on_behalf_of", "note")

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderEvent]:
        return super().get_queryset(request).select_related("fulfilment", "actor", "on_behalf_of")


class OrderForm(CheckConstraintsForm):
    constraint_messages = {
        "order_delivery_complete": _(
            "An order shipped to an address needs the recipient, the recipient's phone, "
            "the province, the city and the street address."
        ),
    }


ADDRESS_FIELDS = (
    "ship_recipient",
    "ship_phone",
    "ship_province",
    "ship_city",
    "ship_district",
    "ship_street",
    "ship_postcode",
)
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")


@admin.register(Order)
class OrderAdmin(SaveEditedFieldsMixin, admin.ModelAdmin):
    form = OrderForm
    list_display = (
        "number",
        "created_at",
        "status",
        "shopper",
        "contact_name",
        "total",
        "payment_method",
        "delivery_method",
        "pickup_depot",
        "live_session",
    )
    list_select_related = ("shopper", "pickup_depot", "live_session")
    list_filter = ("status", "payment_method", "delivery_method", ("live_session", admin.EmptyFieldListFilter))
    search_fields = (
        "=number",
        "contact_name",
        "contact_phone",
        "contact_email",
        "ship_recipient",
        "ship_phone",
        "shopper__username",
        "shopper__phone",
    )
    date_hierarchy = "created_at"
    list_per_page = 50
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "status",
                    "shopper",
                    "payment_method",
                    "created_at",
                    "updated_at",
                    "expires_at",
                )
            },
        ),
        (_("Amounts"), {"fields": ("currency", "subtotal", "shipping", "total")}),
        (_("Contact"), {"fields": CONTACT_FIELDS}),
        (_("Delivery"), {"fields": ("delivery_method", "pickup_depot", *ADDRESS_FIELDS)}),
        (_("Live session"), {"fields": ("live_session", "commission_rate")}),
        (
            _("Technical"),
            {"fields": ("idempotency_key", "request_fingerprint"), "classes": ("collapse",)},
        ),
    )
    readonly_fields = (
        "number",
        "status",
        "shopper",
        "payment_method",
        "created_at",
        "updated_at",
        "expires_at",
        "currency",
        "subtotal",
        "shipping",
        "total",
        "delivery_method",
        "pickup_depot",
        "live_session",
        "commission_rate",
        "idempotency_key",
        "request_fingerprint",
    )
    inlines = (OrderLineInline, FulfilmentInline, PaymentInline, OrderEventInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).select_related("shopper", "pickup_depot", "live_session")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Orders are placed by shoppers through checkout, which takes stock and records events.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        # An order is a record of a sale: it is cancelled or refunded, never deleted.
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are written by checkout and the provider's notifications: shown, not edited."""

    list_display = ("__str__", "order", "method", "provider", "provider_reference", "amount", "status", "paid_at")
    list_select_related = ("order",)
    list_filter = ("status", "method", "provider")
    search_fields = ("=order__number", "=provider_reference")
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return super().get_queryset(request).select_related("order")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False
