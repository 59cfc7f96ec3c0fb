"""OpenAPI generation: the error responses every endpoint can give are documented once, here.

A view documents its own success and domain errors (``409`` for a shortfall,
say); this adds what follows from how it is configured — ``400`` where it reads
a body or query filters, ``401`` everywhere (a public read still refuses a
token that is not valid), ``403`` on writes (a session without its CSRF
token), ``404`` where the path names an object or a page number, ``413`` and
``415`` where a body is read, ``429`` where it is throttled — unless the view already documents
that status itself.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import pagination
from rest_framework.permissions import AllowAny

from marketplace.api.serializers import ErrorSerializer


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        extra: dict[str, OpenApiResponse] = {}
        if self.method in {"POST", "PUT", "PATCH"} or self._get_filter_parameters() or self._is_list_view():
            extra["400"] = OpenApiResponse(
                OpenApiTypes.OBJECT, description="Messages per field, or `detail` and `code`."
            )
        if all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            extra["401"] = OpenApiResponse(ErrorSerializer, description="The `Authorization` token is not valid.")
        else:
            extra["401"] = OpenApiResponse(ErrorSerializer, description="Sign in: a session or `Authorization: Token`.")
        if "{" in self.path:
            extra["404"] = OpenApiResponse(ErrorSerializer, description="No such object, or not yours to see.")
        elif self._is_list_view() and isinstance(
            getattr(self.view, "paginator", None), pagination.PageNumberPagination
        ):
            extra["404"] = OpenApiResponse(ErrorSerializer, description="No such page.")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            extra["403"] = OpenApiResponse(ErrorSerializer, description="Signed in by session without the CSRF token.")
        if self.method in {"POST", "PUT", "PATCH"}:
            extra["413"] = OpenApiResponse(
                ErrorSerializer, description="`request_too_large`: a body larger than the server takes."
            )
            extra["415"] = OpenApiResponse(ErrorSerializer, description="A body in a media type it does not take.")
        if self.view.get_throttles():
            extra["429"] = OpenApiResponse(ErrorSerializer, description="Too many requests; retry after `Retry-After`.")
        for status, response in extra.items():
            if status not in responses:
                responses[status] = self._get_response_for_code(response, status, direction=direction)
        return responses
