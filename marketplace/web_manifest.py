"""The web app manifest: the name, icons and colours a phone uses when a shopper adds the shop to the home screen.

In the request's language and direction, like the pages; the icons are the site's own static files.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

THEME_COLOUR = "#6b2d5c"
BACKGROUND_COLOUR = "#fbf5ea"


def web_manifest(request: HttpRequest) -> JsonResponse:
    language = translation.get_language()
    manifest = {
        "name": _("Oasis Market"),
        "short_name": _("Oasis Market"),
        "description": _("Grapes, melons, rose tea and crafts sold by the villages that grow and make them."),
        "lang": "zh-Hans" if language == "zh-hans" else language,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response
