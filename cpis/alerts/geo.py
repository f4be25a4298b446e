"""A circle on the map as the sectors it touches. Boundaries are longitude
and latitude in degrees; at Kosovo's latitude a circle of a few kilometres is
drawn as an ellipse in degrees (a metre of longitude is shorter by cos φ),
which is exact to well under a metre at these sizes."""

import math

import shapely
from shapely import affinity

from cpis.organisation.geo import sector_index

METRES_PER_DEGREE = 111_320.0


def circle(*, lat: float, lon: float, radius_m: float) -> shapely.Polygon:
    unit = shapely.Point(lon, lat).buffer(1.0, quad_segs=32)
    return affinity.scale(
        unit,
        xfact=radius_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
        yfact=radius_m / METRES_PER_DEGREE,
        origin=(lon, lat),
    )


def centre_sector(*, lat: float, lon: float) -> int | None:
    """The sector the centre lies in, or None outside every sector."""
    return sector_index().locate(lon, lat)


def sectors_touched(*, lat: float, lon: float, radius_m: float) -> list[int]:
    """The ids of the sectors the circle touches, in order."""
    index = sector_index()
    hits = index.tree.query(circle(lat=lat, lon=lon, radius_m=radius_m), predicate="intersects")
    return sorted(int(sector_id) for sector_id in index.ids[hits])
