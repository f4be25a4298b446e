"""Reads of the survey waves: those the actor sees (a wave at their place, below
it, or above it — a national wave covers every region), one wave with its
sectors, targets, margins and start points, the open waves that cover a sector
(where a response at a door or on the portal belongs; on a day, when asked)
and those where an officer may collect or review, the settlements of each
sector (a settlement is in the sector its point lies in), and the
interviewers' sheets of a sector or a station."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.geo import SectorIndex, geometry_from_geojson
from cpis.organisation.models import Settlement, Unit, UnitKind, station_path

from ..models import (
    AgeBand,
    Community,
    Dimension,
    Gender,
    Margin,
    ResponseStatus,
    StartPoint,
    VersionStatus,
    Wave,
    WaveStatus,
    WaveTarget,
)
from ..policy import policy

# What a wave surveys: the whole country, a region or a station (and its sectors).
WAVE_PLACE_KINDS = (UnitKind.DIRECTORATE, UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION)
# Whose sheets print together: one sector's, or all the sectors of a station.
SHEET_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION)


# Newest first, the order of every list of waves.
NEWEST_FIRST = ("-starts_on", "name", "pk")


def overlapping(actor: Actor, action: str = "view") -> Q:
    """Waves at, below or above the places where the actor may do `action`: a
    national wave covers every region, and a station's wave is seen from its
    region. The one rule of which waves an actor sees (with "view"), and of where
    they may collect or review (with "collect", "review")."""
    if actor.is_system:
        return Q()
    paths = policy.places(actor, action)
    if not paths:
        return Q(pk__in=[])
    query = Q(place__path__in=sorted({a for path in paths for a in Unit(path=path).ancestor_paths()}))
    for path in paths:
        query |= Q(place__path__startswith=path)
    return query


def visible_waves(actor: Actor) -> QuerySet[Wave]:
    """The waves the actor sees: at, below or above the places where they see
    survey results. Every page and endpoint of waves starts from here."""
    return Wave.objects.filter(overlapping(actor))


def with_counted(waves: QuerySet[Wave]) -> QuerySet[Wave]:
    """Each wave with `counted`: its counted (accepted) responses."""
    return waves.annotate(counted=Count("responses", filter=Q(responses__status=ResponseStatus.ACCEPTED)))


def list_waves(
    actor: Actor,
    *,
    status: str = "",
    place: Unit | None = None,
    questionnaire: str = "",
    counted: bool = False,
) -> QuerySet[Wave]:
    """The waves the actor sees (of one status, at or below `place`, of one
    questionnaire by its code, when given), newest first, with their
    questionnaire and place, and their total target (`total_target`), or with
    `counted` instead when `counted` is true. 404 for who sees no survey."""
    policy.require_anywhere(actor, "view")
    rows = visible_waves(actor)
    if status:
        rows = rows.filter(status=status)
    if place is not None:
        rows = rows.filter(place__path__startswith=place.path)
    if questionnaire:
        rows = rows.filter(version__questionnaire__code=questionnaire)
    rows = rows.select_related("version", "version__questionnaire", "place")
    rows = with_counted(rows) if counted else rows.annotate(total_target=Sum("targets__target"))
    return rows.order_by(*NEWEST_FIRST)


def get_wave(actor: Actor, wave_id: int, *, counted: bool = False) -> Wave:
    """One wave the actor sees (with `counted` when asked); 404 otherwise."""
    rows = visible_waves(actor).select_related("version", "version__questionnaire", "place", "created_by")
    return one_or_404(with_counted(rows) if counted else rows, pk=wave_id)


def can_run(actor: Actor, wave: Wave) -> bool:
    """May plan and change the wave: run_waves at its place."""
    return policy.can(actor, "run_waves", wave.place.path)


def require_run(actor: Actor, wave: Wave) -> None:
    """May change the wave (run_waves at its place): 403 for who sees the wave
    (at, above or below their places) but may not, 404 for the others."""
    if policy.can(actor, "run_waves", wave.place.path):
        return
    if visible_waves(actor).filter(pk=wave.pk).exists():
        raise PermissionDenied(_("You may not do this here."))
    policy.require(actor, "run_waves", wave.place.path)


def may_plan_somewhere(actor: Actor) -> bool:
    return policy.anywhere(actor, "run_waves")


def require_plan_somewhere(actor: Actor) -> None:
    """A new wave's page: 404 for who sees no survey, 403 for who plans none."""
    policy.require_anywhere(actor, "run_waves")


