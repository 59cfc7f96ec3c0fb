"""The live endpoints of /api/v1/: live sessions for anyone, a host's own sessions, and a producer's proposals."""

from django.urls import path

from live.api import views

urlpatterns = [
    path("live-sessions/", views.LiveSessionListView.as_view(), name="api-live-session-list"),
    path("live-sessions/<slug:slug>/", views.LiveSessionDetailView.as_view(), name="api-live-session-detail"),
    path("host/sessions/", views.HostSessionListView.as_view(), name="api-host-session-list"),
    path("host/sessions/<slug:slug>/", views.HostSessionDetailView.as_view(), name="api-host-session-detail"),
    path("host/sessions/<slug:slug>/go-live/", views.SessionGoLiveView.as_view(), name="api-host-session-go-live"),
    path("host/sessions/<slug:slug>/end/", views.SessionEndView.as_view(), name="api-host-session-end"),
    path("host/sessions/<slug:slug>/cancel/", views.SessionCancelView.as_view(), name="api-host-session-cancel"),
    path("host/sessions/<slug:slug>/cover/", views.SessionCoverView.as_view(), name="api-host-session-cover"),
    path("host/sessions/<slug:slug>/items/", views.HostSessionItemsView.as_view(), name="api-host-session-items"),
    path("host/sessions/<slug:slug>/figures/", views.HostSessionFiguresView.as_view(), name="api-host-session-figures"),
    path("host/items/<int:pk>/", views.HostItemDetailView.as_view(), name="api-host-item-detail"),
    path("host/commission/", views.HostCommissionView.as_view(), name="api-host-commission"),
    path("live-proposals/", views.ProposalListView.as_view(), name="api-live-proposal-list"),
    path("live-proposals/<int:pk>/accept/", views.ProposalAcceptView.as_view(), name="api-live-proposal-accept"),
    path("live-proposals/<int:pk>/decline/", views.ProposalDeclineView.as_view(), name="api-live-proposal-decline"),
]
