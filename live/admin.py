"""Back office for livestream hosts (their commission rate), sessions with featured items and the producers'
answers, the commission ledger (read only) and the staff report of commission by host and month."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from live import selectors, services
from live.errors import SessionTransitionError
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    ChangedFieldsOnlyFormSet,
    CheckConstraintsForm,
    ReadOnlyAdmin,
    SaveEditedFieldsMixin,
    StorefrontAdminMixin,
)
from marketplace.phrases import Phrase
from marketplace.spreadsheets import csv_download


class PercentageField(forms.Field):
    """A share from 0 to 1 that staff type as a percentage: "8" or "8%" is stored as 0.0800.

    Anything else (words, a negative number, more than 100, more than two decimal places) is a form
    error that says how to write the rate, never an error page.
    """

    widget = forms.TextInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("A percentage from 0 to 100, up to two decimal places: 8 means 8%."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "size": "8", "dir": "auto"}

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # the stored share, shown as a percentage
            return f"{(value * 100).normalize():f}"
        return value

    def to_python(self, value) -> Decimal | None:
        text = str(value if value is not None else "").strip().removesuffix("%").strip()
        if not text:
            return None
        try:
            percent = Decimal(text)
        except ArithmeticError:
            percent = None
        if percent is None or not percent.is_finite() or not 0 <= percent <= 100:
            raise ValidationError(self.invalid_message(), code="invalid")
        if percent != percent.quantize(Decimal("0.01")):
            raise ValidationError(self.invalid_message(), code="invalid")
        return (percent / 100).quantize(Decimal("0.0001"))

    @staticmethod
    def invalid_message() -> str:
        return gettext("Enter the commission rate as a percentage from 0 to 100, up to two decimal places: 8 means 8%.")


class HostForm(CheckConstraintsForm):
    commission_rate = PercentageField(label=_("Commission rate (%)"))

    class Meta:
        model = Host
        fields = ("user", "display_name", "commission_rate", "is_active")


@admin.register(Host)
class HostAdmin(StorefrontAdminMixin, SaveEditedFieldsMixin, admin.ModelAdmin):
    form = HostForm
    list_display = ("display_name", "user", "commission_rate", "is_active", "created_at")
    list_select_related = ("user",)
    list_editable = ("commission_rate",)
    list_filter = ("is_active",)
    search_fields = ("display_name", "user__username", "user__phone")
    autocomplete_fields = ("user",)
    fields = ("user", "display_name", "commission_rate", "is_active")
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Host]:
        return super().get_queryset(request).select_related("user")

    def get_changelist_form(self, request: HttpRequest, **kwargs) -> type[forms.ModelForm]:
        # The list edits the rate in place: as a percentage too.
        return super().get_changelist_form(request, form=HostForm, **kwargs)

    def get_urls(self):
        report = [
            path(
                "commission/",
                self.admin_site.admin_view(self.commission_report),
                name="live_host_commission",
            ),
            path(
                "commission.csv",
                self.admin_site.admin_view(self.commission_report_csv),
                name="live_host_commission_csv",
            ),
        ]
        # Before the default URLs, whose "<path:object_id>/" would read "commission" as a host's id.
        return report + super().get_urls()

    def _report(self, request: HttpRequest) -> CommissionReport:
        if not request.user.has_perm("live.view_commissionentry"):
            raise PermissionDenied
        host = None
        raw = request.GET.get("host", "")
        if raw.isascii() and raw.isdigit() and len(raw) <= 18:
            host = Host.objects.filter(pk=int(raw)).first()
        return commission_report(host=host)

    def commission_report(self, request: HttpRequest) -> HttpResponse:
        """Pending, earned and reversed commission per host per month (Asia/Shanghai), with totals."""
        report = self._report(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Commission by host and month"),
            "opts": self.model._meta,
            "report": report,
            "hosts": Host.objects.order_by("display_name", "pk"),
            "csv_query": f"?host={report.host.pk}" if report.host else "",
        }
        return TemplateResponse(request, "admin/live/commission_report.html", context)

    def commission_report_csv(self, request: HttpRequest) -> HttpResponse:
        """The same report as CSV: one row per host and month, then the totals."""
        report = self._report(request)
        suffix = f"-{report.host.pk}" if report.host else ""
        today = timezone.localtime(timezone.now(), selectors.SHANGHAI)
        # Read now, in the request's language: a short report, so nothing is gained by streaming it.
        return csv_download(list(report.csv_rows()), filename=f"oasis-commission{suffix}-{today:%Y%m%d}.csv")


# The staff commission report


@dataclass
class Balances:
    pending: Decimal = Decimal("0.00")
    earned: Decimal = Decimal("0.00")
    reversed: Decimal = Decimal("0.00")

    def add(self, other: Balances) -> None:
        self.pending += other.pending
        self.earned += other.earned
        self.reversed += other.reversed


@dataclass
class ReportRow:
    host_id: int
    host_name: str
    balances: Balances


@dataclass
class ReportMonth:
    month: datetime
    rows: list[ReportRow] = field(default_factory=list)
    totals: Balances = field(default_factory=Balances)

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class CommissionReport:
    host: Host | None
    months: list[ReportMonth]
    totals: Balances

    def csv_rows(self) -> Iterable[list[object]]:
        yield [
            gettext("Month"),
            gettext("Host"),
            gettext("Pending (CNY)"),
            gettext("Earned (CNY)"),
            gettext("Reversed (CNY)"),
        ]
        for month in self.months:
            for row in month.rows:
                sums = row.balances
                yield [month.label, row.host_name, sums.pending, sums.earned, sums.reversed]
        yield [gettext("Total"), "", self.totals.pending, self.totals.earned, self.totals.reversed]


def commission_report(*, host: Host | None = None) -> CommissionReport:
    """``selectors.commission_by_month`` grouped by month, newest first, with each month's and the overall totals."""
    months: list[ReportMonth] = []
    totals = Balances()
    for row in selectors.commission_by_month(host=host):
        month = timezone.localtime(row["month"], selectors.SHANGHAI)
        if not months or months[-1].month != month:
            months.append(ReportMonth(month=month))
        sums = Balances(
            **{kind: row[kind] or Decimal("0.00") for kind in CommissionEntry.Kind.values},
        )
        months[-1].rows.append(ReportRow(host_id=row["host"], host_name=row["host__display_name"], balances=sums))
        months[-1].totals.add(sums)
        totals.add(sums)
    return CommissionReport(host=host, months=months, totals=totals)


