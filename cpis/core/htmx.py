"""One view, one template: a full page, or its partial for an htmx swap."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The partial for an htmx request; the whole page otherwise, including
    when htmx restores history (its cache missed and it needs the page)."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Caches must keep the fragment and the page apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response
