"""The product search: a shopper's words, in any language or script, turned into one indexed query.

Every product has a search row (``ProductSearch``, written by ``services.product_search_refresh`` from
``catalog/search_text.py``) whose words are under a GIN index. A query is split into units — a word, or several words
that together are a concept's term ("hami melon") — and every unit must match, in any order:

- directly: the unit's own word in the product's names or description (Latin words and Uyghur stems as
  prefixes, Chinese by its characters or pairs);
- through concepts: the staff vocabulary (``Concept``) maps the unit to concepts (and those below them); a
  product whose name holds one of their terms carries a token for each, written with its row, so 葡萄 finds
  "grapes", ئۈزۈم and a narrower concept's products (raisins) by a few tokens, as it finds the products
  tagged with those concepts;
- by its pinyin (a Chinese unit) or its Uyghur Latin form (an Arabic-script unit);
- by typo: a Latin word that begins no known word is replaced by the nearest known words (``SearchWord``);
- by place: a unit naming a producer, village, county or prefecture matches that producer's products.

Each unit scores 4 in a name, 3 in a name through a concept, pinyin or typo, 2 through a tagged concept, 1 in
the description, 0 by place; a name equal to the whole query adds 10. Results go by score, then units sold,
then newest. See docs/scaling.md for the plans.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField
from django.db import connections, router, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from catalog import search_text as text
from catalog.models import Concept, Product, ProductSearch
from producers.models import Producer

# A query's words beyond this many are ignored: nobody types more, and every unit adds to the work.
MAX_UNITS = 6
# Concept terms of up to this many words are recognised in a query ("hami melon", "rose tea").
LONGEST_TERM = 3
# Nearest known words a mistyped word stands for, and how alike they must be (pg_trgm similarity).
TYPO_CANDIDATES = 3
TYPO_SIMILARITY = 0.3
SCORE_NAME, SCORE_NAME_EXPANDED, SCORE_CONCEPT, SCORE_DESCRIPTION = 4, 3, 2, 1
SCORE_EXACT_NAME = 10


@dataclass
class ConceptEntry:
    id: int
    broader_id: int | None
    is_active: bool
    terms: list[text.Term]  # each term as its search words


@dataclass
class Unit:
    """One unit of a query and the tsqueries that find it."""

    words: tuple[str, ...]
    concept_ids: set[int] = field(default_factory=set)
    alternatives: list[str] = field(default_factory=list)  # other words to look for in names: pinyin, ULY, typos
    place_ids: list[int] = field(default_factory=list)

    @property
    def phrase(self) -> str:
        return " ".join(self.words)

    def direct(self, *, described: bool = False) -> str:
        parts = [text.word_query(word, described=described) for word in self.words]
        return "" if not all(parts) else text.all_of(parts)

    def expanded(self) -> str:
        """In a name through its concepts (a name that holds one of their terms) or its other words."""
        return text.any_of(
            [*(text.phrase_query(alt) for alt in self.alternatives), text.implied_query(self.concept_ids)]
        )

    def concepts(self) -> str:
        return text.concept_query(self.concept_ids)

    def scored(self) -> list[tuple[Q, int]]:
        """The ways the unit matches, best first, with their scores: in a name, in a name through a concept or
        transliteration, a tagged concept, the description. The place (score 0) is not among them."""
        ways = [(self.direct(), SCORE_NAME), (self.expanded(), SCORE_NAME_EXPANDED), (self.concepts(), SCORE_CONCEPT)]
        scored = [(Q(Matches(tsquery)), score) for tsquery, score in ways if tsquery]
        described = self.direct(described=True)
        if described:
            scored.append((Q(Matches(described, "description_words")), SCORE_DESCRIPTION))
        return scored

    def matching(self) -> str:
        """What finds the unit in ``search_vector``; ``direct(described=True)`` finds it in
        ``search_description``."""
        return text.any_of([self.direct(), self.expanded(), self.concepts()])


# The concepts as last read, per database, with what tells whether they changed since.
_vocabulary: dict[str, tuple[tuple, list[ConceptEntry]]] = {}


def concept_vocabulary(using: str | None = None) -> list[ConceptEntry]:
    """Every concept, used in search or not, with its terms parsed (``search_text.concept_terms``).

    Kept per process and read again only when a concept was added, changed or deleted: one small query
    tells, where parsing every term took a few milliseconds of each search.
    """
    using = using or router.db_for_read(Concept)
    stamp = tuple(Concept.objects.using(using).aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")).values())
    kept = _vocabulary.get(using)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    entries = []
    rows = Concept.objects.using(using).order_by("pk")
    for concept in rows.only("pk", "broader_id", "is_active", "name_zh", "name_ug", "name_en", "terms"):
        terms = text.concept_terms(concept.all_terms())
        entries.append(ConceptEntry(concept.pk, concept.broader_id, concept.is_active, terms))
    _vocabulary[using] = (stamp, entries)
    return entries


def _concepts(using: str) -> list[ConceptEntry]:
    """The concepts a query is expanded through: those used in search."""
    return [entry for entry in concept_vocabulary(using) if entry.is_active]


def _term_matches(term: tuple[str, ...], unit: tuple[str, ...]) -> bool:
    if term == unit:
        return True
    if len(term) != 1 or len(unit) != 1:
        return False
    word, known = unit[0], term[0]
    if text.is_han(word) or text.is_han(known):
        return False
    if text.is_arabic(word):
        # A Uyghur word with a suffix: ئۈزۈمى is ئۈزۈم.
        return len(known) >= 3 and word.startswith(known)
    if known in text.singulars(word) or word in text.singulars(known):
        return True
    return len(word) >= 4 and known.startswith(word)


def _with_narrower(ids: set[int], concepts: list[ConceptEntry]) -> set[int]:
    """``ids`` and every concept below them: a search for grapes also finds raisins."""
    found = set(ids)
    while True:
        more = {c.id for c in concepts if c.broader_id in found and c.id not in found}
        if not more:
            return found
        found |= more


def _units(words: list[str], concepts: list[ConceptEntry]) -> list[Unit]:
    """Words grouped into units, the longest concept term first, each with its concepts and alternatives."""
    units: list[Unit] = []
    position = 0
    while position < len(words) and len(units) < MAX_UNITS:
        for size in range(min(LONGEST_TERM, len(words) - position), 0, -1):
            candidate = tuple(words[position : position + size])
            matched = {c.id for c in concepts if any(_term_matches(term, candidate) for term in c.terms)}
            if matched or size == 1:
                break
        unit = Unit(words=candidate, concept_ids=_with_narrower(matched, concepts))
        if len(candidate) == 1:
            word = candidate[0]
            if text.is_han(word) and len(word) > 1:
                unit.alternatives.append(text.pinyin(word)[0])
            elif text.is_arabic(word) and text.uly(word):
                unit.alternatives.append(text.uly(word))
        unit.alternatives = _pruned(unit.alternatives, given=candidate)
        units.append(unit)
        position += len(candidate)
    return units


def _correct_typos(units: list[Unit], concepts: list[ConceptEntry], using: str) -> None:
    """A Latin word that no known word begins with, and that names no concept, also looks for the nearest
    known words (and their concepts): "grpes" finds grapes."""
    for unit in units:
        if unit.concept_ids or len(unit.words) != 1:
            continue
        word = unit.words[0]
        if len(word) < 3 or text.is_han(word) or text.is_arabic(word) or word.isdigit():
            continue
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT word, word LIKE %s AS begins FROM catalog_searchword "
                "WHERE word LIKE %s OR (similarity(word, %s) >= %s AND word %% %s) "
                "ORDER BY word LIKE %s DESC, similarity(word, %s) DESC, word LIMIT %s",
                [
                    _prefix(word),
                    _prefix(word),
                    word,
                    TYPO_SIMILARITY,
                    word,
                    _prefix(word),
                    word,
                    TYPO_CANDIDATES,
                ],
            )
            rows = cursor.fetchall()
        if not rows or rows[0][1]:
            continue
        nearest = [row[0] for row in rows]
        matched = {c.id for c in concepts if any(_term_matches(term, (near,)) for term in c.terms for near in nearest)}
        unit.concept_ids = _with_narrower(matched, concepts)
        unit.alternatives = _pruned(nearest, given=())


def _covers(single: str, word: str) -> bool:
    """Whether every name ``word`` matches is also matched by the single word ``single``."""
    if text.is_han(single) and text.is_han(word):
        return set(text.han_pairs(single)) <= set(text.han_pairs(word)) if len(single) > 1 else single in word
    if text.is_han(single) or text.is_han(word):
        return False
    base = min(text.singulars(single), key=len)
    return all(form.startswith(base) for form in text.singulars(word))


def _pruned(alternatives: list[str], *, given: tuple[str, ...]) -> list[str]:
    """The alternatives less those another one already finds: "table grapes" when "grape" is there, 葡萄干
    when 葡萄 is, "raisins" when "raisin" is. Fewer terms make a smaller query for the index to answer."""
    phrases = [tuple(text.words(alt)) for alt in dict.fromkeys(alternatives)]
    # Shortest first, so that of two that find each other ("raisin", "raisins") the first is kept.
    phrases.sort(key=lambda phrase: (len(phrase), sum(map(len, phrase))))
    singles = [given[0]] if len(given) == 1 else []
    kept: list[tuple[str, ...]] = []
    for phrase in phrases:
        if not phrase or phrase in kept or phrase == given:
            continue
        if any(_covers(single, word) for single in singles for word in phrase):
            continue
        kept.append(phrase)
        if len(phrase) == 1:
            singles.append(phrase[0])
    return [" ".join(phrase) for phrase in kept]


def _prefix(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_PLACE_FIELDS = (
    "",
    "village__",
    "village__county__",
    "village__county__prefecture__",
)


def _find_places(units: list[Unit], using: str) -> None:
    """Each unit's producers: those whose name, or their village's, county's or prefecture's, holds it."""
    conditions = {}
    for index, unit in enumerate(units):
        phrase = unit.phrase
        # A concept's word ("葡萄") is what a product is, not where: 葡萄沟 village does not make every
        # product of its producers a grape.
        if unit.concept_ids or len(phrase) < 2 or (len(phrase) < 3 and not text.is_han(phrase)):
            continue
        condition = Q()
        for prefix in _PLACE_FIELDS:
            for language in ("zh", "ug", "en"):
                condition |= Q(**{f"{prefix}name_{language}__icontains": phrase})
        conditions[index] = condition
    if not conditions:
        return
    either = Q()
    for condition in conditions.values():
        either |= condition
    producers = Producer.objects.using(using).filter(either, is_verified=True)
    annotations = {f"u{index}": _boolean(condition) for index, condition in conditions.items()}
    for row in producers.annotate(**annotations).values("pk", *annotations)[:2000]:
        for index in conditions:
            if row[f"u{index}"]:
                units[index].place_ids.append(row["pk"])


def _boolean(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def units_of(q: str, *, using: str | None = None) -> list[Unit]:
    """The units of ``q`` with everything they match: concepts, alternatives, corrected typos and places."""
    using = using or router.db_for_read(Product)
    words = text.words(q)
    if not words:
        return []
    concepts = _concepts(using)
    units = _units(words, concepts)
    _correct_typos(units, concepts, using)
    _find_places(units, using)
    return units


class Matches(Func):
    """``words @@ tsquery`` (or another column's), the tsquery written in PostgreSQL's syntax by
    ``search_text``."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, tsquery: str, column: str = "words") -> None:
        super().__init__(F(column), Cast(Value(tsquery), output_field=SearchQueryField()))


def _unit_condition(unit: Unit) -> Q:
    condition = Q(Matches(unit.matching()))
    described = unit.direct(described=True)
    if described:
        condition |= Q(Matches(described, "description_words"))
    if unit.place_ids:
        condition |= Q(producer_id__in=unit.place_ids)
    return condition


def _unit_score(unit: Unit) -> Case:
    # The first way that matches scores; the description's column is read only for a row no name or concept
    # matched, and a row matched by place alone scores 0.
    whens = [When(condition, then=Value(score)) for condition, score in unit.scored()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _exact_name(rows: QuerySet[ProductSearch], q: str) -> Case:
    """+10 for a product named exactly ``q``: those few are found first, by the index, so that no other match's
    words are read for it."""
    named = list(rows.filter(Matches(text.exact_query(q))).values_list("product_id", flat=True)[:100])
    if not named:
        return Value(0, output_field=IntegerField())
    return Case(When(product_id__in=named, then=Value(SCORE_EXACT_NAME)), default=Value(0), output_field=IntegerField())


def search(rows: QuerySet[ProductSearch], q: str, *, units: list[Unit] | None = None) -> QuerySet[ProductSearch]:
    """Search rows (``ProductSearch``) matching ``q`` (every unit), annotated with ``match_rank``."""
    units = units_of(q) if units is None else units
    if not units:
        return rows.none().annotate(match_rank=Value(0, output_field=IntegerField()))
    for unit in units:
        rows = rows.filter(_unit_condition(unit))
    rank: Any = _exact_name(rows, q)
    for unit in units:
        rank = rank + _unit_score(unit)
    return rows.annotate(match_rank=ExpressionWrapper(rank, output_field=IntegerField()))


# Within a score: units sold, then newest.
POPULAR_FIRST = (F("popularity").desc(), F("published_at").desc(), F("product_id").desc())


_PLAN_SETTINGS = ("enable_seqscan", "max_parallel_workers_per_gather", "enable_bitmapscan", "enable_indexscan")


@contextmanager
def _index_plans(using: str) -> Iterator[None]:
    """Plan the queries inside with the GIN indexes, and without parallel workers.

    The planner cannot estimate how many rows a query of many words and prefixes matches, and for a common
    word it read the whole table (in parallel) where the indexes answer in a fraction of the time; on two
    cores, parallel workers only take a core from another request. ``_plan`` picks between walking an
    index in order and collecting the matches from the GIN indexes, inside.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in _PLAN_SETTINGS))
        before = cursor.fetchone()
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
        )
        try:
            yield
        finally:
            # Inside an outer transaction the settings would outlive these queries.
            cursor.execute(
                "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in _PLAN_SETTINGS), list(before)
            )


def _plan(using: str, *, walk: bool) -> None:
    """Inside ``_index_plans``: walk an index in order (``walk``), or collect the matches from the GIN indexes
    and sort them."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_bitmapscan', %s, true), set_config('enable_indexscan', %s, true)",
            ["off" if walk else "on", "on" if walk else "off"],
        )


def found_ids(rows: QuerySet[ProductSearch], q: str, *, order: list | None, limit: int) -> list[int]:
    """The product ids of ``rows`` that match ``q``, at most ``limit``: in ``order`` (e.g. by price), or by
    relevance when it is None.

    A query of one unit is answered score by score, best first (an exact name, the word in a name, in a name
    through a concept or transliteration, a tagged concept, the description, the place), each a query the
    index answers, ordered by units sold and newest, until ``limit`` are found: a common word fills the page
    from its first score without ranking every match. A query of several units ranks every match by the sum
    of their scores.
    """
    units = units_of(q, using=rows.db)
    if not units:
        return []
    with _index_plans(rows.db):
        if order is not None:
            matching = rows
            for unit in units:
                matching = matching.filter(_unit_condition(unit))
            return _in_order(matching, order, limit)
        if len(units) == 1:
            return _by_score(rows, units[0], q, limit)
        # Every unit in a name scores best (after an exact name): when those fill the list, nothing else
        # needs ranking.
        best = [Q(Matches(text.exact_query(q)))]
        if all(unit.direct() for unit in units):
            best.append(Q(Matches(text.all_of([unit.direct() for unit in units]))))
        found = _in_turn(rows, best, limit)
        if len(found) >= limit:
            return found
        ranked = search(rows, q, units=units).order_by("-match_rank", *POPULAR_FIRST)
        return list(ranked.values_list("product_id", flat=True)[:limit])


# A search sorted by price (or date) first looks among this many of the cheapest (or newest) products.
FIRST_LOOK_ROWS = 2000


def _in_order(matching: QuerySet[ProductSearch], order: list, limit: int) -> list[int]:
    """The first ``limit`` ids of ``matching`` in ``order`` (its first key a column of the search row).

    Two plans answer such a query, and which is fast depends on where the matches lie in that order. Walking
    the order's index and testing each row finds grapes among the cheapest products at once, but reads
    40,000 rows before the first walnut. Collecting every match from the GIN indexes and sorting them costs
    the same wherever the matches lie, in proportion to how many there are. So the ``FIRST_LOOK_ROWS``
    cheapest (or newest) products are tested first, a few milliseconds: when ``limit`` of them match, they are
    the answer; otherwise the matches are collected and sorted.
    """
    first_look = (
        ProductSearch.objects.using(matching.db)
        .filter(is_active=True)
        .order_by(*order)
        .values("product_id")[:FIRST_LOOK_ROWS]
    )
    ids = matching.order_by(*order).values_list("product_id", flat=True)
    _plan(matching.db, walk=True)
    looked = list(ids.filter(product_id__in=Subquery(first_look))[:limit])
    if len(looked) >= limit:
        return looked
    _plan(matching.db, walk=False)
    return list(ids[:limit])


def _by_score(rows: QuerySet[ProductSearch], unit: Unit, q: str, limit: int) -> list[int]:
    scores = [Q(Matches(text.exact_query(q))), *(condition for condition, _score in unit.scored())]
    if unit.place_ids:
        scores.append(Q(producer_id__in=unit.place_ids))
    return _in_turn(rows, scores, limit)


def _in_turn(rows: QuerySet[ProductSearch], conditions: list[Q], limit: int) -> list[int]:
    """The ids matching each condition in turn, each by units sold then newest, once each, until ``limit``."""
    found: list[int] = []
    seen: set[int] = set()
    for condition in conditions:
        wanted = limit - len(found)
        if wanted <= 0:
            break
        # Those already found under an earlier condition come again here: read enough to pass them.
        ids = rows.filter(condition).order_by(*POPULAR_FIRST).values_list("product_id", flat=True)
        for product_id in ids[: wanted + len(seen)]:
            if product_id not in seen:
                seen.add(product_id)
                found.append(product_id)
    return found[:limit]


def position_in(ids: list[int]) -> Func:
    """Each product's place in ``ids`` (from 1), for ordering the cards of a search's results."""
    return Func(
        Value(ids, output_field=ArrayField(BigIntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )
