"""Placing an order, step by step; ``orders.services.order_place`` runs the steps in turn.

``check`` validates the request as it came, reading nothing; ``load`` reads what it names (the variants,
the pickup depot, the live session); ``price`` sets every unit price by the one pricing rule of
``live.pricing``, splits the goods into parcels, one per producer, with their shipping fees, and adds up
the subtotal; ``write`` runs the one transaction: the order with its parcels, lines, payment, first event
and outbox message in one statement, the host's commission, then the stock (``catalog/stock.py``) and
last the live items' counts (``live/stock.py``). A price the client sends never counts: only the database's.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import PreSale, Variant
from catalog.selectors import held_for
from catalog.services import waitlist_holds_use, waitlist_offer
from catalog.stock import stock_take
from live import services as live_services
from live import stock as live_stock
from live.models import LiveSession, LiveSessionItem
from live.pricing import items_on_air, unit_price
from marketplace.audit_log import ORDERS, log_event_on_commit
from marketplace.models import User
from marketplace.money import format_yuan
from marketplace.one_statement import InsertChain
from marketplace.validators import normalize_mainland_mobile, validate_postcode
from notifications.models import OutboxMessage
from notifications.services import outbox_message_written
from orders import notifications, selectors
from orders.errors import IdempotencyKeyReused, InvalidOrder, PricesChanged
from orders.models import MAX_LINE_QUANTITY, Fulfilment, Order, OrderEvent, OrderLine, Payment
from orders.payments import payment_new
from orders.pricing import order_totals
from producers.models import CourierReach, Depot
from producers.selectors import PICKUP_LEAD_DAYS
from producers.services import depot_day_claim

MAX_LINES = 50


def _column_max(field_name: str) -> Decimal:
    """The largest amount an order's money column holds."""
    field = Order._meta.get_field(field_name)
    if not isinstance(field, models.DecimalField) or field.max_digits is None or field.decimal_places is None:
        raise TypeError(f"Order.{field_name} is not a money column")
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places


# What an order's subtotal, shipping and total columns hold (and a line's total). With at most MAX_LINES lines of
# MAX_LINE_QUANTITY units at MAX_PRICE each, an order's goods stay far below it.
MAX_ORDER_TOTAL = min(_column_max("subtotal"), _column_max("total"))


# Descriptions and stories an order never reads: left in the database, not carried into every checkout.
LONG_TEXT = [
    f"{model}description_{language}"
    for model in ("product__", "product__producer__")
    for language in ("zh", "ug", "en")
]


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
class Checked:
    """A request after validation: what the transaction needs, and nothing from the client's prices.

    ``key`` is the Idempotency-Key, ``fingerprint`` the hash of what the request asks for under it.
    """

    shopper: User | None
    lines: dict[int, int]
    contact: Contact
    delivery: Delivery
    payment_method: str
    live_session_slug: str
    key: str = ""
    fingerprint: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    # A depot manager who took the order for the shopper at ``placed_at_depot`` (its first event names them).
    placed_by: User | None = None
    placed_at_depot: Depot | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


@dataclass(frozen=True)
class Loaded:
    """What the request names, read from the database; ``session`` only while it is on air at ``now``."""

    variants: dict[int, Variant]
    depot: Depot | None
    session: LiveSession | None
    now: datetime


@dataclass(frozen=True)
class Priced:
    """The order's figures: unit prices and the live items they come from by variant id, parcels by producer id."""

    unit_prices: dict[int, Decimal]
    live_items: dict[int, LiveSessionItem]
    parcels: dict[int, list[int]]  # producer id → its variant ids, in id order
    parcel_fees: dict[int, Decimal]
    subtotal: Decimal
    shipping: Decimal


# Check


