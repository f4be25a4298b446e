"""The data-protection officer's pages for data-subject requests: the
requests (open first, the overdue marked), a new request, and a request's
page, where the officer searches for the person, looks at or downloads what
is held, erases or restricts a record, and closes the request. Every change
is a POST; anyone else gets 404."""

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor
from cpis.core.errors import DomainError
from cpis.core.forms import as_input, form_page
from cpis.core.views import RecordPage, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..forms.requests import CloseForm, RecordStepForm, SubjectRequestForm
from ..models import StepKind, SubjectRequest
from ..selectors import requests as selectors
from ..services import requests as services


@staff_required
def request_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "privacy/requests.html",
        {
            "open_requests": selectors.list_open_requests(actor),
            "closed_requests": selectors.list_closed_requests(actor),
        },
    )


@staff_required
def request_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    selectors.require_officer(actor)
    return form_page(
        request,
        SubjectRequestForm(request.POST or None),
        lambda data: services.record_request(actor, data=as_input(services.RequestData, data)),
        success=lambda created: _("Request %(reference)s recorded; the answer is due by %(date)s.")
        % {"reference": created.reference, "date": date_format(created.due_by, "SHORT_DATE_FORMAT")},
        then=lambda created: reverse("privacy:request", args=[created.pk]),
        template="privacy/requests_new.html",
    )


def _context(request: ActorRequest, subject_request: SubjectRequest) -> dict[str, Any]:
    return {
        "subject_request": subject_request,
        "steps": selectors.list_steps(subject_request),
        "searched": selectors.latest_search(subject_request) is not None,
        "groups": selectors.found_groups(subject_request),
        "close_form": CloseForm(),
        "record_form": None,
        "shown": None,
        "step_kinds": StepKind,
    }


PAGE = RecordPage[SubjectRequest](
    "privacy:request", selectors.get_request, "privacy/requests_detail.html", _context
)

request_detail = staff_required(PAGE.view())


def _search(request: ActorRequest, actor: Actor, subject_request: SubjectRequest) -> HttpResponse:
    step = services.run_search(actor, subject_request=subject_request, http_request=request)
    return PAGE.done(request, subject_request, _("Search run: %(counts)s.") % {"counts": step.what})


def _record_step(
    run: Callable[..., object], success: str
) -> Callable[[ActorRequest, Actor, SubjectRequest], HttpResponse]:
    """A step on one record found, posted with its legal reason."""

    def handler(request: ActorRequest, actor: Actor, subject_request: SubjectRequest) -> HttpResponse:
        form = RecordStepForm(request.POST)
        if not form.is_valid():
            return PAGE.invalid(request, subject_request, record_form=form)
        said = run(actor, subject_request=subject_request, **form.cleaned_data)
        return PAGE.done(request, subject_request, said if isinstance(said, str) else success)

    return handler


def _close(request: ActorRequest, actor: Actor, subject_request: SubjectRequest) -> HttpResponse:
    form = CloseForm(request.POST)
    if not form.is_valid():
        return PAGE.invalid(request, subject_request, close_form=form)
    services.close_request(actor, subject_request=subject_request, **form.cleaned_data)
    return PAGE.done(request, subject_request, _("Request closed."))


ACTIONS: dict[str, Callable[[ActorRequest, Actor, SubjectRequest], HttpResponse]] = {
    "search": _search,
    "erase": _record_step(services.erase_record, ""),
    "restrict": _record_step(
        services.restrict_record, _("Processing restricted: the record is kept but not shown.")
    ),
    "lift": _record_step(services.lift_record_restriction, _("Restriction lifted.")),
    "close": _close,
}

request_act = staff_required(require_POST(PAGE.act_view(ACTIONS)))


def _text(value: object) -> str:
    """A value of an export as the page shows it, in the reader's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(localize(value))


def _readable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The export's records as the page lists them: each section a list of
    items, each item (label, text) pairs."""
    readable = []
    for record in records:
        sections = []
        for title, content in record["data"].items():
            items = content if isinstance(content, list) else [content]
            sections.append(
                {
                    "title": title,
                    "items": [[(label, _text(v)) for label, v in item.items()] for item in items],
                }
            )
        restriction = [(label, _text(v)) for label, v in (record["restriction"] or {}).items()]
        readable.append({**record, "sections": sections, "restriction": restriction})
    return readable


def _show(request: ActorRequest, subject_request: SubjectRequest) -> HttpResponse:
    """The page with the data of every record found: a look, logged."""
    data = _exported(request, subject_request, download=False)
    if isinstance(data, HttpResponse):
        return data
    return PAGE.show(request, subject_request, shown=_readable(data["records"]))


def _exported(
    request: ActorRequest, subject_request: SubjectRequest, *, download: bool
) -> dict[str, Any] | HttpResponse:
    try:
        return services.export_found(
            request.actor, subject_request=subject_request, http_request=request, download=download
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("privacy:request", args=[subject_request.pk]))


def _download(request: ActorRequest, subject_request: SubjectRequest) -> HttpResponse:
    """Everything held about the person as a JSON file (never cached: core's NoStoreMiddleware)."""
    data = _exported(request, subject_request, download=True)
    if isinstance(data, HttpResponse):
        return data
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{subject_request.reference}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _on_request(view: Callable[[ActorRequest, SubjectRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    return staff_required(require_POST(fresh_second_factor(on_record(selectors.get_request)(view))))


# The person's data: a POST, with a fresh second factor, each record read logged.
request_show = _on_request(_show)
request_export = _on_request(_download)