# Producers' answers to featured items


def accept_for_depot_producers(request: HttpRequest, items: Iterable[LiveSessionItem]) -> None:
    """Accept, for the producer, each proposed item whose producer sells through a depot (a household without a
    smartphone), through ``services.item_answer`` so the producer's activity shows it was done on their behalf.

    Any other item is skipped with a message saying why: its producer answers for itself, it was answered
    already, or its session is over.
    """
    now = timezone.now()
    accepted = 0
    answered = 0
    over = 0
    members_answer: dict[int, str] = {}
    for item in items:
        producer = item.variant.product.producer
        if not producer.sells_through_depot:
            members_answer[producer.pk] = producer.name
            continue
        if item.consent != LiveSessionItem.Consent.PROPOSED:
            answered += 1
            continue
        if item.session.ends_at <= now:
            over += 1
            continue
        try:
            services.item_answer(item=item, actor=request.user, accept=True)
        except SessionTransitionError:
            over += 1
        else:
            accepted += 1
    if accepted:
        messages.success(
            request,
            Phrase(
                ngettext_lazy(
                    "Accepted %(n)d item for a producer who sells through a depot.",
                    "Accepted %(n)d items for producers who sell through a depot.",
                    accepted,
                ),
                n=accepted,
            ),
        )
    if members_answer:
        messages.warning(
            request,
            Phrase(
                gettext_noop(
                    "Skipped the items of %(producers)s: they do not sell through a depot, "
                    "so only their members can accept, from their dashboard."
                ),
                producers=", ".join(sorted(members_answer.values())),
            ),
        )
    if answered:
        messages.info(
            request,
            Phrase(
                ngettext_lazy(
                    "Skipped %(n)d item the producer has already answered.",
                    "Skipped %(n)d items the producer has already answered.",
                    answered,
                ),
                n=answered,
            ),
        )
    if over:
        messages.warning(
            request,
            Phrase(
                ngettext_lazy(
                    "Skipped %(n)d item in a session that is over.",
                    "Skipped %(n)d items in sessions that are over.",
                    over,
                ),
                n=over,
            ),
        )
    if not (accepted or members_answer or answered or over):
        messages.info(request, Phrase(gettext_noop("There was no item waiting for an answer.")))


def _answerable(items: QuerySet[LiveSessionItem]) -> QuerySet[LiveSessionItem]:
    return items.select_related("session", "variant__product__producer").order_by("session", "position", "id")


class AnswerForProducersMixin:
    """The "accept for depot producers" permission: staff who may change featured items."""

    def has_answer_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("live.change_livesessionitem")


class LiveSessionItemForm(CheckConstraintsForm):
    constraint_messages = {
        "liveitem_sold_within_cap": _("The quantity cap cannot be below the quantity already sold."),
    }


