"""Sign-up and sign-in for shoppers; signing in keeps the basket filled as a guest."""

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.redirects import local_url
from orders.cart import SESSION_KEY, cart_merge


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), help_text=_("For order updates and a password reset."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."), code="duplicate_email")
        return email


def _safe_next(request: HttpRequest) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next"), "/")


def _sign_in(request: HttpRequest, user: User) -> None:
    guest_cart_id = request.session.get(SESSION_KEY)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    cart_merge(guest_cart_id=guest_cart_id, user=user)
    request.session.pop(SESSION_KEY, None)


def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            _sign_in(request, form.save())
            return redirect(_safe_next(request))
    else:
        form = SignUpForm()
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


class SignInView(LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        _sign_in(self.request, form.get_user())
        return redirect(self.get_success_url())
