"""Where a form may send the visitor next: only back into this site."""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` if it points into this site (no open redirect), else ``fallback``.

    Only a path ("/cart/") or a URL of this site: a bare word such as "NaN" would be read by ``redirect()`` as the
    name of a view, which it cannot find."""
    if (
        target
        and (target.startswith("/") or urlsplit(target).scheme in {"http", "https"})
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
