"""Every change to an order: place, pay, cancel, expire, fulfil, refund.

The storefront, the API, the admin and the management commands all call
these functions. Each one that writes runs in one transaction and takes its
locks in the same order — the order row, then variants by primary key, then
live items by primary key — so no two of them can deadlock. Stock is taken
last, just before the commit, so a hot variant's row stays locked as briefly
as possible. Emails are written to the outbox inside the same transaction and
sent by a worker after the commit (``orders/notifications.py``). ``order_place``
runs the steps of ``orders/checkout.py``.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import LotReceipt, PreSale, Variant
from catalog.services import PRE_SALE_MAX_QUANTITY, waitlist_offer
from catalog.stock import stock_release, variants_lock
from live import services as live_services
from live.models import CommissionEntry
from live.stock import live_items_release
from marketplace import rate_limits
from marketplace.audit_log import ORDERS, PAYMENTS, log_event, log_event_on_commit
from marketplace.models import User
from marketplace.money import format_yuan
from marketplace.page_cache import pages_changed
from marketplace.phrases import Phrase
from notifications.one_time_codes import CodeLimited, code_check, code_send
from notifications.sms import sms_send
from orders import checkout, notifications, selectors
from orders.checkout import MAX_LINES as MAX_LINES  # re-exported: the API's serializers read it here
from orders.checkout import Address as Address  # re-exported with the request's other parts, for every caller
from orders.checkout import Contact, Delivery, LineRequest
from orders.errors import IllegalTransition, InvalidOrder, OrderError, PaymentRejected, PricesChanged
from orders.models import (
    Fulfilment,
    Order,
    OrderEvent,
    OrderLine,
    ParcelLot,
    Payment,
    PaymentWebhookEvent,
    Refund,
)
from orders.payments import SIMULATED_PROVIDER as SIMULATED_PROVIDER  # also importable from here
from orders.payments import payment_new
from orders.transitions import (
    FULFILLABLE,
    PARCEL_PATH,
    check_fulfilment_transition,
    check_order_transition,
    parcel_reached,
    parcel_steps,
)
from producers.models import Depot, ProducerActivity
from producers.services import activity_record, depot_day_release


def order_place(
    *,
    shopper: User | None,
    contact: Contact,
    lines: list[LineRequest],
    delivery: Delivery,
    payment_method: str,
    live_session_slug: str = "",
    idempotency_key: str = "",
    expected_subtotal: Decimal | None = None,
    placed_by: User | None = None,
    placed_at_depot: Depot | None = None,
) -> Order:
    """Place an order: prices from the database, stock taken atomically, one parcel per producer.

    ``live_session_slug`` names the session that sent the shopper: while it is on air the order carries it (and its
    host's commission rate), and its accepted items sell at their flash prices within their caps and per-shopper limits;
    after it ends the order is placed at normal prices and carries no session. ``expected_subtotal`` is the goods' total
    the shopper was shown: when prices now differ, nothing is placed and ``PricesChanged`` says the new total.
    ``placed_by`` and ``placed_at_depot`` name the depot manager who took the order for the shopper
    (``order_place_at_depot``): its first event records them.

    Raises ``InvalidOrder`` for a wrong request, ``InsufficientStock`` naming every short variant (nothing changes),
    ``IdempotencyKeyReused`` when the key was used for a different order. The same key with the same request returns the
    first order without taking stock again, also when both requests run at once.
    """
    checked = checkout.check(
        shopper=shopper,
        lines=lines,
        contact=contact,
        delivery=delivery,
        payment_method=payment_method,
        live_session_slug=live_session_slug,
        idempotency_key=idempotency_key,
    )
    checked.placed_by, checked.placed_at_depot = placed_by, placed_at_depot
    try:
        loaded = checkout.load(checked)
        priced = checkout.price(checked, loaded, expected=expected_subtotal)
        return checkout.write(checked, loaded, priced)
    except (InvalidOrder, PricesChanged):  # a retry gets the order its key placed before: ``existing_order``
        if (existing := checkout.existing_order(checked)) is not None:
            return existing
        raise


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


def event_note(note: str | Phrase) -> dict:
    """An ``OrderEvent``'s note columns: a ``Phrase`` (what the system says) is kept as a msgid with parameters and
    translated when shown; a ``str`` is text someone typed (a reason), kept as typed."""
    if isinstance(note, Phrase):
        return {"note_phrase": note.as_json()}
    return {"note": note or ""}


def _record(order: Order, *, to: str, actor: User | None, note: str | Phrase = "", **extra) -> None:
    """Add an event moving ``order`` to ``to``. ``note``: a ``Phrase(gettext_noop("…"), **params)`` for what the
    system says, so every reader sees it in their own language; a plain ``str`` only for text a person typed."""
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to, actor=actor, **event_note(note), **extra
    )
    order.status = to


def _facts(order: Order) -> dict:
    """What an order's log events say about it: its number and ids, never its contact or address."""
    return {"order": order.number, "order_id": order.pk, "user_id": order.shopper_id}


def _release(order: Order, rows: list[tuple[int, int, int | None]], *, offer: bool = True) -> None:
    """Give ``rows`` (variant id, quantity, live item id of order lines) back to stock and to their live items;
    with ``offer``, units of a size shoppers wait for are held for them at once (``waitlist_offer``)."""
    if rows:
        stock_release(quantities={variant_id: quantity for variant_id, quantity, _item in rows}, order_id=order.pk)
        if offer:
            waitlist_offer(variant_ids=[variant_id for variant_id, _quantity, _item in rows])
        # Only units sold at the flash price counted against their item's cap.
        flash = {variant_id: quantity for variant_id, quantity, item_id in rows if item_id is not None}
        if flash and order.live_session_id is not None:
            live_items_release(
                session_id=order.live_session_id,
                item_ids=[item_id for _v, _q, item_id in rows if item_id is not None],
                quantities=flash,
            )


def _give_back(order: Order, *, offer: bool = True) -> None:
    """Return the order's units to stock and to its live items, and its place at its pickup depot: called
    once, on the move out of a holding status.

    A parcel already cancelled (refunded in full before it left, ``parcel_refund``) gave its units back then."""
    if order.pickup_depot_id is not None and order.pickup_on is not None:
        depot_day_release(depot_id=order.pickup_depot_id, day=order.pickup_on)
    _release(
        order,
        list(
            order.lines.exclude(fulfilment__status=Fulfilment.Status.CANCELLED).values_list(
                "variant_id", "quantity", "live_item_id"
            )
        ),
        offer=offer,
    )
    order.fulfilments.exclude(status=Fulfilment.Status.CANCELLED).update(
        status=Fulfilment.Status.CANCELLED, updated_at=timezone.now()
    )


def order_cancel(*, order: Order, actor: User | None, reason: str | Phrase = "") -> Order:
    """Cancel an order that has not shipped; its stock comes back exactly once. ``reason``: as ``_record``'s note."""
    with transaction.atomic():
        locked = _lock_order(order.pk)
        check_order_transition(locked.status, Order.Status.CANCELLED)
        if locked.fulfilments.filter(status__in=[Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED]).exists():
            raise IllegalTransition(
                _("A parcel of this order has already shipped, so it can no longer be cancelled."),
                current=locked.status,
                requested=Order.Status.CANCELLED,
            )
        _cancel(locked, actor=actor, reason=reason, event="cancelled")
    return locked


def _cancel(locked: Order, *, actor: User | None, reason: str | Phrase, event: str, offer: bool = True) -> None:
    """Cancel ``locked`` (an order not shipped, its row locked): its stock back (``offer``: to the waitlist
    first), what it holds refunded, its payments closed, and the shopper told of ``event``."""
    _give_back(locked, offer=offer)
    now = timezone.now()
    _refund_rest(locked, actor=actor, reason=reason, at=now)
    locked.payments.filter(status=Payment.Status.SUCCEEDED).update(status=Payment.Status.REFUNDED, updated_at=now)
    locked.payments.filter(status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED, updated_at=now)
    _record(locked, to=Order.Status.CANCELLED, actor=actor, note=reason)
    live_services.commission_move(order=locked, event=CommissionEntry.Event.CANCELLED)
    locked.expires_at = None
    locked.save(update_fields=["status", "expires_at", "updated_at"])
    notifications.send_after_commit(order_id=locked.pk, event=event)
    actor_id = actor.pk if actor else None
    log_event_on_commit(ORDERS, "order.cancelled", **_facts(locked), total=locked.total, actor_id=actor_id)


def _past_payment_time(order: Order, now: datetime) -> bool:
    return order.status == Order.Status.AWAITING_PAYMENT and order.expires_at is not None and order.expires_at <= now


def _expire(locked: Order, now: datetime) -> None:
    """Expire ``locked`` (an unpaid order past its time, its row locked): its stock back, its attempts closed."""
    _give_back(locked)
    locked.payments.filter(status__in=[Payment.Status.PENDING, Payment.Status.FAILED]).update(
        status=Payment.Status.CANCELLED, updated_at=now
    )
    _record(locked, to=Order.Status.EXPIRED, actor=None, note=Phrase(gettext_noop("Not paid in time.")))
    live_services.commission_move(order=locked, event=CommissionEntry.Event.EXPIRED)
    locked.save(update_fields=["status", "updated_at"])
    notifications.send_after_commit(order_id=locked.pk, event="expired")
    log_event_on_commit(ORDERS, "order.expired", **_facts(locked), total=locked.total)


def order_expire(*, order_id: int, now: datetime | None = None) -> bool:
    """Expire one unpaid online order whose time is up, giving its stock back; False if it no longer qualifies."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_order(order_id)
        if not _past_payment_time(locked, now):
            return False
        _expire(locked, now)
    return True


def order_expire_if_overdue(*, order: Order) -> bool:
    """Expire ``order`` now if it is unpaid past its time, without waiting for the every-minute job.

    The pages that offer or take a payment call it first, so an order the job has not reached yet is never paid.
    Answers whether it expired the order (the caller reads the order again); costs no query when it is in time."""
    now = timezone.now()
    return _past_payment_time(order, now) and order_expire(order_id=order.pk, now=now)


def orders_expire_unpaid(*, now: datetime | None = None, batch: int = 500) -> int:
    """Expire every unpaid online order past its time; each in its own short transaction."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(order_expire(order_id=order_id, now=now) for order_id in due)


def payment_record_result(*, provider: str, event_id: str, reference: str, succeeded: bool, amount: Decimal) -> Payment:
    """Apply a verified provider notification once: a replayed event id changes nothing.

    A success marks the order paid exactly once. A success for an order that
    expired or was cancelled meanwhile is refunded at once: its stock is gone.
    """
    with transaction.atomic():
        payment = Payment.objects.filter(provider=provider, provider_reference=reference).first()
        if payment is None:
            log_event(
                PAYMENTS,
                "payment.notification_refused",
                level=logging.WARNING,
                provider=provider,
                cause="unknown_payment",
            )
            raise PaymentRejected(_("Unknown payment."))
        order = _lock_order(payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if amount != payment.amount:
            log_event(
                PAYMENTS,
                "payment.notification_refused",
                level=logging.WARNING,
                provider=provider,
                cause="amount_mismatch",
                payment_id=payment.pk,
                order_id=order.pk,
                amount=amount,
                expected=payment.amount,
            )
            raise PaymentRejected(_("The amount does not match the payment."))
        try:
            with transaction.atomic():
                PaymentWebhookEvent.objects.create(provider=provider, event_id=event_id, payment=payment)
        except IntegrityError:
            log_event(PAYMENTS, "payment.notification_replayed", provider=provider, payment_id=payment.pk)
            return payment  # A replay: already applied.
        now = timezone.now()
        if _past_payment_time(order, now):
            # Its time is up though the every-minute job has not expired it yet: it expires now, and money that
            # arrives for it is refunded below, as for an order the job had expired.
            _expire(order, now)
            payment.refresh_from_db()
        if not succeeded:
            if payment.status == Payment.Status.PENDING:
                payment.status = Payment.Status.FAILED
                payment.save(update_fields=["status", "updated_at"])
                log_event_on_commit(PAYMENTS, "payment.failed", **_facts(order), payment_id=payment.pk, amount=amount)
                if order.status == Order.Status.AWAITING_PAYMENT:
                    # The shopper may try again until the order expires: open a fresh attempt.
                    _payment_open(order)
            return payment
        if payment.status == Payment.Status.SUCCEEDED:
            return payment
        payment.paid_at = now
        if order.status == Order.Status.AWAITING_PAYMENT:
            payment.status = Payment.Status.SUCCEEDED
            payment.save(update_fields=["status", "paid_at", "updated_at"])
            # A newer attempt opened after this one failed is closed: money arriving on it later is refunded.
            order.payments.filter(status=Payment.Status.PENDING).exclude(pk=payment.pk).update(
                status=Payment.Status.CANCELLED, updated_at=now
            )
            _record(order, to=Order.Status.PAID, actor=None)
            order.expires_at = None
            order.save(update_fields=["status", "expires_at", "updated_at"])
            notifications.send_after_commit(order_id=order.pk, event="paid")
            log_event_on_commit(ORDERS, "order.paid", **_facts(order), payment_id=payment.pk, amount=amount)
        else:
            payment.status = Payment.Status.REFUNDED
            payment.save(update_fields=["status", "paid_at", "updated_at"])
            if amount > 0:
                Refund.objects.create(order=order, amount=amount, actor=None, created_at=payment.updated_at)
            log_event_on_commit(
                PAYMENTS,
                "payment.refunded_late",
                **_facts(order),
                payment_id=payment.pk,
                amount=amount,
                status=order.status,
            )
            OrderEvent.objects.create(
                order=order,
                from_status=order.status,
                to_status=order.status,
                **event_note(
                    Phrase(
                        gettext_noop("Payment arrived after the order was %(status)s; it was refunded."),
                        status=Order.Status(order.status).label,
                    )
                ),
            )
    return payment


def _payment_open(order: Order) -> Payment:
    payment = payment_new(order)
    payment.save()
    return payment


# What a parcel's move is called in its producer's activity.
PARCEL_ACTIVITY: dict[str, str] = {
    Fulfilment.Status.PACKED: ProducerActivity.Action.PARCEL_PACKED,
    Fulfilment.Status.SHIPPED: ProducerActivity.Action.PARCEL_SHIPPED,
    Fulfilment.Status.DELIVERED: ProducerActivity.Action.PARCEL_DELIVERED,
}


def fulfilment_transition(
    *,
    fulfilment: Fulfilment,
    to: str,
    actor: User | None,
    tracking_number: str = "",
    carrier: str = "",
    on_behalf_of=None,
    announce: bool = True,
) -> Fulfilment:
    """Move one parcel along new → packed → shipped → delivered; the order completes with its last parcel.

    A parcel that ships tells the shopper ("on its way"), unless ``announce`` is false (a pickup parcel
    received at its depot, which tells them it is ready to collect instead).

    With an ``actor``, the move is also written to the producer's back-office activity (on behalf of the
    producer when the actor is not one of its members), in the same transaction.
    """
    tracking_number = (tracking_number or "").strip()
    with transaction.atomic():
        order = _lock_order(fulfilment.order_id)
        parcel = Fulfilment.objects.select_for_update().get(pk=fulfilment.pk)
        if order.status not in FULFILLABLE:
            raise IllegalTransition(
                _("This order is “%(status)s”: its parcels cannot be handled now.")
                % {"status": order.get_status_display()},
                current=parcel.status,
                requested=to,
            )
        check_fulfilment_transition(parcel.status, to)
        if to == Fulfilment.Status.PACKED and parcel.lines.filter(pre_sale__status=PreSale.Status.OPEN).exists():
            raise InvalidOrder(
                {"pre_sale": [_("This parcel is a pre-sale order: pack it once the harvest is entered.")]}
            )
        if to == Fulfilment.Status.SHIPPED and parcel.missed_ship_by:
            raise InvalidOrder(
                {
                    "ship_by": [
                        _(
                            "This parcel of perishable produce had to leave by %(day)s, and cannot be sent later. "
                            "Staff will offer the shopper a refund."
                        )
                        % {"day": f"{parcel.ship_by:%Y-%m-%d}"}
                    ]
                }
            )
        if to == Fulfilment.Status.SHIPPED:
            if order.delivery_method == Order.DeliveryMethod.SHIP and not tracking_number:
                raise InvalidOrder({"tracking_number": [_("Enter the tracking number of the parcel.")]})
            if len(tracking_number) > 50:
                raise InvalidOrder({"tracking_number": [_("The tracking number is too long.")]})
            parcel.tracking_number = tracking_number
            parcel.carrier = (carrier or "").strip()[:50]
        now = timezone.now()
        stamp = {
            str(Fulfilment.Status.PACKED): "packed_at",
            Fulfilment.Status.SHIPPED: "shipped_at",
            Fulfilment.Status.DELIVERED: "delivered_at",
        }.get(to)
        if stamp:
            setattr(parcel, stamp, now)
        if to == Fulfilment.Status.PACKED:
            _lots_record(parcel)
        OrderEvent.objects.create(
            order=order,
            fulfilment=parcel,
            from_status=parcel.status,
            to_status=to,
            actor=actor,
            on_behalf_of=on_behalf_of,
        )
        if actor is not None and to in PARCEL_ACTIVITY:
            activity_record(producer=parcel.producer, actor=actor, action=PARCEL_ACTIVITY[to], subject=order.number)
        parcel.status = to
        parcel.save()
        if (
            to == Fulfilment.Status.DELIVERED
            and not order.fulfilments.exclude(
                status__in=[Fulfilment.Status.DELIVERED, Fulfilment.Status.CANCELLED]
            ).exists()
        ):
            check_order_transition(order.status, Order.Status.COMPLETED)
            # Cash on delivery is collected with the last parcel.
            order.payments.filter(method=Order.PaymentMethod.COD, status=Payment.Status.PENDING).update(
                status=Payment.Status.SUCCEEDED, paid_at=now, updated_at=now
            )
            _record(order, to=Order.Status.COMPLETED, actor=actor)
            live_services.commission_move(order=order, event=CommissionEntry.Event.COMPLETED)
            order.save(update_fields=["status", "updated_at"])
        if to == Fulfilment.Status.SHIPPED and announce:
            notifications.send_after_commit(order_id=order.pk, event="shipped", fulfilment_id=parcel.pk)
    return parcel


def _lots_record(parcel: Fulfilment) -> list[ParcelLot]:
    """Record which harvest lots a parcel being packed is packed from: for each of its variants, the lots that
    stock was received from, oldest pick date first, as far as their units go (stock received without a lot
    leaves the rest unrecorded). The receipts are locked in that order, so two parcels packed at once never
    take the same units."""
    needed: dict[int, int] = {}
    for variant_id, quantity in parcel.lines.values_list("variant_id", "quantity"):
        needed[variant_id] = needed.get(variant_id, 0) + quantity
    receipts = (
        LotReceipt.objects.select_for_update()
        .filter(variant_id__in=needed, packed__lt=F("quantity"))
        .order_by("lot__picked_on", "id")
    )
    taken = []
    for receipt in receipts:
        units = min(receipt.quantity - receipt.packed, needed[receipt.variant_id])
        if units <= 0:
            continue
        needed[receipt.variant_id] -= units
        receipt.packed += units
        receipt.save(update_fields=["packed"])
        taken.append(ParcelLot(fulfilment=parcel, receipt=receipt, quantity=units))
    return ParcelLot.objects.bulk_create(taken)


def order_refund(*, order: Order, actor: User | None, note: str = "") -> Order:
    """Staff refund a completed order (goods already delivered: no stock comes back)."""
    with transaction.atomic():
        locked = _lock_order(order.pk)
        check_order_transition(locked.status, Order.Status.REFUNDED)
        now = timezone.now()
        _refund_rest(locked, actor=actor, reason=note, at=now)
        locked.payments.filter(status=Payment.Status.SUCCEEDED).update(status=Payment.Status.REFUNDED, updated_at=now)
        _record(locked, to=Order.Status.REFUNDED, actor=actor, note=note)
        live_services.commission_move(order=locked, event=CommissionEntry.Event.REFUNDED)
        locked.save(update_fields=["status", "updated_at"])
        notifications.send_after_commit(order_id=locked.pk, event="refunded")
        actor_id = actor.pk if actor else None
        log_event_on_commit(ORDERS, "order.refunded", **_facts(locked), total=locked.total, actor_id=actor_id)
    return locked


# Refunds. Every amount given back is a ``Refund`` row: of one parcel (``parcel_refund``), or of what remained
# when a whole order is cancelled or refunded, or a payment that arrived too late. What may still be refunded is
# what was received (payments that succeeded, and those refunded since) less every refund so far.

MAX_REFUND_REASON = 500
_FEN = Decimal("0.01")
# A parcel still at its producer's or at a depot: refunded in full, it is cancelled and its units go back on sale.
PARCEL_NOT_LEFT = {Fulfilment.Status.NEW, Fulfilment.Status.PACKED}


def _refund_rest(order: Order, *, actor: User | None, reason: str | Phrase, at: datetime) -> Decimal:
    """Write the refund of all that ``order`` (locked) still holds, before its payments become refunded (``at``)."""
    rest = selectors.order_refundable(order)
    if rest > 0:
        typed = reason if isinstance(reason, str) else ""  # a system phrase stays in the order's history only
        Refund.objects.create(order=order, amount=rest, actor=actor, reason=typed, created_at=at)
    return rest


def _yuan_kept(value: Decimal) -> str:
    """An amount as kept in a stored note: formatted alike in every language (``¥1,280.50``), without marks."""
    with translation.override("en"):
        return format_yuan(value)


def _refund_amount(amount: Decimal | str | int) -> Decimal:
    """``amount`` in yuan as a Decimal of whole fen, more than zero; ``InvalidOrder`` otherwise."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (ArithmeticError, ValueError):
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidOrder({"amount": [_("Enter the amount in yuan, such as 12.50.")]})
    if value <= 0:
        raise InvalidOrder({"amount": [_("The amount to refund must be more than ¥0.00.")]})
    if value != value.quantize(_FEN):
        raise InvalidOrder({"amount": [_("Enter the amount with at most two decimal places (fen).")]})
    return value.quantize(_FEN)


def parcel_refund(*, fulfilment: Fulfilment, amount: Decimal | str, reason: str, actor: User | None) -> Refund:
    """Staff refund one parcel of a paid order, wholly or partly, with a reason the shopper sees.

    At most what was paid for the parcel (its lines and shipping fee) less what was refunded on it, and never
    more than the order still holds. A parcel that has not left (new or packed) and is now refunded in full is
    cancelled, and its units go back to stock, to ``units_sold`` and to their live items' sold counts: once,
    since a cancelled parcel has nothing left to refund. A partial refund, or one of a parcel already shipped
    or delivered (compensation for damaged goods), gives no stock back. When the order's whole payment has been
    refunded, its payments become refunded, and so does a completed order; an order whose every parcel is
    cancelled is cancelled. The order and the parcel are locked, so two refunds of one parcel at once cannot
    both pass the limit: the second is refused.

    Raises ``InvalidOrder`` (``amount``, ``reason``) for a wrong amount or a missing reason, and ``OrderError``
    when nothing was paid (cash on delivery not collected yet) or the order is over; nothing changes then.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidOrder({"reason": [_("Give the reason for the refund: the shopper reads it.")]})
    if len(reason) > MAX_REFUND_REASON:
        raise InvalidOrder({"reason": [_("The reason is too long.")]})
    value = _refund_amount(amount)
    with transaction.atomic():
        order = _lock_order(fulfilment.order_id)
        parcel = Fulfilment.objects.select_for_update(of=("self",)).select_related("producer").get(pk=fulfilment.pk)
        if order.status not in {Order.Status.PAID, Order.Status.COMPLETED}:
            if order.status == Order.Status.CONFIRMED:
                raise OrderError(
                    _(
                        "This order is paid in cash on delivery and nothing has been collected yet, so there is "
                        "nothing to refund. Cancel the order instead."
                    )
                )
            raise OrderError(
                _("This order is “%(status)s”: nothing on it can be refunded.") % {"status": order.get_status_display()}
            )
        parcel_left = selectors.parcel_refundable(parcel)
        order_left = selectors.order_refundable(order)
        left = min(parcel_left, order_left)
        if left <= 0:
            raise OrderError(_("Everything paid for this parcel has already been refunded."))
        if value > left:
            raise InvalidOrder(
                {
                    "amount": [
                        _("At most %(amount)s can still be refunded for this parcel.") % {"amount": format_yuan(left)}
                    ]
                }
            )
        returns_stock = value == parcel_left and parcel.status in PARCEL_NOT_LEFT
        refund = Refund.objects.create(
            order=order, fulfilment=parcel, amount=value, reason=reason, actor=actor, returned_stock=returns_stock
        )
        to = Fulfilment.Status.CANCELLED if returns_stock else parcel.status
        OrderEvent.objects.create(
            order=order,
            fulfilment=parcel,
            from_status=parcel.status,
            to_status=to,
            actor=actor,
            note=reason,
            note_phrase=Phrase(gettext_noop("Refunded %(amount)s."), amount=_yuan_kept(value)).as_json(),
        )
        if returns_stock:
            _release(order, list(parcel.lines.values_list("variant_id", "quantity", "live_item_id")))
            parcel.status = Fulfilment.Status.CANCELLED
            parcel.save(update_fields=["status", "updated_at"])
        _after_parcel_refund(order, actor=actor, whole=value == order_left)
        notifications.send_after_commit(order_id=order.pk, event="refunded", fulfilment_id=parcel.pk)
        log_event_on_commit(
            ORDERS,
            "order.parcel_refunded",
            **_facts(order),
            fulfilment_id=parcel.pk,
            refund_id=refund.pk,
            amount=value,
            returned_stock=returns_stock,
            status=order.status,
            actor_id=actor.pk if actor else None,
        )
    return refund


def _after_parcel_refund(order: Order, *, actor: User | None, whole: bool) -> None:
    """Move ``order`` (locked) on after a parcel refund: ``whole`` when nothing paid on it is left."""
    live = order.fulfilments.exclude(status=Fulfilment.Status.CANCELLED)
    if whole:
        order.payments.filter(status=Payment.Status.SUCCEEDED).update(
            status=Payment.Status.REFUNDED, updated_at=timezone.now()
        )
    if whole and order.status == Order.Status.COMPLETED:
        _record(order, to=Order.Status.REFUNDED, actor=actor)
        live_services.commission_move(order=order, event=CommissionEntry.Event.REFUNDED)
    elif not live.exists():
        # Every parcel refunded before it left: the order is cancelled (its stock came back parcel by parcel),
        # and anything it still held is refunded with it.
        now = timezone.now()
        _refund_rest(order, actor=actor, reason="", at=now)
        order.payments.filter(status=Payment.Status.SUCCEEDED).update(status=Payment.Status.REFUNDED, updated_at=now)
        _record(order, to=Order.Status.CANCELLED, actor=actor)
        live_services.commission_move(order=order, event=CommissionEntry.Event.CANCELLED)
    elif order.status == Order.Status.PAID and not live.exclude(status=Fulfilment.Status.DELIVERED).exists():
        # The parcel cancelled was the last one not delivered: the order is done, as with its last delivery.
        _record(order, to=Order.Status.COMPLETED, actor=actor)
        live_services.commission_move(order=order, event=CommissionEntry.Event.COMPLETED)
    else:
        return
    order.save(update_fields=["status", "updated_at"])


# Depots: the parcels a village depot receives from producers and hands over.


# A parcel's statuses in the order it moves through them.
def _check_handled_at_depot(order: Order, parcel: Fulfilment, requested: str) -> None:
    if order.status not in FULFILLABLE:
        raise IllegalTransition(
            _("This order is “%(status)s”: its parcels cannot be handled now.")
            % {"status": order.get_status_display()},
            current=parcel.status,
            requested=requested,
        )


def parcel_receive_at_depot(*, fulfilment: Fulfilment, depot: Depot, actor: User | None) -> Fulfilment:
    """Write down that a producer has handed a parcel in at ``depot``: once per parcel, with an event.

    The parcel's status moves only by ``fulfilment_transition``, one legal step at a time. A parcel handed
    in has been packed, so a new one becomes packed. For a pickup order "shipped" means sent to the pickup
    depot (no tracking number: the depot is its trace, as ``order_place`` records it), so a pickup parcel
    that has reached its depot becomes shipped: ready for the shopper to collect. A parcel of an order
    shipped to an address stays packed until the depot gives it to a carrier (``parcel_hand_over``).
    A parcel placed without a depot takes this one.

    Raises ``Fulfilment.DoesNotExist`` for a parcel not due at ``depot``; ``IllegalTransition`` when its
    order cannot be handled (unpaid, cancelled, completed), it was already received, or it has already
    left (an address order's parcel that shipped, a delivered parcel).
    """
    with transaction.atomic():
        order = _lock_order(fulfilment.order_id)
        parcel = selectors.parcels_due_at_depot(depot=depot).select_for_update(of=("self",)).get(pk=fulfilment.pk)
        _check_handled_at_depot(order, parcel, Fulfilment.Status.PACKED)
        if parcel.received_at_depot_at is not None:
            raise IllegalTransition(
                _("This parcel was already marked “Received” at the depot."),
                current=parcel.status,
                requested=parcel.status,
            )
        pickup = order.delivery_method == Order.DeliveryMethod.PICKUP
        target = Fulfilment.Status.SHIPPED if pickup else Fulfilment.Status.PACKED
        receivable = PARCEL_PATH[: PARCEL_PATH.index(target) + 1]
        if parcel.status not in receivable:
            raise IllegalTransition(
                _("A parcel that is “%(status)s” can no longer be taken in at the depot.")
                % {"status": parcel.get_status_display()},
                current=parcel.status,
                requested=target,
            )
        parcel.received_at_depot_at = timezone.now()
        if parcel.depot_id is None:
            parcel.depot = depot
        parcel.save(update_fields=["received_at_depot_at", "depot", "updated_at"])
        for step in parcel_steps(parcel.status, target):
            parcel = fulfilment_transition(fulfilment=parcel, to=step, actor=actor, announce=not pickup)
        if pickup:
            # Ready to collect: the shopper hears it with the pickup code, not "on its way".
            notifications.send_after_commit(order_id=order.pk, event="ready", fulfilment_id=parcel.pk)
        OrderEvent.objects.create(
            order=order,
            fulfilment=parcel,
            from_status=parcel.status,
            to_status=parcel.status,
            actor=actor,
            **event_note(Phrase(gettext_noop("Received at %(depot)s."), depot=depot)),
        )
    return parcel


# Wrong pickup codes tried on one parcel before the depot must wait: six digits cannot be guessed at this pace.
PICKUP_CODE_TRIES = "5/hour"


def _pickup_code_check(*, parcel_id: int, order: Order, code: str) -> None:
    """Refuse a missing or wrong pickup code, and any code once ``PICKUP_CODE_TRIES`` wrong ones were tried.

    Every code tried counts against the parcel's limit and a right one is taken back, so only wrong codes
    use it up; it runs outside the hand-over's transaction so that a refused try stays counted.
    """
    code = (code or "").strip()
    if not code:
        raise InvalidOrder({"pickup_code": [_("Ask the shopper for the pickup code of the order and enter it.")]})
    counter = rate_limits.key("pickup_code", parcel_id)
    if not rate_limits.hit(counter, PICKUP_CODE_TRIES).allowed:
        raise InvalidOrder({"pickup_code": [_("Too many wrong pickup codes for this parcel. Try again in an hour.")]})
    if not secrets.compare_digest(code, order.pickup_code):
        raise InvalidOrder({"pickup_code": [_("This is not the pickup code of the order. Nothing was handed over.")]})
    rate_limits.forgive(counter)


def parcel_hand_over(
    *,
    fulfilment: Fulfilment,
    depot: Depot,
    actor: User | None,
    tracking_number: str = "",
    carrier: str = "",
    pickup_code: str = "",
) -> Fulfilment:
    """``depot`` gives a parcel it has received to whoever takes it on; ``fulfilment_transition`` moves it.

    A pickup order's parcel is collected by the shopper, who says the order's pickup code (``Order.pickup_code``,
    on their order page and in their messages): it becomes delivered (from shipped, which for pickup means at
    the depot), so the order completes with its last parcel and cash on delivery counts as collected then. A
    parcel of an order shipped to an address goes to a carrier: it becomes shipped, with the carrier's
    tracking number (required) and name.

    Raises ``Fulfilment.DoesNotExist`` for a parcel not due at ``depot``; ``IllegalTransition`` when it was
    already handed over, was not received at the depot first, or its order cannot be handled;
    ``InvalidOrder`` for a missing, wrong or too often guessed pickup code, or a missing or too long
    tracking number. Call it outside a transaction: a wrong code must stay counted.
    """
    due = selectors.parcels_due_at_depot(depot=depot).select_related("order").get(pk=fulfilment.pk)
    pickup = due.order.delivery_method == Order.DeliveryMethod.PICKUP
    ready = due.received_at_depot_at is not None and due.order.status in FULFILLABLE
    if pickup and ready and not parcel_reached(due.status, Fulfilment.Status.DELIVERED):
        # Only a parcel ready to hand over asks for the code; the others get their own error below.
        _pickup_code_check(parcel_id=due.pk, order=due.order, code=pickup_code)
    with transaction.atomic():
        order = _lock_order(fulfilment.order_id)
        parcel = selectors.parcels_due_at_depot(depot=depot).select_for_update(of=("self",)).get(pk=fulfilment.pk)
        pickup = order.delivery_method == Order.DeliveryMethod.PICKUP
        target = Fulfilment.Status.DELIVERED if pickup else Fulfilment.Status.SHIPPED
        if parcel_reached(parcel.status, target):
            raise IllegalTransition(_("This parcel was already handed over."), current=parcel.status, requested=target)
        _check_handled_at_depot(order, parcel, target)
        if parcel.received_at_depot_at is None:
            raise IllegalTransition(
                _("First mark the parcel “Received” at the depot, then hand it over."),
                current=parcel.status,
                requested=target,
            )
        steps = parcel_steps(parcel.status, target) if parcel.status in PARCEL_PATH else [target]
        for step in steps:
            parcel = fulfilment_transition(
                fulfilment=parcel,
                to=step,
                actor=actor,
                tracking_number=tracking_number if step == Fulfilment.Status.SHIPPED else "",
                carrier=carrier if step == Fulfilment.Status.SHIPPED else "",
            )
    return parcel


def order_place_at_depot(
    *,
    depot: Depot,
    actor: User,
    contact: Contact,
    lines: list[LineRequest],
    delivery: Delivery,
    idempotency_key: str = "",
) -> Order:
    """A manager of ``depot`` takes an order for a shopper at its counter or by phone, paid cash on delivery.

    Placed by ``order_place`` (its checks, prices and stock rules) as a guest's order: its first event names
    ``actor`` as having placed it for ``depot``. After the commit the shopper gets the order's link by SMS
    (a notice through the outbox), with the pickup code for a pickup order. Raises ``OrderError`` when
    ``actor`` does not manage ``depot``, and what ``order_place`` raises for a wrong request (nothing is
    placed, nothing is sent).
    """
    if not depot.is_active or not depot.managers.filter(pk=actor.pk).exists():
        raise OrderError(_("Only a manager of this depot can take orders for it."))
    # A form sent twice answers with the order its key placed: the shopper is told once.
    placed_before = (
        bool(idempotency_key)
        and Order.objects.filter(shopper__isnull=True, idempotency_key=idempotency_key.strip()).exists()
    )
    with transaction.atomic():
        order = order_place(
            shopper=None,
            contact=contact,
            lines=lines,
            delivery=delivery,
            payment_method=Order.PaymentMethod.COD,
            idempotency_key=idempotency_key,
            placed_by=actor,
            placed_at_depot=depot,
        )
        if placed_before:
            return order
        notifications.notify_placed_at_depot(order)
        log_event_on_commit(ORDERS, "order.placed_at_depot", **_facts(order), depot_id=depot.pk, actor_id=actor.pk)
    return order


# A guest's way back to their order: its link sent again, or the order found by its number and phone.

ORDER_FIND = "order-find"  # the purpose of the one-time codes that find a guest's order
logger = logging.getLogger(__name__)


def order_link_send(*, order: Order, channel: str) -> None:
    """Send a guest's order its secret link again: by SMS to its contact phone, or by email to its contact email.

    In the language of the checkout; sent after the caller's transaction commits (the SMS) or by the outbox
    (the email). Raises ``OrderError`` for an order placed with an account (its shopper signs in instead), for
    email when the order has no address, and ``ValueError`` for another channel.
    """
    if order.shopper_id is not None:
        raise OrderError(_("This order belongs to an account: sign in to see it."))
    if channel == "sms":
        transaction.on_commit(partial(sms_send, phone=order.contact_phone, text=notifications.link_sms_text(order)))
    elif channel == "email":
        if not order.contact_email:
            raise OrderError(_("This order has no email address to send the link to."))
        with transaction.atomic():
            notifications.send_after_commit(order_id=order.pk, event="link")
    else:
        raise ValueError(f"Unknown channel {channel!r}.")


def order_find_code_send(*, number: str, phone: str, address: str) -> None:
    """Text a one-time code to ``phone`` when it is the contact phone of the guest's order ``number``.

    Nothing is sent, and nothing is said, for a pair that matches no guest's order: a caller answers the
    same either way. A number over its codes' limit (``CodeLimited``) is not told either, since only a
    matching pair reaches it; the per-address limit of the find page itself is the caller's.
    """
    if selectors.guest_order_by_contact(number=number, phone=phone) is None:
        return
    try:
        code_send(purpose=ORDER_FIND, phone=phone, address=address)
    except CodeLimited:
        logger.info("A code to find an order was refused: too many codes for its phone or from this address")


def order_find_check(*, number: str, phone: str, code: str) -> Order | None:
    """The guest's order ``number`` when ``code`` is the one-time code just sent to its contact ``phone``.

    None for a wrong, expired or used code, or a pair that matches no guest's order (the code is checked,
    and counted, either way). Call it outside a transaction: a wrong try must stay counted.
    """
    if not code_check(purpose=ORDER_FIND, phone=phone, code=code):
        return None
    return selectors.guest_order_by_contact(number=number, phone=phone)


# Pre-sales (``catalog.PreSale``). The orders of an open pre-sale hold units of the expected quantity; when the
# harvest is entered they are filled in the order they were placed, each whole or not at all, and those the
# harvest does not cover are cancelled and refunded.

# The orders a pre-sale's harvest decides: placed, and neither cancelled, expired nor refunded.
_HOLDING = (Order.Status.AWAITING_PAYMENT, Order.Status.PAID, Order.Status.CONFIRMED)


def _presale_orders_lock(pre_sale: PreSale) -> list[Order]:
    """The holding orders of ``pre_sale``, their rows locked in id order."""
    return list(
        Order.objects.select_for_update(of=("self",))
        .filter(pk__in=OrderLine.objects.filter(pre_sale=pre_sale).values("order_id"), status__in=_HOLDING)
        .order_by("pk")
    )


def presale_harvest(*, pre_sale: PreSale, quantity: int, actor: User | None) -> PreSale:
    """Enter the harvest of an open pre-sale: ``quantity`` units were picked.

    The pre-sale's orders are filled in the order they were placed, each whole while the harvest covers it;
    each one it does not cover is cancelled, refunded in full and its shopper told why; each filled one's shopper
    is told it ships by the pre-sale's ship-by day. What the orders leave of the harvest goes on sale as stock.
    Entered once: a second time raises ``OrderError`` and changes nothing.

    Locks, in the module's order: the pre-sale, its orders, then (cancelling) their depot days and the size. A
    checkout of the pre-sale holds the pre-sale's row ``FOR SHARE`` from its first statement
    (``checkout._pre_sale_hold``): entering the harvest waits for those in flight to commit, and decides them
    with the others; those that come after wait for it and are refused (the harvest is in). Unpaid orders past
    their payment time are expired first, so that they take no place from paid ones.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 <= quantity <= PRE_SALE_MAX_QUANTITY:
        raise InvalidOrder(
            {
                "quantity": [
                    _("Enter the units picked: a whole number from 0 to %(max)d.") % {"max": PRE_SALE_MAX_QUANTITY}
                ]
            }
        )
    with transaction.atomic():
        # FOR NO KEY UPDATE: it waits for the checkouts holding the row FOR SHARE, and two entries take turns.
        locked = PreSale.objects.select_for_update(no_key=True).get(pk=pre_sale.pk)
        if not locked.is_open:
            raise OrderError(_("The harvest of this pre-sale has already been entered."))
        now = timezone.now()
        orders = []
        for order in _presale_orders_lock(locked):
            if _past_payment_time(order, now):
                _expire(order, now)
            else:
                orders.append(order)
        orders.sort(key=lambda order: (order.created_at, order.pk))
        units = dict(OrderLine.objects.filter(pre_sale=locked, order__in=orders).values_list("order_id", "quantity"))
        left, filled, cut = quantity, [], []
        for order in orders:
            if units[order.pk] <= left:
                left -= units[order.pk]
                filled.append(order)
            else:
                cut.append(order)
        short = Phrase(gettext_noop("The harvest came in short of the pre-sale: the order is cancelled."))
        for order in cut:
            _cancel(order, actor=actor, reason=short, event="harvest_short", offer=False)
        # The cancelled orders gave their units back; what is left of the harvest is the stock from now on, and
        # shoppers waiting for the size have it first.
        variants_lock(ids=[locked.variant_id])
        Variant.objects.filter(pk=locked.variant_id).update(stock=left, updated_at=now)
        for order in filled:
            notifications.send_after_commit(order_id=order.pk, event="harvested")
        locked.status = PreSale.Status.HARVESTED
        locked.harvested_quantity = quantity
        locked.harvested_at = now
        locked.orders_filled, locked.orders_cut = len(filled), len(cut)
        locked.save(update_fields=["status", "harvested_quantity", "harvested_at", "orders_filled", "orders_cut"])
        waitlist_offer(variant_ids=[locked.variant_id], now=now)  # now that the pre-sale is closed
        pages_changed()
        variant = Variant.objects.select_related("product__producer").get(pk=locked.variant_id)
        if actor is not None:
            activity_record(
                producer=variant.product.producer,
                actor=actor,
                action=ProducerActivity.Action.HARVEST_ENTERED,
                subject=variant.label,
            )
        log_event_on_commit(
            ORDERS,
            "presale.harvested",
            pre_sale_id=locked.pk,
            variant_id=locked.variant_id,
            quantity=quantity,
            filled=len(filled),
            cut=len(cut),
            actor_id=actor.pk if actor else None,
        )
    return locked
