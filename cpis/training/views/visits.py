"""Study visits: the list with the form to record one, a visit's page with
its participants, report and edit form, and the report as a download."""

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.uploads import read_upload
from cpis.core.views import record_url, stored_file
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


def _shown(request: ActorRequest, visit: StudyVisit, can_manage: bool) -> dict[str, Any]:
    """A visit's page: its participants (a logged read) and forms for those who manage."""
    participants = None
    if can_manage:
        participants = selectors.get_visit_participants(request.actor, visit, request=request)
    return {
        "visit": visit,
        "participants": participants,
        "badges_form": BadgesForm() if can_manage else None,
        "report_form": ReportForm() if can_manage else None,
    }


VISITS = NationalKind[StudyVisit](
    form=VisitForm,
    list_template="training/visits.html",
    listed=lambda actor: {"visits": selectors.list_visits(actor)},
    create=services.create_visit,
    created=gettext_lazy("Study visit saved. Add its participants and report."),
    get=selectors.get_visit,
    url=record_url("training:visit"),
    template="training/visit.html",
    shown=_shown,
    update=lambda actor, visit, **data: services.update_visit(actor, visit=visit, **data),
    refused=gettext_lazy("Fill in the country, the dates and the purpose."),
    steps={"participants": _visit_participants, "remove": _visit_remove, "report": _visit_report},
)

visits = VISITS.list_view()
visit = VISITS.page_view()


@staff_required
def visit_report(request: ActorRequest, visit_id: int) -> FileResponse:
    """The report, always as a download, never sniffed into something else."""
    record = selectors.get_visit(request.actor, visit_id)
    return stored_file(
        record.report, filename=record.report_name or "report.pdf", content_type="application/pdf"
    )
