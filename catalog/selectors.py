"""Reads of the catalog shared by pages and the API, with their joins applied."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import search
from catalog.models import (
    Category,
    HarvestLot,
    LotReceipt,
    PreSale,
    Product,
    ProductImage,
    ProductQuerySet,
    ProductSearch,
    Review,
    Variant,
    WaitlistEntry,
    harvest_contains,
)
from producers.models import Producer, ProducerMembership

# The status of a delivered parcel (``orders.models.Fulfilment.Status.DELIVERED``), which a review needs.
PARCEL_DELIVERED = "delivered"

NAME_FIELDS = ("name_zh", "name_ug", "name_en")
DESCRIPTION_FIELDS = ("description_zh", "description_ug", "description_en")
# Longer searches are cut: nobody types more, and trigram work grows with the length.
MAX_QUERY_LENGTH = 100
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


def pre_sale_ships_from(variant: str = "pk") -> Subquery:
    """The first harvest day of the open pre-sale of the variant at ``variant`` (a path from the row), or NULL:
    a size on pre-sale ships from that day."""
    return Subquery(
        PreSale.objects.filter(variant=OuterRef(variant), status=PreSale.Status.OPEN).values("harvest_from")[:1]
    )


def held_for(shopper: Any, variant: str = "pk") -> Coalesce | Value:
    """The units the waitlist holds for ``shopper`` (a user or its id) of the variant at ``variant`` (a path from
    the row), or 0: theirs to order on top of the stock until the hold lapses."""
    if not (shopper if isinstance(shopper, int) else getattr(shopper, "pk", None)):
        return Value(0)
    return Coalesce(
        Subquery(
            WaitlistEntry.objects.filter(
                variant=OuterRef(variant), shopper=shopper, status=WaitlistEntry.Status.HELD
            ).values("quantity")[:1]
        ),
        0,
    )


def held_for_waitlist() -> Coalesce:
    """The units of a variant (the row) held for shoppers on its waitlist: out of its stock until they order them
    or the holds lapse."""
    return Coalesce(
        Subquery(
            WaitlistEntry.objects.filter(variant=OuterRef("pk"), status=WaitlistEntry.Status.HELD)
            .order_by()
            .values("variant")
            .annotate(units=Sum("quantity"))
            .values("units")
        ),
        0,
    )


def product_cards() -> ProductQuerySet:
    """Active products with what a product card shows: producer, village, first photo, lowest price, units
    sold and rating.

    ``min_price`` (the product's ``lowest_price``) and ``total_stock`` cover the variants on sale,
    ``units_sold`` every variant (``units_sold()``), ``review_count`` and ``rating_average`` the visible
    reviews. They are subqueries rather than a join with GROUP BY, so counting and filtering a large
    catalogue does not aggregate every variant first, and a page of cards stays one query.
    """
    return (
        Product.objects.active()
        .select_related("producer__village__county", "category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .annotate(
            min_price=F("lowest_price"),
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
    return list(product_cards().defer(*_NOT_ON_CARDS).in_season(month).order_by(*_NEWEST)[:limit])


def normalized_query(q: str | None) -> str:
    """Collapse whitespace, drop NUL characters PostgreSQL refuses, and cap the length."""
    return " ".join((q or "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def _search_ordering(sort: Sort) -> list:
    """The order of a search's rows (``ProductSearch``) by price or newest (relevance is the search's own)."""
    newest = [F("published_at").desc(), F("product_id").desc()]
    if sort == Sort.PRICE_ASC:
        return [F("lowest_price").asc(nulls_last=True), *newest]
    if sort == Sort.PRICE_DESC:
        return [F("lowest_price").desc(nulls_last=True), *newest]
    return newest


def _ordering(sort: Sort) -> list:
    """The order of a listing without a search (relevance has no meaning there: newest first)."""
    newest = list(_NEWEST)
    if sort == Sort.PRICE_ASC:
        return [F("lowest_price").asc(nulls_last=True), *newest]
    if sort == Sort.PRICE_DESC:
        return [F("lowest_price").desc(nulls_last=True), *newest]
    return newest


# A search keeps at most this many results, the best first: pages say "1,000+" past it, and a common word
# does not make every request rank and count every match.
SEARCH_RESULTS_CAP = 1000


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

    A search runs at once, in one query over the product table alone (no card columns, no joins but the
    producer's), and keeps the first ``SEARCH_RESULTS_CAP`` results in the order asked for; the cards are
    then read for those, ordered by ``search_position``. The queryset's ``search_ids`` are those kept, in order
    (a page pages them and reads the cards of its own: ``cards_in_order``) and ``capped`` is True when more
    matched. A listing without a search has ``count_cap``: pages
    count its products up to that many (``catalog.pagination.page_of``).
    """

    def filtered(products: QuerySet) -> QuerySet:
        """The filters, on products or their search rows (which copy the columns they read)."""
        if on_sale_only:
            products = products.filter(lowest_price__isnull=False)
        if category:
            products = products.filter(category__slug=category)
        if county:
            products = products.filter(producer__village__county__slug=county)
        if village:
            products = products.filter(producer__village__slug=village)
        if producer:
            products = products.filter(producer__slug=producer)
        if in_season:
            products = products.filter(harvest_contains(month or timezone.localdate().month))
        if min_price is not None:
            products = products.filter(lowest_price__gte=min_price)
        if max_price is not None:
            products = products.filter(lowest_price__lte=max_price)
        return products

    q = normalized_query(q)
    try:
        chosen = Sort(sort) if sort else (Sort.RELEVANCE if q else Sort.NEWEST)
    except ValueError:
        chosen = Sort.RELEVANCE if q else Sort.NEWEST
    if not q:
        listing = filtered(product_cards()).order_by(*_ordering(chosen))
        listing.count_cap = SEARCH_RESULTS_CAP  # type: ignore[attr-defined]
        return listing
    rows = filtered(ProductSearch.objects.filter(is_active=True, producer__is_verified=True))
    order = None if chosen == Sort.RELEVANCE else _search_ordering(chosen)
    found = search.found_ids(rows, q, order=order, limit=SEARCH_RESULTS_CAP + 1)
    kept = found[:SEARCH_RESULTS_CAP]
    cards = (
        product_cards()
        .filter(pk__in=kept)
        .annotate(search_position=search.position_in(kept))
        .order_by("search_position")
    )
    cards.capped = len(found) > SEARCH_RESULTS_CAP
    cards.search_ids = kept
    return cards


