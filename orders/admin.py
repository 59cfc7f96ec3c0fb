"""Back office for orders and payments: read-mostly, since orders change through their services.

Status, amounts and lines move only through ``orders.services`` (allowed
transitions, stock given back, events recorded), so the admin shows them but
does not edit them; staff may correct the contact and the delivery address.
Nothing here adds or deletes an order, a line, a parcel, a payment or an event.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language_bidi, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.admin import CheckConstraintsForm, SaveEditedFieldsMixin
from marketplace.money import format_yuan
from marketplace.spreadsheets import csv_download
from orders import selectors, services
from orders.errors import InvalidOrder, OrderError
from orders.exports import impact_csv_rows
from orders.impact_chart import impact_chart
from orders.models import Fulfilment, Order, OrderEvent, OrderLine, Payment
from orders.transitions import ORDER_TRANSITIONS
from producers.models import Depot, Producer


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
    fields = ("product", "variant_label", "sku", "variant", "producer_label", "unit_price", "quantity", "line_total")

    # The names as the line took them at checkout, in the staff member's language.
    @admin.display(description=_("product"))
    def product(self, line: OrderLine) -> str:
        return line.localized_product_name

    @admin.display(description=_("variant"))
    def variant_label(self, line: OrderLine) -> str:
        return line.localized_variant_name

    @admin.display(description=_("producer name"))
    def producer_label(self, line: OrderLine) -> str:
        return line.localized_producer_name

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderLine]:
        return super().get_queryset(request).select_related("variant")


class FulfilmentInline(ReadOnlyInline):
    model = Fulfilment
    fields = (
        "producer",
        "depot",
        "status",
        "needs_cold_chain",
        "ship_by",
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
    fields = ("created_at", "from_status_label", "to_status_label", "fulfilment", "actor", "on_behalf_of", "note_text")

    @admin.display(description=_("note"))
    def note_text(self, event: OrderEvent) -> str:
        return event.note_text

    @admin.display(description=_("from"))
    def from_status_label(self, event: OrderEvent) -> str:
        return event.from_status_label

    @admin.display(description=_("to"))
    def to_status_label(self, event: OrderEvent) -> str:
        return event.to_status_label

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
OVERDUE_DAYS = selectors.PARCEL_OVERDUE_AFTER.days


class ProducerFilter(admin.SimpleListFilter):
    """Orders with a parcel from one producer."""

    title = _("producer")
    parameter_name = "producer"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[int, str]]:
        producers = Producer.objects.filter(pk__in=Fulfilment.objects.values("producer_id"))
        return [(producer.pk, str(producer)) for producer in producers]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if not self.value():
            return queryset
        return queryset.filter(pk__in=Fulfilment.objects.filter(producer_id=self.value()).values("order_id"))


class OverdueFilter(admin.SimpleListFilter):
    """Orders with a parcel that should have left by now (``selectors.overdue_fulfilments``)."""

    title = _("parcels")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        label = ngettext(
            "Overdue: not shipped %(days)d day after the order",
            "Overdue: not shipped %(days)d days after the order",
            OVERDUE_DAYS,
        )
        return [("1", label % {"days": OVERDUE_DAYS})]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=selectors.overdue_fulfilments().values("order_id"))


class DepotFilter(admin.SimpleListFilter):
    """Orders picked up at a depot or with a parcel handled there."""

    title = _("depot")
    parameter_name = "depot"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[int, str]]:
        return [(depot.pk, str(depot)) for depot in Depot.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if not self.value():
            return queryset
        through_parcels = Fulfilment.objects.filter(depot_id=self.value()).values("order_id")
        return queryset.filter(pk__in=through_parcels) | queryset.filter(pickup_depot_id=self.value())


class MissedShipByFilter(admin.SimpleListFilter):
    """Orders with a perishable parcel past its ship-by day and not sent: it can no longer ship, and its shopper
    is to be offered a refund."""

    title = _("perishable parcels")
    parameter_name = "missed_ship_by"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("1", gettext("Missed the ship-by day: offer a refund"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=selectors.missed_ship_by().values("order_id"))


class FromLiveSessionFilter(admin.SimpleListFilter):
    """Orders a live session brought, or none did (beside the filter that picks one session)."""

    title = _("brought by a livestream")
    parameter_name = "from_live"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> QuerySet[Order]:
        if self.value() in ("yes", "no"):
            return queryset.filter(live_session__isnull=self.value() == "no")
        return queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Written in the order's history."),
    )


class ParcelRefundForm(forms.Form):
    # Text, not a number field: ``services.parcel_refund`` says what is wrong with an amount, in one wording.
    amount = forms.CharField(
        label=_("Amount to refund (yuan)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}),
        help_text=_("Filled with all that may still be refunded on this parcel; lower it for a partial refund."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=services.MAX_REFUND_REASON,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "dir": "auto"}),
        help_text=_("Written in the order's history: the shopper sees it."),
    )


# The order's actions that change it: each asks for a reason on a confirmation page, then calls its service.
STATUS_ACTIONS = ("cancel_orders", "refund_orders")
CANCELLABLE = {status for status, targets in ORDER_TRANSITIONS.items() if Order.Status.CANCELLED in targets}


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
    list_filter = (
        "status",
        "payment_method",
        "delivery_method",
        ProducerFilter,
        DepotFilter,
        OverdueFilter,
        MissedShipByFilter,
        ("live_session", admin.RelatedOnlyFieldListFilter),
        FromLiveSessionFilter,
    )
    actions = STATUS_ACTIONS
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

    class Media:
        css = {"all": ["css/admin.css"]}  # the "Cancel order" and "Refund in full" buttons

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).select_related("shopper", "pickup_depot", "live_session")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Orders are placed by shoppers through checkout, which takes stock and records events.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        # An order is a record of a sale: it is cancelled or refunded, never deleted.
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # Without the change permission the actions are not offered; asking for one anyway is refused outright.
        wanted = request.POST.getlist("action") if request.method == "POST" else []
        if any(name in STATUS_ACTIONS for name in wanted) and not self.has_change_permission(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request: HttpRequest, context: dict, *args, **kwargs) -> HttpResponse:
        order = context.get("original")
        if order is not None and self.has_change_permission(request, order):
            context["status_actions"] = [
                (name, label)
                for name, label, allowed in (
                    ("cancel_orders", _("Cancel order"), order.status in CANCELLABLE),
                    ("refund_orders", _("Refund in full"), order.status == Order.Status.COMPLETED),
                )
                if allowed
            ]
            context["action_checkbox_name"] = helpers.ACTION_CHECKBOX_NAME
        if order is not None:
            context.update(self._refunds_context(request, order))
        return super().render_change_form(request, context, *args, **kwargs)

    def _refunds_context(self, request: HttpRequest, order: Order) -> dict:
        """The order page's parcels with what each cost and may still be refunded, and the refunds so far."""
        fresh = Order.objects.prefetch_related("payments", selectors.refunds_prefetch()).get(pk=order.pk)
        order_left = selectors.order_refundable(fresh)
        may_refund = self.has_change_permission(request, order)
        parcels = []
        for parcel in (
            Fulfilment.objects.filter(order=order).select_related("producer").prefetch_related("lines", "refunds")
        ):
            refunded = sum((r.amount for r in parcel.refunds.all()), Decimal("0.00"))
            left = min(selectors.parcel_refundable(parcel), order_left)
            parcels.append(
                {
                    "parcel": parcel,
                    "paid": selectors.parcel_paid(parcel),
                    "refunded": refunded,
                    "left": left,
                    "refund_url": reverse("admin:orders_order_refund_parcel", args=[order.pk, parcel.pk])
                    if may_refund and left > 0
                    else "",
                }
            )
        refund = selectors.order_refund_of(fresh)
        return {"refund_parcels": parcels, "refund": refund}

    def get_urls(self) -> list:
        refund_parcel = self.admin_site.admin_view(self.refund_parcel_view)
        return [
            # Before the default URLs, whose "<path:object_id>/" would read "impact" as an order's id.
            path("impact/", self.admin_site.admin_view(self.impact_report), name="orders_order_impact"),
            path("impact.csv", self.admin_site.admin_view(self.impact_report_csv), name="orders_order_impact_csv"),
            path(
                "<path:object_id>/refund-parcel/<int:fulfilment_id>/",
                refund_parcel,
                name="orders_order_refund_parcel",
            ),
            *super().get_urls(),
        ]

    def _impact(self, request: HttpRequest) -> tuple[selectors.ImpactReport, str]:
        """The year asked for (``?year=``), or the current one with a note saying why."""
        # The flag is staff's alone: the report needs the right to see both orders and producers.
        if not (request.user.has_perm("orders.view_order") and request.user.has_perm("producers.view_producer")):
            raise PermissionDenied
        years = selectors.impact_years()
        raw = request.GET.get("year", "").strip()
        note = ""
        year = years[0]
        if raw:
            if raw.isascii() and raw.isdigit() and int(raw) in years:
                year = int(raw)
            else:
                note = gettext("There are no sales in “%(year)s”, so here is %(shown)d.") % {
                    "year": raw[:20],
                    "shown": year,
                }
        return selectors.impact_report(year=year), note

    def impact_report(self, request: HttpRequest) -> HttpResponse:
        """Sales reaching low-income households beside all producers' by month, prefecture and county."""
        report, note = self._impact(request)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Sales reaching low-income households"),
            "opts": self.model._meta,
            "report": report,
            "note": note,
            "years": selectors.impact_years(),
            "chart": impact_chart(report, rtl=get_language_bidi()),
            "has_sales": bool(report.totals.sales),
        }
        return TemplateResponse(request, "admin/orders/impact_report.html", context)

    def impact_report_csv(self, request: HttpRequest) -> HttpResponse:
        """The same report as CSV: one row per month and county, then one per county for the year."""
        report, _note = self._impact(request)
        return csv_download(list(impact_csv_rows(report)), filename=f"oasis-impact-{report.year}.csv")

    def refund_parcel_view(self, request: HttpRequest, object_id: str, fulfilment_id: int) -> HttpResponse:
        """Refund one parcel, wholly or partly: GET shows the form (the amount filled with all that may still be
        refunded), POST refunds through ``services.parcel_refund`` and goes back to the order page."""
        order = self.get_object(request, object_id)
        if order is None:
            raise Http404
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        parcel = get_object_or_404(
            Fulfilment.objects.select_related("producer").prefetch_related("lines", "refunds"),
            pk=fulfilment_id,
            order=order,
        )
        held = Order.objects.prefetch_related("payments", "refunds").get(pk=order.pk)
        left = min(selectors.parcel_refundable(parcel), selectors.order_refundable(held))
        form = ParcelRefundForm(request.POST if request.method == "POST" else None, initial={"amount": left})
        if request.method == "POST" and form.is_valid():
            try:
                services.parcel_refund(
                    fulfilment=parcel,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except InvalidOrder as error:
                for field, field_messages in error.errors.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            except OrderError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    gettext("%(amount)s refunded on the parcel from %(producer)s of order %(number)s.")
                    % {
                        "amount": format_yuan(form.cleaned_data["amount"]),
                        "producer": parcel.producer,
                        "number": order.number,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refund a parcel"),
            "opts": self.model._meta,
            "original": order,
            "parcel": parcel,
            "paid": selectors.parcel_paid(parcel),
            "left": left,
            "returns_stock": parcel.status in services.PARCEL_NOT_LEFT,
            "form": form,
        }
        return TemplateResponse(request, "admin/orders/order/refund_parcel.html", context)

    @admin.action(description=_("Cancel order"), permissions=["change"])
    def cancel_orders(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        return self._status_action(
            request,
            queryset,
            action="cancel_orders",
            title=_("Cancel orders"),
            explanation=_(
                "Cancelling gives each order's stock back and refunds what was paid online; the shopper is told."
            ),
            apply=lambda order, reason: services.order_cancel(order=order, actor=request.user, reason=reason),
            done=_("Order %(number)s is cancelled."),
        )

    @admin.action(description=_("Refund in full"), permissions=["change"])
    def refund_orders(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        return self._status_action(
            request,
            queryset,
            action="refund_orders",
            title=_("Refund orders in full"),
            explanation=_(
                "Refunding in full gives back every payment of a completed order; the goods were delivered, "
                "so no stock comes back."
            ),
            apply=lambda order, reason: services.order_refund(order=order, actor=request.user, note=reason),
            done=_("Order %(number)s is refunded in full."),
        )

    def _status_action(
        self,
        request: HttpRequest,
        queryset: QuerySet[Order],
        *,
        action: str,
        title: str,
        explanation: str,
        apply: Callable[[Order, str], Order],
        done: str,
    ) -> HttpResponse | None:
        """Show the confirmation page asking for a reason; once confirmed, change each order through its service.

        An order its service refuses (already cancelled, not completed, shipped...) is named in an error message
        and left as it was; the others are changed.
        """
        orders = list(queryset.prefetch_related("payments").order_by("pk"))
        form = ReasonForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            for order in orders:
                try:
                    apply(order, form.cleaned_data["reason"])
                except OrderError as error:
                    self.message_user(
                        request,
                        gettext("Order %(number)s was not changed: %(error)s")
                        % {"number": order.number, "error": error},
                        messages.ERROR,
                    )
                else:
                    self.message_user(request, done % {"number": order.number}, messages.SUCCESS)
            if len(orders) == 1:
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[orders[0].pk]))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "opts": self.model._meta,
            "orders": [(order, selectors.order_refund_due(order)) for order in orders],
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orders/order/confirm_status_action.html", context)


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
