"""Throttles of the account endpoints, the ones worth guessing at or flooding: sign-in and registration."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from marketplace.api.throttling import AddressThrottle


class LoginThrottle(SimpleRateThrottle):
    """Password guesses per account: ten a minute for one username, from wherever they come."""

    scope = "login"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None  # nothing to guess at; the address throttle still counts the request
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAddressThrottle(AddressThrottle):
    """Sign-ins per client address: loose, since a livestream's viewers share carrier addresses."""

    scope = "login_address"


class RegisterThrottle(AddressThrottle):
    scope = "register"
