"""The Content-Security-Policy header: django-csp's middleware, told where uploaded photos are served from.

The policy itself is ``CONTENT_SECURITY_POLICY`` in the settings. Photos are served by this site in
development, but from an S3-compatible bucket, or the CDN in front of it, when ``MEDIA_S3_BUCKET`` is set;
that host's address depends on the provider, the endpoint, the addressing style and the custom domain.
Rather than repeat django-storages' rules, the storage is asked for a photo's URL, and the origin of that
URL is added to ``img-src``.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.files.storage import Storage, storages
from django.http import HttpRequest, HttpResponseBase


@lru_cache(maxsize=8)
def _origin_of(storage: Storage) -> str | None:
    # A photo's URL is built without reaching the server (photos' URLs are not signed).
    url = urlsplit(storage.url("photo.jpg"))
    return f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else None


def media_origin() -> str | None:
    """The origin uploaded photos are served from when it is another host (``https://photos.example``), else None.

    Asked of the default storage as it is now: the settings build it once, a test that changes them gets a new one.
    """
    return _origin_of(storages["default"])


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the photos' origin added to ``img-src``."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = media_origin()
        if origin:
            update = dict(parts.update or {})
            img_src = update.get("img-src") or []
            update["img-src"] = [*([img_src] if isinstance(img_src, str) else img_src), origin]
            parts.update = update
        return parts
