"""Reads of the catalog shared by pages and the API, with their joins applied."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Lookup,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product, ProductImage, ProductQuerySet, Review, Variant
from producers.models import Producer, ProducerMembership

# The status of a delivered parcel (``orders.models.Fulfilment.Status.DELIVERED``), which a review needs.
PARCEL_DELIVERED = "delivered"

NAME_FIELDS = ("name_zh", "name_ug", "name_en")
DESCRIPTION_FIELDS = ("description_zh", "description_ug", "description_en")
# Longer searches are cut: nobody types more, and trigram work grows with the length.
MAX_QUERY_LENGTH = 100
# word_similarity("grpes", "Seedless grapes") is 0.44: pg_trgm's own 0.6 threshold
# would miss one-letter typos in short words, so the fuzzy match uses its own.
FUZZY_THRESHOLD = 0.4
# Typos are tolerated in Latin script (pinyin, English): trigram similarity over a
# two-character Chinese search or an Arabic-script word matches unrelated names and
# cannot use the indexes well, so those are matched as substrings only.
_LATIN_WORD = re.compile(r"^[\s0-9A-Za-z\u00c0-\u024f'’.-]+$")
REVIEWS_SHOWN = 20
# Newest on sale first; product_active_published_idx serves exactly this order (and the API's cursor).
_NEWEST = (F("published_at").desc(), F("id").desc())


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"


class ReviewStatus(StrEnum):
    """Whether a user may review a product now, and if not, why."""

    ALLOWED = "allowed"
    SIGN_IN = "sign_in"
    NOT_DELIVERED = "not_delivered"
    ALREADY_REVIEWED = "already_reviewed"


def _on_sale_variants() -> QuerySet[Variant, Any]:
    return Variant.objects.filter(product=OuterRef("pk"), is_active=True).order_by().values("product")


def units_sold() -> Coalesce:
    """Units of the product (any variant, on sale or not) in orders placed and not cancelled or expired.

    The sum of its variants' ``units_sold``, which ``catalog/stock.py`` keeps in the statements that take and
    give back stock: reading it costs a few rows whatever the product sold, and checkout writes no other row.
    """
    sold = Variant.objects.filter(product=OuterRef("pk")).order_by().values("product")
    return Coalesce(Subquery(sold.annotate(value=Sum("units_sold")).values("value")), 0, output_field=IntegerField())


def _visible_reviews() -> QuerySet[Review, Any]:
    return Review.objects.filter(product=OuterRef("pk"), is_visible=True).order_by().values("product")


def product_cards() -> ProductQuerySet:
    """Active products with what a product card shows: producer, village, first photo, lowest price, units
    sold and rating.

    ``min_price`` and ``total_stock`` cover the variants on sale, ``units_sold`` every variant
    (``units_sold()``), ``review_count`` and ``rating_average`` the visible reviews. They are subqueries
    rather than a join with GROUP BY, so counting and filtering a large catalogue does not aggregate every
    variant first, and a page of cards stays one query.
    """
    return (
        Product.objects.active()
        .select_related("producer__village__county", "category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .annotate(
            min_price=Subquery(_on_sale_variants().annotate(value=Min("price")).values("value")),
            total_stock=Subquery(_on_sale_variants().annotate(value=Sum("stock")).values("value")),
            units_sold=units_sold(),
            review_count=Coalesce(
                Subquery(_visible_reviews().annotate(value=Count("pk")).values("value")), 0, output_field=IntegerField()
            ),
            rating_average=Subquery(
                _visible_reviews().annotate(value=Avg("rating", output_field=FloatField())).values("value")
            ),
        )
    )


def products_in_season(*, month: int | None = None, limit: int = 24) -> list[Product]:
    """Active products whose harvest window contains this month (Asia/Shanghai), newest first."""
    month = month or timezone.localdate().month
    return list(product_cards().in_season(month).order_by(*_NEWEST)[:limit])


def normalized_query(q: str | None) -> str:
    """Collapse whitespace, drop NUL characters PostgreSQL refuses, and cap the length."""
    return " ".join((q or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


class ILike(Lookup):
    """``column ILIKE pattern``, which the trigram GIN indexes serve.

    Django's ``icontains`` writes ``UPPER(column) LIKE UPPER(...)``, which no
    index on the column can answer.
    """

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _like_pattern(q: str) -> str:
    """``%q%`` with LIKE's wildcards in ``q`` taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(fields: tuple[str, ...], q: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(ILike(F(field), _like_pattern(q)))
    return condition


def _any_of(fields: tuple[str, ...], lookup: str, value: Any) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": value})
    return condition


def _producers_named(q: str) -> list[int]:
    """Verified producers whose name, or whose village's name, contains ``q`` (a small table: one query)."""
    named = Q()
    for field in NAME_FIELDS:
        named |= Q(**{f"{field}__icontains": q}) | Q(**{f"village__{field}__icontains": q})
    return list(Producer.objects.filter(named, is_verified=True).values_list("pk", flat=True)[:1000])


def _use_fuzzy_threshold() -> None:
    """Let the indexed ``%>`` operator accept word similarity down to FUZZY_THRESHOLD.

    On the connection the search reads from: inside ``replica_reads()`` that is the replica's, not the primary's.
    """
    with connections[router.db_for_read(Product)].cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(FUZZY_THRESHOLD)])


def _matching_ids(q: str, producer_ids: list[int], *, fuzzy: bool) -> QuerySet[Product, dict[str, Any]]:
    """Ids of products matching ``q``: a UNION with one indexed SELECT per way of matching.

    One WHERE with a long OR would be planned as a scan that evaluates every
    trigram test on every product; each arm alone is answered by its index.
    """
    plain = Product.objects.order_by()
    if len(q) < 3:
        # No trigram index answers a one- or two-character word ("葡萄"): every arm would read
        # every row, and the long descriptions cost most (1.1 s at 100,000 products). Such a
        # word is matched in the names only, in one pass over the table (~60 ms).
        arms = [plain.filter(_contains(NAME_FIELDS, q))]
    else:
        arms = [plain.filter(ILike(F(field), _like_pattern(q))) for field in (*NAME_FIELDS, *DESCRIPTION_FIELDS)]
    if fuzzy:
        arms += [plain.filter(**{f"{field}__trigram_word_similar": q}) for field in NAME_FIELDS]
    if producer_ids:
        arms.append(plain.filter(producer_id__in=producer_ids))
    first, *others = (arm.values("pk") for arm in arms)
    return first.union(*others)


