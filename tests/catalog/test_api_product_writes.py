"""Producer members list and edit their products through the API; nobody else can, and a refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog.models import Product, ProductImage, Variant
from catalog.services import product_image_add
from producers.models import ProducerActivity
from tests.admin_forms import change_form_data
from tests.api import ROLES, file_count, snapshot
from tests.catalog.test_image_uploads import jpeg_bytes
from tests.factories import (
    CategoryFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    OrderLineFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
)

LIST = reverse("api-product-list")
NOT_MEMBERS = [role for role in ROLES if role not in ("anonymous", "member")]
Action = ProducerActivity.Action


def detail_url(slug: str) -> str:
    return reverse("api-product-detail", kwargs={"slug": slug})


def variants_url(slug: str) -> str:
    return reverse("api-product-variant-list", kwargs={"slug": slug})


def variant_url(variant: Variant) -> str:
    return reverse("api-variant-detail", kwargs={"pk": variant.pk})


@pytest.fixture
def category(db):
    return CategoryFactory()


def new_product(category, **extra) -> dict:
    return {"category": category.slug, "name_zh": "哈密瓜", "name_en": "Hami melon", **extra}


def assert_denied(response, role: str, before: dict) -> None:
    """401 for the anonymous, 404 (as for a missing product) for anyone else; and nothing changed."""
    assert response.status_code == (401 if role == "anonymous" else 404), response.content
    assert response.json()["code"] == ("not_authenticated" if role == "anonymous" else "not_found")
    assert snapshot() == before


# Creating a product


def test_a_member_of_one_producer_creates_a_draft_without_naming_the_producer(roles, category):
    """201 with the product as its members read it: a draft of their producer, slug made from the English name."""
    response = roles.client("member").post(
        LIST,
        new_product(
            category,
            description_en="Sweet and crisp.",
            harvest_start_month=7,
            harvest_end_month=9,
            is_perishable=True,
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "hami-melon"
    assert body["status"] == "draft"
    assert body["producer"]["slug"] == "tuyoq-vineyard"
    assert (body["name"], body["description"]) == ("Hami melon", "Sweet and crisp.")
    assert (body["harvest_start_month"], body["harvest_end_month"], body["is_perishable"]) == (7, 9, True)
    assert body["variants"] == body["images"] == []
    product = Product.objects.get(slug="hami-melon")
    assert (product.producer, product.status, product.published_at) == (roles.producer, "draft", None)
    assert product.original_language == "zh"


def test_a_member_of_two_producers_names_which_one(roles, category):
    MembershipFactory(producer=ProducerFactory(slug="second-farm"), user=roles.member)
    client = roles.client("member")

    unnamed = client.post(LIST, new_product(category), HTTP_ACCEPT_LANGUAGE="en")
    named = client.post(LIST, new_product(category, producer="second-farm"))

    assert unnamed.status_code == 400
    assert list(unnamed.json()) == ["producer"]
    assert named.status_code == 201
    assert Product.objects.get().producer.slug == "second-farm"


@pytest.mark.parametrize("role", NOT_MEMBERS)
def test_someone_who_is_not_a_member_cannot_create_a_product_for_a_producer(roles, category, role):
    """Naming a producer you do not belong to is refused with the same message as naming none that exists."""
    before = snapshot()
    client = roles.client(role)

    theirs = client.post(LIST, new_product(category, producer="tuyoq-vineyard"), HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post(LIST, new_product(category, producer="no-such-farm"), HTTP_ACCEPT_LANGUAGE="en")

    assert theirs.status_code == unknown.status_code == 400
    assert theirs.json() == unknown.json() == {"producer": ["Choose one of the producers you are a member of."]}
    assert snapshot() == before


def test_anonymous_cannot_create_a_product(roles, category):
    before = snapshot()

    response = roles.client("anonymous").post(LIST, new_product(category))

    assert_denied(response, "anonymous", before)


def test_slugs_are_unique_and_made_even_without_an_english_name(roles, category):
    client = roles.client("member")

    first = client.post(LIST, new_product(category)).json()["slug"]
    second = client.post(LIST, new_product(category)).json()["slug"]
    chinese_only = client.post(LIST, {"category": category.slug, "name_zh": "玫瑰花酱"}).json()["slug"]
    chosen = client.post(LIST, new_product(category, slug="melon-2025")).json()["slug"]

    assert first == "hami-melon"
    assert second.startswith("hami-melon-") and second != first
    assert chinese_only.startswith("product-")
    assert chosen == "melon-2025"
    assert Product.objects.count() == 4


def test_a_chosen_slug_that_is_taken_is_a_400(roles, category):
    ProductFactory(slug="taken")
    before = snapshot()

    response = roles.client("member").post(LIST, new_product(category, slug="taken"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"slug": ["Another product already has this slug."]}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"category": None}, "category"),
        ({"harvest_start_month": 13}, "harvest_start_month"),
        ({"harvest_end_month": 0}, "harvest_end_month"),
        ({"harvest_end_month": "june"}, "harvest_end_month"),
        ({"name_en": "Hami\x00melon"}, "name_en"),
        ({"name_zh": "瓜" * 201}, "name_zh"),
        ({"slug": "not a slug!"}, "slug"),
        ({"is_perishable": "perhaps"}, "is_perishable"),
        ({"is_perishable": "true"}, "is_perishable"),
        ({"name_en": 42}, "name_en"),
        ({"slug": 2025}, "slug"),
        ({"harvest_start_month": "7"}, "harvest_start_month"),
    ],
)
def test_bad_product_fields_are_400s_naming_the_field(roles, category, change, field):
    before = snapshot()

    response = roles.client("member").post(LIST, {**new_product(category), **change})

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_a_product_needs_a_name_in_some_language(roles, category):
    before = snapshot()

    response = roles.client("member").post(
        LIST, {"category": category.slug, "name_en": "  ", "description_en": "No name"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["name_en"] == ["Give a name in at least one language."]
    assert snapshot() == before


def test_unknown_and_read_only_fields_are_ignored(roles, category):
    """A client cannot create an active product or pick its reviews: such fields are not read."""
    response = roles.client("member").post(
        LIST, new_product(category, status="active", review_count=99, colour="green", published_at="2020-01-01")
    )

    assert response.status_code == 201
    product = Product.objects.get()
    assert (product.status, product.published_at) == ("draft", None)


def test_a_form_encoded_body_is_refused_with_415(roles, category):
    before = snapshot()

    response = roles.client("member").post(LIST, new_product(category), format="multipart")

    assert response.status_code == 415
    assert snapshot() == before


# Changing a product


@pytest.mark.parametrize("role", ["anonymous", *NOT_MEMBERS])
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_only_members_change_or_delete_their_producers_product(roles, role, method):
    product = ProductFactory(producer=roles.producer, slug="grapes")
    VariantFactory(product=product)
    before = snapshot()

    response = getattr(roles.client(role), method)(detail_url("grapes"), {"name_en": "Mine now", "status": "archived"})

    assert_denied(response, role, before)


def test_a_member_changes_names_category_and_harvest(roles):
    product = ProductFactory(producer=roles.producer, slug="grapes", name_en="Grapes", description_zh="甜")
    nuts = CategoryFactory(slug="nuts", name_en="Nuts")

    response = roles.client("member").patch(
        detail_url("grapes"),
        {"name_en": "Raisins", "name_ug": "ئۈزۈم قېقى", "category": "nuts", "harvest_start_month": 9},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["category"]) == ("Raisins", "nuts")
    product.refresh_from_db()
    assert (product.name_en, product.name_ug, product.category, product.harvest_start_month) == (
        "Raisins",
        "ئۈزۈم قېقى",
        nuts,
        9,
    )
    assert product.description_zh == "甜"
    assert product.slug == "grapes"


def test_removing_every_name_is_refused(roles):
    ProductFactory(producer=roles.producer, slug="grapes", name_zh="", name_ug="", name_en="Grapes")
    before = snapshot()

    response = roles.client("member").patch(detail_url("grapes"), {"name_en": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["name_en"] == ["Give a name in at least one language."]
    assert snapshot() == before


def test_publishing_needs_a_variant_on_sale_with_a_price(roles):
    product = ProductFactory(producer=roles.producer, slug="grapes", status="draft", published_at=None)
    VariantFactory(product=product, is_active=False)
    client = roles.client("member")
    before = snapshot()

    refused = client.patch(detail_url("grapes"), {"status": "active", "name_en": "New"}, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 400
    assert refused.json() == {"status": ["Add a variant on sale with a price before publishing the product."]}
    assert snapshot() == before

    VariantFactory(product=product, price=Decimal("25.00"))
    published = client.patch(detail_url("grapes"), {"status": "active"})

    assert published.status_code == 200
    product.refresh_from_db()
    assert product.status == "active" and product.published_at is not None
    assert roles.client("anonymous").get(detail_url("grapes")).status_code == 200


def test_a_product_of_an_unverified_producer_cannot_be_published(roles):
    producer = ProducerFactory(is_verified=False, verified_at=None)
    MembershipFactory(producer=producer, user=roles.member)
    product = ProductFactory(producer=producer, slug="grapes", status="draft", published_at=None)
    VariantFactory(product=product)
    before = snapshot()

    response = roles.client("member").patch(detail_url("grapes"), {"status": "active"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"status": ["A product can be published once staff have verified its producer."]}
    assert snapshot() == before


def test_archiving_takes_a_product_off_sale_and_publishing_again_keeps_its_first_date(roles):
    product = ProductFactory(producer=roles.producer, slug="grapes")
    VariantFactory(product=product)
    first_published = product.published_at
    client = roles.client("member")

    archived = client.patch(detail_url("grapes"), {"status": "archived"})

    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert roles.client("shopper").get(detail_url("grapes")).status_code == 404
    assert client.patch(detail_url("grapes"), {"status": "active"}).status_code == 200
    product.refresh_from_db()
    assert product.published_at == first_published


def test_seasonal_produce_archived_after_its_harvest_is_listed_again_at_the_next(roles):
    """Archiving is not final: PATCH status=active puts an archived product back on sale for everyone."""
    product = ProductFactory(producer=roles.producer, slug="apricots", status="archived")
    VariantFactory(product=product, price=Decimal("30.00"))
    assert roles.client("anonymous").get(detail_url("apricots")).status_code == 404

    response = roles.client("member").patch(detail_url("apricots"), {"status": "active"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert roles.client("anonymous").get(detail_url("apricots")).status_code == 200
    assert "apricots" in [card["slug"] for card in roles.client("anonymous").get(LIST).json()["results"]]


@pytest.mark.parametrize("status", ["active", "archived"])
def test_a_published_product_cannot_become_a_draft_again(roles, status):
    """Neither while on sale nor once archived: a product is a draft only until it is first published."""
    ProductFactory(producer=roles.producer, slug="grapes", status=status)
    before = snapshot()

    response = roles.client("member").patch(detail_url("grapes"), {"status": "draft"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert snapshot() == before


@pytest.mark.parametrize("status", ["sold", "", None, 3])
def test_an_unknown_status_is_a_400(roles, status):
    ProductFactory(producer=roles.producer, slug="grapes")
    before = snapshot()

    response = roles.client("member").patch(detail_url("grapes"), {"status": status})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert snapshot() == before


# Deleting a product


def test_deleting_a_product_never_ordered_removes_it_with_its_variants_and_photos(
    roles, django_capture_on_commit_callbacks
):
    product = ProductFactory(producer=roles.producer, slug="grapes")
    VariantFactory(product=product)
    product_image_add(product=product, data=jpeg_bytes(), actor=None)
    image_field = ProductImage._meta.get_field("image")

    with django_capture_on_commit_callbacks(execute=True):
        response = roles.client("member").delete(detail_url("grapes"))

    assert response.status_code == 204
    assert not Product.objects.exists() and not Variant.objects.exists() and not ProductImage.all_objects.exists()
    assert file_count(image_field) == file_count(ProductImage._meta.get_field("thumbnail")) == 0


def test_deleting_an_ordered_product_archives_it_and_keeps_the_order(roles):
    line = OrderLineFactory(fulfilment__producer=roles.producer, variant__product__slug="grapes")

    response = roles.client("member").delete(detail_url("grapes"))

    assert response.status_code == 204
    product = Product.objects.get(slug="grapes")
    assert product.status == "archived"
    assert Variant.objects.filter(pk=line.variant_id).exists()


def test_deleting_a_product_featured_in_a_live_session_archives_it(roles):
    item = LiveSessionItemFactory(variant__product__producer=roles.producer, variant__product__slug="grapes")

    response = roles.client("member").delete(detail_url("grapes"))

    assert response.status_code == 204
    assert Product.objects.get(slug="grapes").status == "archived"
    assert Variant.objects.filter(pk=item.variant_id).exists()


# Variants


def new_variant(**extra) -> dict:
    return {"sku": "HAMI-5KG", "name_en": "5 kg box", "price": "88.50", "stock": 12, "weight_grams": 5000, **extra}


def test_a_member_adds_a_variant_after_the_others(roles):
    product = ProductFactory(producer=roles.producer, slug="melon", status="draft", published_at=None)
    VariantFactory(product=product, position=3)

    response = roles.client("member").post(variants_url("melon"), new_variant(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 201, response.content
    variant = Variant.objects.get(sku="HAMI-5KG")
    assert response.json() == {
        "id": variant.pk,
        "sku": "HAMI-5KG",
        "name": "5 kg box",
        "name_zh": "",
        "name_ug": "",
        "name_en": "5 kg box",
        "price": "88.50",
        "stock": 12,
        "weight_grams": 5000,
        "shelf_life_days": None,
        "is_active": True,
    }
    assert variant.position == 4


@pytest.mark.parametrize("role", ["anonymous", *NOT_MEMBERS])
def test_only_members_add_a_variant(roles, role):
    ProductFactory(producer=roles.producer, slug="melon")
    before = snapshot()

    response = roles.client(role).post(variants_url("melon"), new_variant())

    assert_denied(response, role, before)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": "1.999"}, "price"),
        ({"price": "123456789.00"}, "price"),
        ({"price": None}, "price"),
        ({"stock": -1}, "stock"),
        ({"stock": 1_000_001}, "stock"),
        ({"stock": "many"}, "stock"),
        ({"stock": 10**30}, "stock"),
        ({"weight_grams": -5}, "weight_grams"),
        ({"sku": ""}, "sku"),
        ({"sku": "A\x00B"}, "sku"),
        ({"sku": "S" * 65}, "sku"),
        ({"name_en": "", "name_zh": ""}, "name_en"),
        ({"is_active": "sometimes"}, "is_active"),
        ({"stock": "5"}, "stock"),
        ({"stock": 5.5}, "stock"),
        ({"is_active": "true"}, "is_active"),
        ({"sku": 12345}, "sku"),
        ({"price": " 5"}, "price"),
        ({"price": "1e3"}, "price"),
        ({"price": True}, "price"),
        ({"price": -0.5}, "price"),
    ],
)
def test_bad_variant_fields_are_400s_naming_the_field(roles, change, field):
    """Wrong values, and values of the wrong JSON type ("5" for a number, "true" for a boolean), are refused."""
    ProductFactory(producer=roles.producer, slug="melon")
    before = snapshot()

    response = roles.client("member").post(variants_url("melon"), new_variant(**change))

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("price", ["0", "0.00", 0, "-1.00", -0.01])
def test_a_price_of_zero_or_less_is_a_400_saying_so_and_saves_nothing(roles, price):
    product = ProductFactory(producer=roles.producer, slug="melon")
    variant = VariantFactory(product=product, price=Decimal("59.00"))
    client = roles.client("member")
    before = snapshot()

    added = client.post(variants_url("melon"), new_variant(price=price), HTTP_ACCEPT_LANGUAGE="en")
    changed = client.patch(variant_url(variant), {"price": price}, HTTP_ACCEPT_LANGUAGE="en")

    for response in (added, changed):
        assert response.status_code == 400
        assert response.json() == {"price": ["A price must be more than ¥0."]}
    assert snapshot() == before


def test_a_price_may_be_sent_as_a_json_number(roles):
    ProductFactory(producer=roles.producer, slug="melon")

    response = roles.client("member").post(variants_url("melon"), new_variant(price=59.9))

    assert response.status_code == 201
    assert response.json()["price"] == "59.90"


def test_a_sku_already_used_is_a_400_on_the_sku(roles):
    ProductFactory(producer=roles.producer, slug="melon")
    VariantFactory(sku="HAMI-5KG")
    before = snapshot()

    response = roles.client("member").post(variants_url("melon"), new_variant(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"sku": ["Another variant already has this SKU."]}
    assert snapshot() == before


def test_a_member_changes_price_stock_and_sale_of_a_variant(roles):
    variant = VariantFactory(product__producer=roles.producer, price=Decimal("59.00"), stock=10)

    response = roles.client("member").patch(
        variant_url(variant),
        {"price": "49.90", "stock": 250, "expected_stock": 10, "is_active": False, "name_ug": "ساندۇق"},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["price"], response.json()["stock"], response.json()["is_active"]) == ("49.90", 250, False)
    variant.refresh_from_db()
    assert (variant.price, variant.stock, variant.is_active) == (Decimal("49.90"), 250, False)
    assert variant.name_ug == "ساندۇق"
    assert variant.sku.startswith("SKU-")


def test_a_new_stock_without_the_stock_last_read_is_a_400_on_expected_stock(roles):
    """Sending a count alone could put sold units back on sale: it is refused, and nothing else is changed either."""
    variant = VariantFactory(product__producer=roles.producer, price=Decimal("59.00"), stock=10)
    before = snapshot()

    response = roles.client("member").patch(
        variant_url(variant), {"stock": 50, "price": "49.00"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {
        "expected_stock": ["Send expected_stock, the stock you last read, with every new stock count."]
    }
    assert snapshot() == before


def test_a_new_stock_with_a_stale_expected_stock_is_a_409_with_the_stock_now(roles):
    variant = VariantFactory(product__producer=roles.producer, price=Decimal("59.00"), stock=7)
    before = snapshot()

    response = roles.client("member").patch(
        variant_url(variant), {"stock": 50, "expected_stock": 10, "price": "49.00"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The stock is now 7, not the 10 you last read: orders or another change came in meanwhile. "
        "Count again and send the new stock with expected_stock 7.",
        "code": "stock_changed",
        "current": 7,
    }
    assert snapshot() == before


@pytest.mark.parametrize("expected_stock", [-1, "10", None, 1_000_001])
def test_a_bad_expected_stock_is_a_400_on_it(roles, expected_stock):
    variant = VariantFactory(product__producer=roles.producer, stock=10)
    before = snapshot()

    response = roles.client("member").patch(variant_url(variant), {"stock": 50, "expected_stock": expected_stock})

    assert response.status_code == 400
    assert list(response.json()) == ["expected_stock"]
    assert snapshot() == before


def test_changes_other_than_stock_need_no_expected_stock(roles):
    """A price or name change never writes the stock, so it needs no expectation; one sent anyway is not checked."""
    variant = VariantFactory(product__producer=roles.producer, price=Decimal("59.00"), stock=10)

    response = roles.client("member").patch(variant_url(variant), {"price": "49.00", "expected_stock": 3})

    assert response.status_code == 200, response.content
    variant.refresh_from_db()
    assert (variant.price, variant.stock) == (Decimal("49.00"), 10)


@pytest.mark.parametrize("role", ["anonymous", *NOT_MEMBERS])
def test_only_members_change_a_variant(roles, role):
    variant = VariantFactory(product__producer=roles.producer)
    before = snapshot()

    response = roles.client(role).patch(variant_url(variant), {"price": "0.01", "stock": 0})

    assert_denied(response, role, before)


def test_changing_a_sku_to_one_in_use_is_a_400_and_an_unknown_variant_is_404(roles):
    VariantFactory(sku="TAKEN")
    variant = VariantFactory(product__producer=roles.producer)
    client = roles.client("member")
    before = snapshot()

    clash = client.patch(variant_url(variant), {"sku": "TAKEN"})
    huge = client.patch(reverse("api-variant-detail", kwargs={"pk": 10**30}), {"stock": 1})

    assert clash.status_code == 400 and list(clash.json()) == ["sku"]
    assert huge.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(("change", "field"), [({"stock": 1_000_001}, "stock"), ({"price": "-0.01"}, "price")])
def test_bad_variant_changes_are_400s(roles, change, field):
    variant = VariantFactory(product__producer=roles.producer)
    before = snapshot()

    response = roles.client("member").patch(variant_url(variant), change)

    assert response.status_code == 400 and list(response.json()) == [field]
    assert snapshot() == before


# Every active product has a publication time, the listing's order and cursor key


def test_saving_a_product_never_publishes_it_only_the_service_does(roles):
    """``Product.save`` stamps nothing: a row saved active without a publication time is refused by the database,
    so no path (a fixture, the seed, the admin) can make a product active around ``product_publish``."""
    product = ProductFactory(status="draft", published_at=None)

    product.status = Product.Status.ACTIVE
    with pytest.raises(IntegrityError), transaction.atomic():
        product.save(update_fields=["status"])

    product.refresh_from_db()
    assert (product.status, product.published_at) == ("draft", None)


def test_the_database_refuses_an_active_product_without_a_publication_time(roles):
    product = ProductFactory(status="draft", published_at=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(status=Product.Status.ACTIVE)


def test_staff_publishing_a_draft_in_the_admin_leave_the_time_blank_and_it_is_filled(admin_client):
    """The admin publishes through ``product_publish``, which gives the product its publication time."""
    product = ProductFactory(status="draft", published_at=None)
    VariantFactory(product=product)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = change_form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "status": "active"})

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.status == "active" and product.published_at is not None


# Every write through the API is in the producer's activity, under the member who made it


def activity_of(producer) -> list[tuple]:
    """The producer's activity, oldest first: who did what to which product (or variant)."""
    rows = ProducerActivity.objects.filter(producer=producer).order_by("id")
    return [(row.actor, row.action, row.subject, row.on_behalf) for row in rows]


