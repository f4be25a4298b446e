"""Point → sector lookup over sector boundaries with a shapely STRtree.

The index is built from GeoJSON geometries once and reused until the
sectors change; `SectorIndex.locate_many` places a whole array of points in
one vectorised query (used by imports and analytics)."""

from collections.abc import Sequence
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
