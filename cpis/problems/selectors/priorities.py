"""Reads of a sector's priorities [2.5.3, 3.2.4]: those of the actor's places,
one with what its page offers (the meetings it can be agreed at, the problems
it can be linked to, its history), the sector's panel on its profile, and
what the public sector page shows — the issue, what is being done, the date
agreed, never who."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from cpis.core.http import one_or_404
from cpis.core.i18n import pick
from cpis.forums import selectors as forums
from cpis.forums.models import Meeting, MeetingStatus
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind, station_path

from ..models import OPEN_STAGES, Change, PriorityStatus, Problem, SectorPriority
from ..policy import policy

# The priorities a sector is working on, or may: not those retired.
OPEN_PRIORITY_STATUSES = (PriorityStatus.PROPOSED, PriorityStatus.AGREED)


def visible_priorities(actor: Actor) -> QuerySet[SectorPriority]:
    return SectorPriority.objects.filter(policy.scope(actor, "view", "unit_path"))


def get_sector(actor: Actor, sector_id: int) -> Unit:
    """A sector of the actor's places (404 otherwise, and for a unit that is not a sector)."""
    return one_or_404(
        Unit.objects.sectors().filter(policy.scope(actor, "view")).select_related("parent"), pk=sector_id
    )


def get_priority(actor: Actor, priority_id: int) -> SectorPriority:
    """One priority of the actor's places; 404 otherwise."""
    return one_or_404(
        visible_priorities(actor).select_related(
            "unit", "unit__parent", "meeting", "meeting__forum", "agreed_by"
        ),
        pk=priority_id,
    )


def may_agree(actor: Actor, sector: Unit) -> bool:
    return policy.can(actor, "agree_priorities", sector.path)


def list_priorities(actor: Actor, *, status: str = "", unit: Unit | None = None) -> QuerySet[SectorPriority]:
    """The priorities of the actor's places (of `unit` when given), agreed
    first, then proposed, then retired; by sector and rank."""
    rows = visible_priorities(actor)
    if status:
        rows = rows.filter(status=status)
    if unit is not None:
        rows = rows.filter(unit_path__startswith=unit.path)
    return (
        rows.select_related("unit", "unit__parent", "meeting", "meeting__forum")
        .annotate(problem_count=Count("problems", distinct=True))
        .order_by("unit_path", "status", "rank", "id")
    )


def list_sector_priorities(sector: Unit, status: str) -> QuerySet[SectorPriority]:
    return (
        SectorPriority.objects.filter(unit=sector, status=status)
        .select_related("meeting", "meeting__forum")
        .annotate(problem_count=Count("problems", distinct=True))
        .order_by("rank", "id")
    )


def _covering(sector: Unit) -> Q:
    """Problems whose place is the sector, something in it, or a place above it
    (the station or region whose problem covers the sector)."""
    return Q(unit_path__startswith=sector.path) | Q(unit_path__in=sector.ancestor_paths()[:-1])


def list_sector_problems(actor: Actor, sector: Unit) -> QuerySet[Problem]:
    """The open problems of the sector the actor may see, newest first."""
    return (
        Problem.objects.filter(policy.scope(actor, "view", "unit_path"))
        .filter(unit_path__startswith=sector.path, stage__in=OPEN_STAGES)
        .select_related("owner")
        .order_by("-created_at", "-id")
    )


def list_linked_problems(priority: SectorPriority) -> QuerySet[Problem]:
    """The problems that work the priority, with their open actions counted."""
    return (
        priority.problems.select_related("unit", "owner")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=("planned", "in_progress"))))
        .order_by("-created_at", "-id")
    )


def list_problem_choices(actor: Actor, priority: SectorPriority) -> QuerySet[Problem]:
    """Problems the priority may be linked to: those the actor sees that cover
    its sector, not linked yet, newest first."""
    return (
        Problem.objects.filter(policy.scope(actor, "view", "unit_path"))
        .filter(_covering(priority.unit))
        .exclude(pk__in=priority.problems.values("pk"))
        .order_by("-created_at", "-id")
        .only("pk", "title", "stage", "unit_path")
    )


def covers(problem: Problem, sector: Unit) -> bool:
    """Whether a problem works in the sector (its place is the sector, inside it, or above it)."""
    return Problem.objects.filter(pk=problem.pk).filter(_covering(sector)).exists()


def _serving_paths(sector: Unit) -> list[str]:
    """The places whose forums serve a sector: the sector and the units above
    it up to its station."""
    station = station_path(sector.path)
    return [path for path in sector.ancestor_paths() if path.startswith(station)]


def list_meeting_choices(actor: Actor, sector: Unit) -> QuerySet[Meeting]:
    """Held meetings of the forums that serve the sector (its own and its
    station's), that the actor may see, newest first: where a priority can
    have been agreed."""
    return (
        forums.visible_meetings(actor)
        .filter(forum__unit_path__in=_serving_paths(sector), status=MeetingStatus.HELD)
        .select_related("forum")
        .order_by("-starts_at", "-id")
    )


def list_changes(priority: SectorPriority) -> QuerySet[Change]:
    return Change.objects.filter(priority=priority).select_related("by").order_by("at", "id")


@dataclass(frozen=True)
class SectorPanel:
    """What the sector's staff profile shows of its problem solving."""

    sector: Unit
    agreed: QuerySet[SectorPriority]
    proposed: QuerySet[SectorPriority] | None  # for those who may agree them
    problems: QuerySet[Problem]
    may_agree: bool


def sector_panel(actor: Actor, sector: Unit) -> SectorPanel:
    policy.require(actor, "view", sector.path)
    agree = may_agree(actor, sector)
    return SectorPanel(
        sector=sector,
        agreed=list_sector_priorities(sector, PriorityStatus.AGREED),
        proposed=list_sector_priorities(sector, PriorityStatus.PROPOSED) if agree else None,
        problems=list_sector_problems(actor, sector)[:20],
        may_agree=agree,
    )


# --- the public sector page ----------------------------------------------------------


@dataclass(frozen=True)
class PublicPriority:
    """A priority as citizens read it (police.uk's "our priorities"): no names."""

    issue: str
    what_is_done: str
    agreed_on: date


def public_issue(priority: SectorPriority) -> str:
    """The issue as written, or — while it is still the ranking's category
    name — the category's name in the reader's language."""
    names = priority.proposal.get("names") if isinstance(priority.proposal, dict) else None
    if isinstance(names, dict) and priority.issue == priority.proposal.get("name"):
        return pick(names) or priority.issue
    return priority.issue


def list_public_priorities(sector: Unit) -> list[PublicPriority]:
    """The sector's agreed priorities, by rank: what the public sector page shows."""
    if sector.kind != UnitKind.SECTOR:
        return []
    rows = (
        SectorPriority.objects.filter(unit=sector, status=PriorityStatus.AGREED)
        .only("issue", "what_is_done", "agreed_on", "proposal", "rank")
        .order_by("rank", "id")
    )
    return [
        PublicPriority(issue=public_issue(p), what_is_done=p.what_is_done, agreed_on=p.agreed_on)
        for p in rows
        if p.agreed_on is not None
    ]
