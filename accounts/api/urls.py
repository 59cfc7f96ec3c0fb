"""The account endpoints of /api/v1/: an API token for a username and password, and registration."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
]
