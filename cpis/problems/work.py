"""What problem solving asks of a person today, for the staff home: their own
response actions overdue or due within a week, the overdue actions of the
places where they lead problem solving, and the problems waiting for their
assessment — the ones they own or are on the team of, or every one of the
places they lead (C9)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .models import Stage
from .policy import policy
from .selectors.actions import visible_actions
from .selectors.problems import Filters, filtered_problems

WEEK = timedelta(days=7)


def today(actor: Actor) -> list[WorkItem]:
    if not policy.sees_anything(actor):
        return []
    day = timezone.localdate()
    actions = reverse("problems:actions")
    problems = reverse("problems:list")
    items: list[WorkItem] = []
    if actor.user_id is not None:
        mine = (
            visible_actions(actor)
            .open()
            .filter(owner_officer__user_id=actor.user_id, due_on__lte=day + WEEK)
            .aggregate(
                overdue=Count("pk", filter=Q(due_on__lt=day)), due=Count("pk", filter=Q(due_on__gte=day))
            )
        )
        items += [
            WorkItem(
                ngettext(
                    "of your problem actions is overdue",
                    "of your problem actions are overdue",
                    mine["overdue"],
                ),
                mine["overdue"],
                f"{actions}?mine=on&overdue=on",
                Urgency.OVERDUE,
            ),
            WorkItem(
                ngettext(
                    "of your problem actions is due in the next 7 days",
                    "of your problem actions are due in the next 7 days",
                    mine["due"],
                ),
                mine["due"],
                f"{actions}?mine=on",
                Urgency.SOON,
            ),
        ]
    leads = policy.anywhere(actor, "lead")
    if leads:
        overdue = (
            visible_actions(actor)
            .overdue(day)
            .filter(policy.scope(actor, "lead", "problem__unit_path"))
            .count()
        )
        items.append(
            WorkItem(
                ngettext(
                    "problem action overdue in your places", "problem actions overdue in your places", overdue
                ),
                overdue,
                f"{actions}?overdue=on",
                Urgency.OVERDUE,
            )
        )
        assessing = (
            filtered_problems(actor, Filters(stage=Stage.ASSESSMENT))
            .filter(policy.scope(actor, "lead", "unit_path"))
            .count()
        )
        link = f"{problems}?stage={Stage.ASSESSMENT.value}"
    else:
        assessing = filtered_problems(actor, Filters(stage=Stage.ASSESSMENT, mine=True)).count()
        link = f"{problems}?stage={Stage.ASSESSMENT.value}&mine=on"
    items.append(
        WorkItem(
            ngettext("problem waiting for assessment", "problems waiting for assessment", assessing),
            assessing,
            link,
            Urgency.NOW,
        )
    )
    return items
