"""The sign-up form; ``accounts.services.shopper_register`` applies the account rules."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.sign_in_limits import SignInLimitedFormMixin
from notifications.one_time_codes import normalize_phone


class SignUpForm(UserCreationForm):
    """The fields and the password typed twice; ``shopper_register`` applies the account rules."""

    email = forms.EmailField(label=_("Email"), help_text=_("For order updates and a password reset."))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class SignInForm(SignInLimitedFormMixin, AuthenticationForm):
    """The storefront's sign-in form: a locked account or address is told how long to wait."""


class PhoneForm(forms.Form):
    """A mainland mobile number, to text a sign-in code to."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("We text you a code. A new number gets a new account."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class PhoneCodeForm(forms.Form):
    """The code from the SMS."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr", "autofocus": True}
        ),
    )


class PhoneSignUpForm(forms.Form):
    """A new account for a proven number: a name in any script; email and password optional."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As sellers and other shoppers see it, in any language."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
    )
    email = forms.EmailField(label=_("Email"), required=False, help_text=_("For order updates and a password reset."))
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=_("Without one you sign in with a code sent to your number."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