def _is_quantity(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check(
    *,
    shopper: User | None,
    lines: list[LineRequest],
    contact: Contact,
    delivery: Delivery,
    payment_method: str,
    live_session_slug: str,
    idempotency_key: str,
) -> Checked:
    """The request, cleaned, with its fingerprint; raises ``InvalidOrder`` naming everything wrong with it."""
    checked = _check_request(
        shopper=shopper,
        lines=lines,
        contact=contact,
        delivery=delivery,
        payment_method=payment_method,
        live_session_slug=live_session_slug,
    )
    checked.key = (idempotency_key or "").strip()
    if len(checked.key) > 100:
        checked.error("idempotency_key", _("The Idempotency-Key may be at most 100 characters."))
    if checked.errors:
        raise InvalidOrder(checked.errors)
    checked.fingerprint = _fingerprint(checked)
    return checked


def _check_request(
    *,
    shopper: User | None,
    lines: list[LineRequest],
    contact: Contact,
    delivery: Delivery,
    payment_method: str,
    live_session_slug: str,
) -> Checked:
    checked = Checked(
        shopper=shopper,
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


def _fingerprint(checked: Checked) -> str:
    """A hash of what the order asks for, to tell a retry from a different order under the same key."""
    body = {
        "shopper": checked.shopper.pk if checked.shopper else None,
        "lines": sorted(checked.lines.items()),
        "contact": asdict(checked.contact),
        "delivery": asdict(checked.delivery),
        "payment_method": checked.payment_method,
        "live_session": checked.live_session_slug,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def existing_order(checked: Checked) -> Order | None:
    """The order placed before under the request's key, if any; ``IdempotencyKeyReused`` if it asked for another.

    A retry of an order placed before under the same key gets that order, even if its items have left sale or
    changed price since. The key is looked up only when placing fails: a new key meets the unique index when
    the order is inserted, which saves every order one query.
    """
    if not checked.key:
        return None
    order = selectors.order_details().filter(shopper=checked.shopper, idempotency_key=checked.key).first()
    if order is None:
        return None
    if order.request_fingerprint != checked.fingerprint:
        raise IdempotencyKeyReused()
    return order


# Load


def load(checked: Checked) -> Loaded:
    """The variants, the pickup depot and the live session the request names; ``InvalidOrder`` for any missing.

    A variant that is not on sale is missing. A session that is not on air (it ended, or has not started)
    gives no prices and no attribution: the order is placed as if it had named none.
    """
    variants: dict[int, Variant] = {
        variant.pk: variant
        for variant in Variant.objects.select_related("product__producer")
        .defer(*LONG_TEXT)
        # Its open pre-sale, if any (at most one: a unique index), in the same query.
        .annotate(
            open_pre_sale=FilteredRelation("pre_sales", condition=Q(pre_sales__status=PreSale.Status.OPEN)),
            pre_sale_id=F("open_pre_sale__id"),
            pre_sale_ship_by=F("open_pre_sale__ship_by"),
            # Units the waitlist holds for this shopper, which their order takes first (``write``).
            held_for_shopper=held_for(checked.shopper),
        )
        .filter(pk__in=checked.lines)
    }
    for variant_id in checked.lines:
        variant = variants.get(variant_id)
        if variant is None:
            checked.error("lines", _("Unknown item: %(id)s.") % {"id": variant_id})
        elif not variant.is_on_sale:
            checked.error("lines", _("%(name)s is not on sale.") % {"name": variant.label})

    _check_pre_sale(checked, variants)

    depot = None
    if checked.delivery.method == Order.DeliveryMethod.PICKUP:
        depot = Depot.objects.filter(slug=checked.delivery.depot_slug, is_active=True).first()
        if depot is None:
            checked.error("delivery.depot", _("There is no such pickup depot."))

    if checked.delivery.method == Order.DeliveryMethod.SHIP and not checked.errors:
        _check_courier_reach(checked, variants)

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
    return Loaded(variants=variants, depot=depot, session=session, now=now)


def _check_pre_sale(checked: Checked, variants: dict[int, Variant]) -> None:
    """A size on pre-sale is ordered on its own and paid now, online: each of its orders is then filled or
    cancelled whole, in placement order, when the harvest is entered (``services.presale_harvest``)."""
    on_pre_sale = [v for v in variants.values() if v.pre_sale_id is not None]  # type: ignore[attr-defined]
    if not on_pre_sale:
        return
    if len(checked.lines) > 1:
        checked.error(
            "lines",
            _("%(name)s is sold before its harvest: order it on its own, apart from the rest of the basket.")
            % {"name": on_pre_sale[0].label},
        )
    if checked.payment_method != Order.PaymentMethod.ONLINE:
        checked.error("payment_method", _("A pre-sale order is paid now, online."))


def _pre_sale_hold(variants: dict[int, Variant]) -> None:
    """Hold the pre-sale an order is placed in ``FOR SHARE`` until the order commits, so that its harvest is not
    entered meanwhile (``services.presale_harvest`` waits); ``InvalidOrder`` if it was entered since the basket was
    read. No query for an order without a pre-sale."""
    ids = [v.pre_sale_id for v in variants.values() if v.pre_sale_id is not None]  # type: ignore[attr-defined]
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM catalog_presale WHERE id = ANY(%s) FOR SHARE", [ids])
        if any(status != PreSale.Status.OPEN for (status,) in cursor.fetchall()):
            raise InvalidOrder(
                {"lines": [_("The harvest of this pre-sale has just been entered: check your basket again.")]}
            )


def _pre_sale_ship_by(variants: list[Variant]) -> date | None:
    """The ship-by day of a pre-sale among ``variants`` (the sizes of one parcel), if one is on pre-sale."""
    return next((v.pre_sale_ship_by for v in variants if v.pre_sale_id is not None), None)  # type: ignore[attr-defined]


def _check_courier_reach(checked: Checked, variants: dict[int, Variant]) -> None:
    """A perishable size with a shelf life is delivered only to a province its producer's county's couriers reach
    within it (``CourierReach``); otherwise an error on the address's province names it. One query, and none
    when no such size is ordered."""
    keeping = {v.pk: v for v in variants.values() if v.product.is_perishable and v.shelf_life_days}
    shelf_life = {pk: v.shelf_life_days or 0 for pk, v in keeping.items()}
    if not keeping:
        return
    province = checked.delivery.address.province if checked.delivery.address else ""
    village_ids = {v.product.producer.village_id for v in keeping.values()}
    reach: dict[int, list[CourierReach]] = defaultdict(list)
    rows = CourierReach.objects.filter(county__villages__in=village_ids).annotate(village=F("county__villages__id"))
    for row in rows:
        reach[row.village].append(row)
    for variant in keeping.values():
        days = [row.days for row in reach[variant.product.producer.village_id] if row.reaches(province)]
        if not days or min(days) > shelf_life[variant.pk]:
            checked.error(
                "delivery.address.province",
                _(
                    "%(name)s keeps %(days)s days, and its courier cannot bring it to %(province)s in that time: "
                    "pick it up at a depot, or leave it out."
                )
                % {"name": variant.label, "days": variant.shelf_life_days, "province": province},
            )


# Price


def price(checked: Checked, loaded: Loaded, *, expected: Decimal | None) -> Priced:
    """Unit prices from the database, parcels, their fees and the subtotal.

    ``expected`` is the goods' total the shopper was shown: ``PricesChanged`` when the subtotal now differs.
    """
    variants, session, now = loaded.variants, loaded.session, loaded.now
    # Prices come from the database, through the one pricing rule the cart and the pages use.
    on_air = items_on_air(session=session, variant_ids=checked.lines, now=now)
    bought = (
        selectors.live_units_bought(
            item_ids=[item.pk for item in on_air.values()], shopper=checked.shopper, phone=checked.contact.phone
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
    unit_prices = {v: unit.amount for v, unit in prices.items()}
    live_items = {v: unit.live_item for v, unit in prices.items() if unit.live_item is not None}
    parcels: dict[int, list[int]] = defaultdict(list)
    for variant_id in sorted(checked.lines):
        parcels[variants[variant_id].product.producer_id].append(variant_id)
    # The same sum checkout's summary shows (``orders.pricing.order_totals``).
    totals = order_totals(
        line_totals=[
            (variants[v].product.producer_id, unit_prices[v] * checked.lines[v]) for v in sorted(checked.lines)
        ],
        delivery_method=checked.delivery.method,
    )
    parcel_fees, subtotal, shipping = totals.parcel_fees, totals.subtotal, totals.shipping
    if subtotal + shipping > MAX_ORDER_TOTAL:
        # Prices are bounded (MAX_PRICE) so that this cannot happen; a price stored before the bound, or a
        # shipping fee set very high, is refused here rather than overflowing a column.
        raise InvalidOrder(
            {
                "lines": [
                    _("An order can come to at most %(max)s; place it as several orders.")
                    % {"max": format_yuan(MAX_ORDER_TOTAL)}
                ]
            }
        )
    if expected is not None and expected != subtotal:
        raise PricesChanged(expected=expected, subtotal=subtotal)
    return Priced(
        unit_prices=unit_prices,
        live_items=live_items,
        parcels=parcels,
        parcel_fees=parcel_fees,
        subtotal=subtotal,
        shipping=shipping,
    )


# Write


@dataclass(frozen=True)
class _Rows:
    """A new order's rows, not saved yet."""

    order: Order
    fulfilments: list[Fulfilment]
    lines: list[OrderLine]
    event: OrderEvent
    payment: Payment


def write(checked: Checked, loaded: Loaded, priced: Priced) -> Order:
    """Insert the order and take what it buys, in one transaction; the order comes back without a read.

    Under a key that a concurrent request has just used, the unique index refuses the insert: the answer is
    that request's order (``existing_order``).
    """
    variants, session = loaded.variants, loaded.session
    rows = _rows(checked, loaded, priced)
    order = rows.order
    try:
        with transaction.atomic():
            _pre_sale_hold(variants)
            if loaded.depot is not None:
                today = timezone.localdate(loaded.now)
                # A pre-sale's order is collected once its harvest has shipped.
                ships_by = _pre_sale_ship_by(list(variants.values()))
                if ships_by is not None:
                    today = max(today, ships_by - timedelta(days=PICKUP_LEAD_DAYS))
                try:
                    order.pickup_on = depot_day_claim(depot=loaded.depot, today=today)
                except ValidationError as error:
                    raise InvalidOrder({"delivery.depot": error.messages}) from None
            message = notifications.placed_message()
            _insert_order(order, rows.fulfilments, rows.lines, rows.payment, rows.event, message)
            outbox_message_written(message)
            if session is not None:
                live_services.commission_on_place(order=order, lines=rows.lines)
            names = {v: variants[v].label for v in checked.lines}
            held = [v for v in checked.lines if variants[v].held_for_shopper]  # type: ignore[attr-defined]
            if held and checked.shopper is not None:
                # The units the waitlist held for this shopper go back to the stock this order takes from. The whole
                # basket's variants are locked first, in primary-key order, as every path locks them.
                waitlist_holds_use(shopper=checked.shopper, variant_ids=checked.lines)
            # Stock last: the variants' rows stay locked only for this statement and the commit.
            stock_take(quantities=checked.lines, names=names, order_id=order.pk)
            if held:
                # What the order left of a hold goes to the next shopper waiting.
                waitlist_offer(variant_ids=held)
            if session is not None and priced.live_items:
                _live_items_take(
                    session=session, items=priced.live_items, order=order, lines=checked.lines, names=names
                )
            log_event_on_commit(
                ORDERS,
                "order.placed",
                order=order.number,
                order_id=order.pk,
                user_id=order.shopper_id,
                status=order.status,
                payment_method=order.payment_method,
                delivery=order.delivery_method,
                lines=len(rows.lines),
                parcels=len(rows.fulfilments),
                subtotal=order.subtotal,
                shipping=order.shipping,
                total=order.total,
                currency=order.currency,
                live_session_id=order.live_session_id,
            )
    except IntegrityError as error:
        if checked.key and "idempotency_key" in str(error):
            existing = existing_order(checked)
            if existing is not None:
                return existing
        raise
    # The caller answers from what was written, without reading the order back.
    for fulfilment in rows.fulfilments:
        fulfilment.producer = variants[priced.parcels[fulfilment.producer_id][0]].product.producer
    order._prefetched_objects_cache = {  # type: ignore[attr-defined]  # what prefetch_related fills
        name: _held(getattr(order, name), related)
        for name, related in (
            ("lines", rows.lines),
            ("fulfilments", rows.fulfilments),
            ("payments", [rows.payment]),
            ("events", [rows.event]),
        )
    }
    return order


def _rows(checked: Checked, loaded: Loaded, priced: Priced) -> _Rows:
    shopper, variants, depot, session = checked.shopper, loaded.variants, loaded.depot, loaded.session
    unit_prices, parcels = priced.unit_prices, priced.parcels
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
        subtotal=priced.subtotal,
        shipping=priced.shipping,
        total=priced.subtotal + priced.shipping,
        idempotency_key=checked.key,
        request_fingerprint=checked.fingerprint,
        live_session=session,
        commission_rate=session.host.commission_rate if session else None,
        expires_at=loaded.now + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES) if online else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    fulfilments = [
        Fulfilment(
            order=order,
            producer_id=producer_id,
            depot=depot or variants[parcels[producer_id][0]].product.producer.default_depot,
            needs_cold_chain=any(variants[v].product.is_perishable for v in parcels[producer_id]),
            ship_by=_pre_sale_ship_by([variants[v] for v in parcels[producer_id]])
            or (
                timezone.localdate(loaded.now) + timedelta(days=settings.PERISHABLE_SHIP_WITHIN_DAYS)
                if any(variants[v].product.is_perishable for v in parcels[producer_id])
                else None
            ),
            shipping_fee=priced.parcel_fees[producer_id],
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
            names=OrderLine.names_of(variant),
            unit_price=unit_prices[variant.pk],
            quantity=checked.lines[variant.pk],
            line_total=unit_prices[variant.pk] * checked.lines[variant.pk],
            is_perishable=variant.product.is_perishable,
            live_item=priced.live_items.get(variant.pk),
            pre_sale_id=variant.pre_sale_id,  # type: ignore[attr-defined]
        )
        for variant in (variants[v] for v in sorted(checked.lines))
    ]
    event = OrderEvent(
        order=order, actor=checked.placed_by or shopper, depot=checked.placed_at_depot, to_status=order.status
    )
    payment = (
        payment_new(order)
        if online
        else Payment(order=order, method=checked.payment_method, provider="cod", amount=order.total)
    )
    return _Rows(order=order, fulfilments=fulfilments, lines=order_lines, event=event, payment=payment)


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
    order_id: tuple[str, list[object]] = ("(SELECT id FROM o)", [])
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
    """Count flash-price units against each item's cap and the buyer's limit (``live.stock``), or refuse the order.

    The buyer's earlier orders are counted once the items are locked: the count sees each one committed before.
    """
    try:
        locked = live_stock.live_items_lock(session_id=session.pk, ids=[i.pk for i in items.values()])
    except live_stock.SessionEnded:
        raise InvalidOrder(
            {
                "live_session": [
                    _("The live session has just ended: its live prices no longer apply. Check the new total.")
                ]
            }
        ) from None
    previous = selectors.live_units_bought(
        item_ids=[item.pk for item in locked.values()],
        shopper=order.shopper,
        phone=order.contact_phone,
        exclude_order=order,
    )
    refusals = live_stock.live_items_take(session_id=session.pk, items=locked, quantities=lines, bought=previous)
    if refusals:
        raise InvalidOrder({"lines": [_refusal_message(refusal, names) for refusal in refusals]})


def _refusal_message(refusal: live_stock.Refusal, names: dict) -> str:
    name = names[refusal.item.variant_id]
    if refusal.reason == live_stock.WITHDRAWN:
        return _("%(name)s is no longer offered at the live price.") % {"name": name}
    if refusal.reason == live_stock.OVER_LIMIT:
        return _("%(name)s: at most %(limit)s per shopper at the live price.") % {
            "name": name,
            "limit": refusal.item.per_shopper_limit,
        }
    return _("%(name)s: only %(n)s left at the live price.") % {"name": name, "n": refusal.left}
