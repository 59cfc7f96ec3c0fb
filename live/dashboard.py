"""The producer's live proposals in the back office: ``/dashboard/<producer>/live/``.

A host features a producer's size in a session at a flash price; it sells at that price only once the producer
agrees. Here a member (or a depot manager assisting a household that sells through the depot) sees each
proposal with its terms and accepts or declines it, and may change the answer until the session is over.

The pages live in the ``live`` app because they call ``live.services``; they wear
``producers.access.producer_back_office`` like every back-office page, and look items up among the producer's
own proposals (``live.selectors.proposals_for``), so another producer's answers 404 like a missing one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST, require_safe

from catalog.pagination import page_of
from live import selectors, services
from live.errors import SessionTransitionError
from live.models import LiveSessionItem
from marketplace.flash import flash
from marketplace.templatetags.money import yuan
from producers.access import producer_back_office
from producers.models import Producer

PROPOSALS_PER_PAGE = 20


def _with_discount(item: LiveSessionItem) -> LiveSessionItem:
    """Give ``item`` what the page shows beside its prices: the discount in yuan and in whole percent."""
    normal = item.variant.price
    item.discount = normal - item.flash_price
    item.discount_percent = (
        int((item.discount * 100 / normal).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if normal > 0 else 0
    )
    return item


@producer_back_office
@require_safe
def proposal_list(request: HttpRequest, producer: Producer) -> HttpResponse:
    """The producer's proposals in sessions not over, newest session first, each with its terms and answer."""
    page, page_note = page_of(request, selectors.proposals_open(producers=[producer]), per_page=PROPOSALS_PER_PAGE)
    for item in page.object_list:
        _with_discount(item)
    return render(
        request,
        "live/dashboard_proposals.html",
        {"producer": producer, "page_obj": page, "page_note": page_note, "consent": LiveSessionItem.Consent},
    )


def _answer(request: HttpRequest, producer: Producer, item_id: int, *, accept: bool) -> HttpResponse:
    item = get_object_or_404(selectors.proposals_for(producers=[producer]), pk=item_id)
    back = redirect("dashboard-live", producer=producer.slug)
    labels = {
        "product": item.variant.product,
        "variant": item.variant,
        "session": item.session.name,
        "price": yuan(item.flash_price),
    }
    if item.session.ends_at <= timezone.now():
        flash(
            request,
            messages.ERROR,
            gettext_noop("The session “%(session)s” is over: there is nothing left to answer."),
            session=labels["session"],
        )
        return back
    try:
        services.item_answer(item=item, actor=request.user, accept=accept)
    except SessionTransitionError as error:
        messages.error(request, str(error))
        return back
    if accept:
        message = gettext_noop("You agreed: %(product)s · %(variant)s sells at %(price)s in “%(session)s”.")
    else:
        message = gettext_noop("You declined: %(product)s · %(variant)s will not sell at %(price)s in “%(session)s”.")
    flash(request, messages.SUCCESS, message, **labels)
    return back


@producer_back_office
@require_POST
def proposal_accept(request: HttpRequest, producer: Producer, item: int) -> HttpResponse:
    """Agree to be featured: the item sells at its flash price while the session is on air."""
    return _answer(request, producer, item, accept=True)


@producer_back_office
@require_POST
def proposal_decline(request: HttpRequest, producer: Producer, item: int) -> HttpResponse:
    """Decline: the item never sells at its flash price (declining during the session stops it at once)."""
    return _answer(request, producer, item, accept=False)
