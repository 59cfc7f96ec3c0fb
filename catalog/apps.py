from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # Registers the words of the app's notices, which the inbox shows.
        from catalog import notifications  # noqa: F401
