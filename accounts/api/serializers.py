"""Input and output shapes of the account endpoints."""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.api.fields import EmailTextField, TextField


class TokenRequestSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))


class RegisterSerializer(serializers.Serializer):
    # Read as sent, so the schema's pattern and format are the whole rule; whether the name or the address is
    # taken, and how strong the password is, are the service's to say.
    username = TextField(max_length=150, trim_whitespace=False, validators=[UnicodeUsernameValidator()])
    email = EmailTextField(max_length=254, trim_whitespace=False)
    password = TextField(max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"})


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    token = serializers.CharField(source="auth_token.key")
