"""The evaluation snapshot: the plan as it stood at the end of a half-year,
in every language, as plain JSON, and the same with leadership's narratives
and signature for the reports."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cpis.core.periods import Period, half_years
from cpis.organisation.models import Unit, translations
from cpis.organisation.selectors import get_root_unit

from ..models import Activity, Evaluation, Plan
from .perception import perception_section
from .plans import root_path
from .progress import (
    STATUSES,
    ActivityRow,
    ActivityState,
    IndicatorRow,
    count_statuses,
    list_activities,
    list_indicator_rows,
    state_at,
    updates_by_activity,
)
from .sections import compute_sections


def user_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def build_snapshot(
    plan: Plan,
    period: Period,
    *,
    unit: Unit | None = None,
    frozen_by: Any = None,
    frozen_at: datetime | None = None,
) -> dict[str, Any]:
    """The plan as it stood at the end of `period`, in every language, as
    plain JSON, with the strategy's elements 1–6 for `unit` (the country when
    None): what an evaluation freezes and its reports are drawn from. The
    plan's progress is national whatever the place (the plan is national);
    the elements are the place's."""
    place = unit or get_root_unit()
    day = period.end
    updates = updates_by_activity(plan)
    root = root_path()
    rows = [
        ActivityRow(a, state_at(a, updates.get(a.pk, []), day, owner=root)) for a in list_activities(plan)
    ]
    periods = half_years(plan.period_start, day)
    goals, overdue = _goal_tree(rows, day)
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
            "frozen_by": user_name(frozen_by),
            "signed_at": None,
            "signed_by": "",
            "unit": None,
            "place": {
                "name": translations(place, "name"),
                "kind": place.kind,
                "path": place.path,
                "national": place.parent_id is None,
            },
        },
        "statuses": STATUSES,
        "totals": count_statuses(rows),
        "periods": [p.label for p in periods],
        "goals": goals,
        "indicators": [_indicator_entry(r) for r in list_indicator_rows(plan, periods)],
        "overdue": sorted(overdue, key=lambda o: -o["days_late"]),
        # Evaluation 4: the surveys' figures as they stood at the freeze, kept so that
        # responses reviewed or added later change no frozen evaluation.
        "perception": perception_section(period),
        # Evaluation 1–6 as the apps that hold them computed them for the place.
        "sections": compute_sections(place, period),
    }


def _goal_tree(rows: list[ActivityRow], day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Goals → objectives → activities with their status totals, and the
    activities overdue at `day`."""
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
        entry = _activity_entry(activity, state)
        objective_index[objective.pk]["activities"].append(entry)
        objective_index[objective.pk]["totals"][state.status] += 1
        goal_index[goal.pk]["totals"][state.status] += 1
        if state.overdue and state.due:
            overdue.append(
                {
                    "code": activity.code,
                    "text": activity.texts(),
                    "due_date": state.due.isoformat(),
                    "status": state.status,
                    "responsible": entry["responsible"],
                    "days_late": (day - state.due).days,
                }
            )
    return goals, overdue


def _activity_entry(activity: Activity, state: ActivityState) -> dict[str, Any]:
    return {
        "code": activity.code,
        "text": activity.texts(),
        "responsible": {
            lang: ", ".join(getattr(r, f"name_{lang}") or r.name_en for r in activity.responsibles.all())
            for lang in ("sq", "sr", "en")
        },
        "time_limit": activity.time_limits(),
        "due_date": state.due.isoformat() if state.due else None,
        "status": state.status,
        "percent": state.percent,
        "last_update": state.last_update.isoformat() if state.last_update else None,
        "overdue": state.overdue,
    }


def _indicator_entry(row: IndicatorRow) -> dict[str, Any]:
    indicator = row.indicator
    return {
        "activity_code": indicator.activity.code,
        "text": indicator.texts(),
        "unit": indicator.unit,
        "source": indicator.source,
        "computed": row.computed,
        "target": float(indicator.target) if indicator.target is not None else None,
        "values": row.values,
    }


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
            "narrative_by": user_name(narratives[goal["number"]].author)
            if goal["number"] in narratives
            else "",
        }
        for goal in snapshot["goals"]
    ]
    snapshot["evaluation"] = {
        **snapshot["evaluation"],
        "signed_at": evaluation.signed_at.isoformat() if evaluation.signed_at else None,
        "signed_by": user_name(evaluation.signed_by),
    }
    return snapshot
