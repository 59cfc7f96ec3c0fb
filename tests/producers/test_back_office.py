"""Applying to sell, and the producer's activity page: who did what in its back office, and for whom."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalog import services as catalog_services
from catalog.models import Product
from marketplace.models import User
from producers import services
from producers.models import Producer, ProducerActivity, ProducerMembership
from tests.api import file_count, snapshot
from tests.enhancements import only_enhancements
from tests.factories import (
    CategoryFactory,
    DepotFactory,
    MembershipFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
Action = ProducerActivity.Action
APPLY = "/dashboard/apply/"


def client_for(user: User | None, language: str = "en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 30.0, 0.0), 3: "E", 4: (89.0, 10.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 120, 40)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def village():
    return VillageFactory(slug="grape-valley", name_en="Grape Valley", name_zh="葡萄沟")


def application(home, **fields) -> dict:
    return {
        "kind": "household",
        "village": home.slug,
        "name": "Abdukerim's Vineyard",
        "story": "Three generations of grapes in the valley.",
        "phone": "+86 138 0013 8000",
    } | fields


# Applying


def test_the_url_is_dashboard_apply():
    assert reverse("producer-apply") == APPLY


def test_a_visitor_is_asked_to_sign_in_before_applying(village):
    before = snapshot()
    for response in (client_for(None).get(APPLY), client_for(None).post(APPLY, application(village))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert snapshot() == before


def test_the_form_asks_for_kind_village_name_story_phone_and_a_photo(village):
    html = client_for(UserFactory()).get(APPLY).content.decode()
    for name in ("kind", "village", "name", "story", "phone", "photo"):
        assert f'name="{name}"' in html
    assert 'value="grape-valley"' in html and "Grape Valley" in html
    assert 'enctype="multipart/form-data"' in html
    assert only_enhancements(html)  # the village search and the photo's reduction only improve the form


def test_applying_creates_an_unverified_producer_owned_by_the_applicant(village):
    user = UserFactory(username="abdukerim")
    client = client_for(user)
    response = client.post(APPLY, application(village))
    producer = Producer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard-overview", kwargs={"producer": producer.slug})
    assert (producer.slug, producer.kind, producer.village) == ("abdukerims-vineyard", "household", village)
    assert (producer.name_en, producer.description_en, producer.original_language) == (
        "Abdukerim's Vineyard",
        "Three generations of grapes in the valley.",
        "en",
    )
    assert (producer.name_zh, producer.name_ug) == ("", "")
    assert producer.phone == "13800138000"
    assert (producer.is_verified, producer.verified_at, producer.sells_through_depot) == (False, None, False)
    assert ProducerMembership.objects.get().user == user
    assert ProducerMembership.objects.get().role == ProducerMembership.Role.OWNER
    # They land on their dashboard, told that staff will verify them.
    html = client.get(response["Location"]).content.decode()
    assert "Staff will verify your application" in html
    assert "Staff will verify your producer" in html


@pytest.mark.parametrize(("language", "code"), [("zh-hans", "zh"), ("ug", "ug")])
def test_the_name_and_story_are_stored_in_the_language_the_applicant_writes(village, language, code):
    name = {"zh": "阿布都克力木葡萄园", "ug": "ئابدۇكېرىم ئۈزۈمزارلىقى"}[code]
    response = client_for(UserFactory(), language).post(APPLY, application(village, name=name, story="故事"))
    assert response.status_code == 302
    producer = Producer.objects.get()
    assert getattr(producer, f"name_{code}") == name
    assert getattr(producer, f"description_{code}") == "故事"
    assert producer.original_language == code
    assert producer.name_en == ""
    # A name in another script still gets a plain web address, made from the village.
    assert producer.slug.startswith("grape-valley-")


def test_two_producers_with_the_same_name_get_different_addresses(village):
    client_for(UserFactory()).post(APPLY, application(village))
    client_for(UserFactory()).post(APPLY, application(village))
    slugs = sorted(Producer.objects.values_list("slug", flat=True))
    assert slugs[0] == "abdukerims-vineyard"
    assert slugs[1].startswith("abdukerims-vineyard-")


def test_a_producer_named_apply_does_not_take_the_apply_address(village):
    client_for(UserFactory()).post(APPLY, application(village, name="Apply"))
    assert Producer.objects.get().slug.startswith("apply-")


def test_the_photo_is_checked_and_re_encoded_without_its_location(village):
    photo = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client_for(UserFactory()).post(APPLY, application(village, photo=photo))
    assert response.status_code == 302
    producer = Producer.objects.get()
    assert producer.photo.name.startswith("producers/") and producer.photo.name.endswith(".jpg")
    with producer.photo.open("rb") as stored:
        assert not Image.open(stored).getexif()


@pytest.mark.parametrize(
    ("fields", "field_message"),
    [
        ({"phone": "0995 1234567"}, "Enter a mainland China mobile number"),
        ({"phone": ""}, "This field is required."),
        ({"name": ""}, "Give the name shoppers will know you by."),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"story": ""}, "Tell shoppers a little about what you grow or make."),
        ({"kind": "factory"}, "Select a valid choice."),
        ({"village": "atlantis"}, "Choose the village you sell from."),
        ({"photo": "text"}, "not a readable image"),
        ({"photo": "huge"}, "larger than 10 MB"),
    ],
)
def test_bad_applications_get_form_errors_and_create_nothing(village, fields, field_message):
    if fields.get("photo") == "text":
        fields["photo"] = SimpleUploadedFile("me.jpg", b"not a photo", content_type="image/jpeg")
    elif fields.get("photo") == "huge":
        fields["photo"] = SimpleUploadedFile("me.jpg", b"\xff" * (12 * 1024 * 1024), content_type="image/jpeg")
    user = UserFactory()
    before, photos = snapshot(), file_count(Producer._meta.get_field("photo"))
    response = client_for(user).post(APPLY, application(village, **fields))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert snapshot() == before
    assert file_count(Producer._meta.get_field("photo")) == photos


def test_one_application_at_a_time(village):
    user = UserFactory()
    client = client_for(user)
    client.post(APPLY, application(village))
    before = snapshot()
    response = client.post(APPLY, application(village, name="Second farm"))
    assert response.status_code == 200
    assert "You have already applied to sell." in response.content.decode()
    assert snapshot() == before
    # The page says so rather than offering a form that cannot succeed.
    html = client.get(APPLY).content.decode()
    assert "You have applied to sell as Abdukerim&#x27;s Vineyard" in html
    assert 'name="story"' not in html


def test_once_verified_a_member_may_apply_for_another_producer(village):
    user = UserFactory()
    producer = MembershipFactory(user=user, producer__village=village).producer
    assert producer.is_verified
    assert client_for(user).post(APPLY, application(village, name="The workshop")).status_code == 302
    assert Producer.objects.filter(memberships__user=user).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_applications_sent_at_once_make_one_producer():
    village = VillageFactory()
    user = UserFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def apply(name: str) -> None:
        try:
            barrier.wait()
            services.producer_apply(
                user=user, kind="household", village=village, name=name, story="", phone="13800138000"
            )
            outcomes.append("created")
        except Exception as error:  # the refusal is what the test counts
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(name,)) for name in ("Farm one", "Farm two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "created"]
    assert Producer.objects.filter(memberships__user=user).count() == 1


def test_an_unverified_producer_can_prepare_a_product_but_not_publish_it(village):
    user = UserFactory()
    client_for(user).post(APPLY, application(village))
    producer = Producer.objects.get()
    product = catalog_services.product_create(
        producer=producer, category=CategoryFactory(), name_en="Raisins", actor=user
    )
    VariantFactory(product=product)
    with pytest.raises(Exception, match="verified"):
        catalog_services.product_publish(product=product, actor=user)
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


# The activity page


@pytest.fixture
def assisted_world(village):
    """Old Ali sells through the Grape Valley depot; his son is a member; Reshit manages the depot."""
    producer = ProducerFactory(slug="old-ali", name_en="Old Ali", village=village, sells_through_depot=True)
    son = MembershipFactory(producer=producer, user__username="son").user
    manager = UserFactory(username="reshit", first_name="Reshit", last_name="Tursun")
    DepotFactory(village=village, slug="grape-valley-depot").managers.add(manager)
    return producer, son, manager


def _activity_url(slug: str) -> str:
    return reverse("dashboard-activity", kwargs={"producer": slug})


def test_activity_lists_what_was_done_newest_first_and_marks_what_the_depot_did_for_you(assisted_world):
    producer, son, manager = assisted_world
    product = catalog_services.product_create(
        producer=producer, category=CategoryFactory(), name_en="Raisins", actor=manager
    )
    ProducerActivity.objects.update(created_at=timezone.now() - timedelta(hours=1))
    catalog_services.product_update(product=product, description_en="Sweet.", actor=son)
    html = client_for(son).get(_activity_url("old-ali")).content.decode()
    edited, created = html.index("son edited a product: Raisins"), html.index("Reshit Tursun created a product")
    assert edited < created
    assert "by Reshit Tursun for you" in html
    assert html.count("for you") == 1


def test_the_depot_manager_sees_the_same_list_marked_as_done_for_the_producer(assisted_world):
    producer, _son, manager = assisted_world
    catalog_services.product_create(producer=producer, category=CategoryFactory(), name_en="Raisins", actor=manager)
    html = client_for(manager).get(_activity_url("old-ali")).content.decode()
    assert "by Reshit Tursun for Old Ali" in html


def test_activity_is_paginated(assisted_world):
    producer, son, _manager = assisted_world
    ProducerActivity.objects.bulk_create(
        ProducerActivity(producer=producer, actor=son, action=Action.PRODUCT_UPDATED, subject=f"Product {n}")
        for n in range(51)
    )
    client = client_for(son)
    first = client.get(_activity_url("old-ali")).content.decode()
    assert first.count('class="bo-activity-item') == 50
    assert "Page 1 of 2" in first
    second = client.get(_activity_url("old-ali") + "?page=2").content.decode()
    assert second.count('class="bo-activity-item') == 1


def test_activity_runs_the_same_queries_for_3_and_20_rows(assisted_world, django_assert_num_queries):
    producer, son, manager = assisted_world
    client = client_for(son)

    def add(count: int) -> None:
        ProducerActivity.objects.bulk_create(
            ProducerActivity(producer=producer, actor=actor, action=Action.VARIANT_UPDATED, on_behalf=actor == manager)
            for n in range(count)
            for actor in [UserFactory() if n % 2 else manager]
        )

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_activity_url("old-ali")).status_code == 200
    add(17)
    with django_assert_num_queries(len(few)):
        client.get(_activity_url("old-ali"))


def test_another_producers_activity_is_not_shown(assisted_world):
    _producer, son, _manager = assisted_world
    other = MembershipFactory(producer__slug="hami-melons").producer
    ProducerActivity.objects.create(producer=other, actor=son, action=Action.PRODUCT_UPDATED, subject="Secret melon")
    html = client_for(son).get(_activity_url("old-ali")).content.decode()
    assert "Secret melon" not in html


@pytest.mark.parametrize("role", ["other_member", "unassisting_manager", "far_manager", "shopper", "staff"])
def test_activity_is_404_for_anyone_else(assisted_world, role, village):
    producer, son, manager = assisted_world
    ProducerActivity.objects.create(producer=producer, actor=son, action=Action.PRODUCT_UPDATED)
    # A producer of the same village that does not sell through the depot: its manager may not look in.
    ProducerFactory(slug="young-ali", village=village)
    far_manager = UserFactory()
    DepotFactory(slug="far-depot").managers.add(far_manager)
    users = {
        "other_member": MembershipFactory(producer__slug="hami-melons").user,
        "unassisting_manager": manager,
        "far_manager": far_manager,
        "shopper": UserFactory(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    slug = "young-ali" if role == "unassisting_manager" else "old-ali"
    before = snapshot()
    assert client_for(users[role]).get(_activity_url(slug)).status_code == 404
    assert snapshot() == before


def test_activity_asks_a_visitor_to_sign_in(assisted_world):
    response = client_for(None).get(_activity_url("old-ali"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_answers_get_only(assisted_world):
    _producer, son, _manager = assisted_world
    assert client_for(son).post(_activity_url("old-ali")).status_code == 405
