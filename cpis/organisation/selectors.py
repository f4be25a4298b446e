"""Reads for the organisation: units in scope, sectors and their teams,
point → sector lookup, place search and tenure warnings."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.audit import log_personal_data_access
from cpis.core.http import one_or_404
from cpis.core.i18n import fold
from cpis.core.periods import Period

from .access import Actor
from .geo import sector_index
from .models import (
    Assignment,
    KeyLocation,
    Municipality,
    Officer,
    Settlement,
    Unit,
    UnitKind,
)
from .policy import policy
from .rules import tenure_ends, years_before

# --- sectors and point lookup ------------------------------------------------


def locate_sector(*, lat: float, lon: float) -> Unit | None:
    """The sector whose boundary contains the point, or None."""
    sector_id = sector_index().locate(lon, lat)
    if sector_id is None:
        return None
    return Unit.objects.select_related("parent", "parent__parent").get(pk=sector_id)


def locate_sectors(*, lats: Any, lons: Any) -> np.ndarray:
    """Sector ids for many points at once; -1 outside every sector. Large
    batches (imports) go through the raster in front of the index."""
    return sector_index().locate_points(lons, lats)


def _team_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.current()
        .filter(officer__is_active=True)
        .select_related("officer")
        .leader_first(),
        to_attr="current_assignments",
    )


def get_sector_team(sector: Unit, *, public: bool = False) -> list[Assignment]:
    """Current assignments of officers in service in a sector, the sector
    leader first. The public sees community police officers only."""
    assignments = Assignment.objects.current().filter(sector=sector, officer__is_active=True)
    if public:
        assignments = assignments.filter(officer__is_community_officer=True)
    return list(assignments.select_related("officer").leader_first())


def list_public_sectors(*, within: Unit | None = None) -> QuerySet[Unit]:
    sectors = Unit.objects.sectors().select_related("parent", "municipality")
    if within is not None:
        sectors = sectors.within(within.path)
    return sectors


def get_public_sector(sector_id: int) -> Unit:
    return one_or_404(
        Unit.objects.sectors().select_related("parent", "parent__parent", "municipality"),
        pk=sector_id,
    )


def station_of(unit: Unit) -> Unit | None:
    """The station a unit belongs to (itself if it is one)."""
    node: Unit | None = unit
    while node is not None and node.kind not in {UnitKind.STATION, UnitKind.REGION}:
        node = node.parent
    return node if node is not None and node.kind == UnitKind.STATION else None


# --- place search --------------------------------------------------------------


@dataclass(frozen=True)
class PlaceMatch:
    name: str
    municipality: str
    lat: float
    lon: float
    sector: Unit | None


def search_places(query: str, *, limit: int = 10) -> list[PlaceMatch]:
    """Settlements and municipalities whose name matches `query` in any
    language or script, each with the sector that covers it."""
    key = fold(query)
    if len(key) < 2:
        return []
    settlements = list(
        Settlement.objects.filter(search_key__contains=key)
        .select_related("municipality")
        .order_by("-population", "name_sq")[:limit]
    )
    municipalities = [
        m for m in Municipality.objects.all() if key in fold(" ".join([m.name_sq, m.name_sr, m.name_en]))
    ]
    # A municipality is its own place: no "municipality" line under it.
    places: list[tuple[str, str, float, float]] = [
        (m.name, "", m.seat_lat, m.seat_lon) for m in municipalities
    ]
    places += [(s.name, s.municipality.name, s.lat, s.lon) for s in settlements]
    places = places[:limit]
    if not places:
        return []
    ids = locate_sectors(lats=[p[2] for p in places], lons=[p[3] for p in places])
    sectors = Unit.objects.select_related("parent").in_bulk([int(i) for i in ids if i >= 0])
    return [
        PlaceMatch(name, municipality, lat, lon, sectors.get(int(sector_id)))
        for (name, municipality, lat, lon), sector_id in zip(places, ids, strict=True)
    ]


# --- staff views ---------------------------------------------------------------


def visible_units(actor: Actor) -> QuerySet[Unit]:
    return Unit.objects.filter(policy.scope(actor, "view"))


def list_home_units(actor: Actor) -> QuerySet[Unit]:
    """The top units of the actor's places, with their subtree counts."""
    return Unit.objects.filter(path__in=policy.places(actor, "view"))


