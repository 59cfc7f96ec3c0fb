"""/api/: version 1 of every app's endpoints, the OpenAPI schema and its interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.api import docs, views
from marketplace.api.errors import not_found

v1 = [
    path("", views.RootView.as_view(), name="api-root"),
    path("", include("accounts.api.urls")),
    path("", include("producers.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("live.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Both pages run under the site's Content-Security-Policy: Swagger UI's starting script is a file of its own
    # (?script), ReDoc's is js/api_redoc.js (marketplace/api/docs.py).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Any character, a newline too, so a path holding one still gets the JSON 404. Not "(?s)": an inline
    # flag makes Django's reverse() fail for every URL of the project.
    re_path(r"^[\s\S]*\Z", not_found),
]
