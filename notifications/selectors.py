"""Reads of the on-site inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import User
from notifications.models import Notice


def notices_of(*, user: User) -> QuerySet[Notice]:
    """``user``'s notices, newest first."""
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")
