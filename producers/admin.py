"""Back office for geography, depots and producers: staff verify producers here."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    OrderedTranslatedAdmin,
    SaveEditedFieldsMixin,
    StorefrontAdminMixin,
)
from producers import selectors, services
from producers.models import (
    County,
    CourierReach,
    Depot,
    Prefecture,
    Producer,
    ProducerMembership,
    Village,
)
from producers.selectors import PICKUP_HORIZON_DAYS, depot_first_pickup_day


@admin.register(Prefecture)
class PrefectureAdmin(OrderedTranslatedAdmin):
    pass


class CourierReachInline(admin.TabularInline):
    """Days the county's couriers take to each province: perishable sizes are delivered only within their shelf
    life."""

    model = CourierReach
    fields = ("province", "days")
    extra = 1


@admin.register(County)
class CountyAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    inlines = [CourierReachInline]
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
    list_display = ("__str__", "slug", "village", "county", "phone", "manager_count", "daily_capacity", "is_active")
    list_select_related = ("village__county",)
    list_filter = ("is_active", "village__county__prefecture")
    search_fields = (*TRANSLATED_SEARCH_FIELDS, *ADDRESS_FIELDS, "phone")
    autocomplete_fields = ("village", "managers")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "village",
        "slug",
        "is_active",
        "daily_capacity",
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

    def get_urls(self):
        load = path("load/", self.admin_site.admin_view(self.load_view), name="producers_depot_load")
        # Before the default URLs, whose "<path:object_id>/" would read "load" as a depot's id.
        return [load, *super().get_urls()]

    def load_view(self, request: HttpRequest) -> TemplateResponse:
        """Pickup orders to collect at each active depot on each of the next days, against its capacity."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        first = depot_first_pickup_day()
        days = [first + timedelta(days=offset) for offset in range(PICKUP_HORIZON_DAYS)]
        depots = list(Depot.objects.filter(is_active=True).order_by("slug"))
        booked = selectors.depot_bookings(
            depot_ids=[depot.pk for depot in depots], first=first, horizon=PICKUP_HORIZON_DAYS
        )
        rows = [
            {
                "depot": depot,
                "days": [
                    {
                        "day": day,
                        "orders": booked.get((depot.pk, day), 0),
                        "full": depot.daily_capacity is not None
                        and booked.get((depot.pk, day), 0) >= depot.daily_capacity,
                    }
                    for day in days
                ],
            }
            for depot in depots
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Pickup orders by depot and day"),
            "opts": self.model._meta,
            "days": days,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/producers/depot_load.html", context)


class MembershipInline(admin.TabularInline):
    model = ProducerMembership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProducerMembership]:
        # Each row's title is the membership's __str__, which names the user and the producer.
        return super().get_queryset(request).select_related("user", "producer")


class ApplicationFilter(admin.SimpleListFilter):
    """Applications waiting for staff, and those staff turned down."""

    title = _("application")
    parameter_name = "application"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("waiting", _("Waiting to be verified")), ("rejected", _("Rejected"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Producer]) -> QuerySet[Producer]:
        if self.value() == "waiting":
            return queryset.filter(pk__in=selectors.pending_applications().values("pk"))
        if self.value() == "rejected":
            return queryset.filter(is_verified=False, rejected_at__isnull=False)
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the applicant"),
        max_length=services.REJECTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 5, "cols": 60}),
        help_text=_("The applicant reads it by email and text message, with a link to apply again."),
    )


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
    list_filter = (
        "kind",
        "is_verified",
        ApplicationFilter,
        "sells_through_depot",
        "is_low_income_household",
        "village__county__prefecture",
    )
    # Staff look an applicant up by the name they signed up with or their phone, as well as the producer's.
    search_fields = (
        *TRANSLATED_SEARCH_FIELDS,
        "phone",
        "village__name_zh",
        "village__name_ug",
        "village__name_en",
        "memberships__user__username",
        "memberships__user__phone",
    )
    search_help_text = _("Name, slug, phone, village, or a member's username or phone.")
    autocomplete_fields = ("village", "default_depot")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = (
        "is_verified",
        "verified_at",
        "verified_by",
        "rejected_at",
        "rejection_reason",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("slug", "kind", "village", "default_depot", "sells_through_depot", "phone", "photo")}),
        (_("Name and story"), {"fields": ("original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)}),
        (
            _("Verification"),
            {
                "fields": ("is_verified", "verified_at", "verified_by", "rejected_at", "rejection_reason"),
                "description": _(
                    "Verify or reject an application with the buttons at the top of this page, "
                    "or verify several producers with the “Verify” action in the producer list."
                ),
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

    class Media:
        css = {"all": ["css/admin.css"]}  # the "Verify" button

    def get_queryset(self, request: HttpRequest) -> QuerySet[Producer]:
        # The change page shows who verified the producer. (A select_related here replaces
        # list_select_related on the list page, so it names the list's joins too.)
        return super().get_queryset(request).select_related("village__county__prefecture", "verified_by")

    @admin.display(description=_("prefecture"), ordering="village__county__prefecture__position")
    def prefecture(self, producer: Producer) -> Prefecture:
        return producer.village.county.prefecture

    def get_urls(self):
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="producers_producer_verify",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="producers_producer_reject",
            ),
            *super().get_urls(),
        ]

    def _producer_to_decide(self, request: HttpRequest, object_id: str) -> Producer:
        producer = self.get_object(request, unquote(object_id))
        if producer is None:
            raise Http404
        if not self.has_change_permission(request, producer):
            raise PermissionDenied
        return producer

    def _change_url(self, producer: Producer) -> str:
        return reverse("admin:producers_producer_change", args=[producer.pk])

    def verify_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The change page's "Verify" button (a POST): verify this one producer."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        producer = self._producer_to_decide(request, object_id)
        was_verified = producer.is_verified
        services.producer_verify(producer=producer, actor=request.user)
        if was_verified:
            self.message_user(request, gettext("This producer was already verified."), messages.INFO)
        else:
            self.log_change(request, producer, [{"changed": {"fields": ["verified"]}}])
            self.message_user(request, gettext("The producer is verified."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(producer))

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The change page's "Reject" button: ask for the reason, then reject and send it to the applicant."""
        producer = self._producer_to_decide(request, object_id)
        form = RejectForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.producer_reject(producer=producer, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field_name, field_errors in error.message_dict.items():
                        form.add_error(field_name if field_name in form.fields else None, field_errors)
                else:
                    form.add_error(None, error)
            else:
                self.log_change(request, producer, f"Rejected the application: {producer.rejection_reason}")
                self.message_user(
                    request,
                    gettext("The application is rejected and the reason sent to the applicant."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._change_url(producer))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject the application of %(name)s") % {"name": producer},
            "opts": self.model._meta,
            "original": producer,
            "form": form,
            "change_url": self._change_url(producer),
        }
        return TemplateResponse(request, "admin/producers/producer/reject.html", context)

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
