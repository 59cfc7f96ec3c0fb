from django.urls import path

from catalog import back_office
from producers import views

urlpatterns = [
    path("dashboard/", views.dashboard_home, name="dashboard"),
    # Before the producer's pages, so that "apply" is never read as a producer's slug.
    path("dashboard/apply/", views.producer_apply, name="producer-apply"),
    path("dashboard/<slug:producer>/", back_office.dashboard_overview, name="dashboard-overview"),
    path("dashboard/<slug:producer>/activity/", views.dashboard_activity, name="dashboard-activity"),
    path("producers/<slug:slug>/", views.producer_detail, name="producer-detail"),
    path("villages/<slug:slug>/", views.village_detail, name="village-detail"),
]
