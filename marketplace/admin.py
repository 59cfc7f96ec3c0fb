"""The user admin, and admin pieces every app's back office shares."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin import options as admin_options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin import widgets
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import translation
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


# Every text box in the admin takes its direction from what is typed into it: Uyghur runs right to left,
# Chinese, English and numbers left to right, whatever the language of the admin itself.
TEXT_DIRECTION = {"dir": "auto"}


class AutoDirectionTextInput(widgets.AdminTextInputWidget):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({**TEXT_DIRECTION, **(attrs or {})})


class AutoDirectionTextarea(widgets.AdminTextareaWidget):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({**TEXT_DIRECTION, **(attrs or {})})


class AutoDirectionEmailInput(widgets.AdminEmailInputWidget):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({**TEXT_DIRECTION, **(attrs or {})})


class AutoDirectionURLInput(widgets.AdminURLFieldWidget):
    def __init__(self, attrs: dict | None = None, validator_class=None) -> None:
        kwargs = {"validator_class": validator_class} if validator_class else {}
        super().__init__({**TEXT_DIRECTION, **(attrs or {})}, **kwargs)


AUTO_DIRECTION_WIDGETS: dict[type[models.Field], dict] = {
    models.CharField: {"widget": AutoDirectionTextInput},
    models.TextField: {"widget": AutoDirectionTextarea},
    models.EmailField: {"widget": AutoDirectionEmailInput},
    models.URLField: {"widget": AutoDirectionURLInput},
}


def _text_direction_auto_everywhere() -> None:
    """Make the admin's text widgets ``dir="auto"`` for every model admin and inline, in this one place.

    The admin's defaults are copied into each model admin when it is registered, so the admins registered
    before this module was imported (Django's own) are updated too; an admin's own override wins.
    """
    for db_field, overrides in AUTO_DIRECTION_WIDGETS.items():
        admin_options.FORMFIELD_FOR_DBFIELD_DEFAULTS[db_field] = {
            **admin_options.FORMFIELD_FOR_DBFIELD_DEFAULTS.get(db_field, {}),
            **overrides,
        }
    defaults = {field: options["widget"].__mro__[1] for field, options in AUTO_DIRECTION_WIDGETS.items()}
    for model_admin in admin.site._registry.values():
        for db_field, overrides in AUTO_DIRECTION_WIDGETS.items():
            current = model_admin.formfield_overrides.setdefault(db_field, {})
            if current.get("widget") in (None, defaults[db_field]):
                current.update(overrides)


_text_direction_auto_everywhere()


# The audit: each change in the admin history names what a field was and what it became.
AUDIT_VALUE_LENGTH = 80


def _audit_value(field: forms.Field, value: object) -> str:
    """``value`` as staff read it in the history; long text is cut short."""
    if isinstance(field.widget, forms.PasswordInput):
        return "***"
    if isinstance(field, forms.ModelMultipleChoiceField):
        text = ", ".join(str(item) for item in (value or []))
    elif isinstance(field, forms.ModelChoiceField):
        if value is not None and not isinstance(value, models.Model):
            with contextlib.suppress(ValidationError):
                value = field.to_python(value)
        text = "" if value is None else str(value)
    elif isinstance(field, forms.ChoiceField):
        text = str(dict(field.choices).get(value, value) if value not in (None, "") else "")
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = "" if value is None else str(field.prepare_value(value))
    text = " ".join(text.split()) or "—"
    return text if len(text) <= AUDIT_VALUE_LENGTH else text[: AUDIT_VALUE_LENGTH - 1] + "…"


def audited_field_labels(form: forms.BaseForm, changed: list[str]) -> list[str]:
    """Each changed field's label with its value before and after: "price (12.00 → 15.00)"."""
    labels = []
    for name in changed:
        field = form.fields.get(name)
        if field is None:
            labels.append(name)
            continue
        label = str(field.label or name)
        old = _audit_value(field, form.initial.get(name, field.initial))
        new = _audit_value(field, form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None)
        labels.append(f"{label} ({old} → {new})")
    return labels


class AuditedValuesMixin:
    """The admin history says from what to what each field changed, on the row and in its inlines.

    Labels and values are written in English (the history's fixed record); the words around them are
    translated when the history is read.
    """

    def construct_change_message(self, request: HttpRequest, form: forms.ModelForm, formsets, add: bool = False):
        message = admin_utils.construct_change_message(form, formsets, add)
        with translation.override(None):
            if not add and form.changed_data and message and "changed" in message[0]:
                message[0]["changed"]["fields"] = audited_field_labels(form, form.changed_data)
            forms_of = {
                id(inline_form.instance): inline_form for formset in formsets or () for inline_form in formset.forms
            }
            for entry in message:
                changed = entry.get("changed", {})
                if "object" not in changed:
                    continue
                for formset in formsets or ():
                    for obj, fields in formset.changed_objects:
                        if str(obj) == changed["object"] and id(obj) in forms_of:
                            changed["fields"] = audited_field_labels(forms_of[id(obj)], fields)
        return message


class StorefrontAdminMixin(AuditedValuesMixin):
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


class SaveEditedFieldsMixin(AuditedValuesMixin):
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
class UserAdmin(AuditedValuesMixin, DjangoUserAdmin):
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
