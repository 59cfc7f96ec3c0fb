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

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import ProductImage, Variant, variant_on_sale
from live.models import LiveSession, LiveSessionItem
from live.pricing import UnitPrice, items_on_air, unit_price, unit_prices
from marketplace.models import User
from orders.models import MAX_LINE_QUANTITY, Cart, CartLine
from orders.selectors import live_units_bought

SESSION_KEY = "cart_id"


def cart_lines(cart: Cart | None) -> QuerySet[CartLine]:
    """A cart's lines with what the cart page shows: variant, product, producer, first photo."""
    if cart is None:
        return CartLine.objects.none()
    return (
        cart.lines.select_related("variant__product__producer")
        .prefetch_related(
            Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        .order_by("id")
    )


def cart_priced_lines(cart: Cart | None, *, session: LiveSession | None, shopper: User | None) -> list[CartLine]:
    """The cart's lines, each with ``price`` (a ``UnitPrice``), ``total`` and, for a line at a live price,
    ``live_limit_left``: how many more the shopper may buy at it (their earlier orders counted)."""
    lines = list(cart_lines(cart))
    prices = unit_prices(variants=[line.variant for line in lines], session=session)
    bought = _bought(items=[p.live_item for p in prices.values() if p.live_item], shopper=shopper)
    for line in lines:
        line.price = prices[line.variant_id]
        line.total = line.price.amount * line.quantity
        item = line.price.live_item
        line.live_limit_left = item.per_shopper_limit - bought.get(item.pk, 0) if item else None
    return lines


def lines_subtotal(lines: list[CartLine]) -> Decimal:
    """What priced lines (``cart_priced_lines``) cost: the goods' total checkout shows and then charges."""
    return sum((line.total for line in lines), Decimal("0.00"))


def _bought(*, items: list[LiveSessionItem], shopper: User | None) -> dict[int, int]:
    if not items or shopper is None or not shopper.is_authenticated:
        return {}
    return live_units_bought(item_ids=[item.pk for item in items], shopper=shopper)


def _check_live_limit(*, variant: Variant, quantity: int, session: LiveSession | None, shopper: User | None) -> None:
    """Refuse more units of a live-priced item than the shopper may still buy at the live price."""
    item = items_on_air(session=session, variant_ids=[variant.pk]).get(variant.pk)
    price: UnitPrice = unit_price(variant=variant, live_item=item)
    if not price.is_live:
        return
    left = item.per_shopper_limit - _bought(items=[item], shopper=shopper).get(item.pk, 0)
    if quantity > left:
        label = f"{variant.product.name} · {variant.name}"
        if left <= 0:
            message = _("%(name)s: you have already bought the %(limit)s allowed per shopper at the live price.")
        else:
            message = ngettext(
                "%(name)s: at most %(limit)s per shopper at the live price; you may add %(n)s more.",
                "%(name)s: at most %(limit)s per shopper at the live price; you may add %(n)s more.",
                left,
            )
        raise ValidationError(
            message % {"name": label, "limit": item.per_shopper_limit, "n": max(left, 0)}, code="live_limit"
        )


def cart_find(*, user: User | None, session) -> Cart | None:
    """The visitor's cart if they have one: the account's when signed in, else the session's."""
    if user is not None and user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    cart_id = session.get(SESSION_KEY)
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None


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


def _sellable_variant(variant_id: object) -> Variant:
    if isinstance(variant_id, bool) or not isinstance(variant_id, int):
        raise ValidationError(_("Choose a size to add."), code="invalid_variant")
    variant = Variant.objects.select_related("product__producer").filter(variant_on_sale(), pk=variant_id).first()
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
    label = f"{variant.product.name} · {variant.name}"
    if variant.stock == 0:
        raise ValidationError(_("%(name)s is sold out.") % {"name": label}, code="sold_out")
    if quantity > variant.stock:
        raise ValidationError(
            ngettext("Only %(n)s of %(name)s is left.", "Only %(n)s of %(name)s are left.", variant.stock)
            % {"n": variant.stock, "name": label},
            code="only_n_left",
        )


def cart_add(
    *,
    cart: Cart,
    variant_id: int,
    quantity: int,
    session: LiveSession | None = None,
    shopper: User | None = None,
) -> CartLine:
    """Add units of a variant, refusing (with the reason, and changing nothing) what cannot be bought.

    ``session`` is the live session that sent the shopper: at its live price, the cart holds no more than the
    per-shopper limit less what ``shopper`` already bought at it."""
    _check_count(quantity)
    variant = _sellable_variant(variant_id)
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        already = line.quantity if line else 0
        _check_count(already + quantity)
        _check_stock(variant=variant, quantity=already + quantity)
        _check_live_limit(variant=variant, quantity=already + quantity, session=session, shopper=shopper)
        if line is None:
            line = CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
        else:
            line.quantity = already + quantity
            line.save(update_fields=["quantity", "updated_at"])
    return line


def cart_set_quantity(
    *, cart: Cart, variant_id: int, quantity: int, session: LiveSession | None = None, shopper: User | None = None
) -> None:
    """Set a line's quantity; 0 removes it. A live price's per-shopper limit applies as in ``cart_add``."""
    if quantity == 0 and not isinstance(quantity, bool):
        cart.lines.filter(variant_id=variant_id).delete()
        return
    variant = _sellable_variant(variant_id)
    _check_stock(variant=variant, quantity=_check_count(quantity))
    _check_live_limit(variant=variant, quantity=quantity, session=session, shopper=shopper)
    updated = cart.lines.filter(variant=variant).update(quantity=quantity)
    if not updated:
        raise ValidationError(_("This item is not in your cart."), code="not_in_cart")


def cart_merge(*, guest_cart_id: int | None, user: User, session: LiveSession | None = None) -> list[str]:
    """At sign-in, move the guest's lines into the account's cart (quantities add up, at most 999).

    A line at ``session``'s live price is held to what the shopper may still buy at it; the messages say
    which lines were lowered."""
    if not guest_cart_id:
        return []
    notes: list[str] = []
    with transaction.atomic():
        guest = Cart.objects.select_for_update().filter(pk=guest_cart_id, user__isnull=True).first()
        if guest is None:
            return []
        account, _created = Cart.objects.get_or_create(user=user)
        existing = {line.variant_id: line for line in account.lines.select_for_update()}
        for line in guest.lines.all():
            if line.variant_id in existing:
                kept = existing[line.variant_id]
                kept.quantity = min(kept.quantity + line.quantity, MAX_LINE_QUANTITY)
                kept.save(update_fields=["quantity", "updated_at"])
            else:
                existing[line.variant_id] = CartLine.objects.create(
                    cart=account, variant_id=line.variant_id, quantity=line.quantity
                )
        guest.delete()
        for line in cart_priced_lines(account, session=session, shopper=user):
            if line.live_limit_left is None or line.quantity <= line.live_limit_left:
                continue
            label = f"{line.variant.product.name} · {line.variant.name}"
            if line.live_limit_left <= 0:
                line.delete()
                notes.append(
                    _("%(name)s was taken out of your cart: you have bought the most allowed at the live price.")
                    % {"name": label}
                )
            else:
                CartLine.objects.filter(pk=line.pk).update(quantity=line.live_limit_left)
                notes.append(
                    _("%(name)s: your cart now holds %(n)s, the most you may still buy at the live price.")
                    % {"name": label, "n": line.live_limit_left}
                )
    return notes


def cart_clear(*, cart: Cart) -> None:
    cart.lines.all().delete()
