import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product
from live.models import LiveSession
from tests.factories import (
    LiveSessionFactory,
    LiveSessionItemFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
    VillageFactory,
)


@pytest.mark.django_db
def test_home_lists_active_products_in_season_and_hides_the_rest(client):
    """The home page shows what is harvested this month, from verified producers only."""
    in_season = ProductFactory(name_en="Seedless grapes", harvest_start_month=1, harvest_end_month=12)
    VariantFactory(product=in_season, price="59.00")
    ProductFactory(name_en="Draft walnuts", status=Product.Status.DRAFT)
    ProductFactory(name_en="Unverified jam", producer__is_verified=False, producer__verified_at=None)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Seedless grapes" in body
    assert "¥59.00" in body
    assert "Draft walnuts" not in body
    assert "Unverified jam" not in body


@pytest.mark.django_db
def test_home_leaves_out_products_out_of_season(client, monkeypatch):
    """A product harvested in August is not "in season" in January; a window wrapping the new year is."""
    from catalog import selectors

    ProductFactory(name_en="Summer melon", harvest_start_month=7, harvest_end_month=9)
    ProductFactory(name_en="Winter jujube", harvest_start_month=11, harvest_end_month=2)

    shown = {p.name_en for p in selectors.products_in_season(month=1)}

    assert shown == {"Winter jujube"}


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_products(client, uncached_pages):
    """The home page runs the same queries for 3 products, live items and villages as for 24."""
    session = LiveSessionFactory(status=LiveSession.Status.LIVE)

    def make(n):
        for _ in range(n):
            product = ProductFactory()
            variant = VariantFactory(product=product)
            ProductImageFactory(product=product)
            LiveSessionItemFactory(session=session, variant=variant)
        VillageFactory.create_batch(n // 3, is_featured=True)

    make(3)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("home"))
    make(21)
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card"') == 24
    assert response.content.decode().count('class="home-live-item"') == 24
    assert len(twenty_four) == len(three), [q["sql"] for q in twenty_four.captured_queries]


@pytest.mark.django_db
def test_home_shows_sessions_live_now_with_flash_prices_and_what_is_left(client):
    """Each live session links to its page and shows its items' flash price and remaining quantity."""
    live = LiveSessionFactory(status=LiveSession.Status.LIVE, name_en="Turpan grape harvest live", slug="turpan-live")
    variant = VariantFactory(product__name_en="Seedless grapes", price="59.00")
    LiveSessionItemFactory(session=live, variant=variant, flash_price="39.90", quantity_cap=100, quantity_sold=88)
    LiveSessionItemFactory(session=live, variant__product__name_en="Archived jam", variant__product__status="archived")
    LiveSessionFactory(status=LiveSession.Status.SCHEDULED, name_en="Tomorrow show")

    body = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert "Live now" in body
    assert "Turpan grape harvest live" in body
    assert 'href="/live/turpan-live/"' in body
    assert "¥39.90" in body
    assert "<del>¥59.00</del>" in body
    assert "12 left at this price" in body
    assert "Tomorrow show" not in body
    assert "Archived jam" not in body


@pytest.mark.django_db
def test_home_without_live_sessions_leaves_the_section_out(client):
    body = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert "Live now" not in body


@pytest.mark.django_db
def test_home_features_villages_with_their_photo(client):
    VillageFactory(name_en="Tuyoq", slug="tuyoq", is_featured=True, photo="villages/tuyoq.jpg")
    VillageFactory(name_en="Quiet hamlet", is_featured=False)

    body = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()

    assert "Villages" in body
    assert 'href="/villages/tuyoq/"' in body
    # The photo stands beside the village's name inside the same link: empty alt, so the name is read once.
    assert re.search(r'<img src="/media/villages/tuyoq\.jpg" alt="" width="\d+" height="\d+"', body)
    assert "Quiet hamlet" not in body


@pytest.mark.django_db
def test_product_page_shows_variants_and_hides_drafts(client):
    product = ProductFactory(name_en="Hami melon", slug="hami-melon")
    VariantFactory(product=product, name_en="One melon, 3 kg", price="38.00", stock=3)
    draft = ProductFactory(slug="draft-one", status=Product.Status.DRAFT)

    response = client.get(product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()

    assert response.status_code == 200
    assert "One melon, 3 kg" in body
    assert "¥38.00" in body
    assert "Only 3 left" in body
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "lang", "direction", "name"),
    [
        ("zh-CN", "zh-Hans", "ltr", "无核白葡萄"),
        ("ug", "ug", "rtl", "ئۇرۇقسىز ئاق ئۈزۈم"),
        ("en", "en", "ltr", "Seedless"),
    ],
)
def test_home_speaks_the_shoppers_language(client, accept_language, lang, direction, name):
    """Chinese by default, Uyghur right to left, English; product names follow the language."""
    ProductFactory(name_zh="无核白葡萄", name_ug="ئۇرۇقسىز ئاق ئۈزۈم", name_en="Seedless white grapes")

    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert f'<html lang="{lang}" dir="{direction}">' in body
    assert name in body


@pytest.mark.django_db
def test_a_product_without_an_english_name_falls_back_to_its_original():
    product = ProductFactory(name_zh="玫瑰花酱", name_ug="", name_en="", original_language="zh")

    from django.utils import translation

    with translation.override("en"):
        assert product.name == "玫瑰花酱"
    with translation.override("ug"):
        assert product.name == "玫瑰花酱"
