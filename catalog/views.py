from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from catalog import selectors, services
from catalog.forms import SORT_CHOICES, ProductFilterForm, ReviewForm, WaitlistJoinForm
from catalog.models import WAITLIST_MAX_QUANTITY, Product, ProductImage, Variant, WaitlistEntry
from catalog.pagination import page_of
from live.pricing import unit_price
from live.selectors import ITEM_ON_SALE, session_items, sessions_live_now
from marketplace.db_routers import replica_reads
from marketplace.flash import flash
from marketplace.page_cache import cached_page
from marketplace.redirects import local_url
from producers.selectors import featured_villages

LIVE_SESSIONS_SHOWN = 4
# Seconds a browser keeps one answer of the search box's suggestions (typing back over a word asks no more).
SUGGEST_MAX_AGE = 60


@require_GET
@cached_page()
def home(request: HttpRequest) -> HttpResponse:
    # Only items a shopper can buy, each with its product's photos for the thumbnail.
    items = (
        session_items()
        .filter(ITEM_ON_SALE)
        .prefetch_related(
            Prefetch("variant__product__images", queryset=ProductImage.objects.order_by("position", "id"))
        )
    )
    live_now = sessions_live_now().prefetch_related(None).prefetch_related(Prefetch("items", queryset=items))
    live_now = list(live_now[:LIVE_SESSIONS_SHOWN])
    for session in live_now:
        for item in session.items.all():
            item.price = unit_price(variant=item.variant, live_item=item)
    response = render(
        request,
        "catalog/home.html",
        {
            "in_season": selectors.products_in_season(),
            "live_now": live_now,
            "villages": featured_villages(),
        },
    )
    if live_now:
        # A session's live prices end at its scheduled end, with or without a write: keep the copy no longer.
        first_end = min(session.ends_at for session in live_now)
        response.page_cache_timeout = int((first_end - timezone.now()).total_seconds())
    return response


@require_GET
@cached_page()
def product_list(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("sort"):
        # Show the order actually used: relevance for a search, newest otherwise.
        data["sort"] = selectors.Sort.RELEVANCE if data.get("q", "").strip() else selectors.Sort.NEWEST
    form = ProductFilterForm(data)
    filters = form.filters()
    products = selectors.product_search(**filters)
    search_ids = getattr(products, "search_ids", None)
    if search_ids is None:
        page, page_note = page_of(request, products)
    else:
        # A search has ranked its results: the page reads the cards of its own only.
        page, page_note = page_of(request, search_ids)
        page.object_list = selectors.cards_in_order(list(page.object_list))
    current = filters["sort"] or (selectors.Sort.RELEVANCE if filters["q"] else selectors.Sort.NEWEST)
    # The orders to choose from, as links: best match only for a search.
    sorts = [
        {"value": value, "label": label, "current": value == current}
        for value, label in SORT_CHOICES
        if value != selectors.Sort.RELEVANCE or filters["q"]
    ]
    return render(
        request,
        "catalog/product_list.html",
        {
            "form": form,
            "query": filters["q"],
            "page_obj": page,
            "page_note": page_note,
            "sorts": sorts,
            "capped": getattr(products, "capped", False),
        },
    )


@require_safe
@replica_reads
def product_suggest(request: HttpRequest) -> JsonResponse:
    """``{"suggestions": [{"kind", "label", "url"}]}``: completions of ``q`` for the search box's script.

    Not kept in the shared page cache: every keystroke of every shopper is another address, and that long tail
    would push the pages out. The browser keeps each answer a minute, per language.
    """
    suggestions = selectors.search_suggestions(q=request.GET.get("q", ""))
    response = JsonResponse({"suggestions": [asdict(suggestion) for suggestion in suggestions]})
    patch_cache_control(response, private=True, max_age=SUGGEST_MAX_AGE)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _render_product(request: HttpRequest, product: Product, *, review_form: ReviewForm | None = None) -> HttpResponse:
    can_review = selectors.review_status(product=product, user=request.user) == selectors.ReviewStatus.ALLOWED
    variants = list(product.variants.all())
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "images": list(product.images.all()),
            "variants": variants,
            "first_available": next((v for v in variants if v.stock > 0), None),
            # Sold-out sizes a shopper may wait for (a size on pre-sale has its own way to order).
            "waitable": [v for v in variants if v.stock == 0 and not getattr(v, "ships_from", None)],
            "waitlist_most": WAITLIST_MAX_QUANTITY,
            "hold_minutes": settings.WAITLIST_HOLD_MINUTES,
            "in_season": product.is_in_season(timezone.localdate().month),
            "can_review": can_review,
            "review_form": review_form or ReviewForm(),
        },
    )


