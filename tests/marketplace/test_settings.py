"""Production settings: refuse to start unsafe, and pass Django's deployment checklist."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "oasis.example",
    "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
    # Never connected to: the checks below do not touch the database.
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Production as deployed: none of the test run's own variables (e.g. the browser tests' async switch).
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("PAYMENT_WEBHOOK_SECRET", "PAYMENT_WEBHOOK_SECRET must be set"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = manage("check", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_short_or_development_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "short"})

    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_turns_on_secure_cookies_hsts_and_https_redirect():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


HEADERS_OF_A_RESPONSE = """
import json
from django.test import Client

response = Client().get("/healthz/", secure=True, headers={"host": "%s"})
print(json.dumps({"status": response.status_code, **{name.lower(): value for name, value in response.items()}}))
"""
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _policy(header: str) -> set[str]:
    return {directive.strip() for directive in header.split(";")}


def test_production_answers_with_every_security_header():
    """HSTS, the Content-Security-Policy (enforced, not only reported) and the other headers, on one answer."""
    result = manage("shell", "--no-imports", "-c", HEADERS_OF_A_RESPONSE % "oasis.example", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert _policy(headers["content-security-policy"]) == _policy(CONTENT_SECURITY_POLICY)
    assert "content-security-policy-report-only" not in headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_the_content_security_policy_is_enforced_with_debug_on_too():
    """`make run` and the tests meet the policy production enforces, not a laxer one."""
    development = {"DEBUG": "1", "DATABASE_URL": PRODUCTION["DATABASE_URL"]}
    result = manage("shell", "--no-imports", "-c", HEADERS_OF_A_RESPONSE % "127.0.0.1", **development)

    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert _policy(headers["content-security-policy"]) == _policy(CONTENT_SECURITY_POLICY)
    assert "content-security-policy-report-only" not in headers


def test_a_non_postgresql_database_url_is_refused():
    result = manage("check", **{**PRODUCTION, "DATABASE_URL": "sqlite:///db.sqlite3"})

    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr
