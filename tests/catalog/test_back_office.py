"""The producer back office's catalog pages: products at a glance, the product editor, variants and photos.

Every view is opened by every role: a member of the producer and a depot manager assisting it may work
there; anyone else gets 404 (staff too: the admin is their tool), a visitor is sent to sign in, and a
denied request changes nothing. Each write goes through the catalog services, which record it in the
producer's activity under the person who did it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalog import services
from catalog.models import HarvestLot, Product, ProductImage, Variant
from catalog.services import MAX_STOCK
from catalog.urls import urlpatterns as catalog_urlpatterns
from marketplace.images import MAX_UPLOAD_BYTES
from marketplace.models import User
from producers.models import Producer, ProducerActivity
from tests.api import file_count, snapshot
from tests.enhancements import only_enhancements
from tests.factories import (
    CategoryFactory,
    DepotFactory,
    MembershipFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
Action = ProducerActivity.Action
ENGLISH = {"Accept-Language": "en"}


def jpeg_bytes(size: tuple[int, int] = (320, 240), color: tuple[int, int, int] = (120, 40, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name: str = "grapes.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes() if data is None else data, content_type="image/jpeg")


@dataclass
class World:
    """A producer with a member, a neighbour who sells through the village depot, and everyone around them."""

    producer: Producer
    member: User
    product: Product
    variant: Variant
    images: list[ProductImage]
    other_producer: Producer
    other_member: User
    assisted: Producer
    assisted_product: Product
    assisted_variant: Variant
    assisted_image: ProductImage
    manager: User
    far_manager: User
    shopper: User
    staff: User

    def client(self, role: str) -> Client:
        client = Client(headers=ENGLISH)
        if role != "anonymous":
            client.force_login(getattr(self, role))
        return client


@pytest.fixture
def world() -> World:
    village = VillageFactory(slug="tuyoq")
    producer = ProducerFactory(slug="tuyoq-vineyard", name_en="Tuyoq Vineyard", village=village)
    member = MembershipFactory(producer=producer, user__username="member").user
    product = ProductFactory(producer=producer, slug="seedless-grapes", name_en="Seedless grapes")
    variant = VariantFactory(product=product, sku="GRAPE-5KG", name_en="5 kg box", price=Decimal("59.00"), stock=10)
    images = [ProductImageFactory(product=product, position=i, alt_text=f"photo {i}") for i in range(3)]
    other_producer = ProducerFactory(slug="hami-melons", name_en="Hami Melons")
    other_member = MembershipFactory(producer=other_producer, user__username="other-member").user
    assisted = ProducerFactory(slug="old-ali", name_en="Old Ali", village=village, sells_through_depot=True)
    assisted_product = ProductFactory(producer=assisted, slug="raisins", name_en="Raisins")
    assisted_variant = VariantFactory(product=assisted_product, sku="RAISIN-1KG", name_en="1 kg bag", stock=4)
    assisted_image = ProductImageFactory(product=assisted_product)
    # The village depot's manager assists Old Ali; the Tuyoq Vineyard does not sell through the depot.
    manager = UserFactory(username="depot-manager", first_name="Reshit")
    DepotFactory(village=village, slug="tuyoq-depot").managers.add(manager)
    far_manager = UserFactory(username="far-manager")
    DepotFactory(slug="far-depot").managers.add(far_manager)
    return World(
        producer=producer,
        member=member,
        product=product,
        variant=variant,
        images=images,
        other_producer=other_producer,
        other_member=other_member,
        assisted=assisted,
        assisted_product=assisted_product,
        assisted_variant=assisted_variant,
        assisted_image=assisted_image,
        manager=manager,
        far_manager=far_manager,
        shopper=UserFactory(username="shopper"),
        staff=UserFactory(username="staff", is_staff=True, is_superuser=True),
    )


# Every view, with a request that would change something if it were allowed


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    kwargs: dict
    data: dict | None = None


def endpoints(producer: Producer, product: Product, variant: Variant, image: ProductImage) -> list[Endpoint]:
    p, slug = producer.slug, product.slug
    vp = f"v{variant.pk}"
    lot, _created = HarvestLot.objects.get_or_create(
        producer=producer,
        product=product,
        plot="Upper vineyard",
        defaults={"picked_on": timezone.localdate(), "grade": HarvestLot.Grade.SPECIAL},
    )
    product_data = {"name_en": "Renamed", "category": product.category.slug, "harvest_start_month": 8}
    product_data["harvest_end_month"] = 10
    return [
        Endpoint("dashboard-overview", "get", {"producer": p}),
        Endpoint("dashboard-product-new", "get", {"producer": p}),
        Endpoint("dashboard-product-new", "post", {"producer": p}, product_data),
        Endpoint("dashboard-product-edit", "get", {"producer": p, "slug": slug}),
        Endpoint("dashboard-product-edit", "post", {"producer": p, "slug": slug}, product_data),
        Endpoint("dashboard-product-publish", "post", {"producer": p, "slug": slug}),
        Endpoint("dashboard-product-archive", "post", {"producer": p, "slug": slug}),
        Endpoint(
            "dashboard-product-variant-add",
            "post",
            {"producer": p, "slug": slug},
            {"new-name_en": "Small box", "new-price": "20", "new-stock": "5"},
        ),
        Endpoint(
            "dashboard-variant-quick-edit",
            "post",
            {"producer": p, "pk": variant.pk},
            {f"{vp}-price": "1.00", f"{vp}-stock": "99", f"{vp}-expected_stock": str(variant.stock)},
        ),
        Endpoint(
            "dashboard-variant-edit",
            "post",
            {"producer": p, "pk": variant.pk},
            {f"{vp}-price": "1.00", f"{vp}-stock": "99", f"{vp}-expected_stock": str(variant.stock)},
        ),
        Endpoint("dashboard-product-photos-add", "post", {"producer": p, "slug": slug}, {"photos": "upload"}),
        Endpoint("dashboard-productimage-move", "post", {"producer": p, "pk": image.pk}, {"direction": "down"}),
        Endpoint("dashboard-productimage-alt", "post", {"producer": p, "pk": image.pk}, {f"p{image.pk}-alt_text": "x"}),
        Endpoint("dashboard-productimage-remove", "post", {"producer": p, "pk": image.pk}),
        Endpoint("dashboard-lots", "get", {"producer": p}),
        Endpoint(
            "dashboard-lots",
            "post",
            {"producer": p},
            {
                "new-product": product.pk,
                "new-plot": "Lower field",
                "new-picked_on": timezone.localdate().isoformat(),
                "new-grade": "first",
            },
        ),
        Endpoint(
            "dashboard-lot-receive",
            "post",
            {"producer": p, "pk": lot.pk},
            {f"lot{lot.pk}-variant": variant.pk, f"lot{lot.pk}-quantity": "5"},
        ),
    ]


def send(client: Client, endpoint: Endpoint):
    url = reverse(endpoint.name, kwargs=endpoint.kwargs)
    if endpoint.method == "get":
        return client.get(url)
    data = dict(endpoint.data or {})
    if data.get("photos") == "upload":
        data["photos"] = [upload()]
    return client.post(url, data)


def member_endpoints(world: World) -> list[Endpoint]:
    return endpoints(world.producer, world.product, world.variant, world.images[0])


def assisted_endpoints(world: World) -> list[Endpoint]:
    return endpoints(world.assisted, world.assisted_product, world.assisted_variant, world.assisted_image)


ENDPOINT_IDS = [
    "get-overview",
    "get-product-new",
    "post-product-new",
    "get-product-edit",
    "post-product-edit",
    "post-publish",
    "post-archive",
    "post-variant-add",
    "post-variant-quick-edit",
    "post-variant-edit",
    "post-photos-add",
    "post-photo-move",
    "post-photo-alt",
    "post-photo-remove",
    "get-lots",
    "post-lot",
    "post-lot-receive",
]


def test_the_role_tests_cover_every_back_office_url_of_the_catalog(world):
    names = {endpoint.name for endpoint in member_endpoints(world)}
    assert len(member_endpoints(world)) == len(ENDPOINT_IDS)
    catalog_urls = {pattern.name for pattern in catalog_urlpatterns if pattern.name.startswith("dashboard-")}
    assert catalog_urls | {"dashboard-overview"} == names


# Who may come in


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("other_member", "member"),
        ("shopper", "member"),
        ("staff", "member"),
        # A manager of the village depot, for a producer that does not sell through it.
        ("manager", "member"),
        ("far_manager", "assisted"),
        ("member", "assisted"),
        ("shopper", "assisted"),
        ("staff", "assisted"),
    ],
)
def test_anyone_but_a_member_or_an_assisting_manager_gets_404_and_changes_nothing(world, index, role, target):
    endpoint = (member_endpoints if target == "member" else assisted_endpoints)(world)[index]
    before, files = snapshot(), file_count(ProductImage._meta.get_field("image"))
    response = send(world.client(role), endpoint)
    assert response.status_code == 404
    assert snapshot() == before
    assert file_count(ProductImage._meta.get_field("image")) == files


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
def test_a_visitor_is_sent_to_sign_in_and_changes_nothing(world, index):
    endpoint = member_endpoints(world)[index]
    before = snapshot()
    response = send(world.client("anonymous"), endpoint)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert snapshot() == before


@pytest.mark.parametrize("index", range(len(ENDPOINT_IDS)), ids=ENDPOINT_IDS)
@pytest.mark.parametrize(("role", "target"), [("member", "member"), ("manager", "assisted")])
def test_a_member_and_an_assisting_depot_manager_can_use_every_view(world, index, role, target):
    endpoint = (member_endpoints if target == "member" else assisted_endpoints)(world)[index]
    response = send(world.client(role), endpoint)
    if endpoint.method == "get":
        assert response.status_code == 200
        assert only_enhancements(response.content)  # every page works without JavaScript
    else:
        assert response.status_code == 302, response.content.decode()[:2000]


# Forms shown again with their errors at the address they post to: a GET there (the page reloaded) is sent on to
# the form's page, never answered 405.
SHOWN_AGAIN = {
    "dashboard-product-variant-add",
    "dashboard-product-photos-add",
    "dashboard-variant-edit",
    "dashboard-variant-quick-edit",
    "dashboard-productimage-alt",
    "dashboard-lot-receive",
}


def test_pages_only_answer_the_methods_they_serve(world):
    client = world.client("member")
    for endpoint in member_endpoints(world):
        if endpoint.method != "post" or endpoint.name in {
            "dashboard-product-new",
            "dashboard-product-edit",
            "dashboard-lots",
        }:
            continue
        response = client.get(reverse(endpoint.name, kwargs=endpoint.kwargs))
        assert response.status_code == (302 if endpoint.name in SHOWN_AGAIN else 405), endpoint.name
    overview = reverse("dashboard-overview", kwargs={"producer": world.producer.slug})
    assert client.post(overview).status_code == 405


def test_a_product_or_photo_of_another_producer_is_not_found_through_ones_own_back_office(world):
    """The producer in the URL is the member's, the product is not: 404, nothing changed."""
    client = world.client("member")
    before = snapshot()
    mine = world.producer.slug
    foreign_variant = world.assisted_variant
    urls = [
        reverse("dashboard-product-edit", kwargs={"producer": mine, "slug": world.assisted_product.slug}),
        reverse("dashboard-product-publish", kwargs={"producer": mine, "slug": world.assisted_product.slug}),
        reverse("dashboard-productimage-remove", kwargs={"producer": mine, "pk": world.assisted_image.pk}),
    ]
    for url in urls:
        assert client.post(url).status_code == 404
    quick = reverse("dashboard-variant-quick-edit", kwargs={"producer": mine, "pk": foreign_variant.pk})
    vp = f"v{foreign_variant.pk}"
    data = {f"{vp}-price": "1", f"{vp}-stock": "0", f"{vp}-expected_stock": str(foreign_variant.stock)}
    assert client.post(quick, data).status_code == 404
    assert snapshot() == before


