"""The citizens' side: a sector's forums, their upcoming public meetings,
published minutes and press releases. Never members' contacts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from cpis.core.http import one_or_404
from cpis.organisation import selectors as organisation
from cpis.organisation.models import Unit, UnitKind

from ..models import Decision, Forum, ForumStatus, Meeting, MeetingStatus, PressRelease

PUBLIC_LIST_LIMIT = 20


@dataclass
class PublicSector:
    sector: Unit
    station: Unit | None
    paths: list[str]


def get_public_sector(sector_id: int) -> PublicSector:
    """A sector and the places whose forums serve it: the sector itself and
    the units above it up to its station."""
    sector = organisation.get_public_sector(sector_id)
    station = organisation.station_of(sector)
    paths = [p for p in sector.ancestor_paths() if station is None or p.startswith(station.path)]
    if station is None:
        paths = [sector.path]
    return PublicSector(sector, station, paths)


def public_place_of(sector: Unit, station: Unit | None) -> PublicSector:
    """`get_public_sector` for a sector (and its station) the caller has already read."""
    paths = [p for p in sector.ancestor_paths() if station is not None and p.startswith(station.path)]
    return PublicSector(sector, station, paths or [sector.path])


def _public_forums(place: PublicSector) -> QuerySet[Forum]:
    return Forum.objects.filter(unit_path__in=place.paths).exclude(status=ForumStatus.DISSOLVED)


def list_public_forums(place: PublicSector) -> QuerySet[Forum]:
    return _public_forums(place).select_related("unit").order_by("-unit_path", "kind", "name")


def list_upcoming_public_meetings(place: PublicSector, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """Planned public meetings of the sector's forums, from those under way
    now (begun within the last few hours) onwards."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            forum__in=_public_forums(place),
            status=MeetingStatus.PLANNED,
            is_public=True,
            starts_at__gte=now - timedelta(hours=4),
        )
        .select_related("forum")
        .only(
            "pk",
            "kind",
            "starts_at",
            "duration_minutes",
            "place",
            "agenda",
            "updated_at",
            "created_at",
            "forum__name",
            "forum__language",
            "forum__kind",
        )
        .order_by("starts_at", "pk")[:100]
    )


def list_published_minutes(place: PublicSector) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            forum__unit_path__in=place.paths, status=MeetingStatus.HELD, minutes_published=True
        )
        .select_related("forum")
        .order_by("-starts_at", "-pk")[:PUBLIC_LIST_LIMIT]
    )


def list_public_press_releases(place: PublicSector) -> QuerySet[PressRelease]:
    return (
        PressRelease.objects.filter(forum__unit_path__in=place.paths, is_published=True)
        .select_related("forum")
        .order_by("-published_at", "-pk")[:PUBLIC_LIST_LIMIT]
    )


def get_published_minutes(meeting_id: int) -> Meeting:
    return one_or_404(
        Meeting.objects.filter(status=MeetingStatus.HELD, minutes_published=True).select_related(
            "forum", "forum__unit"
        ),
        pk=meeting_id,
    )


def list_public_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.order_by("position", "id")


def get_published_press_release(release_id: int) -> PressRelease:
    return one_or_404(
        PressRelease.objects.filter(is_published=True).select_related("forum", "forum__unit"),
        pk=release_id,
    )


def public_sector_of(forum: Forum) -> Unit | None:
    """A sector under the forum's place, to link back to from a public page."""
    if forum.unit.kind == UnitKind.SECTOR:
        return forum.unit
    return Unit.objects.sectors().within(forum.unit_path).order_by("path").first()


def list_all_published_minutes() -> QuerySet[Meeting]:
    """Every meeting with published minutes (the sitemap), newest first."""
    return (
        Meeting.objects.filter(status=MeetingStatus.HELD, minutes_published=True)
        .only("pk", "updated_at")
        .order_by("-starts_at", "-pk")
    )


def list_all_public_press_releases() -> QuerySet[PressRelease]:
    """Every published press release (the sitemap), newest first."""
    return (
        PressRelease.objects.filter(is_published=True)
        .only("pk", "published_at")
        .order_by("-published_at", "-pk")
    )
