"""Writes of a problem: open it (by hand or from what scanning found), change
it, give it an owner and a team, link sources, move it through SARA, close it
with an outcome and reopen it. Every change is written to its history in the
same transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.concerns.models import Category as ConcernCategory
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from ..models import EFFECT_OUTCOMES, MemberKind, Outcome, Problem, Source, Stage, TeamMember
from ..policy import policy
from ..selectors import problems as selectors
from .history import record


class ProblemClosed(DomainError):
    message = gettext_lazy("The problem is closed: reopen it to change it.")


class NotOnTheTeam(DomainError):
    status_code = 403
    message = gettext_lazy(
        "Only the problem's owner, its team's officers and the leads of its place may change it."
    )


class SolvedNeedsAssessment(DomainError):
    status_code = 400
    message = gettext_lazy(
        "A problem is closed as solved or reduced only with an assessment on record, "
        "or with a written reason."
    )


class NotClosed(DomainError):
    message = gettext_lazy("The problem is not closed.")


@dataclass
class Found:
    """What scanning found, to link as a source: `kind` and the one reference
    that goes with it (as `Source` field → value), a label, details."""

    kind: str
    label: str
    refs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def require_work(actor: Actor, problem: Problem) -> None:
    """The problem's owner, team officers or a lead of its place may change it; 404 outside."""
    policy.require(actor, "view", problem.unit_path)
    if not selectors.can_work(actor, problem):
        raise NotOnTheTeam()


def require_open(problem: Problem) -> None:
    if not problem.is_open:
        raise ProblemClosed()


def _clean_place(unit: Unit) -> Unit:
    if unit.kind not in selectors.PLACE_KINDS:
        raise InvalidInput(_("Choose a sector, a station or a region as the problem's place."))
    return unit


def _check_owner(unit: Unit, owner: Officer | None) -> Officer | None:
    if owner is not None and not selectors.list_owner_choices(unit).filter(pk=owner.pk).exists():
        raise InvalidInput(_("Choose an owner who serves at the problem's station."))
    return owner


