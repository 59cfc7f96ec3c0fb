"""The matrix can fail: a check that lets the wrong caller in, or a refusal that wrote first, is caught."""

import pytest

from catalog import selectors as catalog_selectors
from catalog.models import Product
from producers import selectors as producer_selectors
from producers.models import Producer
from tests.security.checking import check
from tests.security.matrix import API_ROWS, PAGE_ROWS
from tests.security.world import changed_tables, table_fingerprints

pytestmark = pytest.mark.django_db


def _row(rows, route, method, case=""):
    return next(row for row in rows if (row.route, row.method, row.case) == (route, method, case))


def test_the_fingerprints_notice_one_changed_field(world):
    before = table_fingerprints()
    Product.objects.filter(pk=world.product.pk).update(description_en="Changed")
    assert changed_tables(before, table_fingerprints()) == ["catalog_product"]


def test_a_back_office_open_to_anyone_fails_the_matrix(world, monkeypatch):
    def any_producer(*, user, slug):
        producer = Producer.objects.get(slug=slug)
        producer.acting_for = False
        return producer

    monkeypatch.setattr(producer_selectors, "dashboard_producer", any_producer)
    with pytest.raises(AssertionError, match="expected denied 404, got 302"):
        check(world, _row(PAGE_ROWS, "dashboard-product-edit", "POST"), "other_member")


def test_a_refusal_that_wrote_first_fails_the_matrix(world, monkeypatch):
    looked_up = catalog_selectors.products_editable_by

    def writes_then_looks_up(*, user):
        Product.objects.filter(pk=world.product.pk).update(description_en="Written before the refusal")
        return looked_up(user=user)

    monkeypatch.setattr(catalog_selectors, "products_editable_by", writes_then_looks_up)
    with pytest.raises(AssertionError, match=r"denied, yet it changed \['catalog_product'\]"):
        check(world, _row(API_ROWS, "api-product-detail", "PATCH"), "other_member")
