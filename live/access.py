"""Who may open the host's back office (``/host/``): the decorator every such view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from live.selectors import host_of


def host_back_office(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the view receives ``host``, the user's active Host profile.

    Anyone without one (a shopper, a producer, staff, a host that staff switched off) gets 404, as for a
    page that does not exist: staff manage hosts in the admin.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        host = host_of(request.user)
        if host is None:
            raise Http404
        return view(request, *args, host=host, **kwargs)

    return wrapper
