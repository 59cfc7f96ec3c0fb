from django.urls import path

from orders import (
    back_office,
    converters,  # noqa: F401  (registers "order_number" and "payment_reference")
    guest_access,
    views,
)

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/update/", views.cart_update, name="cart-update"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/<order_number:number>/", views.order_detail, name="order-detail"),
    path("orders/<order_number:number>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<order_number:number>/send-link/", views.order_send_link, name="order-send-link"),
    # A guest finds an order again by its number and phone, then a code texted to that phone.
    path("orders/find/", guest_access.order_find, name="order-find"),
    path("orders/find/code/", guest_access.order_find_code, name="order-find-code"),
    # The page a packing slip's QR code opens: where the parcel's produce was grown and picked.
    path("trace/<int:pk>/<str:key>/", views.parcel_trace, name="parcel-trace"),
    path("payments/<slug:provider>/webhook/", views.payment_webhook, name="payment-webhook"),
    path("payments/simulated/pay/<payment_reference:reference>/", views.payment_page, name="payment-page"),
    # The producer's back office: parcels to fulfil, packing slips, pick list, export, sales.
    path("dashboard/<slug:producer>/orders/", back_office.parcel_list, name="dashboard-orders"),
    path("dashboard/<slug:producer>/orders/<int:pk>/slip/", back_office.packing_slip, name="dashboard-packing-slip"),
    path("dashboard/<slug:producer>/pick-list/", back_office.pick_list, name="dashboard-pick-list"),
    path("dashboard/<slug:producer>/orders.csv", back_office.orders_csv, name="dashboard-orders-csv"),
    path("dashboard/<slug:producer>/sales/", back_office.sales, name="dashboard-sales"),
    path("dashboard/<slug:producer>/pre-sales/", back_office.pre_sales, name="dashboard-pre-sales"),
    path(
        "dashboard/<slug:producer>/pre-sales/<int:pk>/harvest/",
        back_office.pre_sale_harvest,
        name="dashboard-pre-sale-harvest",
    ),
]