def _check_area(area: dict[str, Any] | None) -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon in longitude/latitude, or nothing."""
    if not area:
        return {}
    from shapely.geometry import shape

    if area.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidInput(_("The target area must be a polygon."))
    try:
        geometry = shape(area)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise InvalidInput(_("The target area is not a valid polygon.")) from error
    west, south, east, north = geometry.bounds
    if (
        not geometry.is_valid
        or geometry.is_empty
        or not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90)
    ):
        raise InvalidInput(_("The target area is not a valid polygon."))
    return area


@transaction.atomic
def open_problem(
    actor: Actor,
    *,
    unit: Unit,
    title: str,
    description: str = "",
    incident_categories: Iterable[IncidentCategory] = (),
    concern_categories: Iterable[ConcernCategory] = (),
    area: dict[str, Any] | None = None,
    owner: Officer | None = None,
    found: Sequence[Found] = (),
) -> Problem:
    """Open a problem at a place where the actor may (scanning), with what led
    to it linked as its sources. The owner defaults to the actor's own officer
    profile. Bad input changes nothing."""
    policy.require(actor, "open", unit.path)
    unit = _clean_place(unit)
    if owner is None:
        owner = selectors.officer_of(actor)
        if owner is not None and not selectors.list_owner_choices(unit).filter(pk=owner.pk).exists():
            owner = None
    problem = Problem.objects.create(
        title=clean_text(title, limit=200, required=True, missing=_("Give the problem a title.")),
        description=clean_text(description, limit=10_000, required=False),
        unit=unit,
        unit_path=unit.path,
        area=_check_area(area),
        owner=_check_owner(unit, owner),
        opened_by_id=actor.user_id,
    )
    problem.incident_categories.set(list(incident_categories))
    problem.concern_categories.set(list(concern_categories))
    record(problem, actor, "opened", to=Stage.SCANNING)
    for item in found:
        _link(actor, problem, item)
    return problem


def _link(actor: Actor, problem: Problem, item: Found) -> Source:
    source = Source.objects.create(
        problem=problem,
        kind=item.kind,
        label=item.label[:300],
        details=item.details,
        linked_by_id=actor.user_id,
        **item.refs,
    )
    record(problem, actor, "source_linked", kind=item.kind, note=source.label)
    return source


@transaction.atomic
def link_sources(actor: Actor, *, problem: Problem, found: Sequence[Found]) -> list[Source]:
    """Link more of what scanning found (concerns and incidents offered while the
    problem is open, a cluster, a meeting's decision). A record already linked
    is not linked twice."""
    require_work(actor, problem)
    require_open(problem)
    linked = []
    for item in found:
        if item.refs and Source.objects.filter(problem=problem, **item.refs).exists():
            continue
        linked.append(_link(actor, problem, item))
    return linked


@transaction.atomic
def update_problem(
    actor: Actor,
    *,
    problem: Problem,
    title: str,
    description: str,
    incident_categories: Iterable[IncidentCategory],
    concern_categories: Iterable[ConcernCategory],
    area: dict[str, Any] | None = None,
    routine_activity: str | None = None,
) -> Problem:
    """Change what the problem is: its title, description, categories, target area
    and routine-activity notes. The owner, team and leads may."""
    require_work(actor, problem)
    require_open(problem)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    changed: list[str] = []
    new = {
        "title": clean_text(title, limit=200, required=True, missing=_("Give the problem a title.")),
        "description": clean_text(description, limit=10_000, required=False),
        "area": _check_area(area),
    }
    if routine_activity is not None:
        new["routine_activity"] = clean_text(routine_activity, limit=10_000, required=False)
    for name, value in new.items():
        if getattr(problem, name) != value:
            setattr(problem, name, value)
            changed.append(name)
    incident_ids = sorted(c.pk for c in incident_categories)
    concern_ids = sorted(c.pk for c in concern_categories)
    if sorted(problem.incident_categories.values_list("pk", flat=True)) != incident_ids:
        problem.incident_categories.set(incident_ids)
        changed.append("incident_categories")
    if sorted(problem.concern_categories.values_list("pk", flat=True)) != concern_ids:
        problem.concern_categories.set(concern_ids)
        changed.append("concern_categories")
    if changed:
        problem.save()
        record(problem, actor, "changed", fields=changed)
    return problem


@transaction.atomic
def set_owner(actor: Actor, *, problem: Problem, owner: Officer | None) -> Problem:
    """Give the problem an owner (leads of its place only)."""
    policy.require(actor, "lead", problem.unit_path)
    require_open(problem)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    previous = problem.owner
    problem.owner = _check_owner(problem.unit, owner)
    problem.save(update_fields=["owner", "updated_at"])
    record(
        problem,
        actor,
        "owner",
        **{"from": str(previous) if previous else "", "to": str(owner) if owner else ""},
    )
    return problem


@transaction.atomic
def move_stage(actor: Actor, *, problem: Problem, stage: str, note: str = "") -> Problem:
    """Move an open problem to another SARA stage (forward, or back when the
    assessment shows the response did not work). Closing is `close_problem`."""
    require_work(actor, problem)
    require_open(problem)
    if stage not in Stage.values or stage == Stage.CLOSED:
        raise InvalidInput(_("Choose a stage: scanning, analysis, response or assessment."))
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if problem.stage != stage:
        record(
            problem,
            actor,
            "stage",
            note=clean_text(note, limit=2000, required=False),
            **{"from": problem.stage, "to": stage},
        )
        problem.stage = stage
        problem.save(update_fields=["stage", "updated_at"])
    return problem


@transaction.atomic
def close_problem(actor: Actor, *, problem: Problem, outcome: str, reason: str = "") -> Problem:
    """Close a problem with its outcome. Solved or reduced needs an assessment
    on record or a written reason. The problem's owner and leads may close it."""
    require_work(actor, problem)
    require_open(problem)
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose the outcome."))
    reason = clean_text(reason, limit=10_000, required=False)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if outcome in EFFECT_OUTCOMES and not reason and not hasattr(problem, "assessment"):
        raise SolvedNeedsAssessment()
    record(problem, actor, "closed", note=reason, outcome=outcome, **{"from": problem.stage})
    problem.stage = Stage.CLOSED
    problem.outcome = outcome
    problem.outcome_reason = reason
    problem.closed_at = timezone.now()
    problem.closed_by_id = actor.user_id
    problem.save()
    return problem


@transaction.atomic
def reopen_problem(actor: Actor, *, problem: Problem, note: str = "") -> Problem:
    """Reopen a closed problem at the response stage (leads only)."""
    policy.require(actor, "lead", problem.unit_path)
    if problem.is_open:
        raise NotClosed()
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    record(
        problem, actor, "reopened", note=clean_text(note, limit=2000, required=False), outcome=problem.outcome
    )
    problem.stage = Stage.RESPONSE
    problem.outcome = ""
    problem.outcome_reason = ""
    problem.closed_at = None
    problem.closed_by = None
    problem.save()
    return problem


@transaction.atomic
def add_team_member(
    actor: Actor,
    *,
    problem: Problem,
    kind: str,
    officer: Officer | None = None,
    partner: Any = None,
    forum: Any = None,
    citizen_name: str = "",
    citizen_contact: str = "",
    consent_on: date | None = None,
    role: str = "",
) -> TeamMember:
    """Add an officer, a partner, a forum or a named citizen (with the date of
    their consent) to the problem's team [3.1.2]."""
    require_work(actor, problem)
    require_open(problem)
    fields: dict[str, Any] = {"kind": kind, "role": clean_text(role, limit=200, required=False)}
    if kind == MemberKind.OFFICER and officer is not None:
        fields["officer"] = officer
    elif kind == MemberKind.PARTNER and partner is not None:
        fields["partner"] = partner
    elif kind == MemberKind.FORUM and forum is not None:
        fields["forum"] = forum
    elif kind == MemberKind.CITIZEN:
        if consent_on is None or consent_on > timezone.localdate():
            raise InvalidInput(
                _("A citizen joins the team only with their consent: give the date they gave it.")
            )
        fields |= {
            "citizen_name": clean_text(
                citizen_name, limit=200, required=True, missing=_("Give the citizen's name.")
            ),
            "citizen_contact": clean_text(citizen_contact, limit=200, required=False),
            "consent_on": consent_on,
        }
    else:
        raise InvalidInput(_("Choose who joins the team."))
    unique = {k: v for k, v in fields.items() if k in {"officer", "partner", "forum"}}
    if unique and TeamMember.objects.filter(problem=problem, **unique).exists():
        raise InvalidInput(_("They are already on the team."))
    member = TeamMember.objects.create(problem=problem, added_by_id=actor.user_id, **fields)
    record(problem, actor, "team_added", kind=kind, note=member.name if kind != MemberKind.CITIZEN else "")
    return member


@transaction.atomic
def remove_team_member(actor: Actor, *, member: TeamMember) -> None:
    problem = member.problem
    require_work(actor, problem)
    require_open(problem)
    record(
        problem,
        actor,
        "team_removed",
        kind=member.kind,
        note=member.name if member.kind != MemberKind.CITIZEN else "",
    )
    member.delete()
