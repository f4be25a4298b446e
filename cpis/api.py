"""The JSON API, mounted once under /api/v1/ with one router per app."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from cpis.analytics.api import router as analytics_router
from cpis.concerns.api import router as concerns_router
from cpis.core.errors import DomainError
from cpis.forums.api import router as forums_router
from cpis.incidents.api import router as incidents_router
from cpis.organisation.api import router as organisation_router
from cpis.outreach.api import router as outreach_router
from cpis.partners.api import router as partners_router
from cpis.reporting.api import router as reporting_router
from cpis.training.api import router as training_router

api = NinjaAPI(
    title="CPIS API",
    version="1",
    description=(
        "Community Policing Information System. Public data needs no credentials; "
        "staff data needs the browser session or an API token."
    ),
    urls_namespace="api",
)
api.add_router("/", organisation_router)
api.add_router("/concerns", concerns_router)
api.add_router("/forums", forums_router)
api.add_router("/partners", partners_router)
api.add_router("/outreach", outreach_router)
api.add_router("/training", training_router)
api.add_router("/reports", reporting_router)
api.add_router("/incidents", incidents_router)
api.add_router("/analytics", analytics_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("You may not do this here.")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Sign in or send an API token.")}, status=401)
