"""Reads of a problem's analysis: the problem-analysis triangle and the
hypotheses, and the data panel built from the records — never typed: monthly
counts inside the target area against its surroundings, the hour-of-day ×
day-of-week profile, repeat locations, and the near-repeat runs linked as
sources. The panel reads incidents and concerns through their apps'
selectors (so it counts only what the actor may see), one query each."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from numpy.typing import NDArray

from cpis.analytics import selectors as analytics
from cpis.analytics.analyses import risk_sentence
from cpis.concerns import selectors as concerns
from cpis.core.http import one_or_404
from cpis.core.points import Points
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import CONTROLLER, Hypothesis, Problem, Side, Source, TriangleEntry

MONTHS = 24  # the panel's window: the last 24 complete calendar months
REPEAT_CELL_M = 25.0  # incidents within one 25 m square are at one location
REPEAT_TOP = 10
HEAT_LEVELS = 5  # shades of the hour × weekday table, besides none
METRES_PER_DEGREE = 111_320.0
ORDINAL_1970 = date(1970, 1, 1).toordinal()

# How the target area was found: drawn on the problem, its place's sector
# boundaries, or (a place with no mapped boundary) the sectors records are filed under.
AREA_DRAWN, AREA_PLACE, AREA_SECTORS = "drawn", "place", "sectors"


# --- the triangle and the hypotheses ----------------------------------------------------


@dataclass(frozen=True)
class TriangleSide:
    side: str
    label: str
    controller: str  # the controller's name for this side: guardian, handler, manager
    entries: list[TriangleEntry]


def list_triangle(problem: Problem) -> list[TriangleSide]:
    """The three sides of the triangle in the published order, each with its entries."""
    entries = list(TriangleEntry.objects.filter(problem=problem).order_by("id"))
    return [
        TriangleSide(
            side=side.value,
            label=str(side.label),
            controller=str(CONTROLLER[side]),
            entries=[e for e in entries if e.side == side],
        )
        for side in (Side.VICTIM, Side.OFFENDER, Side.PLACE)
    ]


def get_triangle_entry(problem: Problem, entry_id: int) -> TriangleEntry:
    """An entry of this problem's triangle (the problem already checked); 404 otherwise."""
    return one_or_404(TriangleEntry.objects.filter(problem=problem), pk=entry_id)


def list_hypotheses(problem: Problem) -> QuerySet[Hypothesis]:
    return Hypothesis.objects.filter(problem=problem).order_by("id")


def get_hypothesis(problem: Problem, hypothesis_id: int) -> Hypothesis:
    return one_or_404(Hypothesis.objects.filter(problem=problem), pk=hypothesis_id)


# --- the data panel ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One kind of record by month: inside the target area and in its surroundings."""

    kind: str  # "incidents" or "concerns"
    categories: list[str]  # the problem's category names; empty: every category
    inside: list[int]
    outside: list[int]
    unplaced: int  # records of the window without a point (concerns may have none)
    area_km2: float | None
    surroundings_km2: float | None

    @property
    def inside_total(self) -> int:
        return sum(self.inside)

    @property
    def outside_total(self) -> int:
        return sum(self.outside)

    @property
    def inside_density(self) -> float | None:
        """Records per km² per month inside the area."""
        return _per_km2_month(self.inside_total, self.area_km2, len(self.inside))

    @property
    def outside_density(self) -> float | None:
        return _per_km2_month(self.outside_total, self.surroundings_km2, len(self.outside))

    @property
    def density_ratio(self) -> float | None:
        """How many times as dense the area is as its surroundings."""
        inside, outside = self.inside_density, self.outside_density
        if inside is None or not outside:
            return None
        return inside / outside

    @property
    def inside_index(self) -> list[float | None]:
        return indexed(self.inside)

    @property
    def outside_index(self) -> list[float | None]:
        return indexed(self.outside)


def _per_km2_month(count: int, km2: float | None, months: int) -> float | None:
    if not km2 or not months:
        return None
    return count / km2 / months


def indexed(values: Sequence[int]) -> list[float | None]:
    """Each month against the series' own monthly mean = 100 (None when the
    series is empty: there is nothing to index)."""
    mean = sum(values) / len(values) if values else 0
    if mean == 0:
        return [None for _value in values]
    return [round(100 * v / mean, 1) for v in values]


