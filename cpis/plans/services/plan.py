"""A whole plan from plain data (the curated file or a workbook): every
problem found at once, then all or nothing."""

import re
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .. import selectors
from ..models import (
    Activity,
    BudgetCategory,
    DueRule,
    Goal,
    Indicator,
    IndicatorUnit,
    Objective,
    Plan,
    Responsible,
    ResponsibleKind,
)
from ..policy import policy
from ..spec import LANGUAGES, ActivitySpec, PlanSpec, due_date_for

SOURCE_KEY = re.compile(r"^[a-z_]+\.[a-z_]+$")
CODE = re.compile(r"^\d+(\.\d+)*$")


class PlanExists(DomainError):
    message = gettext_lazy("A plan with this code exists already.")


class InvalidPlan(InvalidInput):
    """Every problem found, so that the whole file can be fixed at once."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(_("The plan was not loaded: %(problems)s") % {"problems": "; ".join(self.problems)})


def validate_spec(spec: PlanSpec) -> list[str]:
    """Problems with a plan as plain data, each naming where it is."""
    problems: list[str] = []
    if not spec.code or not re.fullmatch(r"[-a-z0-9_]{1,40}", spec.code):
        problems.append(_("plan code: use lower-case letters, digits and dashes"))
    if not spec.titles.get("en"):
        problems.append(_("plan: the English title is missing"))
    if any(len(title) > 200 for title in spec.titles.values()):
        problems.append(_("plan: a title is longer than 200 characters"))
    if spec.period_end <= spec.period_start:
        problems.append(_("plan: the period ends before it starts"))
    seen: set[str] = set()
    known_paths = set(Unit.objects.values_list("path", flat=True))
    for goal in spec.goals:
        for objective in goal.objectives:
            if not objective.number.startswith(goal.number + "."):
                problems.append(
                    _("objective %(number)s: not under goal %(goal)s")
                    % {"number": objective.number, "goal": goal.number}
                )
            for activity in objective.activities:
                problems += _activity_problems(activity, objective.number, seen, known_paths)
                seen.add(activity.code)
    return problems


def _activity_problems(
    activity: ActivitySpec, objective_number: str, seen: set[str], known_paths: set[str]
) -> list[str]:
    """An activity's problems: its code, due rule and budget, then its
    responsible bodies and indicators."""
    problems: list[str] = []
    where = activity.code
    if not CODE.fullmatch(activity.code):
        problems.append(_("activity %(code)s: the code is not numbers and dots") % {"code": where})
    elif not activity.code.startswith(objective_number + "."):
        problems.append(
            _("activity %(code)s: not under objective %(objective)s")
            % {"code": where, "objective": objective_number}
        )
    if activity.code in seen:
        problems.append(_("activity %(code)s: the code is used twice") % {"code": where})
    if not activity.texts.get("en"):
        problems.append(_("activity %(code)s: the English text is missing") % {"code": where})
    if activity.due_rule not in DueRule.values:
        problems.append(_("activity %(code)s: unknown due rule") % {"code": where})
    if activity.due_rule == DueRule.BY_DATE and activity.due_date is None:
        problems.append(_("activity %(code)s: a due date is needed") % {"code": where})
    for code in activity.budget:
        if code not in BudgetCategory.values:
            problems.append(
                _("activity %(code)s: unknown budget category %(value)s") % {"code": where, "value": code}
            )
    return problems + _responsible_problems(activity, known_paths) + _indicator_problems(activity)


def _responsible_problems(activity: ActivitySpec, known_paths: set[str]) -> list[str]:
    problems: list[str] = []
    where = activity.code
    for responsible in activity.responsibles:
        if responsible.kind not in ResponsibleKind.values:
            problems.append(_("activity %(code)s: unknown kind of responsible body") % {"code": where})
        if responsible.kind == ResponsibleKind.LEVEL and responsible.level not in UnitKind.values:
            problems.append(_("activity %(code)s: unknown level") % {"code": where})
        if responsible.kind == ResponsibleKind.UNIT and responsible.unit_path not in known_paths:
            problems.append(
                _("activity %(code)s: no unit at %(path)s") % {"code": where, "path": responsible.unit_path}
            )
        if not responsible.names.get("en"):
            problems.append(_("activity %(code)s: a responsible body has no name") % {"code": where})
    return problems


def _indicator_problems(activity: ActivitySpec) -> list[str]:
    problems: list[str] = []
    where = activity.code
    for indicator in activity.indicators:
        if indicator.unit not in IndicatorUnit.values:
            problems.append(_("activity %(code)s: unknown indicator unit") % {"code": where})
        if indicator.source and not SOURCE_KEY.fullmatch(indicator.source):
            problems.append(_("activity %(code)s: the indicator source is malformed") % {"code": where})
        if not indicator.texts.get("en"):
            problems.append(_("activity %(code)s: an indicator has no text") % {"code": where})
        if indicator.target is not None and indicator.target < 0:
            problems.append(_("activity %(code)s: a target cannot be negative") % {"code": where})
    return problems


@transaction.atomic
def create_plan(actor: Actor, *, spec: PlanSpec) -> Plan:
    """A whole plan from plain data, all or nothing. Working group only."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    problems = validate_spec(spec)
    if problems:
        raise InvalidPlan(problems)
    if Plan.objects.filter(code=spec.code).exists():
        raise PlanExists()
    plan = Plan.objects.create(
        code=spec.code,
        period_start=spec.period_start,
        period_end=spec.period_end,
        approved_on=spec.approved_on,
        notes=list(spec.notes),
        **_in_languages("title", spec.titles),
    )
    units = {u.path: u for u in Unit.objects.filter(path__in=_unit_paths(spec))}
    position = 0
    responsibles: list[Responsible] = []
    indicators: list[Indicator] = []
    for goal_position, goal_spec in enumerate(spec.goals):
        goal = Goal.objects.create(
            plan=plan, number=goal_spec.number, position=goal_position, **_text(goal_spec.texts)
        )
        for objective_position, objective_spec in enumerate(goal_spec.objectives):
            objective = Objective.objects.create(
                goal=goal,
                number=objective_spec.number,
                position=objective_position,
                **_text(objective_spec.texts),
            )
            for item in objective_spec.activities:
                activity = _create_activity(
                    plan, objective, item, position=position, approved_on=spec.approved_on
                )
                position += 1
                responsibles += _responsibles(activity, item, units)
                indicators += _indicators(activity, item)
    Responsible.objects.bulk_create(responsibles)
    Indicator.objects.bulk_create(indicators)
    return plan


