"""How a guest, who ordered without an account, gets back to an order: ``/orders/find/``.

Step 1 takes the order number and the mobile number given at checkout and answers the same whatever was typed
("if an order with this number and phone exists, we sent a code"); a code is texted only when the pair is a
guest's order (``services.order_find_code_send``). Step 2 takes the code: the right one lets this browser session
see that order, and only that one (``granted_orders``, read by the order page), and opens it. Both steps are
counted per client address (``ORDER_FIND_LIMIT_ADDRESS``, ``ORDER_FIND_CODE_LIMIT_ADDRESS``) before anything is
looked up, so the form cannot be used to try pairs or codes quickly.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from marketplace import rate_limits
from marketplace.flash import flash
from marketplace.sign_in_limits import wait_message
from orders import services
from orders.forms import OrderFindCodeForm, OrderFindForm

TOO_MANY_REQUESTS = 429
# The number and phone step 1 was given, waiting for step 2's code.
PENDING = "order_find"
# The numbers of the guests' orders this session proved by a code (the newest few).
FOUND = "orders_found"
FOUND_KEPT = 20


def granted_orders(session: SessionBase) -> list[str]:
    """The numbers of the guests' orders this browser session found with a code."""
    return list(session.get(FOUND, []))


def _grant(session: SessionBase, number: str) -> None:
    found = [n for n in granted_orders(session) if n != number]
    session[FOUND] = [*found[-(FOUND_KEPT - 1) :], number]


def _address_limit(request: HttpRequest, scope: str, rate: str) -> rate_limits.Hit:
    return rate_limits.hit(rate_limits.key(scope, rate_limits.client_address(request)), rate)


@require_http_methods(["GET", "POST"])
def order_find(request: HttpRequest) -> HttpResponse:
    """Step 1: the order number and the phone; then on to the code, whatever the pair."""
    status = 200
    if request.method == "POST":
        form = OrderFindForm(request.POST)
        limit = _address_limit(request, "order_find", settings.ORDER_FIND_LIMIT_ADDRESS)
        if not limit.allowed:
            form.is_valid()
            form.add_error(None, ValidationError(wait_message(limit.retry_after), code="locked"))
            status = TOO_MANY_REQUESTS
        elif form.is_valid():
            number, phone = form.cleaned_data["number"], form.cleaned_data["phone"]
            services.order_find_code_send(number=number, phone=phone, address=rate_limits.client_address(request))
            request.session[PENDING] = {"number": number, "phone": phone}
            return redirect("order-find-code")
        else:
            status = 400
    else:
        form = OrderFindForm(initial=request.session.get(PENDING))
    return render(request, "orders/order_find.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def order_find_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code texted to the order's phone; the right one opens the order in this session."""
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("order-find")
    status = 200
    if request.method == "POST":
        form = OrderFindCodeForm(request.POST)
        limit = _address_limit(request, "order_find_code", settings.ORDER_FIND_CODE_LIMIT_ADDRESS)
        if not limit.allowed:
            form.is_valid()
            form.add_error(None, ValidationError(wait_message(limit.retry_after), code="locked"))
            status = TOO_MANY_REQUESTS
        elif form.is_valid():
            order = services.order_find_check(
                number=pending["number"], phone=pending["phone"], code=form.cleaned_data["code"]
            )
            if order is not None:
                _grant(request.session, order.number)
                del request.session[PENDING]
                flash(request, messages.SUCCESS, gettext_noop("Here is your order."))
                return redirect(reverse("order-detail", kwargs={"number": order.number}))
            form.add_error("code", _("This code is wrong or has expired. Check the SMS, or ask for a new code."))
            status = 400
        else:
            status = 400
    else:
        form = OrderFindCodeForm()
    return render(request, "orders/order_find_code.html", {"form": form, "pending": pending}, status=status)
