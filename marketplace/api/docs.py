"""The API's interactive docs, Swagger UI and ReDoc, under the site's Content-Security-Policy.

drf-spectacular's pages start their viewer with an inline script and style the page with a <style> block,
both of which the policy refuses. Swagger UI is served by drf-spectacular's split view, which sends the
starting script as a file of its own (``?script``), and ``templates/drf_spectacular/`` styles both pages from
``css/api_docs.css``. ReDoc is started by ``js/api_redoc.js``; its bundled styling library writes <style>
elements as the page runs, so this one page lets in styles that carry its nonce (which the script hands to
ReDoc) and runs ReDoc's search in a worker made from a blob: URL. Nothing is loaded from another host: the
fonts drf-spectacular's template asks of Google are left out, and the Redocly logo that ReDoc's menu asks of
cdn.redoc.ly is refused by img-src (its link's text stays).
"""

from __future__ import annotations

from typing import Any

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView

# ReDoc's bundle writes two <style> elements as it loads, before the script can give it the nonce: the stylesheet
# of its scroll bars (perfect-scrollbar) and an empty one. They are let in by their hashes, taken from the bundle
# of the drf-spectacular-sidecar pinned in requirements.txt; a new bundle that writes other ones shows as a
# violation in tests/e2e/test_content_security_policy.py.
REDOC_LOADING_STYLES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
]


@method_decorator(
    csp_update({"style-src": [NONCE, *REDOC_LOADING_STYLES], "worker-src": ["'self'", "blob:"]}), name="get"
)
class RedocView(SpectacularRedocView):
    def _dump(self, data: Any) -> Any:
        # The template writes ReDoc's options with json_script, which encodes them itself.
        return data or {}