@dataclass(frozen=True)
class HeatCell:
    count: int
    level: int  # 0 for none, 1..HEAT_LEVELS by share of the busiest cell


@dataclass(frozen=True)
class ProfileRow:
    day: str
    cells: list[HeatCell]
    total: int


@dataclass(frozen=True)
class Profile:
    """Incidents in the area by hour of day and day of week; those whose time
    is unknown are counted apart (they have a day but no hour)."""

    rows: list[ProfileRow]
    hour_totals: list[int]
    unknown_hour: int
    total: int
    peak: int

    @property
    def known(self) -> int:
        return self.total - self.unknown_hour


@dataclass(frozen=True)
class RepeatLocation:
    lat: float
    lon: float
    count: int


@dataclass(frozen=True)
class Repeats:
    """Locations (25 m squares) with two incidents or more in the area."""

    top: list[RepeatLocation]
    locations: int  # how many locations had two or more
    at_repeats: int  # incidents at those locations
    total: int  # incidents in the area

    @property
    def share(self) -> float | None:
        return None if not self.total else 100 * self.at_repeats / self.total


@dataclass(frozen=True)
class KnoxRow:
    label: str
    cells: list[dict[str, Any]]


@dataclass(frozen=True)
class NearRepeat:
    """A near-repeat run linked to the problem, with its Knox table once done."""

    run: Any  # analytics' AnalysisRun
    columns: list[str]
    rows: list[KnoxRow]
    sentence: str = ""  # the alert in the bands' terms; "" without raised risk


@dataclass(frozen=True)
class DataPanel:
    start: date
    end: date
    months: list[date]  # the first day of each month of the window
    area: str  # AREA_DRAWN, AREA_PLACE or AREA_SECTORS
    area_km2: float | None
    surroundings: Unit
    surroundings_km2: float | None
    sectors_seen: int  # sectors of the surroundings whose records the actor may see
    sectors_total: int
    incidents: Series
    concerns: Series
    profile: Profile
    repeats: Repeats
    near_repeats: list[NearRepeat]
    hidden_runs: int  # near-repeat runs linked but not the actor's to see

    @property
    def partial(self) -> bool:
        return self.sectors_seen < self.sectors_total

    @property
    def rows(self) -> list[tuple[date, int, int, int, int]]:
        """The monthly table: month, incidents inside and around, concerns inside and around."""
        return list(
            zip(
                self.months,
                self.incidents.inside,
                self.incidents.outside,
                self.concerns.inside,
                self.concerns.outside,
                strict=True,
            )
        )


def window(today: date) -> tuple[date, date, list[date]]:
    """The last MONTHS complete calendar months before `today`'s month."""
    first_of_month = today.replace(day=1)
    end = first_of_month - timedelta(days=1)
    months = []
    year, month = first_of_month.year, first_of_month.month
    for _step in range(MONTHS):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append(date(year, month, 1))
    months.reverse()
    return months[0], end, months


@dataclass(frozen=True)
class _Area:
    """Where a point counts: a geometry (lon/lat), or, with none, sector ids."""

    geometry: Any  # a shapely geometry or None
    sector_ids: frozenset[int]
    km2: float | None

    def contains(self, points: Points) -> NDArray[np.bool_]:
        if self.geometry is not None:
            import shapely

            located = np.isfinite(points.lon) & np.isfinite(points.lat)
            inside = np.zeros(len(points), dtype=bool)
            inside[located] = shapely.contains_xy(self.geometry, points.lon[located], points.lat[located])
            return inside
        return np.isin(points.sector, np.fromiter(self.sector_ids, dtype=np.int64))


def _km2(geometry: Any) -> float | None:
    """The area of a lon/lat geometry on the WGS 84 ellipsoid, in km²."""
    if geometry is None or geometry.is_empty:
        return None
    from pyproj import Geod

    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(geometry)
    return abs(area) / 1_000_000


def _union(boundaries: Sequence[dict[str, Any] | None]) -> Any:
    import shapely
    from shapely.geometry import shape

    shapes = [shape(b) for b in boundaries if b]
    return shapely.union_all(shapes) if shapes else None