# Products at a glance


def test_overview_shows_each_product_with_photo_status_lowest_price_stock_and_quick_edit(world):
    VariantFactory(product=world.product, sku="GRAPE-2KG", name_en="2 kg box", price=Decimal("25.50"), stock=3)
    VariantFactory(product=world.product, sku="GRAPE-OFF", price=Decimal("1.00"), stock=50, is_active=False)
    ProductFactory(producer=world.producer, slug="walnuts", name_en="Walnuts", status=Product.Status.DRAFT)
    response = world.client("member").get(reverse("dashboard-overview", kwargs={"producer": "tuyoq-vineyard"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Seedless grapes" in html and "Walnuts" in html
    assert f'src="{world.images[0].image.url}"' in html  # the first photo (a factory's has no thumbnail)
    assert "from ¥25.50" in html  # the lowest price on sale; the variant off sale is left out
    assert "13 in stock" in html
    assert ">Active<" in html and ">Draft<" in html
    quick = reverse("dashboard-variant-quick-edit", kwargs={"producer": "tuyoq-vineyard", "pk": world.variant.pk})
    assert f'action="{quick}#product-seedless-grapes"' in html  # shown again with an error, it opens there
    assert f'name="v{world.variant.pk}-expected_stock" value="10"' in html
    assert reverse("dashboard-product-new", kwargs={"producer": "tuyoq-vineyard"}) in html
    assert (
        reverse("dashboard-product-archive", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"}) in html
    )
    assert reverse("dashboard-product-publish", kwargs={"producer": "tuyoq-vineyard", "slug": "walnuts"}) in html


def _overview_queries(client: Client, producer: Producer) -> int:
    url = reverse("dashboard-overview", kwargs={"producer": producer.slug})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_products(producer: Producer, count: int) -> None:
    for _n in range(count):
        product = ProductFactory(producer=producer)
        VariantFactory(product=product)
        VariantFactory(product=product)
        ProductImageFactory(product=product)


def test_overview_runs_the_same_queries_for_3_and_20_products(world, django_assert_num_queries):
    producer = ProducerFactory(slug="busy-farm")
    member = MembershipFactory(producer=producer).user
    client = Client(headers=ENGLISH)
    client.force_login(member)
    _add_products(producer, 3)
    few = _overview_queries(client, producer)
    _add_products(producer, 17)
    with django_assert_num_queries(few):
        client.get(reverse("dashboard-overview", kwargs={"producer": producer.slug}))


def test_overview_tells_an_unverified_producer_that_staff_will_verify_it(world):
    Producer.objects.filter(pk=world.producer.pk).update(is_verified=False, verified_at=None)
    response = world.client("member").get(reverse("dashboard-overview", kwargs={"producer": "tuyoq-vineyard"}))
    html = response.content.decode()
    assert "Staff will verify your producer" in html
    assert reverse(
        "dashboard-product-publish", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"}
    ) not in (html)


# Quick price and stock edit


def quick(world: World, *, price: str = "59.00", stock: str = "10", expected: str = "10", role: str = "member"):
    vp = f"v{world.variant.pk}"
    url = reverse("dashboard-variant-quick-edit", kwargs={"producer": "tuyoq-vineyard", "pk": world.variant.pk})
    data = {f"{vp}-price": price, f"{vp}-stock": stock, f"{vp}-expected_stock": expected}
    return world.client(role).post(url, data)


def test_quick_edit_sets_price_and_stock_and_records_who_did_it(world):
    response = quick(world, price="64.50", stock="25")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard-overview", kwargs={"producer": "tuyoq-vineyard"})
    world.variant.refresh_from_db()
    assert (world.variant.price, world.variant.stock) == (Decimal("64.50"), 25)
    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.actor, activity.action, activity.on_behalf) == (
        world.producer,
        world.member,
        Action.VARIANT_UPDATED,
        False,
    )
    assert activity.subject == "Seedless grapes · 5 kg box"


def test_quick_edit_refuses_a_stock_that_changed_since_the_page_was_shown(world):
    Variant.objects.filter(pk=world.variant.pk).update(stock=7)  # three units sold meanwhile
    before = snapshot()
    response = quick(world, stock="30", expected="10")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The stock changed to 7 while you were editing" in html
    assert "Check it and try again" in html
    # The form now shows the stock as it is, so sending it again is a choice made knowing it.
    assert f'name="v{world.variant.pk}-expected_stock" value="7"' in html
    assert snapshot() == before


def test_quick_edit_of_the_price_alone_keeps_units_sold_meanwhile(world):
    Variant.objects.filter(pk=world.variant.pk).update(stock=7)
    assert quick(world, price="70", stock="10", expected="10").status_code == 302
    world.variant.refresh_from_db()
    assert (world.variant.price, world.variant.stock) == (Decimal("70.00"), 7)


def test_quick_edit_with_nothing_changed_records_nothing(world):
    assert quick(world).status_code == 302
    assert not ProducerActivity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price": "-1"}, "A price must be more than ¥0."),
        ({"price": "0"}, "A price must be more than ¥0."),
        ({"price": "0.00"}, "A price must be more than ¥0."),
        ({"price": "12345678901"}, "That price is too large."),
        ({"price": "abc"}, "Enter a price as a number"),
        ({"stock": "-3"}, "Stock cannot be negative."),
        ({"stock": str(MAX_STOCK + 1)}, "Stock can be at most"),
        ({"stock": "99999999999999999999"}, "Stock can be at most"),
        ({"stock": "2.5"}, "Enter the stock as a whole number"),
        ({"expected": "seven"}, "The page did not send the stock it showed. Reload it and try again."),
        ({"expected": ""}, "The page did not send the stock it showed. Reload it and try again."),
    ],
)
def test_quick_edit_refuses_bad_input_with_a_form_error_and_changes_nothing(world, fields, message):
    before = snapshot()
    response = quick(world, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


# Creating and editing a product


PRODUCT_FORM = {
    "name_zh": "无核白葡萄",
    "name_ug": "ئۇرۇقسىز ئۈزۈم",
    "name_en": "Turpan raisins",
    "description_en": "Dried in the shade of the grape houses.",
    "category": "fresh-fruit",
    "harvest_start_month": "8",
    "harvest_end_month": "10",
    "is_perishable": "on",
}


def test_a_member_creates_a_draft_product_in_three_languages(world):
    CategoryFactory()
    response = world.client("member").post(
        reverse("dashboard-product-new", kwargs={"producer": "tuyoq-vineyard"}), PRODUCT_FORM
    )
    product = Product.objects.get(name_en="Turpan raisins")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dashboard-product-edit", kwargs={"producer": "tuyoq-vineyard", "slug": product.slug}
    )
    assert (product.producer, product.status, product.slug) == (world.producer, Product.Status.DRAFT, "turpan-raisins")
    assert (product.name_zh, product.name_ug, product.description_en) == (
        "无核白葡萄",
        "ئۇرۇقسىز ئۈزۈم",
        "Dried in the shade of the grape houses.",
    )
    assert (product.harvest_start_month, product.harvest_end_month, product.is_perishable) == (8, 10, True)
    activity = ProducerActivity.objects.get()
    assert (activity.action, activity.actor, activity.on_behalf) == (Action.PRODUCT_CREATED, world.member, False)


def test_a_new_product_needs_a_name_and_a_category(world):
    before = snapshot()
    response = world.client("member").post(
        reverse("dashboard-product-new", kwargs={"producer": "tuyoq-vineyard"}),
        {"category": "no-such-category", "harvest_start_month": "13", "harvest_end_month": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give a name in at least one language." in html
    assert "Choose one of the categories." in html
    assert snapshot() == before


def test_a_product_named_new_keeps_the_add_a_product_page_reachable(world):
    CategoryFactory()
    client = world.client("member")
    client.post(
        reverse("dashboard-product-new", kwargs={"producer": "tuyoq-vineyard"}), PRODUCT_FORM | {"name_en": "New"}
    )
    product = Product.objects.get(name_en="New")
    assert product.slug.startswith("new-")
    assert client.get(reverse("dashboard-product-new", kwargs={"producer": "tuyoq-vineyard"})).status_code == 200


def test_the_editor_changes_names_descriptions_and_harvest_and_records_the_edit(world):
    url = reverse("dashboard-product-edit", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})
    response = world.client("member").post(url, PRODUCT_FORM | {"name_en": "Seedless grapes, new season"})
    assert response.status_code == 302
    world.product.refresh_from_db()
    assert world.product.name_en == "Seedless grapes, new season"
    assert world.product.harvest_start_month == 8
    assert world.product.slug == "seedless-grapes"
    assert ProducerActivity.objects.get().action == Action.PRODUCT_UPDATED


def test_the_editor_shows_the_product_with_its_variants_photos_and_camera_upload(world):
    url = reverse("dashboard-product-edit", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})
    html = world.client("member").get(url).content.decode()
    assert 'value="Seedless grapes"' in html
    assert "GRAPE-5KG" in html
    upload_input = re.search(r'<input type="file" name="photos"[^>]*>', html)[0]
    for attribute in ('accept="image/*"', 'capture="environment"', "multiple"):
        assert attribute in upload_input
    assert 'enctype="multipart/form-data"' in html
    assert html.count('name="direction" value="up"') == 3
    assert 'lang="ug" dir="rtl"' in html  # the Uyghur name is typed right to left on any page


def test_the_editor_refuses_an_empty_name_and_changes_nothing(world):
    url = reverse("dashboard-product-edit", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})
    before = snapshot()
    data = PRODUCT_FORM | {"name_zh": "", "name_ug": "", "name_en": ""}
    response = world.client("member").post(url, data)
    assert response.status_code == 200
    assert "Give a name in at least one language." in response.content.decode()
    assert snapshot() == before


