"""Staff verify producers and find villages in the back office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from producers import services
from producers.admin import ProducerAdmin
from producers.models import Producer, ProducerActivity
from tests.admin_forms import change_form_data
from tests.factories import MembershipFactory, ProducerFactory, UserFactory, VillageFactory

PRODUCERS = reverse("admin:producers_producer_changelist")


def unverified(**kwargs) -> Producer:
    return ProducerFactory(is_verified=False, verified_at=None, **kwargs)


@pytest.mark.django_db
def test_verify_action_marks_the_selected_producers_verified_by_that_staff_member_now(client):
    """Choosing "Verify" for two producers verifies them and records who and when, also in each producer's
    activity; the third stays as it was."""
    staff = UserFactory(username="checker", is_staff=True, is_superuser=True)
    chosen = [unverified(), unverified()]
    left_alone = unverified()
    client.force_login(staff)
    before = timezone.now()

    response = client.post(
        PRODUCERS,
        {"action": "verify", "_selected_action": [p.pk for p in chosen]},
        follow=True,
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "2 producers verified." in response.content.decode()
    for producer in chosen:
        producer.refresh_from_db()
        assert producer.is_verified
        assert producer.verified_by == staff
        assert before <= producer.verified_at <= timezone.now()
    left_alone.refresh_from_db()
    assert (left_alone.is_verified, left_alone.verified_at, left_alone.verified_by) == (False, None, None)
    activities = ProducerActivity.objects.order_by("producer_id")
    assert [(a.producer, a.actor, a.action, a.on_behalf) for a in activities] == [
        (producer, staff, ProducerActivity.Action.PRODUCER_VERIFIED, True) for producer in chosen
    ]


@pytest.mark.django_db
def test_verifying_again_keeps_who_first_verified_the_producer(admin_client):
    """An already verified producer keeps its original verifier and date when selected again; nothing is
    recorded, as nothing changed."""
    first_checker = UserFactory()
    long_ago = timezone.now() - timedelta(days=100)
    producer = ProducerFactory(verified_by=first_checker, verified_at=long_ago)

    admin_client.post(PRODUCERS, {"action": "verify", "_selected_action": [producer.pk]})

    producer.refresh_from_db()
    assert (producer.verified_by, producer.verified_at) == (first_checker, long_ago)
    assert not ProducerActivity.objects.exists()


@pytest.mark.django_db
def test_withdraw_action_takes_verification_away(admin_client, admin_user):
    """Withdrawing verification clears the flag with its who and when, so the producer leaves the storefront;
    the producer's activity says which staff member withdrew it."""
    producer = ProducerFactory(verified_by=UserFactory())

    admin_client.post(PRODUCERS, {"action": "unverify", "_selected_action": [producer.pk]})

    producer.refresh_from_db()
    assert (producer.is_verified, producer.verified_at, producer.verified_by) == (False, None, None)
    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.actor, activity.action) == (
        producer,
        admin_user,
        ProducerActivity.Action.PRODUCER_UNVERIFIED,
    )


@pytest.mark.django_db
def test_someone_not_staff_cannot_verify_producers(client):
    """A shopper who posts the verify action is sent to sign in, and no producer changes."""
    producer = unverified()
    client.force_login(UserFactory())

    response = client.post(PRODUCERS, {"action": "verify", "_selected_action": [producer.pk]})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    producer.refresh_from_db()
    assert (producer.is_verified, producer.verified_at, producer.verified_by) == (False, None, None)


@pytest.mark.django_db
def test_producer_verify_service_records_who_and_when():
    """The service the admin action calls verifies one producer and stamps the staff member and time."""
    staff = UserFactory(is_staff=True)
    producer = unverified()

    services.producer_verify(producer=producer, actor=staff)

    assert producer.is_verified
    assert producer.verified_by == staff
    assert producer.verified_at is not None


@pytest.mark.django_db
def test_a_system_job_verifies_without_naming_anyone_and_records_nothing():
    """The demo seed passes ``actor=None``: the producer is verified with no verifier and no activity."""
    producer = unverified()

    services.producer_verify(producer=producer, actor=None)

    assert (producer.is_verified, producer.verified_by) == (True, None)
    assert not ProducerActivity.objects.exists()
    services.producers_unverify(producers=Producer.objects.filter(pk=producer.pk), actor=None)
    producer.refresh_from_db()
    assert not producer.is_verified
    assert not ProducerActivity.objects.exists()


@pytest.mark.django_db
def test_low_income_flag_is_edited_on_the_producer_page(admin_client):
    """Staff set the registered-low-income-household flag on the producer's page."""
    producer = ProducerFactory()
    MembershipFactory(producer=producer)
    url = reverse("admin:producers_producer_change", args=[producer.pk])
    data = change_form_data(admin_client.get(url))
    data["is_low_income_household"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    producer.refresh_from_db()
    assert producer.is_low_income_household


@pytest.mark.django_db
def test_saving_a_producer_page_does_not_undo_a_verification_made_meanwhile(admin_client, monkeypatch):
    """Staff A saves a phone number while staff B verifies the producer: both changes stay."""
    producer = unverified()
    other_staff = UserFactory()
    url = reverse("admin:producers_producer_change", args=[producer.pk])
    data = change_form_data(admin_client.get(url))
    data["phone"] = "13900001111"
    save_form = ProducerAdmin.save_form

    def verified_meanwhile(self, request, form, change):
        # B verifies after A's request has read the producer, before it writes.
        services.producers_verify(producers=Producer.objects.filter(pk=producer.pk), actor=other_staff)
        return save_form(self, request, form, change)

    monkeypatch.setattr(ProducerAdmin, "save_form", verified_meanwhile)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.phone == "13900001111"
    assert producer.is_verified
    assert producer.verified_by == other_staff


@pytest.mark.django_db
def test_producer_list_filters_by_verified_and_low_income(admin_client):
    """The producer list narrows to unverified producers, or to low-income households."""
    waiting = unverified()
    helped = ProducerFactory(is_low_income_household=True)
    ProducerFactory()

    waiting_list = admin_client.get(PRODUCERS, {"is_verified__exact": "0"}).context["cl"].result_list
    helped_list = admin_client.get(PRODUCERS, {"is_low_income_household__exact": "1"}).context["cl"].result_list

    assert list(waiting_list) == [waiting]
    assert list(helped_list) == [helped]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["تۇيۇق", "吐峪沟"], ids=["uyghur", "chinese"])
def test_village_search_finds_a_village_by_its_uyghur_or_chinese_name(admin_client, query):
    """Searching villages for "تۇيۇق" or "吐峪沟" finds Tuyoq and not the other villages."""
    tuyoq = VillageFactory(slug="tuyoq", name_zh="吐峪沟村", name_ug="تۇيۇق كەنتى", name_en="Tuyoq")
    VillageFactory(slug="astana", name_zh="阿斯塔那村", name_ug="ئاستانە كەنتى", name_en="Astana")

    response = admin_client.get(reverse("admin:producers_village_changelist"), {"q": query})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [tuyoq]


@pytest.mark.django_db
def test_village_list_filters_by_prefecture(admin_client):
    """Choosing a prefecture in the village list shows only that prefecture's villages."""
    turpan = VillageFactory()
    VillageFactory()

    response = admin_client.get(
        reverse("admin:producers_village_changelist"),
        {"county__prefecture__id__exact": turpan.county.prefecture_id},
    )

    assert list(response.context["cl"].result_list) == [turpan]
