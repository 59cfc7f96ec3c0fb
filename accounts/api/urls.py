"""The account endpoints of /api/v1/: an API token for a username and password or for a
mobile number and a texted code, and registration."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
    path("auth/phone/code/", views.PhoneCodeView.as_view(), name="api-phone-code"),
    path("auth/phone/token/", views.PhoneTokenView.as_view(), name="api-phone-token"),
]
