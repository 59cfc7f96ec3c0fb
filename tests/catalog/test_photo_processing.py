"""Product photos are received by the web request and made by the worker: nobody's upload can stall the site.

The request checks a photo's headers only and keeps its bytes; the worker decodes it within the memory
budget and makes the photo and its thumbnail (``ready``), or says why it could not (``failed``). Until then
the photo is shown to its producer's back office and its members' API answers only. The tests under "With a
worker and a broker" run a real Celery worker against the machine's Redis and the test database, as
`make serve` runs it; the others run the worker's job in the process, as it runs without a broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from catalog import services
from catalog.forms import MAX_PHOTOS_PER_UPLOAD
from catalog.models import ProductImage, ProductImageUpload
from marketplace.celery import app as celery_app
from producers.models import ProducerActivity
from tests import photo_files
from tests.api import snapshot
from tests.factories import MembershipFactory, ProductFactory, VariantFactory
from tests.marketplace.test_serve import database_url

ROOT = Path(__file__).resolve().parents[2]
# A database of its own on the machine's Redis, emptied before the worker starts.
BROKER_URL = "redis://127.0.0.1:6379/10"


def jpeg() -> bytes:
    return photo_files.jpeg(1200, 900)


def upload(client, product, data: bytes, *, name: str = "photo.jpg"):
    """POST a photo through the API; nothing its commit queues runs (as with a worker that has not started)."""
    file = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(
        reverse("api-product-image-list", kwargs={"slug": product.slug}),
        {"image": file},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def api_images(client, product) -> list[dict]:
    """The product's photos in the API's answer; a signed-in member's answer is never the anonymous cached copy."""
    return client.get(reverse("api-product-detail", kwargs={"slug": product.slug})).json()["images"]


def signed_in(user) -> Client:
    """A browser signed in as ``user``, for the back office's pages."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def editor(user, product):
    url = reverse("dashboard-product-edit", kwargs={"producer": product.producer.slug, "slug": product.slug})
    return signed_in(user).get(url)


@pytest.fixture
def shop(roles):
    """A product on sale of the member's producer, with one size."""
    product = ProductFactory(producer=roles.producer, slug="seedless-grapes", name_en="Seedless grapes")
    VariantFactory(product=product)
    return product


# The request


