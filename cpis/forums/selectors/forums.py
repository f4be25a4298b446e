"""Forums of a place (filtered, with their members and meetings of the last
twelve months), one forum, the places to filter by or keep forums at, and
a forum's other records: trainers, tension reports, press releases."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cpis.core.filters import Filters, under
from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import (
    Forum,
    ForumMember,
    ForumQuerySet,
    ForumStatus,
    Gender,
    Meeting,
    MeetingStatus,
    PressRelease,
    TensionReport,
    TrainerEngagement,
)
from ..policy import policy

# Places a forum can serve: a sector, or a station (or substation) for its area.
FORUM_PLACE_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION)


def visible_forums(actor: Actor) -> ForumQuerySet:
    return Forum.objects.filter(policy.scope(actor, "view", "unit_path"))


@dataclass(frozen=True)
class ForumFilters(Filters):
    unit_path: str = under()
    kind: str = ""
    status: str = ""


def _count_by_forum(queryset: QuerySet[Any]) -> Any:
    counted = queryset.values("forum").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def filter_forums(actor: Actor, filters: ForumFilters | None = None) -> ForumQuerySet:
    return (filters or ForumFilters()).apply(visible_forums(actor))


def list_forums(
    actor: Actor, filters: ForumFilters | None = None, *, today: date | None = None
) -> ForumQuerySet:
    """The forums under the actor's places, each with its current members,
    women among them, and meetings held in the last twelve months."""
    today = today or timezone.localdate()
    forums = filter_forums(actor, filters)
    current = ForumMember.objects.current(today).filter(forum=OuterRef("pk"))
    year_ago = timezone.now() - timedelta(days=365)
    held = Meeting.objects.filter(forum=OuterRef("pk"), status=MeetingStatus.HELD)
    return (
        forums.select_related("unit", "municipality")
        .annotate(
            member_count=_count_by_forum(current),
            women_count=_count_by_forum(current.filter(gender=Gender.FEMALE)),
            held_last_year=_count_by_forum(held.filter(starts_at__gte=year_ago)),
            last_held=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        )
        .order_by("unit_path", "kind", "name")
    )


def get_forum(actor: Actor, forum_id: int) -> Forum:
    return one_or_404(
        visible_forums(actor).select_related("unit", "unit__parent", "municipality"),
        pk=forum_id,
    )


def list_place_units(actor: Actor) -> QuerySet[Unit]:
    """Places to filter by: the actor's own, and the regions, stations and
    substations under them (sectors are reached through their forum)."""
    tops = policy.places(actor, "view")
    return (
        Unit.objects.filter(policy.scope(actor, "view"))
        .filter(Q(path__in=tops) | Q(kind__in=[UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION]))
        .order_by("path")
    )


def get_place(actor: Actor, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    return Unit.objects.filter(policy.scope(actor, "view")).filter(pk=unit_id).first()


def list_forum_places(actor: Actor) -> QuerySet[Unit]:
    """Sectors, substations and stations where the actor may keep forums."""
    return (
        Unit.objects.filter(policy.scope(actor, "manage"), kind__in=FORUM_PLACE_KINDS)
        .select_related("parent")
        .order_by("path")
    )


def list_manageable_forums(actor: Actor) -> ForumQuerySet:
    return Forum.objects.filter(policy.scope(actor, "manage", "unit_path")).order_by("unit_path", "name")


def list_forums_for_place(actor: Actor, place: Unit) -> ForumQuerySet:
    """Forums the actor may see that serve `place` and are not dissolved: at it,
    under it (its sectors' forums) or above it (its station's) — to join work
    done at that place (a problem's team, an action)."""
    return (
        visible_forums(actor)
        .exclude(status=ForumStatus.DISSOLVED)
        .filter(Q(unit_path__in=place.ancestor_paths()) | Q(unit_path__startswith=place.path))
        .select_related("unit")
        .order_by("unit_path", "kind", "name")
    )


def list_trainer_engagements(forum: Forum) -> QuerySet[TrainerEngagement]:
    return TrainerEngagement.objects.filter(member__forum=forum).select_related("member")


def list_tension_reports(forum: Forum) -> QuerySet[TensionReport]:
    return forum.tension_reports.order_by("-reported_on", "-id")


def get_tension_report(actor: Actor, report_id: int) -> TensionReport:
    """A tension report of a forum the actor may see (404 otherwise), with its forum."""
    return one_or_404(
        TensionReport.objects.filter(policy.scope(actor, "view", "forum__unit_path")).select_related(
            "forum", "forum__unit"
        ),
        pk=report_id,
    )


def list_press_releases(forum: Forum) -> QuerySet[PressRelease]:
    return forum.press_releases.defer("body").order_by("is_published", "-published_at", "-created_at")


def get_press_release(actor: Actor, release_id: int) -> PressRelease:
    return one_or_404(
        PressRelease.objects.filter(forum__in=visible_forums(actor)).select_related("forum"),
        pk=release_id,
    )