def _surroundings_unit(problem: Problem) -> Unit:
    """The rest of the station around a drawn area or a sector; around a whole
    station its region, around a region the country."""
    depth = 3
    if not problem.area and problem.unit.kind == UnitKind.STATION:
        depth = 2
    elif not problem.area and problem.unit.kind == UnitKind.REGION:
        depth = 1
    parts = problem.unit_path.strip("/").split("/")
    path = "/".join(parts[:depth]) + "/"
    return Unit.objects.filter(path=path).first() or problem.unit


def _areas(actor: Actor, problem: Problem, around: Unit) -> tuple[str, _Area, _Area, int, int]:
    """The target area and the surroundings the actor may see, with the count of
    the surroundings' sectors seen and in all."""
    sectors = list(Unit.objects.sectors().within(around.path).values_list("id", "path", "boundary"))
    seen = set(
        incidents.list_filter_units(actor)
        .filter(kind=UnitKind.SECTOR, path__startswith=around.path)
        .values_list("id", flat=True)
    )
    own = [(pk, boundary) for pk, path, boundary in sectors if path.startswith(problem.unit_path)]
    own_ids = frozenset(pk for pk, _boundary in own)
    visible = [(pk, boundary) for pk, _path, boundary in sectors if pk in seen]
    if problem.area:
        from shapely.geometry import shape

        kind, target_geometry = AREA_DRAWN, shape(problem.area)
    else:
        target_geometry = _union([b for _pk, b in own])
        kind = AREA_PLACE if target_geometry is not None else AREA_SECTORS
    target = _Area(target_geometry, own_ids, _km2(target_geometry))
    visible_geometry = _union([b for _pk, b in visible])
    if visible_geometry is not None and target_geometry is not None:
        rest = visible_geometry.difference(target_geometry)
        surroundings = _Area(rest, frozenset(), _km2(rest))
    else:
        surroundings = _Area(None, frozenset(seen), None)
    return kind, target, surroundings, len(seen), len(sectors)


def _months_of(points: Points, months: list[date]) -> NDArray[np.int64]:
    """The index of each point's month in the window."""
    days = (points.day.astype(np.int64) - ORDINAL_1970).astype("datetime64[D]")
    first = np.datetime64(months[0], "M")
    return (days.astype("datetime64[M]") - first).astype(np.int64)


def _series(
    kind: str,
    names: list[str],
    points: Points,
    months: list[date],
    target: _Area,
    surroundings: _Area,
) -> Series:
    index = _months_of(points, months)
    size = len(months)
    in_window = (index >= 0) & (index < size)
    inside = target.contains(points) & in_window
    around = surroundings.contains(points) & ~inside & in_window
    located = np.isfinite(points.lon) & np.isfinite(points.lat)
    return Series(
        kind=kind,
        categories=names,
        inside=[int(n) for n in np.bincount(index[inside], minlength=size)],
        outside=[int(n) for n in np.bincount(index[around], minlength=size)],
        unplaced=int((~located & in_window).sum()) if target.geometry is not None else 0,
        area_km2=target.km2,
        surroundings_km2=surroundings.km2,
    )


def _level(count: int, peak: int) -> int:
    return 0 if not count or not peak else max(1, math.ceil(HEAT_LEVELS * count / peak))


def profile(points: Points) -> Profile:
    """The hour × weekday table of these incidents (Monday first)."""
    known = points.hour >= 0
    weekday = (points.day.astype(np.int64) - 1) % 7  # date.fromordinal(1) is a Monday
    table = np.zeros((7, 24), dtype=np.int64)
    np.add.at(table, (weekday[known], points.hour[known].astype(np.int64)), 1)
    peak = int(table.max()) if table.size else 0
    rows = [
        ProfileRow(
            day=str(WEEKDAYS[d]),
            cells=[HeatCell(int(c), _level(int(c), peak)) for c in table[d]],
            total=int(table[d].sum()),
        )
        for d in range(7)
    ]
    return Profile(
        rows=rows,
        hour_totals=[int(n) for n in table.sum(axis=0)],
        unknown_hour=int((~known).sum()),
        total=len(points),
        peak=peak,
    )


