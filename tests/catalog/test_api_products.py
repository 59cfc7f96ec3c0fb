"""Reading the catalog through the API: categories, the product listing with its filters and cursors, a product."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from catalog.models import Concept, Product, Review
from catalog.services import product_image_add, product_update
from marketplace.api.fields import PriceField
from tests.api import COUNTED, ROLES
from tests.catalog.test_image_uploads import jpeg_bytes
from tests.factories import (
    CategoryFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)

LIST = reverse("api-product-list")
CATEGORIES = reverse("api-category-list")


def detail_url(product: Product) -> str:
    return reverse("api-product-detail", kwargs={"slug": product.slug})


def on_sale(price: str = "59.00", stock: int = 10, **kwargs) -> Product:
    """An active product with one variant on sale."""
    product = ProductFactory(**kwargs)
    VariantFactory(product=product, price=Decimal(price), stock=stock)
    return product


def review(product: Product, rating: int, *, is_visible: bool = True) -> Review:
    return Review.objects.create(product=product, author=UserFactory(), rating=rating, is_visible=is_visible)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def walk(client, url: str, **params) -> list[str]:
    """Every slug of a listing, following ``next`` links page by page."""
    seen: list[str] = []
    response = client.get(url, {**params, "page_size": 2})
    while True:
        seen += slugs(response)
        following = response.json()["next"]
        if not following:
            return seen
        response = client.get(following)


# Categories


@pytest.mark.parametrize("role", ROLES)
def test_anyone_lists_categories_in_staff_order(roles, role):
    """Every caller gets every category, slug and name, in the order staff set."""
    CategoryFactory(slug="nuts", name_en="Nuts", position=2)
    CategoryFactory(slug="fresh-fruit", name_en="Fresh fruit", position=1)

    response = roles.client(role).get(CATEGORIES, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"] == [{"slug": "fresh-fruit", "name": "Fresh fruit"}, {"slug": "nuts", "name": "Nuts"}]


def test_a_category_page_past_the_end_is_a_json_404(roles):
    response = roles.client("anonymous").get(CATEGORIES, {"page": 9})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Listing


@pytest.mark.parametrize("role", ROLES)
def test_listing_shows_only_products_a_shopper_can_buy(roles, role):
    """Active products of verified producers with a variant on sale; drafts, archived, unverified and
    products without a variant on sale are left out, whoever asks (members included)."""
    shown = on_sale(producer=roles.producer, slug="shown")
    on_sale(producer=roles.producer, slug="draft", status=Product.Status.DRAFT)
    on_sale(producer=roles.producer, slug="archived", status=Product.Status.ARCHIVED)
    on_sale(producer=ProducerFactory(is_verified=False, verified_at=None), slug="unverified")
    VariantFactory(product=ProductFactory(slug="not-on-sale"), is_active=False)
    ProductFactory(slug="no-variants")

    assert slugs(roles.client(role).get(LIST)) == [shown.slug]


def test_a_listed_product_shows_what_a_card_needs(roles):
    """Slug, name in the asked language, category, producer, village, lowest price in CNY, stock, thumbnail URL,
    units sold and rating (none yet)."""
    product = ProductFactory(
        producer=roles.producer,
        slug="turpan-grapes",
        name_zh="吐鲁番葡萄",
        name_en="Turpan grapes",
        harvest_start_month=8,
        harvest_end_month=10,
        is_perishable=True,
    )
    VariantFactory(product=product, price=Decimal("89.50"), stock=3)
    VariantFactory(product=product, price=Decimal("59.90"), stock=4)
    VariantFactory(product=product, price=Decimal("9.00"), stock=100, is_active=False)
    image = product_image_add(product=product, data=jpeg_bytes(), actor=None)

    response = roles.client("anonymous").get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    (card,) = response.json()["results"]
    village = roles.producer.village
    assert card == {
        "slug": "turpan-grapes",
        "name": "Turpan grapes",
        "category": product.category.slug,
        "producer": {"slug": "tuyoq-vineyard", "name": "Tuyoq Vineyard"},
        "village": {"slug": village.slug, "name": village.name_en},
        "min_price": "59.90",
        "currency": "CNY",
        "in_stock": True,
        "total_stock": 7,
        "thumbnail": f"http://testserver{image.thumbnail.url}",
        "harvest_start_month": 8,
        "harvest_end_month": 10,
        "is_perishable": True,
        "units_sold": 0,
        "review_count": 0,
        "rating_average": None,
    }
    assert response.json()["previous"] is None
    assert response.json()["next"] is None


def test_a_sold_out_product_is_listed_as_out_of_stock_and_without_a_photo_has_no_thumbnail(roles):
    on_sale(stock=0)

    (card,) = roles.client("anonymous").get(LIST).json()["results"]

    assert card["in_stock"] is False
    assert card["total_stock"] == 0
    assert card["thumbnail"] is None


def test_listing_names_follow_accept_language(roles):
    on_sale(name_zh="无核白葡萄", name_en="Seedless grapes")

    chinese = roles.client("anonymous").get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    english = roles.client("anonymous").get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert (chinese["name"], english["name"]) == ("无核白葡萄", "Seedless grapes")


def test_filters_by_category_village_county_and_producer(roles):
    nuts = CategoryFactory(slug="nuts", name_en="Nuts")
    walnut = on_sale(producer=roles.other_producer, category=nuts, slug="walnuts")
    grape = on_sale(producer=roles.producer, slug="grapes")
    client = roles.client("anonymous")
    other_village = roles.other_producer.village

    assert slugs(client.get(LIST, {"category": "nuts"})) == [walnut.slug]
    assert slugs(client.get(LIST, {"village": other_village.slug})) == [walnut.slug]
    assert slugs(client.get(LIST, {"county": other_village.county.slug})) == [walnut.slug]
    assert slugs(client.get(LIST, {"producer": "tuyoq-vineyard"})) == [grape.slug]
    assert slugs(client.get(LIST, {"producer": "tuyoq-vineyard", "category": "nuts"})) == []


def test_in_season_keeps_products_harvested_this_month(roles):
    month = timezone.localdate().month
    later = month % 12 + 1
    now = on_sale(slug="now", harvest_start_month=month, harvest_end_month=month)
    on_sale(slug="later", harvest_start_month=later, harvest_end_month=later)
    client = roles.client("anonymous")

    assert slugs(client.get(LIST, {"in_season": "true"})) == [now.slug]
    assert sorted(slugs(client.get(LIST, {"in_season": "false"}))) == ["later", "now"]


def test_price_bounds_apply_to_the_lowest_price_on_sale(roles):
    on_sale(price="10.00", slug="cheap")
    on_sale(price="50.00", slug="middle")
    on_sale(price="99.99", slug="dear")
    client = roles.client("anonymous")

    assert sorted(slugs(client.get(LIST, {"min_price": "10.01", "max_price": "99.99"}))) == ["dear", "middle"]
    assert slugs(client.get(LIST, {"max_price": "10"})) == ["cheap"]
    assert sorted(slugs(client.get(LIST, {"min_price": "0"}))) == ["cheap", "dear", "middle"]


def test_search_finds_names_and_orders_by_relevance(roles):
    """``q`` searches; the exact name comes first, then names starting with it, then the rest."""
    contains = on_sale(slug="contains", name_en="Dried raisins and walnuts")
    exact = on_sale(slug="exact", name_en="Raisins")
    starts = on_sale(slug="starts", name_en="Raisins, green")
    on_sale(slug="other", name_en="Rose tea")

    found = slugs(roles.client("anonymous").get(LIST, {"q": "raisins"}))

    assert found == [exact.slug, starts.slug, contains.slug]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"min_price": "-1"}, "min_price"),
        ({"max_price": "1.999"}, "max_price"),
        ({"max_price": "100000000"}, "max_price"),
        ({"min_price": "20", "max_price": "10"}, "max_price"),
        ({"category": "fresh\x00fruit"}, "category"),
        ({"village": "not a slug"}, "village"),
        ({"county": ""}, "county"),
        ({"min_price": " 5"}, "min_price"),
        ({"min_price": "1e3"}, "min_price"),
        ({"min_price": ""}, "min_price"),
        ({"in_season": "maybe"}, "in_season"),
        ({"in_season": "1"}, "in_season"),
        ({"in_season": ""}, "in_season"),
        ({"ordering": ""}, "ordering"),
        ({"ordering": "cheapest"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"cursor": "forged"}, "cursor"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(roles, params, field):
    on_sale()

    response = roles.client("anonymous").get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field][0], str)


@pytest.mark.parametrize("name", ["category", "county", "village", "producer"])
def test_a_slug_that_names_nothing_finds_nothing(roles, name):
    """As on the storefront, an unknown place, category or producer filters every product out."""
    on_sale()

    response = roles.client("anonymous").get(LIST, {name: "nowhere"})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unverified_producer_cannot_be_filtered_on_as_if_it_existed(roles):
    """Filtering on a producer staff have not verified answers exactly like an unknown slug."""
    producer = ProducerFactory(slug="hidden", is_verified=False, verified_at=None)
    on_sale(producer=producer)

    hidden = roles.client("anonymous").get(LIST, {"producer": "hidden"})
    unknown = roles.client("anonymous").get(LIST, {"producer": "nobody"})

    assert hidden.status_code == unknown.status_code == 200
    assert hidden.json() == unknown.json() == {"next": None, "previous": None, "results": []}


def body_takes(price: str) -> bool:
    try:
        PriceField().run_validation(price)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "price",
    ["25", "9.90", "0", "0.5", "99999999.99", "000000001", "0000000010.5", "1.999", "1e3", " 5", "-1", "5.", ".5"],
)
def test_a_price_filter_takes_exactly_the_prices_a_request_body_takes(roles, price):
    """``min_price`` is written as a variant's ``price`` is: one pattern, so the same strings pass and fail."""
    on_sale()

    response = roles.client("anonymous").get(LIST, {"min_price": price})

    assert response.status_code == (200 if body_takes(price) else 400), response.content


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-1", "A price cannot be negative."),
        ("123456789", "That price is too large."),
        ("9.999", "Give a price with at most two decimal places."),
        ("1e3", "Enter a price as a number, such as 25 or 9.90."),
    ],
)
def test_a_refused_price_filter_says_what_is_wrong_with_it(roles, price, message):
    response = roles.client("anonymous").get(LIST, {"max_price": price}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"max_price": [message]}


