"""The orders endpoints of /api/v1/."""

from django.urls import path

from orders import converters  # noqa: F401  (registers the "order_number" converter)
from orders.api import views

urlpatterns = [
    path("orders/", views.OrderListView.as_view(), name="api-order-list"),
    path("orders/<order_number:number>/", views.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<order_number:number>/cancel/", views.OrderCancelView.as_view(), name="api-order-cancel"),
    path("fulfilments/", views.FulfilmentListView.as_view(), name="api-fulfilment-list"),
    path(
        "fulfilments/<int:pk>/transition/", views.FulfilmentTransitionView.as_view(), name="api-fulfilment-transition"
    ),
]
