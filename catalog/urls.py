from django.urls import path

from catalog import back_office, views

# The producer back office's catalog pages; /dashboard/<producer>/ itself is in producers/urls.py.
DASHBOARD = "dashboard/<slug:producer>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product-list"),
    # Before the product pages, so that "suggest" is never read as a product's slug.
    path("products/suggest/", views.product_suggest, name="product-suggest"),
    path("products/<slug:slug>/", views.product_detail, name="product-detail"),
    path("products/<slug:slug>/review/", views.product_review, name="product-review"),
    path("waitlist/", views.waitlist, name="waitlist"),
    path("waitlist/join/", views.waitlist_join, name="waitlist-join"),
    path("waitlist/<int:pk>/leave/", views.waitlist_leave, name="waitlist-leave"),
    path(DASHBOARD + "products/new/", back_office.product_new, name="dashboard-product-new"),
    path(DASHBOARD + "products/<slug:slug>/", back_office.product_edit, name="dashboard-product-edit"),
    path(DASHBOARD + "products/<slug:slug>/publish/", back_office.product_publish, name="dashboard-product-publish"),
    path(DASHBOARD + "products/<slug:slug>/archive/", back_office.product_archive, name="dashboard-product-archive"),
    path(DASHBOARD + "products/<slug:slug>/variants/", back_office.variant_add, name="dashboard-product-variant-add"),
    path(DASHBOARD + "products/<slug:slug>/photos/", back_office.photos_add, name="dashboard-product-photos-add"),
    path(DASHBOARD + "variants/<int:pk>/", back_office.variant_edit, name="dashboard-variant-edit"),
    path(DASHBOARD + "lots/", back_office.harvest_lots, name="dashboard-lots"),
    path(DASHBOARD + "lots/<int:pk>/receive/", back_office.lot_receive, name="dashboard-lot-receive"),
    path(
        DASHBOARD + "variants/<int:pk>/quick-edit/", back_office.variant_quick_edit, name="dashboard-variant-quick-edit"
    ),
    path(DASHBOARD + "photos/<int:pk>/move/", back_office.photo_move, name="dashboard-productimage-move"),
    path(DASHBOARD + "photos/<int:pk>/alt-text/", back_office.photo_alt, name="dashboard-productimage-alt"),
    path(DASHBOARD + "photos/<int:pk>/remove/", back_office.photo_remove, name="dashboard-productimage-remove"),
]
