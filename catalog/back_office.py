"""The producer back office's catalog pages: products at a glance, the product editor, variants and photos.

Kept apart from ``views.py`` (the storefront) so that neither grows too big. Every view wears
``producers.access.producer_back_office``: the producer in the URL must be one the user works for (a member,
or a depot manager assisting it), else 404. Products, variants and photos are then looked up among that
producer's only. Every write goes through ``catalog.services`` with ``actor=request.user``, which records it
in the producer's activity (on the producer's behalf when a depot manager does it).
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import selectors, services
from catalog.forms import (
    HarvestLotForm,
    LotReceiveForm,
    PhotoAltForm,
    PhotoMoveForm,
    PhotoUploadForm,
    ProductForm,
    VariantAddForm,
    VariantEditForm,
    VariantQuickForm,
)
from catalog.models import HarvestLot, Product, ProductImage, Variant
from catalog.pagination import page_of
from catalog.stock import StockChanged
from marketplace.flash import flash
from marketplace.forms import service_errors_on_form
from marketplace.redirects import local_url
from producers.access import producer_back_office
from producers.models import Producer

OVERVIEW_PAGE_SIZE = 24


def _changes(variant: Variant, cleaned: dict[str, Any]) -> dict[str, Any]:
    """What the form changes: the price, on sale or not, and the stock only when it differs from the one shown.

    Leaving the stock as shown sends no stock at all, so orders taking units meanwhile never make a price
    change fail; a new stock count carries ``expected_stock`` and is refused if orders changed it since.
    """
    changes = {
        field: cleaned[field]
        for field in ("price", "is_active")
        if field in cleaned and cleaned[field] != getattr(variant, field)
    }
    if cleaned["stock"] != cleaned["expected_stock"]:
        changes.update(stock=cleaned["stock"], expected_stock=cleaned["expected_stock"])
    return changes


def _stock_changed(form: VariantQuickForm, error: StockChanged) -> VariantQuickForm:
    """The form again, showing the stock as it is now (so sending it again is a deliberate choice), with why."""
    data = form.data.copy()
    data[form.add_prefix("stock")] = str(error.current)
    data[form.add_prefix("expected_stock")] = str(error.current)
    again = type(form)(data, prefix=form.prefix)
    again.is_valid()
    again.add_error(
        "stock",
        _("The stock changed to %(current)d while you were editing (orders came in). Check it and try again.")
        % {"current": error.current},
    )
    return again


def _products(producer: Producer) -> QuerySet[Product]:
    """The producer's products, whatever their status, with their variants and photos in the order shown.

    Every photo: those being processed and those that failed are shown here, to their producer, only.
    """
    return (
        Product.objects.filter(producer=producer)
        .order_by("-created_at", "-id")
        .select_related("category")
        .prefetch_related(
            # With the units held for the waitlist, which a new stock count leaves out.
            Prefetch(
                "variants",
                queryset=Variant.objects.annotate(held=selectors.held_for_waitlist()).order_by("position", "id"),
            ),
            Prefetch("images", queryset=ProductImage.all_objects.order_by("position", "id")),
        )
    )


def _product(producer: Producer, slug: str) -> Product:
    return get_object_or_404(_products(producer), slug=slug)


def _variant(producer: Producer, pk: int) -> Variant:
    return get_object_or_404(Variant.objects.select_related("product"), product__producer=producer, pk=pk)


def _image(producer: Producer, pk: int) -> ProductImage:
    return get_object_or_404(ProductImage.all_objects.select_related("product"), product__producer=producer, pk=pk)


def _edit_url(producer: Producer, product: Product) -> str:
    return reverse("dashboard-product-edit", kwargs={"producer": producer.slug, "slug": product.slug})


def _shown_again(url: str) -> HttpResponse:
    """A GET at the address a form posts to: the page of that form.

    A form refused with errors is shown again at the address it posted to (its action ends with the fragment of
    its section, so the page opens there with the error summary focused). Reloading that page, or opening it
    again from the history, asks for this address with a GET: the form's page answers it instead of a 405.
    """
    return redirect(url)


def _back(request: HttpRequest, producer: Producer, fallback: str) -> HttpResponse:
    """Back to the back-office page the form was on (``next``), never anywhere else."""
    target = local_url(request, request.POST.get("next"), fallback)
    prefix = reverse("dashboard-overview", kwargs={"producer": producer.slug})
    return redirect(target if target.startswith(prefix) else fallback)


# Products at a glance


def _render_overview(
    request: HttpRequest, producer: Producer, *, bound: VariantQuickForm | None = None, bound_pk: int | None = None
) -> HttpResponse:
    page, page_note = page_of(request, _products(producer), per_page=OVERVIEW_PAGE_SIZE)
    for product in page.object_list:
        variants = list(product.variants.all())
        on_sale = [variant for variant in variants if variant.is_active]
        product.lowest_price = min((variant.price for variant in on_sale), default=None)
        product.total_stock = sum(variant.stock for variant in on_sale)
        product.first_image = next((image for image in product.images.all() if image.is_ready), None)
        product.edit_url = _edit_url(producer, product)
        for variant in variants:
            if bound is not None and variant.pk == bound_pk:
                variant.form = bound
            else:
                variant.form = VariantQuickForm(initial=VariantQuickForm.initial_for(variant), prefix=f"v{variant.pk}")
        product.variant_rows = variants
    return render(
        request,
        "catalog/back_office_overview.html",
        {"producer": producer, "page_obj": page, "page_note": page_note, "statuses": Product.Status},
    )


def _variant_saved(request: HttpRequest, variant: Variant, form: forms.Form) -> tuple[bool, forms.Form]:
    """Save a variant form through ``variant_update``; when refused, the form to show again with why."""
    if not form.is_valid():
        return False, form
    try:
        services.variant_update(variant=variant, actor=request.user, **_changes(variant, form.cleaned_data))
    except Variant.DoesNotExist:
        raise Http404 from None
    except StockChanged as error:
        return False, _stock_changed(form, error)
    except ValidationError as error:
        service_errors_on_form(form, error)
        return False, form
    return True, form


@producer_back_office
@require_GET
def dashboard_overview(request: HttpRequest, producer: Producer) -> HttpResponse:
    """The producer's products with photo, status, lowest price and stock, and a quick price and stock edit."""
    return _render_overview(request, producer)


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def variant_quick_edit(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """A variant's new price and stock from the overview; a stock that changed meanwhile is refused."""
    variant = _variant(producer, pk)
    if request.method != "POST":
        return _shown_again(reverse("dashboard-overview", kwargs={"producer": producer.slug}))
    saved, form = _variant_saved(request, variant, VariantQuickForm(request.POST, prefix=f"v{variant.pk}"))
    if saved:
        flash(
            request,
            messages.SUCCESS,
            gettext_noop("Saved the price and stock of %(name)s."),
            name=_variant_names(variant),
        )
        return redirect("dashboard-overview", producer=producer.slug)
    return _render_overview(request, producer, bound=form, bound_pk=variant.pk)


def _variant_names(variant: Variant) -> tuple:
    """How a flash message names a variant ("Raisins · 1 kg box"), shown in the reader's language."""
    return (variant.product, variant)


# The product editor


def _photo_notice(image: ProductImage) -> str:
    """What the producer reads about a photo the worker has not made yet, or could not; empty for one shown."""
    if image.status == ProductImage.Status.PROCESSING:
        return _("Preparing this photo. Shoppers see it once it is ready: reload the page in a moment.")
    if image.status != ProductImage.Status.FAILED:
        return ""
    if image.failure == ProductImage.Failure.TOO_LARGE:
        return _("This photo is too large to prepare. Remove it and upload a smaller photo, or a JPEG.")
    if image.failure == ProductImage.Failure.INTERRUPTED:
        return _("Preparing this photo failed several times. Remove it and upload it again.")
    return _("This photo could not be read: the file may be damaged. Remove it and upload the photo again.")


def _render_editor(
    request: HttpRequest,
    producer: Producer,
    product: Product,
    *,
    product_form: ProductForm | None = None,
    variant_form: tuple[int, VariantEditForm] | None = None,
    add_form: VariantAddForm | None = None,
    upload_form: PhotoUploadForm | None = None,
    alt_form: tuple[int, PhotoAltForm] | None = None,
) -> HttpResponse:
    variants = list(product.variants.all())
    for variant in variants:
        if variant_form is not None and variant_form[0] == variant.pk:
            variant.form = variant_form[1]
        else:
            variant.form = VariantEditForm(initial=VariantEditForm.initial_for(variant), prefix=f"v{variant.pk}")
    images = list(product.images.all())
    for image in images:
        image.notice = _photo_notice(image)
        if alt_form is not None and alt_form[0] == image.pk:
            image.alt_form = alt_form[1]
        else:
            image.alt_form = PhotoAltForm(initial={"alt_text": image.alt_text}, prefix=f"p{image.pk}")
    return render(
        request,
        "catalog/back_office_product.html",
        {
            "producer": producer,
            "product": product,
            "form": product_form or ProductForm(initial=ProductForm.initial_for(product), product=product),
            "variants": variants,
            "add_form": add_form or VariantAddForm(prefix="new"),
            "images": images,
            "upload_form": upload_form or PhotoUploadForm(),
            "statuses": Product.Status,
        },
    )


@producer_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def product_new(request: HttpRequest, producer: Producer) -> HttpResponse:
    """A new product as a draft; its sizes, prices and photos are added on the next page."""
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(producer=producer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop(
                    "%(name)s is saved as a draft. Add a size with its price and stock, and photos, then publish it."
                ),
                name=product,
            )
            return redirect(_edit_url(producer, product))
    return render(request, "catalog/back_office_product_new.html", {"producer": producer, "form": form})


@producer_back_office
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request: HttpRequest, producer: Producer, slug: str) -> HttpResponse:
    """A product's names, descriptions, category, concepts and harvest; its variants, photos and status below."""
    product = _product(producer, slug)
    if request.method != "POST":
        return _render_editor(request, producer, product)
    form = ProductForm(request.POST, product=product)
    if form.is_valid():
        try:
            services.product_update(product=product, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(request, messages.SUCCESS, gettext_noop("Saved %(name)s."), name=product)
            return redirect(_edit_url(producer, product))
    return _render_editor(request, producer, product, product_form=form)


def _status_change(request: HttpRequest, producer: Producer, slug: str, to: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.filter(producer=producer).select_related("producer"), slug=slug)
    try:
        if to == Product.Status.ACTIVE:
            services.product_publish(product=product, actor=request.user)
            flash(request, messages.SUCCESS, gettext_noop("%(name)s is on sale."), name=product)
        else:
            services.product_archive(product=product, actor=request.user)
            flash(request, messages.SUCCESS, gettext_noop("%(name)s is taken off sale."), name=product)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, producer, _edit_url(producer, product))


