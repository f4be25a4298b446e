"""Writes of a sector's priorities [2.5.3, 3.2.4]: the computed ranking
becomes proposals; the sector agrees them at a forum meeting or the station
does, who and when recorded; they are edited, ranked, linked to the problems
that work them and retired. Every change is written to the priority's history
in the same transaction."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.analytics import analyses
from cpis.analytics.models import Subject
from cpis.concerns.models import Category as ConcernCategory
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.forums.models import Meeting
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import AgreedBy, PriorityStatus, Problem, SectorPriority
from ..policy import policy
from ..selectors import priorities as selectors
from .history import record

MAX_RANK = 99


class PriorityRetired(DomainError):
    message = gettext_lazy("The priority is no longer a priority: it cannot be changed.")


class AgreedNeedsMeeting(DomainError):
    status_code = 400
    message = gettext_lazy("Choose the forum meeting at which the priority was agreed.")


class MeetingNotOfSector(DomainError):
    status_code = 400
    message = gettext_lazy(
        "Choose a held meeting of a forum that serves the sector (its own or its station's)."
    )


def _require_sector(unit: Unit) -> Unit:
    if unit.kind != UnitKind.SECTOR:
        raise InvalidInput(_("Priorities are agreed for a sector: choose a sector."))
    return unit


def _require_not_retired(priority: SectorPriority) -> None:
    if priority.status == PriorityStatus.RETIRED:
        raise PriorityRetired()


def _locked(priority: SectorPriority) -> SectorPriority:
    return SectorPriority.objects.select_for_update().get(pk=priority.pk)


def _category_names(subject: str, category_id: int) -> dict[str, str]:
    """The category's name in each language, so the public page can show the
    issue in the reader's language while it is still the category's name."""
    model = ConcernCategory if subject == Subject.CONCERNS else IncidentCategory
    row = model.objects.filter(pk=category_id).values_list("name_sq", "name_sr", "name_en").first()
    return dict(zip(("sq", "sr", "en"), row, strict=True)) if row else {}


def propose_priorities(actor: Actor, *, sector: Unit, on: date | None = None) -> list[SectorPriority]:
    """Turn the sector's computed ranking (analytics' priorities) into proposed
    priorities: one per ranked category that has no open (proposed or agreed)
    priority yet, ranked after those. Leads of the sector may. Returns those made."""
    policy.require(actor, "agree_priorities", sector.path)
    _require_sector(sector)
    # The ranking takes a while: computed before the transaction, so that no write waits on it.
    ranking = analyses.priorities(actor, sector, on=on)
    with transaction.atomic():
        return _propose(actor, sector, ranking)


def _propose(actor: Actor, sector: Unit, ranking: list[analyses.Priority]) -> list[SectorPriority]:
    # One proposal at a time per sector: a second click waits and then finds the first's rows.
    Unit.objects.select_for_update().filter(pk=sector.pk).first()
    open_rows = SectorPriority.objects.filter(unit=sector, status__in=selectors.OPEN_PRIORITY_STATUSES)
    taken = {(p.proposal.get("subject"), p.proposal.get("code")) for p in open_rows.only("proposal")}
    next_rank = max((p.rank for p in open_rows.only("rank")), default=0) + 1
    made = []
    for found in ranking:
        if (found.subject, found.category.code) in taken:
            continue
        priority = SectorPriority.objects.create(
            unit=sector,
            unit_path=sector.path,
            issue=found.category.name[:200],
            proposal={
                "subject": found.subject,
                "code": found.category.code,
                "name": found.category.name,
                "names": _category_names(found.subject, found.category.id),
                "score": found.score,
                "reasons": list(found.reasons),
                "recent": int(found.recent),
            },
            from_concerns=found.subject == Subject.CONCERNS,
            rank=min(next_rank, MAX_RANK),
            status=PriorityStatus.PROPOSED,
        )
        next_rank += 1
        record(priority, actor, "proposed", note=priority.issue, score=found.score)
        made.append(priority)
    return made


def _check_meeting(actor: Actor, sector: Unit, meeting: Meeting | None) -> Meeting:
    if meeting is None:
        raise AgreedNeedsMeeting()
    if not selectors.list_meeting_choices(actor, sector).filter(pk=meeting.pk).exists():
        raise MeetingNotOfSector()
    return meeting


def _agreed_on(given: date | None) -> date:
    today = timezone.localdate()
    if given is not None and given > today:
        raise InvalidInput(_("The date agreed cannot be in the future."))
    return given or today


@transaction.atomic
def agree_priority(
    actor: Actor,
    *,
    priority: SectorPriority,
    by: str,
    meeting: Meeting | None = None,
    agreed_on: date | None = None,
) -> SectorPriority:
    """Record that the sector agreed the priority: at a held meeting of a forum
    serving the sector (the meeting's day is the date agreed) or by the station
    (on the date given, today by default). Who recorded it is kept. A priority
    agreed before may be agreed again (confirmed at a later meeting)."""
    policy.require(actor, "agree_priorities", priority.unit_path)
    _require_not_retired(priority)
    if by == AgreedBy.FORUM:
        meeting = _check_meeting(actor, priority.unit, meeting)
        day = timezone.localdate(meeting.starts_at)
    elif by == AgreedBy.STATION:
        meeting, day = None, _agreed_on(agreed_on)
    else:
        raise InvalidInput(_("Say whether the priority was agreed at a forum meeting or by the station."))
    priority = _locked(priority)
    was = priority.status
    priority.status = PriorityStatus.AGREED
    priority.agreed_by_kind = by
    priority.meeting = meeting
    priority.agreed_on = day
    priority.agreed_by_id = actor.user_id
    priority.retired_on = None
    priority.save()
    record(
        priority,
        actor,
        "agreed",
        kind=by,
        meeting=meeting.pk if meeting else None,
        on=day.isoformat(),
        **{"from": was},
    )
    return priority


@transaction.atomic
def update_priority(
    actor: Actor, *, priority: SectorPriority, issue: str, what_is_done: str, rank: int
) -> SectorPriority:
    """Change what the priority says: the issue, what is being done (both shown
    to the public once agreed) and its rank. Leads of the sector may."""
    policy.require(actor, "agree_priorities", priority.unit_path)
    _require_not_retired(priority)
    if not 1 <= rank <= MAX_RANK:
        raise InvalidInput(_("The rank is a number from 1 to %(limit)s.") % {"limit": MAX_RANK})
    new: dict[str, Any] = {
        "issue": clean_text(issue, limit=200, required=True, missing=_("Say what the issue is.")),
        "what_is_done": clean_text(what_is_done, limit=4000, required=False),
        "rank": rank,
    }
    priority = _locked(priority)
    changed = [name for name, value in new.items() if getattr(priority, name) != value]
    if changed:
        for name in changed:
            setattr(priority, name, new[name])
        priority.save()
        record(priority, actor, "changed", fields=changed)
    return priority


@transaction.atomic
def link_problem(actor: Actor, *, priority: SectorPriority, problem: Problem) -> SectorPriority:
    """Link a problem that works the priority: one the actor sees whose place is
    the sector, inside it or above it."""
    policy.require(actor, "agree_priorities", priority.unit_path)
    policy.require(actor, "view", problem.unit_path)
    _require_not_retired(priority)
    if not selectors.covers(problem, priority.unit):
        raise InvalidInput(_("Choose a problem of the priority's sector or of its station."))
    if not priority.problems.filter(pk=problem.pk).exists():
        priority.problems.add(problem)
        record(priority, actor, "problem_linked", problem=problem.pk, note=problem.title)
    return priority


@transaction.atomic
def unlink_problem(actor: Actor, *, priority: SectorPriority, problem: Problem) -> SectorPriority:
    policy.require(actor, "agree_priorities", priority.unit_path)
    _require_not_retired(priority)
    if priority.problems.filter(pk=problem.pk).exists():
        priority.problems.remove(problem)
        record(priority, actor, "problem_unlinked", problem=problem.pk, note=problem.title)
    return priority


@transaction.atomic
def retire_priority(actor: Actor, *, priority: SectorPriority, note: str = "") -> SectorPriority:
    """The priority is no longer one (dealt with, or a proposal not taken up):
    it leaves the public page; its record and history stay."""
    policy.require(actor, "agree_priorities", priority.unit_path)
    _require_not_retired(priority)
    priority = _locked(priority)
    was = priority.status
    priority.status = PriorityStatus.RETIRED
    priority.retired_on = timezone.localdate()
    priority.save()
    record(
        priority,
        actor,
        "retired",
        note=clean_text(note, limit=2000, required=False),
        **{"from": was},
    )
    return priority
