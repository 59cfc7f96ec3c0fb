"""Every write to producers goes through a function here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.models import User
from producers.models import Producer


def producers_verify(*, producers: QuerySet[Producer], by: User) -> int:
    """Mark the unverified ones among ``producers`` as verified by ``by``, now; return how many.

    A producer already verified keeps who verified it and when: verifying again
    must not rewrite the record of the first check.
    """
    now = timezone.now()
    return Producer.objects.filter(pk__in=producers.values("pk"), is_verified=False).update(
        is_verified=True, verified_at=now, verified_by=by, updated_at=now
    )


def producer_verify(*, producer: Producer, by: User) -> None:
    """Mark one producer as verified by ``by``, now (nothing changes if it already is)."""
    producers_verify(producers=Producer.objects.filter(pk=producer.pk), by=by)
    producer.refresh_from_db(fields=["is_verified", "verified_at", "verified_by", "updated_at"])


def producers_unverify(*, producers: QuerySet[Producer]) -> int:
    """Withdraw verification: the producers' products leave the storefront and the public API."""
    return Producer.objects.filter(pk__in=producers.values("pk"), is_verified=True).update(
        is_verified=False, verified_at=None, verified_by=None, updated_at=timezone.now()
    )
