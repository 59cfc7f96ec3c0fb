"""Sign-up and sign-in for shoppers; signing in keeps the basket filled as a guest."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from accounts.forms import SignInForm, SignUpForm
from accounts.services import api_token_revoke, shopper_register
from live.attribution import attributed_session
from marketplace import rate_limits
from marketplace.models import User
from marketplace.redirects import local_url
from marketplace.sign_in_limits import wait_message
from orders.cart import SESSION_KEY, cart_merge

TOO_MANY_REQUESTS = 429


def _address_limit(request: HttpRequest, scope: str, rate: str) -> rate_limits.Hit:
    """Count one request of ``scope`` from the client's address (the API's throttle of that scope shares it)."""
    return rate_limits.hit(rate_limits.key(scope, rate_limits.client_address(request)), rate)


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
        limit = _address_limit(request, "register", settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"])
        if not limit.allowed:
            form.is_valid()
            form.add_error(None, ValidationError(wait_message(limit.retry_after), code="locked"))
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

    def form_valid(self, form):
        _sign_in(self.request, form.get_user())
        return redirect(self.get_success_url())
