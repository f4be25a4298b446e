"""What community safety forums ask of a person today, for the staff home:
action items overdue or due within a week (their own, and every one of the
places where they keep the forums), and the forum meetings of the coming
week at the places where they serve — a sector or a station."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor
from cpis.organisation.models import Role

from .models import ActionStatus, MeetingStatus
from .policy import policy
from .selectors import visible_action_items, visible_meetings

WEEK = timedelta(days=7)
# Who sits in a sector's or a station's forum meetings: the meetings of the coming week
# are theirs to prepare; a region or the directorate is told of them otherwise.
LOCAL_ROLES = frozenset(
    {Role.SECTOR_OFFICER, Role.SECTOR_LEADER, Role.STATION_COORDINATOR, Role.STATION_COMMANDER}
)


def _serving(actor: Actor) -> Q:
    served = Q(pk__in=[])
    for path in actor.paths(LOCAL_ROLES):
        served |= Q(forum__unit_path__startswith=path)
    return served


def today(actor: Actor) -> list[WorkItem]:
    if not policy.sees_anything(actor):
        return []
    day = timezone.localdate()
    mine = Q(owner_user_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    if policy.anywhere(actor, "manage"):
        mine |= policy.scope(actor, "manage", "meeting__forum__unit_path")
    counts = (
        visible_action_items(actor)
        .filter(mine, status=ActionStatus.OPEN, due_on__lte=day + WEEK)
        .aggregate(overdue=Count("pk", filter=Q(due_on__lt=day)), due=Count("pk", filter=Q(due_on__gte=day)))
    )
    actions = reverse("forums:actions")
    items = [
        WorkItem(
            ngettext("forum action item overdue", "forum action items overdue", counts["overdue"]),
            counts["overdue"],
            f"{actions}?show=overdue",
            Urgency.OVERDUE,
        ),
        WorkItem(
            ngettext(
                "forum action item due in the next 7 days",
                "forum action items due in the next 7 days",
                counts["due"],
            ),
            counts["due"],
            actions,
            Urgency.SOON,
        ),
    ]
    now = timezone.now()
    meetings = visible_meetings(actor).filter(
        _serving(actor), status=MeetingStatus.PLANNED, starts_at__gte=now, starts_at__lt=now + WEEK
    )
    count = meetings.count()
    if count:
        first_id, first_at = meetings.order_by("starts_at", "pk").values_list("pk", "starts_at")[0]
        items.append(
            WorkItem(
                ngettext("forum meeting in the next 7 days", "forum meetings in the next 7 days", count),
                count,
                reverse("forums:meeting", args=[first_id]) if count == 1 else reverse("forums:list"),
                Urgency.SOON,
                _("The next on %(when)s")
                % {"when": formats.date_format(timezone.localtime(first_at), "SHORT_DATETIME_FORMAT")},
            )
        )
    return items
