"""A product's search row follows every change of its names, descriptions, concepts, category, status and
variants, whichever way the change is made: the producer's back office (a member of the producer), the API
(the same member) or the admin (staff). Each change is made by real requests, as their users make them, and
then looked for as a shopper looks: the search behind the storefront's list (``selectors.product_search``),
the storefront page ``/products/?q=`` and the API's ``GET /api/v1/products/?q=``, which must all agree. A
change refused for bad input changes neither the product nor what a search finds.

The words are invented, so no concept of the region's vocabulary, no place and no other product holds them;
each language's old and new word differ, and so do their pinyin and Uyghur Latin forms.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django import forms
from django.contrib.postgres.search import SearchVectorField
from django.core.management import call_command
from django.db.models import Value
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Category, Concept, Product, ProductSearch, Variant
from catalog.selectors import product_search
from tests.admin_forms import change_form_data
from tests.api import Roles, snapshot
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

PATHS = ("dashboard", "api", "admin")
ENGLISH = {"Accept-Language": "en"}

# The product's names and what a shopper types for each, before and after a rename.
ZH, ZH_NEW = "佐布拉杏", "墨菲桃"  # pinyin: zuobulaxing, mofeitao
EN, EN_NEW = "Zorblat apricots", "Quintrel apricots"
UG, UG_NEW = "تېرمۇزەك", "بولقادىر"  # Uyghur Latin script: termuzek, bolqadir
DESCRIPTION, DESCRIPTION_NEW = "Glimmerstone orchards, picked ripe.", "Brackenfold terraces, picked ripe."
# A kind of produce of the tests' own, and a Uyghur-only listing that holds none of its words.
SKYBERRY = "霁莓"
NAMED_IN_UYGHUR = "قارا مەرۋايىت"


# How a shopper sees a search: the storefront's selector, its page and the API, which must agree


API_ORDERING = {None: None, "relevance": "relevance", "newest": "newest", "price_asc": "price", "price_desc": "-price"}
CARD = re.compile(r'<li class="card">\s*<a href="/products/([^/"]+)/"')


def results(q: str, *, sort: str | None = None, **filters: Any) -> list[tuple[str, Decimal | None]]:
    """The products a search finds, in order, with the lowest price their cards show.

    The storefront's page shows the same products in the same order; the API shows those with a variant on
    sale, at the same prices.
    """
    cards = [(product.slug, product.min_price) for product in product_search(q=q, sort=sort, **filters)]
    on_sale = [(p.slug, p.min_price) for p in product_search(q=q, sort=sort, on_sale_only=True, **filters)]
    params = {"q": q, **{name: str(value) for name, value in filters.items() if value is not None}}

    page = Client(headers=ENGLISH).get(reverse("product-list"), {**params, **({"sort": sort} if sort else {})})
    assert page.status_code == 200
    assert CARD.findall(page.content.decode()) == [slug for slug, _price in cards]

    ordering = API_ORDERING[sort]
    api = APIClient().get(reverse("api-product-list"), {**params, **({"ordering": ordering} if ordering else {})})
    assert api.status_code == 200, api.content
    shown = [(row["slug"], Decimal(row["min_price"])) for row in api.json()["results"]]
    assert shown == on_sale
    return cards


def found(q: str, **filters: Any) -> list[str]:
    """The slugs a search finds, in order (``results``)."""
    return [slug for slug, _price in results(q, **filters)]


# The products


@dataclass
class World:
    roles: Roles
    product: Product  # of the member's producer, named in three languages
    variant: Variant
    neighbour: Product  # of another producer, also "Zorblat", for the order by price and the category filter

    def refreshed(self) -> Product:
        return Product.objects.get(pk=self.product.pk)


@pytest.fixture
def world(roles) -> World:
    fresh = CategoryFactory()
    CategoryFactory(slug="dried-fruit", name_zh="干果", name_ug="قۇرۇق مېۋە", name_en="Dried fruit")
    product = ProductFactory(
        producer=roles.producer,
        category=fresh,
        slug="zorblat",
        name_zh=ZH,
        name_ug=UG,
        name_en=EN,
        description_en=DESCRIPTION,
    )
    variant = VariantFactory(product=product, sku="ZORBLAT-1KG", name_en="1 kg box", price=Decimal("50.00"))
    neighbour = ProductFactory(
        producer=roles.other_producer, category=fresh, slug="zorblat-figs", name_zh="", name_en="Zorblat figs"
    )
    VariantFactory(product=neighbour, sku="FIGS-1KG", name_en="1 kg box", price=Decimal("40.00"))
    return World(roles=roles, product=product, variant=variant, neighbour=neighbour)


@pytest.fixture
def skyberry(db) -> Concept:
    """A concept of the tests' own: searched by its Chinese name, which no product's name holds."""
    return Concept.objects.create(
        slug="skyberry", name_zh=SKYBERRY, name_ug="ئاسمانبېرى", name_en="Skyberry", terms="jimei"
    )


# The write paths, each driven by HTTP requests as its users send them


class WritePath:
    """One way to change the catalog. Each method sends what its users send and returns the answer;
    ``saved`` and ``refused`` check it. ``edit`` takes product fields as the API names them: names,
    descriptions, ``category`` (a slug) and ``concepts`` (slugs)."""

    name: ClassVar[str]
    saved_codes: ClassVar[tuple[int, ...]]
    refused_code: ClassVar[int]

    def __init__(self, world: World) -> None:
        self.world = world

    def saved(self, response: HttpResponse) -> None:
        assert response.status_code in self.saved_codes, self.problem(response)

    def refused(self, response: HttpResponse) -> None:
        assert response.status_code == self.refused_code, self.problem(response)

    def problem(self, response: HttpResponse) -> Any:
        return response.content[:2000]

    def edit(self, product: Product, **changes: Any) -> HttpResponse:
        raise NotImplementedError

    def set_price(self, variant: Variant, price: str) -> HttpResponse:
        raise NotImplementedError

    def add_variant(self, product: Product, *, sku: str, price: str) -> HttpResponse:
        raise NotImplementedError

    def take_off_sale(self, variant: Variant) -> HttpResponse:
        raise NotImplementedError

    def archive(self, product: Product) -> HttpResponse:
        raise NotImplementedError

    def publish(self, product: Product) -> HttpResponse:
        raise NotImplementedError

    def create_on_sale(self, *, price: str, **fields: Any) -> Product:
        """A new product of the member's producer (``fields`` as for ``edit``, ``category`` included), with a
        variant at ``price``, published."""
        raise NotImplementedError

    def rename_refused_with_bad_input(self, product: Product, *, name_en: str) -> HttpResponse:
        """A new English name sent together with something the path refuses."""
        raise NotImplementedError

    def tag_with_unknown_concept(self, product: Product, *, known: Concept, name_en: str) -> HttpResponse:
        """A new English name and the concepts ``known`` and one that does not exist."""
        return self.edit(product, name_en=name_en, concepts=[known.slug, "no-such-kind"])


class Dashboard(WritePath):
    """The producer's back office, used by a member of the producer."""

    name = "dashboard"
    saved_codes = (302,)
    refused_code = 200

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.client = Client(headers=ENGLISH)
        self.client.force_login(world.roles.member)
        self.producer = world.roles.producer.slug

    def problem(self, response: HttpResponse) -> Any:
        form = response.context.get("form") if response.context is not None else None
        return form.errors if form is not None else response.status_code

    def _url(self, name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"producer": self.producer, **kwargs})

    def _editor_data(self, product: Product) -> dict[str, Any]:
        """The product form as the editor shows it: what "Save" sends when nothing is changed."""
        form = self.client.get(self._url("dashboard-product-edit", slug=product.slug)).context["form"]
        data: dict[str, Any] = {}
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.BooleanField):
                data.update({bound.html_name: "on"} if value else {})
            else:
                data[bound.html_name] = "" if value is None else value
        return data

    def edit(self, product: Product, **changes: Any) -> HttpResponse:
        data = self._editor_data(product) | changes
        return self.client.post(self._url("dashboard-product-edit", slug=product.slug), data)

    def _variant_data(self, variant: Variant, **changes: Any) -> dict[str, str]:
        variant.refresh_from_db()
        fields = {"price": str(variant.price), "stock": str(variant.stock), "expected_stock": str(variant.stock)}
        if variant.is_active:
            fields["is_active"] = "on"
        fields.update(changes)
        return {f"v{variant.pk}-{name}": value for name, value in fields.items() if value is not None}

    def set_price(self, variant: Variant, price: str) -> HttpResponse:
        # The overview's quick edit of price and stock.
        data = self._variant_data(variant, price=price, is_active=None)
        return self.client.post(self._url("dashboard-variant-quick-edit", pk=variant.pk), data)

    def add_variant(self, product: Product, *, sku: str, price: str) -> HttpResponse:
        data = {"new-name_en": "Small box", "new-price": price, "new-stock": "5", "new-sku": sku}
        return self.client.post(self._url("dashboard-product-variant-add", slug=product.slug), data)

    def take_off_sale(self, variant: Variant) -> HttpResponse:
        # The editor's variant form, "on sale" unticked.
        data = self._variant_data(variant, is_active=None)
        return self.client.post(self._url("dashboard-variant-edit", pk=variant.pk), data)

    def archive(self, product: Product) -> HttpResponse:
        return self.client.post(self._url("dashboard-product-archive", slug=product.slug))

    def publish(self, product: Product) -> HttpResponse:
        return self.client.post(self._url("dashboard-product-publish", slug=product.slug))

    def create_on_sale(self, *, price: str, **fields: Any) -> Product:
        data = {"harvest_start_month": "6", "harvest_end_month": "8", **fields}
        response = self.client.post(self._url("dashboard-product-new"), data)
        self.saved(response)
        product = Product.objects.get(producer=self.world.roles.producer, slug=response["Location"].split("/")[-2])
        self.saved(self.add_variant(product, sku=f"{product.slug.upper()}-BOX", price=price))
        self.saved(self.publish(product))
        return product

    def rename_refused_with_bad_input(self, product: Product, *, name_en: str) -> HttpResponse:
        return self.edit(product, name_en=name_en, category="no-such-category")


