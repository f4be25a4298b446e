"""Point → sector lookup over sector boundaries: the one owner of sector
geometry in a process.

`SectorIndex` holds the sectors' polygons in a shapely STRtree: `locate` asks
it for one point, `locate_many` for a whole array in one vectorised query.
For large batches (imports of millions of rows) a raster over the sectors
answers first (`SectorGrid`): a cell that lies wholly inside one sector
answers for every point in it, a cell that touches no sector answers
"outside", and only the points in the remaining cells (borders) are asked of
the tree. The answers are the same, about four times faster; the raster is
built with the first large batch (half a second for Kosovo's 331 sectors at
0.004°, about 400 m). `locate_points` chooses by the batch's size.

One index per process (`sector_index`), rebuilt when a sector changes: a
version renewed in the same transaction as any sector change (signals.py)
tells, and `forget_sector_index` makes this process look at once."""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from cpis.core.errors import InvalidInput


def geometry_from_geojson(data: Any) -> BaseGeometry:
    """A valid Polygon or MultiPolygon from a GeoJSON geometry, or InvalidInput."""
    from django.utils.translation import gettext as _

    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidInput(_("A sector boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geometry = shape(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise InvalidInput(_("The boundary is not valid GeoJSON.")) from exc
    if geometry.is_empty:
        raise InvalidInput(_("The boundary is empty."))
    if not geometry.is_valid:
        raise InvalidInput(
            _("The boundary is not a valid polygon: %(reason)s") % {"reason": explain_validity(geometry)}
        )
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise InvalidInput(_("Boundary coordinates must be longitude and latitude in degrees."))
    return geometry


class SectorIndex:
    """Sectors' polygons in an STRtree, queried with prepared geometries."""

    def __init__(self, ids: Sequence[int], geometries: Sequence[BaseGeometry]) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.geometries = np.asarray(geometries, dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)
        self._grid: SectorGrid | None = None
        self._grid_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def locate(self, lon: float, lat: float) -> int | None:
        """The id of the sector containing the point (on a shared border, the
        lowest id, so the answer is stable), or None outside every sector."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return int(self.ids[hits].min())

    def locate_many(self, lons: Any, lats: Any) -> np.ndarray:
        """Sector ids for arrays of points; -1 where a point is in no sector."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        point_idx, tree_idx = self.tree.query(points, predicate="intersects")
        result = np.full(len(points), -1, dtype=np.int64)
        if len(point_idx):
            sector_ids = self.ids[tree_idx]
            # Shared borders: keep the lowest id per point, as locate() does.
            order = np.lexsort((sector_ids, point_idx))
            point_idx, sector_ids = point_idx[order], sector_ids[order]
            first = np.ones(len(point_idx), dtype=bool)
            first[1:] = point_idx[1:] != point_idx[:-1]
            result[point_idx[first]] = sector_ids[first]
        return result

    def grid(self) -> "SectorGrid":
        """The raster over these sectors, built on first use."""
        with self._grid_lock:
            if self._grid is None:
                self._grid = SectorGrid.build(self)
            return self._grid

    def locate_points(self, lons: Any, lats: Any) -> np.ndarray:
        """Sector ids for arrays of points, as `locate_many` gives them: small
        batches ask the tree, batches of GRID_MIN_POINTS or more the raster."""
        lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        if len(lons) < GRID_MIN_POINTS:
            return self.locate_many(lons, lats)
        return self.grid().locate_many(lons, lats)


CELL_DEGREES = 0.004
# Below this many points a batch asks the tree directly.
GRID_MIN_POINTS = 50_000
ASK = -2  # a cell on a border: ask the tree


@dataclass(frozen=True)
class SectorGrid:
    """A raster over the sectors' bounds; each cell holds the sector that
    wholly contains it, -1 when it touches no sector, or ASK on a border."""

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


# --- one index per process ----------------------------------------------------------

# A process looks at the version at most this often: a boundary change
# reaches every process within a second.
INDEX_CHECK_SECONDS = 1.0


@dataclass
class _Cache:
    version: object
    index: SectorIndex | None = None
    checked: float = 0.0


_lock = threading.Lock()
_cache = _Cache(version=object())


def sector_index() -> SectorIndex:
    """The STRtree over all sector boundaries, rebuilt when a sector changes:
    a version renewed in the same transaction as any sector change (see
    signals.py) tells, with one single-row query at most once a second."""
    from .models import SectorIndexVersion, Unit

    now = time.monotonic()
    with _lock:
        if _cache.index is not None and now - _cache.checked < INDEX_CHECK_SECONDS:
            return _cache.index
    version = SectorIndexVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    with _lock:
        _cache.checked = now
        if _cache.index is None or _cache.version != version:
            rows = list(Unit.objects.sectors().filter(boundary__isnull=False).values_list("id", "boundary"))
            _cache.index = SectorIndex(
                [row[0] for row in rows], [geometry_from_geojson(row[1]) for row in rows]
            )
            _cache.version = version
        return _cache.index


def forget_sector_index() -> None:
    """This process saw a sector change: look at the version on next use."""
    with _lock:
        _cache.checked = 0.0
