"""Sending a row's request as a role, and checking the answer against the matrix."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.urls import reverse

from tests.security.matrix import SAFE_METHODS, Raw, Row, encode_api
from tests.security.world import World, changed_tables, table_fingerprints

SIGN_IN_PAGES = {"site": "login", "admin": "admin:login"}


def send(world: World, row: Row, role: str) -> HttpResponse:
    client, auth = world.client(role, api=row.api)
    path = row.path(world, role)
    body = row.data(world) if row.data is not None else None
    headers = {"Accept-Language": "en", **auth, **row.headers}
    if isinstance(body, Raw):
        return client.generic(
            row.method, path, body.content, content_type=body.content_type, headers={**headers, **body.headers}
        )
    if row.method == "GET":
        return client.get(path, headers=headers)
    if row.api and not row.multipart:
        return client.generic(row.method, path, encode_api(body), content_type="application/json", headers=headers)
    if row.method == "POST":
        return client.post(path, body or {}, headers=headers)
    return client.generic(row.method, path, headers=headers)


def _content(response: HttpResponse) -> str:
    return response.getvalue().decode(errors="replace")


def check(world: World, row: Row, role: str) -> None:
    """The answer ``role`` gets from ``row`` is the matrix's; a denied write changed nothing."""
    outcome = row.expect[role]
    where = f"{row.label} as {role}"
    write = row.method not in SAFE_METHODS
    before = table_fingerprints() if write else {}
    response = send(world, row, role)
    # Read to the end: the test client closes a streamed answer (a CSV, a photo) when it is consumed. Never close
    # one here: closing signals the end of a request, which would close the connection of the world's transaction.
    content = _content(response)
    assert response.status_code in outcome.status, (
        f"{where}: expected {outcome}, got {response.status_code} {response.get('Location', '')} {content[:300]}"
    )
    if outcome.sign_in:
        target = urlsplit(response["Location"]).path
        assert target == reverse(SIGN_IN_PAGES[outcome.sign_in]), f"{where}: redirected to {target}, not to sign in"
    elif response.status_code in (301, 302) and not outcome.allowed:
        # A refusal that redirects sends the caller back with a reason, never to a sign-in page in disguise.
        assert urlsplit(response["Location"]).path not in {reverse(name) for name in SIGN_IN_PAGES.values()}, where
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Token"), f"{where}: 401 without a Token challenge"
    if outcome.code:
        assert response["Content-Type"].startswith("application/json"), f"{where}: not JSON: {content[:200]}"
        assert response.json().get("code") == outcome.code, f"{where}: {content[:300]}"
    if outcome.sees is not None:
        assert row.marker is not None, f"{where}: the row has no marker to look for"
        shown = row.marker(world) in content
        assert shown is outcome.sees, f"{where}: {row.marker(world)!r} {'missing' if outcome.sees else 'shown'}"
    if write:
        changed = changed_tables(before, table_fingerprints())
        if not outcome.allowed:
            assert changed == [], f"{where}: denied, yet it changed {changed}"
        else:
            changes = row.changes if outcome.changes is None else outcome.changes
            if changes is True:
                assert changed, f"{where}: allowed, yet it changed nothing ({response.status_code} {content[:300]})"
            elif changes is False:
                assert changed == [], f"{where}: it should change nothing, yet it changed {changed}"
