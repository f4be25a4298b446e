"""Reads of a problem's assessment: the incidents of its categories around the
response date, each placed in the target area, the displacement buffer
around it or the control area, and counted in the two windows and in weeks.

Where the events come from: one `incidents.selectors.incident_points` query
over the problem's station (its region, for a problem of a region) for the
two windows, plus one for each sector of another station the buffer reaches
into (or for that whole station, when it reaches more than two of its sectors)
and one for a chosen control place outside the station.
The places are drawn from the sector boundaries the process already holds
(`organisation.geo.sector_index`) and one query for the sectors' paths.

* target: the problem's area, or the union of its place's sector boundaries;
* buffer: a ring `buffer_m` metres wide around the target, drawn in the local
  UTM projection (`analytics.stats.projection`) and brought back to degrees;
* control: by default the rest of the station — its incidents outside the
  target and the buffer; or a chosen place's sectors outside them.

A point on the target's edge is in the target; events in no area (the buffer's
part beyond every sector, other stations' incidents outside the buffer) are
not counted."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import shapely
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from numpy.typing import NDArray
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cpis.analytics.stats.projection import LocalProjection
from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.core.points import Points
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.geo import sector_index
from cpis.organisation.models import Unit, station_path

from ..models import Assessment, Problem
from ..policy import policy
from ..stats import assessment as kernel
from .problems import PLACE_KINDS


@dataclass(frozen=True)
class Places:
    """The three areas: `target` and `outer` (the target with its buffer) in
    degrees; the control as the sector ids of a chosen place, or None for the
    rest of the station (the incidents read under `station`)."""

    target: BaseGeometry
    outer: BaseGeometry
    control_sectors: NDArray[np.int64] | None
    station: str
    paths: list[str]  # where incidents are read, the station's first


@dataclass(frozen=True)
class AssessmentData:
    """What the counts are made of, and the counts."""

    counts: kernel.Counts
    weekly: kernel.Weekly
    window_days: int
    after_days: int  # days of the after-window observed (window_days once it has ended)
    before_start: date
    after_end: date  # the after-window's last day, observed or not
    data_until: date  # the last day counted
    events_before: int  # incidents read in the before-window, in any area
    paths: list[str]


def get_assessment(problem: Problem) -> Assessment | None:
    return Assessment.objects.filter(problem=problem).select_related("control_unit", "recorded_by").first()


def incident_category_codes(problem: Problem) -> list[str]:
    return sorted(problem.incident_categories.values_list("code", flat=True))


def list_control_choices(actor: Actor, problem: Problem) -> QuerySet[Unit]:
    """Places of the problem's region the actor sees, to compare against."""
    region = "/".join(problem.unit_path.strip("/").split("/")[:2]) + "/"
    return (
        Unit.objects.filter(kind__in=PLACE_KINDS, path__startswith=region)
        .filter(policy.scope(actor, "view"))
        .exclude(pk=problem.unit_id)
        .order_by("path")
    )


def get_control_place(actor: Actor, problem: Problem, unit_id: int) -> Unit:
    """A place offered as the control area; 404 for any other."""
    return one_or_404(list_control_choices(actor, problem), pk=unit_id)


# --- places ----------------------------------------------------------------------------


def _union(geometries: Sequence[BaseGeometry]) -> BaseGeometry:
    return shapely.union_all(np.asarray(geometries, dtype=object))


