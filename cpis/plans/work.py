"""What the action plan asks of its coordinator today, for the staff home: the
activities past their deadline unfinished and the progress updates waiting
for the working group's review (C12). The plan is national: who manages it
does so at the root."""

from django.urls import reverse
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from . import selectors
from .policy import policy


def today(actor: Actor) -> list[WorkItem]:
    if not policy.anywhere(actor, "manage") or not policy.can(actor, "manage", selectors.root_path()):
        return []
    plan = selectors.get_current_plan()
    if plan is None:
        return []
    overdue = len(selectors.list_deadlines(plan).overdue)
    pending = selectors.list_pending_reviews(plan).count()
    return [
        WorkItem(
            ngettext(
                "action plan activity past its deadline",
                "action plan activities past their deadline",
                overdue,
            ),
            overdue,
            reverse("plans:deadlines", args=[plan.pk]),
            Urgency.OVERDUE,
        ),
        WorkItem(
            ngettext(
                "action plan progress update to review", "action plan progress updates to review", pending
            ),
            pending,
            reverse("plans:reviews", args=[plan.pk]),
            Urgency.NOW,
        ),
    ]
