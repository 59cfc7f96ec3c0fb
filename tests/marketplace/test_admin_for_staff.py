"""The back office as staff use it: percentages, finding applicants, text direction and a history with values."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from notifications import sms
from orders.models import Fulfilment, Order
from tests.admin_forms import change_form_data
from tests.factories import (
    FulfilmentFactory,
    HostFactory,
    MembershipFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
)

EN = {"accept-language": "en"}


def host_url(host) -> str:
    return reverse("admin:live_host_change", args=[host.pk])


# The commission rate, typed as a percentage


@pytest.mark.django_db
def test_staff_type_the_commission_rate_as_a_percentage(admin_client):
    host = HostFactory(commission_rate=Decimal("0.0500"))
    page = admin_client.get(host_url(host), headers=EN)
    assert re.search(r'name="commission_rate" value="5"', page.content.decode())
    data = change_form_data(page)
    data["commission_rate"] = "8"

    response = admin_client.post(host_url(host), data, headers=EN)

    assert response.status_code == 302
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0800")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["abc", "150", "-1", "8.125", "NaN", "1e400"])
def test_a_commission_rate_that_is_not_a_percentage_is_a_clear_error_and_changes_nothing(admin_client, typed):
    host = HostFactory(commission_rate=Decimal("0.0500"))
    data = change_form_data(admin_client.get(host_url(host)))
    data["commission_rate"] = typed

    response = admin_client.post(host_url(host), data, headers=EN)

    assert response.status_code == 200
    assert "as a percentage from 0 to 100" in response.content.decode()
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0500")


@pytest.mark.django_db
def test_the_host_list_edits_the_rate_as_a_percentage_too(admin_client):
    host = HostFactory(commission_rate=Decimal("0.0500"))
    url = reverse("admin:live_host_changelist")
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(host.pk),
        "_save": "Save",
    }

    refused = admin_client.post(url, {**form, "form-0-commission_rate": "150"}, headers=EN)
    host.refresh_from_db()
    assert refused.status_code == 200 and host.commission_rate == Decimal("0.0500")
    assert "as a percentage from 0 to 100" in refused.content.decode()

    saved = admin_client.post(url, {**form, "form-0-commission_rate": "12.5%"}, headers=EN)
    host.refresh_from_db()
    assert saved.status_code == 302 and host.commission_rate == Decimal("0.1250")


# Finding an applicant


@pytest.mark.django_db
def test_staff_find_a_producer_by_a_members_username_or_phone(admin_client):
    member = UserFactory(username="aygul-applies", phone="13912345678")
    wanted = MembershipFactory(user=member).producer
    ProducerFactory()  # someone else
    url = reverse("admin:producers_producer_changelist")

    for query in ("aygul-applies", "13912345678"):
        response = admin_client.get(url, {"q": query}, headers=EN)
        assert [p.pk for p in response.context["cl"].result_list] == [wanted.pk], query

    nobody = admin_client.get(url, {"q": "no-such-member"}, headers=EN)
    assert list(nobody.context["cl"].result_list) == []


# Text direction


@pytest.mark.django_db
def test_every_text_box_in_the_admin_takes_its_direction_from_its_text(admin_client):
    """Uyghur typed into any text box runs right to left, in any language of the admin."""
    producer = ProducerFactory()
    pages = [
        reverse("admin:producers_producer_change", args=[producer.pk]),
        reverse("admin:marketplace_user_change", args=[producer.memberships.first().user.pk])
        if producer.memberships.exists()
        else reverse("admin:marketplace_user_add"),
        reverse("admin:auth_group_add"),
        reverse("admin:catalog_product_add"),
        reverse("admin:producers_producer_changelist"),
        reverse("admin:live_host_add"),
    ]
    for url in pages:
        html = admin_client.get(url, headers={"accept-language": "ug"}).content.decode()
        boxes = re.findall(r'<input type="(?:text|email|url)"[^>]*>|<textarea[^>]*>', html)
        assert boxes, url
        assert [box for box in boxes if 'dir="auto"' not in box] == [], url


# The history names old and new values


@pytest.mark.django_db
def test_the_history_says_what_a_field_was_and_what_it_became(admin_client):
    host = HostFactory(commission_rate=Decimal("0.0500"), display_name="Nur")
    data = change_form_data(admin_client.get(host_url(host)))
    data.update(commission_rate="8", display_name="Nurgul")
    admin_client.post(host_url(host), data)

    entry = LogEntry.objects.get(object_id=str(host.pk), content_type__model="host")
    with translation.override("en"):
        shown = entry.get_change_message()
    assert "Display name (Nur → Nurgul)" in shown
    assert "Commission rate (%) (5 → 8)" in shown
    history = admin_client.get(reverse("admin:live_host_history", args=[host.pk]), headers=EN).content.decode()
    assert "Nur → Nurgul" in history


@pytest.mark.django_db
def test_the_history_of_a_product_says_from_what_price_to_what(admin_client):
    variant = VariantFactory(price=Decimal("12.00"))
    url = reverse("admin:catalog_product_change", args=[variant.product.pk])
    data = change_form_data(admin_client.get(url))
    data["variants-0-price"] = "15.00"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    entry = LogEntry.objects.get(object_id=str(variant.product.pk), content_type__model="product")
    changed = [part["changed"] for part in json.loads(entry.change_message) if "changed" in part]
    assert any("Price (CNY) (12.00 → 15.00)" in field for part in changed for field in part["fields"])


# The admin home: what is waiting for staff


def placed_days_ago(order, days: int) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=days))


@pytest.mark.django_db
def test_the_admin_home_counts_applications_to_verify_and_overdue_parcels_with_links(admin_client):
    ProducerFactory(is_verified=False, verified_at=None)
    ProducerFactory(is_verified=False, verified_at=None)
    ProducerFactory()  # verified
    late = FulfilmentFactory(status=Fulfilment.Status.PACKED)
    placed_days_ago(late.order, 4)
    placed_days_ago(
        FulfilmentFactory(status=Fulfilment.Status.SHIPPED, tracking_number="SF100", shipped_at=timezone.now()).order, 9
    )  # left in time
    FulfilmentFactory()  # placed today: not late yet
    placed_days_ago(FulfilmentFactory(order__status=Order.Status.AWAITING_PAYMENT).order, 9)  # nothing to ship

    html = admin_client.get(reverse("admin:index"), headers=EN).content.decode()

    panel = html[html.index('id="waiting-for-staff"') :]
    applications = reverse("admin:producers_producer_changelist") + "?application=waiting"
    overdue = reverse("admin:orders_order_changelist") + "?overdue=1"
    assert re.search(
        rf'href="{re.escape(applications)}">\s*Producer applications to verify\s*</a>\s*</th>\s*'
        r'<td class="waiting-count">2</td>',
        panel,
    )
    assert re.search(
        rf'href="{re.escape(overdue.replace("&", "&amp;"))}">\s*Parcels not shipped 3 days after the order'
        r'\s*</a>\s*</th>\s*<td class="waiting-count">1</td>',
        panel,
    )
    listed = admin_client.get(overdue, headers=EN)
    assert [order.pk for order in listed.context["cl"].result_list] == [late.order.pk]
    pending = admin_client.get(applications, headers=EN)
    assert pending.context["cl"].result_count == 2


@pytest.mark.django_db
def test_the_admin_home_panel_shows_only_what_a_staff_member_may_see(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_producer"))
    client.force_login(staff)
    ProducerFactory(is_verified=False, verified_at=None)

    html = client.get(reverse("admin:index"), headers=EN).content.decode()

    assert "Producer applications to verify" in html
    assert "Parcels not shipped" not in html


# Verify and reject on the producer's page


def applicant_producer(**user_fields):
    applicant = UserFactory(username="tursun-applies", email="tursun@example.cn", phone="13912340000", **user_fields)
    producer = ProducerFactory(is_verified=False, verified_at=None, original_language="en", name_en="Tursun Orchard")
    MembershipFactory(producer=producer, user=applicant)
    return producer


@pytest.mark.django_db
def test_staff_verify_an_applicant_with_the_button_on_its_page(admin_client):
    producer = applicant_producer()
    page = admin_client.get(reverse("admin:producers_producer_change", args=[producer.pk]), headers=EN)
    verify = reverse("admin:producers_producer_verify", args=[producer.pk])
    assert f'action="{verify}"' in page.content.decode()

    assert admin_client.get(verify).status_code == 405  # a link followed by mistake changes nothing
    response = admin_client.post(verify, headers=EN, follow=True)

    producer.refresh_from_db()
    assert producer.is_verified and producer.verified_by is not None
    assert "The producer is verified." in response.content.decode()
    assert f'action="{verify}"' not in response.content.decode()


@pytest.mark.django_db
def test_staff_reject_an_application_with_a_reason_the_applicant_receives(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    producer = applicant_producer()
    reject = reverse("admin:producers_producer_reject", args=[producer.pk])
    form = admin_client.get(reject, headers=EN).content.decode()
    assert re.search(r'<textarea[^>]*name="reason"[^>]*dir="auto"|<textarea[^>]*dir="auto"[^>]*name="reason"', form)
    sent_before = len(sms.sent)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reject, {"reason": "Please add a photo of your orchard."}, headers=EN)

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.rejected_at is not None and not producer.is_verified
    assert producer.rejection_reason == "Please add a photo of your orchard."
    assert [mail.to for mail in mailoutbox] == [["tursun@example.cn"]]
    assert "Please add a photo of your orchard." in mailoutbox[0].body
    assert [(phone, "Please add a photo of your orchard." in text) for phone, text in sms.sent[sent_before:]] == [
        ("13912340000", True)
    ]
    home = admin_client.get(reverse("admin:index"), headers=EN).content.decode()
    assert re.search(r'Producer applications to verify\s*</a>\s*</th>\s*<td class="waiting-count">0</td>', home)
    history = LogEntry.objects.filter(object_id=str(producer.pk)).get()
    assert "Please add a photo of your orchard." in history.get_change_message()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_rejection_without_a_usable_reason_is_refused_and_changes_nothing(admin_client, mailoutbox, reason):
    producer = applicant_producer()

    response = admin_client.post(
        reverse("admin:producers_producer_reject", args=[producer.pk]), {"reason": reason}, headers=EN
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    producer.refresh_from_db()
    assert producer.rejected_at is None and producer.rejection_reason == ""
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_verified_producer_cannot_be_rejected(admin_client):
    producer = ProducerFactory()

    response = admin_client.post(
        reverse("admin:producers_producer_reject", args=[producer.pk]), {"reason": "Changed our mind."}, headers=EN
    )

    assert response.status_code == 200
    assert "it has no application to reject" in response.content.decode()
    producer.refresh_from_db()
    assert producer.is_verified and producer.rejected_at is None


@pytest.mark.django_db
def test_staff_who_may_only_view_producers_cannot_verify_or_reject(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_producer"))
    client.force_login(staff)
    producer = applicant_producer()

    verify = client.post(reverse("admin:producers_producer_verify", args=[producer.pk]))
    reject = client.post(reverse("admin:producers_producer_reject", args=[producer.pk]), {"reason": "No."})

    assert (verify.status_code, reject.status_code) == (403, 403)
    producer.refresh_from_db()
    assert not producer.is_verified and producer.rejected_at is None
