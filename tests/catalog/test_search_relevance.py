"""Search relevance over the demo data: what a shopper types, in every language and script, and what must come back.

Each case is a query with sets of product slugs, all computed from the demo data (demo/data/), so the cases
follow the data rather than any implementation's output:

- EXPECTED: products the search must find (anywhere in its results);
- RELEVANT: products allowed among the first five results (EXPECTED is always a part of it);
- NEVER (a few cases): unrelated products that must not come back at all.

What a product is comes from its kind in ``demo/data/catalogue.py`` (a raisin product is relevant to "grape",
a jujube is never relevant to "melon", even when its producer is called "Eli's Melon Farm"); where it comes from
comes from its producer's village in ``demo/data/producers.py`` and ``demo/data/geography.py``. Only products of
verified producers are shown, so only they are expected.

The demo is seeded once and every case runs in one test, which lists every failing query with what was expected
and what came back. A few cases are also checked through the page ``/products/?q=`` and the API
``/api/v1/products/?q=``: their first page must be the search's first page, in the same order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from catalog.models import Product
from catalog.pagination import PAGE_SIZE
from catalog.selectors import product_search
from demo.data.catalogue import KINDS, PRODUCTS, ProductSeed
from demo.data.geography import PREFECTURES
from demo.data.producers import PRODUCERS
from marketplace.api.pagination import KeysetPagination

pytestmark = pytest.mark.django_db

FIRST = 5  # the results a shopper sees without scrolling: all must be relevant

# A product the issue requires: listed by its farmer in Uyghur only (no Chinese or English name), a raisin.
UYGHUR_ONLY = "uyghur-only-raisins"

# --- The demo data, as this test reads it --------------------------------------------------------------------

PRODUCER = {seed.slug: seed for seed in PRODUCERS}
PLACE = {  # village slug -> (county slug, prefecture slug)
    village.slug: (county.slug, prefecture.slug)
    for prefecture in PREFECTURES
    for county in prefecture.counties
    for village in county.villages
}
# Shown to shoppers: products of verified producers (an unverified producer's listings stay drafts).
SHOWN: dict[str, ProductSeed] = {seed.slug: seed for seed in PRODUCTS if PRODUCER[seed.producer].verified}
KIND_OF = {seed.slug: seed.kind for seed in PRODUCTS}

# Kinds of product that answer one shopper's word.
GRAPES = {"seedless-grapes"}
RAISINS = {"raisins"}
GRAPES_AND_RAISINS = GRAPES | RAISINS
WALNUTS = {"walnuts", "walnut-kernels"}
MELONS = {"hami-melon"}
JUJUBES = {"jujubes"}
ROSE_TEA = {"rose-tea"}
TEAS = {"rose-tea", "snow-chrysanthemum"}  # the flower teas: another tea may follow the rose teas
ROSES = {"rose-tea", "rose-jam"}
APRICOTS = {"fresh-apricots", "dried-apricots", "apricot-jam"}
FIGS = {"fresh-figs", "dried-figs", "fig-jam"}
ALMONDS = {"almonds"}
CARPETS = {"carpet"}
ATLAS_SILK = {"atlas-scarf", "atlas-fabric"}
PEARS = {"fragrant-pears"}
APPLES = {"apples"}
POMEGRANATES = {"pomegranates"}
KIND_GROUPS = (
    GRAPES_AND_RAISINS,
    WALNUTS,
    MELONS,
    JUJUBES,
    TEAS,
    ROSES,
    APRICOTS,
    FIGS,
    ALMONDS,
    CARPETS,
    ATLAS_SILK,
    PEARS,
    APPLES,
    POMEGRANATES,
)


def place_of(seed: ProductSeed) -> tuple[str, str, str]:
    """(village, county, prefecture) slugs of the product's producer."""
    village = PRODUCER[seed.producer].village
    county, prefecture = PLACE[village]
    return village, county, prefecture


def slugs_of(kinds: Iterable[str]) -> frozenset[str]:
    """Shown products of these kinds."""
    kinds = set(kinds)
    return frozenset(slug for slug, seed in SHOWN.items() if seed.kind in kinds)


def slugs_in(*, prefecture: str, kinds: Iterable[str] | None = None) -> frozenset[str]:
    """Shown products of producers in this prefecture, of these kinds when given."""
    found = frozenset(slug for slug, seed in SHOWN.items() if place_of(seed)[2] == prefecture)
    return found if kinds is None else found & slugs_of(kinds)


