"""What perception surveys ask of a person today, for the staff home: the open
waves in which they may take responses at their places (at a door, a meeting,
an event), and — where they review — the held responses and the free text
waiting for a reviewer (C11)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .policy import policy
from .selectors.responses import count_to_review
from .selectors.waves import list_waves_to


def today(actor: Actor) -> list[WorkItem]:
    items: list[WorkItem] = []
    if policy.anywhere(actor, "collect"):
        waves = list_waves_to(actor, "collect")
        count = waves.count()
        detail = ""
        if count:
            ends_on = waves.order_by("ends_on", "pk").values_list("ends_on", flat=True)[0]
            detail = _("Open until %(day)s") % {"day": formats.date_format(ends_on, "SHORT_DATE_FORMAT")}
        items.append(
            WorkItem(
                ngettext(
                    "open survey wave to take responses in",
                    "open survey waves to take responses in",
                    count,
                ),
                count,
                reverse("surveys:collect"),
                Urgency.SOON,
                detail,
            )
        )
    if policy.anywhere(actor, "review"):
        waiting = count_to_review(actor)
        review = reverse("surveys:review")
        items += [
            WorkItem(
                ngettext(
                    "survey response held for review", "survey responses held for review", waiting["held"]
                ),
                waiting["held"],
                review,
                Urgency.NOW,
            ),
            WorkItem(
                ngettext("survey free text to review", "survey free texts to review", waiting["text"]),
                waiting["text"],
                review,
                Urgency.NOW,
            ),
        ]
    return items
