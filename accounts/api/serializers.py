"""Input and output shapes of the account endpoints."""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
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


# A mainland mobile number as the schema states it; ``normalize_phone`` reads it.
MOBILE_PATTERN = r"\A(?:\+86|0086|86)?[ -]?1[3-9][0-9](?:[ -]?[0-9]){8}\Z"
MOBILE_MESSAGE = _("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 138 0013 8000.")


def _mobile() -> TextField:
    return TextField(
        max_length=30,
        trim_whitespace=False,
        validators=[RegexValidator(MOBILE_PATTERN, message=MOBILE_MESSAGE)],
        help_text=_("A mainland China mobile number."),
    )


class PhoneCodeRequestSerializer(serializers.Serializer):
    phone = _mobile()


class PhoneTokenRequestSerializer(serializers.Serializer):
    phone = _mobile()
    sms_code = TextField(max_length=12, required=False, help_text=_("The code texted to the number."))
    signup_ticket = TextField(
        max_length=500, required=False, help_text=_("Instead of a code: the ticket of an answer `account_needed`.")
    )
    display_name = TextField(
        max_length=150, required=False, help_text=_("For a number without an account: its name, in any script.")
    )
    email = EmailTextField(max_length=254, required=False, allow_blank=True)
    password = TextField(
        max_length=128,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
    )

    def validate(self, attrs):
        if not attrs.get("sms_code") and not attrs.get("signup_ticket"):
            raise serializers.ValidationError({"sms_code": [_("Send the code texted to the number.")]})
        return attrs


class AccountNeededSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    signup_ticket = serializers.CharField(help_text=_("Send it back with a `display_name` within 15 minutes."))


class PhoneAccountSerializer(AccountSerializer):
    display_name = serializers.CharField(source="first_name")
    phone = serializers.CharField()
