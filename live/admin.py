"""Back office for livestream hosts (their commission rate) and sessions with featured items."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from live.models import Host, LiveSession, LiveSessionItem
from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    ChangedFieldsOnlyFormSet,
    CheckConstraintsForm,
    SaveEditedFieldsMixin,
)


@admin.register(Host)
class HostAdmin(SaveEditedFieldsMixin, admin.ModelAdmin):
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


class LiveSessionItemForm(CheckConstraintsForm):
    constraint_messages = {
        "liveitem_sold_within_cap": _("The quantity cap cannot be below the quantity already sold."),
    }


class LiveSessionItemInline(admin.TabularInline):
    model = LiveSessionItem
    form = LiveSessionItemForm
    # quantity_sold is counted by checkout; saving a row must never write it back.
    formset = ChangedFieldsOnlyFormSet
    fields = ("variant", "flash_price", "quantity_cap", "quantity_sold", "per_shopper_limit", "position")
    readonly_fields = ("quantity_sold",)
    autocomplete_fields = ("variant",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSessionItem]:
        return super().get_queryset(request).select_related("variant")


@admin.register(LiveSession)
class LiveSessionAdmin(SaveEditedFieldsMixin, admin.ModelAdmin):
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[LiveSession]:
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("featured items"), ordering="item_count")
    def item_count(self, session: LiveSession) -> int:
        return session.item_count
