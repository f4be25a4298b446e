"""Report a concern and follow it; the complaint form, its information page and
following a complaint."""

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
from cpis.core.http import client_ip, retry_later
from cpis.core.views import public
from cpis.organisation.access import ActorRequest

from ..forms import FollowUpForm, ReportForm, TrackForm

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


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
    context: dict[str, Any] | None = None,
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
    context = {**(context or {}), "form": form, "pow_challenge": pow.new_challenge()}
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
    status = concern_selectors.public_status(concern)
    # The code's holder may answer "is it resolved?" here too, e-mail or not.
    answer = concern_services.answer_token(concern) if status["asks_if_resolved"] else ""
    return render(request, "portal/tracked.html", {"status": status, "form": form, "answer_token": answer})


def _complaint_terms() -> dict[str, Any]:
    """What the strategy promises a complainant [2.3.5, 2.3.6]: the deadlines the
    complaint's clocks keep and the independent Police Inspectorate's contact."""
    return {
        "acknowledge_days": settings.COMPLAINT_ACKNOWLEDGE_DAYS,
        "decision_days": settings.COMPLAINT_DECISION_DAYS,
        "inspectorate": {**INSPECTORATE, **getattr(settings, "POLICE_INSPECTORATE", {})},
    }


# The Police Inspectorate of Kosovo (an executive agency of the Ministry of Internal
# Affairs, independent of the police): its website, and the phone and address of its
# complaints leaflet — to be confirmed with the Inspectorate before going live; a
# deployment corrects them with settings.POLICE_INSPECTORATE (same keys).
INSPECTORATE = {
    "website": "https://ipk.rks-gov.net",
    "phone": "+383 38 552 194",
    "address": "Rr. Lidhja e Pejës, Fushë Kosovë",
}


@public
def complaints_info(request: ActorRequest) -> HttpResponse:
    """How a complaint about the police is handled, in the citizen's language
    [2.3.5]: who sees it, the deadlines, the outcome, and the independent
    Police Inspectorate."""
    return render(request, "portal/complaints_info.html", _complaint_terms())


@public
def complaint(request: ActorRequest) -> HttpResponse:
    """Complain about police conduct: from the same front door, to
    professional standards only. A proof of work the browser solved must be
    valid; a complaint sent without one (no JavaScript) is recorded all the
    same and marked for professional standards (decision record 0008: nothing
    a citizen sends is refused for it), and the page says where else to complain."""
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
            without_proof=not data["pow"],
        ),
        context=_complaint_terms(),
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
