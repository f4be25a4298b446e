"""Meetings from planning to minutes, with attendance, decisions and action items [2.4.5, 2.4.8]."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor

from ..models import (
    ActionItem,
    ActionStatus,
    Decision,
    Forum,
    ForumMember,
    ForumStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from ..policy import policy
from .checks import EARLIEST_DATE


class ForumDissolved(DomainError):
    message = gettext_lazy("This forum is dissolved: it holds no more meetings.")


class ActionItemDone(DomainError):
    message = gettext_lazy("This action item is done already.")


class NotAMember(DomainError):
    message = gettext_lazy(
        "Only members of this forum whose term covers the meeting day can be ticked present."
    )


class MinutesMissing(DomainError):
    message = gettext_lazy("Record the meeting as held with its minutes before publishing them.")


class MeetingInFuture(DomainError):
    message = gettext_lazy("A meeting can be recorded as held only once it has started.")


class MeetingNotPlanned(DomainError):
    message = gettext_lazy("Only a planned meeting can be changed, held or cancelled.")


MAX_DECISIONS = 30


MAX_ACTION_ITEMS = 20


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    starts_at: datetime
    place: str
    agenda: str = ""
    is_public: bool = False
    duration_minutes: int = 120


def _check_meeting(data: MeetingInput) -> dict[str, object]:
    if timezone.is_naive(data.starts_at):
        raise InvalidInput(_("Give the meeting's date and time."))
    if data.starts_at.date() < EARLIEST_DATE or data.starts_at > timezone.now() + timedelta(days=3 * 366):
        raise InvalidInput(_("The meeting's date is not plausible."))
    if not 15 <= data.duration_minutes <= 12 * 60:
        raise InvalidInput(_("A meeting lasts between 15 minutes and 12 hours."))
    return {
        "kind": check_choice(data.kind, MeetingKind.values, _("Choose the kind of meeting.")),
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "place": clean_text(
            data.place, limit=200, required=True, missing=_("Say where the meeting is held.")
        ),
        "agenda": clean_text(data.agenda, limit=4000, required=False),
        "is_public": data.is_public,
    }


@transaction.atomic
def schedule_meeting(actor: Actor, *, forum: Forum, data: MeetingInput) -> Meeting:
    """Plan a meeting [2.4.5]; a public one appears on the citizens' side
    and in the sector's calendar feed."""
    policy.require(actor, "manage", forum.unit_path)
    if forum.status == ForumStatus.DISSOLVED:
        raise ForumDissolved()
    return Meeting.objects.create(forum=forum, recorded_by_id=actor.user_id, **_check_meeting(data))


def _lock_planned(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingNotPlanned()
    return meeting


@transaction.atomic
def update_meeting(actor: Actor, *, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Change a planned meeting (time, place, agenda, openness)."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    values = _check_meeting(data)
    meeting = _lock_planned(meeting)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


@transaction.atomic
def cancel_meeting(actor: Actor, *, meeting: Meeting, reason: str = "") -> Meeting:
    policy.require(actor, "manage", meeting.forum.unit_path)
    reason = clean_text(reason, limit=300, required=False)
    meeting = _lock_planned(meeting)
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    return meeting


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner_name: str
    due_on: date
    owner_user_id: int | None = None


def _new_action(meeting: Meeting, data: ActionInput) -> ActionItem:
    """An unsaved action item of the meeting, checked."""
    if data.due_on < timezone.localdate(meeting.starts_at):
        raise InvalidInput(_("An action item cannot fall due before its meeting."))
    return ActionItem(
        meeting=meeting,
        text=clean_text(data.text, limit=2000, required=True, missing=_("Say what is to be done.")),
        owner_name=clean_text(data.owner_name, limit=200, required=True, missing=_("Say who will do it.")),
        owner_user_id=data.owner_user_id,
        due_on=data.due_on,
    )


@transaction.atomic
def record_meeting_held(
    actor: Actor,
    *,
    meeting: Meeting,
    present: Sequence[ForumMember],
    other_attendees: int,
    minutes: str,
    decisions: Sequence[str] = (),
    action_items: Sequence[ActionInput] = (),
) -> Meeting:
    """Record that a planned meeting took place: who of the members came,
    how many others, the minutes, its decisions and action items. All or nothing."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    meeting = _lock_planned(meeting)
    if meeting.starts_at > timezone.now():
        raise MeetingInFuture()
    if not 0 <= other_attendees <= 10_000:
        raise InvalidInput(_("The number of other people present must be between 0 and 10,000."))
    day = timezone.localdate(meeting.starts_at)
    eligible = set(meeting.forum.members.current(day).values_list("pk", flat=True))
    if any(member.pk not in eligible for member in present):
        raise NotAMember()
    minutes = clean_text(minutes, limit=20_000, required=True, missing=_("Write the minutes of the meeting."))
    texts = [clean_text(text, limit=2000, required=False) for text in decisions]
    texts = [text for text in texts if text]
    if len(texts) > MAX_DECISIONS or len(action_items) > MAX_ACTION_ITEMS:
        raise InvalidInput(_("Too many decisions or action items for one meeting."))
    items = [_new_action(meeting, item) for item in action_items]
    meeting.status = MeetingStatus.HELD
    meeting.other_attendees = other_attendees
    meeting.minutes = minutes
    meeting.recorded_by_id = actor.user_id
    meeting.save()
    meeting.members_present.set(present)
    Decision.objects.bulk_create(
        Decision(meeting=meeting, text=text, position=i) for i, text in enumerate(texts)
    )
    ActionItem.objects.bulk_create(items)
    return meeting


@transaction.atomic
def publish_minutes(actor: Actor, *, meeting: Meeting, publish: bool = True) -> Meeting:
    """Show (or withdraw) a held meeting's minutes and decisions on the citizens' side."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if publish and (meeting.status != MeetingStatus.HELD or not meeting.minutes):
        raise MinutesMissing()
    meeting.minutes_published = publish
    meeting.save(update_fields=["minutes_published", "updated_at"])
    return meeting


@transaction.atomic
def add_decision(actor: Actor, *, meeting: Meeting, text: str) -> Decision:
    policy.require(actor, "manage", meeting.forum.unit_path)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidInput(_("Decisions belong to a meeting that was held."))
    text = clean_text(text, limit=2000, required=True, missing=_("Write the decision."))
    position = meeting.decisions.count()
    return Decision.objects.create(meeting=meeting, text=text, position=position)


@transaction.atomic
def add_action_item(actor: Actor, *, meeting: Meeting, data: ActionInput) -> ActionItem:
    """An action item agreed at a held meeting, followed until done."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidInput(_("Action items belong to a meeting that was held."))
    item = _new_action(meeting, data)
    item.save()
    return item


@transaction.atomic
def complete_action_item(actor: Actor, *, item: ActionItem, note: str = "") -> ActionItem:
    """Mark an action item done, with an optional note of what was done."""
    policy.require(actor, "manage", item.meeting.forum.unit_path)
    note = clean_text(note, limit=2000, required=False)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ActionStatus.DONE:
        raise ActionItemDone()
    item.status, item.done_at = ActionStatus.DONE, timezone.now()
    if note:
        item.note = note
    item.save(update_fields=["status", "done_at", "note"])
    return item