def get_unit(actor: Actor, unit_id: int) -> Unit:
    return one_or_404(visible_units(actor).select_related("parent", "municipality"), pk=unit_id)


@dataclass(frozen=True)
class UnitSummary:
    stations: int
    sectors: int
    officers: int
    community_officers: int
    sectors_without_team: int
    tenure_warnings: int


def summarise_unit(unit: Unit) -> UnitSummary:
    units = Unit.objects.within(unit.path)
    kinds = dict(units.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True)
    today = timezone.localdate()
    staffed = (
        Assignment.objects.current(today)
        .filter(sector__path__startswith=unit.path, officer__is_active=True)
        .values("sector")
        .distinct()
        .count()
    )
    return UnitSummary(
        stations=kinds.get(UnitKind.STATION, 0),
        sectors=kinds.get(UnitKind.SECTOR, 0),
        officers=officers.count(),
        community_officers=officers.filter(is_community_officer=True).count(),
        sectors_without_team=kinds.get(UnitKind.SECTOR, 0) - staffed,
        tenure_warnings=len(list_tenure_warnings(unit)),
    )


def list_children(unit: Unit) -> QuerySet[Unit]:
    return unit.children.annotate(officer_count=Count("officers")).order_by("kind", "name_sq")


def list_sectors_with_teams(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.sectors()
        .within(unit.path)
        .select_related("parent")
        .prefetch_related(_team_prefetch())
        .order_by("path")
    )


def list_key_locations(sector: Unit) -> QuerySet[KeyLocation]:
    return sector.key_locations.all()


def list_sector_history(sector: Unit) -> QuerySet[Assignment]:
    return sector.assignments.select_related("officer").order_by("-start_date")


@dataclass(frozen=True)
class TenureWarning:
    assignment: Assignment
    months_served: int
    has_reason: bool


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def list_tenure_warnings(unit: Unit, *, since_years: int = 2) -> list[TenureWarning]:
    """Community officers moved out of a sector under `unit` before two
    years were up, within the last `since_years` years, newest first."""
    today = timezone.localdate()
    since = years_before(today, since_years)
    ended = (
        Assignment.objects.filter(
            sector__path__startswith=unit.path,
            officer__is_community_officer=True,
            end_date__isnull=False,
            end_date__gte=since,
        )
        .select_related("officer", "sector")
        .order_by("-end_date")
    )
    warnings = []
    for assignment in ended:
        if assignment.end_date and assignment.end_date < tenure_ends(assignment.start_date):
            warnings.append(
                TenureWarning(
                    assignment=assignment,
                    months_served=_months_between(assignment.start_date, assignment.end_date),
                    has_reason=bool(assignment.end_reason.strip()),
                )
            )
    return warnings


def list_officers(actor: Actor, *, unit: Unit | None = None, query: str = "") -> QuerySet[Officer]:
    officers = Officer.objects.filter(policy.scope(actor, "view", "unit__path"))
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    if query:
        officers = officers.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(badge_number=query)
        )
    return officers.select_related("unit")


def get_officer(actor: Actor, officer_id: int) -> Officer:
    return one_or_404(list_officers(actor), pk=officer_id)


def can_view_personal_data(actor: Actor, officer: Officer) -> bool:
    return policy.can(actor, "view_personal_data", officer.unit.path)


def get_officer_personal_data(
    actor: Actor, officer: Officer, *, request: HttpRequest | None
) -> dict[str, Any]:
    """An officer's personal fields, for roles that need them. Every call
    writes an access-log row (who, which officer, when, from where)."""
    policy.require(actor, "view_personal_data", officer.unit.path)
    log_personal_data_access(
        user_id=actor.user_id,
        subject_type="organisation.officer",
        subject_id=officer.pk,
        request=request,
    )
    return {
        "badge_number": officer.badge_number,
        "date_of_birth": officer.date_of_birth,
        "personal_phone": officer.personal_phone,
        "home_address": officer.home_address,
    }