def _buffered(target: BaseGeometry, buffer_m: int) -> BaseGeometry:
    """The target grown by `buffer_m` metres, drawn in its UTM zone."""
    centre = target.centroid
    projection = LocalProjection.for_points([centre.x], [centre.y])

    def forward(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(projection.forward(xy[:, 0], xy[:, 1]))

    def inverse(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(projection.inverse(xy[:, 0], xy[:, 1]))

    metric = shapely.transform(target, forward)
    return shapely.transform(metric.buffer(buffer_m), inverse)


def _covering(paths: Sequence[str]) -> list[str]:
    """The paths in order, without those under an earlier or a later one."""
    kept: list[str] = []
    for path in paths:
        if any(path.startswith(other) for other in paths if other != path) or path in kept:
            continue
        kept.append(path)
    return kept


# A station the buffer reaches into is read a sector at a time up to this many
# sectors (a sector's incidents are a fraction of its station's), whole beyond.
SECTORS_READ_ONE_BY_ONE = 2


def _reached(sector_ids: Sequence[int], sector_paths: dict[int, str]) -> list[str]:
    """Where to read the incidents of the sectors the target and buffer reach."""
    by_station: dict[str, list[str]] = {}
    for sector_id in sector_ids:
        if sector_id in sector_paths:
            path = sector_paths[sector_id]
            by_station.setdefault(station_path(path), []).append(path)
    paths: list[str] = []
    for station, sectors in sorted(by_station.items()):
        paths += sorted(sectors) if len(sectors) <= SECTORS_READ_ONE_BY_ONE else [station]
    return paths


def build_places(problem: Problem, *, buffer_m: int, control_unit: Unit | None) -> Places:
    """The target, the buffer and the control of a problem, and where to read
    incidents for them; InvalidInput when a place has no boundary to draw them."""
    index = sector_index()
    position = {int(sector_id): k for k, sector_id in enumerate(index.ids.tolist())}
    sector_paths = dict(Unit.objects.sectors().filter(boundary__isnull=False).values_list("id", "path"))

    def geometries_under(path: str) -> list[BaseGeometry]:
        return [
            index.geometries[position[sector_id]]
            for sector_id, sector_path in sector_paths.items()
            if sector_path.startswith(path) and sector_id in position
        ]

    if problem.area:
        target = shape(problem.area)
    else:
        own = geometries_under(problem.unit_path)
        if not own:
            raise InvalidInput(_("The problem's place has no boundary: draw its target area first."))
        target = _union(own)
    outer = _union([_buffered(target, buffer_m), target])
    station = station_path(problem.unit_path)
    paths = [station]
    control_sectors = None
    if control_unit is not None:
        ids = [i for i, path in sector_paths.items() if path.startswith(control_unit.path) and i in position]
        if not ids:
            raise InvalidInput(_("The control place has no sector boundaries to count in."))
        if _union([index.geometries[position[i]] for i in ids]).difference(outer).area <= 0:
            raise InvalidInput(_("The control place lies inside the target area and its buffer."))
        control_sectors = np.asarray(sorted(ids), dtype=np.int64)
        paths.append(control_unit.path)
    paths += _reached(index.ids[index.tree.query(outer, predicate="intersects")].tolist(), sector_paths)
    for geometry in (target, outer):
        shapely.prepare(geometry)
    return Places(target, outer, control_sectors, station, _covering(paths))


def _inside(geometry: BaseGeometry, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Points in or on the geometry; only those in its bounding box are asked."""
    west, south, east, north = geometry.bounds
    result = np.zeros(len(x), dtype=bool)
    candidates = np.flatnonzero((x >= west) & (x <= east) & (y >= south) & (y <= north))
    if len(candidates):
        result[candidates] = shapely.intersects_xy(geometry, x[candidates], y[candidates])
    return result


def classify(points: Points, origin: NDArray[np.int64], places: Places) -> NDArray[np.int64]:
    """Each event's area (kernel.TARGET, BUFFER, CONTROL, or −1). `origin` is
    the index in `places.paths` of the query that read the event: the rest of
    the station is what the first query read."""
    in_target = _inside(places.target, points.lon, points.lat)
    in_outer = in_target | _inside(places.outer, points.lon, points.lat)
    area = np.full(len(points), -1, dtype=np.int64)
    area[in_outer] = kernel.BUFFER
    area[in_target] = kernel.TARGET
    if places.control_sectors is None:
        control = origin == 0
    else:
        control = np.isin(points.sector, places.control_sectors)
    area[control & ~in_outer] = kernel.CONTROL
    return area


# --- counts ------------------------------------------------------------------------------


def _read(actor: Actor, paths: Sequence[str], **filters: Any) -> tuple[Points, NDArray[np.int64]]:
    parts = [incidents.incident_points(actor, path=path, **filters) for path in paths]
    origin = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    if len(parts) == 1:
        return parts[0], origin
    return (
        Points(
            lon=np.concatenate([p.lon for p in parts]),
            lat=np.concatenate([p.lat for p in parts]),
            day=np.concatenate([p.day for p in parts]),
            hour=np.concatenate([p.hour for p in parts]),
            category=np.concatenate([p.category for p in parts]),
            sector=np.concatenate([p.sector for p in parts]),
        ),
        origin,
    )


def load_assessment_data(
    actor: Actor,
    *,
    places: Places,
    categories: Sequence[str],
    response_date: date,
    window_days: int,
    today: date,
) -> AssessmentData:
    """The incidents of `categories` the actor may see in the windows around
    `response_date` (the response day itself in neither), placed and counted.
    The after-window runs to `today` at most: until it has ended the figures
    are provisional."""
    response = response_date.toordinal()
    after_end = response_date + timedelta(days=window_days)
    data_until = min(after_end, today)
    after_days = max(0, (data_until - response_date).days)
    before_start = response_date - timedelta(days=window_days)
    points, origin = _read(
        actor,
        places.paths,
        categories=list(categories),
        start=before_start,
        end=response_date + timedelta(days=after_days),
    )
    area = classify(points, origin, places)
    options = {"response_day": response, "window_days": window_days, "after_days": after_days}
    return AssessmentData(
        counts=kernel.count_windows(points.day, area, **options),
        weekly=kernel.weekly_counts(points.day, area, **options),
        window_days=window_days,
        after_days=after_days,
        before_start=before_start,
        after_end=after_end,
        data_until=data_until,
        events_before=int(np.count_nonzero(points.day < response)),
        paths=list(places.paths),
    )


def category_names(codes: Sequence[str]) -> list[str]:
    """The names of the incident categories counted, in the taxonomy's order."""
    wanted = set(codes)
    return [category.name for category in incidents.list_categories() if category.code in wanted]
