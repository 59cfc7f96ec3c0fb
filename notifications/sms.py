"""Text messages (SMS): one function to send, through the sender class the ``SMS_SENDER`` setting names.

A sender is any class whose instances have ``send(phone, text)``:

    class MyProviderSender:
        def send(self, phone: str, text: str) -> None:
            ...  # call the provider's API; raise on failure

``phone`` is a mainland mobile number of 11 digits (``notifications.one_time_codes.normalize_phone``),
``text`` the whole message in the reader's language. The class is built once per message with no
arguments, so it reads its credentials from settings or the environment. Raising tells the caller the
message was not sent.

``ConsoleSender`` (the default, for development and tests) writes each message to standard output, as
Django's console email backend does, and keeps it in ``sent`` so a test in the same process can read it.
"""

from __future__ import annotations

import sys
import threading

from django.conf import settings
from django.utils.module_loading import import_string

# What ConsoleSender sent in this process, oldest first: (phone, text) pairs.
sent: list[tuple[str, str]] = []
_lock = threading.Lock()


class ConsoleSender:
    """Writes each message to standard output and appends ``(phone, text)`` to ``sent``."""

    def send(self, phone: str, text: str) -> None:
        with _lock:
            sent.append((phone, text))
            sys.stdout.write(f"SMS to {phone}\n{text}\n{'-' * 40}\n")
            sys.stdout.flush()


def sms_send(*, phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` through the ``SMS_SENDER`` class; whatever it raises is the caller's."""
    sender = import_string(getattr(settings, "SMS_SENDER", "notifications.sms.ConsoleSender"))
    sender().send(phone, text)
