"""The user admin, and admin pieces every app's back office shares."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from marketplace.models import SitePage, User
from marketplace.page_cache import pages_changed
from marketplace.sign_in_limits import SignInLimitedFormMixin

# The names and descriptions of translated content, in the order staff read them.
NAME_FIELDS = ("name_zh", "name_ug", "name_en")
DESCRIPTION_FIELDS = ("description_zh", "description_ug", "description_en")
TRANSLATED_SEARCH_FIELDS = ("name_zh", "name_ug", "name_en", "slug")


class ReadOnlyAdmin:
    """Rows staff see but never add, change or delete here (a service writes them)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class StorefrontAdminMixin:
    """The admin of rows the storefront shows: a save or a delete there makes the cached pages stale.

    Put first among the bases, so that it wraps whatever saves the row (``SaveEditedFieldsMixin`` too).
    """

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        pages_changed()

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # inlines: variants, photos, featured items
        pages_changed()

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        super().delete_model(request, obj)
        pages_changed()

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        super().delete_queryset(request, queryset)
        pages_changed()


class OrderedTranslatedAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    """A short list of translated rows that staff put in order (categories, prefectures)."""

    list_display = ("__str__", "slug", *NAME_FIELDS, "position")
    list_editable = ("position",)
    search_fields = TRANSLATED_SEARCH_FIELDS
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("slug", "position", "original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)
    list_per_page = 50


class CheckConstraintsForm(forms.ModelForm):
    """A model form that checks every CHECK constraint, also those naming a read-only field.

    Django skips a constraint that mentions a field the form does not edit
    (``quantity_sold``, ``delivery_method``), so a bad value would only fail at
    the database, as an error page. Here it is a form error instead.
    ``constraint_messages`` maps a constraint's name to what staff should read.
    """

    constraint_messages: ClassVar[dict[str, str]] = {}

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors:
            return
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(model, self.instance)
            except ValidationError as error:
                message = self.constraint_messages.get(constraint.name)
                self.add_error(None, ValidationError(message) if message else error)


class ChangedFieldsOnlyFormSet(BaseInlineFormSet):
    """Save only the columns staff edited on an existing row.

    A full-row save would write back values read when the form was posted,
    undoing a stock or sold count that an order changed in the meantime.
    """

    def save_existing(self, form: forms.ModelForm, obj: models.Model, commit: bool = True) -> models.Model:
        if commit:
            save_changed_fields(obj, form.changed_data)
        return obj


class SaveEditedFieldsMixin:
    """On a change page, save only the fields staff edited.

    Read-only columns (a producer's verification, a variant's stock, an order's
    status) may change while the page is open; a full-row save would undo that.
    """

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        if change:
            save_changed_fields(obj, form.changed_data)
        else:
            super().save_model(request, obj, form, change)


def save_changed_fields(obj: models.Model, changed: list[str]) -> None:
    """Save ``obj``'s edited concrete columns (and ``updated_at``), never the whole row."""
    concrete = {field.name for field in obj._meta.concrete_fields}
    fields = [name for name in changed if name in concrete]
    if not fields:
        return
    if "updated_at" in concrete:
        fields.append("updated_at")
    obj.save(update_fields=fields)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "phone", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "email", "phone", "first_name", "last_name", "is_staff", "date_joined")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    list_per_page = 50


@admin.register(SitePage)
class SitePageAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    """The fixed information pages: staff edit their title and text in each language, never add or delete one
    (the storefront links to each by its slug). A save makes the cached pages stale, so the edit shows at once."""

    list_display = ("__str__", "slug", "updated_at")
    readonly_fields = ("slug", "updated_at")
    fieldsets = (
        (None, {"fields": ("slug", "updated_at")}),
        (_("Chinese"), {"fields": ("title_zh", "body_zh")}),
        (_("Uyghur"), {"fields": ("title_ug", "body_ug")}),
        (_("English"), {"fields": ("title_en", "body_en")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# API tokens are passwords: the back office does not list them. A shopper revokes their own token through the
# API; staff lock an account out by making it inactive, which every token of it respects.
admin.site.unregister(TokenProxy)


class AdminSignInForm(SignInLimitedFormMixin, AdminAuthenticationForm):
    """The admin's sign-in: locked like the storefront's, and saying so."""


admin.site.login_form = AdminSignInForm
