"""The one pricing rule: a flash price applies only while its session is on air, to an item its producer
accepted, while units are left under its cap, and only below the normal price."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from live.models import LiveSession, LiveSessionItem
from live.pricing import commission, unit_prices
from tests.factories import LiveSessionItemFactory, VariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item() -> LiveSessionItem:
    variant = VariantFactory(price=Decimal("59.90"), stock=100)
    return LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE, variant=variant, flash_price=Decimal("46.90"), quantity_cap=10
    )


def price_of(item: LiveSessionItem, **kwargs):
    return unit_prices(variants=[item.variant], session=item.session, **kwargs)[item.variant_id]


def test_an_accepted_item_of_a_session_on_air_sells_at_its_flash_price(item):
    price = price_of(item)

    assert price.amount == Decimal("46.90")
    assert price.normal == Decimal("59.90")
    assert price.is_live and price.live_item == item


@pytest.mark.parametrize("consent", [LiveSessionItem.Consent.PROPOSED, LiveSessionItem.Consent.DECLINED])
def test_an_item_the_producer_has_not_accepted_sells_at_the_normal_price(item, consent):
    LiveSessionItem.objects.filter(pk=item.pk).update(consent=consent)

    price = price_of(item)

    assert price.amount == Decimal("59.90")
    assert not price.is_live


@pytest.mark.parametrize(
    "status", [LiveSession.Status.SCHEDULED, LiveSession.Status.ENDED, LiveSession.Status.CANCELLED]
)
def test_a_session_that_is_not_on_air_gives_no_flash_price(item, status):
    LiveSession.objects.filter(pk=item.session_id).update(status=status)
    item.session.refresh_from_db()

    assert price_of(item).amount == Decimal("59.90")


def test_the_flash_price_stops_at_the_scheduled_end_even_before_the_session_is_marked_ended(item):
    end = item.session.ends_at

    assert price_of(item, now=end - timedelta(seconds=1)).amount == Decimal("46.90")
    assert price_of(item, now=end).amount == Decimal("59.90")
    assert item.session.shown_status == LiveSession.Status.LIVE
    past = timezone.now() - timedelta(seconds=1)
    LiveSession.objects.filter(pk=item.session_id).update(starts_at=past - timedelta(hours=1), ends_at=past)
    item.session.refresh_from_db()
    assert item.session.shown_status == LiveSession.Status.ENDED


def test_once_the_cap_is_sold_the_item_sells_at_its_normal_price(item):
    LiveSessionItem.objects.filter(pk=item.pk).update(quantity_sold=10)

    assert price_of(item).amount == Decimal("59.90")


def test_a_flash_price_no_longer_below_the_normal_price_never_raises_what_a_shopper_pays(item):
    item.variant.price = Decimal("40.00")
    item.variant.save()

    price = price_of(item)

    assert price.amount == Decimal("40.00")
    assert not price.is_live


def test_without_a_session_every_variant_has_its_own_price():
    variants = [VariantFactory(price=Decimal("12.00")), VariantFactory(price=Decimal("35.50"))]

    prices = unit_prices(variants=variants, session=None)

    assert {pk: price.amount for pk, price in prices.items()} == {
        variants[0].pk: Decimal("12.00"),
        variants[1].pk: Decimal("35.50"),
    }


@pytest.mark.parametrize(
    ("base", "rate", "expected"),
    [
        (Decimal("93.80"), Decimal("0.0500"), Decimal("4.69")),
        (Decimal("46.90"), Decimal("0.0500"), Decimal("2.35")),  # 2.345 rounds half up
        (Decimal("0.10"), Decimal("0.0500"), Decimal("0.01")),  # 0.005 rounds half up
        (Decimal("0.09"), Decimal("0.0500"), Decimal("0.00")),
        (Decimal("100.00"), Decimal("0"), Decimal("0.00")),
    ],
)
def test_commission_is_rounded_half_up_to_the_fen(base, rate, expected):
    assert commission(base=base, rate=rate) == expected


@pytest.mark.parametrize(
    ("quantity", "bought", "live"),
    [(2, 0, True), (3, 0, False), (1, 1, True), (2, 1, False), (1, 2, False)],
)
def test_a_line_gets_the_flash_price_only_when_all_its_units_fit_the_buyers_allowance(item, quantity, bought, live):
    LiveSessionItem.objects.filter(pk=item.pk).update(per_shopper_limit=2)

    price = unit_prices(
        variants=[item.variant], session=item.session, quantities={item.variant_id: quantity}, bought={item.pk: bought}
    )[item.variant_id]

    assert price.amount == (Decimal("46.90") if live else Decimal("59.90"))
    assert (price.missed is None) == live
    assert price.allowance == 2 - bought


def test_the_units_left_under_the_cap_bound_the_allowance(item):
    LiveSessionItem.objects.filter(pk=item.pk).update(quantity_sold=9, per_shopper_limit=5)

    prices = unit_prices(variants=[item.variant], session=item.session, quantities={item.variant_id: 2})

    assert prices[item.variant_id].amount == Decimal("59.90")
    assert prices[item.variant_id].allowance == 1
