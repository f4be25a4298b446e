"""Reads for the action plan: activities with their current status, the
responsible units' deadlines, the dashboard, the evaluation snapshot and
the plan as plain data for export."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.periods import Period, half_year_of, half_years
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.selectors import get_root_unit

from . import indicators as indicator_registry
from .models import (
    FINISHED_STATUSES,
    Activity,
    DueRule,
    Evaluation,
    Evidence,
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
from .policy import policy
from .spec import ActivitySpec, GoalSpec, IndicatorSpec, ObjectiveSpec, PlanSpec, ResponsibleSpec

STATUSES = [s.value for s in ProgressStatus]
DUE_SOON_DAYS = 30
# An ongoing activity with no report for this long is flagged.
STALE_AFTER_DAYS = 183
# A "done" for the yearly open gate counts from this long before Police Day.
POLICE_DAY_WINDOW_DAYS = 90


def root_path() -> str:
    return get_root_unit().path


def require_view(actor: Actor) -> None:
    """The plan is national: anyone who may see it somewhere sees all of it."""
    policy.require_anywhere(actor, "view")


def list_plans(actor: Actor) -> QuerySet[Plan]:
    require_view(actor)
    return Plan.objects.all()


def get_plan(actor: Actor, plan_id: int) -> Plan:
    require_view(actor)
    try:
        return Plan.objects.get(pk=plan_id)
    except Plan.DoesNotExist:
        raise Http404(_("Not found.")) from None


def get_current_plan() -> Plan | None:
    """The plan whose period holds today, else the latest."""
    today = timezone.localdate()
    newest_first = ("-period_start", "-created_at", "-pk")
    plan = Plan.objects.filter(period_start__lte=today, period_end__gte=today).order_by(*newest_first).first()
    return plan or Plan.objects.order_by(*newest_first).first()


def police_day(year: int) -> date:
    month, day = settings.PLANS_POLICE_DAY
    return date(year, month, day)


# --- which units answer for an activity ------------------------------------------


def responsible_filter(unit: Unit, *, root: str | None = None) -> Q:
    """Activities this unit answers for: named for it, or for every unit of
    its kind; the root (the General Directorate and its coordinator and
    working group) also answers for bodies that are not places of ours."""
    query = (
        Q(responsibles__kind=ResponsibleKind.ALL)
        | Q(responsibles__kind=ResponsibleKind.UNIT, responsibles__unit=unit)
        | Q(responsibles__kind=ResponsibleKind.LEVEL, responsibles__level=unit.kind)
    )
    if unit.path == (root if root is not None else root_path()):
        query |= Q(responsibles__kind__in=[ResponsibleKind.INTERNAL, ResponsibleKind.EXTERNAL])
    return query


def is_responsible(activity: Activity, unit: Unit) -> bool:
    return Activity.objects.filter(responsible_filter(unit), pk=activity.pk).exists()


def list_reporting_units(actor: Actor, activity: Activity) -> list[Unit]:
    """Units this actor may report for on this activity: where it holds a
    reporting role, and the unit is responsible for the activity."""
    kinds = set(activity.responsibles.filter(kind=ResponsibleKind.LEVEL).values_list("level", flat=True))
    if activity.responsibles.filter(kind=ResponsibleKind.ALL).exists():
        kinds |= set(UnitKind.values)
    named = set(activity.responsibles.filter(kind=ResponsibleKind.UNIT).values_list("unit_id", flat=True))
    root = get_root_unit()
    if activity.responsibles.filter(kind__in=[ResponsibleKind.INTERNAL, ResponsibleKind.EXTERNAL]).exists():
        named.add(root.pk)
    query = Q(kind__in=kinds) | Q(pk__in=named)
    units = Unit.objects.filter(query).filter(policy.scope(actor, "report")).order_by("path")
    return list(units[:200])


# --- status ------------------------------------------------------------------------


@dataclass
class ActivityState:
    status: str = ProgressStatus.NOT_STARTED
    percent: int | None = None
    last_update: date | None = None
    due: date | None = None
    overdue: bool = False
    due_soon: bool = False
    stale: bool = False


def _updates_by_activity(plan: Plan, *, unit: Unit | None = None) -> dict[int, list[ProgressUpdate]]:
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


def _activities(plan: Plan, *, unit: Unit | None = None) -> list[Activity]:
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
    updates = _updates_by_activity(plan, unit=unit)
    owner = unit.path if unit else root_path()
    return [
        ActivityRow(a, state_at(a, updates.get(a.pk, []), day, owner=owner))
        for a in _activities(plan, unit=unit)
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


def get_activity(actor: Actor, plan: Plan, code: str) -> Activity:
    require_view(actor)
    try:
        return (
            Activity.objects.select_related("objective__goal", "plan")
            .prefetch_related("responsibles", "indicators")
            .get(plan=plan, code=code)
        )
    except Activity.DoesNotExist:
        raise Http404(_("Not found.")) from None


def list_updates(activity: Activity) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(activity=activity)
        .select_related("unit", "author", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )


def get_update(actor: Actor, update_id: int) -> ProgressUpdate:
    require_view(actor)
    try:
        return ProgressUpdate.objects.select_related("activity__plan").get(pk=update_id)
    except ProgressUpdate.DoesNotExist:
        raise Http404(_("Not found.")) from None


def get_evidence(actor: Actor, evidence_id: int) -> Evidence:
    require_view(actor)
    try:
        return Evidence.objects.get(pk=evidence_id)
    except Evidence.DoesNotExist:
        raise Http404(_("Not found.")) from None


def list_pending_reviews(plan: Plan) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(activity__plan=plan, review=ReviewOutcome.PENDING)
        .select_related("activity", "unit", "author")
        .prefetch_related("evidence")
        .order_by("created_at")
    )


def list_responsible_units() -> QuerySet[Unit]:
    """Units that can be picked in the dashboard's filter: the root, regions and stations."""
    return Unit.objects.filter(kind__in=[UnitKind.DIRECTORATE, UnitKind.REGION, UnitKind.STATION]).order_by(
        "path"
    )


