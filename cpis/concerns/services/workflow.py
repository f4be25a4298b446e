"""The triage workflow of a concern: triage, assignment, work, closing
and reopening, replies to the citizen and internal notes. Each checks its
permission first and works on the concern locked for the transaction."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from cpis.core.errors import DomainError
from cpis.core.text import clean_text
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.services import Text, notify
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from ..models import CLOSED_STATUSES, Category, Concern, ConcernEvent, EventKind, Status
from ..policy import policy
from .notices import answer_url, queue_email
from .submission import MAX_DESCRIPTION


class TransitionNotAllowed(DomainError):
    message = gettext_lazy("A concern in this state cannot be moved to that state.")


class ReasonRequired(DomainError):
    message = gettext_lazy("Give the reason the citizen will see.")


class OfficerNotServingHere(DomainError):
    message = gettext_lazy("This officer does not serve at the concern's station.")


class NotADuplicateCandidate(DomainError):
    message = gettext_lazy(
        "A concern cannot be a duplicate of itself or of a concern that is itself a duplicate."
    )


TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.TRIAGED, Status.ASSIGNED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.TRIAGED: {Status.ASSIGNED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.ASSIGNED: {
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REFERRED,
        Status.DUPLICATE,
        Status.REJECTED,
    },
    Status.IN_PROGRESS: {Status.RESOLVED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    Status.REFERRED: {Status.IN_PROGRESS},
    Status.DUPLICATE: {Status.TRIAGED},
    Status.REJECTED: {Status.TRIAGED},
}


def can_work(actor: Actor, concern: Concern) -> bool:
    """Station leads at the place, or the officer the concern is assigned to."""
    if policy.can(actor, "work", concern.unit_path):
        return True
    officer = concern.assigned_officer
    return bool(officer and actor.user_id and officer.user_id == actor.user_id)


def _require_work(actor: Actor, concern: Concern) -> None:
    if not can_work(actor, concern):
        policy.require(actor, "work", concern.unit_path)


def lock(concern: Concern) -> Concern:
    """The concern as it is now, locked until the transaction ends: checks
    and changes work on current state, never on a caller's stale copy."""
    return (
        # of=("self",): PostgreSQL cannot lock the nullable side of an outer join.
        Concern.objects.select_for_update(of=("self",))
        .select_related("category", "unit", "assigned_officer")
        .get(pk=concern.pk)
    )


def _log(actor: Actor, concern: Concern, kind: str, **fields: object) -> ConcernEvent:
    """A row of the concern's history, written by the actor."""
    return ConcernEvent.objects.create(concern=concern, actor_id=actor.user_id, kind=kind, **fields)


def status_event(
    concern: Concern, from_status: str, to_status: str, text: str = "", **more: Any
) -> ConcernEvent:
    """The public row of the concern's history for a move between two
    statuses, with the text the citizen reads (not saved)."""
    return ConcernEvent(
        concern=concern,
        kind=EventKind.STATUS,
        from_status=from_status,
        to_status=to_status,
        text=text,
        is_public=True,
        **more,
    )


def move_status(
    actor: Actor, concern: Concern, to_status: str, *, public_text: str = "", internal_text: str = ""
) -> Concern:
    """Move a locked concern (`lock`) to `to_status` when the workflow allows it:
    the public history row, an internal note, the reporter's e-mail. No policy
    check: the caller's service has made it."""
    if to_status not in TRANSITIONS[concern.status]:
        raise TransitionNotAllowed()
    from_status = concern.status
    concern.status = to_status
    now = timezone.now()
    concern.closed_at = now if to_status in CLOSED_STATUSES else None
    if public_text:
        concern.outcome = public_text if to_status in CLOSED_STATUSES else concern.outcome
    concern.save()
    status_event(concern, from_status, to_status, public_text, actor_id=actor.user_id).save()
    if internal_text:
        _log(actor, concern, EventKind.NOTE, text=internal_text)
    # Closed as resolved: the closing e-mail asks the reporter whether it is (feedback).
    asked = answer_url(concern) if to_status == Status.RESOLVED else ""
    queue_email(concern, "update", text=public_text, answer_url=asked)
    return concern


