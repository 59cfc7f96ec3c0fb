"""A product photo comes in WebP renditions of two or three widths beside its JPEG, and pages offer them.

The worker makes them with the photo (``marketplace.images.webp_renditions``): 240, 480 and 960 pixels wide,
never wider than the photo. A page shows them in a ``<picture>``'s WebP ``<source>``, the JPEG thumbnail and
photo as the ``<img>`` any browser shows, with the width and height that keep the page from jumping. A photo
stored before renditions were made shows its JPEG alone until the sweep (``process_stale_photos``) makes them.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from catalog import services
from catalog.models import ProductImage
from demo import images as demo_images
from live import services as live_services
from producers.models import Producer
from tests import photo_files
from tests.catalog.test_photo_processing import upload
from tests.factories import LiveSessionFactory, ProducerFactory, ProductFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(roles):
    product = ProductFactory(producer=roles.producer, slug="seedless-grapes", name_en="Seedless grapes")
    VariantFactory(product=product)
    return product


def decoded(image: ProductImage) -> list[tuple[str, int, int]]:
    """Each rendition's file as Pillow decodes it: format and size, in the order the photo lists them."""
    return decoded_renditions(image.image, image.renditions)


def decoded_renditions(photo, renditions: list[dict]) -> list[tuple[str, int, int]]:
    storage = photo.storage
    found = []
    for item in renditions:
        with storage.open(item["name"], "rb") as file:
            picture = Image.open(io.BytesIO(file.read()))
            picture.load()  # every pixel really decodes
        found.append((picture.format, *picture.size))
    return found


def photo_markup(client, product) -> str:
    """The product page's first photo: its <picture> (or bare <img>), entities decoded."""
    page = client.get(reverse("product-detail", kwargs={"slug": product.slug})).content.decode()
    main = page.split('class="gallery-main"', 1)[1]
    match = re.search(r"<picture>.*?</picture>|<img [^>]*>", main, re.S)
    assert match, "no photo on the product page"
    return html.unescape(match[0])


def test_the_worker_makes_webp_renditions_at_three_widths_and_the_page_offers_them_before_the_jpeg(roles, shop):
    upload(roles.client("member"), shop, photo_files.jpeg(2000, 1500))
    image = ProductImage.all_objects.get()

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.product_image_process(image_id=image.pk, actor=None) == "ready"

    image.refresh_from_db()
    assert [(item["width"], item["height"]) for item in image.renditions] == [(240, 180), (480, 360), (960, 720)]
    assert decoded(image) == [("WEBP", 240, 180), ("WEBP", 480, 360), ("WEBP", 960, 720)]
    markup = photo_markup(roles.client("anonymous"), shop)
    urls = [image.image.storage.url(item["name"]) for item in image.renditions]
    source = f'<source type="image/webp" srcset="{urls[0]} 240w, {urls[1]} 480w, {urls[2]} 960w"'
    assert markup.startswith("<picture>" + source)
    # The JPEG fallback, sized so the page keeps the photo's place while it loads; the first photo is not lazy.
    img = re.search(r"<img [^>]*>", markup)[0]
    assert f'src="{image.thumbnail.url}"' in img
    assert f'srcset="{image.thumbnail.url} 480w, {image.image.url} 1600w"' in img
    assert 'width="480" height="360"' in img
    assert "loading=" not in img and 'fetchpriority="high"' in img


def test_a_small_photo_is_never_enlarged_and_a_portrait_keeps_its_shape(shop):
    small = services.product_image_add(product=shop, data=photo_files.jpeg(300, 200), actor=None)
    portrait = services.product_image_add(product=shop, data=photo_files.jpeg(900, 1200), actor=None)

    assert decoded(small) == [("WEBP", 240, 160), ("WEBP", 300, 200)]
    assert decoded(portrait) == [("WEBP", 240, 320), ("WEBP", 480, 640), ("WEBP", 900, 1200)]


def test_a_rendition_is_lighter_than_the_jpeg_a_phone_would_get_instead(shop):
    """On a phone a card is about 180 CSS pixels wide: the 240 px WebP rather than the 480 px JPEG thumbnail."""
    data = demo_images.product_photo(picture="grapes", seed=7)  # a drawn photo, as the demo's
    image = services.product_image_add(product=shop, data=data, actor=None)

    storage = image.image.storage
    assert storage.size(image.renditions[0]["name"]) * 2 < image.thumbnail.size


