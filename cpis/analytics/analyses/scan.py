"""Emerging clusters of a place: the prospective space-time permutation scan
(Kulldorff 2005) of its located events, once or per category for the daily
scan (kernel in `stats/scan.py`)."""

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.points import Points
from cpis.organisation.access import Actor

from ..selectors import Scope, list_categories, today
from .common import MAX_GRID_CELLS, Progress, cells_needed, grid_for, located
from .files import FileEvents
from .parameters import check_params

SCAN_DEFAULTS: dict[str, Any] = {
    "days": 365,
    "window": 30,
    "radius": 1000.0,
    "cell": 500.0,
    "replicates": 999,
    "seed": 0,
}
DAILY_SCAN: dict[str, Any] = {**SCAN_DEFAULTS, "min_events": 30}
SIGNAL_RECURRENCE_DAYS = 100.0  # a daily scan signals once in 100 days by chance at most (p ≤ 0.01)


@dataclass(frozen=True)
class Finding:
    category: str
    category_label: str
    sector_id: int
    centre_lat: float
    centre_lon: float
    radius_m: float
    start_date: date
    end_date: date
    observed: int
    expected: float
    llr: float
    p_value: float
    recurrence_days: float
    area: dict[str, Any]


@dataclass(frozen=True)
class ScanOutcome:
    scope: Any  # the Scope analysed; None for a file's events
    category: str
    category_label: str
    events: int
    findings: list[Finding]
    seconds: float
    replicates: int

    def significant(self) -> list[Finding]:
        return [f for f in self.findings if f.recurrence_days >= SIGNAL_RECURRENCE_DAYS]

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "category_label": self.category_label,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "replicates": self.replicates,
            "clusters": [
                {
                    **{
                        k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for k, v in f.__dict__.items()
                        if k not in {"start_date", "end_date", "area"}
                    },
                    "start_date": f.start_date.isoformat(),
                    "end_date": f.end_date.isoformat(),
                    "signal": f.recurrence_days >= SIGNAL_RECURRENCE_DAYS,
                }
                for f in self.findings
            ],
        }


def _circle(projection: Any, x: float, y: float, radius: float, vertices: int = 32) -> dict[str, Any]:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    lon, lat = projection.inverse(x + radius * np.cos(angles), y + radius * np.sin(angles))
    ring = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def scan(
    actor: Actor,
    scope: Scope,
    *,
    progress: Progress = None,
    category_label: str = "",
    **params: Any,
) -> ScanOutcome:
    """The prospective space-time permutation scan (Kulldorff 2005) of the
    scope's located events over the last `days` days: clusters still going on."""
    options = {**SCAN_DEFAULTS, **check_params("scan", params)}
    end = scope.end or today()
    days = int(options["days"])
    scope = scope.with_dates(end - timedelta(days=days - 1), end)
    points = located(actor, scope)
    label = category_label or (", ".join(scope.categories) if scope.categories else _("All categories"))
    code = ",".join(scope.categories) or "*"
    if len(points) < 3:
        return ScanOutcome(scope, code, label, len(points), [], 0.0, int(options["replicates"]))
    grid, projection, x, y = grid_for(points, float(options["cell"]))
    return _scan_events(
        points, grid, projection, x, y, end, options, scope, code=code, label=label, progress=progress
    )


def scan_of_file(events: FileEvents, *, progress: Progress = None, **params: Any) -> ScanOutcome:
    """The prospective space-time permutation scan of the events read from a
    file, in their projection, over the `days` days up to its last event's day;
    no database is read and nothing is stored."""
    from ..stats.grid import Grid

    options = {**SCAN_DEFAULTS, **check_params("scan", params)}
    if not len(events):
        raise InvalidInput(_("The file has no usable events."))
    end = date.fromordinal(int(events.day.max()))
    days = int(options["days"])
    inside = events.day >= end.toordinal() - days + 1
    points = events.points().where(inside)
    x, y = events.x[inside], events.y[inside]
    label = _("All categories")
    if len(points) < 3:
        return ScanOutcome(None, "*", label, len(points), [], 0.0, int(options["replicates"]))
    cell = float(options["cell"])
    if cells_needed(x, y, cell, 1) > MAX_GRID_CELLS:
        raise InvalidInput(_("The grid would be too large: choose larger cells or a smaller place."))
    grid = Grid.covering(x, y, cell, pad=1)
    projection = events.grid_projection()
    return _scan_events(
        points, grid, projection, x, y, end, options, None, code="*", label=label, progress=progress
    )


