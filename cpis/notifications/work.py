"""What the inbox asks of a person today, for the staff home: the notifications
they have not read yet (each links to what needs them)."""

from django.urls import reverse
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .selectors import count_unread


def today(actor: Actor) -> list[WorkItem]:
    count = count_unread(actor)
    return [
        WorkItem(
            ngettext("unread notification", "unread notifications", count),
            count,
            reverse("notifications:inbox") + "?unread=1",
            Urgency.NOW,
        )
    ]
