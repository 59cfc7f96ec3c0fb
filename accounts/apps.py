from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # The app has no models, so its name is never shown; the user model stays in marketplace.
    name = "accounts"
