"""Query parameter types every list of the API shares.

A filter sent must have a value: ``?kind=`` is refused like ``?kind=farm``, as the
schema's enums and patterns admit no empty string. A filter left out filters nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django_filters import fields
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field


class NotBlankMixin:
    """Form field that refuses an empty value; an absent parameter reaches ``clean`` as ``None`` and passes."""

    def clean(self, value: Any) -> Any:
        if value == "":
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return super().clean(value)


class SlugField(NotBlankMixin, forms.SlugField):
    pass


class ChoiceField(NotBlankMixin, fields.ChoiceField):
    pass


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"})
class SlugFilter(filters.CharFilter):
    """Matches a related row by slug: a value that cannot be a slug is a 400, an unknown slug matches nothing."""

    field_class = SlugField


class ChoiceFilter(filters.ChoiceFilter):
    field_class = ChoiceField
