"""Study visits: the list with the form to record one, a visit's page with
its participants, report and edit form, and the report as a download."""

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.uploads import read_upload
from cpis.core.views import on_record, record_url, stored_file
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import BadgesForm, ReportForm, VisitForm
from ..models import StudyVisit
from .common import NationalKind, posted, posted_id


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


VISITS = NationalKind[StudyVisit](
    form=VisitForm,
    url=record_url("training:visit"),
    update=lambda actor, visit, **data: services.update_visit(actor, visit=visit, **data),
    refused=gettext_lazy("Fill in the country, the dates and the purpose."),
    steps={"participants": _visit_participants, "remove": _visit_remove, "report": _visit_report},
)


@staff_required
def visits(request: ActorRequest) -> HttpResponse:
    return VISITS.list_page(
        request,
        services.create_visit,
        success=_("Study visit saved. Add its participants and report."),
        template="training/visits.html",
        context={"visits": selectors.list_visits(request.actor)},
    )


@staff_required
@on_record(selectors.get_visit, "visit_id")
def visit(request: ActorRequest, record: StudyVisit) -> HttpResponse:
    return VISITS.page(
        request,
        record,
        "training/visit.html",
        lambda can_manage: {
            "visit": record,
            "participants": selectors.get_visit_participants(request.actor, record, request=request)
            if can_manage
            else None,
            "badges_form": BadgesForm() if can_manage else None,
            "report_form": ReportForm() if can_manage else None,
        },
    )


@staff_required
def visit_report(request: ActorRequest, visit_id: int) -> FileResponse:
    """The report, always as a download, never sniffed into something else."""
    record = selectors.get_visit(request.actor, visit_id)
    return stored_file(
        record.report, filename=record.report_name or "report.pdf", content_type="application/pdf"
    )
