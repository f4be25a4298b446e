"""What the analyses ask of a person today, for the staff home: the emerging
clusters the daily scan found at the places where they review them — candidate
problems to take up for problem solving or dismiss (C10, C9)."""

from django.urls import reverse
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .policy import policy
from .selectors import list_clusters


def today(actor: Actor) -> list[WorkItem]:
    if not policy.anywhere(actor, "review"):
        return []
    count = list_clusters(actor).filter(policy.scope(actor, "review", "path")).count()
    return [
        WorkItem(
            ngettext("emerging cluster to review", "emerging clusters to review", count),
            count,
            reverse("analytics:clusters"),
            Urgency.NOW,
        )
    ]
