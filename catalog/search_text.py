"""The words search matches, in every script: what a product's text becomes in its search column, and what a
shopper's query becomes.

Both sides pass through ``normalized``: NFKC (full-width letters and digits become half-width, Arabic
presentation forms become letters), lower case, Persian-keyboard letters as Uyghur ones. Then:

- Latin words lose their accents ("üzüm" → "uzum") and apostrophes ("sa'et" → "saet").
- Uyghur words in Arabic script are kept, and also written in Uyghur Latin script (ULY), folded the same way:
  ئۈزۈم is found by "üzüm" and "uzum".
- Chinese has no spaces, so a run of Han characters is indexed as its overlapping pairs and its last
  character (葡萄干 → 葡萄 萄干 干): a query of one character looks for pairs it begins and the last
  character, a longer one for all its pairs. A name's runs are also written in pinyin (pypinyin), whole
  and by initials, from every character on (无核白葡萄 → wuhebaiputao, hebaiputao, …, putao; whbpt, …,
  pt), so that "putao" and "pt", typed on a phone's Latin keyboard, find it by prefix.

A product's search row (``ProductSearch``) has two such columns, ``tsvector`` literals written here, of
words without positions (a third of the size with them): ``words`` holds its names' words, each whole name
(``=seedless grapes``), a token per concept it is tagged with (``#<id>``) and one per concept a name holds a
term of (``~<id>``: a name with "walnuts" or 核桃 carries the walnut concept's, so that a query expanded through
the concept looks for one token, not every term); ``description_words`` the opening of its descriptions.
``catalog/search.py`` builds the queries.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Arabic-script letters (Uyghur's among them), not its punctuation (، ؛ ؟ ۔) or the tatweel.
ARABIC = "\u0621-\u063a\u0641-\u064a\u0654\u0671-\u06d3\u06d5\u0750-\u077f"
LATIN = "0-9a-z\u00c0-\u024f"
_WORD = re.compile(rf"[{HAN}]+|[{ARABIC}]+|[{LATIN}]+")
_HAN_RUN = re.compile(rf"^[{HAN}]+$")
_ARABIC_WORD = re.compile(rf"^[{ARABIC}]+$")
# Letters a Persian or Arabic keyboard gives for Uyghur ones, and marks that do not change a word.
_KEYBOARD = str.maketrans({"\u06a9": "\u0643", "\u06cc": "\u0649", "\u0640": None, "'": None, "\u2019": None})

# Uyghur Arabic script → Uyghur Latin script (ULY). The hamza seat ئ only carries a vowel; U+0647 is sometimes
# typed for ە.
_ULY = {
    "\u0627": "a",  # ا
    "\u06d5": "e",  # ە
    "\u0647": "e",  # ه
    "\u0628": "b",  # ب
    "\u067e": "p",  # پ
    "\u062a": "t",  # ت
    "\u062c": "j",  # ج
    "\u0686": "ch",  # چ
    "\u062e": "x",  # خ
    "\u062f": "d",  # د
    "\u0631": "r",  # ر
    "\u0632": "z",  # ز
    "\u0698": "zh",  # ژ
    "\u0633": "s",  # س
    "\u0634": "sh",  # ش
    "\u063a": "gh",  # غ
    "\u0641": "f",  # ف
    "\u0642": "q",  # ق
    "\u0643": "k",  # ك
    "\u06af": "g",  # گ
    "\u06ad": "ng",  # ڭ
    "\u0644": "l",  # ل
    "\u0645": "m",  # م
    "\u0646": "n",  # ن
    "\u06be": "h",  # ھ
    "\u0648": "o",  # و
    "\u06c7": "u",  # ۇ
    "\u06c6": "o",  # ۆ (ö)
    "\u06c8": "u",  # ۈ (ü)
    "\u06cb": "w",  # ۋ
    "\u06d0": "e",  # ې (é)
    "\u0649": "i",  # ى
    "\u064a": "y",  # ي
    "\u0626": "",  # ئ
    "\u0654": "",  # hamza above, as NFKC may leave it
}

# Search reads the opening of each description, which says what the product is: the rest would make the
# search rows too large to stay in memory.
DESCRIPTION_CHARACTERS = 120


def normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().translate(_KEYBOARD)


def _folded_latin(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The words of ``text`` as search sees them: Latin folded, Arabic-script and Han runs as they are."""
    found = []
    for word in _WORD.findall(normalized(text)):
        if _HAN_RUN.match(word) or _ARABIC_WORD.match(word):
            found.append(word)
        else:
            found.append(_folded_latin(word))
    return found


