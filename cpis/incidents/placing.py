"""Sectors for many points at once, for imports of millions of rows.

A batch of a few thousand points goes straight to organisation's
`locate_sectors` (one vectorised STRtree query). For large batches a raster
over the sectors answers first: a cell that lies wholly inside one sector
answers for every point in it, a cell that touches no sector answers
"outside", and only the points in the remaining cells (borders) are asked of
the index (`SectorIndex.locate_many`). The answers are the same, about four
times faster. The raster is built once per process and sector version (half
a second for Kosovo's 331 sectors at 0.004°, about 400 m)."""

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from cpis.organisation.geo import SectorIndex, geometry_from_geojson
from cpis.organisation.models import SectorIndexVersion, Unit
from cpis.organisation.selectors import locate_sectors

CELL_DEGREES = 0.004
# Below this many points a batch asks the index directly.
GRID_MIN_POINTS = 50_000
ASK = -2  # a cell on a border: ask the index


@dataclass(frozen=True)
class SectorGrid:
    index: SectorIndex
    west: float
    south: float
    columns: int
    rows: int
    cells: np.ndarray  # int64 per cell: a sector id, -1 outside every sector, ASK

    @classmethod
    def build(cls, index: SectorIndex, cell: float = CELL_DEGREES) -> "SectorGrid":
        if not len(index):
            return cls(index, 0.0, 0.0, 0, 0, np.zeros(0, dtype=np.int64))
        west, south, east, north = shapely.total_bounds(index.geometries)
        columns = max(int(np.ceil((east - west) / cell)), 1)
        rows = max(int(np.ceil((north - south) / cell)), 1)
        ix, iy = np.meshgrid(np.arange(columns), np.arange(rows))
        x0, y0 = west + ix.ravel() * cell, south + iy.ravel() * cell
        boxes = shapely.box(x0, y0, x0 + cell, y0 + cell)
        box_idx, tree_idx = index.tree.query(boxes, predicate="intersects")
        touching = np.bincount(box_idx, minlength=len(boxes))
        cells = np.where(touching == 0, -1, ASK).astype(np.int64)
        single = touching[box_idx] == 1
        candidates, sectors = box_idx[single], tree_idx[single]
        inside = shapely.within(boxes[candidates], index.geometries[sectors])
        cells[candidates[inside]] = index.ids[sectors[inside]]
        return cls(index, float(west), float(south), columns, rows, cells)

    def locate_many(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Sector ids for the points; -1 where a point is in no sector."""
        result = np.full(len(lons), -1, dtype=np.int64)
        if not self.columns:
            return result
        cx = np.floor((lons - self.west) / CELL_DEGREES).astype(np.int64)
        cy = np.floor((lats - self.south) / CELL_DEGREES).astype(np.int64)
        on = (cx >= 0) & (cx < self.columns) & (cy >= 0) & (cy < self.rows)
        result[on] = self.cells[cy[on] * self.columns + cx[on]]
        ask = np.flatnonzero(result == ASK)
        if len(ask):
            result[ask] = self.index.locate_many(lons[ask], lats[ask])
        return result


_lock = threading.Lock()
_cache: dict[str, Any] = {"version": object(), "grid": None}


def _grid() -> SectorGrid:
    version = SectorIndexVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    with _lock:
        if _cache["version"] != version or _cache["grid"] is None:
            rows = list(Unit.objects.sectors().filter(boundary__isnull=False).values_list("id", "boundary"))
            index = SectorIndex([r[0] for r in rows], [geometry_from_geojson(r[1]) for r in rows])
            _cache["grid"], _cache["version"] = SectorGrid.build(index), version
        grid: SectorGrid = _cache["grid"]
    return grid


def locate(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Sector ids for the points (-1 outside every sector), as
    organisation's `locate_sectors` gives them."""
    if len(lons) < GRID_MIN_POINTS:
        return locate_sectors(lats=lats, lons=lons)
    return _grid().locate_many(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