def _move_or_note(actor: Actor, concern: Concern, to_status: str, *, move: bool, note: str) -> None:
    """Move the concern on with the note kept beside the step, or only keep
    the note when it stays where it is."""
    if move:
        move_status(actor, concern, to_status, internal_text=note)
    elif note:
        _log(actor, concern, EventKind.NOTE, text=note)


@transaction.atomic
def triage_concern(
    actor: Actor,
    *,
    concern: Concern,
    category: Category | None = None,
    sector: Unit | None = None,
    note: str = "",
) -> Concern:
    """Confirm or correct the category and the sector, and release the
    concern from moderation. Needs `triage` at the concern's place and, when
    moving it, at the new place too."""
    policy.require(actor, "triage", concern.unit_path)
    concern = lock(concern)
    if sector is not None and sector.pk != concern.sector_id:
        policy.require(actor, "triage", sector.path)
        concern.sector, concern.unit, concern.unit_path = sector, sector, sector.path
        _log(actor, concern, EventKind.ROUTED, text=sector.name_sq)
    if category is not None and category.pk != concern.category_id:
        concern.category = category
        concern.due_at = concern.created_at + timedelta(days=category.due_days)
    if concern.is_held:
        concern.is_held = False
        _log(actor, concern, EventKind.RELEASED)
    concern.save()
    _move_or_note(actor, concern, Status.TRIAGED, move=concern.status == Status.RECEIVED, note=note)
    return concern


def tell_assignee(concern: Concern, kind: str, key: str, title: Text, *, actor: Actor | None = None) -> None:
    """Notify the officer the concern is assigned to (never the actor)."""
    officer = concern.assigned_officer
    if officer is None or officer.user is None:
        return
    notify(
        kind=kind,
        recipients=[officer.user],
        key=f"concern:{concern.pk}:{key}",
        title=title,
        link=reverse("concerns:detail", args=[concern.pk]),
        unit=concern.unit,
        actor=actor,
    )


def _officer_serves_at(officer: Officer, concern: Concern) -> bool:
    station = organisation.station_of(concern.unit)
    scope = station.path if station is not None else concern.unit_path
    return officer.unit.path.startswith(scope) or scope.startswith(officer.unit.path)


@transaction.atomic
def assign_concern(
    actor: Actor, *, concern: Concern, officer: Officer, due_at: datetime | None = None, note: str = ""
) -> Concern:
    """Give a concern to an officer of its station. Needs `assign` there."""
    policy.require(actor, "assign", concern.unit_path)
    concern = lock(concern)
    if not officer.is_active or not _officer_serves_at(officer, concern):
        raise OfficerNotServingHere()
    newly = concern.assigned_officer_id != officer.pk
    concern.assigned_officer = officer
    if due_at is not None:
        concern.due_at = due_at
    concern.is_held = False
    concern.save()
    assigned = _log(actor, concern, EventKind.ASSIGNED, text=officer.full_name)
    _move_or_note(
        actor, concern, Status.ASSIGNED, move=concern.status in {Status.RECEIVED, Status.TRIAGED}, note=note
    )
    if newly:
        tell_assignee(
            concern,
            NotificationKind.CONCERN_ASSIGNED,
            f"assigned:{assigned.pk}",
            lambda: gettext("Concern %(reference)s is assigned to you: %(category)s")
            % {"reference": concern.reference, "category": concern.category.name},
            actor=actor,
        )
    return concern


@transaction.atomic
def assign_concerns(actor: Actor, *, concerns: list[Concern], officer: Officer) -> list[Concern]:
    """Bulk assignment: all or nothing."""
    return [assign_concern(actor, concern=c, officer=officer) for c in concerns]


@transaction.atomic
def start_work(actor: Actor, *, concern: Concern, note: str = "") -> Concern:
    concern = lock(concern)
    _require_work(actor, concern)
    return move_status(actor, concern, Status.IN_PROGRESS, internal_text=note)


@transaction.atomic
def close_concern(
    actor: Actor, *, concern: Concern, status: str, reason: str, duplicate_of: Concern | None = None
) -> Concern:
    """Resolve, refer, reject or mark as duplicate, with the text the citizen
    sees. A duplicate is linked to the concern it repeats, never deleted."""
    if status not in CLOSED_STATUSES:
        raise TransitionNotAllowed()
    concern = lock(concern)
    if status == Status.RESOLVED:
        _require_work(actor, concern)
    else:
        policy.require(actor, "triage", concern.unit_path)
    reason = clean_text(reason, limit=2000, required=False)
    if not reason:
        raise ReasonRequired()
    if status == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == concern.pk or duplicate_of.duplicate_of_id:
            raise NotADuplicateCandidate()
        policy.require(actor, "view", duplicate_of.unit_path)
        concern.duplicate_of = duplicate_of
    return move_status(actor, concern, status, public_text=reason)


