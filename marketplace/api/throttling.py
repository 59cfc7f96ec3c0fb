"""Tighter throttles for the endpoints worth guessing at or flooding: sign-in, registration, checkout."""

from __future__ import annotations

import hashlib

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class AddressThrottle(AnonRateThrottle):
    """Counts per client address, signed in or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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


class OrderPlaceThrottle(UserRateThrottle):
    """Orders placed per shopper; reading orders is not counted."""

    scope = "order_place"

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


class ImageUploadThrottle(UserRateThrottle):
    """Photos uploaded per user."""

    scope = "image_upload"
