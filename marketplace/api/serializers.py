"""Input and output shapes of the account endpoints."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.api.fields import TextField


class FieldsBuiltOnceSerializer(serializers.ModelSerializer):
    """A model serializer that builds its fields from the model once per class, then copies them for each use.

    DRF reads the model's fields again for every serializer it makes, and an order's answer makes one per
    nested part: half the cost of rendering it. Unbound copies of the first build are as good, since
    what a field is depends only on the class and its Meta, never on the instance or the request.
    """

    def get_fields(self) -> dict[str, Any]:
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_once = built
        return copy.deepcopy(built)


class NamedSerializer(serializers.Serializer):
    """A place, category or producer: its slug (what filters and paths take) and its name."""

    slug = serializers.SlugField()
    name = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error that is not about one field: a message, and a code to branch on."""

    detail = serializers.CharField()
    code = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))


class RegisterSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    email = TextField(max_length=254)
    password = TextField(max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"})


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    token = serializers.CharField(source="auth_token.key")