# Variants


def test_adding_a_variant_makes_its_sku_and_records_it(world):
    url = reverse("dashboard-product-variant-add", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})
    data = {"new-name_zh": "2公斤箱", "new-price": "25.90", "new-stock": "40", "new-weight_grams": "2200"}
    response = world.client("member").post(url, data)
    assert response.status_code == 302
    variant = world.product.variants.get(name_zh="2公斤箱")
    assert (variant.price, variant.stock, variant.weight_grams) == (Decimal("25.90"), 40, 2200)
    assert variant.sku.startswith("SEEDLESS-GRAPES-")
    assert ProducerActivity.objects.get().action == Action.VARIANT_CREATED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new-price": "-5"}, "A price must be more than ¥0."),
        ({"new-price": "0"}, "A price must be more than ¥0."),
        ({"new-stock": str(MAX_STOCK + 1)}, "Stock can be at most"),
        ({"new-name_en": ""}, "Give a name in at least one language."),
        ({"new-sku": "GRAPE-5KG"}, "Another variant already has this SKU."),
        ({"new-sku": "no spaces please"}, "Use letters, numbers, dashes and underscores only."),
    ],
)
def test_adding_a_variant_refuses_bad_input_and_changes_nothing(world, fields, message):
    url = reverse("dashboard-product-variant-add", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})
    data = {"new-name_en": "Small box", "new-price": "20", "new-stock": "5"} | fields
    before = snapshot()
    response = world.client("member").post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_the_editor_takes_a_variant_off_sale_and_changes_its_stock(world):
    vp = f"v{world.variant.pk}"
    url = reverse("dashboard-variant-edit", kwargs={"producer": "tuyoq-vineyard", "pk": world.variant.pk})
    data = {f"{vp}-price": "59.00", f"{vp}-stock": "3", f"{vp}-expected_stock": "10"}  # "on sale" unticked
    response = world.client("member").post(url, data)
    assert response.status_code == 302
    world.variant.refresh_from_db()
    assert (world.variant.is_active, world.variant.stock) == (False, 3)