def _scan_events(
    points: Points,
    grid: Any,
    projection: Any,
    x: np.ndarray,
    y: np.ndarray,
    end: date,
    options: dict[str, Any],
    scope: Scope | None,
    *,
    code: str,
    label: str,
    progress: Progress,
) -> ScanOutcome:
    from ..stats.scan import space_time_permutation_scan

    started = time.perf_counter()
    days = int(options["days"])
    rows, cols = grid.cell_of(x, y)
    flat = rows * grid.nx + cols
    cells, event_loc = np.unique(flat, return_inverse=True)
    xc, yc = grid.centres()
    loc_x, loc_y = xc[cells % grid.nx], yc[cells // grid.nx]
    result = space_time_permutation_scan(
        loc_x,
        loc_y,
        event_loc,
        points.day.astype(np.int64),
        end_day=end.toordinal(),
        study_days=days,
        max_window_days=int(options["window"]),
        max_radius=float(options["radius"]),
        replicates=int(options["replicates"]),
        seed=int(options["seed"]),
        progress=progress,
    )
    cell = float(options["cell"])
    findings = [
        _finding(cluster, points, event_loc, (loc_x, loc_y), projection, cell, scope, code=code, label=label)
        for cluster in result.clusters
    ]
    return ScanOutcome(
        scope, code, label, len(points), findings, time.perf_counter() - started, int(options["replicates"])
    )


def _finding(
    cluster: Any,
    points: Points,
    event_loc: np.ndarray,
    locations: tuple[np.ndarray, np.ndarray],
    projection: Any,
    cell: float,
    scope: Scope | None,
    *,
    code: str,
    label: str,
) -> Finding:
    """A cluster of the kernel labelled for people: the sector most of its
    events fall in (the place scanned when none does), its centre and radius
    in degrees and metres (the radius reaching the edge of the outer cells)."""
    members = (
        np.isin(event_loc, cluster.locations)
        & (points.day >= cluster.start_day)
        & (points.day <= cluster.end_day)
    )
    sectors = points.sector[members]
    sectors = sectors[sectors >= 0]
    sector_id = int(np.bincount(sectors).argmax()) if sectors.size else (scope.unit.pk if scope else 0)
    cx, cy = float(locations[0][cluster.centre]), float(locations[1][cluster.centre])
    lon, lat = projection.inverse(cx, cy)
    radius = float(cluster.radius) + cell / 2
    return Finding(
        category=code,
        category_label=label,
        sector_id=sector_id,
        centre_lat=round(float(lat), 6),
        centre_lon=round(float(lon), 6),
        radius_m=round(radius, 1),
        start_date=date.fromordinal(cluster.start_day),
        end_date=date.fromordinal(cluster.end_day),
        observed=int(cluster.observed),
        expected=float(cluster.expected),
        llr=float(cluster.llr),
        p_value=float(cluster.p_value),
        recurrence_days=float(cluster.recurrence_days),
        area=_circle(projection, cx, cy, radius),
    )


def scan_by_category(
    actor: Actor, scope: Scope, *, min_events: int = 30, **params: Any
) -> Iterator[ScanOutcome]:
    """One scan per category with at least `min_events` located events in the period."""
    options = {**SCAN_DEFAULTS, **params}
    end = scope.end or today()
    window = scope.with_dates(end - timedelta(days=int(options["days"]) - 1), end)
    points = located(actor, window)
    for category in list_categories(scope.subject):
        if int((points.category == category.id).sum()) < min_events:
            continue
        single = Scope(unit=scope.unit, subject=scope.subject, categories=(category.code,), end=end)
        yield scan(actor, single, category_label=category.name, **options)
