"""Meetings of a forum (attendance, decisions) and action items across a
place's forums, with the open and overdue summary."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cpis.core.http import one_or_404
from cpis.core.periods import day_start
from cpis.organisation.access import Actor

from ..models import ActionItem, ActionItemQuerySet, ActionStatus, Decision, Forum, ForumMember, Meeting
from ..policy import policy


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    return Meeting.objects.filter(policy.scope(actor, "view", "forum__unit_path"))


def list_meetings(forum: Forum) -> QuerySet[Meeting]:
    return (
        forum.meetings.annotate(present_count=Count("members_present"))
        .defer("minutes", "agenda")
        .order_by("-starts_at", "-id")
    )


def list_meetings_between(
    forum: Forum, *, since: date | None = None, until: date | None = None
) -> QuerySet[Meeting]:
    """A forum's meetings, newest first, starting on a local day from `since`
    to `until` (both included, either open)."""
    meetings = list_meetings(forum)
    if since is not None:
        meetings = meetings.filter(starts_at__gte=day_start(since))
    if until is not None:
        meetings = meetings.filter(starts_at__lt=day_start(until + timedelta(days=1)))
    return meetings


def get_meeting(actor: Actor, meeting_id: int) -> Meeting:
    return one_or_404(
        visible_meetings(actor).select_related("forum", "forum__unit", "recorded_by"),
        pk=meeting_id,
    )


def list_present(meeting: Meeting) -> QuerySet[ForumMember]:
    return meeting.members_present.defer("phone", "email").order_by("name")


def list_attendance_choices(meeting: Meeting) -> QuerySet[ForumMember]:
    """Members whose term covers the meeting's day: who can be ticked present."""
    day = timezone.localdate(meeting.starts_at)
    return meeting.forum.members.current(day).defer("phone", "email").order_by("name")


def list_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.order_by("position", "id")


def get_decision(actor: Actor, decision_id: int) -> Decision:
    """A decision of a meeting of a forum the actor may see (404 otherwise), with its meeting and forum."""
    return one_or_404(
        Decision.objects.filter(policy.scope(actor, "view", "meeting__forum__unit_path")).select_related(
            "meeting", "meeting__forum", "meeting__forum__unit"
        ),
        pk=decision_id,
    )


def list_meeting_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related("owner_user").order_by("due_on", "id")


def visible_action_items(actor: Actor) -> ActionItemQuerySet:
    return ActionItem.objects.filter(policy.scope(actor, "view", "meeting__forum__unit_path"))


def get_action_item(actor: Actor, item_id: int) -> ActionItem:
    return one_or_404(visible_action_items(actor).select_related("meeting__forum"), pk=item_id)


def list_action_items(
    actor: Actor, *, unit_path: str = "", show: str = "open", today: date | None = None
) -> ActionItemQuerySet:
    """A place's action items: `open` (the default), `overdue`, `done` or `all`;
    the longest overdue first."""
    items = visible_action_items(actor)
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    if show == "overdue":
        items = items.overdue(today)
    elif show == "done":
        items = items.filter(status=ActionStatus.DONE)
    elif show != "all":
        items = items.open()
    return items.select_related("meeting", "meeting__forum", "owner_user").order_by("status", "due_on", "id")


@dataclass(frozen=True)
class ActionSummary:
    open: int
    overdue: int


def summarise_action_items(actor: Actor, *, unit_path: str = "", today: date | None = None) -> ActionSummary:
    today = today or timezone.localdate()
    items = visible_action_items(actor)
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    counts = items.aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_on__lt=today)),
    )
    return ActionSummary(open=counts["open"], overdue=counts["overdue"])