class Api(WritePath):
    """``/api/v1/``, used by a member of the producer."""

    name = "api"
    saved_codes = (200, 201)
    refused_code = 400

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.client = world.roles.client("member")

    def _product_url(self, product: Product) -> str:
        return reverse("api-product-detail", kwargs={"slug": product.slug})

    def _variant_url(self, variant: Variant) -> str:
        return reverse("api-variant-detail", kwargs={"pk": variant.pk})

    def edit(self, product: Product, **changes: Any) -> HttpResponse:
        return self.client.patch(self._product_url(product), changes, HTTP_ACCEPT_LANGUAGE="en")

    def set_price(self, variant: Variant, price: str) -> HttpResponse:
        return self.client.patch(self._variant_url(variant), {"price": price}, HTTP_ACCEPT_LANGUAGE="en")

    def add_variant(self, product: Product, *, sku: str, price: str) -> HttpResponse:
        body = {"sku": sku, "name_en": "Small box", "price": price, "stock": 5}
        return self.client.post(reverse("api-product-variant-list", kwargs={"slug": product.slug}), body)

    def take_off_sale(self, variant: Variant) -> HttpResponse:
        return self.client.patch(self._variant_url(variant), {"is_active": False})

    def archive(self, product: Product) -> HttpResponse:
        return self.client.patch(self._product_url(product), {"status": "archived"})

    def publish(self, product: Product) -> HttpResponse:
        return self.client.patch(self._product_url(product), {"status": "active"})

    def create_on_sale(self, *, price: str, **fields: Any) -> Product:
        response = self.client.post(reverse("api-product-list"), fields, HTTP_ACCEPT_LANGUAGE="en")
        self.saved(response)
        product = Product.objects.get(slug=response.json()["slug"])
        self.saved(self.add_variant(product, sku=f"{product.slug.upper()}-BOX", price=price))
        self.saved(self.publish(product))
        return product

    def rename_refused_with_bad_input(self, product: Product, *, name_en: str) -> HttpResponse:
        return self.edit(product, name_en=name_en, category="no-such-category")