def list_wave_places(actor: Actor) -> QuerySet[Unit]:
    """The places the actor may plan a wave at, in tree order."""
    label = ("kind", "path", "name_sq", "name_sr", "name_en", "parent")
    return (
        Unit.objects.filter(kind__in=WAVE_PLACE_KINDS)
        .filter(policy.scope(actor, "run_waves"))
        .only(*label)
        .order_by("path")
    )


def list_sectors(place: Unit) -> QuerySet[Unit]:
    """The sectors under a place, in tree order."""
    return (
        Unit.objects.sectors().filter(path__startswith=place.path).select_related("parent").order_by("path")
    )


# --- targets and margins ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectorTarget:
    sector: Unit
    target: int | None  # None: no target set
    points: int  # start points drawn
    interviews: int  # interviews the start points plan for


def list_targets(wave: Wave) -> list[SectorTarget]:
    """Every sector under the wave's place with its target and its start points."""
    targets = dict(WaveTarget.objects.filter(wave=wave).values_list("sector_id", "target"))
    points = {
        row["sector_id"]: row
        for row in StartPoint.objects.filter(wave=wave)
        .values("sector_id")
        .annotate(count=Count("pk"), interviews=Sum("interviews"))
    }
    return [
        SectorTarget(
            sector=sector,
            target=targets.get(sector.pk),
            points=points.get(sector.pk, {}).get("count", 0),
            interviews=points.get(sector.pk, {}).get("interviews", 0) or 0,
        )
        for sector in list_sectors(wave.place)
    ]


def targets_by_sector(wave: Wave) -> dict[int, int]:
    """The wave's target interviews by sector id (sectors with a target only)."""
    return dict(WaveTarget.objects.filter(wave=wave).values_list("sector_id", "target"))


def margins_by_dimension(wave: Wave) -> dict[str, dict[str, float]]:
    """The wave's population margins: {dimension: {category: share}}, for raking."""
    found: dict[str, dict[str, float]] = defaultdict(dict)
    for dimension, category, share in Margin.objects.filter(wave=wave).values_list(
        "dimension", "category", "share"
    ):
        found[dimension][category] = share
    return dict(found)


@dataclass(frozen=True)
class MarginRow:
    dimension: str
    label: str
    shares: list[tuple[str, float]]  # (category's label, share)

    @property
    def total(self) -> float:
        return sum(share for _label, share in self.shares)


def list_margins(wave: Wave) -> list[MarginRow]:
    """The wave's margins by dimension, labelled, in the order of the categories."""
    given = margins_by_dimension(wave)
    rows = []
    for dimension, categories in (
        (Dimension.COMMUNITY, Community),
        (Dimension.GENDER, Gender),
        (Dimension.AGE_BAND, AgeBand),
    ):
        shares = given.get(dimension, {})
        if shares:
            rows.append(
                MarginRow(
                    dimension=dimension,
                    label=str(dimension.label),
                    shares=[
                        (str(label), shares[value]) for value, label in categories.choices if value in shares
                    ],
                )
            )
    return rows


def open_waves() -> QuerySet[Wave]:
    """The open waves of a questionnaire version in use (never a draft's)."""
    return (
        Wave.objects.filter(status=WaveStatus.OPEN)
        .exclude(version__status=VersionStatus.DRAFT)
        .select_related("version", "version__questionnaire", "place")
    )


def list_open_waves(sector: Unit, *, on: date | None = None) -> QuerySet[Wave]:
    """The open waves whose place covers the sector (whose dates include `on`,
    when given), newest first: where a response taken in the sector belongs.
    No actor: the portal asks it too."""
    rows = open_waves().filter(place__path__in=sector.ancestor_paths())
    if on is not None:
        rows = rows.filter(starts_on__lte=on, ends_on__gte=on)
    return rows.order_by(*NEWEST_FIRST)


def get_open_wave(wave_id: int, sector: Unit) -> Wave:
    """An open wave that covers the sector; 404 otherwise."""
    return one_or_404(list_open_waves(sector), pk=wave_id)


def list_waves_to(actor: Actor, action: str) -> QuerySet[Wave]:
    """The open waves whose place overlaps the places where the actor may
    `action` ("collect", "review"), newest first."""
    return open_waves().filter(overlapping(actor, action)).order_by(*NEWEST_FIRST)


# --- settlements and start points --------------------------------------------------------------


@dataclass(frozen=True)
class SectorSettlements:
    """A sector's polygon and the settlements whose points lie in it."""

    sector: Unit
    polygon: object  # a shapely Polygon or MultiPolygon
    settlements: list[Settlement]


