"""Hot spots and density of a place: Getis-Ord Gi* over a square grid with
per-cell permutation p-values and the false-discovery-rate correction, and a
kernel density surface (kernels in `stats/hotspots.py` and `stats/kde.py`)."""

import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.points import Points
from cpis.organisation.access import Actor

from ..selectors import Scope, today
from .common import MAX_GRID_CELLS, cells_needed, grid_for, located, projected
from .files import FileEvents
from .parameters import check_params

HOTSPOT_DEFAULTS: dict[str, Any] = {
    "cell": 500.0,
    "permutations": 999,
    "seed": 0,
    "alpha": 0.05,
    "bandwidth": 250.0,
}
HOTSPOT_DAYS = 365  # a year by default: long enough to be stable, short enough to be current


@dataclass(frozen=True)
class HotCell:
    row: int
    col: int
    lon: float
    lat: float
    count: int
    z: float
    p_value: float
    q_value: float
    level: int  # +3/+2/+1 hot at 99/95/90 %, −1…−3 cold, 0 not significant


@dataclass(frozen=True)
class HotspotOutcome:
    scope: Any  # the Scope analysed; None for a file's events
    events: int
    grid: Any  # stats.grid.Grid
    projection: Any  # stats.projection.LocalProjection
    counts: np.ndarray
    result: Any  # stats.hotspots.GiStarResult
    levels: np.ndarray
    alpha: float
    seconds: float

    @property
    def hot_cells(self) -> int:
        return int((self.levels > 0).sum())

    @property
    def cold_cells(self) -> int:
        return int((self.levels < 0).sum())

    def top(self, limit: int = 20) -> list[HotCell]:
        """The hottest significant cells, strongest first."""
        rows, cols = np.nonzero(self.levels > 0)
        order = np.argsort(-self.result.z[rows, cols])[:limit]
        xc, yc = self.grid.centres()
        cells = []
        for index in order:
            r, c = int(rows[index]), int(cols[index])
            lon, lat = self.projection.inverse(xc[c], yc[r])
            cells.append(
                HotCell(
                    row=r,
                    col=c,
                    lon=float(lon),
                    lat=float(lat),
                    count=int(self.counts[r, c]),
                    z=float(self.result.z[r, c]),
                    p_value=float(self.result.p_sim[r, c]),
                    q_value=float(self.result.q_norm[r, c]),
                    level=int(self.levels[r, c]),
                )
            )
        return cells

    def to_geojson(self) -> dict[str, Any]:
        """The significant cells (hot and cold) with their figures, for maps and GIS."""
        collection = self.grid.cell_polygons_lonlat(
            self.projection,
            self.levels != 0,
            {
                "count": self.counts,
                "z": np.round(self.result.z, 4),
                "p_value": self.result.p_sim,
                "q_value": self.result.q_norm,
                "level": self.levels,
            },
        )
        collection["properties"] = {
            "cell_m": self.grid.cell,
            "events": self.events,
            "permutations": self.result.permutations,
            "alpha": self.alpha,
            "statistic": "Getis-Ord Gi*",
        }
        return collection


def _prepare(actor: Actor, scope: Scope, params: dict[str, Any]) -> tuple[dict[str, Any], Scope, Points]:
    """The checked options, the scope (the last HOTSPOT_DAYS when it has no
    start) and its located events, for a hot spot or a density map."""
    options = {**HOTSPOT_DEFAULTS, **check_params("hotspots", params)}
    if scope.start is None:
        scope = scope.with_dates((scope.end or today()) - timedelta(days=HOTSPOT_DAYS - 1), scope.end)
    return options, scope, located(actor, scope)


def hotspots(actor: Actor, scope: Scope, **params: Any) -> HotspotOutcome:
    """Getis-Ord Gi* over a square grid of the scope's located events, with
    per-cell permutation p-values and the false-discovery-rate correction."""
    options, scope, points = _prepare(actor, scope, params)
    if len(points) < 3:
        raise InvalidInput(_("There are too few located events in this place and period for a hotspot map."))
    grid, projection, x, y = grid_for(points, float(options["cell"]))
    return _gi_star(grid, projection, x, y, options, scope)


