"""Back office for geography, depots and producers: staff verify producers here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    OrderedTranslatedAdmin,
    SaveEditedFieldsMixin,
    StorefrontAdminMixin,
)
from producers import services
from producers.models import County, Depot, Prefecture, Producer, ProducerMembership, Village


@admin.register(Prefecture)
class PrefectureAdmin(OrderedTranslatedAdmin):
    pass


@admin.register(County)
class CountyAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "slug", *NAME_FIELDS, "prefecture")
    list_select_related = ("prefecture",)
    list_filter = ("prefecture",)
    search_fields = TRANSLATED_SEARCH_FIELDS
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("prefecture", "slug", "original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)
    list_per_page = 50


@admin.register(Village)
class VillageAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "slug", *NAME_FIELDS, "county", "prefecture", "is_featured")
    list_select_related = ("county__prefecture",)
    list_filter = ("county__prefecture", "county", "is_featured")
    search_fields = TRANSLATED_SEARCH_FIELDS
    autocomplete_fields = ("county",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("county", "slug", "is_featured", "photo", "original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)
    list_per_page = 50

    @admin.display(description=_("prefecture"), ordering="county__prefecture__position")
    def prefecture(self, village: Village) -> Prefecture:
        return village.county.prefecture


# A depot's address in the order staff read the languages.
ADDRESS_FIELDS = ("address_zh", "address_ug", "address_en")


@admin.register(Depot)
class DepotAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "slug", "village", "county", "phone", "manager_count", "is_active")
    list_select_related = ("village__county",)
    list_filter = ("is_active", "village__county__prefecture")
    search_fields = (*TRANSLATED_SEARCH_FIELDS, *ADDRESS_FIELDS, "phone")
    autocomplete_fields = ("village", "managers")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "village",
        "slug",
        "is_active",
        *ADDRESS_FIELDS,
        "phone",
        "opening_hours",
        "managers",
        "original_language",
        *NAME_FIELDS,
        *DESCRIPTION_FIELDS,
    )
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Depot]:
        return super().get_queryset(request).annotate(manager_count=Count("managers", distinct=True))

    @admin.display(description=_("county"), ordering="village__county__slug")
    def county(self, depot: Depot) -> County:
        return depot.village.county

    @admin.display(description=_("managers"), ordering="manager_count")
    def manager_count(self, depot: Depot) -> int:
        return depot.manager_count


class MembershipInline(admin.TabularInline):
    model = ProducerMembership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProducerMembership]:
        # Each row's title is the membership's __str__, which names the user and the producer.
        return super().get_queryset(request).select_related("user", "producer")


@admin.register(Producer)
class ProducerAdmin(StorefrontAdminMixin, SaveEditedFieldsMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "slug",
        "kind",
        "village",
        "prefecture",
        "is_verified",
        "verified_at",
        "is_low_income_household",
        "created_at",
    )
    list_select_related = ("village__county__prefecture",)
    list_filter = ("kind", "is_verified", "is_low_income_household", "village__county__prefecture")
    search_fields = (*TRANSLATED_SEARCH_FIELDS, "phone", "village__name_zh", "village__name_ug", "village__name_en")
    autocomplete_fields = ("village", "default_depot")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("is_verified", "verified_at", "verified_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("slug", "kind", "village", "default_depot", "phone", "photo")}),
        (_("Name and story"), {"fields": ("original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)}),
        (
            _("Verification"),
            {
                "fields": ("is_verified", "verified_at", "verified_by"),
                "description": _("Use the “Verify” action in the producer list to verify a producer."),
            },
        ),
        (
            _("Staff only"),
            {
                "fields": ("is_low_income_household",),
                "description": _("Never shown on public pages or in the public API."),
            },
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (MembershipInline,)
    actions = ("verify", "unverify")
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Producer]:
        # The change page shows who verified the producer. (A select_related here replaces
        # list_select_related on the list page, so it names the list's joins too.)
        return super().get_queryset(request).select_related("village__county__prefecture", "verified_by")

    @admin.display(description=_("prefecture"), ordering="village__county__prefecture__position")
    def prefecture(self, producer: Producer) -> Prefecture:
        return producer.village.county.prefecture

    @admin.action(description=_("Verify the selected producers"), permissions=("change",))
    def verify(self, request: HttpRequest, queryset: QuerySet[Producer]) -> None:
        count = services.producers_verify(producers=queryset, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d producer verified.", "%(count)d producers verified.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw verification of the selected producers"), permissions=("change",))
    def unverify(self, request: HttpRequest, queryset: QuerySet[Producer]) -> None:
        count = services.producers_unverify(producers=queryset, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "Verification withdrawn from %(count)d producer.",
                "Verification withdrawn from %(count)d producers.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