def settlements_by_sector(sectors: list[Unit]) -> dict[int, SectorSettlements]:
    """Each sector that has a boundary, with the settlements whose points lie
    in it (on a shared border, the sector of the lowest id, as everywhere in
    CPIS). Sectors without a boundary are left out."""
    with_boundary = [s for s in sectors if s.boundary]
    if not with_boundary:
        return {}
    polygons = [geometry_from_geojson(s.boundary) for s in with_boundary]
    index = SectorIndex([s.pk for s in with_boundary], polygons)
    import shapely

    west, south, east, north = shapely.total_bounds(np.asarray(polygons, dtype=object))
    candidates = list(
        Settlement.objects.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
        .select_related("municipality")
        .order_by("pk")
    )
    found: dict[int, SectorSettlements] = {
        s.pk: SectorSettlements(s, polygon, []) for s, polygon in zip(with_boundary, polygons, strict=True)
    }
    if candidates:
        located = index.locate_many([c.lon for c in candidates], [c.lat for c in candidates])
        for settlement, sector_id in zip(candidates, located.tolist(), strict=True):
            if sector_id in found:
                found[sector_id].settlements.append(settlement)
    return found


def sector_sizes(sectors: list[Unit]) -> list[int]:
    """The population of each sector: its own figure, else the sum of its
    settlements' (0 when neither is known)."""
    unknown = [s for s in sectors if not s.population]
    inside = settlements_by_sector(unknown) if unknown else {}
    sizes = []
    for sector in sectors:
        if sector.population:
            sizes.append(int(sector.population))
        else:
            found = inside.get(sector.pk)
            sizes.append(sum(s.population or 0 for s in found.settlements) if found else 0)
    return sizes


def list_start_points(wave: Wave, *, within: Unit | None = None) -> QuerySet[StartPoint]:
    """The wave's start points (of the sectors under `within` when given), by sector and number."""
    rows = StartPoint.objects.filter(wave=wave)
    if within is not None:
        rows = rows.filter(sector__path__startswith=within.path)
    return rows.select_related("sector", "settlement", "settlement__municipality").order_by(
        "sector__path", "sequence"
    )


# --- the interviewers' sheets --------------------------------------------------------------------


def may_print_sheets(actor: Actor, unit: Unit) -> bool:
    """Those who collect in the unit, and those who run waves there."""
    return policy.can(actor, "collect", unit.path) or policy.can(actor, "run_waves", unit.path)


def get_sheet_unit(actor: Actor, wave: Wave, unit_id: int) -> Unit:
    """A sector or a station under the wave's place whose sheets the actor may
    print: 404 for a unit outside the wave or the actor's places, 403 when the
    actor sees it but neither collects nor runs waves there."""
    unit = one_or_404(
        Unit.objects.filter(kind__in=SHEET_KINDS, path__startswith=wave.place.path).filter(
            policy.scope(actor, "view")
        ),
        pk=unit_id,
    )
    if not may_print_sheets(actor, unit):
        policy.require(actor, "collect", unit.path)
    return unit


def list_sheet_units(actor: Actor, wave: Wave) -> list[Unit]:
    """The stations and sectors of the wave whose sheets the actor may print,
    in tree order (a station before its sectors)."""
    sectors = {p.sector_id for p in StartPoint.objects.filter(wave=wave).only("sector_id")}
    units = Unit.objects.filter(pk__in=sectors).only("path", "kind")
    stations = {station_path(u.path) for u in units}
    rows = Unit.objects.filter(Q(pk__in=sectors) | Q(path__in=stations, kind__in=SHEET_KINDS)).filter(
        path__startswith=wave.place.path
    )
    return [u for u in rows.order_by("path") if may_print_sheets(actor, u)]


@dataclass(frozen=True)
class SectorSheet:
    """One sector's sheet: its start points (settlement, coordinates, interviews)."""

    wave: Wave
    sector: Unit
    target: int | None
    points: list[StartPoint]

    @property
    def interviews(self) -> int:
        return sum(p.interviews for p in self.points)


def list_sheets(wave: Wave, unit: Unit) -> list[SectorSheet]:
    """The sheets of a sector, or of every sector of a station that has start points."""
    targets = targets_by_sector(wave)
    by_sector: dict[int, list[StartPoint]] = defaultdict(list)
    sectors: dict[int, Unit] = {}
    for point in list_start_points(wave, within=unit):
        by_sector[point.sector_id].append(point)
        sectors[point.sector_id] = point.sector
    if unit.kind == UnitKind.SECTOR and unit.pk not in sectors:
        sectors[unit.pk] = unit
    return [
        SectorSheet(wave=wave, sector=sector, target=targets.get(pk), points=by_sector.get(pk, []))
        for pk, sector in sorted(sectors.items(), key=lambda item: item[1].path)
    ]
