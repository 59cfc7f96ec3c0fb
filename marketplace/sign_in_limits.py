"""Sign-in locks: too many attempts on one account, or from one address, and sign-in waits.

Every password sign-in (the storefront, the admin, the API's token) goes through
``marketplace.authentication.UserBackend``, which counts the attempt here before the password is
checked. Over a limit, the password is not even checked: the right one is refused like a wrong one
until the window ends, and the answer says how long to wait. A successful sign-in clears the
account's count and takes its attempt back from the address's.

The same counts and the same answer hold for a username that exists and one that does not, so a
lock tells nothing about which accounts exist. Counts are shared by every process
(``marketplace.rate_limits``). Limits: ``SIGN_IN_LIMIT_ACCOUNT`` (5 in 15 minutes),
``SIGN_IN_LIMIT_ACCOUNT_DAILY`` (20 a day) and ``SIGN_IN_LIMIT_ADDRESS`` (100 in 15 minutes: a
livestream's viewers may share one carrier address).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace import rate_limits

ACCOUNT = "sign_in_account"
ACCOUNT_DAILY = "sign_in_account_day"
ADDRESS = "sign_in_address"


class SignInLocked(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        hint = _("If you have forgotten your password, you can reset it.")
        return f"{wait_message(self.retry_after)} {hint}"


def wait_message(seconds: int) -> str:
    """ "Too many attempts, try again in N minutes" (or hours): for anything a limit makes wait."""
    if seconds > 3600:
        hours = math.ceil(seconds / 3600)
        return ngettext(
            "Too many attempts. Try again in %(count)d hour.",
            "Too many attempts. Try again in %(count)d hours.",
            hours,
        ) % {"count": hours}
    minutes = max(math.ceil(seconds / 60), 1)
    return ngettext(
        "Too many attempts. Try again in %(count)d minute.",
        "Too many attempts. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


@dataclass(frozen=True)
class Attempt:
    account: tuple[str, ...]
    address: str


def _limits() -> list[tuple[str, str]]:
    return [
        (ACCOUNT, settings.SIGN_IN_LIMIT_ACCOUNT),
        (ACCOUNT_DAILY, settings.SIGN_IN_LIMIT_ACCOUNT_DAILY),
    ]


def attempt(request: HttpRequest, name: str) -> Attempt:
    """Count a sign-in attempt for the account ``name`` from ``request``'s address; ``SignInLocked`` if over."""
    ident = rate_limits.account_ident(name)
    account = [(rate_limits.key(scope, ident), rate) for scope, rate in _limits()]
    address = rate_limits.key(ADDRESS, rate_limits.client_address(request))
    hits = rate_limits.hit_many([*account, (address, settings.SIGN_IN_LIMIT_ADDRESS)])  # one statement
    refused = [hit.retry_after for hit in hits if not hit.allowed]
    if refused:
        raise SignInLocked(max(refused))
    return Attempt(account=tuple(counter for counter, _ in account), address=address)


def succeeded(attempt: Attempt) -> None:
    """The password was right: the account starts afresh, and the address gets its attempt back."""
    for counter in attempt.account:
        rate_limits.reset(counter)
    rate_limits.forgive(attempt.address)


class SignInLimitedFormMixin:
    """For an ``AuthenticationForm``: a locked sign-in says so and how long to wait, not "wrong password"."""

    request: HttpRequest | None

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            locked = getattr(self.request, "sign_in_locked", None)
            if locked is not None:
                raise ValidationError(locked.message, code="locked") from None
            raise

    @property
    def locked(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "locked")
