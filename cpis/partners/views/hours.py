"""Volunteer hours: recording and removing an entry, the hours given in a
half-year per volunteer and per interest group, and their export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.exports import download
from cpis.core.periods import Period, parse_label
from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import HoursForm, PeriodForm
from ..models import Volunteer, VolunteerHours
from .common import manage
from .volunteers import VOLUNTEER_PAGE


def _period(request: ActorRequest, periods: list[Period]) -> Period:
    try:
        chosen = parse_label(request.GET.get("period", ""))
    except ValueError:
        return periods[0] if periods else selectors.default_hour_period()
    return chosen


@staff_required
@require_POST
@on_record(selectors.get_volunteer, check=manage)
def hours_create(request: ActorRequest, volunteer: Volunteer) -> HttpResponse:
    return VOLUNTEER_PAGE.step(
        request,
        volunteer,
        "hours_form",
        HoursForm(request.POST),
        lambda data: services.record_hours(
            request.actor,
            volunteer=volunteer,
            day=data["date"],
            hours=data["hours"],
            activity=data["activity"],
        ),
        success=_("The hours have been recorded."),
    )


@staff_required
@require_POST
@on_record(selectors.get_hours_entry)
def hours_delete(request: ActorRequest, entry: VolunteerHours) -> HttpResponse:
    services.remove_hours(request.actor, entry=entry)
    messages.success(request, _("The entry has been removed."))
    return redirect("partners:volunteer", volunteer_id=entry.volunteer_id)


@staff_required
def hours_overview(request: ActorRequest) -> HttpResponse:
    """Hours given in a half-year, per volunteer and per interest group."""
    actor = request.actor
    periods = selectors.hour_periods(actor)
    period = _period(request, periods)
    form = PeriodForm(initial={"period": period.label}, periods=periods)
    context = {"form": form, "period": period, "totals": selectors.hours_totals(actor, period)}
    return render(request, "partners/hours.html", context)


@staff_required
def hours_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """Volunteer hours as CSV or XLSX, the volunteer by number only."""
    actor = request.actor
    period = None
    if request.GET.get("period"):
        period = _period(request, selectors.hour_periods(actor))
    rows = selectors.hours_export_rows(actor, period)
    return download(selectors.HOURS_EXPORT_HEADER, rows, fmt, name="volunteer-hours")
