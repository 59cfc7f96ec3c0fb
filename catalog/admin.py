"""Back office for categories, products with their variants and photos, and reviews."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, OuterRef, QuerySet, Subquery, When
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import services
from catalog.models import (
    Category,
    Concept,
    HarvestLot,
    LotReceipt,
    PreSale,
    Product,
    ProductImage,
    Review,
    Variant,
    WaitlistEntry,
)
from marketplace.admin import (
    DESCRIPTION_FIELDS,
    NAME_FIELDS,
    TRANSLATED_SEARCH_FIELDS,
    ChangedFieldsOnlyFormSet,
    CheckConstraintsForm,
    OrderedTranslatedAdmin,
    ReadOnlyAdmin,
    SaveEditedFieldsMixin,
    StorefrontAdminMixin,
    save_changed_fields,
)
from marketplace.images import photo_check, upload_bytes
from marketplace.models import User
from marketplace.page_cache import pages_changed

# Styled by css/admin.css (ProductAdmin.Media): the Content-Security-Policy refuses style="" attributes.
PREVIEW_HTML = '<img src="{}" alt="" width="{}" class="photo-preview">'


def _image_url(name: str) -> str:
    return ProductImage._meta.get_field("thumbnail").storage.url(name)


@admin.register(Category)
class CategoryAdmin(OrderedTranslatedAdmin):
    pass


class ConceptAdminForm(CheckConstraintsForm):
    """A search concept; its broader concept may be neither itself nor one of the concepts below it."""

    constraint_messages: ClassVar[dict[str, str]] = {
        "concept_not_its_own_broader": _("A concept cannot be its own broader concept."),
    }

    class Meta:
        model = Concept
        fields = ("slug", "name_zh", "name_ug", "name_en", "terms", "broader", "is_active")

    def clean_broader(self) -> Concept | None:
        broader = self.cleaned_data.get("broader")
        if broader is None or self.instance.pk is None:
            return broader
        # Walk up from the chosen concept: meeting this one means it would sit below itself.
        seen: set[int] = set()
        above: Concept | None = broader
        while above is not None and above.pk not in seen:
            if above.pk == self.instance.pk:
                raise ValidationError(
                    _("A concept cannot be its own broader concept, nor below one of its narrower concepts."),
                    code="broader_cycle",
                )
            seen.add(above.pk)
            above = above.broader
        return broader


@admin.register(Concept)
class ConceptAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    """The search vocabulary: staff add the words shoppers type for a kind of produce, in every script.

    Saves go through ``services.concept_save``, which adds the Latin terms to the words typos are corrected
    towards; the products tagged with a concept are found by its new terms at once.
    """

    form = ConceptAdminForm
    list_display = ("slug", "name_zh", "name_ug", "name_en", "broader", "is_active", "product_count")
    list_display_links = ("slug", "name_zh", "name_ug", "name_en")
    list_select_related = ("broader",)
    list_filter = ("is_active",)
    search_fields = ("slug", "name_zh", "name_ug", "name_en", "terms")
    autocomplete_fields = ("broader",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("slug", "name_zh", "name_ug", "name_en", "terms", "broader", "is_active", "updated_at")
    readonly_fields = ("updated_at",)
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[Concept]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, concept: Concept) -> int:
        return concept.product_count

    def save_model(self, request: HttpRequest, obj: Concept, form: ConceptAdminForm, change: bool) -> None:
        services.concept_save(concept=obj, actor=request.user)


class ServiceRefused(Exception):
    """A catalog service refused part of an admin save; ``ProductAdmin`` shows ``error`` on the form again."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


class ActorFormSet(ChangedFieldsOnlyFormSet):
    """An inline formset that writes through the catalog services, as ``actor``: the staff member saving."""

    actor: ClassVar[User | None] = None


class ActorInline(admin.TabularInline):
    def get_formset(self, request: HttpRequest, obj: Product | None = None, **kwargs: Any) -> type[ActorFormSet]:
        formset = super().get_formset(request, obj, **kwargs)  # a new class on each call
        formset.actor = request.user
        return formset


