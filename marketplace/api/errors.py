"""The API's one error shape: JSON with ``detail`` and ``code``, or messages per field.

Domain errors raised by the services become the responses PRODUCT.md names:
a stock shortfall, an illegal transition (of an order, a parcel or a live
session) and prices that changed since the shopper looked answer ``409``, an
Idempotency-Key reused for another order ``422``, a wrong request ``400`` with
messages per field, and an object the user may not see ``404`` as if it did
not exist.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from catalog.stock import InsufficientStock, StockChanged
from live.errors import SessionTransitionError
from orders.errors import IdempotencyKeyReused, IllegalTransition, InvalidOrder, OrderError, PricesChanged


def nested_errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    """Turn ``{"delivery.address.city": [...]}`` into ``{"delivery": {"address": {"city": [...]}}}``,
    the shape a serializer's own field errors have."""
    tree: dict[str, Any] = {}
    for dotted, messages in errors.items():
        *parents, leaf = dotted.split(".")
        node = tree
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                # A message for the parent itself already sits here; keep both under "detail".
                child = node[part] = {"detail": child}
            node = child
        if isinstance(node.get(leaf), dict):
            node[leaf].setdefault("detail", []).extend(messages)
        else:
            node.setdefault(leaf, []).extend(messages)
    return tree


def _money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def _domain_response(exc: Exception) -> Response | None:
    if isinstance(exc, InsufficientStock):
        lines = [
            {"variant": short.variant_id, "requested": short.requested, "available": short.available}
            for short in exc.shortfalls
        ]
        return Response({"detail": str(exc), "code": exc.code, "lines": lines}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StockChanged):
        return Response({"detail": str(exc), "code": exc.code, "current": exc.current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IllegalTransition | SessionTransitionError):
        body = {"detail": str(exc), "code": exc.code, "current": exc.current, "requested": exc.requested}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PricesChanged):
        # Money as strings with two decimals, like every amount of the API.
        body = {
            "detail": str(exc),
            "code": exc.code,
            "expected": _money(exc.expected),
            "subtotal": _money(exc.subtotal),
        }
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IdempotencyKeyReused):
        return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, InvalidOrder):
        return Response(nested_errors(exc.errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OrderError):
        return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        first = exc.error_list[0]
        message = first.message % first.params if first.params else first.message
        return Response({"detail": str(message), "code": first.code or "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    return None


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST framework's handler, taught the domain's errors; every ``detail`` gets a ``code``."""
    response = _domain_response(exc)
    if response is not None:
        return response
    if isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        data = response.data
        if isinstance(data, dict) and set(data) == {"detail"}:
            codes = exc.get_codes()
            data["code"] = codes if isinstance(codes, str) else "error"
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/ that names no endpoint: JSON, never the site's HTML 404 page.

    Exempt from the CSRF check, which would otherwise answer a POST to such a path with an HTML 403."""
    return JsonResponse({"detail": _("No such endpoint."), "code": "not_found"}, status=404)


def server_error(request: HttpRequest) -> Any:
    """A crash under /api/ answers JSON; elsewhere the site's own 500 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side."), "code": "server_error"}, status=500)
    return defaults.server_error(request)
