"""What the serializers of every app's endpoints share: fields built once, a named thing, the error shape."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers


def _field_copy(field: serializers.Field) -> serializers.Field:
    # A field that holds other fields (a nested serializer, a list's child, a relation) binds them to itself
    # when it is made, so it is copied whole; a plain field is copied shallowly: what it shares with the
    # first build (its options and validators) is never changed by binding or by use.
    if isinstance(field, serializers.BaseSerializer | serializers.RelatedField | serializers.ManyRelatedField):
        return copy.deepcopy(field)
    if hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


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
