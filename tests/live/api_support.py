"""What the host and proposal API tests share: hosts with their clients, sessions, featured items, orders."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Variant
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.models import User
from orders.models import Order
from orders.services import LineRequest, order_place
from tests.factories import LiveSessionFactory, LiveSessionItemFactory, ProductFactory, UserFactory, VariantFactory
from tests.orders.conftest import CONTACT, ship

LIVE = LiveSession.Status.LIVE
SCHEDULED = LiveSession.Status.SCHEDULED
ENDED = LiveSession.Status.ENDED
CANCELLED = LiveSession.Status.CANCELLED
PROPOSED = LiveSessionItem.Consent.PROPOSED
ACCEPTED = LiveSessionItem.Consent.ACCEPTED
DECLINED = LiveSessionItem.Consent.DECLINED

SESSIONS = reverse("api-host-session-list")
COMMISSION = reverse("api-host-commission")
PROPOSALS = reverse("api-live-proposal-list")
ORDERS = "/api/v1/orders/"


def client_for(user: User | None) -> APIClient:
    """A client signed in as ``user`` (anonymous for None), reading answers in English."""
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user=user)
    return client


def session_url(slug: str, action: str = "") -> str:
    """The host's session, or one of its sub-resources: "go-live", "end", "cancel", "cover", "items", "figures"."""
    name = f"api-host-session-{action}" if action else "api-host-session-detail"
    return reverse(name, kwargs={"slug": slug})


def item_url(item: LiveSessionItem) -> str:
    return reverse("api-host-item-detail", kwargs={"pk": item.pk})


def proposal_url(item: LiveSessionItem, answer: str) -> str:
    return reverse(f"api-live-proposal-{answer}", kwargs={"pk": item.pk})


def make_session(
    host: Host, *, slug: str, status: str = SCHEDULED, starts_in: timedelta = timedelta(hours=1), **kwargs
) -> LiveSession:
    """A two-hour session of ``host`` starting ``starts_in`` from now."""
    starts_at = timezone.now() + starts_in
    return LiveSessionFactory(
        host=host, slug=slug, status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs
    )


def make_variant(producer, *, price: str = "59.90", stock: int = 50, name: str = "Seedless grapes") -> Variant:
    product = ProductFactory(producer=producer, name_zh="", name_en=name, original_language="en")
    return VariantFactory(product=product, name_zh="", name_en="2 kg box", price=Decimal(price), stock=stock)


def feature(session: LiveSession, variant: Variant, *, consent: str = ACCEPTED, **kwargs) -> LiveSessionItem:
    terms = {"flash_price": Decimal("46.90"), "quantity_cap": 100, "per_shopper_limit": 2, **kwargs}
    return LiveSessionItemFactory(session=session, variant=variant, consent=consent, **terms)


# Each buyer's own mobile number: live limits count an account and its number together.
_phones = itertools.count(13900000000)


def buy(session: LiveSession | None, lines: dict[Variant, int], *, shopper: User | None = None) -> Order:
    """An order placed through the service by a buyer of their own, naming ``session`` as the share link would."""
    return order_place(
        shopper=shopper or UserFactory(),
        contact=dataclasses.replace(CONTACT, phone=str(next(_phones))),
        lines=[LineRequest(variant_id=variant.pk, quantity=quantity) for variant, quantity in lines.items()],
        delivery=ship(),
        payment_method="cod",
        live_session_slug=session.slug if session else "",
    )
