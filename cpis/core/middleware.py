"""Headers every response gets.

Content Security Policy: scripts, styles and connections from this site
only, images also from the map tile server. A policy stops an injected
script even where escaping was missed. The Django admin and the API docs
use inline styles, so they get style-src 'unsafe-inline' (never scripts).

No store: what a signed-in user, an API token or a session with data in it
is answered may hold personal data (a reporter's contact, a complaint, an
export), and the answer to a submission may hold a tracking code, so no
browser cache or proxy keeps them."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

RELAXED_STYLE_PREFIXES = ("/admin/", "/api/v1/docs")


def _policy(style_src: str) -> str:
    tiles = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    tile_origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.scheme and tiles.netloc else ""
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": style_src,
        "img-src": f"'self' data: {tile_origin}".strip(),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.strict = _policy("'self'")
        self.relaxed = _policy("'self' 'unsafe-inline'")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        relaxed = request.path.startswith(RELAXED_STYLE_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", self.relaxed if relaxed else self.strict)
        return response


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _may_be_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _may_be_personal(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.headers.get("Authorization"):
        return True
    session = getattr(request, "session", None)
    return session is not None and session.accessed and not session.is_empty()
