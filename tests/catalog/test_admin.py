"""Staff manage products, their variants and photos in the back office."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from PIL import Image

from catalog.admin import ProductAdmin
from catalog.models import Product, ProductImage, Variant
from catalog.services import product_image_add
from producers.models import ProducerActivity
from tests.admin_forms import change_form_data
from tests.api import file_count, snapshot
from tests.factories import ProductFactory, ProductImageFactory, VariantFactory

PRODUCTS = reverse("admin:catalog_product_changelist")
Action = ProducerActivity.Action


def jpeg_with_gps(size: tuple[int, int] = (800, 600)) -> bytes:
    image = Image.new("RGB", size, (120, 40, 90))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 30.0, 0.0)}  # GPSInfo: where the photo was taken
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def product_url(product: Product) -> str:
    return reverse("admin:catalog_product_change", args=[product.pk])


def with_new_photo(data: dict, upload: SimpleUploadedFile, alt_text: str = "") -> dict:
    index = int(data["images-TOTAL_FORMS"])
    data.update(
        {
            "images-TOTAL_FORMS": str(index + 1),
            f"images-{index}-upload": upload,
            f"images-{index}-alt_text": alt_text,
            f"images-{index}-position": "0",
        }
    )
    return data


def active_product_with_a_variant(client, add_url: str, producer) -> dict:
    """The add page's form filled in for an active product of ``producer`` with one variant on sale."""
    data = change_form_data(client.get(add_url))
    data.update(
        {
            "producer": producer.pk,
            "category": producer.products.get().category_id,
            "slug": "hotan-rose-jam",
            "status": Product.Status.ACTIVE,
            "name_en": "Hotan rose jam",
            "variants-TOTAL_FORMS": "1",
            "variants-0-sku": "ROSE-JAM-250",
            "variants-0-name_en": "250 g jar",
            "variants-0-price": "35.00",
            "variants-0-weight_grams": "300",
            "variants-0-stock": "40",
            "variants-0-is_active": "on",
            "variants-0-position": "0",
        }
    )
    return data


@pytest.mark.django_db
def test_product_list_shows_a_thumbnail_of_the_first_photo(admin_client):
    """Each product in the list has a small picture of its first photo's thumbnail; one without photos has none."""
    product = ProductFactory(name_en="Seedless grapes")
    image = product_image_add(product=product, data=jpeg_with_gps(), actor=None)
    product_image_add(product=product, data=jpeg_with_gps(), actor=None)
    ProductFactory(name_en="Walnuts without photo")

    response = admin_client.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<img src="{image.thumbnail.url}"' in body
    assert body.count('<img src="/media/') == 1  # The first photo only, and nothing for the walnuts.


@pytest.mark.django_db
def test_product_page_shows_variants_and_a_preview_of_each_photo(admin_client):
    """The product page lists its variants by SKU and shows every photo as a thumbnail linked to the full size."""
    product = ProductFactory()
    VariantFactory(product=product, sku="TURPAN-GRAPE-2KG")
    VariantFactory(product=product, sku="TURPAN-GRAPE-5KG")
    photos = [product_image_add(product=product, data=jpeg_with_gps(), actor=None) for _ in range(2)]

    response = admin_client.get(product_url(product))

    body = response.content.decode()
    assert response.status_code == 200
    assert "TURPAN-GRAPE-2KG" in body
    assert "TURPAN-GRAPE-5KG" in body
    for photo in photos:
        assert f'<a href="{photo.image.url}"><img src="{photo.thumbnail.url}"' in body


