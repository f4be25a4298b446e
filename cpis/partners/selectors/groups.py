"""Interest groups [2.2.1] and the volunteers of one."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cpis.core.filters import Filters, flag, search
from cpis.organisation.access import Actor

from ..models import InterestGroup, Volunteer
from ..policy import policy
from .common import get_one, visible


@dataclass(frozen=True)
class GroupFilters(Filters):
    kind: str = ""
    active: str = flag(Q(is_active=True))
    query: str = search("name")


def list_groups(actor: Actor, filters: GroupFilters | None = None) -> QuerySet[InterestGroup]:
    groups = (filters or GroupFilters()).apply(visible(actor, InterestGroup))
    today = timezone.localdate()
    return (
        groups.select_related("unit")
        .annotate(
            volunteer_count=Count(
                "volunteers", filter=Q(volunteers__left_on__isnull=True) | Q(volunteers__left_on__gte=today)
            )
        )
        .order_by("name", "id")
    )


def get_group(actor: Actor, group_id: int) -> InterestGroup:
    return get_one(visible(actor, InterestGroup).select_related("unit"), group_id)


def list_group_choices(actor: Actor) -> QuerySet[InterestGroup]:
    """Groups a volunteer may be placed in by this actor."""
    return (
        InterestGroup.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .select_related("unit")
        .order_by("name", "id")
    )


def list_group_volunteers(actor: Actor, group: InterestGroup) -> QuerySet[Volunteer]:
    """The group's volunteers that the actor may open."""
    volunteers = group.volunteers.filter(policy.scope(actor, "view", "unit_path"))
    return volunteers.select_related("unit").order_by("name", "id")
