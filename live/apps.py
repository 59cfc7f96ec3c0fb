from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live selling")

    def ready(self) -> None:
        # Registers the words of the app's notices, which the inbox shows.
        from live import notifications  # noqa: F401
