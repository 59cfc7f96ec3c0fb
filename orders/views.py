import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from live.attribution import attributed_session, attributed_slug, attribution_mark
from live.models import LiveSession
from marketplace import bidi, rate_limits
from marketplace.flash import flash
from marketplace.phrases import Phrase
from marketplace.redirects import local_url
from marketplace.sign_in_limits import wait_message
from marketplace.validators import normalize_mainland_mobile
from orders import cart, payments, selectors, services
from orders.errors import (
    IdempotencyKeyReused,
    IllegalTransition,
    InsufficientStock,
    InvalidOrder,
    OrderError,
    PaymentRejected,
    PricesChanged,
)
from orders.forms import CartAddForm, CartUpdateForm, CheckoutForm
from orders.guest_access import granted_orders
from orders.models import Fulfilment, Order, Payment
from orders.transitions import ORDER_TRANSITIONS


def _token(request: HttpRequest) -> str:
    return request.GET.get("token") or request.POST.get("token") or ""


def _viewer_order(request: HttpRequest, number: str) -> Order:
    try:
        return selectors.order_for_viewer(
            number=number, user=request.user, token=_token(request), granted=granted_orders(request.session)
        )
    except Order.DoesNotExist:
        raise Http404 from None


def _masked_phone(phone: str) -> str:
    """``138****8000``, isolated left to right in a right-to-left language, so a sentence keeps it whole."""
    return bidi.isolate(f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone, ltr=True)


def _order_url(order: Order) -> str:
    url = reverse("order-detail", kwargs={"number": order.number})
    return url if order.shopper_id else f"{url}?token={order.guest_token}"


def _shipped(order: Order) -> bool:
    return any(f.status in {"shipped", "delivered"} for f in order.fulfilments.all())


def _can_cancel(order: Order) -> bool:
    """Whether the shopper may still cancel: the service checks again, with the order locked."""
    return Order.Status.CANCELLED in ORDER_TRANSITIONS.get(order.status, set()) and not _shipped(order)


def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = _viewer_order(request, number)
    except Http404:
        # Signed out and without a link: sign in (an account's order opens then), whether or not the number
        # exists, so the answer tells nothing about it. Otherwise a 404 that says how a guest finds an order.
        if not request.user.is_authenticated and not _token(request):
            return redirect_to_login(request.get_full_path())
        return render(request, "orders/order_not_found.html", status=404)
    if services.order_expire_if_overdue(order=order):  # no "pay now" once its time is up, job or not
        order = _viewer_order(request, number)
    pending = next((p for p in order.payments.all() if p.status == Payment.Status.PENDING), None)
    context = {
        "order": order,
        "can_cancel": _can_cancel(order),
        "missed_ship_by": [parcel for parcel in order.fulfilments.all() if parcel.missed_ship_by],
        "payment": pending if order.status == Order.Status.AWAITING_PAYMENT else None,
        "refund": selectors.order_refund_of(order),
        "token": "" if order.shopper_id else order.guest_token,
        "guest_link": "" if order.shopper_id else request.build_absolute_uri(_order_url(order)),
        "masked_phone": _masked_phone(order.contact_phone),
    }
    return render(request, "orders/order_detail.html", context)


@require_POST
def order_send_link(request: HttpRequest, number: str) -> HttpResponse:
    """A guest's order: send its link again, by SMS to its phone or by email, a few times an hour at most."""
    order = _viewer_order(request, number)
    if order.shopper_id is not None:
        raise Http404  # an account's order: its shopper signs in
    channel = request.POST.get("channel", "")
    if channel not in {"sms", "email"}:
        flash(request, messages.ERROR, gettext_noop("Choose to send the link by SMS or by email."))
        return redirect(_order_url(order))
    limit = rate_limits.hit(
        rate_limits.key("order_link_send", f"{order.number}:{channel}"), settings.ORDER_LINK_SEND_LIMIT
    )
    if not limit.allowed:
        messages.error(request, wait_message(limit.retry_after))
        return redirect(_order_url(order))
    try:
        services.order_link_send(order=order, channel=channel)
    except OrderError as error:
        messages.error(request, str(error))
    else:
        if channel == "sms":
            sent = Phrase(
                gettext_noop("We sent the link by SMS to %(phone)s."), phone=_masked_phone(order.contact_phone)
            )
        else:
            sent = Phrase(gettext_noop("We sent the link by email to %(email)s."), email=order.contact_email)
        messages.success(request, sent)
    return redirect(_order_url(order))


