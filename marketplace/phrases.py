"""Text stored as a message id with parameters, translated when it is shown.

An order's history and a flash message are read later, often by someone in another language than the
person whose request wrote them. So instead of the translated sentence, the database (or the message
cookie) keeps a ``Phrase``: the English msgid (marked with ``gettext_noop`` so that ``makemessages``
finds it) and its parameters as JSON. ``str(phrase)`` translates it into the active language.

A parameter that is itself translatable — a status's label, any ``gettext_lazy`` text — is kept as its
msgid and translated when shown too; a thing with a name in every language (a product, a variant, a
producer, a depot: ``name_zh``/``name_ug``/``name_en``) is kept as those names and shown in the reader's
language by the catalog's rule; a tuple of such things is shown joined by " · " ("Raisins · 1 kg box");
numbers stay numbers; anything else is kept as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from marketplace.models import CONTENT_LANGUAGES, content_language

# The key that marks a parameter kept as a msgid (a dict can never be a plain parameter's value).
_MSGID = "msgid"
_CONTEXT = "context"
_NAMES = "names"
_JOINED = "joined"
_JOIN = " · "


def _stored(value: Any) -> Any:
    """A parameter as JSON: a lazy translation as its msgid, a number as itself, anything else as text."""
    if isinstance(value, Promise):
        func, args, kwargs = value.__reduce__()[1][:3]
        if func is translation.gettext and len(args) == 1 and not kwargs:
            return {_MSGID: str(args[0])}
        if func is translation.pgettext and len(args) == 2 and not kwargs:
            return {_CONTEXT: str(args[0]), _MSGID: str(args[1])}
        return str(value)
    if isinstance(value, tuple):
        return {_JOINED: [_stored(part) for part in value]}
    if all(hasattr(value, f"name_{language}") for language in CONTENT_LANGUAGES):
        names = {language: str(getattr(value, f"name_{language}") or "") for language in CONTENT_LANGUAGES}
        if getattr(value, "original_language", ""):
            names["original"] = str(value.original_language)
        return {_NAMES: names}
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get(_JOINED), list):
        return _JOIN.join(str(part) for part in map(_shown, value[_JOINED]) if part != "")
    if isinstance(value, dict) and isinstance(value.get(_NAMES), dict):
        names = value[_NAMES]
        requested = content_language()
        for language in (requested, names.get("original") or requested, *CONTENT_LANGUAGES):
            if names.get(language):
                return names[language]
        return ""
    if isinstance(value, dict) and isinstance(value.get(_MSGID), str):
        if isinstance(value.get(_CONTEXT), str):
            return translation.pgettext(value[_CONTEXT], value[_MSGID])
        return translation.gettext(value[_MSGID])
    return value


def _plural_of(text: str | Promise) -> tuple[str, str] | None:
    """An ``ngettext_lazy(singular, plural, n)`` proxy's two msgids."""
    if isinstance(text, Promise):
        func, _args, kwargs = text.__reduce__()[1][:3]
        if func is translation.ngettext and "singular" in kwargs and "plural" in kwargs:
            return str(kwargs["singular"]), str(kwargs["plural"])
    return None


def msgid_of(text: str | Promise) -> str:
    """The msgid behind ``text``: a ``gettext_lazy`` proxy's own msgid, or ``text`` itself (from ``gettext_noop``)."""
    if (plural := _plural_of(text)) is not None:
        return plural[0]
    if isinstance(text, Promise):
        stored = _stored(text)
        return stored[_MSGID] if isinstance(stored, dict) else stored
    return text


class Phrase:
    """A translatable sentence and its parameters: ``Phrase(gettext_noop("Received at %(depot)s."), depot=name)``.

    ``msgid`` is the English text as marked for translation (``gettext_noop`` or a ``gettext_lazy`` proxy); an
    ``ngettext_lazy(singular, plural, count)`` proxy (or ``plural``) with a ``count`` parameter makes it an
    ``ngettext`` sentence (or an ``n`` parameter).
    """

    __slots__ = ("msgid", "params", "plural")

    def __init__(self, msgid: str | Promise, /, *, plural: str | Promise = "", **params: Any) -> None:
        self.msgid = msgid_of(msgid)
        self.plural = msgid_of(plural) if plural else ""
        if (both := _plural_of(msgid)) is not None:
            self.plural = both[1]
        self.params = {key: _stored(value) for key, value in params.items()}

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and self.as_json() == other.as_json()

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural))

    def text(self, language: str | None = None) -> str:
        """The sentence in ``language`` (default: the active one), its parameters filled in."""
        if language is not None:
            with translation.override(language):
                return self.text()
        if self.plural:
            count = self.params.get("count", self.params.get("n", 1))
            template = translation.ngettext(self.msgid, self.plural, count if isinstance(count, int) else 1)
        else:
            template = translation.gettext(self.msgid)
        if not self.params:
            return template
        shown = {key: _shown(value) for key, value in self.params.items()}
        # A translation that names a parameter wrongly must not break a page: the English one is right.
        for text in (template, self.msgid):
            try:
                return text % shown
            except (KeyError, TypeError, ValueError):
                continue
        return self.msgid

    def as_json(self) -> dict:
        data: dict[str, Any] = {"msgid": self.msgid, "params": self.params}
        if self.plural:
            data["plural"] = self.plural
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Phrase:
        phrase = cls.__new__(cls)
        phrase.msgid = str(data.get("msgid", ""))
        phrase.plural = str(data.get("plural", ""))
        params = data.get("params")
        phrase.params = dict(params) if isinstance(params, Mapping) else {}
        return phrase
