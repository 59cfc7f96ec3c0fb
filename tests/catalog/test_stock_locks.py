"""Row locks on products and variants are taken in ``catalog.stock`` only, in one order, inside a transaction."""

from __future__ import annotations

import inspect
import re
import threading
import time

import pytest
from django.db import connection, transaction

from catalog import services
from catalog.models import Product, Variant
from catalog.stock import product_lock, stock_take, variants_lock
from tests.factories import ProductFactory, VariantFactory


@pytest.mark.django_db(transaction=True)
def test_locks_need_the_callers_transaction():
    """Outside a transaction a lock would end with its own statement and protect nothing, so it is refused."""
    variant = VariantFactory()

    with pytest.raises(RuntimeError):
        variants_lock(ids=[variant.pk])
    with pytest.raises(RuntimeError):
        product_lock(pk=variant.product_id)


@pytest.mark.django_db
def test_variants_lock_returns_the_variants_that_exist_by_id():
    product = ProductFactory()
    first, second = VariantFactory(product=product), VariantFactory(product=product)
    VariantFactory()

    with transaction.atomic():
        by_id = variants_lock(ids=[second.pk, first.pk, 10**9])
        of_product = variants_lock(ids=Variant.objects.filter(product=product).values_list("pk", flat=True))
        locked = product_lock(pk=product.pk)

    assert list(by_id) == [first.pk, second.pk]
    assert by_id[first.pk].stock == first.stock
    assert list(of_product) == [first.pk, second.pk]
    assert locked == product
    with transaction.atomic(), pytest.raises(Product.DoesNotExist):
        product_lock(pk=10**9)


@pytest.mark.django_db(transaction=True)
def test_a_variant_locked_for_an_edit_holds_a_checkout_until_the_edit_commits():
    variant = VariantFactory(stock=10)
    locked = threading.Event()

    def edit() -> None:
        try:
            with transaction.atomic():
                variants_lock(ids=[variant.pk])
                locked.set()
                time.sleep(0.5)
        finally:
            locked.set()
            connection.close()

    thread = threading.Thread(target=edit)
    thread.start()
    assert locked.wait(5)
    started = time.monotonic()
    with transaction.atomic():
        stock_take(quantities={variant.pk: 1})
    waited = time.monotonic() - started
    thread.join()

    assert waited >= 0.25
    variant.refresh_from_db()
    assert variant.stock == 9


def test_the_catalog_services_take_no_row_lock_of_their_own():
    """STYLE: stock locks live in ``catalog/stock.py``, where their order is kept; the services call it. The one
    other lock, the worker claiming a photo to process (skip-locked), holds no stock."""
    locks = re.findall(r"([\w.]+)\.select_for_update\(", inspect.getsource(services))
    assert set(locks) <= {"ProductImage.all_objects"}
