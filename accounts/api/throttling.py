"""Throttles of the account endpoints, the ones worth guessing at or flooding: sign-in and registration.

Sign-in is also locked per account and per address after repeated attempts (``marketplace.sign_in_limits``);
these count every request, failed or not.
"""

from __future__ import annotations

from marketplace import rate_limits
from marketplace.api.throttling import AddressThrottle, SharedRateThrottle


class LoginThrottle(SharedRateThrottle):
    """Sign-in requests per account: ten a minute for one username, from wherever they come."""

    scope = "login"

    def ident(self, request):
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to guess at; the address throttle still counts the request
        return rate_limits.account_ident(username)


class LoginAddressThrottle(AddressThrottle):
    """Sign-ins per client address: loose, since a livestream's viewers share carrier addresses."""

    scope = "login_address"


class RegisterThrottle(AddressThrottle):
    """New accounts per client address, counted with the storefront's sign-up (``accounts.views.signup``)."""

    scope = "register"