# --- indicators ---------------------------------------------------------------------


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


# --- dashboard ----------------------------------------------------------------------


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


def _count(rows: list[ActivityRow]) -> dict[str, int]:
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
        group = ProgressGroup(goal.number, goal.text, _count(goal_rows))
        for objective_id, objective_rows in objectives.items():
            if objective_of[objective_id].goal_id == goal_id:
                objective = objective_of[objective_id]
                group.children.append(ProgressGroup(objective.number, objective.text, _count(objective_rows)))
        groups.append(group)
    return groups


@dataclass
class HeatRow:
    activity: Activity
    cells: list[ActivityState]


def heat_table(plan: Plan, periods: list[Period], *, unit: Unit | None = None) -> list[HeatRow]:
    """Each activity's state at the end of each half-year."""
    today = timezone.localdate()
    updates = _updates_by_activity(plan, unit=unit)
    owner = unit.path if unit else root_path()
    return [
        HeatRow(a, [state_at(a, updates.get(a.pk, []), min(p.end, today), owner=owner) for p in periods])
        for a in _activities(plan, unit=unit)
    ]


# --- evaluation snapshot ----------------------------------------------------------------


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def build_snapshot(
    plan: Plan, period: Period, *, frozen_by: Any = None, frozen_at: datetime | None = None
) -> dict[str, Any]:
    """The plan as it stood at the end of `period`, in every language, as
    plain JSON: what an evaluation freezes and its reports are drawn from."""
    day = period.end
    updates = _updates_by_activity(plan)
    activities = _activities(plan)
    root = root_path()
    rows = [ActivityRow(a, state_at(a, updates.get(a.pk, []), day, owner=root)) for a in activities]
    periods = half_years(plan.period_start, day)
    goals: list[dict[str, Any]] = []
    goal_index: dict[int, dict[str, Any]] = {}
    objective_index: dict[int, dict[str, Any]] = {}
    overdue = []
    for row in rows:
        activity, state = row.activity, row.state
        objective = activity.objective
        goal = objective.goal
        if goal.pk not in goal_index:
            goal_index[goal.pk] = {
                "number": goal.number,
                "text": goal.texts(),
                "narrative": "",
                "narrative_by": "",
                "totals": dict.fromkeys(STATUSES, 0),
                "objectives": [],
            }
            goals.append(goal_index[goal.pk])
        if objective.pk not in objective_index:
            objective_index[objective.pk] = {
                "number": objective.number,
                "text": objective.texts(),
                "totals": dict.fromkeys(STATUSES, 0),
                "activities": [],
            }
            goal_index[goal.pk]["objectives"].append(objective_index[objective.pk])
        responsible = {
            lang: ", ".join(getattr(r, f"name_{lang}") or r.name_en for r in activity.responsibles.all())
            for lang in ("sq", "sr", "en")
        }
        objective_index[objective.pk]["activities"].append(
            {
                "code": activity.code,
                "text": activity.texts(),
                "responsible": responsible,
                "time_limit": activity.time_limits(),
                "due_date": state.due.isoformat() if state.due else None,
                "status": state.status,
                "percent": state.percent,
                "last_update": state.last_update.isoformat() if state.last_update else None,
                "overdue": state.overdue,
            }
        )
        objective_index[objective.pk]["totals"][state.status] += 1
        goal_index[goal.pk]["totals"][state.status] += 1
        if state.overdue and state.due:
            overdue.append(
                {
                    "code": activity.code,
                    "text": activity.texts(),
                    "due_date": state.due.isoformat(),
                    "status": state.status,
                    "responsible": responsible,
                    "days_late": (day - state.due).days,
                }
            )
    indicator_rows = list_indicator_rows(plan, periods)
    return {
        "version": 1,
        "plan": {
            "code": plan.code,
            "title": plan.titles(),
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
        },
        "evaluation": {
            "period": {
                "label": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
            "frozen_at": (frozen_at or timezone.now()).isoformat(),
            "frozen_by": _name(frozen_by),
            "signed_at": None,
            "signed_by": "",
            "unit": None,
        },
        "statuses": STATUSES,
        "totals": _count(rows),
        "periods": [p.label for p in periods],
        "goals": goals,
        "indicators": [
            {
                "activity_code": r.indicator.activity.code,
                "text": r.indicator.texts(),
                "unit": r.indicator.unit,
                "source": r.indicator.source,
                "computed": r.computed,
                "target": float(r.indicator.target) if r.indicator.target is not None else None,
                "values": r.values,
            }
            for r in indicator_rows
        ],
        "overdue": sorted(overdue, key=lambda o: -o["days_late"]),
    }


def list_evaluations(plan: Plan) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(plan=plan)
        .select_related("frozen_by", "signed_by")
        .order_by("-period_start")
    )


