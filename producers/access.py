"""Who may open a producer's or a depot's back office pages: the decorators every such view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from producers import selectors
from producers.models import Depot, Producer


def producer_back_office(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; ``producer`` (a slug in the URL) becomes the Producer, if the user may work for it.

    A member works for their producer; a depot manager for a producer of the depot's village that sells
    through the depot (``producer.acting_for`` is then true). Anyone else gets 404, as for a producer
    that does not exist.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, producer: str, **kwargs) -> HttpResponse:
        try:
            found = selectors.dashboard_producer(user=request.user, slug=producer)
        except Producer.DoesNotExist:
            raise Http404 from None
        return view(request, *args, producer=found, **kwargs)

    return wrapper


def depot_back_office(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; ``depot`` (a slug in the URL) becomes the Depot if the user manages it, else 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, depot: str, **kwargs) -> HttpResponse:
        try:
            found = selectors.managed_depots(user=request.user).get(slug=depot)
        except Depot.DoesNotExist:
            raise Http404 from None
        return view(request, *args, depot=found, **kwargs)

    return wrapper
