"""The sign-up form; ``accounts.services.shopper_register`` applies the account rules."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.sign_in_limits import SignInLimitedFormMixin


class SignUpForm(UserCreationForm):
    """The fields and the password typed twice; ``shopper_register`` applies the account rules."""

    email = forms.EmailField(label=_("Email"), help_text=_("For order updates and a password reset."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class SignInForm(SignInLimitedFormMixin, AuthenticationForm):
    """The storefront's sign-in form: a locked account or address is told how long to wait."""
