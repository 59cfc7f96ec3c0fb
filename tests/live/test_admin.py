"""Live sessions, hosts, featured items, the commission ledger and the commission report in the back office."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from live.admin import LiveSessionAdmin
from live.models import CommissionEntry, LiveSessionItem
from producers.models import ProducerActivity
from tests.admin_forms import change_form_data
from tests.api import snapshot
from tests.factories import (
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    OrderLineFactory,
    ProducerFactory,
    UserFactory,
)


def session_url(session) -> str:
    return reverse("admin:live_livesession_change", args=[session.pk])


@pytest.mark.django_db
def test_staff_see_a_featured_items_terms_but_cannot_change_them_behind_the_producers_back(admin_client):
    """The session page shows each item's live price, cap, sold units and consent; a posted change of terms is
    ignored, since only the host's page sets terms (and asks the producer again)."""
    item = LiveSessionItemFactory(flash_price=Decimal("49.00"), quantity_cap=100, quantity_sold=10)
    page = admin_client.get(session_url(item.session), HTTP_ACCEPT_LANGUAGE="en")
    data = change_form_data(page)
    data.update({"items-0-flash_price": "9.00", "items-0-quantity_cap": "5000", "items-0-consent": "accepted"})

    response = admin_client.post(session_url(item.session), data)

    assert page.status_code == 200
    assert "49.00" in page.content.decode()
    assert 'name="items-0-flash_price"' not in page.content.decode()
    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert (item.flash_price, item.quantity_cap) == (Decimal("49.00"), 100)


