"""Sign-up and sign-in for shoppers, with a password or a mobile number and a one-time code; signing in keeps
the basket filled as a guest."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from accounts.forms import PhoneCodeForm, PhoneForm, PhoneSignUpForm, SignInForm, SignUpForm
from accounts.services import (
    PHONE_PROVEN_SECONDS,
    PHONE_SIGN_IN,
    api_token_revoke,
    phone_code_verify,
    phone_shopper_register,
    shopper_register,
)
from live.attribution import attributed_session
from marketplace import rate_limits
from marketplace.flash import flash
from marketplace.forms import service_errors_on_form
from marketplace.models import User
from marketplace.redirects import local_url
from marketplace.sign_in_limits import wait_message
from notifications.one_time_codes import CodeLimited, code_send
from orders.cart import SESSION_KEY, cart_merge

TOO_MANY_REQUESTS = 429


def _address_limit(request: HttpRequest, scope: str, rate: str) -> rate_limits.Hit:
    """Count one request of ``scope`` from the client's address (the API's throttle of that scope shares it)."""
    return rate_limits.hit(rate_limits.key(scope, rate_limits.client_address(request)), rate)


def _registration_refused(request: HttpRequest, form) -> bool:
    """Count a sign-up from the client's address with the API's registrations; past the limit, say so on the form."""
    limit = _address_limit(request, "register", settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"])
    if limit.allowed:
        return False
    form.is_valid()
    form.add_error(None, ValidationError(wait_message(limit.retry_after), code="locked"))
    return True


def _safe_next(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next"), "/")


def _sign_in(request: HttpRequest, user: User) -> None:
    guest_cart_id = request.session.get(SESSION_KEY)
    login(request, user, backend="marketplace.authentication.UserBackend")
    for note in cart_merge(guest_cart_id=guest_cart_id, user=user, session=attributed_session(request)):
        messages.warning(request, note)
    request.session.pop(SESSION_KEY, None)


def signup(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = SignUpForm(request.POST)
        # Counted with the API's registrations from the same address, valid or not.
        if _registration_refused(request, form):
            status = TOO_MANY_REQUESTS
        elif form.is_valid():
            try:
                user = shopper_register(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error("password2" if field == "password" else field, messages)
            else:
                _sign_in(request, user)
                return redirect(_safe_next(request))
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links per address and per account: an address over its limit is told to wait; an account over
    its own gets no more emails, and the page says the link was sent, as it does for an unknown email."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        limit = _address_limit(self.request, "password_reset_address", settings.PASSWORD_RESET_LIMIT_ADDRESS)
        if not limit.allowed:
            form.add_error(None, ValidationError(wait_message(limit.retry_after), code="locked"))
            return self.render_to_response(self.get_context_data(form=form), status=TOO_MANY_REQUESTS)
        email = rate_limits.key("password_reset_email", rate_limits.account_ident(form.cleaned_data["email"]))
        if not rate_limits.hit(email, settings.PASSWORD_RESET_LIMIT_EMAIL).allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password also signs out every API client: a token taken with the old password stops working."""

    def form_valid(self, form):
        response = super().form_valid(form)
        api_token_revoke(user=form.user)
        return response


class SignInView(LoginView):
    """Sign-in with the locks of ``marketplace.sign_in_limits``: a locked one answers 429 and says how long."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = TOO_MANY_REQUESTS
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(phone_form=PhoneForm(), **kwargs)

    def form_valid(self, form):
        _sign_in(self.request, form.get_user())
        return redirect(self.get_success_url())


# The phone sign-in's steps keep their state in the session: the number a code was sent to, then the number
# its code proved (for a new account's name step, for a while).
PHONE_PENDING = "phone_sign_in_pending"
PHONE_PROVEN = "phone_sign_in_proven"


def _with_next(request: HttpRequest, name: str) -> str:
    url = reverse(name)
    target = _safe_next(request)
    return f"{url}?{urlencode({'next': target})}" if target != "/" else url


def _masked(phone: str) -> str:
    return f"{phone[:3]} **** {phone[-4:]}"


@require_http_methods(["GET", "POST"])
def phone_start(request: HttpRequest) -> HttpResponse:
    """Step one of signing in or up with a mobile number: the number, to text a code to."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    status = 200
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            code_send(purpose=PHONE_SIGN_IN, phone=phone, address=rate_limits.client_address(request))
        except CodeLimited as limited:
            form.add_error(None, ValidationError(str(limited), code="locked"))
            status = TOO_MANY_REQUESTS
        else:
            request.session[PHONE_PENDING] = phone
            request.session.pop(PHONE_PROVEN, None)
            return redirect(_with_next(request, "phone_code"))
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "registration/phone.html", context, status=status)


@require_http_methods(["GET", "POST"])
def phone_code(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the SMS signs the number's account in, or proves a new number for sign-up."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    phone = request.session.get(PHONE_PENDING)
    if not phone:
        return redirect(_with_next(request, "phone_start"))
    status = 200
    form = PhoneCodeForm()
    if request.method == "POST" and "resend" in request.POST:
        try:
            code_send(purpose=PHONE_SIGN_IN, phone=phone, address=rate_limits.client_address(request))
        except CodeLimited as limited:
            form.add_error(None, ValidationError(str(limited), code="locked"))
            status = TOO_MANY_REQUESTS
        else:
            flash(request, messages.SUCCESS, gettext_noop("A new code is on its way."))
            return redirect(_with_next(request, "phone_code"))
    elif request.method == "POST":
        form = PhoneCodeForm(request.POST)
        if form.is_valid():
            try:
                user = phone_code_verify(phone=phone, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                request.session.pop(PHONE_PENDING, None)
                if user is None:
                    request.session[PHONE_PROVEN] = {"phone": phone, "at": time.time()}
                    return redirect(_with_next(request, "phone_signup"))
                _sign_in(request, user)
                return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request), "masked_phone": _masked(phone)}
    return render(request, "registration/phone_code.html", context, status=status)


@require_http_methods(["GET", "POST"])
def phone_signup(request: HttpRequest) -> HttpResponse:
    """Step three for a number without an account: the new account's name, and optionally email and password."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    proven = request.session.get(PHONE_PROVEN) or {}
    if not proven or time.time() - proven.get("at", 0) > PHONE_PROVEN_SECONDS:
        request.session.pop(PHONE_PROVEN, None)
        if proven:
            flash(request, messages.ERROR, gettext_noop("That took too long. Ask for a new code."))
        return redirect(_with_next(request, "phone_start"))
    status = 200
    form = PhoneSignUpForm(request.POST or None)
    if request.method == "POST":
        if _registration_refused(request, form):
            status = TOO_MANY_REQUESTS
        elif form.is_valid():
            try:
                user = phone_shopper_register(phone=proven["phone"], **form.cleaned_data)
            except ValidationError as error:
                service_errors_on_form(form, error)
            else:
                request.session.pop(PHONE_PROVEN, None)
                _sign_in(request, user)
                flash(
                    request,
                    messages.SUCCESS,
                    gettext_noop("Welcome! Your account is ready; sign in next time with your number."),
                )
                return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request), "masked_phone": _masked(proven["phone"])}
    return render(request, "registration/phone_signup.html", context, status=status)