class VariantForm(CheckConstraintsForm):
    """Stock is set when a variant is created; afterwards orders and the producer change it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "stock" in self.fields:
            self.fields["stock"].disabled = True
            self.fields["stock"].help_text = _("Changed by orders and the producer's dashboard.")


class VariantFormSet(ActorFormSet):
    def save_new(self, form: VariantForm, commit: bool = True) -> Variant:
        cleaned = form.cleaned_data
        fields = {name: cleaned[name] for name in services.VARIANT_FIELDS if name in cleaned and name != "sku"}
        price = fields.pop("price")
        variant = services.variant_create(
            product=self.instance, sku=cleaned["sku"], price=price, actor=self.actor, **fields
        )
        if "position" in form.changed_data:
            # Otherwise the new variant comes after the others, as the service places it.
            variant.position = cleaned["position"]
            save_changed_fields(variant, ["position"])
        return variant

    def save_existing(self, form: VariantForm, obj: Variant, commit: bool = True) -> Variant:
        changed = form.changed_data  # never the stock: its field is disabled
        fields = {name: getattr(obj, name) for name in changed if name in services.VARIANT_FIELDS}
        if fields:
            services.variant_update(variant=obj, actor=self.actor, **fields)
        save_changed_fields(obj, [name for name in changed if name not in services.VARIANT_FIELDS])
        return obj


class VariantInline(ActorInline):
    model = Variant
    form = VariantForm
    formset = VariantFormSet
    fields = ("sku", *NAME_FIELDS, "price", "weight_grams", "shelf_life_days", "stock", "is_active", "position")
    extra = 0


class ProductImageForm(forms.ModelForm):
    """A new photo is uploaded here, checked from its headers, then re-encoded by the worker (``catalog.services``)."""

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
        photo_check(data)  # Raises the error a user should read; the worker decodes it.
        return data

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload") and "upload" not in self.errors:
            self.add_error("upload", _("Choose a photo to upload."))
        return cleaned


class ProductImageFormSet(ActorFormSet):
    def add_fields(self, form: ProductImageForm, index: int | None) -> None:
        super().add_fields(form, index)
        # Every photo, those being processed or failed too (the model's default manager has the ready ones only).
        pk = form.fields.get(ProductImage._meta.pk.name)
        if isinstance(pk, forms.ModelChoiceField):
            pk.queryset = ProductImage.all_objects.all()

    def save_new(self, form: ProductImageForm, commit: bool = True) -> ProductImage:
        # Never store the upload as it came: the worker strips metadata and makes the thumbnail.
        try:
            return services.product_image_upload(
                product=self.instance,
                data=form.cleaned_data["upload"],
                alt_text=form.cleaned_data["alt_text"],
                actor=self.actor,
            )
        except services.PhotosInFlight as error:
            raise ValidationError(str(error), code=error.code) from error

    def save_existing(self, form: ProductImageForm, obj: ProductImage, commit: bool = True) -> ProductImage:
        if "alt_text" in form.changed_data:
            obj = services.product_image_update(image=obj, alt_text=form.cleaned_data["alt_text"], actor=self.actor)
        if "position" in form.changed_data:
            # Staff number the photos themselves here; the service's moves are one place up or down.
            obj.position = form.cleaned_data["position"]
            save_changed_fields(obj, ["position"])
        return obj

    def delete_existing(self, obj: ProductImage, commit: bool = True) -> None:
        # The service deletes the files too, once the removal has committed.
        if commit:
            services.product_image_remove(image=obj, actor=self.actor)


class ProductImageInline(ActorInline):
    model = ProductImage
    form = ProductImageForm
    formset = ProductImageFormSet
    fields = ("preview", "upload", "alt_text", "position", "status", "failure", "width", "height")
    readonly_fields = ("preview", "status", "failure", "width", "height")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductImage]:
        # Staff see every photo, those being processed or failed too, and may remove any.
        if not self.has_view_or_change_permission(request):
            return ProductImage.all_objects.none()
        return ProductImage.all_objects.order_by("position", "id")

    @admin.display(description=_("preview"))
    def preview(self, image: ProductImage) -> SafeString | str:
        if not image.pk or not image.image:
            return ""
        source = image.thumbnail or image.image
        return format_html('<a href="{}">' + PREVIEW_HTML + "</a>", image.image.url, source.url, 120)


class ProductAdminForm(forms.ModelForm):
    """The product's fields; ``status`` is a plain choice that ``ProductAdmin`` applies through the services.

    ``refusal`` is the error a service raised when this same submission was saved a moment ago (and rolled
    back): the form shows it, on the fields it names, so the page comes back with why and saves nothing.
    """

    status = forms.ChoiceField(label=Product._meta.get_field("status").verbose_name, choices=Product.Status.choices)
    refusal: ClassVar[ValidationError | None] = None

    class Meta:
        model = Product
        fields = (
            "producer",
            "category",
            "slug",
            "is_perishable",
            "harvest_start_month",
            "harvest_end_month",
            "original_language",
            *NAME_FIELDS,
            *DESCRIPTION_FIELDS,
            "concepts",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("status", self.instance.status)
        self.initial.setdefault("concepts", [])  # a new product has none

    def _save_m2m(self) -> None:
        # The concepts are written by catalog.services with the product (ProductAdmin.save_model), which rewrites
        # its search column with them; the form does not write them a second time behind the service's back.
        cleaned = self.cleaned_data
        self.cleaned_data = {name: value for name, value in cleaned.items() if name != "concepts"}
        try:
            super()._save_m2m()
        finally:
            self.cleaned_data = cleaned

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.refusal is not None:
            if hasattr(self.refusal, "error_dict"):
                for field, field_messages in self.refusal.message_dict.items():
                    self.add_error(field if field in self.fields else None, field_messages)
            else:
                self.add_error(None, self.refusal.messages)
        return cleaned


@admin.register(Product)
class ProductAdmin(StorefrontAdminMixin, admin.ModelAdmin):
    """Saves go through ``catalog.services`` as the staff member, so they are in the producer's activity.

    A new product is created as a draft and its status is set after its variants are saved: a product
    made active goes through ``product_publish`` (verified producer, a variant on sale), which gives it
    its publication time. When a service refuses, the whole save is rolled back and the page shows the
    service's error. Only what no service writes is saved as edited: the producer, slug and original
    language of a product, a variant's or photo's position, and a variant deleted here.
    """

    form = ProductAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}

    # The form's status is its own field, never copied onto the product: only product_publish makes a
    # product active, with its publication time, once the producer is verified and a variant is on sale.
    exclude = ("status",)
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
    autocomplete_fields = ("producer", "concepts")
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("published_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("producer", "category", "slug", "status", "published_at", "is_perishable")}),
        (_("Harvest"), {"fields": ("harvest_start_month", "harvest_end_month")}),
        (_("Name and description"), {"fields": ("original_language", *NAME_FIELDS, *DESCRIPTION_FIELDS)}),
        (_("Search"), {"fields": ("concepts",)}),
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

    def get_form(self, request: HttpRequest, obj: Product | None = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)  # a new class on each call
        form.refusal = getattr(request, "product_save_refused", None)
        return form

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # Raised inside the view's transaction, which rolled back: nothing of the save is kept. The same
            # POST is shown again with the service's error on the form, which makes it invalid, so nothing is
            # saved this time either.
            request.product_save_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Product, form: ProductAdminForm, change: bool) -> None:
        try:
            if change:
                self._save_edits(request, obj, form)
            else:
                self._create(request, obj, form)
        except ValidationError as error:
            raise ServiceRefused(error) from error
        pages_changed()

    def _save_edits(self, request: HttpRequest, obj: Product, form: ProductAdminForm) -> None:
        """Names, descriptions, category, harvest, perishability and concepts through ``product_update``, which
        rewrites the search column when they change.

        The producer, slug and original language have no service: staff alone change them, saved as edited.
        """
        changed = [name for name in form.changed_data if name != "status"]
        save_changed_fields(obj, [name for name in changed if name not in services.PRODUCT_FIELDS])
        edits = {name: getattr(obj, name) for name in changed if name in services.PRODUCT_FIELDS}
        concepts = form.cleaned_data["concepts"] if "concepts" in changed else None
        if edits or concepts is not None:
            services.product_update(product=obj, concepts=concepts, actor=request.user, **edits)

    def _create(self, request: HttpRequest, obj: Product, form: ProductAdminForm) -> None:
        """A draft through ``product_create``; ``obj`` becomes that product, for the inlines to attach to."""
        fields = {name: getattr(obj, name) for name in services.PRODUCT_FIELDS if name != "category"}
        product = services.product_create(
            producer=obj.producer,
            category=obj.category,
            slug=obj.slug,
            concepts=form.cleaned_data.get("concepts"),
            actor=request.user,
            **fields,
        )
        language = obj.original_language
        for field in Product._meta.concrete_fields:
            setattr(obj, field.attname, getattr(product, field.attname))
        obj._state.adding = False
        obj._state.db = product._state.db
        if "original_language" in form.changed_data and obj.original_language != language:
            # Staff chose it; the service takes the first language the product is named in.
            obj.original_language = language
            save_changed_fields(obj, ["original_language"])

    def save_related(self, request: HttpRequest, form: ProductAdminForm, formsets: list, change: bool) -> None:
        """Variants first, then the status (a new variant may be the one on sale), then the photos.

        Photos come last so that a refused status leaves no re-encoded files behind.
        """
        photos = [formset for formset in formsets if formset.model is ProductImage]
        others = [formset for formset in formsets if formset.model is not ProductImage]
        try:
            super().save_related(request, form, others, change)
            status = form.cleaned_data["status"]
            if not change or "status" in form.changed_data:
                product = services.product_update(product=form.instance, status=status, actor=request.user)
                form.instance.status, form.instance.published_at = product.status, product.published_at
            for formset in photos:
                self.save_formset(request, form, formset, change)
        except ValidationError as error:
            raise ServiceRefused(error) from error

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        if not services.product_delete(product=obj, actor=request.user):
            # An order for it came in after the page checked: the service keeps it, archived.
            message = gettext("%(name)s has been ordered, so it was archived instead of deleted.") % {"name": obj}
            self.message_user(request, message, messages.WARNING)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for product in queryset.order_by("pk"):
            self.delete_model(request, product)

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
    fields = ("product", "author", "rating", "body", "review_photo", "is_visible", "created_at")
    readonly_fields = ("product", "author", "rating", "body", "review_photo", "created_at")
    date_hierarchy = "created_at"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).select_related("product", "author")

    @admin.display(description=_("photo"))
    def review_photo(self, review: Review) -> SafeString | str:
        """The buyer's photo, so staff can judge it before hiding the review."""
        if not review.photo_thumbnail:
            return "—"
        return format_html('<a href="{}">' + PREVIEW_HTML + "</a>", review.photo.url, review.photo_thumbnail.url, 240)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class LotReceiptInline(admin.TabularInline):
    model = LotReceipt
    fields = ("variant", "quantity", "packed", "received_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: HarvestLot | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HarvestLot | None = None) -> bool:
        return False


@admin.register(HarvestLot)
class HarvestLotAdmin(ReadOnlyAdmin, StorefrontAdminMixin, admin.ModelAdmin):
    """Staff check producers' harvest lots (what the trace pages show); producers record them in their back
    office, so nothing is added, changed or deleted here."""

    list_display = ("__str__", "product", "producer", "grade", "picked_on", "created_at")
    list_select_related = ("product", "producer")
    list_filter = ("grade", "picked_on")
    search_fields = ("plot", "producer__name_zh", "producer__name_ug", "producer__name_en", "product__slug")
    fields = ("producer", "product", "plot", "picked_on", "grade", "test_result", "photo", "created_at", "created_by")
    readonly_fields = fields
    inlines = [LotReceiptInline]
    date_hierarchy = "picked_on"
    list_per_page = 50


@admin.register(PreSale)
class PreSaleAdmin(ReadOnlyAdmin, StorefrontAdminMixin, admin.ModelAdmin):
    """Staff follow pre-sales; producers open them and enter their harvests in their back office, where the
    orders are filled or cancelled, so nothing is added, changed or deleted here."""

    list_display = (
        "variant",
        "status",
        "expected_quantity",
        "harvest_from",
        "ship_by",
        "harvested_quantity",
        "orders_filled",
        "orders_cut",
    )
    list_select_related = ("variant__product",)
    list_filter = ("status", "harvest_from")
    search_fields = ("variant__sku", "variant__product__slug")
    fields = (
        "variant",
        "status",
        "expected_quantity",
        "harvest_from",
        "harvest_until",
        "ship_by",
        "harvested_quantity",
        "orders_filled",
        "orders_cut",
        "opened_at",
        "opened_by",
        "harvested_at",
    )
    readonly_fields = fields
    list_per_page = 50


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin, StorefrontAdminMixin, admin.ModelAdmin):
    """Staff see who waits for which sold-out size, and the holds; shoppers join and leave on the storefront and
    the holds follow the stock, so nothing is added, changed or deleted here."""

    list_display = ("variant", "shopper", "quantity", "status", "joined_at", "held_until")
    list_select_related = ("variant__product", "shopper")
    list_filter = ("status",)
    search_fields = ("variant__sku", "variant__product__slug", "shopper__username")
    fields = ("variant", "shopper", "quantity", "status", "language", "joined_at", "held_at", "held_until")
    readonly_fields = fields
    list_per_page = 50