def test_an_api_product_edit_is_in_the_producers_activity_under_the_member(roles):
    """A PATCH of a name and the status is two entries: the edit and the publication, both by the member."""
    product = ProductFactory(producer=roles.producer, slug="grapes", status="draft", published_at=None)
    VariantFactory(product=product)

    response = roles.client("member").patch(
        detail_url("grapes"), {"name_en": "Seedless grapes", "status": "active"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200, response.content
    assert activity_of(roles.producer) == [
        (roles.member, Action.PRODUCT_UPDATED, "Seedless grapes", False),
        (roles.member, Action.PRODUCT_PUBLISHED, "Seedless grapes", False),
    ]


def test_an_api_variant_edit_is_in_the_producers_activity_under_the_member(roles):
    product = ProductFactory(producer=roles.producer, slug="melon", name_en="Hami melon")
    variant = VariantFactory(product=product, name_en="5 kg box", price=Decimal("88.00"), stock=4)

    response = roles.client("member").patch(
        variant_url(variant), {"price": "79.00", "stock": 6, "expected_stock": 4}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200, response.content
    assert activity_of(roles.producer) == [(roles.member, Action.VARIANT_UPDATED, "Hami melon · 5 kg box", False)]


def test_creating_adding_a_variant_and_a_photo_and_deleting_through_the_api_are_each_recorded(roles):
    """The other writes of the API: a new product, a variant, a photo, and the deletion of the product."""
    client = roles.client("member")
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the activity names the product as the request reads it

    created = client.post(LIST, new_product(CategoryFactory()))
    variant = client.post(variants_url("hami-melon"), new_variant())
    photo = client.post(
        reverse("api-product-image-list", kwargs={"slug": "hami-melon"}),
        {"image": SimpleUploadedFile("melon.jpg", jpeg_bytes(), content_type="image/jpeg")},
        format="multipart",
    )
    deleted = client.delete(detail_url("hami-melon"))

    assert [created.status_code, variant.status_code, photo.status_code, deleted.status_code] == [201, 201, 202, 204]
    assert activity_of(roles.producer) == [
        (roles.member, Action.PRODUCT_CREATED, "Hami melon", False),
        (roles.member, Action.VARIANT_CREATED, "Hami melon · 5 kg box", False),
        (roles.member, Action.PHOTO_ADDED, "Hami melon", False),
        (roles.member, Action.PRODUCT_DELETED, "Hami melon", False),
    ]


def test_deleting_an_ordered_product_through_the_api_records_that_it_was_archived(roles):
    OrderLineFactory(fulfilment__producer=roles.producer, variant__product__slug="grapes")

    response = roles.client("member").delete(detail_url("grapes"))

    assert response.status_code == 204
    assert [(actor, action) for actor, action, *_rest in activity_of(roles.producer)] == [
        (roles.member, Action.PRODUCT_ARCHIVED)
    ]
