"""A producer answering a proposal while checkout holds the item's variant: the answer waits its turn, and
neither side deadlocks (checkout locks variants before items; the answer locks only the item)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from catalog.models import Variant
from live.models import LiveSession, LiveSessionItem
from live.services import item_answer
from tests.factories import LiveSessionItemFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_declining_while_an_order_holds_the_variant_waits_instead_of_deadlocking():
    item = LiveSessionItemFactory(session__status=LiveSession.Status.LIVE, flash_price=Decimal("9.00"))
    member = MembershipFactory(producer=item.variant.product.producer).user
    variant_locked = threading.Event()
    errors: list[BaseException] = []

    def checkout_like() -> None:
        """What order_place does: the variant first, then (a moment later) the live item."""
        try:
            with transaction.atomic():
                Variant.objects.select_for_update().get(pk=item.variant_id)
                variant_locked.set()
                threading.Event().wait(0.5)  # the producer answers meanwhile
                list(LiveSessionItem.objects.select_for_update().filter(pk=item.pk))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def producer_answers() -> None:
        try:
            variant_locked.wait(5)
            item_answer(item=item, actor=member, accept=False)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout_like), threading.Thread(target=producer_answers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    item.refresh_from_db()
    assert item.consent == LiveSessionItem.Consent.DECLINED
