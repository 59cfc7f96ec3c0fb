"""Reads that may come from a read replica, and everything else from the primary.

A replica applies the primary's changes a moment later, so only code that says
it can live with that reads it: a block or a view wrapped in ``replica_reads()``,
such as a public catalog page or endpoint. By default every query, and every
write wherever it runs, goes to the primary, so a service that reads and then
writes always sees its own writes (read-your-writes).

``settings.DATABASE_READ_REPLICA`` names the replica's alias ("" for none); it
is read on each use, not at import, so a test can switch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, overload

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

F = TypeVar("F", bound=Callable[..., Any])

# A context variable, not a thread-local: each request's thread (or task) has its own value.
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_alias() -> str | None:
    """The alias of the configured read replica, or None when there is none."""
    alias = getattr(settings, "DATABASE_READ_REPLICA", "")
    return alias if alias and alias in settings.DATABASES else None


# Set by primary_reads(): inside it, replica_reads() changes nothing.
_primary_only: ContextVar[bool] = ContextVar("primary_only", default=False)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Read the primary in this block, even where code inside asks for the replica.

    For a caller that knows better than the code it runs: the page cache right after a write, which the
    replica may not have yet, renders from the primary whatever the view it renders says.
    """
    primary, replica = _primary_only.set(True), _reading_replica.set(False)
    try:
        yield
    finally:
        _reading_replica.reset(replica)
        _primary_only.reset(primary)


@contextmanager
def _replica_reads() -> Iterator[None]:
    if replica_alias() is None or _primary_only.get():
        yield
        return
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


@overload
def replica_reads() -> AbstractContextManager[None]: ...
@overload
def replica_reads(view: F) -> F: ...
def replica_reads(view: Callable[..., Any] | None = None) -> Any:
    """Send the reads of a block or of a view to the read replica, when one is configured.

    ``with replica_reads(): ...``, or ``@replica_reads`` (or ``@replica_reads()``) on a
    view function or method. Writes inside still go to the primary, and so do reads
    made inside a transaction on the primary (see ``ReplicaRouter.db_for_read``).
    Wrap only code that never needs to see a write made just before: the replica
    may not have it yet.
    """
    # contextmanager's decorator form makes a new context manager for every call,
    # so one decorated view serves concurrent requests safely.
    if view is None:
        return _replica_reads()
    return _replica_reads()(view)


class ReplicaRouter:
    """Reads inside ``replica_reads()`` go to the replica; all else to the primary, which alone is migrated."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if not _reading_replica.get():
            # The primary explicitly, not None: Django would otherwise follow an instance
            # hint and read an object's relations from the replica it was loaded from.
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # A read inside a transaction on the primary must see that transaction's
            # own writes and the rows it locked, which the replica does not have yet.
            return DEFAULT_DB_ALIAS
        return replica_alias() or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the same rows as the primary: an object read from one may
        # be related to an object read from the other.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # A replica gets the schema by replication and refuses writes: never migrate it.
        return db == DEFAULT_DB_ALIAS
