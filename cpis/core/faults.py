"""What the site answers when something beneath it fails.

Django's handler500 runs inside the `except` that caught the error, so it
can tell a database that is gone or locked (an outage: 503 with
Retry-After, try again) from a fault in the code (500). API and Open311
clients get JSON (or Open311's XML errors); people get a page in the three
languages, rendered without touching the database or the session."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

# Connection refused or dropped, server shutting down, SQLite's "database is locked".
OUTAGES = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
MACHINE_PREFIXES = ("/api/", "/open311/")


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
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                f"<errors><error><code>{status}</code><description>{escape(detail)}</description></error></errors>"
            )
            response: HttpResponse = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
        else:
            response = JsonResponse({"detail": detail}, status=status)
    else:
        page = loader.get_template("503.html" if outage else "500.html").render()
        response = HttpResponse(page, status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
