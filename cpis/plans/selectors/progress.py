"""Where each activity stands on a day, for a unit or the whole plan: the
dashboard's rows and bars, the deadlines, the half-year heat table, and the
indicators' values per half-year."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from cpis.core.periods import Period, half_years
from cpis.organisation.models import Unit, UnitKind

from .. import indicators as indicator_registry
from ..models import (
    FINISHED_STATUSES,
    Activity,
    DueRule,
    Goal,
    Indicator,
    Objective,
    Plan,
    ProgressStatus,
    ProgressUpdate,
    Responsible,
    ResponsibleKind,
    ReviewOutcome,
)
from .plans import police_day, responsible_filter, root_path

STATUSES = [s.value for s in ProgressStatus]
DUE_SOON_DAYS = 30
# An ongoing activity with no report for this long is flagged.
STALE_AFTER_DAYS = 183
# A "done" for the yearly open gate counts from this long before Police Day.
POLICE_DAY_WINDOW_DAYS = 90


@dataclass
class ActivityState:
    status: str = ProgressStatus.NOT_STARTED
    percent: int | None = None
    last_update: date | None = None
    due: date | None = None
    overdue: bool = False
    due_soon: bool = False
    stale: bool = False


def updates_by_activity(plan: Plan, *, unit: Unit | None = None) -> dict[int, list[ProgressUpdate]]:
    """Every counted update (not returned by the reviewers), oldest first;
    with a unit, only its own and those of the units below it."""
    updates = ProgressUpdate.objects.filter(activity__plan=plan).exclude(review=ReviewOutcome.RETURNED)
    if unit is not None:
        updates = updates.filter(unit_path__startswith=unit.path)
    grouped: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in updates.order_by("reported_on", "id").only(
        "activity_id", "unit_path", "status", "percent", "reported_on"
    ):
        grouped[update.activity_id].append(update)
    return grouped


def next_due(activity: Activity, day: date) -> date | None:
    """This year's Police Day for the yearly open gate (the last one of the
    plan once it has ended), else the normalised deadline."""
    if activity.due_rule == DueRule.POLICE_DAY:
        return police_day(min(day, activity.plan.period_end).year)
    return activity.due_date


def is_shared(activity: Activity) -> bool:
    """Carried out by many units at once: every level, or every unit of a level
    below the General Directorate."""
    return any(
        r.kind == ResponsibleKind.ALL or (r.kind == ResponsibleKind.LEVEL and r.level != UnitKind.DIRECTORATE)
        for r in activity.responsibles.all()
    )


def state_at(activity: Activity, updates: list[ProgressUpdate], day: date, *, owner: str) -> ActivityState:
    """The activity as it stood at the end of `day` for the unit at path
    `owner` (the root's path for the whole plan): the latest update on or before it,
    and whether its deadline had passed unfinished.

    A shared activity is done or cancelled for a unit only on that unit's own
    report (for the whole plan, the working group's at the root); reports of
    the units below it show it as under way, so that one station's "done"
    does not close the activity for all the others."""
    state = ActivityState()
    state.due = next_due(activity, day)
    shared = is_shared(activity)
    year_done = False
    for update in updates:
        if update.reported_on > day:
            break
        status = update.status
        if shared and update.unit_path != owner and status in FINISHED_STATUSES:
            status = ProgressStatus.IN_PROGRESS
        state.status, state.percent, state.last_update = status, update.percent, update.reported_on
        if (
            state.due
            and status == ProgressStatus.DONE
            and update.reported_on.year == state.due.year
            # A late report of last year's open gate is not this year's.
            and update.reported_on >= state.due - timedelta(days=POLICE_DAY_WINDOW_DAYS)
        ):
            year_done = True
    finished = state.status in FINISHED_STATUSES
    if activity.due_rule == DueRule.POLICE_DAY:
        # Recurs every year: done for this year once a "done" is reported in it.
        finished = year_done or state.status == ProgressStatus.CANCELLED
    if state.due is not None and not finished:
        state.overdue = state.due < day
        state.due_soon = day <= state.due <= day + timedelta(days=DUE_SOON_DAYS)
    if activity.due_rule == DueRule.ONGOING and state.status != ProgressStatus.CANCELLED:
        # Once the plan has ended, an ongoing activity is judged at its end.
        until = min(day, activity.plan.period_end)
        since = state.last_update or activity.plan.approved_on
        state.stale = (until - since).days > STALE_AFTER_DAYS
    return state


def list_activities(plan: Plan, *, unit: Unit | None = None) -> list[Activity]:
    activities = (
        Activity.objects.filter(plan=plan)
        .select_related("objective__goal", "plan")
        .prefetch_related(Prefetch("responsibles", queryset=Responsible.objects.select_related("unit")))
        .order_by("position")
    )
    if unit is not None:
        activities = activities.filter(responsible_filter(unit)).distinct()
    return list(activities)


@dataclass
class ActivityRow:
    activity: Activity
    state: ActivityState

    @property
    def responsible(self) -> str:
        return ", ".join(r.name for r in self.activity.responsibles.all())


def list_activity_rows(plan: Plan, *, unit: Unit | None = None, day: date | None = None) -> list[ActivityRow]:
    """Each activity (those the unit answers for, with a unit) as it stands
    for that unit, or for the whole plan."""
    day = day or timezone.localdate()
    updates = updates_by_activity(plan, unit=unit)
    owner = unit.path if unit else root_path()
    return [
        ActivityRow(a, state_at(a, updates.get(a.pk, []), day, owner=owner))
        for a in list_activities(plan, unit=unit)
    ]


@dataclass
class Deadlines:
    overdue: list[ActivityRow] = field(default_factory=list)
    due_soon: list[ActivityRow] = field(default_factory=list)
    stale: list[ActivityRow] = field(default_factory=list)


def list_deadlines(plan: Plan, *, unit: Unit | None = None, day: date | None = None) -> Deadlines:
    deadlines = Deadlines()
    for row in list_activity_rows(plan, unit=unit, day=day):
        if row.state.overdue:
            deadlines.overdue.append(row)
        elif row.state.due_soon:
            deadlines.due_soon.append(row)
        elif row.state.stale:
            deadlines.stale.append(row)
    deadlines.overdue.sort(key=lambda r: r.state.due or date.max)
    deadlines.due_soon.sort(key=lambda r: r.state.due or date.max)
    return deadlines


def plan_periods(plan: Plan, *, until: date | None = None) -> list[Period]:
    until = min(until or timezone.localdate(), plan.period_end)
    return half_years(plan.period_start, until) if until >= plan.period_start else []


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[float | None]
    computed: bool

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.values) if v is not None), None)

    @property
    def sparkline(self) -> str:
        """SVG polyline points (viewBox 0 0 100 20) of the values over the
        periods, the target scaled in, for the dashboard's trend column."""
        known = [(i, v) for i, v in enumerate(self.values) if v is not None]
        if len(known) < 2:
            return ""
        top = max([v for _i, v in known] + [float(self.indicator.target or 0)]) or 1.0
        step = 100 / max(len(self.values) - 1, 1)
        return " ".join(f"{i * step:.1f},{20 - 18 * v / top:.1f}" for i, v in known)


def list_indicator_rows(
    plan: Plan, periods: list[Period], *, unit: Unit | None = None, activity: Activity | None = None
) -> list[IndicatorRow]:
    indicators = (
        Indicator.objects.filter(activity__plan=plan)
        .select_related("activity")
        .order_by("activity__position", "position")
    )
    if activity is not None:
        indicators = indicators.filter(activity=activity)
    items = list(indicators)
    values = indicator_registry.series(plan, items, periods, path=unit.path if unit else "")
    return [IndicatorRow(i, values[i.pk], indicator_registry.is_computed(i)) for i in items]


@dataclass
class ProgressGroup:
    number: str
    text: str
    counts: dict[str, int]
    children: list["ProgressGroup"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done_share(self) -> int:
        return round(100 * self.counts.get(ProgressStatus.DONE, 0) / self.total) if self.total else 0

    @property
    def segments(self) -> list[tuple[str, int, float, float]]:
        """(status, count, x, width) in percent, for a stacked bar drawn in SVG
        (the CSP allows no inline styles)."""
        total = self.total or 1
        segments, x = [], 0.0
        for status in STATUSES:
            if self.counts[status]:
                width = 100 * self.counts[status] / total
                segments.append((status, self.counts[status], round(x, 2), round(width, 2)))
                x += width
        return segments


def count_statuses(rows: list[ActivityRow]) -> dict[str, int]:
    counted = Counter(r.state.status for r in rows)
    return {s: counted.get(s, 0) for s in STATUSES}


def progress_by_goal(rows: list[ActivityRow]) -> list[ProgressGroup]:
    goals: dict[int, list[ActivityRow]] = defaultdict(list)
    objectives: dict[int, list[ActivityRow]] = defaultdict(list)
    goal_of: dict[int, Goal] = {}
    objective_of: dict[int, Objective] = {}
    for row in rows:
        objective = row.activity.objective
        goals[objective.goal_id].append(row)
        objectives[objective.pk].append(row)
        goal_of[objective.goal_id] = objective.goal
        objective_of[objective.pk] = objective
    groups = []
    for goal_id, goal_rows in goals.items():
        goal = goal_of[goal_id]
        group = ProgressGroup(goal.number, goal.text, count_statuses(goal_rows))
        for objective_id, objective_rows in objectives.items():
            if objective_of[objective_id].goal_id == goal_id:
                objective = objective_of[objective_id]
                group.children.append(
                    ProgressGroup(objective.number, objective.text, count_statuses(objective_rows))
                )
        groups.append(group)
    return groups


@dataclass
class HeatRow:
    activity: Activity
    cells: list[ActivityState]


def heat_table(plan: Plan, periods: list[Period], *, unit: Unit | None = None) -> list[HeatRow]:
    """Each activity's state at the end of each half-year."""
    today = timezone.localdate()
    updates = updates_by_activity(plan, unit=unit)
    owner = unit.path if unit else root_path()
    return [
        HeatRow(a, [state_at(a, updates.get(a.pk, []), min(p.end, today), owner=owner) for p in periods])
        for a in list_activities(plan, unit=unit)
    ]