def slugs_mentioning(word: str) -> frozenset[str]:
    """Shown products whose own name or description mentions ``word``, in any language."""
    word = word.casefold()
    found = set()
    for slug, seed in SHOWN.items():
        texts = [*seed.name, *KINDS[seed.kind].description, *(seed.note or ())]
        if any(word in text.casefold() for text in texts):
            found.add(slug)
    return frozenset(found)


@dataclass(frozen=True)
class Case:
    query: str
    script: str  # what the shopper typed: zh, zh-Hant, en, ug (Arabic script), ug-Latn, pinyin, typo, width
    expected: frozenset[str]
    relevant: frozenset[str] = field(default=frozenset())
    never: frozenset[str] = field(default=frozenset())  # unrelated products that must not come back at all
    pages: bool = False  # also through /products/?q= and /api/v1/products/?q=

    def __post_init__(self) -> None:
        object.__setattr__(self, "relevant", frozenset(self.relevant) | self.expected)


def case(
    query: str,
    script: str,
    expected: Iterable[str],
    relevant: Iterable[str] = (),
    *,
    never: Iterable[str] = (),
    **options,
) -> Case:
    return Case(query, script, frozenset(expected), frozenset(relevant), frozenset(never), **options)


def concept(query: str, script: str, kinds: set[str], *, never: set[str] = frozenset(), **options) -> Case:
    """A word for a kind of product: it finds every product of those kinds, only they come first, and no product
    of the ``never`` kinds comes back at all."""
    return case(query, script, slugs_of(kinds), never=slugs_of(never), **options)


TURPAN = slugs_in(prefecture="turpan")
HOTAN = slugs_in(prefecture="hotan")
HOTAN_WALNUTS = slugs_in(prefecture="hotan", kinds=WALNUTS)
TURPAN_GRAPES_AND_RAISINS = slugs_in(prefecture="turpan", kinds=GRAPES_AND_RAISINS)
RAISINS_WITH_UYGHUR_ONLY = slugs_of(RAISINS) | {UYGHUR_ONLY}

CASES: tuple[Case, ...] = (
    # Chinese
    concept("葡萄", "zh", GRAPES_AND_RAISINS, pages=True),
    case("葡萄干", "zh", RAISINS_WITH_UYGHUR_ONLY),
    concept("核桃", "zh", WALNUTS),
    concept("红枣", "zh", JUJUBES),
    concept("哈密瓜", "zh", MELONS),
    case("玫瑰花茶", "zh", slugs_of(ROSE_TEA), slugs_of(TEAS)),
    concept("玫瑰", "zh", ROSES),
    concept("杏", "zh", APRICOTS),
    concept("无花果", "zh", FIGS),
    concept("巴旦木", "zh", ALMONDS),
    concept("地毯", "zh", CARPETS),
    concept("艾德莱斯绸", "zh", ATLAS_SILK),
    concept("香梨", "zh", PEARS),
    concept("苹果", "zh", APPLES),
    case("吐鲁番", "zh", TURPAN),
    case("吐鲁番 葡萄", "zh", TURPAN_GRAPES_AND_RAISINS, pages=True),
    case("和田 核桃", "zh", HOTAN_WALNUTS, pages=True),
    case("自行车", "zh", ()),
    concept("紅棗", "zh-Hant", JUJUBES),
    # English
    # The issue's own examples of what must not come back: rose jam for "grape", a silk scarf for "raisin",
    # jujubes for "walnut" and "melon" (from producers named "Onsu Walnut Cooperative" and "Eli's Melon Farm").
    concept("grape", "en", GRAPES_AND_RAISINS, never={"rose-jam"}, pages=True),
    concept("raisin", "en", RAISINS, never=ATLAS_SILK),
    case("raisins", "en", RAISINS_WITH_UYGHUR_ONLY),
    concept("walnut", "en", WALNUTS, never=JUJUBES),
    concept("melon", "en", MELONS, never=JUJUBES),
    concept("Hami melon", "en", MELONS),
    concept("jujube", "en", JUJUBES),
    case("rose tea", "en", slugs_of(ROSE_TEA), slugs_of(TEAS)),
    concept("apricot", "en", APRICOTS),
    concept("fig", "en", FIGS),
    concept("almond", "en", ALMONDS),
    concept("carpet", "en", CARPETS),
    concept("Atlas silk", "en", ATLAS_SILK),
    # The carpets' own description tells of pomegranate patterns: they may follow the pomegranates.
    case("pomegranate", "en", slugs_of(POMEGRANATES), slugs_mentioning("pomegranate")),
    case("Turpan", "en", TURPAN, pages=True),
    case("Hotan", "en", HOTAN),
    case("Turpan raisins", "en", slugs_in(prefecture="turpan", kinds=RAISINS)),
    case("Kashgar apricots", "en", slugs_in(prefecture="kashgar", kinds=APRICOTS)),
    case("bicycle", "en", (), pages=True),
    # Latin typos and full-width letters
    case("grpes", "typo", slugs_of(GRAPES), slugs_of(GRAPES_AND_RAISINS), pages=True),
    concept("wallnuts", "typo", WALNUTS),
    concept("melno", "typo", MELONS),
    concept("ｇｒａｐｅｓ", "width", GRAPES_AND_RAISINS),
    # Pinyin, full and initials ("pt" is not used: 帕提古丽 of Patigul's atlas silk begins with those initials too)
    concept("putao", "pinyin", GRAPES_AND_RAISINS, pages=True),
    concept("hetao", "pinyin", WALNUTS),
    concept("hamigua", "pinyin", MELONS),
    concept("hmg", "pinyin", MELONS),
    # Uyghur, Arabic script
    concept("ئۈزۈم", "ug", GRAPES_AND_RAISINS, pages=True),
    concept("كىشمىش", "ug", RAISINS),
    concept("ياڭاق", "ug", WALNUTS),
    concept("قوغۇن", "ug", MELONS),
    concept("چىلان", "ug", JUJUBES),
    concept("ئۆرۈك", "ug", APRICOTS),
    concept("ئەنجۈر", "ug", FIGS),
    case("ئەتىرگۈل چېيى", "ug", slugs_of(ROSE_TEA), slugs_of(TEAS)),
    concept("گىلەم", "ug", CARPETS),
    concept("ئەتلەس", "ug", ATLAS_SILK),
    case("تۇرپان", "ug", TURPAN),
    case("خوتەن ياڭاق", "ug", HOTAN_WALNUTS),
    # Uyghur, Latin script (ULY), with and without its letters ü and ö
    concept("üzüm", "ug-Latn", GRAPES_AND_RAISINS),
    concept("uzum", "ug-Latn", GRAPES_AND_RAISINS, pages=True),
    concept("kishmish", "ug-Latn", RAISINS),
    concept("yangaq", "ug-Latn", WALNUTS),
    concept("qoghun", "ug-Latn", MELONS),
    concept("chilan", "ug-Latn", JUJUBES),
    concept("örük", "ug-Latn", APRICOTS),
)


# --- Checks --------------------------------------------------------------------------------------------------


def data_problems() -> list[str]:
    """What in the demo data itself keeps the cases from meaning what they say."""
    problems = []
    for group in KIND_GROUPS:
        if unknown := group - KINDS.keys():
            problems.append(f"demo data: no kind {sorted(unknown)} in demo/data/catalogue.py KINDS")
    seed = next((seed for seed in PRODUCTS if seed.slug == UYGHUR_ONLY), None)
    if seed is None:
        problems.append(
            f"demo data: no product {UYGHUR_ONLY!r} (kind raisins, named in Uyghur only) in demo/data/catalogue.py; "
            "issue 17 requires a Uyghur-only listing to be found by 葡萄干 and by 'raisins'"
        )
    elif seed.name[0] or seed.name[2] or not seed.name[1] or seed.kind != "raisins" or UYGHUR_ONLY not in SHOWN:
        problems.append(
            f"demo data: {UYGHUR_ONLY!r} must be a shown raisin product with a Uyghur name only; "
            f"it has kind {seed.kind!r}, name {seed.name!r}, shown: {UYGHUR_ONLY in SHOWN}"
        )
    return problems


def seeded_problems() -> list[str]:
    """Whether the seeded catalogue shows exactly the products this test takes as shown."""
    demo = {seed.slug for seed in PRODUCTS}
    active = set(Product.objects.active().filter(slug__in=demo).values_list("slug", flat=True))
    problems = []
    if active != SHOWN.keys():
        problems.append(
            "seeded catalogue: active demo products differ from the verified producers' products; "
            f"active but not expected: {sorted(active - SHOWN.keys())}, expected but not active: "
            f"{sorted(SHOWN.keys() - active)}"
        )
    if UYGHUR_ONLY in active:
        product = Product.objects.get(slug=UYGHUR_ONLY)
        if product.name_zh or product.name_en:
            problems.append(
                f"seeded catalogue: {UYGHUR_ONLY!r} has a Chinese or English name "
                f"({product.name_zh!r}, {product.name_en!r}); it must be named in Uyghur only"
            )
    return problems


def labelled(slugs: Iterable[str]) -> str:
    return ", ".join(f"{slug} ({KIND_OF.get(slug, '?')})" for slug in slugs) or "nothing"


def case_problem(case: Case, found: list[str]) -> str | None:
    """What is wrong with ``found`` (the search's slugs in order) for ``case``, or None."""
    wrong = []
    if len(found) != len(set(found)):
        wrong.append("a product comes back more than once")
    missing = sorted(case.expected - set(found))
    if missing:
        wrong.append(f"missing {len(missing)} of {len(case.expected)} expected: {labelled(missing)}")
    irrelevant = [
        f"#{place} {labelled([slug])}" for place, slug in enumerate(found[:FIRST], 1) if slug not in case.relevant
    ]
    if irrelevant:
        wrong.append(f"not relevant in the first {FIRST}: {'; '.join(irrelevant)}")
    unrelated = [f"#{place} {labelled([slug])}" for place, slug in enumerate(found, 1) if slug in case.never]
    if unrelated:
        wrong.append(f"unrelated products come back: {'; '.join(unrelated)}")
    if not wrong:
        return None
    return f"{' | '.join(wrong)}\n    first {FIRST} of {len(found)}: {labelled(found[:FIRST])}"


def card_slugs(html: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<a href="[^"]*/products/([\w-]+)/"', html)


def pages_problem(client: Client, query: str, found: list[str]) -> str | None:
    """Whether the page and the API show the search's first page, in its order."""
    wrong = []
    page = client.get("/products/", {"q": query})
    shown = card_slugs(page.content.decode()) if page.status_code == 200 else None
    if shown != found[:PAGE_SIZE]:
        wrong.append(f"/products/?q= (status {page.status_code}) shows {shown} instead of {found[:PAGE_SIZE]}")
    response = client.get("/api/v1/products/", {"q": query})
    listed = [item["slug"] for item in response.json()["results"]] if response.status_code == 200 else None
    if listed != found[: KeysetPagination.page_size]:
        wrong.append(
            f"/api/v1/products/?q= (status {response.status_code}) lists {listed} "
            f"instead of {found[: KeysetPagination.page_size]}"
        )
    return "\n    ".join(wrong) or None


def test_the_cases_cover_what_the_issue_asks():
    """At least 30 queries over Chinese, English, Uyghur in both scripts, pinyin and typos, one with no match."""
    assert len(CASES) >= 30
    assert {"zh", "en", "ug", "ug-Latn", "pinyin", "typo"} <= {case.script for case in CASES}
    assert len({case.query for case in CASES}) == len(CASES)
    assert any(not case.expected and not case.relevant for case in CASES)
    for case in CASES:
        assert case.expected or not case.relevant, case.query
        assert case.relevant <= SHOWN.keys() | {UYGHUR_ONLY}, case.query
        assert not case.never & case.relevant, case.query


def attempt(check, *args):
    """``(check(*args), None)``, or ``(None, what it raised)``: one failing search must not break the others."""
    try:
        with transaction.atomic():  # a database error rolls back to here, and the next check runs
            return check(*args), None
    except Exception as error:  # every case is reported, whatever one of them raises
        return None, f"raised {type(error).__name__}: {str(error)[:300]}"


def searched(query: str) -> list[str]:
    return [product.slug for product in product_search(q=query)]


def test_search_finds_the_expected_products_and_only_relevant_ones_come_first():
    call_command("seed_demo", stdout=io.StringIO())
    problems = [*data_problems(), *seeded_problems()]
    client = Client()
    failing = 0
    for case in CASES:
        found, error = attempt(searched, case.query)
        wrong = [error]
        if error is None:
            wrong = [case_problem(case, found)]
            if case.pages:
                shown_wrong, error = attempt(pages_problem, client, case.query, found)
                wrong += [shown_wrong, error]
        wrong = [text for text in wrong if text]
        if wrong:
            failing += 1
            problems.append(f"{case.query!r} [{case.script}]: " + "\n    ".join(wrong))
    if problems:
        pytest.fail(f"{failing} of {len(CASES)} search cases fail:\n" + "\n".join(problems), pytrace=False)