def _search(products: QuerySet[Product], q: str) -> QuerySet[Product]:
    """Products whose names, descriptions, producer or village match ``q``, annotated for ranking.

    ``match_rank``: 4 a name is ``q``, 3 a name starts with it, 2 a name contains it,
    1 the producer's or village's name contains it, 0 only the description or a fuzzy
    (typo-tolerant) name match. For a Latin-script search, ``name_word_similarity``
    orders within a rank; otherwise the newest come first within it.
    """
    fuzzy = len(q) >= 3 and bool(_LATIN_WORD.match(q))
    if fuzzy:
        _use_fuzzy_threshold()
    producer_ids = _producers_named(q)
    similarity = Greatest(*(TrigramWordSimilarity(q, field) for field in NAME_FIELDS)) if fuzzy else Value(0.0)
    return products.filter(pk__in=_matching_ids(q, producer_ids, fuzzy=fuzzy)).annotate(
        # Double precision, not pg_trgm's real: the value read back compares equal to itself in a cursor.
        name_word_similarity=Cast(similarity, FloatField()),
        match_rank=Case(
            When(_any_of(NAME_FIELDS, "iexact", q), then=Value(4)),
            When(_any_of(NAME_FIELDS, "istartswith", q), then=Value(3)),
            When(_contains(NAME_FIELDS, q), then=Value(2)),
            When(producer_id__in=producer_ids, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def _ordering(sort: Sort, *, searched: bool) -> list:
    newest = list(_NEWEST)
    if sort == Sort.RELEVANCE and searched:
        return ["-match_rank", "-name_word_similarity", *newest]
    if sort == Sort.PRICE_ASC:
        return [F("min_price").asc(nulls_last=True), *newest]
    if sort == Sort.PRICE_DESC:
        return [F("min_price").desc(nulls_last=True), *newest]
    return newest


def product_search(
    *,
    q: str | None = None,
    category: str | None = None,
    county: str | None = None,
    village: str | None = None,
    producer: str | None = None,
    in_season: bool = False,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    sort: str | None = None,
    month: int | None = None,
    on_sale_only: bool = False,
) -> QuerySet[Product]:
    """Active products (as cards) matching a search and filters, in the order asked for.

    ``category``, ``county``, ``village`` and ``producer`` are slugs; an unknown one
    matches nothing. ``in_season`` keeps products harvested this month in
    Asia/Shanghai (or ``month``). Prices bound the lowest price on sale. Without
    ``sort``, a search is ordered by relevance and a plain listing newest first.
    ``on_sale_only`` leaves out products with no variant on sale, so ``min_price``
    and ``total_stock`` are never NULL.
    """
    products = product_cards()
    if on_sale_only:
        products = products.filter(min_price__isnull=False)
    if category:
        products = products.filter(category__slug=category)
    if county:
        products = products.filter(producer__village__county__slug=county)
    if village:
        products = products.filter(producer__village__slug=village)
    if producer:
        products = products.filter(producer__slug=producer)
    if in_season:
        products = products.in_season(month or timezone.localdate().month)
    if min_price is not None:
        products = products.filter(min_price__gte=min_price)
    if max_price is not None:
        products = products.filter(min_price__lte=max_price)
    q = normalized_query(q)
    if q:
        products = _search(products, q)  # type: ignore[assignment]  # still a ProductQuerySet
    try:
        chosen = Sort(sort) if sort else (Sort.RELEVANCE if q else Sort.NEWEST)
    except ValueError:
        chosen = Sort.RELEVANCE if q else Sort.NEWEST
    return products.order_by(*_ordering(chosen, searched=bool(q)))


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("position", "slug")


def _with_details(
    products: QuerySet[Product], *, variants: QuerySet[Variant], images: QuerySet[ProductImage] | None = None
) -> QuerySet[Product]:
    """``products`` with their producer, village, category, ``variants``, photos and review summary.

    ``images`` defaults to the photos ready to show. ``review_count`` and ``rating_average`` cover every
    visible review, ``units_sold`` every variant (``units_sold()``).
    """
    visible = Q(reviews__is_visible=True)
    images = ProductImage.objects.all() if images is None else images
    return (
        products.select_related("producer__village__county__prefecture", "category")
        .prefetch_related(
            Prefetch("variants", queryset=variants.order_by("position", "id")),
            Prefetch("images", queryset=images.order_by("position", "id")),
        )
        .annotate(
            review_count=Count("reviews", filter=visible),
            rating_average=Avg("reviews__rating", filter=visible, output_field=FloatField()),
            units_sold=units_sold(),
        )
    )


def visible_reviews() -> QuerySet[Review]:
    """Reviews shoppers see, newest first, with their authors (whose names pages and the API show masked)."""
    return Review.objects.filter(is_visible=True).select_related("author").order_by("-created_at", "-id")


def product_reviews(*, slug: str) -> QuerySet[Review]:
    """The visible reviews of the active product ``slug`` (one query to find it), or ``Product.DoesNotExist``."""
    product = Product.objects.active().only("pk").get(slug=slug)
    return visible_reviews().filter(product=product)


def product_detail(*, slug: str) -> Product:
    """One active product with its variants on sale, photos, producer, village and visible reviews.

    ``review_count`` and ``rating_average`` cover every visible review;
    ``visible_reviews`` holds the newest ``REVIEWS_SHOWN`` with their authors.
    """
    reviews = Prefetch("reviews", queryset=visible_reviews()[:REVIEWS_SHOWN], to_attr="visible_reviews")
    products = _with_details(Product.objects.active(), variants=Variant.objects.filter(is_active=True))
    return products.prefetch_related(reviews).get(slug=slug)


def _is_member(user: Any, producer: str) -> Q:
    """``user`` is a member of the producer that ``producer`` (a path from the row) leads to."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(Exists(ProducerMembership.objects.filter(producer=OuterRef(producer), user=user)))


def product_detail_for(*, slug: str, user: Any) -> Product:
    """A product as ``user`` may read it, or ``Product.DoesNotExist``.

    Anyone reads an active product of a verified producer with its variants on
    sale and its photos ready to show; a member of the product's producer also
    reads it as a draft or archived, with every variant and every photo (those
    being processed and those that failed too), to edit it.
    """
    products = Product.objects.filter(
        Q(status=Product.Status.ACTIVE, producer__is_verified=True) | _is_member(user, "producer")
    )
    variants = Variant.objects.filter(Q(is_active=True) | _is_member(user, "product__producer"))
    images = ProductImage.all_objects.filter(
        Q(status=ProductImage.Status.READY) | _is_member(user, "product__producer")
    )
    return _with_details(products, variants=variants, images=images).get(slug=slug)


def producers_of(*, user: Any) -> QuerySet[Producer]:
    """The producers ``user`` is a member of (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    return Producer.objects.filter(memberships__user=user).order_by("slug")


def producer_for_member(*, user: Any, slug: str | None = None) -> Producer:
    """The producer ``user`` adds a product for: the one named by ``slug``, or their only one.

    Raises ``ValidationError`` on ``producer`` when ``slug`` names no producer ``user``
    is a member of (one that exists but is not theirs answers the same), or when it
    is left out and ``user`` is a member of none or of several.
    """
    mine = producers_of(user=user)
    if slug is not None:
        producer = mine.filter(slug=slug).first()
        if producer is None:
            raise ValidationError({"producer": [_("Choose one of the producers you are a member of.")]})
        return producer
    candidates = list(mine[:2])
    if len(candidates) != 1:
        raise ValidationError({"producer": [_("Name the producer this product belongs to, one you are a member of.")]})
    return candidates[0]


def products_editable_by(*, user: Any) -> QuerySet[Product]:
    """Products of the producers ``user`` is a member of, whatever their status."""
    return Product.objects.filter(producer__in=producers_of(user=user)).select_related("producer")


def variants_editable_by(*, user: Any) -> QuerySet[Variant]:
    """Variants of the products ``user`` may edit."""
    return Variant.objects.filter(product__in=products_editable_by(user=user)).select_related("product__producer")


def review_status(*, product: Product, user: Any) -> ReviewStatus:
    """May ``user`` review ``product``: a delivered parcel held it, and they have not reviewed it yet."""
    if not getattr(user, "is_authenticated", False):
        return ReviewStatus.SIGN_IN
    # Through the order lines' relation to the variants: orders sits above catalog and is not imported here.
    delivered = Variant.objects.filter(
        product=OuterRef("pk"),
        order_lines__order__shopper=user,
        order_lines__fulfilment__status=PARCEL_DELIVERED,
    )
    reviewed = Review.objects.filter(product=OuterRef("pk"), author=user)
    row = (
        Product.objects.filter(pk=product.pk)
        .annotate(delivered=Exists(delivered), reviewed=Exists(reviewed))
        .values_list("delivered", "reviewed")
        .first()
    )
    delivered_to_user, already = row or (False, False)
    if already:
        return ReviewStatus.ALREADY_REVIEWED
    if not delivered_to_user:
        return ReviewStatus.NOT_DELIVERED
    return ReviewStatus.ALLOWED
