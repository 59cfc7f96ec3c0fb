"""The project-local PostgreSQL server that `make run` and `make test` start without DATABASE_URL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg2

from marketplace import embedded_db

ROOT = Path(__file__).resolve().parents[2]


def command(*args: str) -> str:
    """``python -m marketplace.embedded_db …`` in its own process, as make runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "marketplace.embedded_db", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_server_whose_process_list_a_killed_command_left_empty_still_starts_answers_and_stops(tmp_path):
    data = tmp_path / "pgdata"
    url = command("url", str(data))
    try:
        (data / embedded_db.HANDLES).write_text("")  # what a command killed while writing it leaves behind

        again = command("url", str(data))

        with psycopg2.connect(again) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert again == url
    finally:
        (data / embedded_db.HANDLES).write_text("")
        command("stop", str(data))
    assert not (data / "postmaster.pid").exists()
