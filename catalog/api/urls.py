"""The catalog endpoints of /api/v1/."""

from django.urls import path

from catalog.api import views
from marketplace.page_cache import STOCK_SECONDS, cached_page

# Anonymous reads of the catalog come from the shared cache; they carry exact stock counts, so a copy lives
# a few seconds at most. Writes (POST, PATCH, DELETE) and signed-in readers reach the views.
shared = cached_page(timeout=STOCK_SECONDS, anonymous_only=True)

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="api-category-list"),
    path("concepts/", views.ConceptListView.as_view(), name="api-concept-list"),
    path("products/", shared(views.ProductListView.as_view()), name="api-product-list"),
    # Not in the shared cache: every keystroke is another address (see catalog.views.product_suggest).
    path("products/suggest/", views.ProductSuggestView.as_view(), name="api-product-suggest"),
    path("products/<slug:slug>/", shared(views.ProductDetailView.as_view()), name="api-product-detail"),
    path(
        "products/<slug:slug>/reviews/", shared(views.ProductReviewListView.as_view()), name="api-product-review-list"
    ),
    path("products/<slug:slug>/variants/", views.ProductVariantCreateView.as_view(), name="api-product-variant-list"),
    path("products/<slug:slug>/images/", views.ProductImageCreateView.as_view(), name="api-product-image-list"),
    path("variants/<int:pk>/", views.VariantDetailView.as_view(), name="api-variant-detail"),
]
