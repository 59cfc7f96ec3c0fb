"""The API's one error shape: JSON with ``detail`` and ``code``, or messages per field.

Domain errors raised by the services become the responses PRODUCT.md names.
Each app's errors derive from ``marketplace.errors.DomainError`` and declare
their status and body there (a stock shortfall, an illegal transition of an
order, a parcel or a live session, and prices that changed since the shopper
looked answer ``409``, an Idempotency-Key reused for another order ``422``, a
wrong order ``400`` with messages per field), so this handler answers them all
without importing any app. Django's ``ValidationError`` answers ``400``, and an
object the user may not see ``404`` as if it did not exist. A body larger than
``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers ``413``, and Django's other refusals of
a request (too many form fields, a host not allowed) ``400``, in the same shape
rather than Django's HTML page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.errors import DomainError


def _domain_response(exc: Exception) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.body(), status=int(exc.status))
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        first = exc.error_list[0]
        message = first.message % first.params if first.params else first.message
        return Response({"detail": str(message), "code": first.code or "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    return None


def _refused_request_body(exc: SuspiciousOperation) -> tuple[dict[str, str], int]:
    """What Django's refusal of a request says in the API's shape, with its status."""
    if isinstance(exc, RequestDataTooBig):
        size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        detail = _("The request body is too large: at most %(size)s.") % {"size": size}
        return {"detail": detail, "code": "request_too_large"}, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        detail = _("The request has too many fields.")
        return {"detail": detail, "code": "too_many_fields"}, status.HTTP_400_BAD_REQUEST
    return {"detail": _("The request cannot be handled."), "code": "bad_request"}, status.HTTP_400_BAD_REQUEST


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST framework's handler, taught the domain's errors; every ``detail`` gets a ``code``."""
    response = _domain_response(exc)
    if response is not None:
        return response
    if isinstance(exc, OperationalError | InterfaceError):
        # The database connection failed (cut, restarting): worth the same request again in a moment. An
        # order sent again with its Idempotency-Key is placed once, whether or not this one was committed.
        body = {"detail": _("The service is briefly unavailable. Send the same request again."), "code": "unavailable"}
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "1"})
    if isinstance(exc, SuspiciousOperation):
        body, code = _refused_request_body(exc)
        return Response(body, status=code)
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


def bad_request(request: HttpRequest, exception: Exception) -> Any:
    """A request Django refuses before or outside a view of the API: JSON under /api/, elsewhere the site's page.

    A body too large answers 413 there, as it does inside a view."""
    if request.path.startswith("/api/"):
        if isinstance(exception, SuspiciousOperation):
            body, code = _refused_request_body(exception)
        else:
            body, code = {"detail": _("The request cannot be handled."), "code": "bad_request"}, 400
        return JsonResponse(body, status=code)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> Any:
    """A crash under /api/ answers JSON; elsewhere the site's own 500 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side."), "code": "server_error"}, status=500)
    return defaults.server_error(request)
