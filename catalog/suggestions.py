"""Completions for a search box, as a shopper types: kinds of produce, places and products.

Three small reads, each bounded whatever the size of the catalogue:

- concepts (``Concept``, the staff's vocabulary, a few hundred rows at most), matched here: a name or term, or
  its pinyin (葡萄 → putao, pt) or Uyghur Latin form (ئۈزۈم → uzum), that begins with the typed words;
- villages and counties whose name in some language begins with the typed text, or holds it once it is long
  enough to mean something there (two Chinese characters, or three letters); one query for both;
- products whose search row (``ProductSearch.words``) has the typed words, the last one as a prefix
  (``'pu':*``). The GIN index finds them; only the first ``PRODUCT_CANDIDATES`` it returns are read, and ranked
  here (a name that begins with the text first, then names holding a suggested concept's term, then units
  sold), so a prefix that matches 20,000 products costs no sort of 20,000 rows.

Labels are in the reader's language; each suggestion leads to a page: a search for the concept, the village's
page, the county's products, the product's page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urlencode

from django.db.models import Q, Value
from django.urls import reverse

from catalog import search_text as text
from catalog.models import Concept, ProductSearch
from catalog.search import Matches
from marketplace.models import CONTENT_LANGUAGES, content_language
from producers.models import County, Village

Kind = Literal["concept", "village", "county", "product"]
KINDS: tuple[Kind, ...] = ("concept", "village", "county", "product")

# How many of each kind a full list holds; the rest of the places go to products, and products left short
# give theirs back.
MAX_CONCEPTS = 3
MAX_PLACES = 2
# Villages and counties read per request, of each, to choose the best named from.
PLACE_CANDIDATES = 10
# Products read per request from the index's matches: the best of them by name and units sold are shown.
PRODUCT_CANDIDATES = 200
# Words of a query that count: a suggestion is for what is being typed, not for a paragraph.
MAX_WORDS = 4
LONGEST_WORD = 30
# A place's name holds the typed text anywhere from this many characters (Chinese) or letters (other scripts);
# shorter, it must begin the name: "pu" is not Sampul.
HOLDS_HAN, HOLDS_OTHER = 2, 3
_NAMES = tuple(f"name_{language}" for language in CONTENT_LANGUAGES)


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    label: str
    url: str


def typed_words(q: str) -> list[str]:
    """The words of ``q`` worth completing: none for a single Latin or Arabic letter (too many matches to help);
    a single Chinese character is a word already."""
    words = [word[:LONGEST_WORD] for word in text.words(q)[:MAX_WORDS]]
    if len(words) == 1 and len(words[0]) < 2 and not text.is_han(words[0]):
        return []
    return words


# Accented Latin letters as plain ones ("ü" → "u"), as search_text folds Latin words; other scripts untouched.
_PLAIN_LATIN = {
    code: "".join(ch for ch in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(ch))
    for code in range(0xC0, 0x250)
}
_ACCENTED = re.compile("[\u00c0-\u024f]")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def _folded(name: str) -> str:
    """``name`` as one string of letters to compare with what is typed: Grape-Valley → grapevalley, Üzüm → uzum.
    Cheaper than ``search_text.words`` (names are stored as written, so they need no NFKC), in which ranking a
    few hundred names would spend most of its time."""
    name = name.lower()
    if _ACCENTED.search(name):
        name = name.translate(_PLAIN_LATIN)
    return _NOT_A_LETTER.sub("", name)


@lru_cache(maxsize=4096)
def _forms(term: str) -> tuple[tuple[str, ...], ...]:
    """A concept's term as the words a shopper may type for it: as written, in pinyin (whole and by initials) and
    in Uyghur Latin script."""
    words = tuple(text.words(term))
    if not words:
        return ()
    forms = [words]
    latin = tuple(text.pinyin(w)[0] if text.is_han(w) else text.uly(w) if text.is_arabic(w) else w for w in words)
    if latin != words and all(latin):
        forms.append(latin)
    if len(words) == 1 and text.is_han(words[0]):
        initials = text.pinyin(words[0])[1]
        if len(initials) >= 2:
            forms.append((initials,))
    return tuple(forms)


def _begins(form: tuple[str, ...], typed: str) -> int | None:
    """How well ``form`` is completed by ``typed`` (the typed words joined): 0 when it is the whole form, 1 when it
    begins the form, 2 when it begins a later word of it ("melon" in "hami melon"), None when it does neither."""
    whole = "".join(form)
    if whole == typed:
        return 0
    if whole.startswith(typed):
        return 1
    if any("".join(form[start:]).startswith(typed) for start in range(1, len(form))):
        return 2
    return None


def _concepts(words: list[str]) -> tuple[list[Suggestion], set[str]]:
    """The concepts ``words`` begin, best first, and their names and terms (folded)."""
    typed = "".join(words)
    found: list[tuple[tuple[int, int, str], Concept]] = []
    concepts = Concept.objects.filter(is_active=True).order_by("slug")
    for concept in concepts.only("slug", "name_zh", "name_ug", "name_en", "terms"):
        forms = [form for term in concept.all_terms() for form in _forms(term)]
        ranks = [(rank, len("".join(form))) for form in forms if (rank := _begins(form, typed)) is not None]
        if ranks:
            found.append(((*min(ranks), concept.slug), concept))
    found.sort(key=lambda item: item[0])
    suggestions: list[Suggestion] = []
    terms: set[str] = set()
    for _rank, concept in found:
        label = concept.name
        suggestions.append(Suggestion("concept", label, reverse("product-list") + "?" + urlencode({"q": label})))
        terms.update(folded for term in concept.all_terms() if (folded := _folded(term)))
    return list(dict.fromkeys(suggestions)), terms


def _translated(names: list[str], original_language: str, reader: str) -> str:
    """A name read as values (Chinese, Uyghur, English), in the reader's language, else the original, else any
    (as ``TranslatedContent.translated``)."""
    by_language = dict(zip(CONTENT_LANGUAGES, names, strict=True))
    for language in (reader, original_language, *CONTENT_LANGUAGES):
        if by_language.get(language):
            return by_language[language]
    return ""


def _places(q: str) -> list[Suggestion]:
    """Villages and counties named with ``q``: those whose name begins with it first, then by slug."""
    needle = " ".join(text.normalized(q).split())
    long_enough = len(needle) >= (HOLDS_HAN if text.is_han(needle.replace(" ", "")) else HOLDS_OTHER)
    lookup = "icontains" if long_enough else "istartswith"
    holds = Q()
    for field in _NAMES:
        holds |= Q(**{f"{field}__{lookup}": needle})
    columns = ("slug", *_NAMES, "original_language")
    villages = Village.objects.filter(holds).annotate(kind=Value("village")).order_by("slug")
    counties = County.objects.filter(holds).annotate(kind=Value("county")).order_by("slug")
    rows = villages.values_list("kind", *columns)[:PLACE_CANDIDATES].union(
        counties.values_list("kind", *columns)[:PLACE_CANDIDATES], all=True
    )
    reader = content_language()
    ranked = []
    for kind, slug, *names, original_language in rows:
        begins = any(name.lower().startswith(needle) for name in names)
        ranked.append((not begins, kind != "village", slug, kind, _translated(names, original_language, reader)))
    suggestions = []
    for *_rank, slug, kind, label in sorted(ranked):
        if kind == "village":
            url = reverse("village-detail", kwargs={"slug": slug})
        else:
            url = reverse("product-list") + "?" + urlencode({"county": slug})
        suggestions.append(Suggestion(kind, label, url))
    return suggestions


def _product_tsquery(words: list[str]) -> str:
    """Every typed word among a product's names; the last, being typed, as a prefix even when one letter long."""
    parts = []
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if last and len(word) == 1 and not text.is_han(word):
            parts.append(text.term(word, prefix=True))
        else:
            parts.append(text.word_query(word))
    return text.all_of(parts)


