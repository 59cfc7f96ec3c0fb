"""Live sessions and hosts in the back office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from live.admin import LiveSessionAdmin
from live.models import LiveSessionItem
from tests.admin_forms import change_form_data
from tests.factories import HostFactory, LiveSessionFactory, LiveSessionItemFactory, VariantFactory


def session_url(session) -> str:
    return reverse("admin:live_livesession_change", args=[session.pk])


@pytest.mark.django_db
def test_featured_variant_is_picked_by_typing_its_sku(admin_client):
    """The featured-item row finds a variant by SKU through autocomplete instead of a list of every variant."""
    wanted = VariantFactory(sku="HAMI-MELON-BOX")
    VariantFactory(sku="WALNUT-1KG")
    session = LiveSessionFactory()

    page = admin_client.get(session_url(session))
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "HAMI", "app_label": "live", "model_name": "livesessionitem", "field_name": "variant"},
    )

    assert page.status_code == 200
    assert "admin-autocomplete" in page.content.decode()
    assert [result["id"] for result in found.json()["results"]] == [str(wanted.pk)]


@pytest.mark.django_db
def test_a_cap_below_what_is_already_sold_is_refused_with_a_message(admin_client):
    """Lowering a featured item's cap under the units already sold shows an error and changes nothing."""
    item = LiveSessionItemFactory(quantity_cap=100, quantity_sold=40)
    data = change_form_data(admin_client.get(session_url(item.session)))
    data["items-0-quantity_cap"] = "30"

    response = admin_client.post(session_url(item.session), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "cannot be below the quantity already sold" in response.content.decode()
    item.refresh_from_db()
    assert item.quantity_cap == 100


@pytest.mark.django_db
def test_saving_a_session_never_writes_back_the_sold_count(admin_client, monkeypatch):
    """Staff change a flash price while shoppers buy 5 units: the new price and the higher sold count both stay."""
    item = LiveSessionItemFactory(quantity_cap=100, quantity_sold=10)
    data = change_form_data(admin_client.get(session_url(item.session)))
    data["items-0-flash_price"] = "39.00"
    save_related = LiveSessionAdmin.save_related

    def sold_meanwhile(self, request, form, formsets, change):
        LiveSessionItem.objects.filter(pk=item.pk).update(quantity_sold=F("quantity_sold") + 5)
        return save_related(self, request, form, formsets, change)

    monkeypatch.setattr(LiveSessionAdmin, "save_related", sold_meanwhile)

    response = admin_client.post(session_url(item.session), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert (item.flash_price, item.quantity_sold) == (Decimal("39.00"), 15)


@pytest.mark.django_db
def test_staff_set_a_hosts_commission_rate(admin_client):
    """The host's page sets the commission rate the commission report uses."""
    host = HostFactory(commission_rate=Decimal("0.0500"))
    url = reverse("admin:live_host_change", args=[host.pk])
    data = change_form_data(admin_client.get(url))
    data["commission_rate"] = "0.0800"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0800")


@pytest.mark.django_db
def test_a_commission_rate_above_100_percent_is_refused(admin_client):
    """A rate of 1.5 (150%) is a form error, not a database crash."""
    host = HostFactory()
    url = reverse("admin:live_host_change", args=[host.pk])
    data = change_form_data(admin_client.get(url))
    data["commission_rate"] = "1.5000"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    host.refresh_from_db()
    assert host.commission_rate == Decimal("0.0500")