def _create_activity(
    plan: Plan, objective: Objective, item: ActivitySpec, *, position: int, approved_on: date
) -> Activity:
    return Activity.objects.create(
        plan=plan,
        objective=objective,
        code=item.code,
        code_as_printed=item.code_as_printed,
        position=position,
        responsible_as_written=item.responsible_as_written,
        due_rule=item.due_rule,
        due_days=item.due_days,
        due_months=item.due_months,
        due_date=due_date_for(item, approved_on),
        budget=list(item.budget),
        budget_as_written=item.budget_as_written,
        note=item.note,
        **_in_languages("time_limit", item.time_limits),
        **_text(item.texts),
    )


def _responsibles(activity: Activity, item: ActivitySpec, units: dict[str, Unit]) -> list[Responsible]:
    return [
        Responsible(
            activity=activity,
            position=i,
            kind=r.kind,
            level=r.level,
            unit=units.get(r.unit_path) if r.kind == ResponsibleKind.UNIT else None,
            **_in_languages("name", r.names),
        )
        for i, r in enumerate(item.responsibles)
    ]


def _indicators(activity: Activity, item: ActivitySpec) -> list[Indicator]:
    return [
        Indicator(
            activity=activity,
            position=i,
            unit=ind.unit,
            target=ind.target,
            source=ind.source,
            **_text(ind.texts),
        )
        for i, ind in enumerate(item.indicators)
    ]


def _in_languages(field: str, values: dict[str, str]) -> dict[str, str]:
    """`field`_en, _sq and _sr: English is required (the spec's check sees
    to that), the others may be missing."""
    return {f"{field}_{lang}": values["en"] if lang == "en" else values.get(lang, "") for lang in LANGUAGES}


def _text(values: dict[str, str]) -> dict[str, str]:
    return {f"text_{lang}": values.get(lang, "") for lang in LANGUAGES}


def _unit_paths(spec: PlanSpec) -> set[str]:
    return {r.unit_path for a in spec.activities() for r in a.responsibles if r.unit_path}


def load_plan_data(spec: PlanSpec) -> tuple[Plan, bool]:
    """Load the curated plan once: (plan, created). Used by the command and the demo."""
    existing = Plan.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing, False
    return create_plan(Actor.system(), spec=spec), True
