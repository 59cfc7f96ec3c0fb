"""Flash messages kept as phrases and translated when they are shown.

A message is added during one request and shown on a later one, which may be in another language (the
person switched language in between, or a depot manager reads what a colleague did). ``flash`` (or
``messages.success(request, Phrase(…))``) stores the message as a ``Phrase``'s msgid and parameters,
encoded in the message's text so that the cookie and the session storage keep it as they keep any text;
``PhraseFallbackStorage`` (``MESSAGE_STORAGE``) turns it into the reader's language when the page that
shows it iterates the messages. A message added as plain text is shown as it was added.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.utils.functional import Promise

from marketplace.phrases import Phrase

# Starts the stored text of a message kept as a phrase: a control character no typed message begins with.
_MARK = "\x1ephrase:"


def encode(phrase: Phrase) -> str:
    return _MARK + json.dumps(phrase.as_json(), ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Phrase | None:
    if not isinstance(text, str) or not text.startswith(_MARK):
        return None
    try:
        data = json.loads(text[len(_MARK) :])
    except ValueError:
        return None
    return Phrase.from_json(data) if isinstance(data, dict) else None


def flash(
    request: HttpRequest,
    level: int,
    msgid: str | Promise,
    /,
    *,
    plural: str | Promise = "",
    extra_tags: str = "",
    **params: Any,
) -> None:
    """Add a flash message shown in the reader's language: ``flash(request, messages.SUCCESS,
    gettext_noop("Saved %(name)s."), name=product)`` (a product, variant or producer as a parameter is shown by its
    name in that language too)."""
    messages.add_message(request, level, Phrase(msgid, plural=plural, **params), extra_tags=extra_tags)


class PhraseMessagesMixin:
    """Store a ``Phrase`` message encoded; show every encoded message in the active language."""

    def add(self, level: int, message: Any, extra_tags: str = "") -> None:
        if isinstance(message, Phrase):
            message = encode(message)
        super().add(level, message, extra_tags)  # type: ignore[misc]

    def __iter__(self):
        for message in super().__iter__():  # type: ignore[misc]
            phrase = decode(message.message)
            if phrase is None:
                yield message
            else:
                yield Message(message.level, phrase.text(), extra_tags=message.extra_tags)


class PhraseFallbackStorage(PhraseMessagesMixin, FallbackStorage):
    """Django's default storage (a cookie, then the session for what does not fit), keeping phrases."""
