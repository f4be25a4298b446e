"""What concerns ask of a person today, for the staff home: the open concerns
assigned to them (the overdue ones apart) and, where they triage, the new
concerns to triage, those held for moderation and the overdue ones of their
places. Counted in two queries, each over what the actor may see."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .models import OPEN_STATUSES, Status
from .policy import policy
from .selectors import visible_concerns


def today(actor: Actor) -> list[WorkItem]:
    queue = reverse("concerns:queue")
    now = timezone.now()
    items: list[WorkItem] = []
    if actor.user_id is not None:
        mine = (
            visible_concerns(actor)
            .filter(assigned_officer__user_id=actor.user_id, status__in=OPEN_STATUSES)
            .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        )
        items += [
            WorkItem(
                ngettext("of your concerns is overdue", "of your concerns are overdue", mine["overdue"]),
                mine["overdue"],
                f"{queue}?status=open&mine=on&overdue=on",
                Urgency.OVERDUE,
            ),
            WorkItem(
                ngettext("open concern assigned to you", "open concerns assigned to you", mine["open"]),
                mine["open"],
                f"{queue}?status=open&mine=on",
                Urgency.NOW,
            ),
        ]
    if policy.anywhere(actor, "triage"):
        places = (
            visible_concerns(actor)
            .filter(policy.scope(actor, "triage", "unit_path"), status__in=OPEN_STATUSES)
            .aggregate(
                new=Count("pk", filter=Q(status=Status.RECEIVED, is_held=False)),
                held=Count("pk", filter=Q(is_held=True)),
                overdue=Count("pk", filter=Q(is_held=False, due_at__lt=now)),
            )
        )
        items += [
            WorkItem(
                ngettext(
                    "overdue concern in your places", "overdue concerns in your places", places["overdue"]
                ),
                places["overdue"],
                f"{queue}?status=open&overdue=on",
                Urgency.OVERDUE,
            ),
            WorkItem(
                ngettext("new concern to triage", "new concerns to triage", places["new"]),
                places["new"],
                f"{queue}?status={Status.RECEIVED.value}",
                Urgency.NOW,
            ),
            WorkItem(
                ngettext("concern held for moderation", "concerns held for moderation", places["held"]),
                places["held"],
                f"{queue}?held=1",
                Urgency.NOW,
            ),
        ]
    return items
