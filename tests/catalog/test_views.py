"""The product page: photos, sizes and stock, escaping, add to cart, and reviews by buyers only."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog.models import Review
from catalog.services import product_image_add, review_add
from orders.models import CartLine, Fulfilment
from tests.factories import (
    FulfilmentFactory,
    OrderLineFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def jpeg(size=(120, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (150, 60, 110)).save(buffer, format="JPEG")
    return buffer.getvalue()


def deliver(user, product, status=Fulfilment.Status.DELIVERED):
    """``user`` ordered ``product``; its parcel is now in ``status``."""
    variant = product.variants.first() or VariantFactory(product=product)
    parcel = FulfilmentFactory(order__shopper=user, producer=product.producer, status=status, tracking_number="SF1")
    return OrderLineFactory(fulfilment=parcel, variant=variant)


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


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def review_url(product) -> str:
    return reverse("product-review", kwargs={"slug": product.slug})


# Photos


def test_the_gallery_shows_every_photo_with_size_thumbnails_and_lazy_loading_after_the_first(client, product):
    for n in range(3):
        product_image_add(product=product, data=jpeg((1200, 900)), alt_text=f"Bunch {n}", actor=None)

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()
    main = re.search(r'<ul class="gallery-main".*?</ul>', body, re.S)[0]
    photos = re.findall(r"<img [^>]+>", main)

    assert len(photos) == 3
    assert "loading=" not in photos[0]
    assert all('loading="lazy"' in photo for photo in photos[1:])
    for n, photo in enumerate(photos):
        assert f'alt="Bunch {n}"' in photo
        assert re.search(r'srcset="\S+-thumb\.jpg 480w, \S+\.jpg 1200w"', photo)
        assert 'width="480" height="360"' in photo
    thumbs = re.search(r'<ul class="gallery-thumbs">.*?</ul>', body, re.S)[0]
    assert [f"#photo-{n}" for n in (1, 2, 3)] == re.findall(r'href="(#photo-\d)"', thumbs)
    assert 'alt="Photo 2"' in thumbs


def test_a_photo_without_alt_text_is_described_by_the_product_name(client, product):
    ProductImageFactory(product=product, alt_text="")

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert 'alt="Seedless grapes"' in body


def test_a_card_photo_beside_the_name_in_the_same_link_has_empty_alt(client, product):
    VariantFactory(product=product)
    ProductImageFactory(product=product, alt_text="A box of grapes")

    body = client.get(reverse("product-list"), headers=EN).content.decode()
    link = re.search(rf'<a href="{product.get_absolute_url()}">.*?</a>', body, re.S)[0]

    assert re.search(r'<img [^>]*alt=""', link)
    assert "Seedless grapes" in link  # the name, read once
    assert "A box of grapes" not in body


# Sizes, stock and the cart


def test_sizes_show_price_and_stock_and_sold_out_ones_cannot_be_chosen(client, product):
    VariantFactory(product=product, name_en="5 kg box", price=Decimal("99.00"), stock=3)
    sold_out = VariantFactory(product=product, name_en="10 kg box", price=Decimal("180.00"), stock=0)
    VariantFactory(product=product, name_en="Retired box", is_active=False)

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert "¥59.00" in body
    assert "In stock" in body
    assert "Only 3 left" in body
    assert "Sold out" in body
    assert "Retired box" not in body
    assert re.search(rf'<input type="radio" name="variant" value="{sold_out.pk}" disabled', body)
    assert len(re.findall(r'name="variant" value="\d+" checked', body)) == 1


def test_the_add_to_cart_form_posts_a_size_and_a_quantity_with_a_csrf_token(client, product):
    body = client.get(product.get_absolute_url(), headers=EN).content.decode()
    form = re.search(r'<form class="buy" method="post" action="([^"]+)">(.*?)</form>', body, re.S)

    assert form[1] == reverse("cart-add")
    assert 'name="csrfmiddlewaretoken"' in form[2]
    assert 'name="variant"' in form[2]
    assert re.search(r'<input id="quantity" type="number" name="quantity" value="1" min="1" max="999"', form[2])
    assert '<label for="quantity">' in form[2]


def test_the_add_to_cart_form_fields_are_the_ones_the_cart_takes(client, product):
    variant = product.variants.get()

    response = client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": "2"})

    assert response.status_code == 302
    assert CartLine.objects.get().variant == variant
    assert CartLine.objects.get().quantity == 2


def test_when_every_size_is_sold_out_there_is_no_add_button(client):
    product = ProductFactory()
    VariantFactory(product=product, stock=0)

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert "Add to cart" not in body
    assert "Sold out for now" in body


def test_harvest_perishable_producer_village_and_category_are_shown_with_links(client):
    product = ProductFactory(
        name_en="Hami melon",
        is_perishable=True,
        harvest_start_month=7,
        harvest_end_month=9,
        producer__name_en="Melon Cooperative",
        producer__description_en="Three generations of melon growers.",
    )
    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert "July to September" in body
    assert "cold chain" in body
    assert "Three generations of melon growers." in body
    assert f'href="{reverse("producer-detail", args=[product.producer.slug])}"' in body
    assert f'href="{reverse("village-detail", args=[product.producer.village.slug])}"' in body
    assert f'href="{reverse("product-list")}?category=fresh-fruit"' in body


def test_a_product_harvested_this_month_says_it_is_in_season(client):
    product = ProductFactory(harvest_start_month=1, harvest_end_month=12)

    assert "In season now" in client.get(product.get_absolute_url(), headers=EN).content.decode()


def test_markup_in_a_description_is_shown_as_text(client):
    product = ProductFactory(description_en='<script>alert("x")</script> Sweet.', name_en="<b>Bold</b> grapes")

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Sweet." in body
    assert '<script>alert("x")' not in body
    assert "<b>Bold</b>" not in body


def test_drafts_and_unknown_products_are_not_found(client):
    draft = ProductFactory(status="draft")

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("product-detail", args=["nope"])).status_code == 404


# Reviews: reading


def test_visible_reviews_are_listed_with_their_average_and_count(client, product):
    Review.objects.create(
        product=product, author=UserFactory(first_name="Gulnar"), rating=5, body="Sweet <i>and</i> fresh"
    )
    Review.objects.create(product=product, author=UserFactory(), rating=4, body="Good")
    Review.objects.create(product=product, author=UserFactory(), rating=1, body="Hidden spam", is_visible=False)

    body = client.get(product.get_absolute_url(), headers=EN).content.decode()

    assert "4.5 out of 5, 2 reviews" in body
    assert "G***" in body and "Gulnar" not in body  # the author's name masked
    assert "Sweet &lt;i&gt;and&lt;/i&gt; fresh" in body
    assert "Hidden spam" not in body
    assert 'aria-label="Rated 5 out of 5"' in body


# Reviews: who may write one


def test_a_buyer_whose_parcel_was_delivered_sees_the_form_and_can_post(product, buyer):
    client = signed_in(buyer)
    page = client.get(product.get_absolute_url(), headers=EN).content.decode()
    assert f'action="{review_url(product)}#reviews"' in page  # refused, the form comes back at the reviews

    response = client.post(review_url(product), {"rating": "4", "body": "Crisp and sweet."}, headers=EN, follow=True)

    review = Review.objects.get()
    assert (review.author, review.product, review.rating, review.body) == (buyer, product, 4, "Crisp and sweet.")
    assert response.redirect_chain == [(product.get_absolute_url() + "#reviews", 302)]
    body = response.content.decode()
    assert "Thank you! Your review is published." in body
    assert "Crisp and sweet." in body
    assert f'action="{review_url(product)}' not in body  # one review per buyer


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("anonymous", "Sign in to review a product you bought."),
        ("stranger", "once a parcel with it has been delivered to you"),
        ("shipped", "once a parcel with it has been delivered to you"),
        ("other_product", "once a parcel with it has been delivered to you"),
        ("reviewed", "You have already reviewed this product."),
    ],
)
def test_anyone_else_sees_no_form_and_their_post_is_refused_with_a_reason(product, who, message):
    user = UserFactory(username=who)
    if who == "shipped":
        deliver(user, product, status=Fulfilment.Status.SHIPPED)
    elif who == "other_product":
        deliver(user, ProductFactory())
    elif who == "reviewed":
        deliver(user, product)
        Review.objects.create(product=product, author=user, rating=5, body="First")
    client = Client() if who == "anonymous" else signed_in(user)

    page = client.get(product.get_absolute_url(), headers=EN).content.decode()
    response = client.post(review_url(product), {"rating": "1", "body": "Second"}, headers=EN, follow=True)

    assert f'action="{review_url(product)}"' not in page
    assert response.redirect_chain == [(product.get_absolute_url() + "#reviews", 302)]
    assert message in response.content.decode()
    assert not Review.objects.filter(body="Second").exists()
    assert Review.objects.count() == (1 if who == "reviewed" else 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "9", "body": "Nice"}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "", "body": "Nice"}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "4", "body": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_buyers_invalid_review_is_shown_again_with_errors_and_nothing_is_written(product, buyer, data, message):
    response = signed_in(buyer).post(review_url(product), data, headers=EN)

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert data["body"] in body  # what they wrote is kept
    assert not Review.objects.exists()


def test_an_ineligible_invalid_post_gets_the_reason_not_the_form_errors(product):
    response = signed_in(UserFactory()).post(review_url(product), {"rating": "9"}, headers=EN, follow=True)

    assert "once a parcel with it has been delivered to you" in response.content.decode()
    assert not Review.objects.exists()


def test_a_review_without_the_csrf_token_is_refused(product, buyer):
    client = signed_in(buyer, enforce_csrf_checks=True)

    response = client.post(review_url(product), {"rating": "5", "body": "Forged"})

    assert response.status_code == 403
    assert not Review.objects.exists()


def test_the_review_url_sends_a_get_back_to_the_reviews(client, product):
    """A refused review is shown again at this address: reloading it goes back to the reviews, never a 405."""
    response = client.get(review_url(product))
    assert (response.status_code, response["Location"]) == (302, product.get_absolute_url() + "#reviews")


def test_review_add_checks_the_rating_the_text_and_the_buyer_again(product, buyer):
    for rating in (0, 6, True, "5", 4.5):
        with pytest.raises(ValidationError, match="rating"):
            review_add(product=product, author=buyer, rating=rating, body="")
    with pytest.raises(ValidationError, match="2000"):
        review_add(product=product, author=buyer, rating=5, body="x" * 2001)
    with pytest.raises(ValidationError, match="delivered"):
        review_add(product=product, author=UserFactory(), rating=5, body="")

    review = review_add(product=product, author=buyer, rating=5, body="  Lovely.  ")

    assert review.body == "Lovely."
    with pytest.raises(ValidationError, match="already reviewed"):
        review_add(product=product, author=buyer, rating=4, body="Again")
    assert Review.objects.count() == 1


# Queries


def test_the_product_page_runs_the_same_queries_with_3_and_with_24_photos_sizes_and_reviews(product, uncached_pages):
    viewer = UserFactory(username="viewer")
    deliver(viewer, product)
    client = signed_in(viewer)

    def add(n):
        for i in range(n):
            ProductImageFactory(product=product)
            VariantFactory(product=product, stock=i % 7)
            Review.objects.create(product=product, author=UserFactory(), rating=1 + i % 5, body="Fine")

    add(3)
    with CaptureQueriesContext(connection) as three:
        client.get(product.get_absolute_url())
    add(21)
    with CaptureQueriesContext(connection) as twenty_four:
        response = client.get(product.get_absolute_url())

    assert response.content.decode().count('type="radio" name="variant"') == 25
    assert len(twenty_four) == len(three), [q["sql"] for q in twenty_four.captured_queries]
