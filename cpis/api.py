"""The JSON API, mounted once under /api/v1/ with the router each app's
AppConfig declares (cpis.core.registry)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cpis.accounts.middleware import log_refused
from cpis.core.errors import DomainError
from cpis.core.http import retry_later
from cpis.core.registry import api_routers

api = NinjaAPI(
    title="CPIS API",
    version="1",
    description=(
        "Community Policing Information System. Public data needs no credentials; "
        "staff data needs the browser session or an API token."
    ),
    urls_namespace="api",
)
for prefix, router in api_routers():
    api.add_router(prefix, router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return retry_later(api.create_response(request, {"detail": str(exc)}, status=exc.status_code), exc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = [
        {"loc": list(error.get("loc", [])), "msg": error.get("msg", "")} for error in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    log_refused(request, exc)
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    log_refused(request, exc)
    return api.create_response(request, {"detail": str(exc) or _("You may not do this here.")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Sign in or send an API token.")}, status=401)
