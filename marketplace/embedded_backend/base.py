"""PostgreSQL on the embedded server in ``.pgdata/``, started when a connection is first opened.

Without ``DATABASE_URL`` the settings name this backend and the server's socket folder, which is known before
the server runs, instead of starting the server while they are read: a command that never touches the
database (``makemessages``, ``compiletranslations``, ``collectstatic``, a type check) starts nothing and
leaves nothing running. The first connection of any command that does starts it, or reuses a running one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.postgresql import base

from marketplace import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        embedded_db.database_url(Path(params["host"]))
        return params