def test_the_hostile_png_of_the_issue_is_a_400_that_decodes_nothing_and_stores_nothing(roles, shop, monkeypatch):
    """The 170 KB 6,320 x 6,320 RGBA PNG that held a web worker for 7 s and 580 MB: refused from its header."""

    def no_decoding(self):
        raise AssertionError("the request decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    before = snapshot()

    response = upload(roles.client("member"), shop, photo_files.hostile_png(), name="red.png")

    assert response.status_code == 400
    assert "too large to process" in response.json()["image"][0]
    assert snapshot() == before


def test_an_upload_is_received_without_decoding_and_waits_for_the_worker(roles, shop, monkeypatch):
    """202, a photo being processed with its bytes kept aside; no pixel decoded in the request."""

    def no_decoding(self):
        raise AssertionError("the request decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)

    response = upload(roles.client("member"), shop, jpeg())

    assert response.status_code == 202
    image = ProductImage.all_objects.get()
    assert (image.status, image.uploaded_by, image.image.name, image.attempts) == ("processing", roles.member, "", 0)
    assert bytes(ProductImageUpload.objects.get(image=image).data) == jpeg()
    assert response.json()["status"] == "processing"
    assert ProducerActivity.objects.get().action == ProducerActivity.Action.PHOTO_ADDED


def test_an_upload_is_received_with_debug_on_as_make_run_serves_it(roles, shop, settings):
    """With DEBUG on Django wraps the cursor to log queries; the upload's COPY must go through it too."""
    settings.DEBUG = True

    response = upload(roles.client("member"), shop, jpeg())

    assert response.status_code == 202
    assert bytes(ProductImageUpload.objects.get().data) == jpeg()


def test_a_photo_being_processed_is_shown_to_nobody_but_its_producer(roles, shop, client):
    upload(roles.client("member"), shop, jpeg())
    image = ProductImage.all_objects.get()

    assert api_images(roles.client("anonymous"), shop) == []
    assert api_images(roles.client("shopper"), shop) == []
    listed = roles.client("anonymous").get(reverse("api-product-list")).json()["results"]
    assert [(card["slug"], card["thumbnail"]) for card in listed] == [("seedless-grapes", None)]
    page = client.get(reverse("product-detail", kwargs={"slug": shop.slug}))
    assert page.status_code == 200 and b"<img" not in page.content.split(b"<main", 1)[1]
    # Its producer sees it, and why it is not on the shop yet.
    assert [(each["id"], each["status"], each["url"]) for each in api_images(signed_in(roles.member), shop)] == [
        (image.pk, "processing", None)
    ]
    assert "Preparing this photo." in editor(roles.member, shop).content.decode()


# The worker


def test_the_worker_makes_it_ready_and_the_shop_shows_it(roles, shop):
    """The photo and its thumbnail are written, the bytes of the upload deleted, cached pages rendered again."""
    upload(roles.client("member"), shop, photo_files.jpeg(4000, 3000))
    image = ProductImage.all_objects.get()
    assert api_images(roles.client("anonymous"), shop) == []  # and now in the page cache

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.product_image_process(image_id=image.pk, actor=None) == "ready"

    image.refresh_from_db()
    assert (image.status, image.width, image.height, image.attempts) == ("ready", 1600, 1200, 1)
    with image.thumbnail.open("rb") as thumbnail:
        assert Image.open(thumbnail).size == (480, 360)
    assert not ProductImageUpload.objects.exists()
    shown = api_images(roles.client("anonymous"), shop)
    assert [(each["id"], each["status"]) for each in shown] == [(image.pk, "ready")]
    assert services.product_image_process(image_id=image.pk, actor=None) is None  # done once only


def test_a_damaged_photo_fails_and_its_producer_sees_why_and_removes_it(roles, shop):
    """Sound headers, damaged pixels: accepted by the request, failed by the worker, explained to the producer."""
    upload(roles.client("member"), shop, photo_files.png_with_damaged_pixels(), name="damaged.png")
    image = ProductImage.all_objects.get()

    assert services.product_image_process(image_id=image.pk, actor=None) == "failed"

    image.refresh_from_db()
    assert (image.status, image.failure, image.image.name) == ("failed", "unreadable", "")
    assert not ProductImageUpload.objects.exists()
    assert api_images(roles.client("anonymous"), shop) == []
    member = signed_in(roles.member)
    assert [(each["status"], each["failure"]) for each in api_images(member, shop)] == [("failed", "unreadable")]
    page = editor(roles.member, shop).content.decode()
    assert "This photo could not be read" in page
    remove = reverse("dashboard-productimage-remove", kwargs={"producer": shop.producer.slug, "pk": image.pk})
    assert member.post(remove).status_code == 302
    assert not ProductImage.all_objects.exists()


def test_a_photo_left_processing_is_queued_again_then_given_up(roles, shop):
    """A task lost with the broker, a worker that stopped: the sweep tries again, three times in all."""
    upload(roles.client("member"), shop, jpeg())
    upload(roles.client("member"), shop, jpeg())
    lost, stuck = ProductImage.all_objects.order_by("pk")
    ProductImage.all_objects.filter(pk=stuck.pk).update(attempts=services.MAX_PROCESSING_ATTEMPTS)
    later = timezone.now() + services.PROCESSING_STALE_AFTER + timedelta(seconds=1)

    assert services.product_images_process_stale(actor=None) == 0  # neither is late yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.product_images_process_stale(actor=None, now=later) == 2

    lost.refresh_from_db()
    stuck.refresh_from_db()
    assert (lost.status, lost.attempts) == ("ready", 1)
    assert (stuck.status, stuck.failure) == ("failed", "interrupted")
    assert "failed several times" in editor(roles.member, shop).content.decode()


# Photos in flight


def test_the_photos_one_user_has_in_flight_are_limited_and_the_next_is_a_429_that_changes_nothing(roles, shop):
    """As many as the back office adds at once; the next waits until the worker has made some of them."""
    client = roles.client("member")
    statuses = [upload(client, shop, jpeg()).status_code for _photo in range(services.MAX_PHOTOS_IN_FLIGHT)]
    before = snapshot()

    refused = upload(client, shop, jpeg())

    assert statuses == [202] * services.MAX_PHOTOS_IN_FLIGHT
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "You already have 8 photos being prepared. Add more once they are ready, in a few seconds.",
        "code": "photos_in_flight",
        "limit": 8,
    }
    assert snapshot() == before
    # Refused before its body is even read: whatever the file, the answer is the same.
    assert upload(client, shop, b"not a photo at all").status_code == 429
    # Another member of the same producer is not held back; and once one photo is made, the member may add one more.
    colleague = MembershipFactory(producer=roles.producer, user__username="colleague").user
    colleague_client = roles.client("anonymous")
    colleague_client.force_authenticate(user=colleague)
    assert upload(colleague_client, shop, jpeg()).status_code == 202
    services.product_image_process(image_id=ProductImage.all_objects.order_by("pk")[0].pk, actor=None)
    assert upload(client, shop, jpeg()).status_code == 202


def test_the_back_office_takes_a_full_batch_and_refuses_the_next_one_with_a_form_error(roles, shop):
    assert MAX_PHOTOS_PER_UPLOAD <= services.MAX_PHOTOS_IN_FLIGHT
    client = signed_in(roles.member)
    url = reverse("dashboard-product-photos-add", kwargs={"producer": shop.producer.slug, "slug": shop.slug})

    def batch(count: int):
        photos = [SimpleUploadedFile(f"{n}.jpg", jpeg(), content_type="image/jpeg") for n in range(count)]
        return client.post(url, {"photos": photos})

    assert batch(MAX_PHOTOS_PER_UPLOAD).status_code == 302
    before = snapshot()
    refused = batch(1)

    assert refused.status_code == 200
    assert "photos being prepared" in refused.context["upload_form"].errors["photos"][0]
    assert snapshot() == before


# With a worker and a broker


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    """A Celery worker in its own process, on the test database and this test's media folder."""
    redis.Redis.from_url(BROKER_URL).flushdb()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MEDIA_S3_BUCKET": "",
        "LOG_LEVEL": "INFO",
    }
    command = [ROOT / ".venv/bin/celery", "-A", "marketplace", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"photos-{os.getpid()}@%h"]
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=BROKER_URL, task_always_eager=False)
    _forget_broker_connections()
    try:
        deadline = time.monotonic() + 20
        while not celery_app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start:\n{(tmp_path / 'worker.log').read_text()}")
        yield process
    finally:
        celery_app.conf.update(saved)
        _forget_broker_connections()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _forget_broker_connections() -> None:
    # The app keeps the connection and producer pools of the broker it first used; drop them when the broker changes.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_an_uploaded_photo_ready_after_its_commit(roles, shop, worker, tmp_path):
    """The request answers before any decoding; the worker process makes the photo and its thumbnail."""
    with transaction.atomic():
        image = services.product_image_upload(product=shop, data=jpeg(), actor=roles.member)
        time.sleep(1)  # The worker is running: it must not see the photo before the commit.
        assert ProductImage.all_objects.get(pk=image.pk).status == "processing"

    deadline = time.monotonic() + 20
    while ProductImage.all_objects.get(pk=image.pk).status == "processing":
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not make the photo:\n{(tmp_path / 'worker.log').read_text()}")
        time.sleep(0.1)

    image.refresh_from_db()
    assert image.status == "ready" and image.thumbnail.name
    assert image.image.storage.exists(image.image.name)
    assert not ProductImageUpload.objects.exists()
