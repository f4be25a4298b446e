"""Marks every view as public or guarded, so that a test can prove no URL
was left open by accident (tests/test_url_guards.py)."""

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., object])

ACCESS_ATTRIBUTE = "cpis_access"


def public(view: F) -> F:
    """Anyone may open this view; it shows public information only."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def mark_guarded(view: F, how: str) -> F:
    setattr(view, ACCESS_ATTRIBUTE, how)
    return view


@public
def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no templates."""
    return HttpResponse("ok", content_type="text/plain")


@public
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers too (503 with Retry-After if not)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response
    return HttpResponse("ok", content_type="text/plain")
