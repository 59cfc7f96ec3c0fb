from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        # Sign-ins are logged from Django's own signals: they also cover the admin's sign-in page.
        from marketplace.audit_log import connect_auth_signals

        connect_auth_signals()