def _review_form(request: HttpRequest, meta: dict) -> str | None:
    """The review form of a cached product page, for the signed-in buyer who may write one."""
    if not request.user.is_authenticated:
        return None
    product = Product(pk=meta["product"], slug=meta["slug"])
    if selectors.review_status(product=product, user=request.user) != selectors.ReviewStatus.ALLOWED:
        return None
    return render_to_string(
        "catalog/review_form.html", {"product": product, "review_form": ReviewForm()}, request=request
    )


@require_GET
@cached_page(fragments={"review-form": _review_form})
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    response = _render_product(request, product)
    response.page_cache_meta = {"product": product.pk, "slug": product.slug}
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def product_review(request: HttpRequest, slug: str) -> HttpResponse:
    """A buyer's review from the product page; anyone else is sent back with the reason.

    A form with errors is shown again at this address, so a GET here (the page reloaded, or opened again from
    the history) goes back to the product's reviews rather than failing.
    """
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    back = HttpResponseRedirect(product.get_absolute_url() + "#reviews")
    if request.method != "POST":
        return back
    form = ReviewForm(request.POST, request.FILES)
    if not form.is_valid():
        try:
            services.review_check(product=product, author=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        # Show the form again with its errors, keeping what the buyer wrote.
        return _render_product(request, product, review_form=form)
    try:
        services.review_add(product=product, author=request.user, **form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            # A photo that could not be read: the form again, keeping the rating and text.
            form.add_error(None, error)
            return _render_product(request, product, review_form=form)
        messages.error(request, " ".join(error.messages))
        return back
    flash(request, messages.SUCCESS, gettext_noop("Thank you! Your review is published."))
    return back


# The waitlist of sold-out sizes: joined from the product page, followed and left at /waitlist/.


@require_POST
def waitlist_join(request: HttpRequest) -> HttpResponse:
    """Wait for a sold-out size: a guest signs in first and comes back to the product page."""
    form = WaitlistJoinForm(request.POST)
    back = local_url(request, request.POST.get("next") or request.headers.get("referer"), reverse("waitlist"))
    if not request.user.is_authenticated:
        flash(request, messages.INFO, gettext_noop("Sign in to join the waitlist: we tell you when it is back."))
        return redirect_to_login(back)
    if not form.is_valid():
        flash(request, messages.ERROR, gettext_noop("Choose a size and 1 to %(max)s units."), max=WAITLIST_MAX_QUANTITY)
        return redirect(back)
    variant = Variant.objects.select_related("product").filter(pk=form.cleaned_data["variant"]).first()
    if variant is None:
        raise Http404
    try:
        services.waitlist_join(variant=variant, shopper=request.user, quantity=form.cleaned_data["quantity"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    flash(
        request,
        messages.SUCCESS,
        gettext_noop("You are on the waitlist for %(name)s: when it is back, it is held for you and we tell you."),
        name=variant.label,
    )
    return redirect("waitlist")


@login_required
@require_safe
def waitlist(request: HttpRequest) -> HttpResponse:
    """The shopper's waitlist: where they stand in line, what is held for them and until when."""
    entries = selectors.waitlist_of(shopper=request.user)
    return render(
        request, "catalog/waitlist.html", {"entries": entries, "hold_minutes": settings.WAITLIST_HOLD_MINUTES}
    )


@login_required
@require_POST
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(WaitlistEntry.objects.select_related("variant__product"), pk=pk, shopper=request.user)
    try:
        services.waitlist_leave(entry=entry, shopper=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        flash(request, messages.SUCCESS, gettext_noop("You left the waitlist for %(name)s."), name=entry.variant.label)
    return redirect("waitlist")