@require_http_methods(["GET", "POST"])
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    """GET asks the shopper to confirm (and changes nothing); POST cancels."""
    order = _viewer_order(request, number)
    if request.method == "GET":
        if not _can_cancel(order):
            if _shipped(order):
                flash(
                    request,
                    messages.ERROR,
                    gettext_noop("A parcel of this order has already shipped, so it can no longer be cancelled."),
                )
            else:
                flash(request, messages.ERROR, gettext_noop("This order can no longer be cancelled."))
            return redirect(_order_url(order))
        context = {
            "order": order,
            "refund_due": selectors.order_refund_due(order),
            "back_url": _order_url(order),
            "token": "" if order.shopper_id else order.guest_token,
        }
        return render(request, "orders/order_cancel.html", context)
    try:
        services.order_cancel(
            order=order,
            actor=request.user if request.user.is_authenticated else None,
            reason=Phrase(gettext_noop("By the shopper.")),
        )
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        flash(request, messages.SUCCESS, gettext_noop("Your order is cancelled."))
    return redirect(_order_url(order))


def payment_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The simulated provider's page: the shopper confirms or fails the payment (never enabled in production)."""
    if not settings.SIMULATED_PAYMENTS_ENABLED:
        raise Http404
    payment = (
        Payment.objects.select_related("order")
        .filter(provider=services.SIMULATED_PROVIDER, provider_reference=reference)
        .first()
    )
    if payment is None:
        raise Http404
    order = payment.order
    # Past its time the order expires here, whether or not the every-minute job has reached it: never paid late.
    if services.order_expire_if_overdue(order=order):
        order.refresh_from_db()
        payment.refresh_from_db()
    result = request.POST.get("result")
    if request.method == "POST" and result in {"succeeded", "failed"} and payment.status == Payment.Status.PENDING:
        body = payments.simulated_notification_body(
            reference=reference, amount=payment.amount, succeeded=result == "succeeded"
        )
        # The same path as the provider's webhook: verify the signed body, then apply it.
        notification = payments.verify_notification(body=body, signature=payments.sign(body))
        payment = services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))
        if payment.status == Payment.Status.SUCCEEDED:
            flash(request, messages.SUCCESS, gettext_noop("Payment received. Thank you!"))
        elif payment.status == Payment.Status.FAILED:
            flash(
                request, messages.ERROR, gettext_noop("The payment failed. You can try again before the order expires.")
            )
        else:
            flash(
                request, messages.ERROR, gettext_noop("This order can no longer be paid; any amount taken is refunded.")
            )
        return redirect(_order_url(order))
    # A POST without a valid choice is refused; one on a payment already handled just shows its state.
    status = 400 if request.method == "POST" and result not in {"succeeded", "failed"} else 200
    if request.method == "POST" and order.status == Order.Status.EXPIRED:
        status = 409  # the page says why: it expired, its items were released
    context = {"payment": payment, "order": order, "order_url": _order_url(order)}
    return render(request, "orders/payment.html", context, status=status)


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """Signed notifications from the payment provider; a replay is acknowledged and ignored."""
    if provider != services.SIMULATED_PROVIDER:
        return JsonResponse({"detail": _("Unknown payment provider."), "code": "not_found"}, status=404)
    try:
        body = request.body
    except RequestDataTooBig:
        detail = _("The request body is too large: at most %(size)s.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return JsonResponse({"detail": detail, "code": "request_too_large"}, status=413)
    try:
        notification = payments.verify_notification(
            body=body, signature=request.headers.get(payments.SIGNATURE_HEADER, "")
        )
        payment = services.payment_record_result(provider=provider, **vars(notification))
    except PaymentRejected as error:
        return JsonResponse({"detail": str(error), "code": error.code}, status=400)
    return JsonResponse({"status": payment.status})


# The cart


def _cart(request: HttpRequest):
    return cart.cart_find(user=request.user, session=request.session)


def _shopper(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


def _priced_cart(request: HttpRequest, basket=None, *, phone: str = "") -> dict:
    """What the cart and checkout pages show: lines priced by the one pricing rule, the subtotal, the live
    session that sent the shopper (``live_session``, which checkout attributes the order to), whether the
    cart holds anything at its prices (``live_prices``), or the session that sent them and has since ended.
    ``phone``: the mobile number a checkout gives, by which earlier purchases count against live limits as
    ``order_place`` counts them."""
    session = attributed_session(request)
    lines = cart.cart_priced_lines(basket or _cart(request), session=session, shopper=_shopper(request), phone=phone)
    for line in lines:
        line.live_note = cart.live_allowance_note(line) if line.price.missed is not None else ""
    ended = None
    if session is None and (slug := attributed_slug(request)):
        ended = LiveSession.objects.filter(
            slug=slug, status__in=[LiveSession.Status.LIVE, LiveSession.Status.ENDED]
        ).first()
    return {
        "lines": lines,
        "cart_count": sum(line.quantity for line in lines),  # the header's count, without a query of its own
        "subtotal": cart.lines_subtotal(lines),
        "live_session": session,
        "live_prices": any(line.price.is_live or line.price.missed for line in lines),
        "ended_session": ended,
    }


def cart_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/cart.html", _priced_cart(request))


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    back = _safe_back(request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    # Added from a session's page: that session sent the shopper, as if they had opened its link, and the
    # units are meant at its live price.
    session = None
    if slug := form.cleaned_data["live_session"]:
        session = LiveSession.objects.select_related("host").filter(slug=slug).first()
        session = session if session is not None and session.is_on_air() else None
    at_live_price = session is not None
    session = session or attributed_session(request)
    basket = cart.cart_get_or_create(user=request.user, session=request.session)
    try:
        line = cart.cart_add(
            cart=basket,
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
            session=session,
            shopper=_shopper(request),
            at_live_price=at_live_price,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    messages.success(
        request,
        Phrase(
            gettext_noop("Added to your cart: %(name)s × %(n)s."),
            name=(line.variant.product, line.variant),
            n=form.cleaned_data["quantity"],
        ),
    )
    response = redirect("cart")
    if session is not None:
        attribution_mark(response, slug=session.slug)
    return response


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = CartUpdateForm(request.POST)
    basket = _cart(request)
    if basket is None or not form.is_valid():
        flash(request, messages.ERROR, gettext_noop("Enter a quantity from 0 to 999."))
        return redirect("cart")
    try:
        cart.cart_set_quantity(
            cart=basket,
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("cart")


def _safe_back(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next") or request.headers.get("referer"), reverse("cart"))


# Checkout

CHECKOUT_KEYS = "checkout_keys"


def _issue_checkout_key(request: HttpRequest) -> str:
    """A fresh idempotency key for this visitor's checkout form; the session remembers the last few."""
    key = uuid.uuid4().hex
    request.session[CHECKOUT_KEYS] = [*request.session.get(CHECKOUT_KEYS, [])[-4:], key]
    return key


def _checkout_phone(request: HttpRequest) -> str:
    try:
        return normalize_mainland_mobile(request.POST.get("phone", ""))
    except ValidationError:
        return ""


def checkout(request: HttpRequest) -> HttpResponse:
    basket = _cart(request)
    priced = _priced_cart(request, basket)
    lines = priced["lines"]
    shopper = _shopper(request)
    if request.method == "POST":
        form = CheckoutForm(request.POST)
        key = request.POST.get("idempotency_key", "")
        if key not in request.session.get(CHECKOUT_KEYS, []):
            flash(
                request,
                messages.ERROR,
                gettext_noop("This checkout form has expired. Please check your order and submit again."),
            )
            return redirect("checkout")
        # A second click whose first already went through: show that order.
        placed = Order.objects.filter(shopper=shopper, idempotency_key=key).first()
        if placed is not None:
            return redirect(_order_url(placed))
        if not lines:
            flash(request, messages.ERROR, gettext_noop("Your cart is empty."))
            return redirect("cart")
        if form.is_valid():
            try:
                order = services.order_place(
                    shopper=shopper,
                    contact=form.contact(),
                    lines=[services.LineRequest(variant_id=line.variant_id, quantity=line.quantity) for line in lines],
                    delivery=form.delivery(),
                    payment_method=form.cleaned_data["payment_method"],
                    live_session_slug=priced["live_session"].slug if priced["live_session"] else "",
                    idempotency_key=key,
                    expected_subtotal=form.cleaned_data["expected_subtotal"],
                )
            except InsufficientStock as error:
                form.add_error(None, str(error))
            except PricesChanged as error:
                form.add_error(None, str(error))
            except InvalidOrder as error:
                form.add_service_errors(error.errors)
            except IdempotencyKeyReused as error:
                form.add_error(None, str(error))
                form.data = form.data.copy()
                form.data["idempotency_key"] = _issue_checkout_key(request)
            else:
                cart.cart_clear(cart=basket)
                number = bidi.isolate(order.number)
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop("Thank you! Your order number is %(number)s."),
                    number=number,
                )
                if order.status == Order.Status.AWAITING_PAYMENT:
                    payment = order.payments.get(status=Payment.Status.PENDING)
                    return redirect("payment-page", reference=payment.provider_reference)
                return redirect(_order_url(order))
    else:
        if not lines:
            flash(request, messages.INFO, gettext_noop("Your cart is empty."))
            return redirect("cart")
        initial = {"idempotency_key": _issue_checkout_key(request)}
        if shopper is not None:
            initial.update(name=shopper.get_full_name() or shopper.username, email=shopper.email, phone=shopper.phone)
        form = CheckoutForm(initial=initial)
    if form.is_bound:
        # Prices are shown anew below (a live session may have ended meanwhile, or the number given has bought
        # its live limit already): the next submit agrees to them.
        priced = _priced_cart(request, basket, phone=_checkout_phone(request))
        form.data = form.data.copy()
        form.data["expected_subtotal"] = str(priced["subtotal"])
    else:
        form.initial["expected_subtotal"] = priced["subtotal"]
    # Both delivery methods' totals, from the sum order_place makes; the chosen one is shown first and, with
    # the page's script, alone.
    summaries = cart.checkout_summaries(priced["lines"])
    chosen = form["delivery_method"].value()
    chosen = chosen if chosen in summaries else Order.DeliveryMethod.PICKUP
    totals = [summaries[chosen], *(summary for method, summary in summaries.items() if method != chosen)]
    return render(
        request, "orders/checkout.html", {"form": form, **priced, "totals": totals, "chosen_delivery": chosen}
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = Paginator(Order.objects.filter(shopper=request.user).order_by("-created_at", "-id"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/order_list.html", {"orders": orders})


@require_safe
def parcel_trace(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """What the QR code on a packing slip opens: the village, producer, plot, pick date and grade of the lots the
    parcel was packed from. Nothing about the order or who bought it."""
    try:
        parcel = selectors.parcel_trace(pk=pk, key=key)
    except Fulfilment.DoesNotExist:
        raise Http404 from None
    return render(request, "orders/parcel_trace.html", {"parcel": parcel, "producer": parcel.producer})
