"""Forms of the host's back office: a session's titles, times, stream link and cover; a featured item's terms.

They check shapes and bounds only. ``live.services`` applies the rules (a title in at least one language, the
end after the start, a live price below the normal price) and its ``ValidationError`` is shown beside the
fields it names (``add_service_error``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.forms import LANGUAGE_INPUTS, PRICE_ERRORS
from live.models import LiveSession, LiveSessionItem
from live.selectors import SHANGHAI
from live.services import DESCRIPTION_FIELDS, MAX_PER_SHOPPER_LIMIT, MAX_QUANTITY_CAP, NAME_FIELDS
from marketplace.images import open_image, upload_bytes
from marketplace.language_fields import LanguageFieldsMixin
from marketplace.widgets import PhotoFileInput

# What a phone's datetime-local input sends: minutes, no zone. The host means China Standard Time.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATETIME_FORMATS = (DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000
STREAM_URL_MAX_LENGTH = LiveSession._meta.get_field("stream_url").max_length


class ServiceErrorsForm(forms.Form):
    """A form that can show a service's ``ValidationError``: on the fields it names, else above the form."""

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_LOCAL)


class ShanghaiDateTimeField(forms.DateTimeField):
    """A date and time typed in China Standard Time (Asia/Shanghai), whatever the server's zone."""

    widget = DateTimeLocalInput

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, SHANGHAI)
        return value

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value, SHANGHAI)
        if value in self.empty_values:
            return None
        text = str(value).strip()
        for pattern in DATETIME_FORMATS:
            try:
                naive = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return timezone.make_aware(naive, SHANGHAI)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def _title_field(label: Any, code: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=TITLE_MAX_LENGTH, required=False, widget=forms.TextInput(attrs=LANGUAGE_INPUTS[code])
    )


def _description_field(label: Any, code: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **LANGUAGE_INPUTS[code]}),
    )


class SessionForm(LanguageFieldsMixin, ServiceErrorsForm):
    """A session's titles and descriptions in three languages (the page's language first, the others folded),
    its times, stream link and cover photo."""

    name_zh = _title_field(_("Title in Chinese"), "zh")
    name_ug = _title_field(_("Title in Uyghur"), "ug")
    name_en = _title_field(_("Title in English"), "en")
    description_zh = _description_field(_("Description in Chinese"), "zh")
    description_ug = _description_field(_("Description in Uyghur"), "ug")
    description_en = _description_field(_("Description in English"), "en")
    starts_at = ShanghaiDateTimeField(
        label=_("Starts"),
        error_messages={
            "required": _("Enter when the session starts."),
            "invalid": _("Enter a date and time, such as 2025-08-01 20:00."),
        },
    )
    ends_at = ShanghaiDateTimeField(
        label=_("Ends"),
        error_messages={
            "required": _("Enter when the session ends."),
            "invalid": _("Enter a date and time, such as 2025-08-01 22:00."),
        },
    )
    stream_url = forms.URLField(
        label=_("Stream link"),
        max_length=STREAM_URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        help_text=_("Where viewers watch you: the link of your livestream room."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url", "dir": "ltr"}),
        error_messages={"invalid": _("Enter a web link starting with https://.")},
    )
    cover = forms.FileField(
        label=_("Cover photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 10 MB. Shown on the session's page and cards."),
        widget=PhotoFileInput,
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover photo"), required=False)

    def __init__(self, *args: Any, starts_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if starts_fixed:
            # On air: the start has happened; the field shows it and the service is never asked to move it.
            self.fields["starts_at"].disabled = True
            self.fields["starts_at"].help_text = _("The session is on air: its start can no longer change.")

    def clean_cover(self) -> UploadedFile | None:
        """The upload, once it decodes as a sound photo (the service re-encodes it on save)."""
        file = self.cleaned_data.get("cover")
        if file:
            open_image(upload_bytes(file))
        return file or None

    def service_fields(self) -> dict[str, Any]:
        """What ``session_create`` and ``session_update`` take from the form (a fixed start is left out)."""
        fields = [*NAME_FIELDS, *DESCRIPTION_FIELDS, "starts_at", "ends_at", "stream_url"]
        if self.fields["starts_at"].disabled:
            fields.remove("starts_at")
        return {field: self.cleaned_data[field] for field in fields}

    @classmethod
    def initial_for(cls, session: LiveSession) -> dict[str, Any]:
        fields = (*NAME_FIELDS, *DESCRIPTION_FIELDS, "starts_at", "ends_at", "stream_url")
        return {field: getattr(session, field) for field in fields}


class ItemTermsForm(ServiceErrorsForm):
    """A featured item's live price, how many units sell at it, and how many one shopper may buy."""

    flash_price = forms.DecimalField(
        label=_("Live price (¥)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages=PRICE_ERRORS
        | {"required": _("Enter the live price."), "min_value": _("Enter a price above zero.")},
        widget=forms.NumberInput(attrs={"min": "0.01", "step": "0.01", "inputmode": "decimal"}),
    )
    quantity_cap = forms.IntegerField(
        label=_("Units at the live price"),
        min_value=1,
        max_value=MAX_QUANTITY_CAP,
        error_messages={
            "required": _("Enter how many units sell at the live price."),
            "invalid": _("Enter a whole number, such as 50."),
        },
        widget=forms.NumberInput(attrs={"min": "1", "max": str(MAX_QUANTITY_CAP), "inputmode": "numeric"}),
    )
    per_shopper_limit = forms.IntegerField(
        label=_("Limit per shopper"),
        min_value=1,
        max_value=MAX_PER_SHOPPER_LIMIT,
        initial=2,
        error_messages={
            "required": _("Enter how many one shopper may buy."),
            "invalid": _("Enter a whole number, such as 2."),
        },
        widget=forms.NumberInput(attrs={"min": "1", "max": str(MAX_PER_SHOPPER_LIMIT), "inputmode": "numeric"}),
    )

    @classmethod
    def initial_for(cls, item: LiveSessionItem) -> dict[str, Any]:
        return {
            "flash_price": item.flash_price,
            "quantity_cap": item.quantity_cap,
            "per_shopper_limit": item.per_shopper_limit,
        }


class FeatureForm(ItemTermsForm):
    """A variant found by the search, proposed for the session with its terms."""

    variant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    field_order = ["variant", "flash_price", "quantity_cap", "per_shopper_limit"]


class ItemSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search products to feature"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Grapes, rose tea, a SKU or a producer…"), "enterkeyhint": "search"}
        ),
    )
