"""Writes to accounts: registering a shopper, issuing and revoking API tokens."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from marketplace.models import User


def shopper_register(*, username: str, email: str, password: str) -> User:
    """Create a shopper account, or raise ``ValidationError`` with messages per field and create nothing."""
    username = (username or "").strip()
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        if not username:
            raise ValidationError(_("Choose a username."))
        if len(username) > 150:
            raise ValidationError(_("The username may be at most 150 characters."))
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
    except ValidationError as error:
        errors["username"] = error.messages
    try:
        validate_email(email)
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this email already exists."))
    except ValidationError as error:
        errors["email"] = error.messages
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        # Two registrations racing for one name or address: the unique indexes decide.
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": [_("An account with this email already exists.")]}) from None
        raise ValidationError({"username": [_("This username is taken.")]}) from None


def api_token_issue(*, user: User) -> Token:
    """The user's API token, made on first use; the same token until it is revoked."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()
