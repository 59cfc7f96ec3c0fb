"""A guard for code whose writes only make sense inside the caller's transaction."""

from __future__ import annotations

from django.db import connection


def require_transaction(what: str) -> None:
    """Raise ``RuntimeError`` saying that ``what`` (e.g. "Stock changes must run") needs the caller's transaction:
    locks taken or rows written outside one would outlive a change that failed, or be lost with one that committed."""
    if not connection.in_atomic_block:
        raise RuntimeError(f"{what} inside the caller's transaction.")
