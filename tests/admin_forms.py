"""Turn a rendered admin change page into the POST data its "Save" button would send."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse


def _field_data(bound: forms.BoundField) -> dict[str, Any]:
    if bound.field.disabled or isinstance(bound.field, forms.FileField):
        return {}
    value = bound.value()
    widget = bound.field.widget
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {
            f"{bound.html_name}{suffix}": "" if part is None else part
            for suffix, part in zip(widget.widgets_names, parts, strict=True)
        }
    if isinstance(bound.field, forms.BooleanField):
        return {bound.html_name: "on"} if value else {}
    if value is None:
        return {bound.html_name: ""}
    return {bound.html_name: value}


def _form_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        data.update(_field_data(bound))
    return data


def change_form_data(response: HttpResponse) -> dict[str, Any]:
    """The main form and every inline formset, with the values the page shows."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data
