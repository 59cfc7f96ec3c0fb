"""How cards and product pages show a product's sales: "已售 1.2万", "1.2k sold", "1.2 مىڭ سېتىلدى"."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

register = template.Library()

# Compact numbers as each language writes them (CLDR's short decimal formats): Chinese counts in 万 (10⁴) and
# 亿 (10⁸), Uyghur and English in thousands and millions. (divisor, suffix), largest first.
_COMPACT = {
    "zh": ((100_000_000, "亿"), (10_000, "万")),
    "ug": ((1_000_000, " مىليون"), (1_000, " مىڭ")),
    "en": ((1_000_000, "M"), (1_000, "k")),
}


def _language() -> str:
    code = (translation.get_language() or "zh").lower()
    return next((language for language in _COMPACT if code.startswith(language)), "en")


def compact_number(number: int, language: str | None = None) -> str:
    """``number`` shortened as shops show counts: 12345 is "1.2万" in Chinese, "12.3k" in English.

    Rounded down to one decimal (never "2万" for 19,999), with a whole number written without ".0".
    """
    number = int(number or 0)
    for divisor, suffix in _COMPACT[language or _language()]:
        if number >= divisor:
            tenths = number * 10 // divisor
            whole, tenth = divmod(tenths, 10)
            return f"{whole}.{tenth}{suffix}" if tenth else f"{whole}{suffix}"
    return str(number)


@register.filter
def units_sold(number: int | None) -> str:
    """ "已售 1.2万" / "1.2k sold": units sold, compact, in the active language."""
    return _("%(count)s sold") % {"count": compact_number(number or 0)}
