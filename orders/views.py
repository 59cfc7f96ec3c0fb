from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders import payments, selectors, services
from orders.errors import IllegalTransition, PaymentRejected
from orders.models import Order, Payment
from orders.transitions import ORDER_TRANSITIONS


def _viewer_order(request: HttpRequest, number: str) -> Order:
    token = request.GET.get("token") or request.POST.get("token") or ""
    try:
        return selectors.order_for_viewer(number=number, user=request.user, token=token)
    except Order.DoesNotExist:
        raise Http404 from None


def _order_url(order: Order) -> str:
    url = reverse("order-detail", kwargs={"number": order.number})
    return url if order.shopper_id else f"{url}?token={order.guest_token}"


def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _viewer_order(request, number)
    shipped = any(f.status in {"shipped", "delivered"} for f in order.fulfilments.all())
    pending = next((p for p in order.payments.all() if p.status == Payment.Status.PENDING), None)
    context = {
        "order": order,
        "can_cancel": Order.Status.CANCELLED in ORDER_TRANSITIONS.get(order.status, set()) and not shipped,
        "payment": pending if order.status == Order.Status.AWAITING_PAYMENT else None,
        "token": "" if order.shopper_id else order.guest_token,
    }
    return render(request, "orders/order_detail.html", context)


@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _viewer_order(request, number)
    try:
        services.order_cancel(
            order=order, actor=request.user if request.user.is_authenticated else None, reason=_("By the shopper.")
        )
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your order is cancelled."))
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
    result = request.POST.get("result")
    if request.method == "POST" and result in {"succeeded", "failed"} and payment.status == Payment.Status.PENDING:
        body = payments.simulated_notification_body(
            reference=reference, amount=payment.amount, succeeded=result == "succeeded"
        )
        # The same path as the provider's webhook: verify the signed body, then apply it.
        notification = payments.verify_notification(body=body, signature=payments.sign(body))
        payment = services.payment_record_result(provider=services.SIMULATED_PROVIDER, **vars(notification))
        if payment.status == Payment.Status.SUCCEEDED:
            messages.success(request, _("Payment received. Thank you!"))
        elif payment.status == Payment.Status.FAILED:
            messages.error(request, _("The payment failed. You can try again before the order expires."))
        else:
            messages.error(request, _("This order can no longer be paid; any amount taken is refunded."))
        return redirect(_order_url(order))
    # A POST without a valid choice is refused; one on a payment already handled just shows its state.
    status = 400 if request.method == "POST" and result not in {"succeeded", "failed"} else 200
    context = {"payment": payment, "order": order, "order_url": _order_url(order)}
    return render(request, "orders/payment.html", context, status=status)


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """Signed notifications from the payment provider; a replay is acknowledged and ignored."""
    if provider != services.SIMULATED_PROVIDER:
        return JsonResponse({"detail": _("Unknown payment provider."), "code": "not_found"}, status=404)
    try:
        notification = payments.verify_notification(
            body=request.body, signature=request.headers.get(payments.SIGNATURE_HEADER, "")
        )
        payment = services.payment_record_result(provider=provider, **vars(notification))
    except PaymentRejected as error:
        return JsonResponse({"detail": str(error), "code": error.code}, status=400)
    return JsonResponse({"status": payment.status})
