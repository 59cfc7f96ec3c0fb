"""The live endpoints of /api/v1/: live sessions and their featured items."""

from django.urls import path

from live.api import views

urlpatterns = [
    path("live-sessions/", views.LiveSessionListView.as_view(), name="api-live-session-list"),
    path("live-sessions/<slug:slug>/", views.LiveSessionDetailView.as_view(), name="api-live-session-detail"),
]