class LiveSessionItemInline(admin.TabularInline):
    model = LiveSessionItem
    form = LiveSessionItemForm
    # quantity_sold is counted by checkout; saving a row must never write it back.
    formset = ChangedFieldsOnlyFormSet
    fields = (
        "variant",
        "flash_price",
        "quantity_cap",
        "quantity_sold",
        "per_shopper_limit",
        "position",
        "consent",
        "consent_by",
        "consent_at",
    )
    # Hosts set an item's terms on /host/ (live.services checks them and asks the producer again); the producer
    # answers from the dashboard, or staff with the list's action. Here staff only see them, and may reorder.
    readonly_fields = (
        "variant",
        "flash_price",
        "quantity_cap",
        "quantity_sold",
        "per_shopper_limit",
        "consent",
        "consent_by",
        "consent_at",
    )
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSessionItem]:
        return super().get_queryset(request).select_related("variant", "consent_by")


@admin.register(LiveSession)
class LiveSessionAdmin(StorefrontAdminMixin, AnswerForProducersMixin, SaveEditedFieldsMixin, admin.ModelAdmin):
    list_display = ("__str__", "slug", "host", "status", "starts_at", "ends_at", "item_count")
    list_select_related = ("host",)
    list_filter = ("status", "host__is_active")
    search_fields = (*TRANSLATED_SEARCH_FIELDS, "host__display_name")
    autocomplete_fields = ("host",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("host", "slug", "status", "starts_at", "ends_at", "stream_url")}),
        (_("Title and description"), {"fields": ("original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)}),
    )
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (LiveSessionItemInline,)
    date_hierarchy = "starts_at"
    list_per_page = 50
    actions = ("accept_for_depot_producers",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSession]:
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("featured items"), ordering="item_count")
    def item_count(self, session: LiveSession) -> int:
        return session.item_count

    @admin.action(description=_("Accept proposed items for producers who sell through a depot"), permissions=["answer"])
    def accept_for_depot_producers(self, request: HttpRequest, queryset: QuerySet[LiveSession]) -> None:
        items = LiveSessionItem.objects.filter(
            session__in=queryset.values("pk"), consent=LiveSessionItem.Consent.PROPOSED
        )
        accept_for_depot_producers(request, _answerable(items))


@admin.register(LiveSessionItem)
class LiveSessionItemAdmin(ReadOnlyAdmin, AnswerForProducersMixin, admin.ModelAdmin):
    """Every featured item and the producer's answer, read only: items are edited on their session's page."""

    list_display = (
        "session",
        "product",
        "producer",
        "sells_through_depot",
        "flash_price",
        "quantity_cap",
        "per_shopper_limit",
        "consent",
        "consent_by",
        "consent_at",
    )
    list_select_related = ("session", "variant__product__producer", "consent_by")
    list_filter = ("consent", "variant__product__producer__sells_through_depot", "session__status")
    search_fields = ("session__slug", "variant__sku", "variant__product__producer__slug")
    fields = (
        "session",
        "variant",
        "flash_price",
        "quantity_cap",
        "quantity_sold",
        "per_shopper_limit",
        "position",
        "consent",
        "consent_by",
        "consent_at",
    )
    actions = ("accept_for_depot_producers",)
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSessionItem]:
        return super().get_queryset(request).select_related("session", "variant__product__producer", "consent_by")

    @admin.display(description=_("product"))
    def product(self, item: LiveSessionItem) -> str:
        return item.variant.label

    @admin.display(description=_("producer"))
    def producer(self, item: LiveSessionItem) -> str:
        return item.variant.product.producer.name

    @admin.display(description=_("sells through a depot"), boolean=True)
    def sells_through_depot(self, item: LiveSessionItem) -> bool:
        return item.variant.product.producer.sells_through_depot

    @admin.action(description=_("Accept proposed items for producers who sell through a depot"), permissions=["answer"])
    def accept_for_depot_producers(self, request: HttpRequest, queryset: QuerySet[LiveSessionItem]) -> None:
        accept_for_depot_producers(request, _answerable(queryset))


@admin.register(CommissionEntry)
class CommissionEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The commission ledger, read only: entries are written by the order services and never edited."""

    list_display = ("created_at", "host", "session", "order_number", "kind", "event", "amount")
    list_select_related = ("host", "session", "order")
    list_filter = ("kind", "event", "host")
    search_fields = ("order__number", "host__display_name")
    date_hierarchy = "created_at"
    fields = ("created_at", "host", "session", "order", "order_line", "kind", "event", "base", "rate", "amount")
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommissionEntry]:
        return super().get_queryset(request).select_related("host", "session", "order", "order_line")

    @admin.display(description=_("order number"), ordering="order__number")
    def order_number(self, entry: CommissionEntry) -> str:
        url = reverse("admin:orders_order_change", args=[entry.order_id])
        return format_html('<a href="{}">{}</a>', url, entry.order.number)
