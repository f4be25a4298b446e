"""The plan in the database as plain data (spec.PlanSpec), for the XLSX
export and the round trip with the curated file."""

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch

from ..models import Activity, Goal, Indicator, Plan, Responsible
from ..spec import ActivitySpec, GoalSpec, IndicatorSpec, ObjectiveSpec, PlanSpec, ResponsibleSpec


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
