"""What the site answers when something beneath it fails, and when a request
is one no view should see.

Django's handler500 runs inside the `except` that caught the error, so it
can tell a database that is gone or locked (an outage: 503 with
Retry-After, try again) from a fault in the code (500). API and Open311
clients get JSON (or Open311's XML errors); people get a page in the three
languages, rendered without touching the database or the session.

A bad request (handler400: a NUL character refused at the door, too many
fields, a body too large) is answered in the caller's format: `{"detail"}`
to the API, Open311's own list of errors to Open311 clients, a page in the
visitor's language to people."""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

# Connection refused or dropped, server shutting down, SQLite's "database is locked".
OUTAGES = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
MACHINE_PREFIXES = ("/api/", "/open311/")
OPEN311_PREFIX = "/open311/"


def _open311_errors(fmt: str, status: int, description: str) -> HttpResponse:
    """GeoReport v2's errors (cpis.open311.render.errors), which the kernel
    writes itself because it imports no app: XML, or a list in JSON."""
    if fmt == "json":
        body = json.dumps([{"code": status, "description": description}], ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<errors><error><code>{status}</code><description>{escape(description)}</description></error></errors>"
    )
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    outage = isinstance(sys.exc_info()[1], OUTAGES)
    status = 503 if outage else 500
    if request.path.startswith(MACHINE_PREFIXES):
        detail = (
            _("The service is briefly unavailable. Try again in a moment.")
            if outage
            else _("Something went wrong on our side.")
        )
        if request.path.endswith(".xml"):
            response = _open311_errors("xml", status, detail)
        else:
            response = JsonResponse({"detail": detail}, status=status)
    else:
        page = loader.get_template("503.html" if outage else "500.html").render()
        response = HttpResponse(page, status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(
    request: HttpRequest, exception: Exception | None = None, *, detail: str = ""
) -> HttpResponse:
    """400 in the caller's format, saying `detail` (by default that the request is
    not valid). Open311 answers XML unless the path asks for JSON, as its views do."""
    detail = detail or _("The request is not valid.")
    if request.path.startswith(OPEN311_PREFIX):
        return _open311_errors("json" if request.path.endswith(".json") else "xml", 400, detail)
    if request.path.startswith(MACHINE_PREFIXES):
        return JsonResponse({"detail": detail}, status=400)
    return render(request, "400.html", {"detail": detail}, status=400)
