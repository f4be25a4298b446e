"""Study visits: the list with the form to record one, a visit's page with
its participants, report and edit form, and the report as a download."""

from collections.abc import Callable

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.core.uploads import read_upload
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import BadgesForm, ReportForm, VisitForm
from ..models import StudyVisit
from .common import posted_id, require_manage, run_step


def _visit_url(visit: StudyVisit) -> str:
    return reverse("training:visit", args=[visit.pk])


@staff_required
def visits(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        require_manage(actor)
    return form_page(
        request,
        VisitForm(request.POST or None),
        lambda data: services.create_visit(actor, **data),
        success=_("Study visit saved. Add its participants and report."),
        then=_visit_url,
        template="training/visits.html",
        context={"visits": selectors.list_visits(actor), "can_manage": selectors.can_manage(actor)},
    )


def _visit_edit(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = VisitForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Fill in the country, the dates and the purpose."))
    services.update_visit(actor, visit=visit, **form.cleaned_data)
    messages.success(request, _("Changes saved."))
    return redirect(_visit_url(visit))


def _visit_participants(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = BadgesForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Enter at least one badge number."))
    added = services.add_visit_participants(
        actor, visit=visit, badge_numbers=services.parse_badges(form.cleaned_data["badges"])
    )
    messages.success(request, _("%(count)s participants added.") % {"count": added})
    return redirect(_visit_url(visit))


def _visit_remove(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    services.remove_visit_participant(actor, visit=visit, officer_id=posted_id(request, "officer"))
    messages.success(request, _("Participant removed."))
    return redirect(_visit_url(visit))


def _visit_report(request: ActorRequest, actor: Actor, visit: StudyVisit) -> HttpResponse:
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise services.InvalidInput(_("Choose the report's PDF file."))
    services.upload_visit_report(actor, visit=visit, upload=read_upload(form.cleaned_data["report"]))
    messages.success(request, _("Report uploaded."))
    return redirect(_visit_url(visit))


VISIT_ACTIONS: dict[str, Callable[[ActorRequest, Actor, StudyVisit], HttpResponse]] = {
    "edit": _visit_edit,
    "participants": _visit_participants,
    "remove": _visit_remove,
    "report": _visit_report,
}


@staff_required
def visit(request: ActorRequest, visit_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.get_visit(actor, visit_id)
    if request.method == "POST":
        require_manage(actor)
        return run_step(request, VISIT_ACTIONS, record, _visit_url)
    can_manage = selectors.can_manage(actor)
    initial = model_to_dict(record, fields=list(VisitForm.base_fields))
    context = {
        "visit": record,
        "can_manage": can_manage,
        "participants": selectors.get_visit_participants(actor, record, request=request)
        if can_manage
        else None,
        "form": VisitForm(initial=initial) if can_manage else None,
        "badges_form": BadgesForm() if can_manage else None,
        "report_form": ReportForm() if can_manage else None,
    }
    return render(request, "training/visit.html", context)


@staff_required
def visit_report(request: ActorRequest, visit_id: int) -> FileResponse:
    """The report, always as a download, never sniffed into something else."""
    record = selectors.get_visit(request.actor, visit_id)
    if not record.report:
        raise Http404(_("Not found."))
    response = FileResponse(
        record.report.open("rb"), as_attachment=True, filename=record.report_name or "report.pdf"
    )
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
