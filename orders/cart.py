"""The shopper's basket: every write to a cart goes through a function here.

A guest's cart is remembered by its id in the session; a signed-in shopper's
by their account. Signing in merges the guest's cart into the account's.
Stock is only checked here (so a shopper hears "only n left" early); it is
taken by ``orders.services.order_place`` at checkout. Prices come from
``live.pricing``, the rule checkout uses: a live session that sent the
shopper (``live.attribution``) gives its flash prices while it is on air,
and its per-shopper limits apply to what the cart may hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from catalog.models import ProductImage, Variant, variant_on_sale
from catalog.selectors import held_for, pre_sale_ships_from
from live.models import LiveSession, LiveSessionItem
from live.pricing import UnitPrice, items_on_air, unit_price, unit_prices
from marketplace.models import User
from marketplace.phrases import Phrase
from marketplace.validators import normalize_mainland_mobile
from orders.models import MAX_LINE_QUANTITY, Cart, CartLine, Order
from orders.pricing import order_totals
from orders.selectors import live_units_bought
from producers.models import Producer

SESSION_KEY = "cart_id"


def cart_lines(cart: Cart | None) -> QuerySet[CartLine]:
    """A cart's lines with what the cart page shows: variant, product, producer, first photo."""
    if cart is None:
        return CartLine.objects.none()
    return (
        cart.lines.select_related("variant__product__producer")
        .annotate(
            ships_from=pre_sale_ships_from("variant_id"),
            available=F("variant__stock") + held_for(cart.user_id, "variant_id"),
        )
        .prefetch_related(
            Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("id")
    )


def cart_priced_lines(
    cart: Cart | None, *, session: LiveSession | None, shopper: User | None, phone: str = ""
) -> list[CartLine]:
    """The cart's lines, each with ``price`` (a ``UnitPrice``: the live price when the whole line fits what the
    buyer may still buy at it, the earlier orders of their account or mobile ``phone`` counted) and ``total``."""
    lines = list(cart_lines(cart))
    variants = [line.variant for line in lines]
    on_air = items_on_air(session=session, variant_ids=[variant.pk for variant in variants])
    bought = _bought(items=list(on_air.values()), shopper=shopper, phone=phone)
    prices = unit_prices(
        variants=variants,
        session=session,
        quantities={line.variant_id: line.quantity for line in lines},
        bought=bought,
        items=on_air,
    )
    for line in lines:
        line.price = prices[line.variant_id]
        line.total = line.price.amount * line.quantity
    return lines


def lines_subtotal(lines: list[CartLine]) -> Decimal:
    """What priced lines (``cart_priced_lines``) cost: the goods' total checkout shows and then charges."""
    return sum((line.total for line in lines), Decimal("0.00"))


@dataclass(frozen=True)
class ParcelSummary:
    """One producer's parcel as checkout shows it: its lines, goods and shipping."""

    producer: Producer
    lines: list[CartLine]
    subtotal: Decimal
    shipping: Decimal


@dataclass(frozen=True)
class CheckoutSummary:
    """What an order of priced lines comes to for one delivery method, added up as ``order_place`` adds it up.

    ``subtotal`` is the goods at the prices charged; ``live_discount`` what live prices took off them (already
    counted in ``subtotal``).
    """

    delivery_method: str
    parcels: list[ParcelSummary]
    live_discount: Decimal
    subtotal: Decimal
    shipping: Decimal
    total: Decimal


def checkout_summaries(lines: list[CartLine]) -> dict[str, CheckoutSummary]:
    """Priced lines (``cart_priced_lines``) summed per parcel for each delivery method, by method."""
    live_discount = sum(
        ((line.price.normal - line.price.amount) * line.quantity for line in lines if line.price.is_live),
        Decimal("0.00"),
    )
    by_producer: dict[int, list[CartLine]] = {}
    for line in sorted(lines, key=lambda line: line.variant_id):
        by_producer.setdefault(line.variant.product.producer_id, []).append(line)
    summaries = {}
    for method in Order.DeliveryMethod.values:
        totals = order_totals(
            line_totals=[(line.variant.product.producer_id, line.total) for line in lines],
            delivery_method=method,
        )
        parcels = [
            ParcelSummary(
                producer=parcel[0].variant.product.producer,
                lines=parcel,
                subtotal=totals.parcel_subtotals[producer_id],
                shipping=totals.parcel_fees[producer_id],
            )
            for producer_id, parcel in by_producer.items()
        ]
        summaries[method] = CheckoutSummary(
            delivery_method=method,
            parcels=parcels,
            live_discount=live_discount,
            subtotal=totals.subtotal,
            shipping=totals.shipping,
            total=totals.total,
        )
    return summaries


def _bought(*, items: list[LiveSessionItem], shopper: User | None, phone: str = "") -> dict[int, int]:
    """What the buyer already bought at these items' live prices: by account (and the account's phone), or by
    the mobile number a guest gives at checkout."""
    account = shopper if shopper is not None and shopper.is_authenticated else None
    if not phone and account is not None and account.phone:
        try:
            phone = normalize_mainland_mobile(account.phone)
        except ValidationError:
            phone = ""
    if not items or (account is None and not phone):
        return {}
    return live_units_bought(item_ids=[item.pk for item in items], shopper=account, phone=phone)


def _check_live_allowance(
    *, variant: Variant, already: int, adding: int, session: LiveSession | None, shopper: User | None
) -> None:
    """Refuse units added at the live price beyond what the shopper may still buy at it."""
    item = items_on_air(session=session, variant_ids=[variant.pk]).get(variant.pk)
    bought = _bought(items=[item], shopper=shopper).get(item.pk, 0) if item else 0
    price: UnitPrice = unit_price(variant=variant, live_item=item, quantity=already + adding, bought=bought)
    if price.missed is None:
        return
    label = variant.label
    more = max(price.allowance - already, 0)
    if price.missed.remaining == 0:
        message = _("%(name)s is sold out at the live price.")
    elif more == 0:
        message = _("%(name)s: you have the most allowed at the live price (%(limit)s per shopper).")
    else:
        message = ngettext(
            "%(name)s: at most %(limit)s per shopper at the live price; you may add %(n)s more.",
            "%(name)s: at most %(limit)s per shopper at the live price; you may add %(n)s more.",
            more,
        )
    raise ValidationError(
        message % {"name": label, "limit": price.missed.per_shopper_limit, "n": more}, code="live_limit"
    )


def cart_find(*, user: User | None, session) -> Cart | None:
    """The visitor's cart if they have one: the account's when signed in, else the session's."""
    if user is not None and user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    cart_id = session.get(SESSION_KEY)
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None


def cart_units(*, user: User | None, session) -> int:
    """How many units the visitor's cart holds (the header's count): one query, none for a guest without a cart."""
    if user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__user=user)
    elif cart_id := session.get(SESSION_KEY):
        lines = CartLine.objects.filter(cart_id=cart_id, cart__user__isnull=True)
    else:
        return 0
    return lines.aggregate(units=Sum("quantity"))["units"] or 0


