"""What every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def service_errors_on_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its fields where it names them, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
