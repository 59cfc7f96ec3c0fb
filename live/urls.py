from django.urls import path

from live import views

urlpatterns = [
    path("live/", views.session_list, name="live-session-list"),
    path("live/<slug:slug>/", views.session_detail, name="live-session-detail"),
    path("live/<slug:slug>/stock/", views.session_stock, name="live-session-stock"),
]