@pytest.mark.django_db
def test_saving_a_session_never_writes_back_the_sold_count(admin_client, monkeypatch):
    """Staff retitle a session while shoppers buy 5 units: the new title and the higher sold count both stay."""
    item = LiveSessionItemFactory(quantity_cap=100, quantity_sold=10)
    data = change_form_data(admin_client.get(session_url(item.session)))
    data["name_en"] = "Grape harvest, second evening"
    save_related = LiveSessionAdmin.save_related

    def sold_meanwhile(self, request, form, formsets, change):
        LiveSessionItem.objects.filter(pk=item.pk).update(quantity_sold=F("quantity_sold") + 5)
        return save_related(self, request, form, formsets, change)

    monkeypatch.setattr(LiveSessionAdmin, "save_related", sold_meanwhile)

    response = admin_client.post(session_url(item.session), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    item.session.refresh_from_db()
    assert (item.session.name_en, item.quantity_sold) == ("Grape harvest, second evening", 15)


@pytest.mark.django_db
def test_staff_set_a_hosts_commission_rate(admin_client):
    """The host's page sets the commission rate the commission report uses."""
    host = HostFactory(commission_rate=Decimal("0.0500"))
    url = reverse("admin:live_host_change", args=[host.pk])
    data = change_form_data(admin_client.get(url))
    data["commission_rate"] = "8"  # typed as a percentage

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0800")


@pytest.mark.django_db
def test_a_commission_rate_above_100_percent_is_refused(admin_client):
    """A rate of 150% is a form error, not a database crash."""
    host = HostFactory()
    url = reverse("admin:live_host_change", args=[host.pk])
    data = change_form_data(admin_client.get(url))
    data["commission_rate"] = "150"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0500")


# The producer's answer, and staff accepting for producers who sell through a depot

Consent = LiveSessionItem.Consent


def items_url() -> str:
    return reverse("admin:live_livesessionitem_changelist")


def sessions_url() -> str:
    return reverse("admin:live_livesession_changelist")


@pytest.mark.django_db
def test_the_items_inline_shows_consent_answered_by_and_when_read_only(admin_client):
    """The session page shows the producer's answer, and saving it cannot change that answer."""
    farmer = UserFactory(username="abdukerim")
    item = LiveSessionItemFactory(consent=Consent.ACCEPTED, consent_by=farmer, consent_at=timezone.now())
    page = admin_client.get(session_url(item.session), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    data = change_form_data(page)
    data["items-0-consent"] = Consent.DECLINED
    data["items-0-consent_by"] = str(UserFactory().pk)

    response = admin_client.post(session_url(item.session), data)

    assert "Accepted by the producer" in html and "abdukerim" in html
    assert 'name="items-0-consent"' not in html
    assert 'name="items-0-consent_by"' not in html
    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert (item.consent, item.consent_by) == (Consent.ACCEPTED, farmer)


@pytest.fixture
def depot_and_member_items():
    """One session featuring a household that sells through a depot (proposed and declined items) and a
    producer who answers for itself (proposed)."""
    session = LiveSessionFactory()
    household = ProducerFactory(name_en="Old Ali", sells_through_depot=True)
    vineyard = ProducerFactory(name_zh="", name_en="Tuyoq Vineyard", original_language="en")
    return {
        "depot": LiveSessionItemFactory(
            session=session, variant__product__producer=household, consent=Consent.PROPOSED
        ),
        "declined": LiveSessionItemFactory(
            session=session, variant__product__producer=household, consent=Consent.DECLINED
        ),
        "member": LiveSessionItemFactory(
            session=session, variant__product__producer=vineyard, consent=Consent.PROPOSED
        ),
    }


def consents(items: dict) -> dict:
    return {name: LiveSessionItem.objects.get(pk=item.pk).consent for name, item in items.items()}


@pytest.mark.django_db
def test_the_session_action_accepts_only_items_of_producers_who_sell_through_a_depot(
    admin_client, admin_user, depot_and_member_items
):
    """Staff accept for the household; the other producer's item is skipped with the reason, and a declined
    item stays declined."""
    items = depot_and_member_items
    session = items["depot"].session

    response = admin_client.post(
        sessions_url(),
        {"action": "accept_for_depot_producers", "_selected_action": [session.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert consents(items) == {"depot": Consent.ACCEPTED, "declined": Consent.DECLINED, "member": Consent.PROPOSED}
    accepted = LiveSessionItem.objects.get(pk=items["depot"].pk)
    assert accepted.consent_by == admin_user and accepted.consent_at is not None
    shown = [str(message) for message in response.context["messages"]]
    assert "Accepted 1 item for a producer who sells through a depot." in shown
    assert (
        "Skipped the items of Tuyoq Vineyard: they do not sell through a depot, "
        "so only their members can accept, from their dashboard."
    ) in shown
    activity = ProducerActivity.objects.get()
    assert (activity.producer, activity.actor, activity.on_behalf) == (
        items["depot"].variant.product.producer,
        admin_user,
        True,
    )


@pytest.mark.django_db
def test_the_items_list_action_accepts_the_selected_items_of_depot_producers_only(admin_client, depot_and_member_items):
    items = depot_and_member_items
    selected = [item.pk for item in items.values()]

    response = admin_client.post(
        items_url(),
        {"action": "accept_for_depot_producers", "_selected_action": selected},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert consents(items) == {"depot": Consent.ACCEPTED, "declined": Consent.DECLINED, "member": Consent.PROPOSED}
    shown = [str(message) for message in response.context["messages"]]
    assert "Skipped 1 item the producer has already answered." in shown
    assert any(message.startswith("Skipped the items of Tuyoq Vineyard") for message in shown)


@pytest.mark.django_db
def test_staff_who_may_only_view_items_cannot_accept_for_producers(client, depot_and_member_items):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_livesessionitem"), Permission.objects.get(codename="view_livesession")
    )
    client.force_login(viewer)
    before = snapshot()

    listing = client.get(items_url())
    client.post(
        items_url(),
        {"action": "accept_for_depot_producers", "_selected_action": [depot_and_member_items["depot"].pk]},
    )

    assert listing.status_code == 200
    assert "accept_for_depot_producers" not in listing.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_featured_items_cannot_be_added_changed_or_deleted_from_their_own_list(admin_client):
    """Items are edited on their session's page (through its inline); their own list only shows them."""
    item = LiveSessionItemFactory(consent=Consent.PROPOSED)
    change = reverse("admin:live_livesessionitem_change", args=[item.pk])
    before = snapshot()

    assert admin_client.get(reverse("admin:live_livesessionitem_add")).status_code == 403
    assert admin_client.post(change, {"consent": Consent.ACCEPTED, "flash_price": "1.00"}).status_code == 403
    assert admin_client.post(reverse("admin:live_livesessionitem_delete", args=[item.pk])).status_code == 403
    assert snapshot() == before


# The commission ledger and the report by host and month


def commission_entry(host, *, kind: str, amount: str, at, event: str = "placed") -> CommissionEntry:
    """One ledger entry of ``host`` on a new order line of one of its sessions, written at ``at``."""
    session = LiveSessionFactory(host=host)
    line = OrderLineFactory(fulfilment__order__live_session=session)
    return CommissionEntry.objects.create(
        host=host,
        session=session,
        order=line.order,
        order_line=line,
        kind=kind,
        event=event,
        base=Decimal("100.00"),
        rate=Decimal("0.0500"),
        amount=Decimal(amount),
        created_at=at,
    )


SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def ledger():
    """Two hosts' entries over January and February 2025 in Shanghai time.

    Gulnar's 23:30 entry on 31 January in Shanghai is 15:30 UTC: it counts in January; her 00:30 entry on
    1 February in Shanghai is still 31 January in UTC: it counts in February.
    """
    gulnar = HostFactory(display_name="Gulnar")
    mahmut = HostFactory(display_name="Mahmut")
    entries = [
        commission_entry(gulnar, kind="pending", amount="5.00", at=shanghai(2025, 1, 10, 12)),
        commission_entry(gulnar, kind="earned", amount="3.00", at=shanghai(2025, 1, 31, 23, 30), event="completed"),
        commission_entry(gulnar, kind="pending", amount="-3.00", at=shanghai(2025, 1, 31, 23, 30), event="completed"),
        commission_entry(gulnar, kind="reversed", amount="2.00", at=shanghai(2025, 2, 1, 0, 30), event="cancelled"),
        commission_entry(gulnar, kind="pending", amount="-2.00", at=shanghai(2025, 2, 1, 0, 30), event="cancelled"),
        commission_entry(mahmut, kind="pending", amount="7.50", at=shanghai(2025, 2, 14, 9)),
        commission_entry(mahmut, kind="earned", amount="1.25", at=shanghai(2025, 2, 20, 9), event="completed"),
    ]
    return gulnar, mahmut, entries


def report_url(**query) -> str:
    url = reverse("admin:live_host_commission")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def report_csv_url(**query) -> str:
    url = reverse("admin:live_host_commission_csv")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def table_rows(html: str) -> list[list[str]]:
    """The report table's rows as the text of their cells."""
    table = re.search(r'<table id="commission-report">(.*?)</table>', html, re.S)
    assert table, "no report table"
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[1], re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


@pytest.mark.django_db
def test_the_commission_report_sums_pending_earned_and_reversed_per_host_and_shanghai_month(admin_client, ledger):
    response = admin_client.get(report_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert table_rows(response.content.decode()) == [
        ["Month", "Host", "Pending", "Earned", "Reversed"],
        ["2025-02", "Gulnar", "¥-2.00", "¥0.00", "¥2.00"],
        ["2025-02", "Mahmut", "¥7.50", "¥1.25", "¥0.00"],
        ["Total 2025-02", "¥5.50", "¥1.25", "¥2.00"],
        ["2025-01", "Gulnar", "¥2.00", "¥3.00", "¥0.00"],
        ["Total 2025-01", "¥2.00", "¥3.00", "¥0.00"],
        ["Total", "¥7.50", "¥4.25", "¥2.00"],
    ]


@pytest.mark.django_db
def test_the_commission_report_can_show_one_host(admin_client, ledger):
    _gulnar, mahmut, _entries = ledger

    response = admin_client.get(report_url(host=mahmut.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert table_rows(response.content.decode())[1:] == [
        ["2025-02", "Mahmut", "¥7.50", "¥1.25", "¥0.00"],
        ["Total 2025-02", "¥7.50", "¥1.25", "¥0.00"],
        ["Total", "¥7.50", "¥1.25", "¥0.00"],
    ]


@pytest.mark.django_db
def test_the_commission_report_downloads_as_csv_with_a_bom_and_the_same_figures(admin_client, ledger):
    """The same rows and totals; amounts are plain numbers, negative ones too (they are not formulas)."""
    response = admin_client.get(report_csv_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="oasis-commission-')
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(content[1:]))) == [
        ["Month", "Host", "Pending (CNY)", "Earned (CNY)", "Reversed (CNY)"],
        ["2025-02", "Gulnar", "-2.00", "0.00", "2.00"],
        ["2025-02", "Mahmut", "7.50", "1.25", "0.00"],
        ["2025-01", "Gulnar", "2.00", "3.00", "0.00"],
        ["Total", "", "7.50", "4.25", "2.00"],
    ]


@pytest.mark.django_db
def test_host_names_in_the_commission_csv_cannot_run_as_spreadsheet_formulas(admin_client):
    host = HostFactory(display_name="=HYPERLINK(1)")
    commission_entry(host, kind="pending", amount="1.00", at=shanghai(2025, 3, 1, 12))

    content = b"".join(admin_client.get(report_csv_url()).streaming_content).decode("utf-8")

    assert "'=HYPERLINK(1)" in content


@pytest.mark.django_db
def test_the_host_and_commission_lists_link_to_the_report(admin_client):
    HostFactory()

    for url in (reverse("admin:live_host_changelist"), reverse("admin:live_commissionentry_changelist")):
        assert f'href="{report_url()}"' in admin_client.get(url).content.decode(), url


@pytest.mark.django_db
def test_someone_not_staff_cannot_reach_the_commission_report_or_its_csv(client, ledger):
    client.force_login(UserFactory())

    for url in (report_url(), report_csv_url()):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_staff_without_the_commission_view_permission_are_refused_the_report(client, ledger):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_host"))
    client.force_login(staff)

    assert client.get(report_url()).status_code == 403
    assert client.get(report_csv_url()).status_code == 403
    assert f'href="{report_url()}"' not in client.get(reverse("admin:live_host_changelist")).content.decode()


@pytest.mark.django_db
def test_the_commission_ledger_lists_entries_and_finds_them_by_order_number_or_host(admin_client, ledger):
    _gulnar, _mahmut, entries = ledger
    wanted = entries[0]
    url = reverse("admin:live_commissionentry_changelist")

    listing = admin_client.get(url)
    by_number = admin_client.get(url, {"q": wanted.order.number})
    by_host = admin_client.get(url, {"q": "Mahmut"})
    by_kind = admin_client.get(url, {"kind__exact": "reversed"})

    assert listing.context["cl"].result_count == len(entries)
    assert wanted.order.number in listing.content.decode()
    assert list(by_number.context["cl"].result_list) == [wanted]
    assert {entry.host.display_name for entry in by_host.context["cl"].result_list} == {"Mahmut"}
    assert [entry.kind for entry in by_kind.context["cl"].result_list] == ["reversed"]


@pytest.mark.django_db
def test_the_commission_ledger_cannot_be_added_to_changed_or_deleted(admin_client, ledger):
    entry = ledger[2][0]
    before = snapshot()

    add = admin_client.get(reverse("admin:live_commissionentry_add"))
    change_page = admin_client.get(reverse("admin:live_commissionentry_change", args=[entry.pk]))
    change = admin_client.post(reverse("admin:live_commissionentry_change", args=[entry.pk]), {"amount": "999.00"})
    delete = admin_client.post(reverse("admin:live_commissionentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk_delete = admin_client.post(
        reverse("admin:live_commissionentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert change_page.status_code == 200 and 'name="_save"' not in change_page.content.decode()
    assert bulk_delete.status_code in (200, 302)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_commission_rate_outside_0_to_1_is_refused_with_words_staff_understand(admin_client):
    host = HostFactory(commission_rate=Decimal("0.0500"))
    url = reverse("admin:live_host_change", args=[host.pk])
    data = change_form_data(admin_client.get(url))
    data["commission_rate"] = "150"

    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "as a percentage from 0 to 100" in response.content.decode()
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0500")
