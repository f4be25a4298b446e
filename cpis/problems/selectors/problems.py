"""Reads of problems: those of the actor's places, one problem with what its
page shows, who may work it, and its history."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cpis.concerns.models import Category as ConcernCategory
from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind, station_path

from ..models import OPEN_ACTION_STATUSES, Action, Change, Problem, ProblemQuerySet, Stage
from ..policy import policy

# Where a problem can be: a sector, a station (or substation), a region.
PLACE_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION, UnitKind.REGION)


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    outcome: str = ""
    unit: Unit | None = None
    owner: int | None = None  # an officer's id
    mine: bool = False  # owned by, or on the team of, the actor
    search: str = ""
    opened_from: date | None = None
    opened_until: date | None = None


def visible_problems(actor: Actor) -> ProblemQuerySet:
    return Problem.objects.filter(policy.scope(actor, "view", "unit_path"))


def officer_of(actor: Actor) -> Officer | None:
    """The actor's officer profile, if they have one in service."""
    if actor.user_id is None:
        return None
    return Officer.objects.filter(user_id=actor.user_id, is_active=True).first()


def _mine(actor: Actor) -> Q:
    if actor.user_id is None:
        return Q(pk__in=[])
    return Q(owner__user_id=actor.user_id) | Q(team__officer__user_id=actor.user_id)


def filtered_problems(actor: Actor, filters: Filters) -> QuerySet[Problem]:
    problems: QuerySet[Problem] = visible_problems(actor)
    if filters.stage == "open":
        problems = problems.exclude(stage=Stage.CLOSED)
    elif filters.stage:
        problems = problems.filter(stage=filters.stage)
    if filters.outcome:
        problems = problems.filter(outcome=filters.outcome)
    if filters.unit is not None:
        problems = problems.filter(unit_path__startswith=filters.unit.path)
    if filters.owner is not None:
        problems = problems.filter(owner_id=filters.owner)
    if filters.mine:
        problems = problems.filter(pk__in=Problem.objects.filter(_mine(actor)).values("pk"))
    if filters.search:
        problems = problems.filter(
            Q(title__icontains=filters.search) | Q(description__icontains=filters.search)
        )
    if filters.opened_from is not None:
        problems = problems.filter(created_at__date__gte=filters.opened_from)
    if filters.opened_until is not None:
        problems = problems.filter(created_at__date__lte=filters.opened_until)
    return problems


def open_action_count() -> Coalesce:
    """The problem's open actions (planned or in progress), counted in a subquery:
    no GROUP BY over the list, so that a page reads its own rows only (and its
    COUNT(*) leaves the count out), in the order of the problem_newest index."""
    counted = (
        Action.objects.filter(problem=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES)
        .order_by()
        .values("problem")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# What a row of the list shows, its API item and its export read, and no more: not the
# target area, the places' boundaries or the owner's personal details.
_NAMES = ("name_sq", "name_sr", "name_en")
LIST_FIELDS = (
    *("title", "stage", "outcome", "unit", "unit_path", "owner", "created_at", "closed_at"),
    *(f"unit__{name}" for name in _NAMES),
    "unit__parent",
    *(f"unit__parent__{name}" for name in _NAMES),
    *("owner__first_name", "owner__last_name"),
)


def list_problems(actor: Actor, filters: Filters) -> QuerySet[Problem]:
    """The problems of the actor's places that match, newest first, with what a
    list row shows (a fixed number of queries whatever the page size)."""
    return (
        filtered_problems(actor, filters)
        .select_related("unit", "unit__parent", "owner")
        .only(*LIST_FIELDS)
        .annotate(open_actions=open_action_count())
        .order_by("-created_at", "-id")
    )


def get_problem(actor: Actor, problem_id: int) -> Problem:
    """One problem of the actor's places; 404 otherwise, as for one that does not exist."""
    return one_or_404(
        visible_problems(actor).select_related("unit", "unit__parent", "owner", "opened_by", "closed_by"),
        pk=problem_id,
    )


def can_work(actor: Actor, problem: Problem) -> bool:
    """Leads at the problem's place, always; its owner and the officers on its
    team while they may open problems there."""
    if policy.can(actor, "lead", problem.unit_path):
        return True
    if actor.user_id is None or not policy.can(actor, "open", problem.unit_path):
        return False
    return Problem.objects.filter(pk=problem.pk).filter(_mine(actor)).exists()


def list_changes(problem: Problem) -> QuerySet[Change]:
    return Change.objects.filter(problem=problem).select_related("by").order_by("at", "id")


def list_places(actor: Actor, action: str = "open") -> QuerySet[Unit]:
    """Sectors, stations and regions where the actor may do `action`, in tree
    order, to choose from: what a choice shows and filters by (a national role
    has some 400, and their boundaries and the rest are not read)."""
    label = ("kind", "path", "name_sq", "name_sr", "name_en")
    return (
        Unit.objects.filter(kind__in=PLACE_KINDS)
        .filter(policy.scope(actor, action))
        .select_related("parent")
        .only(*label, "parent", *(f"parent__{name}" for name in label))
        .order_by("path")
    )


def list_owner_choices(unit: Unit) -> QuerySet[Officer]:
    """Officers in service at the place's station (or under the region), to own a problem."""
    path = unit.path if unit.kind == UnitKind.REGION else station_path(unit.path)
    return Officer.objects.filter(is_active=True, unit__path__startswith=path).order_by(
        "last_name", "first_name"
    )


def get_place(actor: Actor, unit_id: int) -> Unit:
    """A sector, station or region the actor sees problems at; 404 otherwise."""
    return one_or_404(
        Unit.objects.filter(kind__in=PLACE_KINDS).filter(policy.scope(actor, "view")), pk=unit_id
    )


def categories_by_code(
    incident_codes: Iterable[str], concern_codes: Iterable[str]
) -> tuple[list[IncidentCategory], list[ConcernCategory]]:
    """The incident and concern categories with these codes; InvalidInput naming
    the first code that is not one."""
    incident_wanted, concern_wanted = list(dict.fromkeys(incident_codes)), list(dict.fromkeys(concern_codes))
    incident = {c.code: c for c in IncidentCategory.objects.filter(code__in=incident_wanted)}
    concern = {c.code: c for c in ConcernCategory.objects.filter(code__in=concern_wanted, is_active=True)}
    for code in incident_wanted:
        if code not in incident:
            raise InvalidInput(_("There is no incident category %(code)s.") % {"code": code})
    for code in concern_wanted:
        if code not in concern:
            raise InvalidInput(_("There is no concern category %(code)s.") % {"code": code})
    return [incident[c] for c in incident_wanted], [concern[c] for c in concern_wanted]
