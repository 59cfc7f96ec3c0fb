from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("Producers and places")

    def ready(self) -> None:
        # Registers the words of the app's notices, which the inbox shows.
        from producers import notifications  # noqa: F401