@transaction.atomic
def reopen_concern(actor: Actor, *, concern: Concern, note: str) -> Concern:
    policy.require(actor, "triage", concern.unit_path)
    concern = lock(concern)
    target = Status.IN_PROGRESS if concern.status in {Status.RESOLVED, Status.REFERRED} else Status.TRIAGED
    concern.duplicate_of = None
    concern.outcome = ""
    return move_status(actor, concern, target, internal_text=note)


@transaction.atomic
def reply_to_citizen(actor: Actor, *, concern: Concern, text: str) -> ConcernEvent:
    """A public message (an answer or a question) the citizen sees with the
    tracking code and, if they left an e-mail, receives."""
    concern = lock(concern)
    _require_work(actor, concern)
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    event = _log(actor, concern, EventKind.REPLY, text=text, is_public=True)
    queue_email(concern, "reply", text=text)
    Concern.objects.filter(pk=concern.pk).update(updated_at=timezone.now(), citizen_wrote_at=None)
    return event


@transaction.atomic
def mark_citizen_message_seen(actor: Actor, *, concern: Concern) -> Concern:
    """The citizen's message has been read and needs no reply: the concern
    leaves the queue's "the citizen wrote" flag. Whoever may work on it."""
    concern = lock(concern)
    _require_work(actor, concern)
    if concern.citizen_wrote_at is not None:
        concern.citizen_wrote_at = None
        concern.save(update_fields=["citizen_wrote_at"])
    return concern


@transaction.atomic
def add_note(actor: Actor, *, concern: Concern, text: str) -> ConcernEvent:
    """An internal note: never shown to the citizen."""
    policy.require(actor, "view", concern.unit_path)
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    return _log(actor, concern, EventKind.NOTE, text=text)


@transaction.atomic
def add_citizen_message(*, concern: Concern, text: str) -> ConcernEvent:
    """More information or an answer from the citizen holding the tracking
    code; it carries no identity."""
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    now = timezone.now()
    Concern.objects.filter(pk=concern.pk).update(updated_at=now)
    Concern.objects.filter(pk=concern.pk, citizen_wrote_at=None).update(citizen_wrote_at=now)
    event = ConcernEvent.objects.create(concern=concern, kind=EventKind.CITIZEN, text=text, is_public=True)
    concern = Concern.objects.select_related("assigned_officer__user").get(pk=concern.pk)
    tell_assignee(
        concern,
        NotificationKind.CITIZEN_WROTE,
        f"citizen:{event.pk}",
        lambda: gettext("The citizen wrote on concern %(reference)s") % {"reference": concern.reference},
    )
    return event


def notify_overdue(*, now: datetime | None = None) -> int:
    """Tell each assignee of an open concern past its due time, once per
    concern and due date. Returns how many were told."""
    now = now or timezone.now()
    overdue = (
        Concern.objects.open()
        .filter(due_at__lt=now, assigned_officer__user__is_active=True)
        .select_related("assigned_officer__user", "unit")
        .order_by("due_at", "pk")
    )
    told = 0
    for concern in overdue.iterator(chunk_size=500):
        if concern.due_at is not None:
            told += _tell_overdue(concern, timezone.localdate(concern.due_at))
    return told


def _tell_overdue(concern: Concern, due: date) -> bool:
    officer = concern.assigned_officer
    if officer is None or officer.user is None:
        return False
    return bool(
        notify(
            kind=NotificationKind.CONCERN_OVERDUE,
            recipients=[officer.user],
            key=f"concern:{concern.pk}:overdue:{due.isoformat()}",
            title=lambda: gettext("Concern %(reference)s is overdue: it was due on %(due)s")
            % {"reference": concern.reference, "due": date_format(due, "SHORT_DATE_FORMAT")},
            link=reverse("concerns:detail", args=[concern.pk]),
            unit=concern.unit,
        )
    )
