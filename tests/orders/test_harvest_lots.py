"""Traceable lots: a producer records a harvest lot and receives stock into it; a parcel packed records the lots
it came from, oldest pick first; its packing slip's QR code opens a public page with the village, producer, pick
date and grade, and nothing about the order or the shopper."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from catalog.models import HarvestLot, LotReceipt, Variant
from marketplace.qr import qr_svg_inline
from orders import services
from orders.models import Fulfilment, ParcelLot
from tests.api import snapshot
from tests.factories import (
    FulfilmentFactory,
    MembershipFactory,
    OrderLineFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
)
from tests.photo_files import solid_png

EN = {"accept-language": "en"}
TODAY = timezone.localdate()


@pytest.fixture
def farm():
    member = MembershipFactory(producer__name_en="Abdukerim's vineyard", producer__slug="abdukerim")
    product = ProductFactory(producer=member.producer, name_en="Seedless grapes", slug="seedless")
    variant = VariantFactory(product=product, name_en="2.5 kg box", stock=0)
    return member, product, variant


def lot(product, *, plot="Upper vineyard", picked_on=None, grade=HarvestLot.Grade.SPECIAL, **fields) -> HarvestLot:
    return HarvestLot.objects.create(
        producer=product.producer, product=product, plot=plot, picked_on=picked_on or TODAY, grade=grade, **fields
    )


def lots_url(producer) -> str:
    return reverse("dashboard-lots", kwargs={"producer": producer.slug})


def receive_url(harvest) -> str:
    return reverse("dashboard-lot-receive", kwargs={"producer": harvest.producer.slug, "pk": harvest.pk})


NEW_LOT = {
    "new-plot": "Upper vineyard by the canal",
    "new-picked_on": TODAY.isoformat(),
    "new-grade": "special",
    "new-test_result": "Pesticide residue: pass (Turpan inspection station)",
}


@pytest.mark.django_db
def test_a_producer_records_a_lot_and_receives_its_boxes_into_stock(client, farm):
    member, product, variant = farm
    client.force_login(member.user)

    response = client.post(lots_url(member.producer), {**NEW_LOT, "new-product": product.pk})
    harvest = HarvestLot.objects.get()
    received = client.post(
        receive_url(harvest), {f"lot{harvest.pk}-variant": variant.pk, f"lot{harvest.pk}-quantity": "40"}
    )
    page = client.get(lots_url(member.producer), headers=EN).content.decode()

    assert response.status_code == 302 and received.status_code == 302
    assert (harvest.plot, harvest.picked_on, harvest.grade) == ("Upper vineyard by the canal", TODAY, "special")
    assert harvest.test_result.startswith("Pesticide residue: pass")
    variant.refresh_from_db()
    assert variant.stock == 40
    assert list(LotReceipt.objects.values_list("lot", "variant", "quantity", "packed")) == [
        (harvest.pk, variant.pk, 40, 0)
    ]
    assert "Upper vineyard by the canal" in page and "Special grade" in page
    assert "Added 40 units of Seedless grapes · 2.5 kg box to the stock from this lot." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"new-plot": "  "}, "plot", "This field is required."),
        ({"new-plot": "x" * 121}, "plot", "Ensure this value has at most 120 characters"),
        ({"new-picked_on": (TODAY + timedelta(days=1)).isoformat()}, "picked_on", "cannot be in the future"),
        ({"new-picked_on": (TODAY - timedelta(days=731)).isoformat()}, "picked_on", "more than two years ago"),
        ({"new-picked_on": "31/02/2026"}, "picked_on", "Enter a valid date."),
        ({"new-grade": "best"}, "grade", "Select a valid choice."),
        ({"new-test_result": "y" * 201}, "test_result", "at most 200 characters"),
    ],
)
def test_a_lot_with_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(client, farm, changes, field, message):
    member, product, _variant = farm
    client.force_login(member.user)
    before = snapshot()

    response = client.post(lots_url(member.producer), {**NEW_LOT, "new-product": product.pk, **changes}, headers=EN)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_producer_cannot_record_a_lot_of_another_producers_product_nor_receive_into_its_lot(client, farm):
    member, _product, _variant = farm
    other = ProductFactory(producer=ProducerFactory())
    other_lot = lot(other)
    client.force_login(member.user)
    before = snapshot()

    refused = client.post(lots_url(member.producer), {**NEW_LOT, "new-product": other.pk}, headers=EN)
    hidden = client.post(receive_url(other_lot).replace(other.producer.slug, member.producer.slug), {})

    assert list(refused.context["form"].errors) == ["product"]
    assert "Select a valid choice." in refused.content.decode()
    assert hidden.status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "greater than or equal to 1"),
        ("-3", "greater than or equal to 1"),
        ("100001", "less than or equal to 100000"),
        ("ten", "Enter a whole number."),
    ],
)
def test_receiving_a_bad_quantity_is_refused_and_the_stock_does_not_change(client, farm, quantity, message):
    member, product, variant = farm
    harvest = lot(product)
    client.force_login(member.user)
    before = snapshot()

    response = client.post(
        receive_url(harvest),
        {f"lot{harvest.pk}-variant": variant.pk, f"lot{harvest.pk}-quantity": quantity},
        headers=EN,
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_size_of_another_product_cannot_be_received_into_a_lot(client, farm):
    member, product, _variant = farm
    harvest = lot(product)
    raisins = VariantFactory(product=ProductFactory(producer=member.producer))
    client.force_login(member.user)
    before = snapshot()

    response = client.post(
        receive_url(harvest), {f"lot{harvest.pk}-variant": raisins.pk, f"lot{harvest.pk}-quantity": "5"}, headers=EN
    )

    assert "Select a valid choice." in response.content.decode()
    assert snapshot() == before


def parcel_of(variant, quantity: int) -> Fulfilment:
    line = OrderLineFactory(
        fulfilment__producer=variant.product.producer,
        variant=variant,
        quantity=quantity,
        unit_price=Decimal("10.00"),
        line_total=Decimal("10.00") * quantity,
    )
    return line.fulfilment


@pytest.mark.django_db
def test_packing_records_the_lots_oldest_pick_first_as_far_as_their_units_go(farm):
    _member, product, variant = farm
    early = lot(product, plot="Lower field", picked_on=TODAY - timedelta(days=4), grade="first")
    late = lot(product, plot="Upper vineyard", picked_on=TODAY)
    late_receipt = LotReceipt.objects.create(lot=late, variant=variant, quantity=10)
    early_receipt = LotReceipt.objects.create(lot=early, variant=variant, quantity=3)
    first, second = parcel_of(variant, 5), parcel_of(variant, 9)

    services.fulfilment_transition(fulfilment=first, to=Fulfilment.Status.PACKED, actor=None)
    services.fulfilment_transition(fulfilment=second, to=Fulfilment.Status.PACKED, actor=None)

    recorded = ParcelLot.objects.order_by("fulfilment", "receipt__lot__picked_on")
    assert [(p.fulfilment_id, p.receipt.lot.plot, p.quantity) for p in recorded] == [
        (first.pk, "Lower field", 3),
        (first.pk, "Upper vineyard", 2),
        # Only 8 units came in with a lot: the 9th of the second parcel was stock received without one.
        (second.pk, "Upper vineyard", 8),
    ]
    early_receipt.refresh_from_db()
    late_receipt.refresh_from_db()
    assert (early_receipt.packed, late_receipt.packed) == (3, 10)


@pytest.mark.django_db(transaction=True)
def test_two_parcels_packed_at_once_never_take_the_same_units_of_a_lot(farm):
    """Two producers' staff press "Packed" on two parcels at the same moment: the lot's 5 units are recorded
    once, 4 in one parcel and 1 in the other, whichever comes first."""
    _member, product, variant = farm
    receipt = LotReceipt.objects.create(lot=lot(product), variant=variant, quantity=5)
    parcels = [parcel_of(variant, 4), parcel_of(variant, 4)]
    start = threading.Barrier(2)
    errors = []

    def pack(parcel):
        try:
            start.wait()
            services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pack, args=(parcel,)) for parcel in parcels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    receipt.refresh_from_db()
    assert receipt.packed == 5
    assert sorted(ParcelLot.objects.values_list("quantity", flat=True)) == [1, 4]


@pytest.fixture
def packed(farm):
    _member, product, variant = farm
    harvest = lot(product, plot="Upper vineyard", picked_on=date(2026, 8, 2), test_result="Residue test: pass")
    LotReceipt.objects.create(lot=harvest, variant=variant, quantity=10)
    parcel = parcel_of(variant, 2)
    order = parcel.order
    order.contact_name, order.contact_phone = "Gulnar Tursun", "13912345678"
    order.ship_recipient, order.ship_street = "Gulnar Tursun", "18 Pomegranate Lane"
    order.save()
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
    return Fulfilment.objects.get(pk=parcel.pk)


@pytest.mark.django_db
def test_the_packing_slip_carries_the_qr_code_of_the_parcels_trace_page(client, farm, packed):
    member, _product, _variant = farm
    client.force_login(member.user)
    slip = reverse("dashboard-packing-slip", kwargs={"producer": member.producer.slug, "pk": packed.pk})

    html = client.get(slip, headers=EN).content.decode()
    trace_url = f"http://testserver{packed.get_trace_url()}"

    assert str(qr_svg_inline(trace_url, title="Where this parcel comes from")) in html
    assert trace_url in html
    assert "Upper vineyard" in html and "2026-08-02" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "ug", "en"])
def test_the_trace_page_shows_where_and_when_it_was_picked_and_nothing_about_the_buyer(client, packed, language):
    response = client.get(packed.get_trace_url(), headers={"accept-language": language})
    html = response.content.decode()

    assert response.status_code == 200
    for shown in (
        "Upper vineyard",
        "2026-08-02",
        "Residue test: pass",
        packed.producer.name,
        packed.producer.village.name,
    ):
        assert escape(shown) in html, shown
    for private in ("Gulnar", "13912345678", "Pomegranate Lane", packed.order.number, packed.order.pickup_code):
        assert private not in html, private
    assert ('dir="rtl"' in html) == (language == "ug")


@pytest.mark.django_db
def test_the_trace_page_says_special_grade_in_english(client, packed):
    html = client.get(packed.get_trace_url(), headers=EN).content.decode()

    assert "Special grade" in html and "Units in this parcel" in html


@pytest.mark.django_db
def test_a_trace_address_with_a_wrong_key_or_parcel_is_not_found(client, packed):
    other = FulfilmentFactory()

    assert client.get(reverse("parcel-trace", kwargs={"pk": packed.pk, "key": "0" * 20})).status_code == 404
    assert client.get(reverse("parcel-trace", kwargs={"pk": other.pk, "key": packed.trace_key})).status_code == 404
    assert client.get(reverse("parcel-trace", kwargs={"pk": 99999999, "key": packed.trace_key})).status_code == 404


@pytest.mark.django_db
def test_a_parcel_not_packed_yet_says_its_lots_come_when_it_is_packed(client, farm):
    _member, _product, variant = farm
    parcel = parcel_of(variant, 1)

    html = client.get(parcel.get_trace_url(), headers=EN).content.decode()

    assert "The harvest lots are recorded when the producer packs this parcel" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "ug", "en"])
def test_the_lots_page_works_in_every_language(client, farm, language):
    member, product, variant = farm
    LotReceipt.objects.create(lot=lot(product), variant=variant, quantity=4)
    client.force_login(member.user)

    html = client.get(lots_url(member.producer), headers={"accept-language": language}).content.decode()

    assert 'name="new-plot"' in html and f'name="lot{HarvestLot.objects.get().pk}-quantity"' in html
    assert ('dir="rtl"' in html) == (language == "ug")
    assert Variant.objects.get().name in html


@pytest.mark.django_db
def test_a_lots_photo_is_kept_re_encoded_and_shown_on_the_trace_page(client, farm):
    member, product, variant = farm
    client.force_login(member.user)
    photo = SimpleUploadedFile("harvest.png", solid_png(800, 600), content_type="image/png")

    response = client.post(lots_url(member.producer), {**NEW_LOT, "new-product": product.pk, "new-photo": photo})

    assert response.status_code == 302
    harvest = HarvestLot.objects.get()
    assert harvest.photo.name.endswith(".jpg") and harvest.photo_thumbnail
    LotReceipt.objects.create(lot=harvest, variant=variant, quantity=10)
    parcel = parcel_of(variant, 1)
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
    trace = client.get(parcel.get_trace_url(), headers=EN).content.decode()
    assert harvest.photo_thumbnail.url in trace
    assert "The harvest from Upper vineyard by the canal" in trace
    assert harvest.photo_thumbnail.url in client.get(lots_url(member.producer)).content.decode()


@pytest.mark.django_db
def test_a_lot_whose_photo_is_not_a_photo_is_refused_and_nothing_is_saved(client, farm):
    member, product, _variant = farm
    client.force_login(member.user)
    before = snapshot()
    fake = SimpleUploadedFile("harvest.jpg", b"not a photo at all", content_type="image/jpeg")

    response = client.post(
        lots_url(member.producer), {**NEW_LOT, "new-product": product.pk, "new-photo": fake}, headers=EN
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["photo"]
    assert snapshot() == before
