"""Every change to an order: place, pay, cancel, expire, fulfil, refund.

The storefront, the API, the admin and the management commands all call
these functions. Each one that writes runs in one transaction and takes its
locks in the same order — the order row, then variants by primary key, then
live items by primary key — so no two of them can deadlock. Stock is taken
last, just before the commit, so a hot variant's row stays locked as briefly
as possible. Emails are written to the outbox inside the same transaction and
sent by a worker after the commit (``orders/notifications.py``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.stock import stock_release, stock_take
from live import services as live_services
from live.models import CommissionEntry, LiveSession, LiveSessionItem
from live.pricing import items_on_air, unit_price
from marketplace.models import User
from marketplace.one_statement import InsertChain
from marketplace.page_cache import pages_changed
from marketplace.validators import normalize_mainland_mobile, validate_postcode
from notifications.models import OutboxMessage
from notifications.services import outbox_message_written
from orders import notifications, selectors
from orders.errors import IdempotencyKeyReused, IllegalTransition, InvalidOrder, PaymentRejected, PricesChanged
from orders.models import MAX_LINE_QUANTITY, Fulfilment, Order, OrderEvent, OrderLine, Payment, PaymentWebhookEvent
from orders.pricing import parcel_shipping
from orders.transitions import (
    FULFILLABLE,
    PARCEL_PATH,
    check_fulfilment_transition,
    check_order_transition,
    parcel_reached,
    parcel_steps,
)
from producers.models import Depot, ProducerActivity
from producers.services import activity_record

MAX_LINES = 50
# Descriptions and stories an order never reads: left in the database, not carried into every checkout.
LONG_TEXT = [
    f"{model}description_{language}"
    for model in ("product__", "product__producer__")
    for language in ("zh", "ug", "en")
]
SIMULATED_PROVIDER = "simulated"


@dataclass(frozen=True)
class LineRequest:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class Address:
    recipient: str
    phone: str
    province: str
    city: str
    street: str
    district: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Delivery:
    method: str
    address: Address | None = None
    depot_slug: str = ""


@dataclass
class _Checked:
    """A request after validation: what the transaction needs, and nothing from the client's prices."""

    lines: dict[int, int]
    contact: Contact
    delivery: Delivery
    payment_method: str
    live_session_slug: str
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _is_quantity(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_request(
    *,
    lines: list[LineRequest],
    contact: Contact,
    delivery: Delivery,
    payment_method: str,
    live_session_slug: str,
) -> _Checked:
    checked = _Checked(
        lines={},
        contact=contact,
        delivery=delivery,
        payment_method=payment_method,
        live_session_slug=live_session_slug or "",
    )
    if not lines:
        checked.error("lines", _("The basket is empty."))
    if len(lines) > MAX_LINES:
        checked.error("lines", _("An order can hold at most %(n)s different items.") % {"n": MAX_LINES})
    for line in lines[:MAX_LINES]:
        if not _is_quantity(line.variant_id) or line.variant_id <= 0:
            checked.error("lines", _("Unknown item: %(id)s.") % {"id": line.variant_id})
            continue
        if not _is_quantity(line.quantity) or not 1 <= line.quantity <= MAX_LINE_QUANTITY:
            checked.error(
                "lines",
                _("Quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY},
            )
            continue
        checked.lines[line.variant_id] = checked.lines.get(line.variant_id, 0) + line.quantity
    if any(quantity > MAX_LINE_QUANTITY for quantity in checked.lines.values()):
        checked.error("lines", _("Quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY})

    name = (contact.name or "").strip()
    if not name:
        checked.error("contact.name", _("Enter the name we should ask for."))
    elif len(name) > 100:
        checked.error("contact.name", _("The name is too long."))
    phone = ""
    try:
        phone = normalize_mainland_mobile(contact.phone)
    except ValidationError as error:
        checked.error("contact.phone", str(error.message))
    email = (contact.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            checked.error("contact.email", _("Enter a valid email address."))
    checked.contact = Contact(name=name, phone=phone, email=email)

    if delivery.method == Order.DeliveryMethod.SHIP:
        address = delivery.address
        if address is None:
            checked.error("delivery.address", _("Enter the address to ship to."))
        else:
            cleaned = {key: (value or "").strip() for key, value in asdict(address).items()}
            required = {
                "recipient": _("Enter the recipient's name."),
                "province": _("Enter the province."),
                "city": _("Enter the city."),
                "street": _("Enter the street address."),
            }
            for key, message in required.items():
                if not cleaned[key]:
                    checked.error(f"delivery.address.{key}", message)
            try:
                cleaned["phone"] = normalize_mainland_mobile(cleaned["phone"])
            except ValidationError as error:
                checked.error("delivery.address.phone", str(error.message))
            try:
                validate_postcode(cleaned["postcode"])
            except ValidationError as error:
                checked.error("delivery.address.postcode", str(error.message))
            checked.delivery = Delivery(method=delivery.method, address=Address(**cleaned))
    elif delivery.method == Order.DeliveryMethod.PICKUP:
        if not delivery.depot_slug:
            checked.error("delivery.depot", _("Choose the depot where you will pick up the order."))
    else:
        checked.error("delivery.method", _("Choose shipping to an address or pickup at a depot."))

    if payment_method not in Order.PaymentMethod.values:
        checked.error("payment_method", _("Choose cash on delivery or paying online."))
    elif payment_method == Order.PaymentMethod.ONLINE and not settings.SIMULATED_PAYMENTS_ENABLED:
        checked.error("payment_method", _("Paying online is not available at the moment; choose cash on delivery."))
    return checked


def _fingerprint(checked: _Checked, shopper: User | None) -> str:
    """A hash of what the order asks for, to tell a retry from a different order under the same key."""
    body = {
        "shopper": shopper.pk if shopper else None,
        "lines": sorted(checked.lines.items()),
        "contact": asdict(checked.contact),
        "delivery": asdict(checked.delivery),
        "payment_method": checked.payment_method,
        "live_session": checked.live_session_slug,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _existing_order(*, shopper: User | None, key: str, fingerprint: str) -> Order | None:
    if not key:
        return None
    order = selectors.order_details().filter(shopper=shopper, idempotency_key=key).first()
    if order is None:
        return None
    if order.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return order


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
) -> Order:
    """Place an order: prices from the database, stock taken atomically, one parcel per producer.

    ``live_session_slug`` names the session that sent the shopper: while it is on air the order carries it
    (and its host's commission rate), and its accepted items sell at their flash prices within their caps
    and per-shopper limits; after it ends the order is placed at normal prices and carries no session.
    ``expected_subtotal`` is the goods' total the shopper was shown: when prices now differ, nothing is
    placed and ``PricesChanged`` says the new total.

    Raises ``InvalidOrder`` for a wrong request, ``InsufficientStock`` naming every
    short variant (nothing changes), ``IdempotencyKeyReused`` when the key was used
    for a different order. The same key with the same request returns the first
    order without taking stock again, also when both requests run at once.
    """
    key = (idempotency_key or "").strip()
    checked = _check_request(
        lines=lines,
        contact=contact,
        delivery=delivery,
        payment_method=payment_method,
        live_session_slug=live_session_slug,
    )
    if len(key) > 100:
        checked.error("idempotency_key", _("The Idempotency-Key may be at most 100 characters."))
    if checked.errors:
        raise InvalidOrder(checked.errors)
    fingerprint = _fingerprint(checked, shopper)
    try:
        return _place(shopper=shopper, checked=checked, key=key, fingerprint=fingerprint, expected=expected_subtotal)
    except (InvalidOrder, PricesChanged):
        # A retry of an order placed before under the same key gets that order, even if its items have
        # left sale or changed price since. The key is looked up only here: a new key meets the unique
        # index when the order is inserted, which saves every order one query.
        existing = _existing_order(shopper=shopper, key=key, fingerprint=fingerprint)
        if existing is not None:
            return existing
        raise


def _place(*, shopper: User | None, checked: _Checked, key: str, fingerprint: str, expected: Decimal | None) -> Order:
    variants = {
        variant.pk: variant
        for variant in Variant.objects.select_related("product__producer")
        .defer(*LONG_TEXT)
        .filter(pk__in=checked.lines)
    }
    for variant_id in checked.lines:
        variant = variants.get(variant_id)
        if variant is None:
            checked.error("lines", _("Unknown item: %(id)s.") % {"id": variant_id})
        elif not variant.is_on_sale:
            checked.error("lines", _("%(name)s is not on sale.") % {"name": variant.label})

    depot = None
    if checked.delivery.method == Order.DeliveryMethod.PICKUP:
        depot = Depot.objects.filter(slug=checked.delivery.depot_slug, is_active=True).first()
        if depot is None:
            checked.error("delivery.depot", _("There is no such pickup depot."))

    session = None
    if checked.live_session_slug:
        session = LiveSession.objects.select_related("host").filter(slug=checked.live_session_slug).first()
        if session is None:
            checked.error("live_session", _("There is no such live session."))
    if checked.errors:
        raise InvalidOrder(checked.errors)
    now = timezone.now()
    if session is not None and not session.is_on_air(now):
        # Sent after the session ended (or before it went live): normal prices, and no attribution.
        session = None

    # Prices come from the database, through the one pricing rule the cart and the pages use.
    on_air = items_on_air(session=session, variant_ids=checked.lines, now=now)
    bought = (
        selectors.live_units_bought(
            item_ids=[item.pk for item in on_air.values()], shopper=shopper, phone=checked.contact.phone
        )
        if on_air
        else {}
    )
    prices = {
        v: unit_price(
            variant=variants[v],
            live_item=on_air.get(v),
            quantity=checked.lines[v],
            bought=bought.get(on_air[v].pk, 0) if v in on_air else 0,
        )
        for v in checked.lines
    }
    unit_prices = {v: price.amount for v, price in prices.items()}
    live_items = {v: price.live_item for v, price in prices.items() if price.live_item is not None}
    parcels: dict[int, list[int]] = defaultdict(list)
    for variant_id in sorted(checked.lines):
        parcels[variants[variant_id].product.producer_id].append(variant_id)
    parcel_subtotals = {
        producer_id: sum((unit_prices[v] * checked.lines[v] for v in ids), Decimal("0.00"))
        for producer_id, ids in parcels.items()
    }
    parcel_fees = {
        producer_id: parcel_shipping(parcel_subtotal=subtotal, delivery_method=checked.delivery.method)
        for producer_id, subtotal in parcel_subtotals.items()
    }
    subtotal = sum(parcel_subtotals.values(), Decimal("0.00"))
    if expected is not None and expected != subtotal:
        raise PricesChanged(expected=expected, subtotal=subtotal)
    shipping = sum(parcel_fees.values(), Decimal("0.00"))
    online = checked.payment_method == Order.PaymentMethod.ONLINE
    address = checked.delivery.address or Address("", "", "", "", "")

    order = Order(
        shopper=shopper,
        contact_name=checked.contact.name,
        contact_phone=checked.contact.phone,
        contact_email=checked.contact.email or (shopper.email if shopper else ""),
        delivery_method=checked.delivery.method,
        ship_recipient=address.recipient,
        ship_phone=address.phone,
        ship_province=address.province,
        ship_city=address.city,
        ship_district=address.district,
        ship_street=address.street,
        ship_postcode=address.postcode,
        pickup_depot=depot,
        payment_method=checked.payment_method,
        status=Order.Status.AWAITING_PAYMENT if online else Order.Status.CONFIRMED,
        subtotal=subtotal,
        shipping=shipping,
        total=subtotal + shipping,
        idempotency_key=key,
        request_fingerprint=fingerprint,
        live_session=session,
        commission_rate=session.host.commission_rate if session else None,
        expires_at=now + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES) if online else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    fulfilments = [
        Fulfilment(
            order=order,
            producer_id=producer_id,
            depot=depot or variants[parcels[producer_id][0]].product.producer.default_depot,
            needs_cold_chain=any(variants[v].product.is_perishable for v in parcels[producer_id]),
            shipping_fee=parcel_fees[producer_id],
        )
        for producer_id in parcels
    ]
    by_producer = {fulfilment.producer_id: fulfilment for fulfilment in fulfilments}
    order_lines = [
        OrderLine(
            order=order,
            fulfilment=by_producer[variant.product.producer_id],
            variant=variant,
            producer=variant.product.producer,
            product_name=variant.product.name,
            variant_name=variant.name,
            sku=variant.sku,
            producer_name=variant.product.producer.name,
            unit_price=unit_prices[variant.pk],
            quantity=checked.lines[variant.pk],
            line_total=unit_prices[variant.pk] * checked.lines[variant.pk],
            is_perishable=variant.product.is_perishable,
            live_item=live_items.get(variant.pk),
        )
        for variant in (variants[v] for v in sorted(checked.lines))
    ]
    event = OrderEvent(order=order, actor=shopper, to_status=order.status)
    payment = (
        _payment_new(order)
        if online
        else Payment(order=order, method=checked.payment_method, provider="cod", amount=order.total)
    )
    try:
        with transaction.atomic():
            message = notifications.placed_message()
            _insert_order(order, fulfilments, order_lines, payment, event, message)
            outbox_message_written(message)
            if session is not None:
                live_services.commission_on_place(order=order, lines=order_lines)
            names = {v: variants[v].label for v in checked.lines}
            # Stock last: the variants' rows stay locked only for this statement and the commit.
            stock_take(quantities=checked.lines, names=names)
            if live_items:
                _live_items_take(session=session, items=live_items, order=order, lines=checked.lines, names=names)
    except IntegrityError as error:
        if key and "idempotency_key" in str(error):
            existing = _existing_order(shopper=shopper, key=key, fingerprint=fingerprint)
            if existing is not None:
                return existing
        raise
    # The caller answers from what was written, without reading the order back.
    for fulfilment in fulfilments:
        fulfilment.producer = variants[parcels[fulfilment.producer_id][0]].product.producer
    order._prefetched_objects_cache = {
        name: _held(getattr(order, name), rows)
        for name, rows in (
            ("lines", order_lines),
            ("fulfilments", fulfilments),
            ("payments", [payment]),
            ("events", [event]),
        )
    }
    return order


def _held(manager, rows: list):
    """A related manager's queryset already holding ``rows``, as ``prefetch_related`` leaves it."""
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def _insert_order(
    order: Order,
    fulfilments: list[Fulfilment],
    lines: list[OrderLine],
    payment: Payment,
    event: OrderEvent,
    message: OutboxMessage,
) -> None:
    """Insert a new order with its parcels, lines, payment, first event and outbox message in one statement.

    The order's row comes first in it: a concurrent request under the same Idempotency-Key fails on the
    unique index there, and the whole statement with it. Every instance gets its id.
    """
    order_id = ("(SELECT id FROM o)", [])
    chain = InsertChain()
    chain.add("o", [order])
    chain.add("f", fulfilments, refs={"order_id": lambda row: order_id}, key="producer_id")
    chain.add(
        "l",
        lines,
        refs={
            "order_id": lambda row: order_id,
            "fulfilment_id": lambda row: ("(SELECT id FROM f WHERE f.producer_id = %s)", [row.producer_id]),
        },
        key="variant_id",
    )
    chain.add("p", [payment], refs={"order_id": lambda row: order_id})
    chain.add("e", [event], refs={"order_id": lambda row: order_id})
    chain.add(
        "m",
        [message],
        refs={
            "payload": lambda row: (
                "jsonb_set(%s::jsonb, '{order_id}', to_jsonb((SELECT id FROM o)))",
                [json.dumps(row.payload)],
            )
        },
    )
    chain.execute()
    message.payload["order_id"] = order.pk


def _live_items_take(
    *, session: LiveSession, items: dict[int, LiveSessionItem], order: Order, lines: dict[int, int], names: dict
) -> None:
    """Count flash-price units against each item's cap and the buyer's limit, with the item rows locked by id.

    The lock serialises every order of the item, so a shopper's concurrent orders are counted one after the
    other: the count below sees each one committed before it."""
    locked = {
        item.variant_id: item
        for item in LiveSessionItem.objects.select_for_update()
        .filter(pk__in=[i.pk for i in items.values()])
        .order_by("pk")
    }
    # Read again after waiting for the items: a session the host ended meanwhile no longer gives its prices.
    status, ends_at = LiveSession.objects.values_list("status", "ends_at").get(pk=session.pk)
    if not LiveSession(status=status, ends_at=ends_at).is_on_air():
        raise InvalidOrder(
            {
                "live_session": [
                    _("The live session has just ended: its live prices no longer apply. Check the new total.")
                ]
            }
        )
    previous = selectors.live_units_bought(
        item_ids=[item.pk for item in locked.values()],
        shopper=order.shopper,
        phone=order.contact_phone,
        exclude_order=order,
    )
    errors: list[str] = []
    for variant_id, item in locked.items():
        wanted = lines[variant_id]
        bought = previous.get(item.pk, 0)
        if item.consent != LiveSessionItem.Consent.ACCEPTED:
            errors.append(_("%(name)s is no longer offered at the live price.") % {"name": names[variant_id]})
        elif bought + wanted > item.per_shopper_limit:
            errors.append(
                _("%(name)s: at most %(limit)s per shopper at the live price.")
                % {"name": names[variant_id], "limit": item.per_shopper_limit}
            )
        elif item.quantity_sold + wanted > item.quantity_cap:
            errors.append(
                _("%(name)s: only %(n)s left at the live price.")
                % {"name": names[variant_id], "n": item.quantity_cap - item.quantity_sold}
            )
    if errors:
        raise InvalidOrder({"lines": errors})
    _live_items_apply(lines={v: lines[v] for v in locked}, session_id=session.pk, sign=+1)
    if any(item.quantity_sold + lines[v] >= item.quantity_cap for v, item in locked.items()):
        pages_changed()  # The last live units are gone: pages show the normal price from now on.


def _live_items_apply(*, lines: dict[int, int], session_id: int, sign: int) -> None:
    ids = sorted(lines)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE live_livesessionitem SET quantity_sold = quantity_sold + %s * change.n "
            "FROM unnest(%s::bigint[], %s::integer[]) AS change(variant_id, n) "
            "WHERE live_livesessionitem.session_id = %s AND live_livesessionitem.variant_id = change.variant_id",
            [sign, ids, [lines[i] for i in ids], session_id],
        )
    if sign < 0:
        pages_changed()  # Live units given back may bring the live price back on pages.


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


def _record(order: Order, *, to: str, actor: User | None, note: str = "", **extra) -> None:
    OrderEvent.objects.create(order=order, from_status=order.status, to_status=to, actor=actor, note=note, **extra)
    order.status = to


def _give_back(order: Order) -> None:
    """Return the order's units to stock and to its live items: called once, on the move out of a holding status."""
    rows = list(order.lines.values_list("variant_id", "quantity", "live_item_id"))
    if rows:
        stock_release(quantities={variant_id: quantity for variant_id, quantity, _item in rows})
        # Only units sold at the flash price counted against their item's cap.
        flash = {variant_id: quantity for variant_id, quantity, item_id in rows if item_id is not None}
        if flash:
            list(
                LiveSessionItem.objects.select_for_update()
                .filter(pk__in=[item_id for _v, _q, item_id in rows if item_id is not None])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            _live_items_apply(lines=flash, session_id=order.live_session_id, sign=-1)
    order.fulfilments.exclude(status=Fulfilment.Status.CANCELLED).update(
        status=Fulfilment.Status.CANCELLED, updated_at=timezone.now()
    )


def order_cancel(*, order: Order, actor: User | None, reason: str = "") -> Order:
    """Cancel an order that has not shipped; its stock comes back exactly once."""
    with transaction.atomic():
        locked = _lock_order(order.pk)
        check_order_transition(locked.status, Order.Status.CANCELLED)
        if locked.fulfilments.filter(status__in=[Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED]).exists():
            raise IllegalTransition(
                _("A parcel of this order has already shipped, so it can no longer be cancelled."),
                current=locked.status,
                requested=Order.Status.CANCELLED,
            )
        _give_back(locked)
        now = timezone.now()
        locked.payments.filter(status=Payment.Status.SUCCEEDED).update(status=Payment.Status.REFUNDED, updated_at=now)
        locked.payments.filter(status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED, updated_at=now)
        _record(locked, to=Order.Status.CANCELLED, actor=actor, note=reason)
        live_services.commission_move(order=locked, event=CommissionEntry.Event.CANCELLED)
        locked.expires_at = None
        locked.save(update_fields=["status", "expires_at", "updated_at"])
        notifications.send_after_commit(order_id=locked.pk, event="cancelled")
    return locked


def order_expire(*, order_id: int, now: datetime | None = None) -> bool:
    """Expire one unpaid online order whose time is up, giving its stock back; False if it no longer qualifies."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_order(order_id)
        if locked.status != Order.Status.AWAITING_PAYMENT or locked.expires_at is None or locked.expires_at > now:
            return False
        _give_back(locked)
        locked.payments.filter(status__in=[Payment.Status.PENDING, Payment.Status.FAILED]).update(
            status=Payment.Status.CANCELLED, updated_at=now
        )
        _record(locked, to=Order.Status.EXPIRED, actor=None, note=_("Not paid in time."))
        live_services.commission_move(order=locked, event=CommissionEntry.Event.EXPIRED)
        locked.save(update_fields=["status", "updated_at"])
        notifications.send_after_commit(order_id=locked.pk, event="expired")
    return True


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
            raise PaymentRejected(_("Unknown payment."))
        order = _lock_order(payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if amount != payment.amount:
            raise PaymentRejected(_("The amount does not match the payment."))
        try:
            with transaction.atomic():
                PaymentWebhookEvent.objects.create(provider=provider, event_id=event_id, payment=payment)
        except IntegrityError:
            return payment  # A replay: already applied.
        now = timezone.now()
        if not succeeded:
            if payment.status == Payment.Status.PENDING:
                payment.status = Payment.Status.FAILED
                payment.save(update_fields=["status", "updated_at"])
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
            _record(order, to=Order.Status.PAID, actor=None)
            order.expires_at = None
            order.save(update_fields=["status", "expires_at", "updated_at"])
            notifications.send_after_commit(order_id=order.pk, event="paid")
        else:
            payment.status = Payment.Status.REFUNDED
            payment.save(update_fields=["status", "paid_at", "updated_at"])
            OrderEvent.objects.create(
                order=order,
                from_status=order.status,
                to_status=order.status,
                note=_("Payment arrived after the order was %(status)s; it was refunded.")
                % {"status": order.get_status_display()},
            )
    return payment


def _payment_open(order: Order) -> Payment:
    payment = _payment_new(order)
    payment.save()
    return payment


def _payment_new(order: Order) -> Payment:
    return Payment(
        order=order,
        method=Order.PaymentMethod.ONLINE,
        provider=SIMULATED_PROVIDER,
        provider_reference=uuid.uuid4().hex,
        amount=order.total,
    )


# What a parcel's move is called in its producer's activity.
PARCEL_ACTIVITY = {
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
) -> Fulfilment:
    """Move one parcel along new → packed → shipped → delivered; the order completes with its last parcel.

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
        if to == Fulfilment.Status.SHIPPED:
            if order.delivery_method == Order.DeliveryMethod.SHIP and not tracking_number:
                raise InvalidOrder({"tracking_number": [_("Enter the tracking number of the parcel.")]})
            if len(tracking_number) > 50:
                raise InvalidOrder({"tracking_number": [_("The tracking number is too long.")]})
            parcel.tracking_number = tracking_number
            parcel.carrier = (carrier or "").strip()[:50]
        now = timezone.now()
        stamp = {
            Fulfilment.Status.PACKED: "packed_at",
            Fulfilment.Status.SHIPPED: "shipped_at",
            Fulfilment.Status.DELIVERED: "delivered_at",
        }.get(to)
        if stamp:
            setattr(parcel, stamp, now)
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
        if to == Fulfilment.Status.SHIPPED:
            notifications.send_after_commit(order_id=order.pk, event="shipped", fulfilment_id=parcel.pk)
    return parcel


def order_refund(*, order: Order, actor: User | None, note: str = "") -> Order:
    """Staff refund a completed order (goods already delivered: no stock comes back)."""
    with transaction.atomic():
        locked = _lock_order(order.pk)
        check_order_transition(locked.status, Order.Status.REFUNDED)
        locked.payments.filter(status=Payment.Status.SUCCEEDED).update(
            status=Payment.Status.REFUNDED, updated_at=timezone.now()
        )
        _record(locked, to=Order.Status.REFUNDED, actor=actor, note=note)
        live_services.commission_move(order=locked, event=CommissionEntry.Event.REFUNDED)
        locked.save(update_fields=["status", "updated_at"])
    return locked


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
            parcel = fulfilment_transition(fulfilment=parcel, to=step, actor=actor)
        OrderEvent.objects.create(
            order=order,
            fulfilment=parcel,
            from_status=parcel.status,
            to_status=parcel.status,
            actor=actor,
            note=_("Received at %(depot)s.") % {"depot": depot.name},
        )
    return parcel


def parcel_hand_over(
    *,
    fulfilment: Fulfilment,
    depot: Depot,
    actor: User | None,
    tracking_number: str = "",
    carrier: str = "",
) -> Fulfilment:
    """``depot`` gives a parcel it has received to whoever takes it on; ``fulfilment_transition`` moves it.

    A pickup order's parcel is collected by the shopper: it becomes delivered (from shipped, which for
    pickup means at the depot), so the order completes with its last parcel and cash on delivery counts
    as collected then. A parcel of an order shipped to an address goes to a carrier: it becomes shipped,
    with the carrier's tracking number (required) and name.

    Raises ``Fulfilment.DoesNotExist`` for a parcel not due at ``depot``; ``IllegalTransition`` when it was
    already handed over, was not received at the depot first, or its order cannot be handled;
    ``InvalidOrder`` for a missing or too long tracking number.
    """
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