@pytest.mark.parametrize("price", ["0", "-0.01"])
def test_the_editor_refuses_a_price_of_zero_or_less_and_changes_nothing(world, price):
    vp = f"v{world.variant.pk}"
    url = reverse("dashboard-variant-edit", kwargs={"producer": "tuyoq-vineyard", "pk": world.variant.pk})
    data = {f"{vp}-price": price, f"{vp}-stock": "10", f"{vp}-expected_stock": "10", f"{vp}-is_active": "on"}
    before = snapshot()
    response = world.client("member").post(url, data)
    assert response.status_code == 200
    assert "A price must be more than ¥0." in response.content.decode()
    assert snapshot() == before


def test_the_editor_refuses_a_stale_stock(world):
    Variant.objects.filter(pk=world.variant.pk).update(stock=2)
    vp = f"v{world.variant.pk}"
    url = reverse("dashboard-variant-edit", kwargs={"producer": "tuyoq-vineyard", "pk": world.variant.pk})
    before = snapshot()
    data = {f"{vp}-price": "59.00", f"{vp}-stock": "50", f"{vp}-expected_stock": "10", f"{vp}-is_active": "on"}
    response = world.client("member").post(url, data)
    assert response.status_code == 200
    assert "The stock changed to 2 while you were editing" in response.content.decode()
    assert snapshot() == before


