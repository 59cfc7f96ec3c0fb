"""The demo host's live sessions, their featured items and the orders placed from their share links."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.db.models import F
from django.utils import timezone, translation

from catalog.models import Variant
from demo.data.live import HOST_COMMISSION_RATE, HOST_DISPLAY_NAME, LIVE_SESSIONS, LiveOrderSeed, LiveSessionSeed
from demo.seeding import photos
from demo.seeding.fields import seed_number, translated_fields
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from live.services import item_answer, session_end, session_go_live
from marketplace.models import User
from orders.models import Fulfilment, Order, OrderEvent, Payment
from orders.services import Address, Contact, Delivery, LineRequest, fulfilment_transition, order_cancel, order_place
from orders.transitions import PARCEL_PATH, parcel_steps
from producers.models import ProducerActivity


def _flash_price(price: Decimal) -> Decimal:
    """About 20% off, ending in .90 as flash prices on the livestream usually do."""
    return (price * Decimal("0.8")).quantize(Decimal("1"), rounding=ROUND_FLOOR) - Decimal("0.10")


def seed_live(*, host_user: User, members: dict[str, User], now: datetime) -> None:
    """The demo host's sessions: one on air now, one tomorrow with a proposal waiting for demo-farmer, one
    that ended last week. Their orders are placed from the share link while the session is on air, through
    the order services, so flash prices, sold units and the host's commission are what a real show leaves."""
    host, _ = Host.objects.update_or_create(
        user=host_user,
        defaults={"display_name": HOST_DISPLAY_NAME, "commission_rate": HOST_COMMISSION_RATE, "is_active": True},
    )
    skus = {item.sku for seed in LIVE_SESSIONS for item in seed.items} | {
        sku for seed in LIVE_SESSIONS for order in seed.orders for sku, _quantity in order.lines
    }
    variants = {
        variant.sku: variant for variant in Variant.objects.filter(sku__in=skus).select_related("product__producer")
    }
    for seed in LIVE_SESSIONS:
        if seed.status == LiveSession.Status.ENDED:
            session = _seed_ended_session(host=host, seed=seed, variants=variants, members=members, now=now)
        else:
            starts_at, ends_at = _session_times(seed, now)
            # Re-timed on every run, so that the session on air really is on air whenever the demo starts.
            session = _session_write(
                host=host,
                seed=seed,
                status=seed.status,
                starts_at=starts_at,
                ends_at=ends_at,
                went_live_at=starts_at if seed.status == LiveSession.Status.LIVE else None,
            )
            _seed_live_items(session=session, seed=seed, variants=variants, members=members)
            for order_seed in seed.orders:
                order = _place_live_order(session=session, order_seed=order_seed, variants=variants)
                _move_live_order(order=order, order_seed=order_seed, members=members)
        if not session.cover:
            cover = photos.product_picture(picture=seed.picture, seed=seed_number(f"live:{seed.slug}"))
            session.cover.save(cover.name, cover, save=True)


def _session_times(seed: LiveSessionSeed, now: datetime) -> tuple[datetime, datetime]:
    if seed.starts is None:
        return now - timedelta(minutes=30), now + timedelta(hours=2, minutes=30)
    days, hour = seed.starts
    day = timezone.localdate(now) + timedelta(days=days)
    starts_at = timezone.make_aware(datetime.combine(day, time(hour)))
    return starts_at, starts_at + timedelta(hours=2)


def _session_write(
    *,
    host: Host,
    seed: LiveSessionSeed,
    status: str,
    starts_at: datetime,
    ends_at: datetime,
    went_live_at: datetime | None,
) -> LiveSession:
    session, _ = LiveSession.objects.update_or_create(
        slug=seed.slug,
        defaults={
            "host": host,
            "status": status,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "went_live_at": went_live_at,
            "ended_at": None,
            **translated_fields(seed.title, seed.description),
        },
    )
    return session


def _seed_live_items(
    *, session: LiveSession, seed: LiveSessionSeed, variants: dict[str, Variant], members: dict[str, User]
) -> None:
    """The session's featured items at about 20% off; accepted ones answered by a member of their producer."""
    for position, item_seed in enumerate(seed.items, start=1):
        variant = variants[item_seed.sku]
        item, _ = LiveSessionItem.objects.update_or_create(
            session=session,
            variant=variant,
            defaults={
                "flash_price": _flash_price(variant.price),
                "quantity_cap": item_seed.quantity_cap,
                "per_shopper_limit": item_seed.per_shopper_limit,
                "position": position,
            },
        )
        if item_seed.accepted:
            # Answering again changes nothing: the producer's activity records the acceptance once.
            item_answer(item=item, actor=members[variant.product.producer.slug], accept=True)
        elif item.consent != LiveSessionItem.Consent.PROPOSED:
            # The demo keeps its proposal waiting, whatever was answered during an earlier demo.
            item.consent, item.consent_by, item.consent_at = LiveSessionItem.Consent.PROPOSED, None, None
            item.save(update_fields=["consent", "consent_by", "consent_at"])


