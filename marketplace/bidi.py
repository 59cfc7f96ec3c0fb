"""Numbers inside right-to-left text: amounts, dates, times, phone numbers and order numbers are isolated.

In a Uyghur sentence the Unicode bidirectional algorithm reorders a run of digits, spaces and punctuation
against the Arabic-script words around it: "2026/12/06 17:30" shows as "17:30 2026/12/06" and a price's
"¥" jumps to the other end of its number. An isolate keeps such a value in one piece, reading left to right.
HTML pages wrap them in ``<bdi>`` (the ``bdi`` template filter); plain text (emails, subjects, SVG labels)
uses the Unicode isolate characters, only where the active language is written right to left.
"""

from __future__ import annotations

from django.utils import translation

LRI = "\u2066"  # left-to-right isolate
FSI = "\u2068"  # first-strong isolate: the direction of the text's first letter
PDI = "\u2069"  # pop directional isolate: ends either


def isolate(text: str, *, ltr: bool = False) -> str:
    """``text`` as one unit inside right-to-left text (first-strong, or left to right with ``ltr``).

    Unchanged in a left-to-right language or when empty. Without a letter, first-strong reads left to right.
    """
    if not text or not translation.get_language_bidi():
        return text
    return (LRI if ltr else FSI) + text + PDI
