"""What performance evaluations ask of a person today, for the staff home: the
evaluations waiting for their rating, for their acknowledgement, for their
decision on an appeal, and for their signature [1.2.6]."""

from django.urls import reverse
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .selectors import list_waiting


def today(actor: Actor) -> list[WorkItem]:
    if actor.user_id is None:
        return []
    home = reverse("appraisals:home")
    waiting = {name: len(rows) for name, rows in list_waiting(actor).items()}
    return [
        WorkItem(
            ngettext(
                "performance evaluation waiting for your rating",
                "performance evaluations waiting for your rating",
                waiting["rate"],
            ),
            waiting["rate"],
            home,
            Urgency.NOW,
        ),
        WorkItem(
            ngettext(
                "performance evaluation of yours waiting for your acknowledgement",
                "performance evaluations of yours waiting for your acknowledgement",
                waiting["respond"],
            ),
            waiting["respond"],
            home,
            Urgency.NOW,
        ),
        WorkItem(
            ngettext(
                "appeal against a performance evaluation waiting for your decision",
                "appeals against performance evaluations waiting for your decision",
                waiting["decide"],
            ),
            waiting["decide"],
            home,
            Urgency.NOW,
        ),
        WorkItem(
            ngettext(
                "performance evaluation waiting for your signature",
                "performance evaluations waiting for your signature",
                waiting["sign"],
            ),
            waiting["sign"],
            home,
            Urgency.SOON,
        ),
    ]
