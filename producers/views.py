from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from catalog.pagination import page_of
from catalog.selectors import product_search
from marketplace.flash import flash
from marketplace.forms import service_errors_on_form
from marketplace.models import ContentLanguage, content_language
from marketplace.page_cache import cached_page
from producers import selectors, services
from producers.access import producer_back_office
from producers.forms import ProducerApplyForm
from producers.models import Producer, Village

ACTIVITY_PAGE_SIZE = 50


@require_GET
@cached_page()
def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A verified producer's story and their products on sale; anyone else is not found."""
    try:
        producer = selectors.producer_detail(slug=slug)
    except Producer.DoesNotExist:
        raise Http404 from None
    page, page_note = page_of(request, product_search(producer=producer.slug))
    return render(
        request,
        "producers/producer_detail.html",
        {"producer": producer, "page_obj": page, "page_note": page_note},
    )


@require_GET
@cached_page()
def village_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A village, the verified producers who sell from it and their products on sale."""
    try:
        village = selectors.village_detail(slug=slug)
    except Village.DoesNotExist:
        raise Http404 from None
    page, page_note = page_of(request, product_search(village=village.slug))
    return render(
        request,
        "producers/village_detail.html",
        {
            "village": village,
            "producers": list(selectors.village_producers(village=village)),
            "page_obj": page,
            "page_note": page_note,
        },
    )


@login_required
@require_GET
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The way into the back office: straight to the one producer a member works for, else a choice.

    Lists the producers the user works for (their own and those they assist) and the depots they manage;
    someone who has neither is invited to apply to sell. A livestream host also finds the way to ``/host/``
    here (the template asks ``user.host_profile``, so this app need not import ``live``).
    """
    producers = list(selectors.dashboard_producers(user=request.user))
    depots = list(selectors.managed_depots(user=request.user))
    if len(producers) == 1 and not depots and producers[0].is_member:
        return redirect("dashboard-overview", producer=producers[0].slug)
    return render(request, "producers/dashboard_home.html", {"producers": producers, "depots": depots})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def producer_apply(request: HttpRequest) -> HttpResponse:
    """A signed-in user applies to sell: a new producer, unverified until staff check it in the admin.

    The name and story are stored in the language the page is shown in, the one the applicant writes.
    While an application waits for verification the page says so instead of offering a second one.
    """
    language = content_language()
    pending = selectors.pending_application(user=request.user)
    form = ProducerApplyForm(request.POST or None, request.FILES or None, owner=str(request.user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            producer = services.producer_apply(user=request.user, language=language, **form.service_fields())
        except ValidationError as error:
            service_errors_on_form(form, error)
        else:
            form.forget_photo()
            flash(
                request,
                messages.SUCCESS,
                gettext_noop(
                    "Thank you! Staff will verify your application, usually within a few days, and may call you. "
                    "Meanwhile you can add your products; they go on sale once you are verified."
                ),
            )
            return redirect("dashboard-overview", producer=producer.slug)
    if request.method == "POST":
        form.keep_photo()  # a sound photo is not sent twice over a slow connection
    return render(
        request,
        "producers/apply.html",
        {"form": form, "pending": pending, "language_name": ContentLanguage(language).label},
    )


@producer_back_office
@require_GET
def dashboard_activity(request: HttpRequest, producer: Producer) -> HttpResponse:
    """What was done in the producer's back office, newest first, and by whom: the depot's actions on their behalf."""
    activities = producer.activities.select_related("actor").order_by("-created_at", "-id")
    page, page_note = page_of(request, activities, per_page=ACTIVITY_PAGE_SIZE)
    return render(
        request,
        "producers/activity.html",
        {"producer": producer, "page_obj": page, "page_note": page_note},
    )
