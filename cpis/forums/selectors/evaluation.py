"""The forums' sustainability in the six-monthly evaluation [Evaluation 5].

`sustainability_section(unit, start, end)` is named in the forums' AppConfig
(`evaluation_sections`); the action plan calls it, as the system, when an
evaluation of a place is frozen (core.evaluation). It counts, for the forums of
the place that existed in the half-year:

- each forum as **active**, **at risk** or **lapsed**: lapsed when it was
  dissolved in the half-year or held no meeting although at least one was due;
  at risk when it held fewer than half the meetings due; active otherwise (a
  forum too new for a meeting to be due yet counts as active). Meetings due
  are pro rata of the forum's meetings a year for the days it existed in the
  half-year, as in `sustainability.py`;
- meetings held against due, the average attendance of a held meeting
  (members ticked present and other people), and the action items due in the
  half-year that were done by its end;
- per place one level down (the regions for the country, the stations for a
  region), with the attendance per half-year over the last three years as
  `sustainability()` counts it.

Aggregated only: no forum member, officer or action item's owner is named."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cpis.core.evaluation import Cell, Chart, Section, Series, Table
from cpis.core.periods import Period, day_start, half_years
from cpis.organisation.models import Unit

from ..models import ActionItem, ActionStatus, Forum, Meeting, MeetingStatus
from .sustainability import attendance_per_half_year

ELEMENT = 5
# How many half-years the attendance chart reaches back, the evaluated one included.
ATTENDANCE_HALF_YEARS = 6


class Standing:
    ACTIVE = "active"
    AT_RISK = "at_risk"
    LAPSED = "lapsed"


@dataclass
class PlaceFigures:
    """The figures of the forums of one place over the half-year."""

    forums: int = 0
    active: int = 0
    at_risk: int = 0
    lapsed: int = 0
    held: int = 0
    due: float = 0.0
    attendees: int = 0
    actions_due: int = 0
    actions_done: int = 0

    @property
    def due_rounded(self) -> int:
        return round(self.due)

    @property
    def held_share(self) -> float | None:
        return round(100 * self.held / self.due_rounded, 1) if self.due_rounded else None

    @property
    def attendance(self) -> float | None:
        return round(self.attendees / self.held, 1) if self.held else None

    @property
    def actions_share(self) -> float | None:
        return round(100 * self.actions_done / self.actions_due, 1) if self.actions_due else None

    def add(self, standing: str, *, held: int, due: float, attendees: int, actions: tuple[int, int]) -> None:
        self.forums += 1
        if standing == Standing.ACTIVE:
            self.active += 1
        elif standing == Standing.AT_RISK:
            self.at_risk += 1
        else:
            self.lapsed += 1
        self.held += held
        self.due += due
        self.attendees += attendees
        self.actions_due += actions[0]
        self.actions_done += actions[1]


def standing(*, held: int, due: float, dissolved_in_period: bool) -> str:
    """Active, at risk or lapsed in the half-year (see the module's docstring)."""
    if dissolved_in_period or (due >= 1 and held == 0):
        return Standing.LAPSED
    if due >= 1 and held < due / 2:
        return Standing.AT_RISK
    return Standing.ACTIVE


def _due(per_year: int, established: date, dissolved: date | None, start: date, end: date) -> float:
    since, until = max(established, start), min(dissolved or end, end)
    days = max((until - since).days + 1, 0)
    year_days = (date(start.year, 12, 31) - date(start.year, 1, 1)).days + 1
    return per_year * days / year_days


def place_figures(unit: Unit, start: date, end: date) -> tuple[PlaceFigures, list[tuple[Unit, PlaceFigures]]]:
    """The place's figures and those of each place one level down, in a fixed
    handful of queries."""
    forums = list(
        Forum.objects.within(unit.path)
        .filter(established_on__lte=end)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .values_list("pk", "unit_path", "established_on", "dissolved_on", "meetings_per_year")
    )
    ids = [row[0] for row in forums]
    low, high = day_start(start), day_start(end + timedelta(days=1))
    held = Meeting.objects.filter(
        forum_id__in=ids, status=MeetingStatus.HELD, starts_at__gte=low, starts_at__lt=high
    )
    meetings = {
        forum: (count, others or 0)
        for forum, count, others in held.values("forum_id")
        .annotate(n=Count("pk"), o=Sum("other_attendees"))
        .values_list("forum_id", "n", "o")
    }
    attended: Any = Meeting.members_present.through.objects  # the auto-created table of who was present
    present = dict(
        attended.filter(meeting__in=held)
        .values("meeting__forum_id")
        .annotate(n=Count("pk"))
        .values_list("meeting__forum_id", "n")
    )
    actions = {
        forum: (due, done)
        for forum, due, done in ActionItem.objects.filter(
            meeting__forum_id__in=ids, due_on__gte=start, due_on__lte=end
        )
        .values("meeting__forum_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE, done_at__lt=high)),
        )
        .values_list("meeting__forum_id", "due", "done")
    }
    children = list(Unit.objects.filter(parent=unit).order_by("path"))
    total = PlaceFigures()
    per_child = {child.pk: PlaceFigures() for child in children}
    for pk, path, established, dissolved, per_year in forums:
        count, others = meetings.get(pk, (0, 0))
        due = _due(per_year, established, dissolved, start, end)
        kind = standing(held=count, due=due, dissolved_in_period=dissolved is not None and dissolved <= end)
        figures = {"held": count, "due": due, "attendees": others + present.get(pk, 0)}
        done = actions.get(pk, (0, 0))
        total.add(kind, actions=done, **figures)
        child = next((c for c in children if path.startswith(c.path)), None)
        if child is not None:
            per_child[child.pk].add(kind, actions=done, **figures)
    return total, [(child, per_child[child.pk]) for child in children if per_child[child.pk].forums]


def _name(unit: Unit) -> Callable[[], str]:
    """The place's name in whatever language the evaluation is written in."""
    return lambda: unit.name


def _row(place: Cell, figures: PlaceFigures) -> list[Cell]:
    return [
        place,
        figures.forums,
        figures.active,
        figures.at_risk,
        figures.lapsed,
        figures.held,
        figures.due_rounded,
        figures.held_share,
        figures.attendance,
        figures.actions_due,
        figures.actions_done,
        figures.actions_share,
    ]


COLUMNS = (
    _("Place"),
    _("Forums"),
    _("Active"),
    _("At risk"),
    _("Lapsed"),
    _("Meetings held"),
    _("Meetings due"),
    _("Held of due (%)"),
    _("Average attendance"),
    _("Action items due"),
    _("Action items done"),
    _("Done of due (%)"),
)


def _summary(unit: Unit, figures: PlaceFigures, period: Period) -> Callable[[], str]:
    def write() -> str:
        if not figures.forums:
            return str(_("%(place)s had no community safety forum in %(period)s.")) % {
                "place": unit.name,
                "period": period.label,
            }
        text = ngettext(
            "%(place)s had %(forums)s forum in %(period)s: %(active)s active, %(at_risk)s at risk, "
            "%(lapsed)s lapsed.",
            "%(place)s had %(forums)s forums in %(period)s: %(active)s active, %(at_risk)s at risk, "
            "%(lapsed)s lapsed.",
            figures.forums,
        ) % {
            "place": unit.name,
            "forums": figures.forums,
            "period": period.label,
            "active": figures.active,
            "at_risk": figures.at_risk,
            "lapsed": figures.lapsed,
        }
        text += " " + str(
            _(
                "They held %(held)s of the %(due)s meetings due; %(done)s of %(actions)s action items "
                "due were done."
            )
        ) % {
            "held": figures.held,
            "due": figures.due_rounded,
            "done": figures.actions_done,
            "actions": figures.actions_due,
        }
        return text

    return write


def sustainability_section(unit: Unit, start: date, end: date) -> Section | None:
    """Evaluation 5 for the forums of `unit` over [start, end]: active, at risk and
    lapsed forums, meetings held against due, attendance and action items done,
    for the place and each place one level down, with charts. None when the place
    has never had a forum."""
    if not Forum.objects.within(unit.path).filter(established_on__lte=end).exists():
        return None
    period = Period(start, end)
    total, children = place_figures(unit, start, end)
    rows = [_row(_name(child), figures) for child, figures in children]
    rows.append(_row(_("All forums of the place"), total))
    # Chart labels are stored as written: the places' names in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        labels = [str(child.name) for child, _figures in children]
    # The attendance per half-year as sustainability() counts it, for the last few only.
    periods = half_years(date(start.year - ATTENDANCE_HALF_YEARS // 2, 1, 1), end)[-ATTENDANCE_HALF_YEARS:]
    held = Meeting.objects.filter(
        forum__in=Forum.objects.within(unit.path).filter(established_on__lte=end), status=MeetingStatus.HELD
    )
    trend = [p for p in attendance_per_half_year(held, periods) if p.meetings]
    charts = []
    if children:
        charts += [
            Chart(
                caption=_("Forums by standing, per place"),
                kind="bar",
                labels=labels,
                series=[
                    Series(_("Active"), [f.active for _c, f in children]),
                    Series(_("At risk"), [f.at_risk for _c, f in children]),
                    Series(_("Lapsed"), [f.lapsed for _c, f in children]),
                ],
                unit=_("forums"),
            ),
            Chart(
                caption=_("Meetings held and due, per place"),
                kind="bar",
                labels=labels,
                series=[
                    Series(_("Meetings held"), [f.held for _c, f in children]),
                    Series(_("Meetings due"), [f.due_rounded for _c, f in children]),
                ],
                unit=_("meetings"),
            ),
        ]
    if trend:
        charts.append(
            Chart(
                caption=_("Average attendance of a held meeting, per half-year"),
                kind="line",
                labels=[p.label for p in trend],
                series=[Series(_("Average attendance"), [p.average for p in trend])],
                unit=_("people"),
            )
        )
    return Section(
        element=ELEMENT,
        title=_("The forums' sustainability"),
        summary=_summary(unit, total, period),
        tables=[
            Table(
                caption=_(
                    "Forums that existed in the half-year. Lapsed: dissolved in it, or no meeting held "
                    "although one was due; at risk: fewer than half the meetings due held."
                ),
                columns=COLUMNS,
                rows=rows,
            )
        ],
        charts=charts,
    )
