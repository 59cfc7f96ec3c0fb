"""Pagination of API lists: keyset cursors for the long lists, page numbers for the short ones.

A cursor names the last row seen by its ordering keys, so the next page is an
indexed range read however deep the client goes, and rows added meanwhile
neither repeat nor go missing. Cursors are signed: a client cannot forge one
that makes the database compare a key with a value of the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

_SALT = "oasis.api.cursor"


@dataclass(frozen=True)
class Key:
    """One ordering key: a field or annotation, and whether it runs from high to low."""

    field: str
    descending: bool = False


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class KeysetPagination(pagination.BasePagination):
    """``{"next", "previous", "results"}`` over the keys the view's ``keyset(request)`` returns.

    The last key must be unique (the primary key) and no key may be NULL, so
    every row has exactly one place in the order.
    """

    page_size = 24
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    invalid_cursor_message = _("This cursor is not valid; start again from the first page.")
    invalid_page_size_message = _("The page size must be a whole number from 1 to %(max)s.")

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # ASCII digits only: str.isdigit() also takes "²", which int() cannot read.
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [self.invalid_page_size_message % {"max": self.max_page_size}]}
            )
        return int(raw)

    def _decode(self, request: Request, keys: Sequence[Key]) -> tuple[list[Any], bool] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            data = signing.loads(raw, salt=_SALT)
        except signing.BadSignature:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        # Keys are part of the signed cursor: one taken from another ordering is refused, not misread.
        if data.get("k") != [[key.field, key.descending] for key in keys]:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return data["v"], data["b"]

    def _cursor(self, row: Any, *, backwards: bool) -> str:
        values = [_encode(getattr(row, key.field)) for key in self.keys]
        keys = [[key.field, key.descending] for key in self.keys]
        return signing.dumps({"k": keys, "v": values, "b": backwards}, salt=_SALT, compress=True)

    @staticmethod
    def _beyond(keys: Sequence[Key], values: list[Any], *, backwards: bool) -> Q:
        """Rows strictly after ``values`` in the order of ``keys`` (before them when going back)."""
        condition = Q()
        for index, key in enumerate(keys):
            later = "lt" if key.descending != backwards else "gt"
            step = Q(**{f"{key.field}__{later}": values[index]})
            for earlier, value in zip(keys[:index], values[:index], strict=True):
                step &= Q(**{earlier.field: value})
            condition |= step
        return condition

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.keys = list(view.keyset(request))
        size = self.get_page_size(request)
        cursor = self._decode(request, self.keys)
        backwards = bool(cursor and cursor[1])
        if cursor is not None:
            queryset = queryset.filter(self._beyond(self.keys, cursor[0], backwards=backwards))
        order = [F(key.field).desc() if key.descending != backwards else F(key.field).asc() for key in self.keys]
        rows = list(queryset.order_by(*order)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.rows = rows
        return rows

    def _link(self, *, backwards: bool) -> str | None:
        if not self.rows:
            return None
        url = self.request.build_absolute_uri()
        row = self.rows[0] if backwards else self.rows[-1]
        return replace_query_param(url, self.cursor_query_param, self._cursor(row, backwards=backwards))

    def get_next_link(self) -> str | None:
        return self._link(backwards=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(backwards=True)

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "The `next` or `previous` link's cursor.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` for short lists such as villages and categories."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    # As strict as the cursor lists: a page size that is not a whole number from 1 to the maximum is a 400.
    invalid_page_size_message = KeysetPagination.invalid_page_size_message
    get_page_size = KeysetPagination.get_page_size

    # "?page=last" would name the last page; the schema says a page is a number, so it names none (404).
    last_page_strings = ()

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        """The bounds the code holds the two parameters to, which REST framework's schema leaves out."""
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "The page, from 1; a page past the last answers 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        # REST framework reads "?page=" as the first page; the schema says a page is an integer, so an empty
        # value names no page, like "?page=x" (404).
        if request.query_params.get(self.page_query_param) == "":
            return ""
        return super().get_page_number(request, paginator)
