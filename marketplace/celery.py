"""The Celery app: the outbox's deliveries and the every-minute jobs, configured from Django's settings.

Settings named ``CELERY_*`` configure it (``marketplace/settings.py``). Without a broker
(``CELERY_BROKER_URL`` unset) tasks run in the calling process, so development and tests
need nothing but the database.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py, found once Django's app registry is ready.
app.autodiscover_tasks()
