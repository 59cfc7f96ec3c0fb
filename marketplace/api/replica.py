"""Public read endpoints answered from the read replica for anonymous callers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.db_routers import replica_reads

Handler = Callable[..., Response]


def replica_reads_for_anonymous(handler: Handler) -> Handler:
    """Decorate an API view's ``get``: an anonymous caller's reads go to the read replica.

    A signed-in caller reads the primary: a producer's member may be reading the
    product they have just changed, which the replica may not have yet; anonymous
    callers wrote nothing, and they are most of the traffic a live session brings.
    DRF authenticates, checks permissions and throttles before the handler runs,
    so the caller's token or session is always read from the primary.
    """

    @functools.wraps(handler)
    def get(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        with replica_reads():
            return handler(view, request, *args, **kwargs)

    return get


class ReplicaReadsForAnonymous:
    """Put first among a generic read-only view's bases: its GET reads as ``replica_reads_for_anonymous`` says."""

    # No docstring: the schema describes the operation with the view's own.
    @replica_reads_for_anonymous
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