def _products(words: list[str], limit: int, concept_terms: set[str]) -> list[Suggestion]:
    """Up to ``limit`` products on sale, each name once: a name (in the reader's language, then in any) that
    begins with the typed text first, then names holding a term of the concepts suggested (核 suggests walnuts:
    薄皮核桃 before 无核白葡萄, a seedless grape), then the rest; by units sold within each."""
    typed = _folded(" ".join(words))
    terms = sorted(concept_terms, key=len, reverse=True)
    mentions = re.compile("|".join(map(re.escape, terms))) if terms else None
    fields = ("product__slug", *(f"product__{field}" for field in _NAMES), "product__original_language")
    candidates = (
        ProductSearch.objects.filter(is_active=True, producer__is_verified=True)
        .filter(Matches(_product_tsquery(words), "words"))
        .order_by()  # the index's order: no sort of every match before the limit
        .values_list("product_id", "popularity", *fields)[:PRODUCT_CANDIDATES]
    )
    reader = content_language()
    ranked = []
    for product_id, popularity, slug, *names, original_language in candidates:
        label = _translated(names, original_language, reader)
        folded = _folded(label)
        if folded.startswith(typed):
            tier = 0
        else:
            others = [_folded(name) for name in names if name and name != label]
            if any(name.startswith(typed) for name in others):
                tier = 1
            elif mentions is not None and any(mentions.search(name) for name in (folded, *others)):
                tier = 2
            else:
                tier = 3
        ranked.append(((tier, -popularity, -product_id), folded, label, slug))
    ranked.sort(key=lambda item: item[0])
    suggestions: dict[str, Suggestion] = {}
    for _rank, folded, label, slug in ranked:
        if folded not in suggestions:
            suggestions[folded] = Suggestion("product", label, reverse("product-detail", kwargs={"slug": slug}))
            if len(suggestions) == limit:
                break
    return list(suggestions.values())


def suggestions_for(q: str, *, limit: int) -> list[Suggestion]:
    """Up to ``limit`` completions of ``q``: concepts, then places, then products (see the module's docstring)."""
    words = typed_words(q)
    if not words or limit < 1:
        return []
    concepts, concept_terms = _concepts(words)
    places = _places(q)
    # A product named as a suggested concept is found by the concept's search: it is not said twice.
    concept_labels = {_folded(s.label) for s in concepts}
    products = _products(words, limit + len(concept_labels), concept_terms)
    products = [s for s in products if _folded(s.label) not in concept_labels]
    chosen_concepts = concepts[:MAX_CONCEPTS]
    chosen_places = places[:MAX_PLACES]
    room = limit - len(chosen_concepts) - len(chosen_places)
    chosen_products = products[: max(room, 0)]
    # Kinds with fewer matches than their share leave the room to the others.
    spare = limit - len(chosen_concepts) - len(chosen_places) - len(chosen_products)
    extra_concepts = concepts[MAX_CONCEPTS : MAX_CONCEPTS + spare]
    spare -= len(extra_concepts)
    extra_places = places[MAX_PLACES : MAX_PLACES + spare]
    return [*chosen_concepts, *extra_concepts, *chosen_places, *extra_places, *chosen_products][:limit]
