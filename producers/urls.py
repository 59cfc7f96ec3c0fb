from django.urls import path

from producers import views

urlpatterns = [
    path("producers/<slug:slug>/", views.producer_detail, name="producer-detail"),
    path("villages/<slug:slug>/", views.village_detail, name="village-detail"),
]