def list_officer_assignments(officer: Officer) -> QuerySet[Assignment]:
    return officer.assignments.select_related("sector", "sector__parent").order_by("-start_date")


def current_assignment(officer: Officer) -> Assignment | None:
    return officer.assignments.current().select_related("sector").first()


def list_assignable_sectors(actor: Actor, officer: Officer) -> QuerySet[Unit]:
    """Sectors of the officer's region the actor may assign people to."""
    region_path = "/".join(officer.unit.path.split("/")[:2]) + "/"
    return (
        Unit.objects.sectors()
        .within(region_path)
        .filter(policy.scope(actor, "manage_assignments"))
        .select_related("parent")
    )


def list_public_officers(*, unit: Unit | None = None) -> QuerySet[Officer]:
    """Community officers serving in a sector today: the public team list."""
    today = timezone.localdate()
    serving = Assignment.objects.current(today).values("officer_id")
    officers = Officer.objects.filter(
        pk__in=serving, is_active=True, is_community_officer=True
    ).select_related("unit")
    if unit is not None:
        officers = officers.filter(
            pk__in=Assignment.objects.current(today)
            .filter(sector__path__startswith=unit.path)
            .values("officer_id")
        )
    return officers.order_by("last_name", "id")


def get_public_officer(officer_id: int) -> Officer:
    return one_or_404(list_public_officers(), pk=officer_id)


def get_root_unit() -> Unit:
    """The top of the tree: the queue of last resort for unplaceable input."""
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise Http404(_("Not found."))
    return root


def station_for_place(text: str) -> Unit | None:
    """The station whose municipality a typed place belongs to."""
    for match in search_places(text, limit=5):
        if match.sector is not None:
            station = station_of(match.sector)
            if station is not None:
                return station
    return None


def get_sector(sector_id: int) -> Unit | None:
    return Unit.objects.sectors().filter(pk=sector_id).first()


def get_public_unit(unit_id: int) -> Unit:
    return one_or_404(Unit.objects, pk=unit_id)


def find_officer_by_badge(badge_number: str) -> Officer | None:
    return Officer.objects.select_related("unit").filter(badge_number=badge_number).first()


def get_home_unit(paths: list[str]) -> Unit | None:
    """The first of the given places (an actor's), the most local first."""
    return Unit.objects.filter(path__in=paths).order_by("-path").first() if paths else None


def count_community_officers(periods: list[Period], *, path: str = "") -> list[int]:
    """Officers serving in a sector on the last day of each period: the
    officials identified for partnership with the community [3.1.1]."""
    counts = []
    for period in periods:
        assignments = Assignment.objects.current(period.end)
        if path:
            assignments = assignments.filter(sector__path__startswith=path)
        counts.append(assignments.values("officer_id").distinct().count())
    return counts


def officer_user_ids(*, path: str = "") -> QuerySet[Any]:
    """Accounts of officers in service, for counting who was informed [1.4.3]."""
    officers = Officer.objects.filter(is_active=True, user__isnull=False, user__is_active=True)
    if path:
        officers = officers.filter(unit__path__startswith=path)
    return officers.values_list("user_id", flat=True)


def count_officers_by_sector(*, path: str = "", on: date | None = None) -> dict[int, int]:
    """Active officers serving in each sector under `path` on the day `on`
    (today by default): the deployment that analytics compares with the load."""
    assignments = Assignment.objects.current(on).filter(officer__is_active=True)
    if path:
        assignments = assignments.filter(sector__path__startswith=path)
    rows = assignments.order_by().values("sector_id").annotate(n=Count("officer_id", distinct=True))
    return {row["sector_id"]: row["n"] for row in rows}
