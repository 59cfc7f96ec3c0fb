"""A host's commission: per order line at the rate snapshotted on the order, pending until the order completes,
earned then, reversed on cancellation, expiry or refund — by new entries, never by editing one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from live.models import CommissionEntry, Host, LiveSession
from live.selectors import commission_balances, commission_by_month, commission_by_session
from orders.models import Order
from orders.services import fulfilment_transition, order_cancel, order_expire, order_refund
from tests.factories import LiveSessionItemFactory, UserFactory
from tests.orders.conftest import place

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


@pytest.fixture
def live(shop) -> LiveSession:
    """A session on air by a host on 5%, featuring the grapes at ¥46.90 (normal ¥59.90)."""
    item = LiveSessionItemFactory(
        session__status=LiveSession.Status.LIVE,
        session__host__commission_rate=Decimal("0.0500"),
        variant=shop.grapes,
        flash_price=Decimal("46.90"),
        per_shopper_limit=5,
    )
    return item.session


def balances(**filters) -> dict[str, Decimal]:
    return commission_balances(CommissionEntry.objects.filter(**filters))


def complete(order: Order) -> None:
    for parcel in order.fulfilments.all():
        for step in ("packed", "shipped", "delivered"):
            fulfilment_transition(fulfilment=parcel, to=step, actor=None, tracking_number="SF1")


def entries_as_written() -> list[tuple]:
    return list(CommissionEntry.objects.order_by("pk").values_list("pk", "kind", "event", "amount"))


def test_an_attributed_order_puts_every_line_in_pending_at_the_snapshotted_rate(shop, live):
    order = place(shop, {shop.grapes: 2, shop.raisins: 1}, shopper=UserFactory(), live_session_slug=live.slug)
    Host.objects.filter(pk=live.host_id).update(commission_rate=Decimal("0.2000"))  # later changes do not count

    assert order.live_session == live
    assert order.commission_rate == Decimal("0.0500")
    lines = {line.variant_id: line for line in order.lines.all()}
    assert lines[shop.grapes.pk].unit_price == Decimal("46.90")  # featured: flash price
    assert lines[shop.raisins.pk].unit_price == Decimal("35.00")  # not featured, still attributed
    # 93.80 × 5% = 4.69 and 35.00 × 5% = 1.75
    assert balances(order=order) == {"pending": Decimal("6.44"), "earned": ZERO, "reversed": ZERO}


def test_completing_the_order_moves_its_commission_from_pending_to_earned(shop, live):
    order = place(shop, {shop.grapes: 1}, shopper=UserFactory(), live_session_slug=live.slug)
    written = entries_as_written()

    complete(order)

    assert balances(order=order) == {"pending": ZERO, "earned": Decimal("2.35"), "reversed": ZERO}
    assert entries_as_written()[: len(written)] == written  # nothing edited, only added
    moves = CommissionEntry.objects.filter(event=CommissionEntry.Event.COMPLETED)
    assert sorted(moves.values_list("kind", "amount")) == [("earned", Decimal("2.35")), ("pending", Decimal("-2.35"))]


def test_a_cancelled_attributed_order_leaves_commission_at_zero(shop, live):
    order = place(shop, {shop.grapes: 2}, shopper=UserFactory(), live_session_slug=live.slug)

    order_cancel(order=order, actor=None)

    assert balances(order=order) == {"pending": ZERO, "earned": ZERO, "reversed": Decimal("4.69")}
    negative = CommissionEntry.objects.get(order=order, event="cancelled", kind="pending")
    assert negative.amount == Decimal("-4.69")


def test_an_expired_unpaid_attributed_order_reverses_its_pending_commission(shop, live):
    order = place(shop, {shop.grapes: 1}, shopper=UserFactory(), live_session_slug=live.slug, payment="online")

    assert order_expire(order_id=order.pk, now=order.expires_at + timedelta(seconds=1))

    assert balances(order=order) == {"pending": ZERO, "earned": ZERO, "reversed": Decimal("2.35")}


def test_a_refund_after_completion_reverses_what_was_earned(shop, live):
    order = place(shop, {shop.grapes: 1}, shopper=UserFactory(), live_session_slug=live.slug)
    complete(order)

    order_refund(order=order, actor=None)

    assert balances(order=order) == {"pending": ZERO, "earned": ZERO, "reversed": Decimal("2.35")}
    assert CommissionEntry.objects.get(order=order, event="refunded", kind="earned").amount == Decimal("-2.35")


def test_an_order_placed_after_the_session_ended_carries_no_session_and_no_commission(shop, live):
    LiveSession.objects.filter(pk=live.pk).update(status=LiveSession.Status.ENDED)

    order = place(shop, {shop.grapes: 1}, shopper=UserFactory(), live_session_slug=live.slug)

    assert order.live_session is None
    assert order.lines.get().unit_price == Decimal("59.90")
    assert not CommissionEntry.objects.exists()


def test_balances_by_session_and_month_add_up_to_the_lines(shop, live):
    rounding_prone = [
        place(shop, {shop.grapes: 1}, shopper=UserFactory(), live_session_slug=live.slug) for _ in range(3)
    ]
    complete(rounding_prone[0])
    order_cancel(order=rounding_prone[1], actor=None)

    by_session = list(commission_by_session(host=live.host))
    by_month = list(commission_by_month(host=live.host))

    # Each line is rounded on its own (2.345 → 2.35), and the totals are sums of those lines.
    expected = {"pending": Decimal("2.35"), "earned": Decimal("2.35"), "reversed": Decimal("2.35")}
    assert [{kind: row[kind] for kind in expected} for row in by_session] == [expected]
    assert [{kind: row[kind] for kind in expected} for row in by_month] == [expected]
    assert sum(expected.values()) == 3 * Decimal("2.35")