@pytest.mark.django_db
def test_photo_uploaded_in_the_admin_is_reencoded_without_exif_and_gets_a_thumbnail(
    admin_client, django_capture_on_commit_callbacks
):
    """A phone photo added on the product page is stored like any other: no GPS, re-encoded by the worker (here,
    in this process once the save commits), with a thumbnail."""
    product = ProductFactory()
    data = change_form_data(admin_client.get(product_url(product)))
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(product_url(product), with_new_photo(data, upload, alt_text="Vines"))

    assert response.status_code == 302, response.context and response.context["errors"]
    image = product.images.get()
    assert image.alt_text == "Vines"
    assert image.thumbnail.name
    assert "IMG_0001" not in image.image.name
    with image.image.open("rb") as stored:
        assert not Image.open(stored).getexif()


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_with_a_message(admin_client):
    """Uploading a text file as a photo shows the error on the page and stores nothing."""
    product = ProductFactory()
    data = change_form_data(admin_client.get(product_url(product)))
    upload = SimpleUploadedFile("notes.jpg", b"not really a jpeg", content_type="image/jpeg")

    response = admin_client.post(product_url(product), with_new_photo(data, upload), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "The file is not a readable image." in response.content.decode()
    assert not ProductImage.all_objects.exists()


@pytest.mark.django_db
def test_a_photo_over_10_mb_is_refused_with_a_message(admin_client):
    """The same size check as every other upload: the page says so and nothing is stored."""
    product = ProductFactory()
    data = change_form_data(admin_client.get(product_url(product)))
    upload = SimpleUploadedFile("huge.jpg", jpeg_with_gps() + bytes(11 * 1024 * 1024), content_type="image/jpeg")

    response = admin_client.post(product_url(product), with_new_photo(data, upload), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "The image is larger than 10 MB." in response.content.decode()
    assert not ProductImage.all_objects.exists()


@pytest.mark.django_db
def test_saving_the_product_page_never_writes_back_a_stock_that_orders_changed(admin_client, monkeypatch):
    """Staff change a variant's price while a shopper buys 3 boxes: the new price and the lower stock both stay."""
    product = ProductFactory()
    variant = VariantFactory(product=product, stock=10, price="59.00")
    data = change_form_data(admin_client.get(product_url(product)))
    data["variants-0-price"] = "49.00"
    data["variants-0-stock"] = "500"  # The field is disabled: a posted value is ignored.
    save_related = ProductAdmin.save_related

    def order_placed_meanwhile(self, request, form, formsets, change):
        # The shopper's order commits after the page's variants were read, before they are written.
        Variant.objects.filter(pk=variant.pk).update(stock=F("stock") - 3)
        return save_related(self, request, form, formsets, change)

    monkeypatch.setattr(ProductAdmin, "save_related", order_placed_meanwhile)

    response = admin_client.post(product_url(product), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    variant.refresh_from_db()
    assert (str(variant.price), variant.stock) == ("49.00", 7)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "price"), [("existing", "0"), ("existing", "-1.00"), ("new", "0.00")])
def test_the_product_page_refuses_a_variant_price_of_zero_or_less_and_saves_nothing(admin_client, row, price):
    product = ProductFactory()
    VariantFactory(product=product, price="59.00")
    data = change_form_data(admin_client.get(product_url(product)))
    if row == "existing":
        data["variants-0-price"] = price
    else:
        data.update(
            {
                "variants-TOTAL_FORMS": "2",
                "variants-1-sku": "FREE-BOX",
                "variants-1-name_en": "Free box",
                "variants-1-price": price,
                "variants-1-weight_grams": "300",
                "variants-1-stock": "5",
                "variants-1-is_active": "on",
                "variants-1-position": "1",
            }
        )
    before = snapshot()

    response = admin_client.post(product_url(product), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "A price must be more than ¥0." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_variant_added_on_the_product_page_gets_the_stock_entered(admin_client):
    """A new variant's stock is entered with it; afterwards only orders and the producer change it."""
    product = ProductFactory()
    VariantFactory(product=product)
    data = change_form_data(admin_client.get(product_url(product)))
    data.update(
        {
            "variants-TOTAL_FORMS": "2",
            "variants-1-sku": "HAMI-MELON-2",
            "variants-1-name_en": "Two melons",
            "variants-1-price": "88.00",
            "variants-1-weight_grams": "5000",
            "variants-1-stock": "25",
            "variants-1-is_active": "on",
            "variants-1-position": "1",
        }
    )

    response = admin_client.post(product_url(product), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Variant.objects.get(sku="HAMI-MELON-2").stock == 25


@pytest.mark.django_db
def test_product_list_finds_a_product_by_variant_sku(admin_client):
    """Searching the product list for a SKU finds the product that sells it, once."""
    wanted = ProductFactory()
    VariantFactory(product=wanted, sku="HOTAN-ROSE-TEA-1")
    VariantFactory(product=wanted, sku="HOTAN-ROSE-TEA-2")
    ProductImageFactory(product=wanted)
    ProductFactory()

    response = admin_client.get(PRODUCTS, {"q": "HOTAN-ROSE-TEA"})

    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_a_product_is_created_with_a_variant_and_a_photo_in_one_save(admin_client, django_capture_on_commit_callbacks):
    """Staff fill in the add page with one variant and one photo; all three are stored, the photo re-encoded."""
    producer = ProductFactory().producer
    add_url = reverse("admin:catalog_product_add")
    data = change_form_data(admin_client.get(add_url))
    data.update(
        {
            "producer": producer.pk,
            "category": producer.products.get().category_id,
            "slug": "hotan-rose-jam",
            "status": Product.Status.DRAFT,
            "name_en": "Hotan rose jam",
            "variants-TOTAL_FORMS": "1",
            "variants-0-sku": "ROSE-JAM-250",
            "variants-0-name_en": "250 g jar",
            "variants-0-price": "35.00",
            "variants-0-weight_grams": "300",
            "variants-0-stock": "40",
            "variants-0-position": "0",
        }
    )
    upload = SimpleUploadedFile("jam.jpg", jpeg_with_gps(), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(add_url, with_new_photo(data, upload, alt_text="A jar of rose jam"))

    assert response.status_code == 302, response.context and response.context["errors"]
    product = Product.objects.get(slug="hotan-rose-jam")
    assert product.variants.get().stock == 40
    image = product.images.get()
    assert image.thumbnail.name
    with image.image.open("rb") as stored:
        assert not Image.open(stored).getexif()


# Staff change a product through the catalog services: the rules apply and the producer's activity shows it


def staff_activity(product: Product) -> list[tuple]:
    rows = ProducerActivity.objects.filter(producer=product.producer).order_by("id")
    return [(row.actor, row.action, row.on_behalf) for row in rows]


@pytest.mark.django_db
def test_a_status_change_in_the_admin_is_in_the_producers_activity_under_the_staff_member(admin_client, admin_user):
    """Publishing then archiving on the product page go through the services, recorded as done for the producer."""
    product = ProductFactory(status="draft", published_at=None)
    VariantFactory(product=product)

    published = admin_client.post(
        product_url(product), {**change_form_data(admin_client.get(product_url(product))), "status": "active"}
    )
    archived = admin_client.post(
        product_url(product), {**change_form_data(admin_client.get(product_url(product))), "status": "archived"}
    )

    assert published.status_code == archived.status_code == 302
    product.refresh_from_db()
    assert product.status == "archived" and product.published_at is not None
    assert staff_activity(product) == [
        (admin_user, Action.PRODUCT_PUBLISHED, True),
        (admin_user, Action.PRODUCT_ARCHIVED, True),
    ]


@pytest.mark.django_db
def test_the_admin_refuses_to_activate_a_product_of_an_unverified_producer_and_changes_nothing(admin_client):
    """The service's reason is shown on the status field; the name edited in the same save is not kept either."""
    product = ProductFactory(producer__is_verified=False, producer__verified_at=None, status="draft", published_at=None)
    VariantFactory(product=product)
    data = change_form_data(admin_client.get(product_url(product)))
    before = snapshot()

    response = admin_client.post(
        product_url(product), {**data, "status": "active", "name_en": "Renamed"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["status"] == ["A product can be published once staff have verified its producer."]
    assert "A product can be published once staff have verified its producer." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_the_admin_shows_why_an_active_product_cannot_become_a_draft(admin_client):
    product = ProductFactory()
    VariantFactory(product=product)
    data = change_form_data(admin_client.get(product_url(product)))
    before = snapshot()

    response = admin_client.post(product_url(product), {**data, "status": "draft"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "A product cannot become a draft again; archive it to take it off sale."
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_product_added_active_with_its_variant_is_created_then_published_by_the_staff_member(
    admin_client, admin_user
):
    """On the add page the variant is saved before the status is set, so it is the variant on sale."""
    producer = ProductFactory().producer
    add_url = reverse("admin:catalog_product_add")
    data = active_product_with_a_variant(admin_client, add_url, producer)

    response = admin_client.post(add_url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    product = Product.objects.get(slug="hotan-rose-jam")
    assert product.status == "active" and product.published_at is not None
    assert staff_activity(product) == [
        (admin_user, Action.PRODUCT_CREATED, True),
        (admin_user, Action.VARIANT_CREATED, True),
        (admin_user, Action.PRODUCT_PUBLISHED, True),
    ]


@pytest.mark.django_db
def test_edits_and_photos_saved_in_the_admin_are_recorded_under_the_staff_member(admin_client, admin_user):
    """A price, a name and a new photo in one save: each is in the producer's activity."""
    product = ProductFactory(name_en="Walnuts")
    VariantFactory(product=product, price="59.00")
    data = change_form_data(admin_client.get(product_url(product)))
    data.update({"name_en": "Thin-shell walnuts", "variants-0-price": "49.00"})
    upload = SimpleUploadedFile("walnuts.jpg", jpeg_with_gps(), content_type="image/jpeg")

    response = admin_client.post(product_url(product), with_new_photo(data, upload))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert staff_activity(product) == [
        (admin_user, Action.PRODUCT_UPDATED, True),
        (admin_user, Action.VARIANT_UPDATED, True),
        (admin_user, Action.PHOTO_ADDED, True),
    ]


@pytest.mark.django_db
def test_a_product_deleted_in_the_admin_is_recorded_and_its_photo_files_go(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    product = ProductFactory(name_en="Dried apricots")
    image = product_image_add(product=product, data=jpeg_with_gps(), actor=None)
    delete_url = reverse("admin:catalog_product_delete", args=[product.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete_url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not image.image.storage.exists(image.image.name)
    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.actor, activity.action, activity.subject) == (
        product.producer,
        admin_user,
        Action.PRODUCT_DELETED,
        "Dried apricots",
    )


@pytest.mark.django_db
def test_adding_an_active_product_of_an_unverified_producer_is_refused_and_creates_nothing(admin_client):
    """The add page too: the product, its variant and its photo are all rolled back, and the page says why."""
    producer = ProductFactory(producer__is_verified=False, producer__verified_at=None).producer
    add_url = reverse("admin:catalog_product_add")
    data = active_product_with_a_variant(admin_client, add_url, producer)
    upload = SimpleUploadedFile("jam.jpg", jpeg_with_gps(), content_type="image/jpeg")
    before = snapshot()

    response = admin_client.post(add_url, with_new_photo(data, upload), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "A product can be published once staff have verified its producer."
    ]
    assert snapshot() == before
    assert file_count(ProductImage._meta.get_field("image")) == 0
