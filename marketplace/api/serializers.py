"""What the serializers of every app's endpoints share: fields built once, a named thing, the error shape."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import lazy
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format


def _field_copy(field: serializers.Field) -> serializers.Field:
    # A field that holds other fields (a nested serializer, a list's child, a relation) binds them to itself
    # when it is made, so it is copied whole; a plain field is copied shallowly: what it shares with the
    # first build (its options and validators) is never changed by binding or by use.
    if isinstance(field, serializers.BaseSerializer | serializers.RelatedField | serializers.ManyRelatedField):
        return copy.deepcopy(field)
    if hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


def _formatted_each_time(message: lazy_format) -> Any:
    format_string, args, kwargs = message.format_string, message.args, message.kwargs
    return lazy(lambda: str(format_string).format(*args, **kwargs), str)()


def _messages_in_each_request_language(field: serializers.Field) -> None:
    """DRF formats a bound's message (max_value, max_length ...) once and keeps the text: shared by the copies
    of a field built once, the first request's language would answer every later one. These format anew."""
    for validator in getattr(field, "validators", []):
        message = getattr(validator, "message", None)
        if isinstance(message, lazy_format) and message.format_string is not None:
            validator.message = _formatted_each_time(message)
    for inner in (getattr(field, "child", None), getattr(field, "child_relation", None)):
        if isinstance(inner, serializers.Field):
            _messages_in_each_request_language(inner)


class FieldsBuiltOnce:
    """A serializer that builds its fields once per class, then copies them for each use.

    DRF builds every field again for every serializer it makes (a model serializer reads its model's fields
    again too), and an order's request and answer make one serializer per nested part: a third of the time
    of placing an order through the API. Copies of the first build are as good, since what a field is
    depends only on the class and its Meta, never on the instance or the request.
    """

    def get_fields(self) -> dict[str, Any]:
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            for field in built.values():
                _messages_in_each_request_language(field)
            type(self)._fields_built_once = built
        return {name: _field_copy(field) for name, field in built.items()}


class FieldsBuiltOnceSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A model serializer whose fields are built once per class (see ``FieldsBuiltOnce``)."""


class NamedSerializer(FieldsBuiltOnce, serializers.Serializer):
    """A place, category or producer: its slug (what filters and paths take) and its name."""

    slug = serializers.SlugField()
    name = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error that is not about one field: a message, and a code to branch on."""

    detail = serializers.CharField()
    code = serializers.CharField()
