"""`make serve`: the production server started as an operator starts it, answering with DEBUG off."""

from __future__ import annotations

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
import requests
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


@pytest.fixture
def served(tmp_path):
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
    }
    server = subprocess.Popen(
        [shutil.which("make") or "/usr/bin/make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make serve stopped:\n{server.stdout.read()}")
            try:
                if requests.get(f"{base}/healthz/", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within 3 minutes")
        yield base
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        connection.close()


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
