"""Authentication for the JSON API: the browser's session (with CSRF on
unsafe methods) or a bearer token; `public` lets anonymous callers through
to endpoints that serve public data."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from .services import authenticate_api_token


class TokenAuth(HttpBearer):
    openapi_description = "API token: `Authorization: Bearer cpis_…`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


class _Anonymous(AnonymousUser):
    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True


def public(request: HttpRequest) -> Any:
    """Anonymous access, unless the caller sent credentials that failed:
    a bad token gets 401 rather than silently reduced data."""
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    return _Anonymous()


session = SessionAuth()
token = TokenAuth()
STAFF = [session, token]
PUBLIC = [session, token, public]
