"""The API's throttles, all counted in ``marketplace.rate_limits``: shared by every process, never per process.

``ClientThrottle`` is every endpoint's: per address for anonymous clients ("anon"), per user for signed-in
ones ("user"). The others are tighter ones for the endpoints worth flooding. Rates come from
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and may use any window ``Rate.parse`` reads ("5/15min").
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from marketplace import rate_limits


class SharedRateThrottle(SimpleRateThrottle):
    """DRF's throttle with its count in ``rate_limits``: one atomic hit per request, a fixed window."""

    retry_after: int | None = None

    def get_rate(self):
        """The scope's rate as the settings say now (DRF reads them once, when the module is imported)."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def parse_rate(self, rate):
        if rate is None:
            return (None, None)
        parsed = rate_limits.Rate.parse(rate)
        return (parsed.limit, parsed.seconds)

    def ident(self, request) -> str | int | None:
        """What is counted; ``None`` leaves the request uncounted."""
        return self.get_ident(request)

    def get_cache_key(self, request, view):
        ident = self.ident(request)
        return None if ident is None else rate_limits.key(self.scope, ident)

    def counted(self, request, view) -> tuple[str, rate_limits.Rate] | None:
        """The counter and rate this request adds to, ``None`` when it is not counted."""
        if self.rate is None:
            return None
        counter = self.get_cache_key(request, view)
        return None if counter is None else (counter, rate_limits.Rate(self.num_requests, self.duration))

    def allow_request(self, request, view):
        return ThrottleGroup(self).allow_request(request, view)

    def wait(self):
        return self.retry_after


class ThrottleGroup:
    """Several shared throttles checked in one count: one statement, or one Redis round trip, per request.

    DRF would call each throttle on its own: a view adding a throttle to the default one would count twice.
    """

    def __init__(self, *throttles: SharedRateThrottle) -> None:
        self.throttles = throttles
        self.retry_after: int | None = None

    def allow_request(self, request, view) -> bool:
        counts = [(throttle, throttle.counted(request, view)) for throttle in self.throttles]
        counts = [(throttle, count) for throttle, count in counts if count is not None]
        hits = rate_limits.hit_many([count for _, count in counts])
        refused = [hit.retry_after for hit in hits if not hit.allowed]
        for (throttle, _), hit in zip(counts, hits, strict=True):
            throttle.retry_after = hit.retry_after
        self.retry_after = max(refused) if refused else None
        return not refused

    def wait(self):
        return self.retry_after


def together(*throttles: SharedRateThrottle) -> ThrottleGroup:
    """For ``get_throttles``: the view's throttles counted together."""
    return ThrottleGroup(*throttles)


class ClientThrottle(SharedRateThrottle):
    """Every request: anonymous ones per address at the "anon" rate, signed-in ones per user at "user"."""

    scope = "anon"

    def counted(self, request, view):
        self.scope = "user" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().counted(request, view)

    def ident(self, request):
        return request.user.pk if self.scope == "user" else self.get_ident(request)


class AddressThrottle(SharedRateThrottle):
    """Counts per client address, signed in or not."""


class UserThrottle(SharedRateThrottle):
    """Counts per signed-in user (per address for anyone else)."""

    def ident(self, request):
        user = request.user
        return f"user:{user.pk}" if user and user.is_authenticated else f"address:{self.get_ident(request)}"


class OrderPlaceThrottle(UserThrottle):
    """Orders placed per shopper; reading orders is not counted."""

    scope = "order_place"

    def counted(self, request, view):
        return super().counted(request, view) if request.method == "POST" else None


class ImageUploadThrottle(UserThrottle):
    """Photos uploaded per user."""

    scope = "image_upload"