# Photos


def _photos_url(world: World) -> str:
    return reverse("dashboard-product-photos-add", kwargs={"producer": "tuyoq-vineyard", "slug": "seedless-grapes"})


def test_photos_from_the_camera_are_added_after_the_others_with_thumbnails(world, django_capture_on_commit_callbacks):
    """Added at once, then made by the worker (here, in this process once the upload commits)."""
    data = {"photos": [upload("a.jpg"), upload("b.png", jpeg_bytes(color=(0, 128, 0)))], "alt_text": "Grapes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("member").post(_photos_url(world), data)
    assert response.status_code == 302
    added = list(world.product.images.order_by("position", "id"))[3:]
    assert [image.position for image in added] == [3, 4]
    assert all(image.thumbnail and image.image.name.endswith(".jpg") for image in added)
    assert [image.alt_text for image in added] == ["Grapes", "Grapes"]
    assert ProducerActivity.objects.filter(action=Action.PHOTO_ADDED).count() == 2


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([SimpleUploadedFile("notes.jpg", b"just some text", content_type="image/jpeg")], "not a readable image"),
        (
            [SimpleUploadedFile("huge.jpg", b"\xff" * (12 * 1024 * 1024), content_type="image/jpeg")],
            "larger than 10 MB",
        ),
        # One bad photo among good ones: none of them is added.
        ([None, SimpleUploadedFile("bad.png", b"\x89PNG broken", content_type="image/png")], "not a readable image"),
        ([], "Choose a photo to add."),
        ([None] * 9, "Add at most 8 photos at a time."),
    ],
)
def test_bad_photos_are_refused_with_a_form_error_and_nothing_is_stored(world, files, message):
    files = [upload() if file is None else file for file in files]
    before, stored = snapshot(), file_count(ProductImage._meta.get_field("image"))
    response = world.client("member").post(_photos_url(world), {"photos": files})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before
    assert file_count(ProductImage._meta.get_field("image")) == stored


