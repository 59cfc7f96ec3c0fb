"""Sign-up and sign-in for shoppers; signing in keeps the basket filled as a guest."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import SignUpForm
from accounts.services import api_token_revoke, shopper_register
from live.attribution import attributed_session
from marketplace.models import User
from marketplace.redirects import local_url
from orders.cart import SESSION_KEY, cart_merge


def _safe_next(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next"), "/")


def _sign_in(request: HttpRequest, user: User) -> None:
    guest_cart_id = request.session.get(SESSION_KEY)
    login(request, user, backend="marketplace.authentication.UserBackend")
    for note in cart_merge(guest_cart_id=guest_cart_id, user=user, session=attributed_session(request)):
        messages.warning(request, note)
    request.session.pop(SESSION_KEY, None)


def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
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
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password also signs out every API client: a token taken with the old password stops working."""

    def form_valid(self, form):
        response = super().form_valid(form)
        api_token_revoke(user=form.user)
        return response


class SignInView(LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        _sign_in(self.request, form.get_user())
        return redirect(self.get_success_url())
