"""Writes racing other transactions: SKU and slug clashes, stock changes during a checkout, deleting a product."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from catalog.models import Product, ProductImage, Variant
from catalog.services import product_delete, variant_create
from catalog.stock import stock_take
from tests.api import file_count
from tests.catalog.test_image_uploads import jpeg_bytes
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

HOLD_SECONDS = 0.5


class HeldTransaction(threading.Thread):
    """``work`` run in another connection's transaction, kept open for HOLD_SECONDS; ``join`` re-raises its error."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        self.started = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.work()
                self.started.set()
                time.sleep(HOLD_SECONDS)
        except BaseException as error:  # handed to the test thread by join()
            self.error = error
        finally:
            self.started.set()
            connection.close()

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


def hold_in_transaction(work: Callable[[], object]) -> HeldTransaction:
    """Start ``work`` in another connection's transaction and return once it has run (the transaction still open)."""
    thread = HeldTransaction(work)
    thread.start()
    assert thread.started.wait(5)
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_sku_taken_by_a_request_still_in_flight_is_a_400_not_a_500(roles):
    """The other insert is not committed when this one checks; the unique index decides, and the loser gets a 400."""
    variant = VariantFactory(product__producer=roles.producer, product__slug="melon")
    thread = hold_in_transaction(lambda: VariantFactory(product=variant.product, sku="HAMI-5KG"))

    response = roles.client("member").post(
        reverse("api-product-variant-list", kwargs={"slug": "melon"}),
        {"sku": "HAMI-5KG", "name_en": "5 kg", "price": "88.00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    thread.join()

    assert response.status_code == 400
    assert response.json() == {"sku": ["Another variant already has this SKU."]}
    assert Variant.objects.filter(sku="HAMI-5KG").count() == 1


@pytest.mark.django_db(transaction=True)
def test_changing_a_price_during_a_checkout_does_not_undo_the_units_sold(roles):
    variant = VariantFactory(product__producer=roles.producer, stock=10, price=Decimal("59.00"))
    thread = hold_in_transaction(lambda: stock_take(quantities={variant.pk: 2}))

    response = roles.client("member").patch(reverse("api-variant-detail", kwargs={"pk": variant.pk}), {"price": "55"})
    thread.join()

    assert response.status_code == 200
    assert response.json()["stock"] == 8
    variant.refresh_from_db()
    assert (variant.stock, variant.price) == (8, Decimal("55.00"))


@pytest.mark.django_db(transaction=True)
def test_a_stock_count_from_before_a_checkout_is_refused_and_the_sale_stays_taken_off(roles):
    """The member read 10 and sends 50; a checkout takes 2 meanwhile.

    The PATCH waits for the order to commit, then finds 8, not the 10 it expected:
    409 with the stock now, and the 2 units sold are not put back on sale.
    """
    variant = VariantFactory(product__producer=roles.producer, stock=10)
    client = roles.client("member")
    seen = client.get(reverse("api-product-detail", kwargs={"slug": variant.product.slug})).json()["variants"][0]
    assert seen["stock"] == 10
    thread = hold_in_transaction(lambda: stock_take(quantities={variant.pk: 2}))
    started = time.monotonic()

    response = client.patch(
        reverse("api-variant-detail", kwargs={"pk": variant.pk}),
        {"stock": 50, "expected_stock": seen["stock"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    waited = time.monotonic() - started
    thread.join()

    assert waited >= HOLD_SECONDS / 2
    assert response.status_code == 409, response.content
    body = response.json()
    assert (body["code"], body["current"]) == ("stock_changed", 8)
    assert "expected_stock 8" in body["detail"]
    variant.refresh_from_db()
    assert variant.stock == 8


@pytest.mark.django_db(transaction=True)
def test_a_stock_count_sent_again_with_the_stock_after_the_checkout_is_applied(roles):
    """After a 409 the member counts again and sends the count with the stock they were told: it is set."""
    variant = VariantFactory(product__producer=roles.producer, stock=10)
    hold_in_transaction(lambda: stock_take(quantities={variant.pk: 2})).join()

    response = roles.client("member").patch(
        reverse("api-variant-detail", kwargs={"pk": variant.pk}), {"stock": 50, "expected_stock": 8}
    )

    assert response.status_code == 200, response.content
    assert response.json()["stock"] == 50
    variant.refresh_from_db()
    assert variant.stock == 50


@pytest.mark.django_db(transaction=True)
def test_adding_a_variant_to_a_product_being_deleted_is_a_404_not_a_500(roles):
    """The delete commits first: the new variant waits for it, then hears the product is gone; nothing is left."""
    product = ProductFactory(producer=roles.producer, slug="melon")
    VariantFactory(product=product)
    thread = hold_in_transaction(lambda: product_delete(product=product, actor=None))

    response = roles.client("member").post(
        reverse("api-product-variant-list", kwargs={"slug": "melon"}),
        {"sku": "HAMI-5KG", "name_en": "5 kg", "price": "88.00", "stock": 3},
    )
    thread.join()

    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert not Product.objects.exists() and not Variant.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_deleting_a_product_while_a_variant_is_being_added_deletes_the_new_variant_too(roles):
    """The new variant commits first: the delete waits for it and removes it with the product, leaving no orphan."""
    product = ProductFactory(producer=roles.producer, slug="melon")
    thread = hold_in_transaction(
        lambda: variant_create(product=product, sku="HAMI-5KG", price=Decimal("88.00"), name_en="5 kg", actor=None)
    )
    started = time.monotonic()

    response = roles.client("member").delete(reverse("api-product-detail", kwargs={"slug": "melon"}))
    waited = time.monotonic() - started
    thread.join()

    assert response.status_code == 204
    assert waited >= HOLD_SECONDS / 2
    assert not Product.objects.exists() and not Variant.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_adding_a_photo_to_a_product_being_deleted_is_a_404_and_stores_nothing(roles):
    product = ProductFactory(producer=roles.producer, slug="melon")
    thread = hold_in_transaction(lambda: product_delete(product=product, actor=None))

    response = roles.client("member").post(
        reverse("api-product-image-list", kwargs={"slug": "melon"}),
        {"image": SimpleUploadedFile("melon.jpg", jpeg_bytes(), content_type="image/jpeg")},
        format="multipart",
    )
    thread.join()

    assert response.status_code == 404, response.content
    assert not Product.objects.exists() and not ProductImage.all_objects.exists()
    assert file_count(ProductImage._meta.get_field("image")) == 0


@pytest.mark.django_db(transaction=True)
def test_a_slug_taken_by_a_product_still_being_created_gets_a_suffix(roles):
    """Two members name a product "Hami melon" at once: the second gets a slug with a suffix, not an error."""
    category = CategoryFactory()
    thread = hold_in_transaction(lambda: ProductFactory(slug="hami-melon", category=category))

    response = roles.client("member").post(
        reverse("api-product-list"), {"category": category.slug, "name_en": "Hami melon"}
    )
    thread.join()

    assert response.status_code == 201
    assert response.json()["slug"].startswith("hami-melon-")
    assert Product.objects.filter(slug__startswith="hami-melon").count() == 2
