"""Reviews as shoppers see them: masked authors everywhere, a photo in a review, units sold and the average rating."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from catalog import selectors
from catalog.models import Review, Variant
from catalog.services import review_add
from catalog.templatetags.sales import compact_number, units_sold
from marketplace.privacy import display_name, masked_display_name, masked_name
from orders.models import Order
from orders.services import Contact, Delivery, LineRequest, order_cancel, order_expire, order_place
from tests import photo_files
from tests.api import COUNTED
from tests.catalog.test_image_uploads import jpeg_with_gps
from tests.catalog.test_views import EN, deliver, review_url, signed_in
from tests.factories import DepotFactory, ProductFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    product = ProductFactory(name_en="Seedless grapes", slug="seedless-grapes")
    VariantFactory(product=product, name_en="2.5 kg box", price=Decimal("59.00"), stock=40)
    return product


@pytest.fixture
def buyer(product):
    user = UserFactory(username="buyer")
    deliver(user, product)
    return user


# Full names and usernames that must never reach a page or an answer of the API.
WANG = {"username": "wangxm88", "last_name": "王", "first_name": "小明"}
AYSHE = {"username": "ayshe-t", "first_name": "ئايشە", "last_name": "تۇرسۇن"}
MEHMET = {"username": "mehmet77", "first_name": "Mehmet", "last_name": "Tursun"}
SECRETS = ("王小明", "小明", "wangxm88", "ئايشە", "تۇرسۇن", "ayshe-t", "Mehmet", "Tursun", "mehmet77")


def upload(data: bytes, name: str = "grapes.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def reviewed_by(product, user_fields: dict, rating: int = 5, body: str = "很甜") -> Review:
    return Review.objects.create(product=product, author=UserFactory(**user_fields), rating=rating, body=body)


# Masking names


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*"),
        ("欧阳娜娜", "欧*"),
        ("ئايشە", "ئ***"),
        ("Ayşe Tursun", "A***"),
        ("Al", "A***"),
        ("王", "*"),
        ("A", "*"),
        ("e\u0301lise", "e\u0301***"),  # the accent stays with its letter: one character as a reader sees it
        ("e\u0301", "*"),
        ("   ", "***"),
        ("", "***"),
    ],
)
def test_a_masked_name_keeps_only_its_first_character(name, masked):
    assert masked_name(name) == masked


@pytest.mark.parametrize(
    ("fields", "shown", "masked"),
    [
        (WANG, "王小明", "王*"),
        (AYSHE, "ئايشە تۇرسۇن", "ئ***"),
        (MEHMET, "Mehmet Tursun", "M***"),
        ({"username": "gulnar", "first_name": "", "last_name": ""}, "gulnar", "g***"),
        ({"username": "x1", "first_name": "芳", "last_name": ""}, "芳", "*"),
    ],
)
def test_a_reviewer_is_named_by_family_name_first_in_chinese_and_shown_masked(fields, shown, masked):
    user = UserFactory.build(**fields)
    assert display_name(user) == shown
    assert masked_display_name(user) == masked


def test_the_product_page_shows_reviewers_masked_never_their_names_or_usernames(client, product):
    for fields in (WANG, AYSHE, MEHMET):
        reviewed_by(product, fields)

    for language in ("zh-hans", "ug", "en"):
        page = client.get(product.get_absolute_url(), headers={"accept-language": language}).content.decode()
        authors = re.findall(r'<span class="review-author" dir="auto">([^<]*)</span>', page)
        assert sorted(authors) == sorted(["王*", "ئ***", "M***"])
        for secret in SECRETS:
            assert secret not in page, (language, secret)


def test_the_api_lists_a_products_reviews_with_masked_authors_and_no_name_anywhere(client, product):
    reviewed_by(product, WANG, rating=4, body="Sweet")
    reviewed_by(product, AYSHE, rating=2, body="Small")
    Review.objects.create(product=product, author=UserFactory(**MEHMET), rating=1, body="Hidden", is_visible=False)
    url = reverse("api-product-review-list", kwargs={"slug": product.slug})

    response = client.get(url)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["author"], row["rating"], row["body"], row["photo"]) for row in rows] == [
        ("ئ***", 2, "Small", None),
        ("王*", 4, "Sweet", None),
    ]
    answers = [response, client.get(reverse("api-product-detail", kwargs={"slug": product.slug}))]
    answers.append(client.get(reverse("api-product-list")))
    for answer in answers:
        text = answer.content.decode()
        for secret in SECRETS:
            assert secret not in text


def test_the_reviews_of_an_unknown_or_draft_product_answer_404(client):
    draft = ProductFactory(status="draft", published_at=None)
    for slug in ("no-such-product", draft.slug):
        response = client.get(reverse("api-product-review-list", kwargs={"slug": slug}))
        assert response.status_code == 404


@pytest.mark.parametrize("rows", [3, 20])
def test_the_reviews_list_runs_three_queries_whatever_its_length(client, product, rows, django_assert_num_queries):
    """The product, the count, the page with its authors."""
    for _index in range(rows):
        Review.objects.create(product=product, author=UserFactory(first_name="Gulnar"), rating=5)
    with django_assert_num_queries(3 + COUNTED):
        response = client.get(reverse("api-product-review-list", kwargs={"slug": product.slug}))
    assert len(response.json()["results"]) == rows


# A photo in a review


def test_a_buyer_posts_a_review_with_a_photo_shown_small_with_its_size(product, buyer, media_in_tmp):
    client = signed_in(buyer)
    response = client.post(
        review_url(product),
        {"rating": "5", "body": "Look at them", "photo": upload(jpeg_with_gps((1200, 900)))},
        headers=EN,
        follow=True,
    )

    assert response.status_code == 200
    review = Review.objects.get()
    assert review.photo.name.startswith("reviews/") and review.photo.name.endswith(".jpg")
    assert (review.photo_width, review.photo_height) == (480, 360)
    with Image.open(review.photo.path) as stored:
        assert stored.size == (1200, 900) and not stored.getexif()  # no GPS, no camera data
    page = response.content.decode()
    img = re.search(r'<a class="review-photo" href="([^"]+)"><img ([^>]+)>', page)
    assert img[1] == review.photo.url
    assert f'src="{review.photo_thumbnail.url}"' in img[2]
    assert 'width="480" height="360"' in img[2]
    assert 'alt="Photo by b***"' in img[2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a photo at all", "The file is not a readable image. Upload a JPEG, PNG or WebP photo."),
        (photo_files.png_with_damaged_pixels(), "The file is not a readable image."),  # sound headers
    ],
)
def test_a_review_with_a_bad_photo_shows_the_error_keeps_the_text_and_saves_nothing(
    product, buyer, media_in_tmp, data, message
):
    response = signed_in(buyer).post(
        review_url(product), {"rating": "4", "body": "Kept text", "photo": upload(data)}, headers=EN
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Kept text" in page
    assert not Review.objects.exists()
    assert not (media_in_tmp / "reviews").exists()


def test_staff_see_a_reviews_photo_in_the_admin_before_hiding_it(product, buyer, admin_client):
    review = review_add(product=product, author=buyer, rating=1, photo=jpeg_with_gps((800, 600)))

    page = admin_client.get(reverse("admin:catalog_review_change", args=[review.pk])).content.decode()

    assert f'<a href="{review.photo.url}"><img src="{review.photo_thumbnail.url}"' in page


def test_review_add_refuses_a_photo_it_cannot_decode_and_writes_nothing(product, buyer, media_in_tmp):
    with pytest.raises(ValidationError) as refused:
        review_add(product=product, author=buyer, rating=5, photo=photo_files.png_with_damaged_pixels())
    assert "photo" in refused.value.message_dict
    assert not Review.objects.exists()
    assert not (media_in_tmp / "reviews").exists()


# Units sold and the average rating


def sell(variant, quantity: int, *, payment: str = "cod") -> list[Order]:
    """Orders of ``quantity`` units of ``variant`` placed through checkout, at most 999 a line as it allows."""
    depot = DepotFactory()
    orders = []
    while quantity > 0:
        line = min(quantity, 999)
        orders.append(
            order_place(
                shopper=None,
                contact=Contact(name="买家", phone="13800138000"),
                lines=[LineRequest(variant_id=variant.pk, quantity=line)],
                delivery=Delivery(method="pickup", depot_slug=depot.slug),
                payment_method=payment,
            )
        )
        quantity -= line
    return orders


def sold(product) -> tuple[int, int]:
    return selectors.product_cards().get(pk=product.pk).units_sold, selectors.product_detail(
        slug=product.slug
    ).units_sold


def test_units_sold_count_placed_orders_and_not_those_cancelled_or_expired(product):
    first = product.variants.get()
    second = VariantFactory(product=product, stock=50)
    sell(first, 3)
    sell(second, 2, payment="online")  # awaiting payment: the units are held for the buyer
    (cancelled,) = sell(first, 4)
    (unpaid,) = sell(first, 5, payment="online")
    sell(VariantFactory(stock=90), 50)  # another product's
    assert sold(product) == (14, 14)

    order_cancel(order=cancelled, actor=None)
    order_expire(order_id=unpaid.pk, now=unpaid.expires_at + timedelta(seconds=1))
    Variant.objects.filter(pk=second.pk).update(is_active=False)  # off sale now: what it sold still counts

    assert sold(product) == (5, 5)
    assert Variant.objects.get(pk=first.pk).stock == 40 - 3  # the cancelled and expired units came back


def test_cards_and_the_product_page_show_rating_and_units_sold(client, product):
    grapes = product.variants.get()
    grapes.stock = 20_000
    grapes.save()
    sell(grapes, 12_345)
    reviewed_by(product, WANG, rating=5)
    reviewed_by(product, AYSHE, rating=4)
    reviewed_by(product, MEHMET, rating=4)
    Review.objects.create(product=product, author=UserFactory(), rating=1, is_visible=False)
    unrated = ProductFactory(name_en="Raisins")
    VariantFactory(product=unrated)

    listing = client.get(reverse("product-list"), headers=EN).content.decode()
    card = re.search(r'<li class="card">(?:(?!</li>).)*Seedless grapes.*?</li>', listing, re.S)[0]
    assert 'role="img" aria-label="4.3 out of 5, 3 reviews"' in card
    assert "12.3k sold" in card
    other = re.search(r'<li class="card">(?:(?!</li>).)*Raisins.*?</li>', listing, re.S)[0]
    assert "card-stats" not in other  # nothing sold, nothing rated: no empty line

    chinese = client.get(reverse("product-list"), headers={"accept-language": "zh-hans"}).content.decode()
    assert "已售 1.2万" in chinese
    page = client.get(product.get_absolute_url(), headers={"accept-language": "ug"}).content.decode()
    assert re.search(r'<span class="units-sold">[^<]*12\.3 مىڭ[^<]*</span>', page)

    api = client.get(reverse("api-product-list")).json()["results"]
    assert {row["slug"]: (row["units_sold"], row["review_count"], row["rating_average"]) for row in api} == {
        product.slug: (12_345, 3, pytest.approx(13 / 3)),
        unrated.slug: (0, 0, None),
    }
    assert client.get(reverse("api-product-detail", kwargs={"slug": product.slug})).json()["units_sold"] == 12_345


@pytest.mark.parametrize(
    ("number", "zh", "ug", "en"),
    [
        (0, "0", "0", "0"),
        (999, "999", "999", "999"),
        (1_000, "1000", "1 مىڭ", "1k"),
        (9_999, "9999", "9.9 مىڭ", "9.9k"),
        (12_345, "1.2万", "12.3 مىڭ", "12.3k"),
        (19_999, "1.9万", "19.9 مىڭ", "19.9k"),
        (100_000, "10万", "100 مىڭ", "100k"),
        (2_500_000, "250万", "2.5 مىليون", "2.5M"),
        (310_000_000, "3.1亿", "310 مىليون", "310M"),
    ],
)
def test_counts_are_compact_as_each_language_writes_them(number, zh, ug, en):
    assert (compact_number(number, "zh"), compact_number(number, "ug"), compact_number(number, "en")) == (zh, ug, en)


def test_units_sold_reads_in_each_language():
    with translation.override("zh-hans"):
        assert units_sold(12_345) == "已售 1.2万"
    with translation.override("en"):
        assert units_sold(1_234) == "1.2k sold"
    with translation.override("ug"):
        assert units_sold(1_234) == "1.2 مىڭ سېتىلدى"
