"""A place's meetings and action items as rows for CSV or XLSX, and who may
export them."""

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.organisation.access import Actor

from ..models import ActionItem, Meeting
from ..policy import policy

MEETING_EXPORT_HEADER = [
    "forum",
    "forum_kind",
    "place",
    "meeting_kind",
    "starts_at",
    "venue",
    "public",
    "status",
    "members_present",
    "other_attendees",
    "decisions",
    "action_items",
    "minutes_published",
]
ACTION_EXPORT_HEADER = [
    "forum",
    "place",
    "meeting_date",
    "action",
    "owner",
    "due_on",
    "status",
    "done_at",
    "note",
]


def meeting_export_rows(actor: Actor, *, unit_path: str = "") -> list[list[Any]]:
    """A place's meetings for a spreadsheet: no member is named."""
    meetings = Meeting.objects.filter(policy.scope(actor, "export", "forum__unit_path"))
    if unit_path:
        meetings = meetings.filter(forum__unit_path__startswith=unit_path)
    meetings = (
        meetings.select_related("forum", "forum__unit")
        .annotate(
            present=Count("members_present", distinct=True),
            decision_count=Count("decisions", distinct=True),
            action_count=Count("action_items", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )
    return [
        [
            m.forum.name,
            m.forum.get_kind_display(),
            m.forum.unit.name,
            m.get_kind_display(),
            timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"),
            m.place,
            _("yes") if m.is_public else _("no"),
            m.get_status_display(),
            m.present,
            m.other_attendees,
            m.decision_count,
            m.action_count,
            _("yes") if m.minutes_published else _("no"),
        ]
        for m in meetings
    ]


def action_export_rows(actor: Actor, *, unit_path: str = "") -> list[list[Any]]:
    items = ActionItem.objects.filter(policy.scope(actor, "export", "meeting__forum__unit_path"))
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    items = items.select_related("meeting", "meeting__forum", "meeting__forum__unit").order_by("due_on", "id")
    return [
        [
            i.meeting.forum.name,
            i.meeting.forum.unit.name,
            timezone.localtime(i.meeting.starts_at).date(),
            i.text,
            i.owner_name,
            i.due_on,
            i.get_status_display(),
            timezone.localtime(i.done_at).strftime("%Y-%m-%d %H:%M") if i.done_at else "",
            i.note,
        ]
        for i in items
    ]


def may_export(actor: Actor) -> bool:
    return policy.anywhere(actor, "export")
