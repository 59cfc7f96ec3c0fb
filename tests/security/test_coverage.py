"""The matrix covers the whole URLconf: a route without a row, or a row without a route, fails here."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from tests.security.matrix import ADMIN_MODELS, admin_registered, all_rows
from tests.security.world import ROLES

METHODS = ("get", "post", "put", "patch", "delete")


def routes(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern of the project with its key: "namespace:name", or its whole pattern when it has no name.

    Included URLconfs are walked too: the admin's (with each registered model's), the API's and i18n's. A language
    prefix (``i18n_patterns``) is written "<language>/", so a route has one key whatever the active language.
    """
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            step = "<language>/" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            yield from routes(pattern, prefix + step, inner or namespace)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern
        else:
            yield prefix + str(pattern.pattern), pattern


def _describe(key: str, pattern: URLPattern) -> str:
    view = pattern.callback
    target = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    return f"{key} -> {target.__module__}.{getattr(target, '__qualname__', target)}"


def test_every_route_has_a_row_in_the_matrix():
    """A new view fails here until the matrix says what every role gets from it (tests/security/matrix.py)."""
    covered = {row.route for row in all_rows()}
    missing = sorted(_describe(key, pattern) for key, pattern in routes() if key not in covered)
    assert missing == [], "Routes without a row in tests/security/matrix.py:\n" + "\n".join(missing)


def test_every_row_names_a_route_that_exists():
    known = {key for key, _pattern in routes()}
    stale = sorted({row.route for row in all_rows()} - known)
    assert stale == [], f"Rows for routes the URLconf no longer has: {stale}"


def test_every_row_says_what_every_role_gets():
    incomplete = [row.label for row in all_rows() if set(row.expect) != set(ROLES)]
    assert incomplete == []


def test_every_model_in_the_admin_is_in_the_admins_table():
    """A model registered in the admin needs a line in ADMIN_MODELS: what a superuser may do, and which object."""
    registered = set(admin_registered())
    assert registered - set(ADMIN_MODELS) == set(), "registered in the admin, missing from ADMIN_MODELS"
    assert set(ADMIN_MODELS) - registered == set(), "in ADMIN_MODELS, no longer registered in the admin"


def test_every_method_a_class_based_view_answers_has_a_row():
    """DRF and Django class-based views say which methods they answer: each one needs its row.

    Function views (the storefront's, decorated with require_GET/require_POST) do not say; their rows were
    written from the decorators. The admin's generated views are covered per model by ADMIN_MODELS.
    """
    rows: dict[str, set[str]] = {}
    for row in all_rows():
        rows.setdefault(row.route, set()).add(row.method)
    missing = []
    for key, pattern in routes():
        view_class = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        if view_class is None or key.startswith("admin"):
            continue
        answered = {
            method.upper()
            for method in METHODS
            if hasattr(view_class, method) and method in getattr(view_class, "http_method_names", METHODS)
        }
        missing += [f"{method} {key}" for method in sorted(answered - rows.get(key, set()))]
    assert missing == [], f"Methods without a row: {missing}"