def is_han(word: str) -> bool:
    return bool(_HAN_RUN.match(word))


def is_arabic(word: str) -> bool:
    return bool(_ARABIC_WORD.match(word))


def uly(word: str) -> str:
    """An Arabic-script Uyghur word in Uyghur Latin script, accents folded: ئۈزۈم → uzum."""
    return "".join(_ULY.get(ch, "") for ch in word)


def han_pairs(run: str) -> list[str]:
    """A Han run's overlapping pairs; a single character stands alone."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=4096)
def pinyin(run: str) -> tuple[str, str]:
    """A Han run in pinyin without tones, whole and by initials: 葡萄 → ("putao", "pt")."""
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
    full = "".join(_folded_latin(s) for s in syllables).replace("v", "u")
    initials = "".join(s[0] for s in syllables if s)
    return full, initials


def _pinyin_suffixes(run: str) -> Iterator[str]:
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
    syllables = [_folded_latin(s).replace("v", "u") for s in syllables if s]
    for start in range(len(syllables)):
        full = "".join(syllables[start:])
        if len(full) >= 2:
            yield full
        initials = "".join(s[0] for s in syllables[start:])
        if len(initials) >= 2:
            yield initials


@lru_cache(maxsize=8192)
def _name_tokens(word: str) -> tuple[str, ...]:
    """What one word of a name puts in the search column."""
    if is_han(word):
        # Its pairs and its last character: a one-character query is a prefix, which finds any character
        # that begins a pair, and the last one begins none.
        tokens = [*han_pairs(word), word[-1]] if len(word) > 1 else [word]
        return tuple(dict.fromkeys([*tokens, *_pinyin_suffixes(word)]))
    if is_arabic(word):
        latin = uly(word)
        return (word, latin) if latin else (word,)
    return (word,)


# English words too common to tell products apart; a description's other words are kept.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "left",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "then",
        "this",
        "to",
        "was",
        "were",
        "which",
        "while",
        "who",
        "will",
        "with",
        "without",
    ]
)


def _description_tokens(word: str) -> tuple[str, ...]:
    if is_han(word):
        return tuple(han_pairs(word)) if len(word) > 1 else ()
    return () if word in _STOPWORDS else (word,)


@lru_cache(maxsize=1024)
def _description_part(description: str) -> tuple[str, ...]:
    """A description's tokens (products copied from one another share theirs)."""
    return tuple(token for word in words(description[:DESCRIPTION_CHARACTERS]) for token in _description_tokens(word))


# Tokens of concepts and whole names begin with a character no query word holds.
EXACT = "="


def concept_token(concept_id: int) -> str:
    """The token that stands for a concept a product is tagged with."""
    return f"#{concept_id}"


def implied_token(concept_id: int) -> str:
    """The token of a concept a product's name holds a term of."""
    return f"~{concept_id}"


def _quoted(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def exact_token(text: str) -> str:
    """The token of a whole name, for ranking a product named exactly as searched first."""
    return EXACT + " ".join(words(text))


Term = tuple[str, ...]


def concept_terms(terms: Iterable[str]) -> list[Term]:
    """A concept's names and terms as search words; an Arabic-script term also in Uyghur Latin script, as it
    is typed too (ئۈزۈم as "uzum")."""
    parsed = [tuple(words(term)) for term in terms]
    arabic = [term for term in parsed if any(map(is_arabic, term))]
    latin = [tuple(uly(word) if is_arabic(word) else word for word in term) for term in arabic]
    return list(dict.fromkeys(term for term in [*parsed, *latin] if term and all(term)))


def _begins_one(prefix: str, tokens: list[str]) -> bool:
    """Whether a token of ``tokens`` (sorted) begins with ``prefix``."""
    at = bisect_left(tokens, prefix)
    return at < len(tokens) and tokens[at].startswith(prefix)


def _word_in(word: str, tokens: list[str], whole: set[str]) -> bool:
    """Whether ``word_query(word)`` matches a column of ``tokens`` (sorted; ``whole`` the same as a set)."""
    if is_han(word):
        if len(word) == 1:
            return _begins_one(word, tokens)
        return all(pair in whole for pair in han_pairs(word))
    if is_arabic(word):
        return _begins_one(word, tokens) if len(word) > 1 else word in whole
    return any(_begins_one(form, tokens) if len(form) > 1 else form in whole for form in singulars(word))


def document(
    *, names: Iterable[str], concept_ids: Iterable[int], concepts: Mapping[int, list[Term]] | None = None
) -> str:
    """The ``tsvector`` literal of a product's ``words``: its names' words, its whole names, its concepts'
    tokens and the tokens of the ``concepts`` (id → ``concept_terms``) whose terms its names hold, as
    ``phrase_query`` would find them."""
    tokens: dict[str, None] = {}
    for name in names:
        name_words = words(name)
        for word in name_words:
            tokens.update(dict.fromkeys(_name_tokens(word)))
        if name_words:
            tokens[exact_token(name)] = None
    held = sorted(tokens)
    whole = set(held)
    implied = [
        cid
        for cid, terms in (concepts or {}).items()
        if any(all(_word_in(word, held, whole) for word in term) for term in terms)
    ]
    tokens.update(dict.fromkeys(concept_token(cid) for cid in sorted(set(concept_ids))))
    tokens.update(dict.fromkeys(implied_token(cid) for cid in sorted(implied)))
    return " ".join(_quoted(token) for token in tokens)


def description_document(descriptions: Iterable[str]) -> str:
    """The ``tsvector`` literal of a product's ``search_description``."""
    tokens: dict[str, None] = {}
    for description in descriptions:
        tokens.update(dict.fromkeys(_description_part(description)))
    return " ".join(_quoted(token) for token in tokens)


def vocabulary(names: Iterable[str]) -> set[str]:
    """The Latin words of names (pinyin and Uyghur Latin forms included) that typos are corrected towards."""
    found = set()
    for name in names:
        for word in words(name):
            if is_han(word):
                full, _initials = pinyin(word)
                candidates = [full]
            elif is_arabic(word):
                candidates = [uly(word)]
            else:
                candidates = [word]
            found.update(c for c in candidates if len(c) >= 3 and not c.isdigit())
    return found


# Query side


def term(token: str, *, prefix: bool) -> str:
    """One token of a tsquery, quoted, as a prefix or whole."""
    return f"{_quoted(token)}{':*' if prefix else ''}"


def all_of(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def any_of(parts: Iterable[str]) -> str:
    unique = list(dict.fromkeys(p for p in parts if p))
    if not unique:
        return ""
    return unique[0] if len(unique) == 1 else "(" + " | ".join(unique) + ")"


def singulars(word: str) -> list[str]:
    """An English word and the singular a plural may stand for: walnuts → walnut, peaches → peach, berries →
    berry."""
    forms = [word]
    if len(word) > 4 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    elif len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        forms.append(word[:-2])
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


def word_query(word: str, *, described: bool = False) -> str:
    """The tsquery that finds ``word`` (one query word) in ``search_vector``, or with ``described`` in
    ``search_description``.

    Latin and Arabic-script words match as prefixes ("gra" finds grapes, a Uyghur stem its suffixed forms),
    a single letter only as itself; a Han run matches its character (names only), or all its pairs.
    """
    if is_han(word):
        if len(word) == 1:
            return "" if described else term(word, prefix=True)
        return all_of([term(pair, prefix=False) for pair in han_pairs(word)])
    if is_arabic(word):
        return term(word, prefix=len(word) > 1)
    forms = singulars(word)
    if len(word) > 1:
        # "raisin" as a prefix finds every word "raisins" would.
        forms = [form for form in forms if not any(other != form and form.startswith(other) for other in forms)]
    return any_of(term(form, prefix=len(form) > 1) for form in forms)


def phrase_query(phrase: str) -> str:
    """Every word of ``phrase`` (a concept's term, say "hami melon") in the names."""
    parts = [word_query(word) for word in words(phrase)]
    return all_of(parts) if parts else ""


def exact_query(text: str) -> str:
    return term(exact_token(text), prefix=False)


def concept_query(concept_ids: Iterable[int]) -> str:
    """Products tagged with one of the concepts."""
    return any_of(term(concept_token(cid), prefix=False) for cid in sorted(set(concept_ids)))


def implied_query(concept_ids: Iterable[int]) -> str:
    """Products whose names hold a term of one of the concepts."""
    return any_of(term(implied_token(cid), prefix=False) for cid in sorted(set(concept_ids)))
