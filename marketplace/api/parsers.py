"""The API's JSON parser: REST framework's, with limits on what a body may hold.

Python's ``json`` module descends once per level of nesting, and a body nested about a thousand deep makes it
raise ``RecursionError``: a 500 for a few kilobytes of brackets. No request of this API nests more than a few
levels, so a body deeper than ``MAX_DEPTH`` is refused with ``400 parse_error``, as is a number past 1e308
(``NaN`` and ``Infinity`` are refused by REST framework already) and text with a lone surrogate (``"\\ud800"``),
which no column stores and no encoder writes out. A number with a fraction is read as the ``Decimal`` it is
written as, not as a float: a price of ``59.9`` is 59.90, and ``0.5700000000000001`` is not a sum in fen. The
body's size is Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, read by REST framework before any parser runs; a larger
body answers ``413`` (``marketplace.api.errors``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

# Levels of objects and arrays, the outermost counting as one: an order's lines are three deep.
MAX_DEPTH = 32
# Numbers past 1e308, which a float would read as infinity, are refused.
MAX_EXPONENT = 308


class _NumberTooLarge(ValueError):
    pass


def _number(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent, exactly as written: ``59.9`` is 59.9, never 59.899999…"""
    number = Decimal(text)
    if number.adjusted() > MAX_EXPONENT:
        raise _NumberTooLarge(text)
    return number


def deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` levels deep; walked without recursion."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _encodable(data: Any) -> bool:
    """Whether every text in ``data``, keys too, can be written as UTF-8; walked without recursion."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode()
            except UnicodeEncodeError:
                return False
        elif isinstance(node, dict):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


class JSONParser(parsers.JSONParser):
    """REST framework's JSON parser with a depth limit, numbers read as the decimals they are written as, and no
    lone surrogates; every refusal a ``ParseError``."""

    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        too_deep = _("The JSON body nests objects and arrays more than %(max)d levels deep.") % {"max": self.max_depth}
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=strict_constant, parse_float=_number)
        except RecursionError:
            raise ParseError(too_deep) from None
        except _NumberTooLarge:
            raise ParseError(_("A number in the JSON body is too large.")) from None
        except ValueError as exc:  # not JSON, not in the encoding, NaN or Infinity, an integer of 4,300 digits
            raise ParseError(f"JSON parse error - {exc}") from None
        # Fewer opening brackets than the limit cannot nest deeper than it: most bodies skip the walk.
        if text.count("[") + text.count("{") > self.max_depth and deeper_than(data, self.max_depth):
            raise ParseError(too_deep)
        # Only an escape can make a lone surrogate (UTF-8 cannot carry one); such text can be neither stored nor
        # encoded, so it is refused here rather than wherever it is first written out.
        if _SURROGATE_ESCAPE.search(text) and not _encodable(data):
            raise ParseError(_("The JSON body holds text that is not valid Unicode."))
        return data