@require_POST
@producer_back_office
def product_publish(request: HttpRequest, producer: Producer, slug: str) -> HttpResponse:
    """Put a product on sale (again); refused, with the reason, before verification or without a variant on sale."""
    return _status_change(request, producer, slug, Product.Status.ACTIVE)


@require_POST
@producer_back_office
def product_archive(request: HttpRequest, producer: Producer, slug: str) -> HttpResponse:
    """Take a product off sale; publishing puts it back."""
    return _status_change(request, producer, slug, Product.Status.ARCHIVED)


def _new_sku(product: Product) -> str:
    return f"{product.slug[:48]}-{secrets.token_hex(4)}".upper()


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def variant_add(request: HttpRequest, producer: Producer, slug: str) -> HttpResponse:
    """Add a size (a variant) with its price and stock to a product."""
    product = _product(producer, slug)
    if request.method != "POST":
        return _shown_again(_edit_url(producer, product) + "#add-variant")
    form = VariantAddForm(request.POST, prefix="new")
    if form.is_valid():
        fields: dict[str, Any] = dict(form.cleaned_data)
        fields["sku"] = fields["sku"] or _new_sku(product)
        fields["weight_grams"] = fields["weight_grams"] or 0
        try:
            variant = services.variant_create(product=product, actor=request.user, **fields)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(request, messages.SUCCESS, gettext_noop("Added %(name)s."), name=_variant_names(variant))
            return redirect(_edit_url(producer, product) + "#variants")
    return _render_editor(request, producer, product, add_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def variant_edit(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """A variant's price, stock and whether it is on sale, from the product editor."""
    variant = _variant(producer, pk)
    if request.method != "POST":
        return _shown_again(_edit_url(producer, variant.product) + f"#variant-{variant.pk}")
    saved, form = _variant_saved(request, variant, VariantEditForm(request.POST, prefix=f"v{variant.pk}"))
    if saved:
        flash(request, messages.SUCCESS, gettext_noop("Saved %(name)s."), name=_variant_names(variant))
        return redirect(_edit_url(producer, variant.product) + "#variants")
    product = _product(producer, variant.product.slug)
    return _render_editor(request, producer, product, variant_form=(variant.pk, form))


# Photos


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def photos_add(request: HttpRequest, producer: Producer, slug: str) -> HttpResponse:
    """Photos from the phone's camera or gallery; all of them are added, or (one being bad) none.

    Refused photos are shown again at this address, opened at the photos (``#photos``) with the error summary
    focused; a GET here (the page reloaded) goes back to the editor's photos.
    """
    product = _product(producer, slug)
    if request.method != "POST":
        return _shown_again(_edit_url(producer, product) + "#photos")
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        photos = form.cleaned_data["photos"]
        try:
            with transaction.atomic():
                for data in photos:
                    services.product_image_upload(
                        product=product, data=data, alt_text=form.cleaned_data["alt_text"], actor=request.user
                    )
        except Product.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            form.add_error("photos", error.messages)
        except services.PhotosInFlight as error:
            form.add_error("photos", str(error))
        else:
            count = len(photos)
            flash(
                request,
                messages.SUCCESS,
                ngettext_lazy("Added %(count)d photo.", "Added %(count)d photos.", count),
                count=count,
            )
            return redirect(_edit_url(producer, product) + "#photos")
    return _render_editor(request, producer, product, upload_form=form)


@require_POST
@producer_back_office
def photo_move(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """Move a photo one place earlier or later: the first photo is the one product cards show."""
    image = _image(producer, pk)
    form = PhotoMoveForm(request.POST)
    if form.is_valid():
        try:
            services.product_image_move(image=image, offset=form.offset, actor=request.user)
        except ProductImage.DoesNotExist:
            raise Http404 from None
        flash(request, messages.SUCCESS, gettext_noop("Moved the photo."))
    else:
        flash(request, messages.ERROR, gettext_noop("Move a photo up or down."))
    return redirect(_edit_url(producer, image.product) + "#photos")


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def photo_alt(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """Say what a photo shows, for shoppers who use a screen reader or whose photos do not load."""
    image = _image(producer, pk)
    if request.method != "POST":
        return _shown_again(_edit_url(producer, image.product) + f"#photo-{image.pk}")
    form = PhotoAltForm(request.POST, prefix=f"p{image.pk}")
    if form.is_valid():
        try:
            services.product_image_update(image=image, actor=request.user, **form.cleaned_data)
        except ProductImage.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(request, messages.SUCCESS, gettext_noop("Saved the description of the photo."))
            return redirect(_edit_url(producer, image.product) + "#photos")
    product = _product(producer, image.product.slug)
    return _render_editor(request, producer, product, alt_form=(image.pk, form))


@require_POST
@producer_back_office
def photo_remove(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """Remove a photo from the product."""
    image = _image(producer, pk)
    try:
        services.product_image_remove(image=image, actor=request.user)
    except ProductImage.DoesNotExist:
        raise Http404 from None
    flash(request, messages.SUCCESS, gettext_noop("Removed the photo."))
    return redirect(_edit_url(producer, image.product) + "#photos")


# Harvest lots

LOTS_SHOWN = 50


def _lots_page(
    request: HttpRequest,
    producer: Producer,
    *,
    form: HarvestLotForm | None = None,
    receive: tuple[int, LotReceiveForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    lots = list(selectors.harvest_lots_of(producer=producer)[:LOTS_SHOWN])
    forms_by_lot = {lot.pk: LotReceiveForm(lot=lot, prefix=f"lot{lot.pk}") for lot in lots}
    if receive is not None:
        forms_by_lot[receive[0]] = receive[1]
    for lot in lots:
        lot.receive_form = forms_by_lot[lot.pk]
    context = {
        "producer": producer,
        "lots": lots,
        "form": form or HarvestLotForm(producer=producer, prefix="new"),
        "shown": LOTS_SHOWN,
    }
    return render(request, "catalog/back_office_lots.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def harvest_lots(request: HttpRequest, producer: Producer) -> HttpResponse:
    """The producer's harvest lots, newest pick first, with what each received and packed; records a new one."""
    if request.method != "POST":
        return _lots_page(request, producer)
    form = HarvestLotForm(request.POST, request.FILES, producer=producer, prefix="new")
    if form.is_valid():
        try:
            lot = services.harvest_lot_record(producer=producer, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(request, messages.SUCCESS, gettext_noop("Recorded the lot from %(plot)s."), plot=lot.plot)
            return redirect(reverse("dashboard-lots", kwargs={"producer": producer.slug}) + f"#lot-{lot.pk}")
    return _lots_page(request, producer, form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@producer_back_office
def lot_receive(request: HttpRequest, producer: Producer, pk: int) -> HttpResponse:
    """Units of a size coming into stock from one of the producer's lots."""
    lot = get_object_or_404(HarvestLot, producer=producer, pk=pk)
    url = reverse("dashboard-lots", kwargs={"producer": producer.slug}) + f"#lot-{lot.pk}"
    if request.method != "POST":
        return _shown_again(url)
    form = LotReceiveForm(request.POST, lot=lot, prefix=f"lot{lot.pk}")
    if form.is_valid():
        try:
            receipt = services.lot_receive(lot=lot, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            flash(
                request,
                messages.SUCCESS,
                gettext_noop("Added %(n)s units of %(name)s to the stock from this lot."),
                n=receipt.quantity,
                name=_variant_names(receipt.variant),
            )
            return redirect(url)
    return _lots_page(request, producer, receive=(lot.pk, form))