def test_a_photo_stored_without_renditions_shows_its_jpeg_until_the_sweep_makes_them(roles, shop):
    image = services.product_image_add(product=shop, data=photo_files.jpeg(800, 600), actor=None)
    for name in image.rendition_names:
        image.image.storage.delete(name)
    ProductImage.objects.filter(pk=image.pk).update(renditions=[])  # as stored before renditions were made
    anonymous = roles.client("anonymous")

    markup = photo_markup(anonymous, shop)
    assert markup.startswith("<img ") and "webp" not in markup
    assert f'src="{image.thumbnail.url}"' in markup and 'width="480" height="360"' in markup

    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("process_stale_photos", stdout=out)

    assert "Made the WebP renditions of 1 photo(s)." in out.getvalue()
    image.refresh_from_db()
    assert decoded(image) == [("WEBP", 240, 180), ("WEBP", 480, 360), ("WEBP", 800, 600)]
    assert photo_markup(anonymous, shop).startswith('<picture><source type="image/webp"')  # cached page renewed
    assert services.product_images_make_renditions(actor=None) == 0  # nothing left to make


def test_a_photo_whose_file_is_gone_keeps_its_jpeg_markup_and_is_not_tried_again(roles, shop):
    image = services.product_image_add(product=shop, data=photo_files.jpeg(800, 600), actor=None)
    ProductImage.objects.filter(pk=image.pk).update(renditions=[])
    image.image.storage.delete(image.image.name)

    assert services.product_images_make_renditions(actor=None) == 0

    assert ProductImage.objects.values_list("renditions", flat=True).get(pk=image.pk) is None
    assert photo_markup(roles.client("anonymous"), shop).startswith("<img ")
    assert services.product_images_make_renditions(actor=None) == 0


def test_removing_a_photo_deletes_its_renditions_with_its_jpegs(roles, shop):
    image = services.product_image_add(product=shop, data=photo_files.jpeg(800, 600), actor=None)
    storage = image.image.storage
    names = [image.image.name, image.thumbnail.name, *image.rendition_names]
    assert len(names) == 5 and all(storage.exists(name) for name in names)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.product_image_remove(image=image, actor=roles.member)

    assert not any(storage.exists(name) for name in names)


# The other photos: villages', producers', live sessions' covers


def test_a_village_photo_gets_renditions_and_the_home_page_and_its_page_offer_them(client):
    village = VillageFactory(is_featured=True, name_en="Grape Valley")
    village.photo.save("upload.jpg", ContentFile(photo_files.jpeg(1200, 900)), save=True)

    village.refresh_from_db()
    assert [(item["width"], item["height"]) for item in village.photo_renditions] == [
        (240, 180),
        (480, 360),
        (960, 720),
    ]
    assert decoded_renditions(village.photo, village.photo_renditions) == [
        ("WEBP", 240, 180),
        ("WEBP", 480, 360),
        ("WEBP", 960, 720),
    ]
    source = '<source type="image/webp" srcset="{} 240w, {} 480w, {} 960w"'.format(
        *(village.photo.storage.url(item["name"]) for item in village.photo_renditions)
    )
    home = html.unescape(client.get("/", headers={"accept-language": "en"}).content.decode())
    assert source in home
    card = re.search(r"<picture>" + re.escape(source) + r"[^>]*><img [^>]*></picture>", home)[0]
    assert f'src="{village.photo.url}"' in card and 'width="640" height="480"' in card and 'loading="lazy"' in card
    page = html.unescape(client.get(reverse("village-detail", args=[village.slug])).content.decode())
    profile = re.search(r"<picture>" + re.escape(source) + r"[^>]*><img [^>]*>", page)[0]
    assert 'class="place-profile-photo"' in profile and "loading=" not in profile  # the page's first photo


def test_the_sweep_makes_the_renditions_of_a_producer_photo_stored_without_them(client):
    producer = ProducerFactory()
    producer.photo.save("upload.jpg", ContentFile(photo_files.jpeg(640, 480)), save=True)
    for item in producer.photo_renditions:
        producer.photo.storage.delete(item["name"])
    Producer.objects.filter(pk=producer.pk).update(photo_renditions=[])
    page = client.get(reverse("producer-detail", args=[producer.slug])).content.decode()
    assert "<picture>" not in page and f'src="{producer.photo.url}"' in page  # the JPEG alone

    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("process_stale_photos", stdout=out)

    assert "Made the WebP renditions of 1 photo(s)." in out.getvalue()
    producer.refresh_from_db()
    assert decoded_renditions(producer.photo, producer.photo_renditions) == [
        ("WEBP", 240, 180),
        ("WEBP", 480, 360),
        ("WEBP", 640, 480),
    ]
    page = client.get(reverse("producer-detail", args=[producer.slug])).content.decode()
    assert '<picture><source type="image/webp"' in page


def test_a_live_cover_removed_takes_its_renditions_off_the_session(roles):
    session = LiveSessionFactory()
    session.cover.save("upload.jpg", ContentFile(photo_files.jpeg(1280, 720)), save=True)
    assert [item["width"] for item in session.cover_renditions] == [240, 480, 960]

    session = live_services.session_update(session=session, actor=session.host.user, remove_cover=True)

    session.refresh_from_db()
    assert (session.cover.name, session.cover_renditions) == ("", [])