def test_price_error_is_in_the_callers_language(roles):
    response = roles.client("anonymous").get(LIST, {"min_price": "abc"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"min_price": ["Enter a price as a number, such as 25 or 9.90."]}


def test_unknown_parameters_are_ignored_and_a_very_long_search_is_answered(roles):
    """Unknown parameters change nothing; a 10 000-character search is cut, not refused."""
    product = on_sale(name_en="Walnuts")
    client = roles.client("anonymous")

    assert slugs(client.get(LIST, {"colour": "red", "price": "1"})) == [product.slug]
    assert slugs(client.get(LIST, {"q": "w" * 10_000})) == []
    assert client.get(LIST, {"q": "Walnuts " * 2_000}).status_code == 200


def test_a_search_with_a_nul_character_is_a_400(roles):
    response = roles.client("anonymous").get(LIST, {"q": "Wal\x00nuts"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"q": ["Null characters are not allowed."]}


# Ordering and cursors


def _catalogue() -> dict[str, Product]:
    """Six products; two share a price and two a publication time, so the last keys decide."""
    base = timezone.now() - timedelta(days=10)
    prices = {"a": "30.00", "b": "10.00", "c": "30.00", "d": "20.00", "e": "5.00", "f": "20.00"}
    products = {}
    for index, (slug, price) in enumerate(prices.items()):
        published = base + timedelta(days=index if slug != "f" else 4)  # "e" and "f" share a time
        products[slug] = on_sale(price=price, slug=slug, name_en=f"Grapes {slug}", published_at=published)
    return products


def _expected(products: dict[str, Product], key) -> list[str]:
    return [product.slug for product in sorted(products.values(), key=key)]


def test_newest_is_the_default_order_and_cursors_walk_it_without_gaps_or_repeats(roles):
    products = _catalogue()

    seen = walk(roles.client("anonymous"), LIST)

    assert seen == _expected(products, lambda p: (-p.published_at.timestamp(), -p.pk))


@pytest.mark.parametrize(("ordering", "sign"), [("price", 1), ("-price", -1)])
def test_price_orders_walk_every_product_once(roles, ordering, sign):
    products = _catalogue()
    prices = {product.slug: Decimal(product.variants.get().price) for product in products.values()}

    seen = walk(roles.client("anonymous"), LIST, ordering=ordering)

    assert seen == _expected(products, lambda p: (sign * prices[p.slug], -p.published_at.timestamp(), -p.pk))


def test_relevance_order_walks_every_match_once(roles):
    products = _catalogue()
    exact = on_sale(slug="exact", name_en="Grapes")

    seen = walk(roles.client("anonymous"), LIST, q="grapes")

    assert seen[0] == exact.slug
    assert sorted(seen) == sorted([*products, exact.slug])
    assert len(seen) == len(set(seen))


def test_relevance_without_a_search_is_the_newest_order(roles):
    products = _catalogue()

    seen = walk(roles.client("anonymous"), LIST, ordering="relevance")

    assert seen == _expected(products, lambda p: (-p.published_at.timestamp(), -p.pk))


def test_previous_link_goes_back_to_the_page_before(roles):
    _catalogue()
    client = roles.client("anonymous")
    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    back = client.get(second["previous"]).json()

    assert [row["slug"] for row in back["results"]] == [row["slug"] for row in first["results"]]


def test_a_cursor_from_another_ordering_is_refused(roles):
    _catalogue()
    client = roles.client("anonymous")
    following = client.get(LIST, {"page_size": 2}).json()["next"]

    response = client.get(following + "&ordering=price")

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def _listing_with(count: int, producer) -> None:
    for _index in range(count):
        product = on_sale(producer=producer)
        VariantFactory(product=product, price=Decimal("99.00"))
        ProductImageFactory(product=product)
        ProductImageFactory(product=product)


@pytest.mark.parametrize("ordering", ["newest", "price", "-price"])
def test_listing_runs_the_same_queries_for_3_and_20_products(roles, django_assert_num_queries, ordering):
    """Two queries (the page, its photos) whatever the page size."""
    client = roles.client("anonymous")
    _listing_with(3, roles.producer)
    with django_assert_num_queries(2 + COUNTED):
        assert len(slugs(client.get(LIST, {"page_size": 3, "ordering": ordering}))) == 3
    _listing_with(17, roles.other_producer)
    with django_assert_num_queries(2 + COUNTED):
        assert len(slugs(client.get(LIST, {"page_size": 20, "ordering": ordering}))) == 20


def test_filtered_listing_runs_the_same_queries_for_3_and_20_products(roles, django_assert_num_queries):
    """Filters join in the page's own query: the page and its photos are still two queries."""
    client = roles.client("anonymous")
    params = {"category": "fresh-fruit", "producer": "tuyoq-vineyard", "in_season": "false", "min_price": "1"}
    _listing_with(3, roles.producer)
    with django_assert_num_queries(2 + COUNTED):
        assert len(slugs(client.get(LIST, {**params, "page_size": 3}))) == 3
    _listing_with(17, roles.producer)
    with django_assert_num_queries(2 + COUNTED):
        assert len(slugs(client.get(LIST, {**params, "page_size": 20}))) == 20


# One product


def test_a_product_shows_its_variants_photos_place_and_reviews(roles):
    product = ProductFactory(
        producer=roles.producer,
        slug="hotan-rose-tea",
        name_zh="和田玫瑰花茶",
        name_en="Hotan rose tea",
        description_en="Dried damask roses.",
        harvest_start_month=5,
        harvest_end_month=6,
    )
    small = VariantFactory(product=product, sku="ROSE-100", name_en="100 g tin", price=Decimal("38.00"), stock=5)
    VariantFactory(product=product, sku="ROSE-OFF", is_active=False)
    image = product_image_add(product=product, data=jpeg_bytes(), alt_text="A tin of rose tea", actor=None)
    review(product, 5)
    review(product, 4)
    review(product, 1, is_visible=False)

    response = roles.client("anonymous").get(detail_url(product), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    village = roles.producer.village
    assert body["name"] == "Hotan rose tea"
    assert body["description"] == "Dried damask roses."
    assert (body["name_zh"], body["name_ug"], body["name_en"]) == ("和田玫瑰花茶", "", "Hotan rose tea")
    assert body["status"] == "active"
    assert body["producer"] == {"slug": "tuyoq-vineyard", "name": "Tuyoq Vineyard"}
    assert body["village"] == {
        "slug": village.slug,
        "name": village.name_en,
        "county": {
            "slug": village.county.slug,
            "name": village.county.name_en,
            "prefecture": {"slug": village.county.prefecture.slug, "name": village.county.prefecture.name_en},
        },
    }
    assert (body["harvest_start_month"], body["harvest_end_month"], body["is_perishable"]) == (5, 6, False)
    assert body["variants"] == [
        {
            "id": small.pk,
            "sku": "ROSE-100",
            "name": "100 g tin",
            "name_zh": small.name_zh,
            "name_ug": "",
            "name_en": "100 g tin",
            "price": "38.00",
            "stock": 5,
            "weight_grams": small.weight_grams,
            "shelf_life_days": None,
            "is_active": True,
        }
    ]
    assert body["images"] == [
        {
            "id": image.pk,
            "url": f"http://testserver{image.image.url}",
            "thumbnail_url": f"http://testserver{image.thumbnail.url}",
            "width": image.width,
            "height": image.height,
            "alt_text": "A tin of rose tea",
            "position": 0,
            "status": "ready",
            "failure": "",
        }
    ]
    assert (body["review_count"], body["rating_average"]) == (2, 4.5)
    assert body["currency"] == "CNY"


@pytest.mark.parametrize("role", ["anonymous", "shopper", "other_shopper", "other_member", "staff"])
@pytest.mark.parametrize("status", [Product.Status.DRAFT, Product.Status.ARCHIVED])
def test_a_product_not_on_sale_is_404_for_anyone_but_its_members(roles, role, status):
    product = on_sale(producer=roles.producer, status=status)

    response = roles.client(role).get(detail_url(product))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("status", [Product.Status.DRAFT, Product.Status.ARCHIVED, Product.Status.ACTIVE])
def test_a_member_reads_their_own_product_in_any_status_with_every_variant(roles, status):
    product = ProductFactory(producer=roles.producer, status=status)
    VariantFactory(product=product, sku="ON")
    VariantFactory(product=product, sku="OFF", is_active=False)

    response = roles.client("member").get(detail_url(product))

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert [variant["sku"] for variant in response.json()["variants"]] == ["ON", "OFF"]


@pytest.mark.parametrize("role", ROLES)
def test_anyone_reads_an_active_product_with_its_variants_on_sale_only(roles, role):
    """Only the producer's own members see variants that are not on sale."""
    product = on_sale(producer=ProducerFactory())
    VariantFactory(product=product, sku="HIDDEN", is_active=False)

    response = roles.client(role).get(detail_url(product))

    assert response.status_code == 200
    assert "HIDDEN" not in [variant["sku"] for variant in response.json()["variants"]]


def test_a_product_of_an_unverified_producer_is_404_and_an_unknown_slug_too(roles):
    product = on_sale(producer=ProducerFactory(is_verified=False, verified_at=None))
    client = roles.client("anonymous")

    assert client.get(detail_url(product)).status_code == 404
    assert client.get(reverse("api-product-detail", kwargs={"slug": "no-such-product"})).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_a_product_runs_the_same_queries_for_1_and_6_variants_and_photos(
    roles, django_assert_num_queries, role, uncached_pages
):
    """Four queries (the product with its review summary, its variants, its photos, its concepts) however many
    of each."""
    product = on_sale(producer=roles.producer)
    ProductImageFactory(product=product)
    client = roles.client(role)
    with django_assert_num_queries(4 + COUNTED):
        assert client.get(detail_url(product)).status_code == 200
    for _index in range(5):
        VariantFactory(product=product)
        ProductImageFactory(product=product)
        review(product, 3)
    kinds = [Concept.objects.create(slug=f"kind-{n}", name_zh="葡萄", name_en="Grape") for n in range(5)]
    product_update(product=product, concepts=kinds, actor=None)
    with django_assert_num_queries(4 + COUNTED):
        response = client.get(detail_url(product))
    assert len(response.json()["variants"]) == len(response.json()["images"]) == 6
    assert response.json()["concepts"] == [f"kind-{n}" for n in range(5)]
