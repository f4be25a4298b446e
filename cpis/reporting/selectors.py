"""Reads for the reporting chain: the reports an actor may see, those
waiting for the actor's review, a report with its history, the roll-up of
a place for a month and the sectors whose report is late or missing."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.periods import Period
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .figures import FIGURES
from .models import STAGE_ROLE, Report, Stage, Status
from .policy import policy


def visible_reports(actor: Actor) -> QuerySet[Report]:
    return Report.objects.filter(policy.scope(actor, "view", "unit_path"))


def get_report(actor: Actor, report_id: int) -> Report:
    try:
        return visible_reports(actor).select_related("unit", "author").get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404(_("Not found.")) from None


def filter_reports(
    actor: Actor, *, unit_path: str = "", month: date | None = None, status: str = ""
) -> QuerySet[Report]:
    """The reports the actor may see, the latest month first: under a place,
    for a month (its first day), in a status."""
    reports = visible_reports(actor)
    if unit_path:
        reports = reports.filter(unit_path__startswith=unit_path)
    if month is not None:
        reports = reports.filter(period_start=month.replace(day=1))
    if status:
        reports = reports.filter(status=status)
    return reports.select_related("unit", "author").order_by("-period_start", "unit_path", "pk")


def list_history(report: Report) -> dict[str, QuerySet[Any]]:
    return {
        "revisions": report.revisions.select_related("submitted_by"),
        "reviews": report.reviews.select_related("reviewer"),
    }


def took_part(actor: Actor, report: Report) -> bool:
    """Submitted or already approved the current version: another person reviews it."""
    if actor.user_id is None:
        return False
    return (
        report.revisions.filter(version=report.version, submitted_by_id=actor.user_id).exists()
        or report.reviews.filter(version=report.version, reviewer_id=actor.user_id).exists()
    )


def list_waiting_for(actor: Actor) -> list[Report]:
    """Reports in review at a stage whose role the actor holds above them."""
    waiting: list[Report] = []
    reports = Report.objects.filter(status=Status.SUBMITTED).select_related("unit").order_by("submitted_at")
    for stage, role in STAGE_ROLE.items():
        if stage == Stage.AUTHOR:
            continue
        paths = actor.paths([role])
        if not paths:
            continue
        for report in reports.filter(stage=stage):
            if any(report.unit_path.startswith(path) for path in paths):
                waiting.append(report)
    return waiting


def list_waiting_with_authors(actor: Actor) -> list[Report]:
    """`list_waiting_for` with each report's author loaded (one more query)."""
    waiting = list_waiting_for(actor)
    prefetch_related_objects(waiting, "author")
    return waiting


def list_my_sectors(actor: Actor) -> QuerySet[Unit]:
    """Sectors the actor writes reports for."""
    return Unit.objects.filter(kind=UnitKind.SECTOR).filter(policy.scope(actor, "write")).order_by("path")


def list_my_sectors_with_reports(
    actor: Actor, month: date, *, limit: int = 50
) -> list[tuple[Unit, Report | None]]:
    """The sectors the actor writes for, each with its report for the month (if any)."""
    sectors = list(list_my_sectors(actor)[:limit])
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(unit__in=sectors, period_start=month).only(
            "unit_id", "status", "stage"
        )
    }
    return [(sector, reports.get(sector.pk)) for sector in sectors]


def get_home_unit(actor: Actor) -> Unit | None:
    """The unit the actor's reporting pages start from."""
    return organisation.get_home_unit(policy.places(actor, "view"))


def level_up(actor: Actor, unit: Unit) -> int | None:
    """The unit above `unit` when the actor may open its roll-up ("one level up"),
    else None: a sector leader's roll-up stops at the sector."""
    parent = unit.parent_id
    if parent is None or not organisation.visible_units(actor).filter(pk=parent).exists():
        return None
    return parent


def list_reports(actor: Actor, *, unit: Unit, month: date) -> QuerySet[Report]:
    return (
        visible_reports(actor)
        .filter(unit_path__startswith=unit.path, period_start=month)
        .select_related("unit")
        .order_by("unit_path")
    )


def due_date(month_start: date) -> date:
    """Reports are due by this day of the following month."""
    following = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following.replace(day=settings.REPORT_DUE_DAY)


@dataclass
class RollUp:
    unit: Unit
    month: date
    due: date
    totals: dict[str, int] = field(default_factory=dict)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)

    @property
    def labelled_totals(self) -> list[tuple[str, int]]:
        return [(str(f.label), self.totals.get(f.key, 0)) for f in FIGURES]

    @property
    def is_late(self) -> bool:
        return timezone.localdate() > self.due


def roll_up(actor: Actor, *, unit: Unit, month: date) -> RollUp:
    """What the sectors under a place reported for a month: figures summed
    over approved and in-review reports, reports by status, and the sectors
    with nothing submitted (late once the due day has passed)."""
    policy.require(actor, "view", unit.path)
    reports = list(list_reports(actor, unit=unit, month=month))
    result = RollUp(unit=unit, month=month, due=due_date(month), reports=reports)
    counted = Counter(r.status for r in reports)
    result.by_status = [(str(label), counted.get(value, 0)) for value, label in Status.choices]
    for report in reports:
        if report.status in {Status.SUBMITTED, Status.APPROVED}:
            for key, value in report.figures.items():
                result.totals[key] = result.totals.get(key, 0) + int(value)
    # A draft or a returned report not yet resubmitted is still outstanding.
    submitted = {r.unit_id for r in reports if r.status in {Status.SUBMITTED, Status.APPROVED}}
    result.missing = list(
        Unit.objects.filter(kind=UnitKind.SECTOR, path__startswith=unit.path)
        .exclude(pk__in=submitted)
        .order_by("path")
    )
    return result


def count_reports_submitted(periods: list[Period], *, path: str = "") -> list[int]:
    """Reports produced (submitted at least once) per period, by the month
    they report on [2.4.4]."""
    reports = Report.objects.filter(version__gt=0)
    if path:
        reports = reports.filter(unit_path__startswith=path)
    result = reports.aggregate(
        **{
            f"p{i}": Count("pk", filter=Q(period_start__gte=period.start, period_start__lte=period.end))
            for i, period in enumerate(periods)
        }
    )
    return [result[f"p{i}"] or 0 for i in range(len(periods))]
