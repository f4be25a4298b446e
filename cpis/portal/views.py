"""Public pages: what a citizen sees, in their language, without signing in."""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cpis.complaints import selectors as complaint_selectors
from cpis.complaints import services as complaint_services
from cpis.complaints.forms import ComplaintForm
from cpis.concerns import selectors as concern_selectors
from cpis.concerns import services as concern_services
from cpis.concerns.forms import submission_fields
from cpis.core import pow, ratelimit, tracking
from cpis.core.errors import DomainError
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import client_ip, retry_later
from cpis.core.views import public
from cpis.organisation import selectors as organisation
from cpis.organisation.access import ActorRequest

from .forms import FollowUpForm, LocateForm, PlaceSearchForm, ReportForm, TrackForm

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


@public
def home(request: ActorRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"form": PlaceSearchForm()})


@public
def find_sector(request: ActorRequest) -> HttpResponse:
    """Find your sector team (2.4.7): type a place or click the map."""
    form = PlaceSearchForm(request.GET or None)
    places = organisation.search_places(form.cleaned_data["q"]) if form.is_valid() else []
    context = {"form": form, "places": places, "searched": form.is_bound}
    template = template_for(request, "portal/find_sector.html", "results")
    return vary_on_htmx(render(request, template, context))


@public
def locate_sector(request: ActorRequest) -> HttpResponse:
    """The sector and team for a clicked point (an htmx fragment, or the
    whole page when opened directly)."""
    form = LocateForm(request.GET)
    context: dict[str, object] = {"form": PlaceSearchForm(), "located": True}
    status = 200
    if not form.is_valid():
        context["error"] = _("The point is not valid. Click inside Kosovo on the map.")
        status = 400
    else:
        sector = organisation.locate_sector(lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])
        if sector is None:
            context["error"] = _("No sector covers this point. Click inside Kosovo on the map.")
        else:
            context["sector"] = sector
            context["station"] = organisation.station_of(sector)
            context["team"] = organisation.get_sector_team(sector, public=True)
    template = template_for(request, "portal/find_sector.html", "team")
    return vary_on_htmx(render(request, template, context, status=status))


