"""Open311 GeoReport v2 (frozen specification) at /open311/v2/: discovery,
services, service definitions, POST requests with an api_key, GET requests
and tokens, in XML and JSON. Our statuses map to open/closed plus
status_notes; no response ever carries personal fields or the reporter's
words (the description is the summary an officer approved), points are
the centres of 200 m cells, and sensitive categories have no place at all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cpis.accounts.services import authenticate_api_token
from cpis.concerns import selectors, services
from cpis.core import idempotency
from cpis.core.anonymous_places import snap
from cpis.core.api import MAX_OFFSET
from cpis.core.errors import DomainError
from cpis.core.http import retry_later
from cpis.core.periods import within_years
from cpis.core.views import public
from cpis.organisation.access import Actor

if TYPE_CHECKING:
    from cpis.concerns.models import Concern

from . import spec
from .render import errors, respond, w3c

MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000
SPEC = "http://wiki.open311.org/GeoReport_v2"


def _check_format(fmt: str) -> HttpResponse | None:
    if fmt not in {"xml", "json"}:
        return errors("xml", 400, _("The format must be xml or json."))
    return None


def _check_jurisdiction(request: HttpRequest, fmt: str) -> HttpResponse | None:
    # One jurisdiction here: the argument is optional, but a wrong one is 404.
    value = (request.POST if request.method == "POST" else request.GET).get("jurisdiction_id", "")
    if value and value != settings.OPEN311_JURISDICTION:
        return errors(fmt, 404, _("Unknown jurisdiction_id."))
    return None


def _guard(request: HttpRequest, fmt: str) -> HttpResponse | None:
    return _check_format(fmt) or _check_jurisdiction(request, fmt)


@public
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if problem := _check_format(fmt):
        return problem
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": settings.OPEN311_CHANGESET,
        "contact": _("Kosovo Police, Directorate of Community Policing and Crime Prevention"),
        "key_service": _(
            "Ask the Kosovo Police for an API key; administrators issue it with `cpis create_api_token`."
        ),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": settings.OPEN311_CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", None, data)


@public
def openapi(request: HttpRequest) -> HttpResponse:
    """This API described in OpenAPI 3.1 (cpis.open311.spec)."""
    return JsonResponse(spec.document(settings.OPEN311_CHANGESET), json_dumps_params={"ensure_ascii": False})


def _service(category: Any) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": False,
        "type": "realtime",
        "keywords": None,
        "group": None,
    }


@public
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if problem := _guard(request, fmt):
        return problem
    return respond(fmt, "services", "service", [_service(c) for c in selectors.list_categories()])


@public
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if problem := _guard(request, fmt):
        return problem
    if not selectors.list_categories().filter(code=code).exists():
        return errors(fmt, 404, _("Unknown service_code."))
    # Our services need no extra attributes (metadata=false): an empty list.
    return respond(fmt, "service_definition", None, {"service_code": code, "attributes": []})


def _request_data(request: HttpRequest, concern: Concern) -> dict[str, Any]:
    """A request as anyone may read it: the summary an officer approved (never
    the reporter's words), the centre of its 200 m cell (never the exact
    point), the sector as its address, no contact; sensitive categories with
    no place at all; the photo only once the officer published it."""
    sensitive = concern.category.is_sensitive
    shown = concern.is_public
    lat = lon = None
    if not sensitive and concern.lat is not None and concern.lon is not None:
        lat, lon = snap(concern.lat, concern.lon)
    media_url = None
    if shown and concern.photo_is_public and concern.photo:
        media_url = request.build_absolute_uri(reverse("concerns_public:photo", args=[concern.reference]))
    return {
        "service_request_id": concern.reference,
        "status": "open" if concern.is_open else "closed",
        # Our status's name: replies and reasons were written to the reporter, not for publication.
        "status_notes": concern.get_status_display(),
        "service_name": concern.category.name,
        "service_code": concern.category.code,
        "description": concern.public_summary if shown else None,
        "agency_responsible": concern.unit.name,
        "service_notice": None,
        "requested_datetime": w3c(concern.created_at),
        "updated_datetime": w3c(concern.closed_at or concern.updated_at),
        "expected_datetime": w3c(concern.due_at) if concern.is_open else None,
        "address": None if sensitive or concern.sector is None else concern.sector.name,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": media_url,
    }


def _parse_date(value: str) -> datetime | None:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _in_utc(moment: datetime | None) -> datetime | None:
    """A requested date-time in the years CPIS knows (ValueError otherwise), in UTC:
    a W3C offset may reach ±23:59, PostgreSQL takes no more than ±15:59."""
    return None if moment is None else within_years(moment).astimezone(UTC)


@public
@csrf_exempt  # machine clients authenticate with api_key, not cookies
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if problem := _guard(request, fmt):
        return problem
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return errors(fmt, 400, _("Use GET or POST."))
    query = request.GET
    ids = [
        i.strip().upper().replace("-", "")
        for i in query.get("service_request_id", "").split(",")
        if i.strip()
    ]
    try:
        start = _parse_date(query["start_date"]) if query.get("start_date") else None
        end = _parse_date(query["end_date"]) if query.get("end_date") else None
        page = int(query.get("page") or 1)
        page_size = int(query.get("page_size") or MAX_RESULTS)
    except (ValueError, TypeError):
        return errors(fmt, 400, _("Dates must be W3C date-times with a time zone, pages whole numbers."))
    try:
        start, end = _in_utc(start), _in_utc(end)
    except ValueError as exc:
        return errors(fmt, 400, str(exc))
    if not ids:
        start, end = _window(start, end)
        if end - start > MAX_SPAN:
            return errors(fmt, 400, _("The date range may not span more than 90 days."))
    statuses = {s.strip() for s in query.get("status", "").split(",") if s.strip()} or None
    if statuses and not statuses <= {"open", "closed"}:
        return errors(fmt, 400, _("The status must be open, closed or both."))
    codes = [c.strip() for c in query.get("service_code", "").split(",") if c.strip()] or None
    page_size = max(1, min(page_size, MAX_RESULTS))
    offset = (max(page, 1) - 1) * page_size
    if offset > MAX_OFFSET:
        last = MAX_OFFSET // page_size + 1
        return errors(fmt, 400, _("The page may be at most %(last)s.") % {"last": last})
    concerns = selectors.list_published(
        references=ids, category_codes=codes, start=start, end=end, statuses=statuses
    )
    return respond(
        fmt,
        "service_requests",
        "request",
        [_request_data(request, c) for c in concerns[offset : offset + page_size]],
    )


@public
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if problem := _guard(request, fmt):
        return problem
    concern = selectors.list_published(references=[request_id.upper().replace("-", "")]).first()
    if concern is None:
        return errors(fmt, 404, _("Unknown service_request_id."))
    return respond(fmt, "service_requests", "request", [_request_data(request, concern)])


@public
def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    if problem := _guard(request, fmt):
        return problem
    # Keys are each client's own, so two clients' requests may share a token: all are listed.
    found = [
        {"service_request_id": concern.reference, "token": token_id}
        for concern in selectors.list_by_submission_token(token_id)
    ]
    if not found:
        return errors(fmt, 404, _("Unknown token."))
    return respond(fmt, "service_requests", "request", found)


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The requested date range; a missing end is 90 days from the other
    one, and no dates at all means the last 90 days."""
    if start is not None and end is not None:
        return start, end
    if start is not None:
        return start, start + MAX_SPAN
    end = end or timezone.now()
    return end - MAX_SPAN, end


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    user = authenticate_api_token(data.get("api_key", ""))
    if user is None:
        return errors(fmt, 403, _("Invalid api_key received -- can't proceed with create_request."))
    code = data.get("service_code", "").strip()
    if not code:
        return errors(fmt, 400, _("service_code is required."))
    if not selectors.list_categories().filter(code=code).exists():
        return errors(fmt, 404, _("Unknown service_code."))
    try:
        lat, lon = _float(data.get("lat", "")), _float(data.get("long", ""))
    except ValueError:
        return errors(fmt, 400, _("lat and long must be numbers."))
    address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
    if lat is None and lon is None and not address:
        return errors(fmt, 400, _("A location is required: lat and long, or address_string, or address_id."))
    description = data.get("description", "")
    if len(description) > 4000:
        return errors(fmt, 400, _("description may hold at most 4,000 characters."))
    language = translation.get_language_from_request(request)
    name = " ".join(part for part in (data.get("first_name", ""), data.get("last_name", "")) if part).strip()
    # A client that retries sends an Idempotency-Key (also the request's Open311
    # token): a retry with the same key never creates a second concern. Keys are
    # each client's own (the API key's user): another client's same key is its
    # own new request, never a replay of this one nor refused because of it. Without
    # one, every post is a new request: two citizens may well report the same
    # thing in the same words, and must not be merged into one.
    client_key = idempotency.header_key(request)[:80] or uuid.uuid4().hex
    try:
        result = services.submit_concern(
            Actor.for_user(user),
            category_code=code,
            description=description,
            language=language,
            channel="open311",
            idempotency_key=f"open311:{client_key}",
            lat=lat,
            lon=lon,
            place_text=address[:200],
            reporter_name=name[:200],
            reporter_email=data.get("email", "").strip(),
            reporter_phone=data.get("phone", "").strip(),
        )
    except DomainError as exc:
        # A key reused for another request (422), or still being processed (409).
        return retry_later(
            errors(fmt, exc.status_code if exc.status_code in (409, 422) else 400, str(exc)), exc
        )
    body = [{"service_request_id": result.concern.reference, "service_notice": None, "account_id": None}]
    return respond(fmt, "service_requests", "request", body, status=200 if result.replayed else 201)