def _seed_ended_session(
    *, host: Host, seed: LiveSessionSeed, variants: dict[str, Variant], members: dict[str, User], now: datetime
) -> LiveSession:
    """A session that ended last week with units sold.

    The show runs once, now: the session goes live, its orders are placed while it is on air and it ends;
    then the session, its orders and its commission entries move back to last week, and the orders are
    fulfilled. Once ended, later runs leave it as it is.
    """
    session = LiveSession.objects.filter(slug=seed.slug).first()
    if session is not None and session.status == LiveSession.Status.ENDED:
        return session
    started = timezone.now()
    starts_at, ends_at = _session_times(seed, now)
    # Shifted so that the show is 45 minutes in now.
    shift = started - timedelta(minutes=45) - starts_at
    session = _session_write(
        host=host,
        seed=seed,
        status=LiveSession.Status.SCHEDULED,
        starts_at=starts_at + shift,
        ends_at=ends_at + shift,
        went_live_at=None,
    )
    # Items an earlier demo featured here and this one does not, unless units of them have sold.
    session.items.exclude(variant__sku__in=[item.sku for item in seed.items]).filter(order_lines__isnull=True).delete()
    _seed_live_items(session=session, seed=seed, variants=variants, members=members)
    session = session_go_live(session=session, actor=host.user, now=session.starts_at)
    placed = [
        (_place_live_order(session=session, order_seed=order_seed, variants=variants), order_seed)
        for order_seed in seed.orders
    ]
    session = session_end(session=session, actor=host.user, now=session.ends_at)
    _move_back(session=session, shift=shift, since=started)
    for order, order_seed in placed:
        _move_live_order(order=order, order_seed=order_seed, members=members)
    session.refresh_from_db()
    return session


def _move_back(*, session: LiveSession, shift: timedelta, since: datetime) -> None:
    """Move a session that just ran, its orders and commission entries back by ``shift``; the producers
    answered the proposals the day before."""
    earlier = shift + timedelta(days=1)
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        went_live_at=F("went_live_at") - shift,
        ended_at=F("ended_at") - shift,
        created_at=F("created_at") - earlier,
        updated_at=F("updated_at") - shift,
    )
    items = LiveSessionItem.objects.filter(session=session)
    items.filter(consent_at__gte=since).update(consent_at=F("consent_at") - earlier)
    ProducerActivity.objects.filter(
        action=ProducerActivity.Action.LIVE_ITEM_ACCEPTED,
        producer__in=items.values("variant__product__producer"),
        created_at__gte=since,
    ).update(created_at=F("created_at") - earlier)
    orders = Order.objects.filter(live_session=session)
    orders.update(created_at=F("created_at") - shift, updated_at=F("updated_at") - shift)
    for model in (Fulfilment, Payment):
        model.objects.filter(order__in=orders).update(
            created_at=F("created_at") - shift, updated_at=F("updated_at") - shift
        )
    OrderEvent.objects.filter(order__in=orders).update(created_at=F("created_at") - shift)
    CommissionEntry.objects.filter(session=session).update(created_at=F("created_at") - shift)


def _place_live_order(*, session: LiveSession, order_seed: LiveOrderSeed, variants: dict[str, Variant]) -> Order:
    """A guest's order from the session's share link; its idempotency key makes a later run return it."""
    province, city, district, street, postcode = order_seed.address
    with translation.override("zh-hans"):
        return order_place(
            shopper=None,
            contact=Contact(name=order_seed.name, phone=order_seed.phone),
            lines=[LineRequest(variant_id=variants[sku].pk, quantity=quantity) for sku, quantity in order_seed.lines],
            delivery=Delivery(
                method=Order.DeliveryMethod.SHIP,
                address=Address(
                    recipient=order_seed.name,
                    phone=order_seed.phone,
                    province=province,
                    city=city,
                    district=district,
                    street=street,
                    postcode=postcode,
                ),
            ),
            payment_method=Order.PaymentMethod.COD,
            live_session_slug=session.slug,
            idempotency_key=order_seed.key,
        )


def _move_live_order(*, order: Order, order_seed: LiveOrderSeed, members: dict[str, User]) -> None:
    """Cancel the order, or move each parcel forward to the seed's goal (by a member of its producer)."""
    if order.status in (Order.Status.CANCELLED, Order.Status.EXPIRED, Order.Status.REFUNDED):
        return
    with translation.override("zh-hans"):
        if order_seed.goal == Order.Status.CANCELLED:
            order_cancel(order=order, actor=None)
            return
        for parcel in order.fulfilments.select_related("producer").order_by("pk"):
            if parcel.status not in PARCEL_PATH:
                continue
            tracking = f"SF14{seed_number(f'{order_seed.key}:{parcel.producer.slug}'):010d}"
            for step in parcel_steps(parcel.status, order_seed.goal):
                parcel = fulfilment_transition(
                    fulfilment=parcel,
                    to=step,
                    actor=members[parcel.producer.slug],
                    tracking_number=tracking if step == Fulfilment.Status.SHIPPED else "",
                )
