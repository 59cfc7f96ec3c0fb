"""Pages that work without JavaScript may still load the scripts that only improve them."""

from __future__ import annotations

import re

# Scripts that add to a page and take nothing away: the page and its forms work the same without them.
ENHANCEMENTS = ("forms", "photo_resize", "select_search")
_SCRIPT = re.compile(r"<script\b[^>]*>")
_ENHANCEMENT = re.compile(r'<script src="[^"]*/js/(' + "|".join(ENHANCEMENTS) + r')(\.[0-9a-f]+)?\.js" defer>')


def only_enhancements(html: str | bytes) -> bool:
    """Whether every script of ``html`` is one of ``ENHANCEMENTS``, loaded from a file and deferred."""
    text = html.decode() if isinstance(html, bytes) else html
    return all(_ENHANCEMENT.fullmatch(tag) for tag in _SCRIPT.findall(text))
