"""The producer back office's live pages (``live/dashboard.py``): proposals to accept or decline."""

from django.urls import path

from live import dashboard

urlpatterns = [
    path("dashboard/<slug:producer>/live/", dashboard.proposal_list, name="dashboard-live"),
    path("dashboard/<slug:producer>/live/<int:item>/accept/", dashboard.proposal_accept, name="dashboard-live-accept"),
    path(
        "dashboard/<slug:producer>/live/<int:item>/decline/", dashboard.proposal_decline, name="dashboard-live-decline"
    ),
]
