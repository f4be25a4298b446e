"""A plan as plain data: what the curated JSON file, an XLSX workbook and
the database all translate to and from, so that loading, importing and
exporting share one shape and a round trip can be compared exactly."""

import calendar
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .models import DueRule

LANGUAGES = ("en", "sq", "sr")
DATA_FILE = Path(__file__).parent / "data" / "action_plan_2012_2016.json"


def texts(value: dict[str, str] | None) -> dict[str, str]:
    value = value or {}
    return {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}


@dataclass
class ResponsibleSpec:
    kind: str
    names: dict[str, str]
    level: str = ""
    unit_path: str = ""


@dataclass
class IndicatorSpec:
    texts: dict[str, str]
    unit: str = "count"
    target: Decimal | None = None
    source: str = ""


@dataclass
class ActivitySpec:
    code: str
    texts: dict[str, str]
    time_limits: dict[str, str]
    due_rule: str
    code_as_printed: str = ""
    responsible_as_written: str = ""
    responsibles: list[ResponsibleSpec] = field(default_factory=list)
    due_days: int | None = None
    due_months: int | None = None
    due_date: date | None = None  # the date for by_date; computed for after_approval
    budget: list[str] = field(default_factory=list)
    budget_as_written: str = ""
    note: str = ""
    indicators: list[IndicatorSpec] = field(default_factory=list)


@dataclass
class ObjectiveSpec:
    number: str
    texts: dict[str, str]
    activities: list[ActivitySpec] = field(default_factory=list)


@dataclass
class GoalSpec:
    number: str
    texts: dict[str, str]
    objectives: list[ObjectiveSpec] = field(default_factory=list)


@dataclass
class PlanSpec:
    code: str
    titles: dict[str, str]
    period_start: date
    period_end: date
    approved_on: date
    notes: list[str] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)

    def activities(self) -> list[ActivitySpec]:
        return [a for g in self.goals for o in g.objectives for a in o.activities]


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date_for(activity: ActivitySpec, approved_on: date) -> date | None:
    """The normalised deadline: as given for a date, counted from approval
    for "N days/months after approval", none for ongoing and yearly work."""
    if activity.due_rule == DueRule.BY_DATE:
        return activity.due_date
    if activity.due_rule == DueRule.AFTER_APPROVAL:
        day = add_months(approved_on, activity.due_months or 0)
        return date.fromordinal(day.toordinal() + (activity.due_days or 0))
    return None


def from_json(data: dict[str, Any]) -> PlanSpec:
    """The curated data file's shape (see data/action_plan_2012_2016.json)."""
    plan = data["plan"]
    spec = PlanSpec(
        code=plan["code"],
        titles=texts(plan["title"]),
        period_start=date.fromisoformat(plan["period_start"]),
        period_end=date.fromisoformat(plan["period_end"]),
        approved_on=date.fromisoformat(plan["approved_on"]),
        notes=[*data.get("resolutions", []), *data.get("assumptions", [])],
    )
    for goal in data["goals"]:
        goal_spec = GoalSpec(number=goal["number"], texts=texts(goal["text"]))
        spec.goals.append(goal_spec)
        for objective in goal["objectives"]:
            objective_spec = ObjectiveSpec(number=objective["number"], texts=texts(objective["text"]))
            goal_spec.objectives.append(objective_spec)
            for item in objective["activities"]:
                due = item["due"]
                activity = ActivitySpec(
                    code=item["code"],
                    code_as_printed=item.get("code_as_printed", ""),
                    texts=texts(item["text"]),
                    responsible_as_written=item.get("responsible_as_written", ""),
                    responsibles=[
                        ResponsibleSpec(
                            kind=r["kind"],
                            names=texts(r["name"]),
                            level=r.get("level", ""),
                            unit_path=r.get("unit_path", ""),
                        )
                        for r in item.get("responsible", [])
                    ],
                    time_limits=texts(item["time_limit"]),
                    due_rule=due["rule"],
                    due_days=due.get("days"),
                    due_months=due.get("months"),
                    due_date=date.fromisoformat(due["date"]) if due.get("date") else None,
                    budget=list(item.get("budget", [])),
                    budget_as_written=item.get("budget_as_written", ""),
                    note=item.get("note", ""),
                    indicators=[
                        IndicatorSpec(
                            texts=texts(i["text"]),
                            unit=i.get("unit", "count"),
                            target=Decimal(str(i["target"])) if i.get("target") is not None else None,
                            source=i.get("source", ""),
                        )
                        for i in item.get("indicators", [])
                    ],
                )
                activity.due_date = due_date_for(activity, spec.approved_on)
                objective_spec.activities.append(activity)
    return spec


def load_data_file(path: Path = DATA_FILE) -> PlanSpec:
    with path.open(encoding="utf-8") as handle:
        return from_json(json.load(handle))