def cart_get_or_create(*, user: User | None, session) -> Cart:
    cart = cart_find(user=user, session=session)
    if cart is not None:
        return cart
    if user is not None and user.is_authenticated:
        cart, _created = Cart.objects.get_or_create(user=user)
        return cart
    if session.session_key is None:
        session.save()
    cart = Cart.objects.create(session_key=session.session_key)
    session[SESSION_KEY] = cart.pk
    return cart


def _sellable_variant(variant_id: object, *, shopper_id: int | None = None) -> Variant:
    """The variant on sale, with ``held``: the units the waitlist holds for ``shopper_id``."""
    if isinstance(variant_id, bool) or not isinstance(variant_id, int):
        raise ValidationError(_("Choose a size to add."), code="invalid_variant")
    variant = (
        Variant.objects.select_related("product__producer")
        .annotate(held=held_for(shopper_id))
        .filter(variant_on_sale(), pk=variant_id)
        .first()
    )
    if variant is None:
        raise ValidationError(_("This item is not on sale."), code="not_on_sale")
    return variant


def _check_count(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationError(
            _("Quantity must be a whole number from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY}, code="quantity"
        )
    return quantity


def _check_stock(*, variant: Variant, quantity: int) -> None:
    """Refuse more than the stock and the units held for the shopper (``held``) hold."""
    label = variant.label
    available = variant.stock + getattr(variant, "held", 0)
    if available == 0:
        raise ValidationError(_("%(name)s is sold out.") % {"name": label}, code="sold_out")
    if quantity > available:
        raise ValidationError(
            ngettext("Only %(n)s of %(name)s is left.", "Only %(n)s of %(name)s are left.", available)
            % {"n": available, "name": label},
            code="only_n_left",
        )


def cart_add(
    *,
    cart: Cart,
    variant_id: int,
    quantity: int,
    session: LiveSession | None = None,
    shopper: User | None = None,
    at_live_price: bool = False,
) -> CartLine:
    """Add units of a variant, refusing (with the reason, and changing nothing) what cannot be bought.

    ``at_live_price`` (added from the page of ``session``, the session that sent the shopper): the units must
    fit what ``shopper`` may still buy at its live price; more are refused. Otherwise a line that outgrows the
    allowance is simply priced at the normal price (``cart_priced_lines`` says so)."""
    _check_count(quantity)
    variant = _sellable_variant(variant_id, shopper_id=cart.user_id)
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        already = line.quantity if line else 0
        _check_count(already + quantity)
        _check_stock(variant=variant, quantity=already + quantity)
        if at_live_price:
            _check_live_allowance(variant=variant, already=already, adding=quantity, session=session, shopper=shopper)
        if line is None:
            line = CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
        else:
            line.quantity = already + quantity
            line.save(update_fields=["quantity", "updated_at"])
    return line


def cart_set_quantity(*, cart: Cart, variant_id: int, quantity: int) -> None:
    """Set a line's quantity; 0 removes it. More than the live allowance puts the line at the normal price."""
    if quantity == 0 and not isinstance(quantity, bool):
        cart.lines.filter(variant_id=variant_id).delete()
        return
    variant = _sellable_variant(variant_id, shopper_id=cart.user_id)
    _check_stock(variant=variant, quantity=_check_count(quantity))
    updated = cart.lines.filter(variant=variant).update(quantity=quantity)
    if not updated:
        raise ValidationError(_("This item is not in your cart."), code="not_in_cart")


def cart_merge(*, guest_cart_id: int | None, user: User, session: LiveSession | None = None) -> list[Phrase]:
    """At sign-in, move the guest's lines into the account's cart (quantities add up, at most 999).

    Returns what the shopper should hear: a line at ``session``'s live price that now holds more than the
    shopper may still buy at it (their earlier orders counted) is at the normal price until lowered."""
    if not guest_cart_id:
        return []
    with transaction.atomic():
        guest = Cart.objects.select_for_update().filter(pk=guest_cart_id, user__isnull=True).first()
        if guest is None:
            return []
        account, _created = Cart.objects.get_or_create(user=user)
        existing = {line.variant_id: line for line in account.lines.select_for_update()}
        merged = set()
        for line in guest.lines.all():
            merged.add(line.variant_id)
            if line.variant_id in existing:
                kept = existing[line.variant_id]
                kept.quantity = min(kept.quantity + line.quantity, MAX_LINE_QUANTITY)
                kept.save(update_fields=["quantity", "updated_at"])
            else:
                CartLine.objects.create(cart=account, variant_id=line.variant_id, quantity=line.quantity)
        guest.delete()
    return [
        live_allowance_note(line)
        for line in cart_priced_lines(account, session=session, shopper=user)
        if line.variant_id in merged and line.price.missed is not None
    ]


def live_allowance_note(line: CartLine) -> Phrase:
    """Why a line featured at a live price is at the normal price, and how to get the live price.

    A ``Phrase``: shown on the cart page, and after signing in as a flash message, in the reader's language."""
    price = line.price
    label = (line.variant.product, line.variant)
    if price.missed.remaining == 0:
        return Phrase(gettext_noop("%(name)s is sold out at the live price: it is at the normal price."), name=label)
    if price.allowance == 0:
        return Phrase(
            gettext_noop(
                "%(name)s: you have bought the most allowed at the live price (%(limit)s per shopper): "
                "it is at the normal price."
            ),
            name=label,
            limit=price.missed.per_shopper_limit,
        )
    return Phrase(
        ngettext_lazy(
            "%(name)s: the live price is for at most %(n)s more; lower the quantity to %(n)s to get it.",
            "%(name)s: the live price is for at most %(n)s more; lower the quantity to %(n)s to get it.",
            price.allowance,
        ),
        name=label,
        n=price.allowance,
    )


def cart_clear(*, cart: Cart) -> None:
    cart.lines.all().delete()
