"""ASGI entry point, for completeness; production serves WSGI (docs/scaling.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

application = get_asgi_application()