def get_evaluation(actor: Actor, evaluation_id: int) -> Evaluation:
    require_view(actor)
    try:
        return Evaluation.objects.select_related("plan", "frozen_by", "signed_by").get(pk=evaluation_id)
    except Evaluation.DoesNotExist:
        raise Http404(_("Not found.")) from None


def report_snapshot(evaluation: Evaluation) -> dict[str, Any]:
    """The frozen snapshot with leadership's narratives and the signature
    (once signed, the snapshot holds them itself and is returned as it is)."""
    if evaluation.is_signed and evaluation.snapshot["evaluation"].get("signed_at"):
        return dict(evaluation.snapshot)
    snapshot: dict[str, Any] = dict(evaluation.snapshot)
    narratives = {n.goal_number: n for n in evaluation.narratives.select_related("author")}
    snapshot["goals"] = [
        {
            **goal,
            "narrative": narratives[goal["number"]].text if goal["number"] in narratives else "",
            "narrative_by": _name(narratives[goal["number"]].author) if goal["number"] in narratives else "",
        }
        for goal in snapshot["goals"]
    ]
    snapshot["evaluation"] = {
        **snapshot["evaluation"],
        "signed_at": evaluation.signed_at.isoformat() if evaluation.signed_at else None,
        "signed_by": _name(evaluation.signed_by),
    }
    return snapshot


def evaluable_periods(plan: Plan) -> list[Period]:
    """Half-years of the plan that have ended and are not evaluated yet."""
    today = timezone.localdate()
    done = set(Evaluation.objects.filter(plan=plan).values_list("period_start", flat=True))
    return [
        p for p in half_years(plan.period_start, plan.period_end) if p.end < today and p.start not in done
    ]


def current_period() -> Period:
    return half_year_of(timezone.localdate())


# --- the plan as plain data ------------------------------------------------------------


def spec_from_plan(plan: Plan) -> PlanSpec:
    spec = PlanSpec(
        code=plan.code,
        titles={"en": plan.title_en, "sq": plan.title_sq, "sr": plan.title_sr},
        period_start=plan.period_start,
        period_end=plan.period_end,
        approved_on=plan.approved_on,
        notes=list(plan.notes),
    )
    activities = (
        Activity.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "responsibles", queryset=Responsible.objects.select_related("unit").order_by("position")
            ),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position")),
        )
        .order_by("position")
    )
    by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_objective[activity.objective_id].append(activity)
    for goal in Goal.objects.filter(plan=plan).order_by("position"):
        goal_spec = GoalSpec(number=goal.number, texts=_texts(goal))
        spec.goals.append(goal_spec)
        for objective in goal.objectives.order_by("position"):
            objective_spec = ObjectiveSpec(number=objective.number, texts=_texts(objective))
            goal_spec.objectives.append(objective_spec)
            for activity in by_objective[objective.pk]:
                objective_spec.activities.append(
                    ActivitySpec(
                        code=activity.code,
                        code_as_printed=activity.code_as_printed,
                        texts=_texts(activity),
                        time_limits={
                            "en": activity.time_limit_en,
                            "sq": activity.time_limit_sq,
                            "sr": activity.time_limit_sr,
                        },
                        due_rule=activity.due_rule,
                        due_days=activity.due_days,
                        due_months=activity.due_months,
                        due_date=activity.due_date,
                        budget=list(activity.budget),
                        budget_as_written=activity.budget_as_written,
                        note=activity.note,
                        responsible_as_written=activity.responsible_as_written,
                        responsibles=[
                            ResponsibleSpec(
                                kind=r.kind,
                                level=r.level,
                                unit_path=r.unit.path if r.unit else "",
                                names={"en": r.name_en, "sq": r.name_sq, "sr": r.name_sr},
                            )
                            for r in activity.responsibles.all()
                        ],
                        indicators=[
                            IndicatorSpec(texts=_texts(i), unit=i.unit, target=i.target, source=i.source)
                            for i in activity.indicators.all()
                        ],
                    )
                )
    return spec


def _texts(item: Any) -> dict[str, str]:
    return {"en": item.text_en, "sq": item.text_sq, "sr": item.text_sr}
