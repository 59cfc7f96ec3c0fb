"""Tighter throttles for the endpoints worth flooding: checkout and photo uploads, and a base counting per address."""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AddressThrottle(AnonRateThrottle):
    """Counts per client address, signed in or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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