# The long texts a storefront card never shows, of the product and of the places its card names (three
# languages of descriptions each): left unread, a page of 24 cards is read in about 9 ms instead of 11.
_NOT_ON_CARDS = (
    *(
        f"{path}description_{language}"
        for path in ("", "producer__", "producer__village__", "producer__village__county__")
        for language in ("zh", "ug", "en")
    ),
    "producer__rejection_reason",
)


def cards_in_order(ids: list[int]) -> list[Product]:
    """The product cards of ``ids`` in that order (a page of a search's results), without the long texts."""
    return list(
        product_cards()
        .defer(*_NOT_ON_CARDS)
        .filter(pk__in=ids)
        .annotate(search_position=search.position_in(ids))
        .order_by("search_position")
    )


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
            Prefetch(
                "variants", queryset=variants.annotate(ships_from=pre_sale_ships_from()).order_by("position", "id")
            ),
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


def concepts_to_choose(*, product: Product | None = None) -> QuerySet[Any]:
    """The concepts a product may be tagged with, by name in the page's language: the active ones, and those
    ``product`` already has (a concept staff stopped using stays on a product until its producer takes it off).
    """
    from catalog.models import Concept
    from marketplace.models import content_language

    usable = Q(is_active=True)
    if product is not None and product.pk is not None:
        usable |= Q(pk__in=product.concepts.values("pk"))
    return Concept.objects.filter(usable).order_by(f"name_{content_language()}", "slug")


def search_suggestions(*, q: str, limit: int = 8) -> list[Any]:
    """Up to ``limit`` completions of what a shopper is typing in a search box (``catalog.suggestions.Suggestion``:
    kind, label in the page's language, url): kinds of produce, villages and counties, products on sale. None
    for an empty query or a single Latin letter; three queries at most, bounded at any catalogue size.
    """
    from catalog.suggestions import suggestions_for

    return suggestions_for(normalized_query(q), limit=limit)


def harvest_lots_of(*, producer: Producer) -> QuerySet[HarvestLot]:
    """The producer's harvest lots, newest pick first, with their product and receipts (and each receipt's size):
    two queries for a page of them."""
    receipts = LotReceipt.objects.select_related("variant").order_by("id")
    return (
        HarvestLot.objects.filter(producer=producer)
        .select_related("product")
        .prefetch_related(Prefetch("receipts", queryset=receipts))
        .order_by("-picked_on", "-id")
    )


def waitlist_of(*, shopper: Any, limit: int = 30) -> list[WaitlistEntry]:
    """``shopper``'s waitlist entries, those still waiting or held first, then the newest: each with its size and
    product, and ``ahead``, the shoppers waiting for the same size who joined before (for those waiting)."""
    ahead = (
        WaitlistEntry.objects.filter(
            variant=OuterRef("variant"),
            status=WaitlistEntry.Status.WAITING,
            joined_at__lt=OuterRef("joined_at"),
        )
        .order_by()
        .values("variant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    active = Q(status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.HELD])
    return list(
        WaitlistEntry.objects.filter(shopper=shopper)
        .select_related("variant__product__producer")
        .annotate(
            ahead=Coalesce(Subquery(ahead), 0),
            active_first=Case(When(active, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("active_first", "-joined_at", "-pk")[:limit]
    )
