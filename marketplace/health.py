"""Health checks for load balancers and monitors; also the baselines `make bench` measures against."""

from django.db import connection
from django.http import HttpRequest, HttpResponse


def alive(request: HttpRequest) -> HttpResponse:
    """The process answers: a plain Django view, no database."""
    return HttpResponse("ok", content_type="text/plain")


def database(request: HttpRequest) -> HttpResponse:
    """The process reaches PostgreSQL: one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
