"""What the forums tell staff: a forum's high tension report to the station
command and the sector team over its place, and an action item coming due to
the officer responsible (through the notifications app)."""

from datetime import date, timedelta
from functools import partial

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpis.notifications import selectors as notifications
from cpis.notifications.models import Kind
from cpis.notifications.services import notify
from cpis.organisation.access import Actor

from ..models import ActionItem, TensionLevel, TensionReport

# An action item is recalled when it falls due within this many days (today included).
DUE_WITHIN_DAYS = 2


def tell_high_tension(actor: Actor, report: TensionReport) -> None:
    """A "high" report tells the station command and sector team over the forum's place."""
    if report.level != TensionLevel.HIGH:
        return
    forum = report.forum
    notify(
        kind=Kind.HIGH_TENSION,
        recipients=notifications.receivers(Kind.HIGH_TENSION, forum.unit_path),
        key=f"forums.tension:{report.pk}",
        title=lambda: _("High tension reported by %(forum)s on %(date)s")
        % {"forum": forum.name, "date": date_format(report.reported_on, "SHORT_DATE_FORMAT")},
        body=report.summary[:500],
        link=reverse("forums:detail", args=[forum.pk]),
        unit=forum.unit,
        actor=actor,
    )


def _due_title(item: ActionItem) -> str:
    return _("Action item of %(forum)s due on %(date)s: %(text)s") % {
        "forum": item.meeting.forum.name,
        "date": date_format(item.due_on, "SHORT_DATE_FORMAT"),
        "text": item.text[:120],
    }


def notify_due_action_items(*, today: date | None = None) -> int:
    """Tell the officer responsible for each open action item due from today to
    DUE_WITHIN_DAYS days on, once per item and due date. Returns how many were told."""
    today = today or timezone.localdate()
    items = (
        ActionItem.objects.open()
        .filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS), owner_user__is_active=True
        )
        .select_related("owner_user", "meeting__forum__unit")
        .order_by("due_on", "pk")
    )
    told = 0
    for item in items:
        forum = item.meeting.forum
        told += bool(
            notify(
                kind=Kind.ACTION_DUE,
                recipients=[item.owner_user],
                key=f"forums.action:{item.pk}:due:{item.due_on.isoformat()}",
                title=partial(_due_title, item),
                link=reverse("forums:meeting", args=[item.meeting_id]),
                unit=forum.unit,
            )
        )
    return told
