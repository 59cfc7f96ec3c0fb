"""The depot back office: ``/depot/<depot>/`` and what its forms post to (``orders/depot.py``)."""

from django.urls import path

from orders import depot

urlpatterns = [
    path("depot/", depot.depot_home, name="depot"),
    path("depot/<slug:depot>/", depot.depot_detail, name="depot-detail"),
    path("depot/<slug:depot>/pick-list/", depot.depot_pick_list, name="depot-pick-list"),
    path("depot/<slug:depot>/received/", depot.depot_parcel_receive, name="depot-parcel-receive"),
    path("depot/<slug:depot>/handed-over/", depot.depot_parcel_hand_over, name="depot-parcel-hand-over"),
    path("depot/<slug:depot>/households/new/", depot.depot_household_add, name="depot-household-add"),
    path("depot/<slug:depot>/orders/new/", depot.depot_order_new, name="depot-order-new"),
]