def test_an_upload_just_over_the_limit_is_refused(world):
    data = jpeg_bytes() + b"\0" * (MAX_UPLOAD_BYTES + 1)
    before = snapshot()
    response = world.client("member").post(_photos_url(world), {"photos": [upload("big.jpg", data)]})
    assert "larger than 10 MB" in response.content.decode()
    assert snapshot() == before


def _order(world: World) -> list[int]:
    return list(world.product.images.order_by("position", "id").values_list("pk", flat=True))


def test_photos_move_up_and_down(world):
    first, second, third = (image.pk for image in world.images)
    client = world.client("member")

    def move(pk: int, direction: str):
        url = reverse("dashboard-productimage-move", kwargs={"producer": "tuyoq-vineyard", "pk": pk})
        return client.post(url, {"direction": direction})

    assert move(third, "up").status_code == 302
    assert _order(world) == [first, third, second]
    move(first, "down")
    assert _order(world) == [third, first, second]
    move(third, "up")  # already first: stays
    move(second, "down")  # already last: stays
    assert _order(world) == [third, first, second]
    assert list(world.product.images.order_by("position").values_list("position", flat=True)) == [0, 1, 2]
    assert ProducerActivity.objects.filter(action=Action.PHOTO_UPDATED).count() == 2
    before = snapshot()
    assert move(first, "sideways").status_code == 302
    assert snapshot() == before