def hotspots_of_file(events: FileEvents, **params: Any) -> HotspotOutcome:
    """Getis-Ord Gi* over a square grid of the events read from a file, in
    their projection (`files.read_events`); no database is read."""
    options = {**HOTSPOT_DEFAULTS, **check_params("hotspots", params)}
    if len(events) < 3:
        raise InvalidInput(_("The file has fewer than three usable events: too few for a hotspot map."))
    from ..stats.grid import Grid

    cell = float(options["cell"])
    if cells_needed(events.x, events.y, cell, 1) > MAX_GRID_CELLS:
        raise InvalidInput(_("The grid would be too large: choose larger cells or a smaller place."))
    grid = Grid.covering(events.x, events.y, cell, pad=1)
    return _gi_star(grid, events.grid_projection(), events.x, events.y, options, None)


def _gi_star(
    grid: Any, projection: Any, x: np.ndarray, y: np.ndarray, options: dict[str, Any], scope: Scope | None
) -> HotspotOutcome:
    from ..stats.hotspots import gi_star

    started = time.perf_counter()
    counts = grid.bin(x, y)
    result = gi_star(counts, permutations=int(options["permutations"]), seed=int(options["seed"]))
    levels = hotspot_levels(result, float(options["alpha"]))
    return HotspotOutcome(
        scope=scope,
        events=len(x),
        grid=grid,
        projection=projection,
        counts=counts,
        result=result,
        levels=levels,
        alpha=float(options["alpha"]),
        seconds=time.perf_counter() - started,
    )


def hotspot_levels(result: Any, alpha: float) -> np.ndarray:
    """Hot (+) and cold (−) cells at 90/95/99 % (levels 1/2/3): the analytic z's
    p-values after the Benjamini–Hochberg correction, as ArcGIS's hot spot
    analysis calls them, and only where the cell's own permutation test agrees
    (pseudo-p ≤ alpha). FDR on permutation p-values alone cannot call any cell
    on a large grid: their floor, 1/(permutations + 1), is far above
    alpha/cells, so the permutation test confirms rather than corrects."""
    levels = result.classes(alpha, fdr=True, p="norm")
    if result.permutations:
        levels = np.where(result.p_sim <= alpha, levels, 0).astype(np.int8)
    return np.asarray(levels)


@dataclass(frozen=True)
class DensityOutcome:
    events: int
    surface: np.ndarray  # events per km², rows south to north
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    peak: float

    def png(self) -> bytes:
        """The surface as a transparent heat image (for a map overlay)."""
        import io

        from matplotlib import colormaps
        from PIL import Image

        scaled = self.surface / self.peak if self.peak > 0 else self.surface
        rgba = colormaps["inferno_r"](np.clip(scaled, 0, 1), bytes=True)
        rgba[..., 3] = (np.clip(scaled, 0, 1) ** 0.5 * 200).astype(np.uint8)
        rgba[scaled < 0.02, 3] = 0
        buffer = io.BytesIO()
        Image.fromarray(rgba[::-1], mode="RGBA").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def density(actor: Actor, scope: Scope, **params: Any) -> DensityOutcome:
    """A Gaussian kernel density surface of the scope's located events."""
    from ..stats.kde import kde_grid

    options, scope, points = _prepare(actor, scope, params)
    if len(points) < 3:
        raise InvalidInput(_("There are too few located events in this place and period for a density map."))
    bandwidth = float(options["bandwidth"])
    cell = max(25.0, min(float(options["cell"]) / 5, bandwidth / 2.5))
    from ..stats.grid import Grid

    projection, x, y = projected(points)
    while cells_needed(x, y, cell, math.ceil(3 * bandwidth / cell)) > MAX_GRID_CELLS:
        cell *= 1.5
    grid = Grid.covering(x, y, cell, pad=math.ceil(3 * bandwidth / cell))
    surface = kde_grid(grid, x, y, bandwidth=bandwidth) * 1e6  # per m² → per km²
    left, right, bottom, top = grid.extent
    lon, lat = projection.inverse([left, right, left, right], [bottom, bottom, top, top])
    return DensityOutcome(
        events=len(points),
        surface=surface,
        bounds=((float(lat.min()), float(lon.min())), (float(lat.max()), float(lon.max()))),
        peak=float(surface.max(initial=0.0)),
    )
