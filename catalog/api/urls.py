"""The catalog endpoints of /api/v1/."""

from django.urls import path

from catalog.api import views

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="api-category-list"),
    path("products/", views.ProductListView.as_view(), name="api-product-list"),
    path("products/<slug:slug>/", views.ProductDetailView.as_view(), name="api-product-detail"),
    path("products/<slug:slug>/variants/", views.ProductVariantCreateView.as_view(), name="api-product-variant-list"),
    path("products/<slug:slug>/images/", views.ProductImageCreateView.as_view(), name="api-product-image-list"),
    path("variants/<int:pk>/", views.VariantDetailView.as_view(), name="api-variant-detail"),
]