class Admin(WritePath):
    """The admin's product page (with its variants inline), used by staff."""

    name = "admin"
    saved_codes = (302,)
    refused_code = 200

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.client = Client(headers=ENGLISH)
        self.client.force_login(world.roles.staff)

    def problem(self, response: HttpResponse) -> Any:
        if not response.context or "adminform" not in response.context:
            return response.status_code
        inlines = [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
        return response.context["adminform"].form.errors, inlines

    def _url(self, product: Product) -> str:
        return reverse("admin:catalog_product_change", args=[product.pk])

    def _page_data(self, product: Product) -> dict[str, Any]:
        return change_form_data(self.client.get(self._url(product)))

    @staticmethod
    def _fields(changes: dict[str, Any]) -> dict[str, Any]:
        """The API's names of fields as the admin's form takes them: a category's and concepts' primary keys."""
        fields = dict(changes)
        if "category" in fields:
            fields["category"] = Category.objects.get(slug=fields["category"]).pk
        if "concepts" in fields:
            fields["concepts"] = [Concept.objects.get(slug=slug).pk for slug in fields["concepts"]]
        return fields

    @staticmethod
    def _row(data: dict[str, Any], variant: Variant) -> str:
        """The prefix of the variant's row among the inline variants."""
        rows = int(data["variants-TOTAL_FORMS"])
        return next(f"variants-{i}-" for i in range(rows) if str(data.get(f"variants-{i}-id")) == str(variant.pk))

    def edit(self, product: Product, **changes: Any) -> HttpResponse:
        return self.client.post(self._url(product), self._page_data(product) | self._fields(changes))

    def set_price(self, variant: Variant, price: str) -> HttpResponse:
        data = self._page_data(variant.product)
        data[self._row(data, variant) + "price"] = price
        return self.client.post(self._url(variant.product), data)

    @staticmethod
    def _new_row(data: dict[str, Any], *, sku: str, price: str) -> None:
        index = int(data["variants-TOTAL_FORMS"])
        data["variants-TOTAL_FORMS"] = str(index + 1)
        row = {"sku": sku, "name_en": "Small box", "price": price, "weight_grams": "500", "stock": "5"}
        data.update({f"variants-{index}-{name}": value for name, value in row.items()})
        data.update({f"variants-{index}-is_active": "on", f"variants-{index}-position": str(index)})

    def add_variant(self, product: Product, *, sku: str, price: str) -> HttpResponse:
        data = self._page_data(product)
        self._new_row(data, sku=sku, price=price)
        return self.client.post(self._url(product), data)

    def take_off_sale(self, variant: Variant) -> HttpResponse:
        data = self._page_data(variant.product)
        data.pop(self._row(data, variant) + "is_active")
        return self.client.post(self._url(variant.product), data)

    def _status(self, product: Product, status: str) -> HttpResponse:
        return self.client.post(self._url(product), {**self._page_data(product), "status": status})

    def archive(self, product: Product) -> HttpResponse:
        return self._status(product, Product.Status.ARCHIVED)

    def publish(self, product: Product) -> HttpResponse:
        return self._status(product, Product.Status.ACTIVE)

    def create_on_sale(self, *, price: str, **fields: Any) -> Product:
        """One save of the add page: the product, its variant, and the status active."""
        add_url = reverse("admin:catalog_product_add")
        data = change_form_data(self.client.get(add_url))
        slug = f"new-{Product.objects.count()}"
        data.update({"producer": self.world.roles.producer.pk, "slug": slug, "status": Product.Status.ACTIVE})
        data.update(self._fields(fields))
        self._new_row(data, sku=f"{slug.upper()}-BOX", price=price)
        self.saved(self.client.post(add_url, data))
        return Product.objects.get(slug=slug)

    def rename_refused_with_bad_input(self, product: Product, *, name_en: str) -> HttpResponse:
        # The name is saved first, then the variant's price is refused: the whole save is rolled back.
        data = self._page_data(product) | {"name_en": name_en}
        data[self._row(data, self.world.variant) + "price"] = "-5.00"
        return self.client.post(self._url(product), data)

    def tag_with_unknown_concept(self, product: Product, *, known: Concept, name_en: str) -> HttpResponse:
        # The admin names concepts by primary key: one that is no concept's.
        data = self._page_data(product) | {"name_en": name_en, "concepts": [known.pk, 10**9]}
        return self.client.post(self._url(product), data)


DRIVERS: dict[str, type[WritePath]] = {"dashboard": Dashboard, "api": Api, "admin": Admin}


@pytest.fixture(params=PATHS)
def path(request, world) -> WritePath:
    return DRIVERS[request.param](world)


# Names and descriptions


def test_renaming_in_each_language_moves_the_product_from_the_old_words_to_the_new(world, path):
    """Chinese, then English, then Uyghur: after each rename the new name (and its pinyin or Uyghur Latin form)
    finds the product, the old one no longer does, and the names not renamed still do."""
    assert "zorblat" in found(ZH) and "zorblat" in found("zuobulaxing")

    path.saved(path.edit(world.product, name_zh=ZH_NEW))
    assert "zorblat" in found(ZH_NEW) and "zorblat" in found("mofeitao")
    assert "zorblat" not in found(ZH) and "zorblat" not in found("zuobulaxing")
    assert "zorblat" in found("zorblat") and "zorblat" in found(UG)

    path.saved(path.edit(world.product, name_en=EN_NEW))
    assert found("quintrel") == ["zorblat"]
    assert found("zorblat") == ["zorblat-figs"]
    assert "zorblat" in found(ZH_NEW) and "zorblat" in found(UG)

    path.saved(path.edit(world.product, name_ug=UG_NEW))
    assert found(UG_NEW) == ["zorblat"] and found("bolqadir") == ["zorblat"]
    assert found(UG) == [] and found("termuzek") == []
    assert "zorblat" in found(ZH_NEW) and found("quintrel") == ["zorblat"]
    assert (world.refreshed().name_zh, world.refreshed().name_en, world.refreshed().name_ug) == (ZH_NEW, EN_NEW, UG_NEW)


def test_a_new_description_is_searched_and_the_old_one_no_longer(world, path):
    assert found("glimmerstone") == ["zorblat"]

    path.saved(path.edit(world.product, description_en=DESCRIPTION_NEW))

    assert found("brackenfold") == ["zorblat"]
    assert found("glimmerstone") == []
    assert set(found("zorblat")) == {"zorblat", "zorblat-figs"}


# Variants: the order by price, the card's lowest price and the price filters


def test_the_order_by_price_the_cards_price_and_the_price_filters_follow_the_variants(world, path):
    def by_price(**filters: Any) -> list[tuple[str, Decimal | None]]:
        return results("zorblat", sort="price_asc", **filters)

    assert by_price() == [("zorblat-figs", Decimal("40.00")), ("zorblat", Decimal("50.00"))]

    # A cheaper price.
    path.saved(path.set_price(world.variant, "30.00"))
    assert by_price() == [("zorblat", Decimal("30.00")), ("zorblat-figs", Decimal("40.00"))]
    assert results("zorblat", sort="price_desc") == [("zorblat-figs", Decimal("40.00")), ("zorblat", Decimal("30.00"))]
    assert found("zorblat", max_price=Decimal("35")) == ["zorblat"]
    assert found("zorblat", min_price=Decimal("35")) == ["zorblat-figs"]

    # A new, cheaper variant.
    path.saved(path.add_variant(world.product, sku="ZORBLAT-SMALL", price="25.00"))
    small = Variant.objects.get(sku="ZORBLAT-SMALL")
    assert by_price() == [("zorblat", Decimal("25.00")), ("zorblat-figs", Decimal("40.00"))]
    assert found("zorblat", max_price=Decimal("27")) == ["zorblat"]
    assert found("zorblat", min_price=Decimal("26"), max_price=Decimal("35")) == []

    # The cheaper variant off sale: the other's price counts again.
    path.saved(path.take_off_sale(small))
    assert by_price() == [("zorblat", Decimal("30.00")), ("zorblat-figs", Decimal("40.00"))]
    assert found("zorblat", max_price=Decimal("27")) == []
    assert found("zorblat", min_price=Decimal("26"), max_price=Decimal("35")) == ["zorblat"]

    # A dearer price: the neighbour comes first again.
    path.saved(path.set_price(world.variant, "45.00"))
    assert by_price() == [("zorblat-figs", Decimal("40.00")), ("zorblat", Decimal("45.00"))]
    assert found("zorblat", min_price=Decimal("42")) == ["zorblat"]
    assert found("zorblat", max_price=Decimal("42")) == ["zorblat-figs"]
    assert world.refreshed().lowest_price == Decimal("45.00")
    assert ProductSearch.objects.get(product=world.product).lowest_price == Decimal("45.00")


# Status and category


def test_archiving_takes_the_product_out_of_search_and_publishing_brings_it_back(world, path):
    assert "zorblat" in found(ZH)

    path.saved(path.archive(world.product))
    assert world.refreshed().status == Product.Status.ARCHIVED
    assert ProductSearch.objects.get(product=world.product).is_active is False
    assert found(ZH) == [] and found("zorblat") == ["zorblat-figs"] and found(UG) == []

    path.saved(path.publish(world.product))
    assert world.refreshed().status == Product.Status.ACTIVE
    assert ProductSearch.objects.get(product=world.product).is_active is True
    assert found(ZH) == ["zorblat"] and found(UG) == ["zorblat"]
    assert set(found("zorblat")) == {"zorblat", "zorblat-figs"}


def test_the_category_filter_of_a_search_follows_a_change_of_category(world, path):
    assert found("zorblat", category="dried-fruit") == []
    assert set(found("zorblat", category="fresh-fruit")) == {"zorblat", "zorblat-figs"}

    path.saved(path.edit(world.product, category="dried-fruit"))

    assert found("zorblat", category="dried-fruit") == ["zorblat"]
    assert found("zorblat", category="fresh-fruit") == ["zorblat-figs"]
    assert world.refreshed().category.slug == "dried-fruit"
    assert ProductSearch.objects.get(product=world.product).category.slug == "dried-fruit"


# A new product


def test_a_product_created_and_published_is_found_by_each_of_its_names_and_its_price(world, path):
    product = path.create_on_sale(
        price="12.50",
        category="dried-fruit",
        name_zh=ZH_NEW,
        name_ug=UG_NEW,
        name_en=EN_NEW,
        description_en=DESCRIPTION_NEW,
    )

    for q in (ZH_NEW, "mofeitao", UG_NEW, "bolqadir", "quintrel", "brackenfold"):
        assert found(q) == [product.slug], q
    assert results("apricots", sort="price_asc") == [(product.slug, Decimal("12.50")), ("zorblat", Decimal("50.00"))]
    assert found("quintrel", category="dried-fruit") == [product.slug]
    assert found("quintrel", category="fresh-fruit") == []


# Bad input changes nothing


def test_removing_every_name_is_refused_and_changes_neither_the_product_nor_what_search_finds(world, path):
    before = snapshot()

    path.refused(path.edit(world.product, name_zh="", name_ug="", name_en=""))

    assert snapshot() == before
    assert found(ZH) == ["zorblat"] and found(UG) == ["zorblat"]
    assert set(found("zorblat")) == {"zorblat", "zorblat-figs"}


def test_a_rename_sent_with_bad_input_is_refused_whole_and_search_keeps_the_old_name(world, path):
    before = snapshot()

    path.refused(path.rename_refused_with_bad_input(world.product, name_en=EN_NEW))

    assert snapshot() == before
    assert found("quintrel") == []
    assert set(found("zorblat")) == {"zorblat", "zorblat-figs"}


@pytest.mark.parametrize("price", ["-5.00", "0"])
def test_a_price_of_zero_or_less_is_refused_and_changes_neither_the_variant_nor_the_order_by_price(world, path, price):
    before = snapshot()

    path.refused(path.set_price(world.variant, price))
    path.refused(path.add_variant(world.product, sku="ZORBLAT-FREE", price=price))

    assert snapshot() == before
    assert results("zorblat", sort="price_asc") == [("zorblat-figs", Decimal("40.00")), ("zorblat", Decimal("50.00"))]
    assert found("zorblat", max_price=Decimal("45")) == ["zorblat-figs"]


# Rebuilding the search rows


def damage_search_rows(world: World) -> None:
    """Wipe the product's search words, description words and prices, and delete its neighbour's search row."""
    empty = Cast(Value(""), output_field=SearchVectorField())
    ProductSearch.objects.filter(product=world.product).update(words=empty, description_words=empty)
    Product.objects.filter(pk=world.product.pk).update(lowest_price=None)
    ProductSearch.objects.filter(product=world.product).update(lowest_price=None)
    ProductSearch.objects.filter(product=world.neighbour).delete()


def test_search_rebuild_rewrites_damaged_and_missing_search_rows(world, uncached_pages):
    """``manage.py search_rebuild`` writes every product's search row anew: one whose words, description and
    prices were wiped is found again, at its price; one whose row is gone gets it back.

    Pages are not cached here: the command leaves the copies cached before it to expire
    (``test_search_rebuild_marks_cached_pages_stale``).
    """
    damage_search_rows(world)
    assert found(ZH) == [] and found("glimmerstone") == [] and found("zorblat") == []

    call_command("search_rebuild", stdout=io.StringIO())

    assert found(ZH) == ["zorblat"] and found(UG) == ["zorblat"] and found("glimmerstone") == ["zorblat"]
    assert results("zorblat", sort="price_asc") == [("zorblat-figs", Decimal("40.00")), ("zorblat", Decimal("50.00"))]
    assert ProductSearch.objects.count() == Product.objects.count()


def test_search_rebuild_marks_cached_pages_stale(world):
    damage_search_rows(world)
    assert found(ZH) == []  # the storefront's page and the API's answer are cached from here

    call_command("search_rebuild", stdout=io.StringIO())

    assert found(ZH) == ["zorblat"]


# Concepts


def test_tagging_a_uyghur_only_product_with_a_concept_makes_it_found_by_the_concepts_chinese_name(
    world, path, skyberry
):
    """Untagging it takes it out again; its own name finds it throughout."""
    path.saved(path.edit(world.product, name_zh="", name_en="", name_ug=NAMED_IN_UYGHUR))
    assert found(SKYBERRY) == [] and found("jimei") == []
    assert found(NAMED_IN_UYGHUR) == ["zorblat"]

    path.saved(path.edit(world.product, concepts=["skyberry"]))
    assert sorted(world.product.concepts.values_list("slug", flat=True)) == ["skyberry"]
    assert found(SKYBERRY) == ["zorblat"] and found("jimei") == ["zorblat"] and found("skyberry") == ["zorblat"]

    # A change of something else keeps the concept, and search with it.
    path.saved(path.edit(world.product, description_en=DESCRIPTION_NEW))
    assert found(SKYBERRY) == ["zorblat"] and found("brackenfold") == ["zorblat"]

    path.saved(path.edit(world.product, concepts=[]))
    assert not world.product.concepts.exists()
    assert found(SKYBERRY) == [] and found("jimei") == []
    assert found(NAMED_IN_UYGHUR) == ["zorblat"]


def test_a_product_created_with_a_concept_is_found_by_it(world, path, skyberry):
    product = path.create_on_sale(price="18.00", category="fresh-fruit", name_ug=NAMED_IN_UYGHUR, concepts=["skyberry"])
    assert found(SKYBERRY) == [product.slug]
    assert found(NAMED_IN_UYGHUR) == [product.slug]


def test_an_unknown_concept_is_refused_and_changes_neither_the_product_nor_what_search_finds(world, path, skyberry):
    path.saved(path.edit(world.product, concepts=["skyberry"]))
    before = snapshot()

    path.refused(path.tag_with_unknown_concept(world.product, known=skyberry, name_en=EN_NEW))

    assert snapshot() == before
    assert found(SKYBERRY) == ["zorblat"] and found("quintrel") == []
