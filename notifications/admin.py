from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.admin import ReadOnlyAdmin
from notifications.models import OutboxMessage
from notifications.services import MAX_ATTEMPTS


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("pending", _("Pending")), ("sent", _("Sent")), ("given-up", _("Given up"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "given-up":
            return queryset.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The outbox, read only: rows are written by the services that make a change and sent by the worker."""

    list_display = ("created_at", "handler", "payload", "attempts", "sent_at", "next_attempt_at", "last_error")
    list_filter = (DeliveryFilter, "handler")
    date_hierarchy = "created_at"
    fields = ("handler", "payload", "created_at", "sent_at", "attempts", "next_attempt_at", "last_error")
    list_per_page = 100
