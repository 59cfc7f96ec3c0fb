from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Oasis Market back office")
admin.site.site_title = _("Oasis Market")
admin.site.index_title = _("Run the marketplace")

urlpatterns = [
    path("", include("catalog.urls")),
    path("", include("producers.urls")),
    path("", include("live.urls")),
    path("", include("orders.urls")),
    path("accounts/", include("marketplace.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
