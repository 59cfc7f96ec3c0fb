"""The producers endpoints of /api/v1/: villages and verified producers."""

from django.urls import path

from producers.api import views

urlpatterns = [
    path("villages/", views.VillageListView.as_view(), name="api-village-list"),
    path("villages/<slug:slug>/", views.VillageDetailView.as_view(), name="api-village-detail"),
    path("producers/", views.ProducerListView.as_view(), name="api-producer-list"),
    path("producers/<slug:slug>/", views.ProducerDetailView.as_view(), name="api-producer-detail"),
]
