"""Rows of several tables inserted in one SQL statement, later rows taking the ids of earlier ones.

The ORM inserts each table in a statement of its own and builds each statement anew; an order
and what it holds (parcels, lines, payment, event, outbox message) would be six round trips and
six compilations, every time a shopper pays. ``InsertChain`` writes them as one statement of
data-modifying CTEs (``WITH o AS (INSERT … RETURNING id), f AS (INSERT … SELECT (SELECT id
FROM o) …)``), with each value prepared by its model field exactly as ``save()`` prepares it, and
gives the saved instances their primary keys back, so callers keep working with model
instances. The statement is all or nothing: a failing constraint anywhere inserts no row.

Only for new rows of plain models: no signals are sent (the project connects none) and no
``save()`` override runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Field, Model

# A column whose value is SQL over the CTEs before it: a function of the row, giving SQL and its parameters.
Reference = Callable[[Any], tuple[str, list]]


@dataclass
class _Insert:
    alias: str
    rows: Sequence[Model]
    key: str | None
    sql: str = ""
    params: list = field(default_factory=list)


class InsertChain:
    """The inserts of one statement, in the order they are added; ``execute`` runs them."""

    def __init__(self) -> None:
        self._inserts: list[_Insert] = []

    def add(
        self, alias: str, rows: Sequence[Model], *, refs: dict[str, Reference] | None = None, key: str = ""
    ) -> None:
        """Insert ``rows`` (new instances of one model) as the CTE ``alias``.

        ``refs`` maps a column to the SQL that gives its value, e.g. ``lambda row: ("(SELECT id FROM o)", [])``.
        ``key`` names a column that tells the rows apart (when there are several), by which their new ids
        are matched back to them: a value each row carries itself, not one of ``refs``; a single row needs none.
        """
        if not alias.isidentifier():
            raise ValueError(f"{alias!r} is not a name for a CTE.")
        if not rows:
            return
        if len(rows) > 1 and (not key or len({getattr(row, key) for row in rows}) < len(rows)):
            raise ValueError(f"{alias}: several rows need a key column, distinct for each, to match their ids back.")
        refs = refs or {}
        meta = rows[0]._meta
        fields = _fields(type(rows[0]))
        selects, params = [], []
        for row in rows:
            parts = []
            for f, placeholder in fields:
                if f.column in refs:
                    sql, ref_params = refs[f.column](row)
                    parts.append(sql)
                    params.extend(ref_params)
                else:
                    parts.append(placeholder)
                    params.append(f.get_db_prep_save(f.pre_save(row, True), connection))
            selects.append("SELECT " + ", ".join(parts))
        columns = ", ".join(connection.ops.quote_name(f.column) for f, _ in fields)
        returning = f"id, {connection.ops.quote_name(key)}" if key else "id"
        self._inserts.append(
            _Insert(
                alias=alias,
                rows=rows,
                key=key or None,
                sql=(
                    f"{alias} AS (INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
                    f"{' UNION ALL '.join(selects)} RETURNING {returning})"
                ),
                params=params,
            )
        )

    def execute(self) -> None:
        """Run the one statement; every row added gets its id, and the ids of the rows it refers to."""
        if not self._inserts:
            return
        ctes = ",\n".join(insert.sql for insert in self._inserts)
        # Table, column and CTE names come from the models and the code; every value is a parameter.
        answers = " UNION ALL ".join(
            f"SELECT %s::text, id, {connection.ops.quote_name(insert.key) if insert.key else 0}::bigint "  # noqa: S608
            f"FROM {insert.alias}"
            for insert in self._inserts
        )
        params = [p for insert in self._inserts for p in insert.params]
        params += [insert.alias for insert in self._inserts]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {ctes}\n{answers}", params)
            written = cursor.fetchall()
        ids: dict[str, dict[int, int]] = {}
        for alias, pk, key in written:
            ids.setdefault(alias, {})[key] = pk
        for insert in self._inserts:
            for row in insert.rows:
                row.pk = ids[insert.alias][getattr(row, insert.key) if insert.key else 0]
                row._state.adding = False
                row._state.db = connection.alias
        for insert in self._inserts:
            for row in insert.rows:
                _refer_by_id(row)


@functools.cache
def _fields(model: type[Model]) -> list[tuple[Field, str]]:
    """A model's columns but its id, each with its placeholder cast to the column's type."""
    return [(f, f"%s::{f.db_type(connection)}") for f in model._meta.concrete_fields if not f.primary_key]


def _refer_by_id(row: Model) -> None:
    # A foreign key set to an instance that had no id yet: now it has one, set it as the row's column too
    # (as save() does), keeping the instance cached.
    for f in row._meta.concrete_fields:
        if f.is_relation and f.is_cached(row) and getattr(row, f.attname) is None:
            related = f.get_cached_value(row)
            if related is not None and related.pk is not None:
                setattr(row, f.name, related)