def repeats(points: Points) -> Repeats:
    """Locations with two incidents or more: points snapped to 25 m squares
    (metres from degrees at the points' own latitude), the ten busiest with
    the mean position of their incidents."""
    located = points.located()
    if not len(located):
        return Repeats(top=[], locations=0, at_repeats=0, total=0)
    scale = METRES_PER_DEGREE * math.cos(math.radians(float(np.median(located.lat))))
    cx = np.floor(located.lon * scale / REPEAT_CELL_M).astype(np.int64)
    cy = np.floor(located.lat * METRES_PER_DEGREE / REPEAT_CELL_M).astype(np.int64)
    cells, which, counts = np.unique(
        np.stack([cx, cy], axis=1), axis=0, return_inverse=True, return_counts=True
    )
    which = which.ravel()
    repeated = np.flatnonzero(counts >= 2)
    order = repeated[np.lexsort((cells[repeated, 1], cells[repeated, 0], -counts[repeated]))][:REPEAT_TOP]
    top = [
        RepeatLocation(
            lat=round(float(located.lat[which == cell].mean()), 5),
            lon=round(float(located.lon[which == cell].mean()), 5),
            count=int(counts[cell]),
        )
        for cell in order
    ]
    return Repeats(
        top=top,
        locations=len(repeated),
        at_repeats=int(counts[repeated].sum()),
        total=len(located),
    )


def _near_repeats(actor: Actor, problem: Problem) -> tuple[list[NearRepeat], int]:
    """The near-repeat runs linked as sources that the actor may see, with their
    Knox tables (observed pairs, ratio and p-value per distance × days cell)."""
    linked = Source.objects.filter(problem=problem, run__isnull=False).order_by("linked_at", "id")
    run_ids = list(dict.fromkeys(linked.values_list("run_id", flat=True)))  # once each, in order
    found, hidden = [], 0
    for run_id in run_ids:
        try:
            run = analytics.get_run(actor, run_id)
        except Http404:
            hidden += 1
            continue
        if run.kind != "near_repeat":
            continue
        result = run.result or {}
        columns: list[str] = list(result.get("time", {}).get("labels", [])) if result.get("cells") else []
        rows: list[KnoxRow] = []
        if columns:
            cells = {(c["space_index"], c["time_index"]): c for c in result["cells"]}
            rows = [
                KnoxRow(label, [cells[(s, t)] for t in range(len(columns))])
                for s, label in enumerate(result["space"]["labels"])
            ]
        sentence = risk_sentence(result.get("risk"), result.get("space")) if rows else ""
        found.append(NearRepeat(run=run, columns=columns, rows=rows, sentence=sentence))
    return found, hidden


def data_panel(actor: Actor, problem: Problem, *, today: date | None = None) -> DataPanel:
    """The problem's data panel over the last 24 complete months: its incident
    categories (every category when it names none) and concern categories,
    inside the target area and in the rest of its surroundings that the actor
    may see; the profile and the repeat locations of the incidents inside."""
    start, end, months = window(today or timezone.localdate())
    around = _surroundings_unit(problem)
    kind, target, surroundings, seen, total = _areas(actor, problem, around)
    incident_categories = list(problem.incident_categories.all())
    concern_categories = list(problem.concern_categories.all())
    incident_points = incidents.incident_points(
        actor,
        path=around.path,
        categories=[c.code for c in incident_categories] or None,
        start=start,
        end=end,
    )
    concern_points = concerns.concern_points(
        actor, path=around.path, categories=[c.code for c in concern_categories] or None, start=start, end=end
    )
    inside = incident_points.where(target.contains(incident_points))
    near_repeats, hidden = _near_repeats(actor, problem)
    return DataPanel(
        start=start,
        end=end,
        months=months,
        area=kind,
        area_km2=target.km2,
        surroundings=around,
        surroundings_km2=surroundings.km2,
        sectors_seen=seen,
        sectors_total=total,
        incidents=_series(
            "incidents",
            [str(c.name) for c in incident_categories],
            incident_points,
            months,
            target,
            surroundings,
        ),
        concerns=_series(
            "concerns",
            [str(c.name) for c in concern_categories],
            concern_points,
            months,
            target,
            surroundings,
        ),
        profile=profile(inside),
        repeats=repeats(inside),
        near_repeats=near_repeats,
        hidden_runs=hidden,
    )
