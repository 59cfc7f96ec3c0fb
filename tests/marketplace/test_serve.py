"""`make serve`: the production server started as an operator starts it, answering with DEBUG off."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, as DATABASE_URL names it."""
    db = connection.settings_dict
    user, password = quote(db["USER"] or ""), quote(db["PASSWORD"] or "")
    # The embedded server is reached by its socket folder, which dj-database-url keeps in OPTIONS.
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    if not host or host.startswith("/"):
        return f"postgresql://{user}:{password}@/{db['NAME']}?host={quote(host, safe='/')}"
    return f"postgresql://{user}:{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def make_serve(tmp_path: Path, *, log: Path | None = None, **extra_env: str):
    """`make serve` running in its own process group; yields its address and the make process.

    Its output goes to ``log`` when given (a busy server would fill an unread pipe and stall), else to a pipe
    read when it fails to start."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "1",  # make serve turns it off whatever the caller's environment says
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(port),
        "WORKERS": "1",
        # A local trial over plain HTTP; behind a TLS proxy these stay on.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CELERY_BROKER_URL": "",
        **extra_env,
    }
    output = log.open("w") if log else subprocess.PIPE
    server = subprocess.Popen(
        [shutil.which("make") or "/usr/bin/make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make serve stopped:\n{log.read_text() if log else server.stdout.read()}")
            try:
                if requests.get(f"{base}/healthz/", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # Still starting, or busy starting its workers.
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within 3 minutes")
        yield base, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        if log:
            output.close()
        connection.close()


@pytest.fixture
def served(tmp_path):
    with make_serve(tmp_path) as (base, _server):
        yield base


def test_make_serve_answers_with_debug_off_and_serves_its_hashed_static_files(served):
    home = requests.get(f"{served}/", headers={"Accept-Language": "en"}, timeout=10)
    missing = requests.get(f"{served}/no-such-page/", timeout=10)

    assert home.status_code == 200
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "static files are served under their hashed production names"
    css = requests.get(served + stylesheet[1], timeout=10)
    assert css.status_code == 200 and "max-age=315360000" in css.headers["Cache-Control"]
    assert missing.status_code == 404
    assert "Technical details" not in missing.text and "DEBUG = True" not in missing.text
    assert home.headers["X-Frame-Options"] == "DENY"


def process_group(pgid: int) -> dict[int, str]:
    """The command lines of the live processes in process group ``pgid``."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue  # It exited while being read.
    return found


def test_with_a_broker_make_serve_runs_the_worker_and_beat_beside_gunicorn_and_stops_them_together(tmp_path):
    """With CELERY_BROKER_URL set the worker answers on the broker and beat runs; stopping make serve stops all."""
    broker = "redis://127.0.0.1:6379/12"
    redis.Redis.from_url(broker).flushdb()
    extra = {"CELERY_BROKER_URL": broker, "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule")}
    with make_serve(tmp_path, **extra) as (_base, server), Celery(broker=broker, set_as_current=False) as probe:
        deadline = time.monotonic() + 60
        while not probe.control.ping(timeout=1):
            assert time.monotonic() < deadline, "the worker never answered on the broker"
        commands = process_group(server.pid)
        launcher = next(pid for pid, command in commands.items() if "marketplace.serve" in command)
        assert any("gunicorn" in command and "marketplace.serve" not in command for command in commands.values())
        assert any("-A marketplace worker" in command for command in commands.values())
        assert any("-A marketplace beat" in command for command in commands.values())

        os.kill(launcher, signal.SIGTERM)  # What a supervisor or Ctrl-C does to `make serve`.
        server.wait(30)
        deadline = time.monotonic() + 30
        while process_group(server.pid):
            assert time.monotonic() < deadline, f"still running: {process_group(server.pid)}"
            time.sleep(0.2)
