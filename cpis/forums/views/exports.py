"""A place's meetings or action items as CSV or XLSX."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.exports import download
from cpis.core.http import whole_number
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors
from ..policy import policy


@staff_required
def export(request: ActorRequest, what: str, fmt: str) -> HttpResponse:
    """A place's meetings or action items as CSV or XLSX."""
    actor = request.actor
    if not selectors.may_export(actor):
        policy.require_anywhere(actor, "view")
        raise PermissionDenied(_("Your role does not allow exports."))
    unit_id = whole_number(request.GET.get("unit", ""))
    place = selectors.get_place(actor, unit_id) if unit_id is not None else None
    unit_path = place.path if place else ""
    if what == "meetings":
        header, rows = (
            selectors.MEETING_EXPORT_HEADER,
            selectors.meeting_export_rows(actor, unit_path=unit_path),
        )
    elif what == "actions":
        header, rows = (
            selectors.ACTION_EXPORT_HEADER,
            selectors.action_export_rows(actor, unit_path=unit_path),
        )
    else:
        raise Http404(_("Not found."))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return download(header, rows, fmt, name=f"forum-{what}-{stamp}")
