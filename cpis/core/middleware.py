"""Headers every response gets.

Content Security Policy: scripts, styles and connections from this site
only, images also from the map tile server. A policy stops an injected
script even where escaping was missed. The Django admin and the API docs
use inline styles, so they get style-src 'unsafe-inline' (never scripts).

No store: what a signed-in user, an API token or a session with data in it
is answered may hold personal data (a reporter's contact, a complaint, an
export), and the answer to a submission may hold a tracking code, so no
browser cache or proxy keeps them.

No NUL: PostgreSQL can neither store nor compare a string that holds a NUL
character, and no person types one, so a request that carries one where a
view could read it (its path, a query parameter's name or value, a form
field, a string in a JSON body) is refused before any view runs: a 400 in
the caller's format (`faults.bad_request`), rather than a 500 from whichever
query it reached first. Uploaded files are not read: their bytes are theirs."""

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import faults

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


NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# How a JSON string spells a NUL (unless the backslash is itself escaped).
JSON_NUL_ESCAPE = b"\\u0000"


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            return faults.bad_request(request, detail=_("The text contains characters that are not allowed."))
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if NUL in request.path or _any_nul(request.GET.lists()):
        return True
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        # request.POST holds the fields; the files it parses are left unread.
        return _any_nul(request.POST.lists())
    if content_type == "application/json" or content_type.endswith("+json"):
        # request.body is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (a larger one is a 400),
        # and kept for the view that parses it next.
        return _json_carries_nul(request.body)
    return False


def _any_nul(lists: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in name or any(NUL in value for value in values) for name, values in lists)


def _json_carries_nul(body: bytes) -> bool:
    if b"\x00" in body:
        return True
    if JSON_NUL_ESCAPE not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return True  # not JSON, which the view would refuse too: refused here for its NUL
    return _holds_nul(document)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(NUL in key or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
