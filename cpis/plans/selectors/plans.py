"""The plan and its records as the actor may read them, and which units answer
for an activity."""

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cpis.core.http import one_or_404
from cpis.core.periods import Period, half_years
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.selectors import get_root_unit

from ..models import Activity, Evaluation, Evidence, Plan, ProgressUpdate, ResponsibleKind, ReviewOutcome
from ..policy import policy


def root_path() -> str:
    return get_root_unit().path


def require_view(actor: Actor) -> None:
    """The plan is national: anyone who may see it somewhere sees all of it."""
    policy.require_anywhere(actor, "view")


def get_plan(actor: Actor, plan_id: int) -> Plan:
    require_view(actor)
    return one_or_404(Plan.objects, pk=plan_id)


def get_current_plan() -> Plan | None:
    """The plan whose period holds today, else the latest."""
    today = timezone.localdate()
    newest_first = ("-period_start", "-created_at", "-pk")
    plan = Plan.objects.filter(period_start__lte=today, period_end__gte=today).order_by(*newest_first).first()
    return plan or Plan.objects.order_by(*newest_first).first()


def police_day(year: int) -> date:
    month, day = settings.PLANS_POLICE_DAY
    return date(year, month, day)


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


def get_activity(actor: Actor, plan: Plan, code: str) -> Activity:
    require_view(actor)
    return one_or_404(
        Activity.objects.select_related("objective__goal", "plan").prefetch_related(
            "responsibles", "indicators"
        ),
        plan=plan,
        code=code,
    )


def list_updates(activity: Activity) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(activity=activity)
        .select_related("unit", "author", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )


def get_update(actor: Actor, update_id: int) -> ProgressUpdate:
    require_view(actor)
    return one_or_404(ProgressUpdate.objects.select_related("activity__plan"), pk=update_id)


def get_evidence(actor: Actor, evidence_id: int) -> Evidence:
    require_view(actor)
    return one_or_404(Evidence.objects, pk=evidence_id)


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


def list_evaluations(plan: Plan) -> QuerySet[Evaluation]:
    """The plan's evaluations, the newest half-year first, the national one before the regions'."""
    return (
        Evaluation.objects.filter(plan=plan)
        .select_related("unit", "frozen_by", "signed_by")
        .order_by("-period_start", "unit_path")
    )


def get_evaluation(actor: Actor, evaluation_id: int) -> Evaluation:
    """Any evaluation, national or a region's, for whoever may read the plan: an
    evaluation is aggregated and names no officer."""
    require_view(actor)
    return one_or_404(
        Evaluation.objects.select_related("plan", "unit", "frozen_by", "signed_by"), pk=evaluation_id
    )


def evaluation_places(actor: Actor, action: str = "freeze") -> list[Unit]:
    """The places whose evaluation the actor may freeze (or sign): the country
    and every region for the national roles, their own region for a region's."""
    candidates = Unit.objects.filter(Q(parent__isnull=True) | Q(kind=UnitKind.REGION)).order_by("path")
    return [unit for unit in candidates if policy.can(actor, action, unit.path)]


def is_evaluation_place(unit: Unit) -> bool:
    return unit.parent_id is None or unit.kind == UnitKind.REGION


def evaluable_periods(plan: Plan, unit: Unit | None = None) -> list[Period]:
    """Half-years of the plan that have ended and are not evaluated yet at `unit`
    (the country when None)."""
    today = timezone.localdate()
    place = unit or get_root_unit()
    done = set(Evaluation.objects.filter(plan=plan, unit=place).values_list("period_start", flat=True))
    return [
        p for p in half_years(plan.period_start, plan.period_end) if p.end < today and p.start not in done
    ]
