"""Study visits: the list with the form to record one, a visit's page with
its participants, report and edit form, and the report as a download."""

from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.uploads import read_upload
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import BadgesForm, ReportForm, VisitForm
from ..models import StudyVisit
from .common import Step, national_list, posted, posted_id, require_manage, run_step


def _visit_url(visit: StudyVisit) -> str:
    return reverse("training:visit", args=[visit.pk])


@staff_required
def visits(request: ActorRequest) -> HttpResponse:
    return national_list(
        request,
        VisitForm(request.POST or None),
        lambda actor, data: services.create_visit(actor, **data),
        success=_("Study visit saved. Add its participants and report."),
        then=_visit_url,
        template="training/visits.html",
        context={"visits": selectors.list_visits(request.actor)},
    )


def _visit_edit(request: ActorRequest, actor: Actor, visit: StudyVisit) -> str:
    refused = _("Fill in the country, the dates and the purpose.")
    services.update_visit(actor, visit=visit, **posted(request, VisitForm, refused))
    return _("Changes saved.")


def _visit_participants(request: ActorRequest, actor: Actor, visit: StudyVisit) -> str:
    badges = posted(request, BadgesForm, _("Enter at least one badge number."))["badges"]
    added = services.add_visit_participants(actor, visit=visit, badge_numbers=services.parse_badges(badges))
    return _("%(count)s participants added.") % {"count": added}


def _visit_remove(request: ActorRequest, actor: Actor, visit: StudyVisit) -> str:
    services.remove_visit_participant(actor, visit=visit, officer_id=posted_id(request, "officer"))
    return _("Participant removed.")


def _visit_report(request: ActorRequest, actor: Actor, visit: StudyVisit) -> str:
    report = posted(request, ReportForm, _("Choose the report's PDF file."))["report"]
    services.upload_visit_report(actor, visit=visit, upload=read_upload(report))
    return _("Report uploaded.")


VISIT_ACTIONS: dict[str, Step[StudyVisit]] = {
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
