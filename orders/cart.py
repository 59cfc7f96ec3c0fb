"""The shopper's basket: every write to a cart goes through a function here.

A guest's cart is remembered by its id in the session; a signed-in shopper's
by their account. Signing in merges the guest's cart into the account's.
Stock is only checked here (so a shopper hears "only n left" early); it is
taken by ``orders.services.order_place`` at checkout.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import ProductImage, Variant, variant_on_sale
from live.models import LiveSession
from marketplace.models import User
from orders.models import MAX_LINE_QUANTITY, Cart, CartLine

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


def lines_subtotal(lines: list[CartLine]) -> Decimal:
    """What the lines cost at today's prices (the order service prices the order itself)."""
    return sum((line.variant.price * line.quantity for line in lines), Decimal("0.00"))


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


def cart_add(*, cart: Cart, variant_id: int, quantity: int, live_session_slug: str = "") -> CartLine:
    """Add units of a variant, refusing (with the reason, and changing nothing) what cannot be bought."""
    _check_count(quantity)
    variant = _sellable_variant(variant_id)
    with transaction.atomic():
        line = CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
        already = line.quantity if line else 0
        _check_count(quantity)
        _check_count(already + quantity)
        _check_stock(variant=variant, quantity=already + quantity)
        if line is None:
            line = CartLine.objects.create(cart=cart, variant=variant, quantity=quantity)
        else:
            line.quantity = already + quantity
            line.save(update_fields=["quantity", "updated_at"])
        if live_session_slug:
            session = LiveSession.objects.filter(slug=live_session_slug, status=LiveSession.Status.LIVE).first()
            if session is not None:
                cart.live_session = session
                cart.save(update_fields=["live_session", "updated_at"])
    return line


def cart_set_quantity(*, cart: Cart, variant_id: int, quantity: int) -> None:
    """Set a line's quantity; 0 removes it."""
    if quantity == 0 and not isinstance(quantity, bool):
        cart.lines.filter(variant_id=variant_id).delete()
        return
    variant = _sellable_variant(variant_id)
    _check_stock(variant=variant, quantity=_check_count(quantity))
    updated = cart.lines.filter(variant=variant).update(quantity=quantity)
    if not updated:
        raise ValidationError(_("This item is not in your cart."), code="not_in_cart")


def cart_merge(*, guest_cart_id: int | None, user: User) -> None:
    """At sign-in, move the guest's lines into the account's cart (quantities add up, at most 999)."""
    if not guest_cart_id:
        return
    with transaction.atomic():
        guest = Cart.objects.select_for_update().filter(pk=guest_cart_id, user__isnull=True).first()
        if guest is None:
            return
        account, _created = Cart.objects.get_or_create(user=user)
        existing = {line.variant_id: line for line in account.lines.select_for_update()}
        for line in guest.lines.all():
            if line.variant_id in existing:
                kept = existing[line.variant_id]
                kept.quantity = min(kept.quantity + line.quantity, MAX_LINE_QUANTITY)
                kept.save(update_fields=["quantity", "updated_at"])
            else:
                CartLine.objects.create(cart=account, variant_id=line.variant_id, quantity=line.quantity)
        if guest.live_session_id and not account.live_session_id:
            account.live_session_id = guest.live_session_id
            account.save(update_fields=["live_session", "updated_at"])
        guest.delete()


def cart_clear(*, cart: Cart) -> None:
    cart.lines.all().delete()
    if cart.live_session_id:
        cart.live_session = None
        cart.save(update_fields=["live_session", "updated_at"])
