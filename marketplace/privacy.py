"""People's names as others may see them: the first character and stars, as Chinese marketplaces show buyers.

A review's author on the product page and in the API, a buyer on a host's live view: every place that shows
one person's name to others shows ``masked_name`` of it, never the name, the username or a contact.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Marks that belong to the character before them (accents, Arabic vowel signs, variation selectors, joiners):
# the first "character" a reader sees is the first letter with every such mark after it.
_JOINING_CATEGORIES = frozenset({"Mn", "Mc", "Me"})
_JOINERS = frozenset({"\u200d", "\u200c", "\ufe0f", "\ufe0e"})


def _first_grapheme(name: str) -> str:
    end = 1
    while end < len(name) and (unicodedata.category(name[end]) in _JOINING_CATEGORIES or name[end] in _JOINERS):
        end += 1
    return name[:end]


def _is_cjk(character: str) -> bool:
    return unicodedata.name(character, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


def masked_name(name: str) -> str:
    """``name`` with only its first character left: "王小明" → "王*", "Ayşe" → "A***", "ئايشە" → "ئ***".

    A name of one character shows none of it ("王" → "*"), and an empty one is "***". The stars do not follow
    the name's length (a Chinese name gets one, any other three), so nothing more of it shows.
    """
    name = (name or "").strip()
    if not name:
        return "***"
    first = _first_grapheme(name)
    if first == name:
        return "*"
    return first + ("*" if _is_cjk(first[0]) else "***")


def display_name(user: Any) -> str:
    """The name a person gave: family name first when it is Chinese ("王" + "小明"), else given name first,
    else their username."""
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    if first and last:
        return last + first if _is_cjk(last[0]) else f"{first} {last}"
    return first or last or (getattr(user, "username", "") or "")


def masked_display_name(user: Any) -> str:
    """What others see of ``user``'s name: ``masked_name`` of ``display_name``."""
    return masked_name(display_name(user))
