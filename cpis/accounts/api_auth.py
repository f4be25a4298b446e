"""Authentication for the JSON API: the browser's session (with CSRF on
unsafe methods, and its second factor given) or a bearer token; `public`
lets anonymous callers through to endpoints that serve public data.

A token asks for no second factor: tokens are issued by an administrator
(`cpis create_api_token`) to an application, not typed by a person, are
stored as digests and can be revoked (docs/decisions/0013)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from . import selectors
from .services import authenticate_api_token


class SessionAuth(NinjaSessionAuth):
    """The browser's session, with CSRF on unsafe methods; a request without
    a session cookie is simply not this kind of client (so it gets 401, not
    a CSRF error)."""

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        # A session that still owes its second factor is not signed in here either.
        if selectors.owes_second_factor(request) is not None:
            return None
        return super().authenticate(request, key)


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
# The token first: SessionAuth checks CSRF before it looks for a session, so
# a token client (which sends no CSRF cookie) must be recognised before it.
STAFF = [token, session]
PUBLIC = [token, session, public]
