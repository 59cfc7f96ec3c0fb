"""Writes to accounts: registering a shopper (with a password, or with a mobile number and a one-time code),
signing in with a code, issuing and revoking API tokens."""

from __future__ import annotations

import secrets
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from marketplace.audit_log import auth_event
from marketplace.models import User
from notifications.one_time_codes import code_check, normalize_phone

# The one-time codes' purpose for signing in or up with a mobile number.
PHONE_SIGN_IN = "sign-in"
DISPLAY_NAME_MAX = 150
# How long a number proven by its code may still create its account (the name step, or the API's ticket).
PHONE_PROVEN_SECONDS = 15 * 60
_TICKET_SALT = "accounts.phone-sign-up"


def _check_new_email(email: str, errors: dict[str, list[str]]) -> None:
    """An email a new account may take: well formed and no other account's; else its messages go in ``errors``."""
    try:
        validate_email(email)
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this email already exists."))
    except ValidationError as error:
        errors["email"] = error.messages


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
    _check_new_email(email, errors)
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


def phone_code_verify(*, phone: str, code: str) -> User | None:
    """Check a sign-in code for ``phone``: the account with that number, or ``None`` when none has it yet
    (the number is proven; ``phone_shopper_register`` may create its account). A wrong, expired or used-up
    code raises ``ValidationError`` (code ``wrong_code``) and changes nothing but the code's count of wrong tries.
    """
    phone = normalize_phone(phone)
    if not code_check(purpose=PHONE_SIGN_IN, phone=phone, code=code):
        auth_event("auth.sign_in_failed", method="phone_code", cause="wrong_code")
        raise ValidationError(
            _("This code is wrong or has expired. Check the SMS, or ask for a new code."), code="wrong_code"
        )
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None and User.objects.filter(phone=phone).exists():
        raise ValidationError(_("This account is disabled."), code="inactive")
    return user


def phone_signup_ticket(*, phone: str) -> str:
    """A signed, expiring proof that ``phone`` passed its code: the API's client sends it back with the new
    account's name instead of a second code."""
    return signing.dumps({"phone": normalize_phone(phone)}, salt=_TICKET_SALT)


def phone_from_ticket(ticket: str) -> str:
    """The number a ``phone_signup_ticket`` proves; ``ValidationError`` when it is forged or too old."""
    try:
        return signing.loads(ticket, salt=_TICKET_SALT, max_age=PHONE_PROVEN_SECONDS)["phone"]
    except (signing.BadSignature, KeyError, TypeError):
        raise ValidationError(_("That took too long. Ask for a new code."), code="invalid_ticket") from None


def _display_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Enter your name as others should see it, in any language."))
    if len(name) > DISPLAY_NAME_MAX:
        raise ValidationError(_("The name may be at most 150 characters."))
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} and ch not in "\u200c\u200d" for ch in name):
        raise ValidationError(_("The name may not contain control characters."))
    return name


def _generated_username() -> str:
    """A username nobody chose: the account signs in with its number; a password may use this name later."""
    while True:
        username = f"shopper-{secrets.token_hex(5)}"
        if not User.objects.filter(username__iexact=username).exists():
            return username


def phone_sign_up_check(*, display_name: str, email: str = "", password: str = "") -> dict[str, str]:
    """A new account's name, email and password as they will be stored, or ``ValidationError`` with messages
    per field (``display_name``, ``email``, ``password``): what can be said before the number is proven."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        display_name = _display_name(display_name)
    except ValidationError as error:
        errors["display_name"] = error.messages
    if email:
        _check_new_email(email, errors)
    if password:
        try:
            validate_password(password, user=User(first_name=display_name, email=email))
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    return {"display_name": display_name, "email": email, "password": password}


def phone_shopper_register(*, phone: str, display_name: str, email: str = "", password: str = "") -> User:
    """Create a shopper account for a proven mobile number, with a display name in any script.

    Email and password are optional: without a password the account signs in with a code only. Raises
    ``ValidationError`` with messages per field (``display_name``, ``email``, ``password``, ``phone``) and
    creates nothing. The caller must have checked the number's code (``phone_code_verify``).
    """
    phone = normalize_phone(phone)
    try:
        fields = phone_sign_up_check(display_name=display_name, email=email, password=password)
        errors = {}
    except ValidationError as error:
        fields, errors = {}, error.message_dict
    if User.objects.filter(phone=phone).exists():
        errors["phone"] = [_("An account with this mobile number already exists.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User(
                username=_generated_username(), first_name=fields["display_name"], email=fields["email"], phone=phone
            )
            if fields["password"]:
                user.set_password(fields["password"])
            else:
                user.set_unusable_password()
            user.save()
    except IntegrityError:
        # Two sign-ups racing for one number or email: the unique indexes decide.
        if User.objects.filter(phone=phone).exists():
            raise ValidationError({"phone": [_("An account with this mobile number already exists.")]}) from None
        raise ValidationError({"email": [_("An account with this email already exists.")]}) from None
    auth_event("auth.signed_up", user_id=user.pk, method="phone_code")
    return user


def api_token_issue(*, user: User) -> Token:
    """The user's API token, made on first use; the same token until it is revoked."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()
