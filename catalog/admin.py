"""Back office for categories, products with their variants and photos, and reviews."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, When
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from catalog import services
from catalog.models import Category, Product, ProductImage, Review, Variant
from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    ChangedFieldsOnlyFormSet,
    CheckConstraintsForm,
    OrderedTranslatedAdmin,
    SaveEditedFieldsMixin,
    StorefrontAdminMixin,
)
from marketplace.images import open_image, upload_bytes

PREVIEW_HTML = '<img src="{}" alt="" width="{}" style="height:auto;border-radius:4px">'


def _image_url(name: str) -> str:
    return ProductImage._meta.get_field("thumbnail").storage.url(name)


@admin.register(Category)
class CategoryAdmin(OrderedTranslatedAdmin):
    pass


class VariantForm(CheckConstraintsForm):
    """Stock is set when a variant is created; afterwards orders and the producer change it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "stock" in self.fields:
            self.fields["stock"].disabled = True
            self.fields["stock"].help_text = _("Changed by orders and the producer's dashboard.")


class VariantInline(admin.TabularInline):
    model = Variant
    form = VariantForm
    formset = ChangedFieldsOnlyFormSet
    fields = ("sku", *NAME_FIELDS, "price", "weight_grams", "stock", "is_active", "position")
    extra = 0


class ProductImageForm(forms.ModelForm):
    """A new photo is uploaded here, then checked and re-encoded by ``catalog.services``."""

    upload = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = ProductImage
        fields = ("alt_text", "position")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["upload"].disabled = True

    def clean_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("upload")
        if self.instance.pk or upload is None:
            return None
        data = upload_bytes(upload)
        open_image(data)  # Raises the error a user should read; the service decodes again.
        return data

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload") and "upload" not in self.errors:
            self.add_error("upload", _("Choose a photo to upload."))
        return cleaned


class ProductImageFormSet(ChangedFieldsOnlyFormSet):
    def save_new(self, form: ProductImageForm, commit: bool = True) -> ProductImage:
        # Never store the upload as it came: the service strips metadata and makes the thumbnail.
        return services.product_image_add(
            product=self.instance, data=form.cleaned_data["upload"], alt_text=form.cleaned_data["alt_text"]
        )


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    formset = ProductImageFormSet
    fields = ("preview", "upload", "alt_text", "position", "width", "height")
    readonly_fields = ("preview", "width", "height")
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, image: ProductImage) -> SafeString | str:
        if not image.pk or not image.image:
            return ""
        source = image.thumbnail or image.image
        return format_html('<a href="{}">' + PREVIEW_HTML + "</a>", image.image.url, source.url, 120)


@admin.register(Product)
class ProductAdmin(StorefrontAdminMixin, SaveEditedFieldsMixin, admin.ModelAdmin):
    list_display = (
        "preview",
        "__str__",
        "producer",
        "category",
        "status",
        "is_perishable",
        "harvest_window",
        "created_at",
    )
    list_display_links = ("preview", "__str__")
    list_select_related = ("producer", "category")
    list_filter = (
        "status",
        "category",
        "is_perishable",
        "producer__is_verified",
        "producer__village__county__prefecture",
    )
    search_fields = (
        *TRANSLATED_SEARCH_FIELDS,
        "producer__name_zh",
        "producer__name_ug",
        "producer__name_en",
        "variants__sku",
    )
    autocomplete_fields = ("producer",)
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("producer", "category", "slug", "status", "published_at", "is_perishable")}),
        (_("Harvest"), {"fields": ("harvest_start_month", "harvest_end_month")}),
        (_("Name and description"), {"fields": ("original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (VariantInline, ProductImageInline)
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        # The first photo's thumbnail name (or the photo's, if it has none), in the same query as the row.
        first_image = (
            ProductImage.objects.filter(product=OuterRef("pk"))
            .order_by("position", "id")
            .annotate(source=Case(When(thumbnail="", then=F("image")), default=F("thumbnail")))
            .values("source")[:1]
        )
        return super().get_queryset(request).annotate(preview_name=Subquery(first_image))

    @admin.display(description=_("photo"))
    def preview(self, product: Product) -> SafeString | str:
        if not product.preview_name:
            return "—"
        return format_html(PREVIEW_HTML, _image_url(product.preview_name), 48)

    @admin.display(description=_("harvest"), ordering="harvest_start_month")
    def harvest_window(self, product: Product) -> str:
        return f"{product.harvest_start_label} – {product.harvest_end_label}"


@admin.register(Variant)
class VariantAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    """Variants are edited on their product's page; this list finds them by SKU."""

    list_display = ("sku", "__str__", "product", "price", "stock", "is_active")
    list_select_related = ("product",)
    list_filter = ("is_active", "product__status")
    search_fields = ("sku", *NAME_FIELDS, "product__name_zh", "product__name_ug", "product__name_en")
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Variant | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Variant | None = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(StorefrontAdminMixin, SaveEditedFieldsMixin, admin.ModelAdmin):
    """Staff hide a review that breaks the rules; the text itself is the buyer's."""

    list_display = ("__str__", "product", "author", "rating", "is_visible", "created_at")
    list_select_related = ("product", "author")
    list_filter = ("is_visible", "rating")
    list_editable = ("is_visible",)
    search_fields = ("body", "author__username", "product__name_zh", "product__name_ug", "product__name_en")
    fields = ("product", "author", "rating", "body", "is_visible", "created_at")
    readonly_fields = ("product", "author", "rating", "body", "created_at")
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).select_related("product", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