@public
def sector_detail(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The public page of one sector: its area, station and team."""
    sector = organisation.get_public_sector(sector_id)
    return render(
        request,
        "portal/sector_detail.html",
        {
            "sector": sector,
            "station": organisation.station_of(sector),
            "team": organisation.get_sector_team(sector, public=True),
        },
    )


# --- report a concern, follow it -------------------------------------------------------

TRACKED_SESSION_KEY = "tracked_concerns"
TRACKED_COMPLAINTS_KEY = "tracked_complaints"


def _gate(request: ActorRequest, form: forms.Form, proof: str) -> int:
    """The checks every anonymous submission passes: the per-client limit
    (429) and, when the browser solved one, a valid unspent proof of work
    (400). Returns the refusal status with an error on the form, or 0."""
    if not ratelimit.hit(
        "submit", client_ip(request), limit=settings.SUBMISSION_LIMIT_PER_HOUR, window_seconds=3600
    ):
        form.add_error(None, _("Too many reports from your connection. Try again in an hour, or call 192."))
        return 429
    if proof and not pow.verify(proof):
        form.add_error(None, _("The security check failed. Reload the page and send the form again."))
        return 400
    return 0


def _submission_page(
    request: ActorRequest,
    form: forms.Form,
    template: str,
    save: Callable[[dict[str, Any]], T],
    *,
    status_of: Callable[[DomainError], int] = lambda exc: exc.status_code,
) -> T | HttpResponse:
    """A citizen's submission from the portal: the form, the gate (rate limit,
    proof of work) and the service that records it under the page's one-time
    submission key. Returns what the service recorded, or the form page again
    with the reason (and the status `status_of` gives a broken rule)."""
    status, refused_by = 400, None
    if request.method == "POST" and form.is_valid():
        if refused := _gate(request, form, form.cleaned_data["pow"]):
            status = refused
        else:
            try:
                return save(form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
                status, refused_by = status_of(exc), exc
    context = {"form": form, "pow_challenge": pow.new_challenge()}
    response = render(request, template, context, status=status if request.method == "POST" else 200)
    return retry_later(response, refused_by) if refused_by and status == 409 else response


def _fresh(form_class: type[F]) -> F:
    """An empty form with its one-time submission key."""
    return form_class(initial={"submission_key": uuid.uuid4().hex, "language": get_language()})


def _report_status(exc: DomainError) -> int:
    # A report refused for any reason but a submission still in flight answers 400.
    return 409 if isinstance(exc, concern_services.SubmissionInProgress) else 400


@public
def report(request: ActorRequest) -> HttpResponse:
    """Report a concern: phone first, anonymous unless the citizen leaves a
    contact. The page carries a one-time submission key, so a double click
    or a retried POST gives the same tracking code, never a second concern."""
    form = ReportForm(request.POST, request.FILES) if request.method == "POST" else _fresh(ReportForm)
    submission = _submission_page(
        request,
        form,
        "portal/report.html",
        lambda data: concern_services.submit_concern(
            request.actor,
            **submission_fields(data),
            channel="web",
            idempotency_key=f"web:{data['submission_key']}",
            photo=data["photo"].read() if data["photo"] else None,
            text_language=get_language(),
            unverified=not data["pow"],
        ),
        status_of=_report_status,
    )
    if isinstance(submission, HttpResponse):
        return submission
    _remember(request, submission.concern.pk)
    return render(
        request, "portal/report_done.html", {"code": submission.tracking_code, "concern": submission.concern}
    )


def _remember(request: ActorRequest, record_id: int, *, key: str = TRACKED_SESSION_KEY) -> None:
    """This browser opened the record with its code (or just submitted it)."""
    tracked = [i for i in request.session.get(key, []) if i != record_id]
    request.session[key] = [record_id, *tracked][:10]


@public
def track(request: ActorRequest) -> HttpResponse:
    """Open a concern or a complaint with its tracking code. The code travels
    in the POST body only, never in a URL."""
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = tracking.open_code(
                form.cleaned_data["code"],
                client=client_ip(request),
                loaders={
                    concern_services.TRACKING_NAMESPACE: concern_selectors.load_by_reference,
                    complaint_services.TRACKING_NAMESPACE: complaint_selectors.load_by_reference,
                },
            )
        except tracking.TrackingLimited:
            form.add_error(None, _("Too many attempts. Try again in an hour."))
            status = 429
        else:
            if found is not None:
                namespace, record = found
                if namespace == complaint_services.TRACKING_NAMESPACE:
                    _remember(request, record.pk, key=TRACKED_COMPLAINTS_KEY)
                    return redirect("portal:tracked_complaint", complaint_id=record.pk)
                _remember(request, record.pk)
                return redirect("portal:tracked", concern_id=record.pk)
            form.add_error("code", _("No concern matches this code. Check it and try again."))
            status = 404
    return render(request, "portal/track.html", {"form": form}, status=status)


@public
def tracked(request: ActorRequest, concern_id: int) -> HttpResponse:
    """The status, public history and replies of a concern this browser
    opened with its code; the citizen may add information anonymously."""
    if concern_id not in request.session.get(TRACKED_SESSION_KEY, []):
        return redirect("portal:track")
    concern = concern_selectors.get_tracked_concern(concern_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_services.add_citizen_message(concern=concern, text=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Thank you. Your message has been added."))
            return redirect("portal:tracked", concern_id=concern.pk)
    return render(
        request, "portal/tracked.html", {"status": concern_selectors.public_status(concern), "form": form}
    )


@public
def complaint(request: ActorRequest) -> HttpResponse:
    """Complain about police conduct: from the same front door, to
    professional standards only."""
    form = ComplaintForm(request.POST) if request.method == "POST" else _fresh(ComplaintForm)
    submission = _submission_page(
        request,
        form,
        "portal/complaint.html",
        lambda data: complaint_services.submit_complaint(
            description=data["description"],
            language=data["language"],
            idempotency_key=f"complaint:{data['submission_key']}",
            incident_date=data["incident_date"],
            incident_place=data["incident_place"],
            officer_description=data["officer_description"],
            unit=data["unit"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
        ),
    )
    if isinstance(submission, HttpResponse):
        return submission
    _remember(request, submission.complaint.pk, key=TRACKED_COMPLAINTS_KEY)
    return render(request, "portal/complaint_done.html", {"code": submission.tracking_code})


@public
def tracked_complaint(request: ActorRequest, complaint_id: int) -> HttpResponse:
    if complaint_id not in request.session.get(TRACKED_COMPLAINTS_KEY, []):
        return redirect("portal:track")
    record = complaint_selectors.load_by_id(complaint_id)
    return render(request, "portal/tracked_complaint.html", {"complaint": record})