def test_moving_puts_photos_with_equal_positions_in_a_clear_order():
    product = ProductFactory()
    images = [ProductImageFactory(product=product, position=0) for _n in range(3)]
    services.product_image_move(image=images[2], offset=-1, actor=None)
    positions = dict(product.images.values_list("pk", "position"))
    assert [positions[image.pk] for image in images] == [0, 2, 1]
    assert not ProducerActivity.objects.exists()  # a system job (actor=None): nothing recorded


def test_setting_a_photos_alt_text(world):
    image = world.images[1]
    url = reverse("dashboard-productimage-alt", kwargs={"producer": "tuyoq-vineyard", "pk": image.pk})
    response = world.client("member").post(url, {f"p{image.pk}-alt_text": "  Bunches on the vine  "})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Bunches on the vine"
    assert ProducerActivity.objects.get().action == Action.PHOTO_UPDATED


def test_an_alt_text_too_long_is_refused(world):
    image = world.images[1]
    url = reverse("dashboard-productimage-alt", kwargs={"producer": "tuyoq-vineyard", "pk": image.pk})
    before = snapshot()
    response = world.client("member").post(url, {f"p{image.pk}-alt_text": "x" * 201})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert snapshot() == before


def test_removing_a_photo_deletes_its_files_and_closes_the_gap(world, django_capture_on_commit_callbacks):
    first, second, third = world.images
    storage, name = second.image.storage, second.image.name
    assert storage.exists(name)
    url = reverse("dashboard-productimage-remove", kwargs={"producer": "tuyoq-vineyard", "pk": second.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("member").post(url)
    assert response.status_code == 302
    assert list(world.product.images.values_list("pk", "position")) == [(first.pk, 0), (third.pk, 1)]
    assert not storage.exists(name)
    assert ProducerActivity.objects.get().action == Action.PHOTO_REMOVED


# Publishing and archiving


def test_publish_and_archive_from_the_editor_and_the_overview(world):
    client = world.client("member")
    kwargs = {"producer": "tuyoq-vineyard", "slug": "seedless-grapes"}
    overview = reverse("dashboard-overview", kwargs={"producer": "tuyoq-vineyard"})
    response = client.post(reverse("dashboard-product-archive", kwargs=kwargs), {"next": overview})
    assert response["Location"] == overview
    world.product.refresh_from_db()
    assert world.product.status == Product.Status.ARCHIVED
    response = client.post(reverse("dashboard-product-publish", kwargs=kwargs), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard-product-edit", kwargs=kwargs)
    world.product.refresh_from_db()
    assert world.product.status == Product.Status.ACTIVE
    assert list(ProducerActivity.objects.order_by("id").values_list("action", flat=True)) == [
        Action.PRODUCT_ARCHIVED,
        Action.PRODUCT_PUBLISHED,
    ]


def test_publishing_without_a_variant_on_sale_is_refused_with_the_reason(world):
    Variant.objects.filter(pk=world.variant.pk).update(is_active=False)
    Product.objects.filter(pk=world.product.pk).update(status=Product.Status.DRAFT)
    before = snapshot()
    kwargs = {"producer": "tuyoq-vineyard", "slug": "seedless-grapes"}
    response = world.client("member").post(reverse("dashboard-product-publish", kwargs=kwargs), follow=True)
    assert "Add a variant on sale with a price before publishing the product." in response.content.decode()
    assert snapshot() == before


def test_an_unverified_producers_product_cannot_be_published_and_stays_out_of_the_shop(world):
    Producer.objects.filter(pk=world.producer.pk).update(is_verified=False, verified_at=None)
    Product.objects.filter(pk=world.product.pk).update(status=Product.Status.DRAFT)
    before = snapshot()
    kwargs = {"producer": "tuyoq-vineyard", "slug": "seedless-grapes"}
    response = world.client("member").post(reverse("dashboard-product-publish", kwargs=kwargs), follow=True)
    assert "A product can be published once staff have verified its producer." in response.content.decode()
    assert snapshot() == before
    # Even a product marked active some other way stays invisible while its producer is unverified.
    Product.objects.filter(pk=world.product.pk).update(status=Product.Status.ACTIVE)
    shop = Client(headers=ENGLISH)
    assert shop.get(reverse("product-detail", kwargs={"slug": "seedless-grapes"})).status_code == 404
    assert shop.get("/api/v1/products/seedless-grapes/").status_code == 404
    assert "seedless-grapes" not in shop.get("/api/v1/products/").content.decode()
    assert "Seedless grapes" not in shop.get(reverse("product-list")).content.decode()


# Assisted selling


def test_what_a_depot_manager_does_for_a_producer_is_recorded_on_its_behalf(world):
    CategoryFactory()
    client = world.client("manager")
    response = client.post(reverse("dashboard-product-new", kwargs={"producer": "old-ali"}), PRODUCT_FORM)
    assert response.status_code == 302
    product = Product.objects.get(name_en="Turpan raisins")
    assert product.producer == world.assisted
    vp = f"v{world.assisted_variant.pk}"
    client.post(
        reverse("dashboard-variant-quick-edit", kwargs={"producer": "old-ali", "pk": world.assisted_variant.pk}),
        {f"{vp}-price": "30", f"{vp}-stock": "8", f"{vp}-expected_stock": "4"},
    )
    activities = list(ProducerActivity.objects.order_by("id"))
    assert [(a.producer, a.actor, a.on_behalf) for a in activities] == [(world.assisted, world.manager, True)] * 2
    assert [a.action for a in activities] == [Action.PRODUCT_CREATED, Action.VARIANT_UPDATED]


def test_the_back_office_tells_a_depot_manager_whom_they_work_for(world):
    html = world.client("manager").get(reverse("dashboard-overview", kwargs={"producer": "old-ali"})).content.decode()
    assert "You are working for Old Ali" in html


def test_services_record_nothing_for_a_system_job(world):
    """A management command or the seed names no one (``actor=None``): the change is made, nothing is recorded."""
    services.variant_update(variant=world.variant, price=Decimal("1.00"), actor=None)
    services.product_archive(product=world.product, actor=None)
    services.product_image_update(image=world.images[0], alt_text="new", actor=None)
    world.variant.refresh_from_db()
    assert world.variant.price == Decimal("1.00")
    assert not ProducerActivity.objects.exists()
