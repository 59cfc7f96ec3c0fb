from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from marketplace import health, site_pages, web_manifest

admin.site.site_header = _("Oasis Market back office")
admin.site.site_title = _("Oasis Market")
admin.site.index_title = _("Run the marketplace")

urlpatterns = [
    path("healthz/", health.alive, name="health"),
    path("healthz/db/", health.database, name="health-database"),
    path("readyz/", health.ready, name="ready"),
    path("manifest.webmanifest", web_manifest.web_manifest, name="web-manifest"),
    path("pages/<slug:slug>/", site_pages.site_page, name="site-page"),
    path("", include("catalog.urls")),
    path("", include("producers.urls")),
    path("", include("live.urls")),
    path("", include("live.host_urls")),
    path("", include("live.dashboard_urls")),
    path("", include("orders.urls")),
    path("", include("orders.depot_urls")),
    path("", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("marketplace.api.urls")),
]

handler400 = "marketplace.api.errors.bad_request"
handler500 = "marketplace.api.errors.server_error"


def media(request, path):
    # MEDIA_ROOT is read per request so that tests may point it at a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", media)]
