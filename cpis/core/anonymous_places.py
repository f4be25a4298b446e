"""Where a public page may put a concern or an incident: never at its exact point,
but at the centre of the grid cell of SNAP_METRES (200 m) it falls in — the way
data.police.uk snaps each crime to an anonymous point (its reference: at least a
150 m cell or a street's centre; ../shared/reference). Every public output (page,
map, feed, JSON, CSV, Open311) that shows a place of a record goes through `snap`.

The grid is fixed: rows of SNAP_METRES of latitude from the equator, and in each
row columns of SNAP_METRES of longitude at the row's middle latitude, so a point
always snaps to the same centre and two points in one cell to the same one."""

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

SNAP_METRES = 200.0
METRES_PER_DEGREE = 111_320.0  # of latitude, and of longitude at the equator


def snap(lat: float, lon: float, metres: float = SNAP_METRES) -> tuple[float, float]:
    """The centre of the cell (lat, lon) falls in, rounded to 6 decimals."""
    lats, lons = snap_many([lat], [lon], metres)
    return float(lats[0]), float(lons[0])


def snap_many(
    lat: ArrayLike, lon: ArrayLike, metres: float = SNAP_METRES
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """`snap` for many points at once (NaN stays NaN)."""
    if metres < 150:
        raise ValueError("an anonymous place is at least 150 m across")
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    step_lat = metres / METRES_PER_DEGREE
    centre_lat = (np.floor(lat / step_lat) + 0.5) * step_lat
    step_lon = metres / (METRES_PER_DEGREE * np.cos(np.radians(centre_lat)))
    centre_lon = (np.floor(lon / step_lon) + 0.5) * step_lon
    return np.round(centre_lat, 6), np.round(centre_lon, 6)


def snap_rows(
    rows: Iterable[tuple[float | None, float | None, int]],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """(latitudes, longitudes, category ids) of (lat, lon, category id) rows (each
    with a point: the caller filters out those without), each moved to the centre
    of its cell: what a public map of records draws."""
    found = list(rows)
    if not found:
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
    lat, lon, category = (np.asarray(column) for column in zip(*found, strict=True))
    snapped_lat, snapped_lon = snap_many(lat, lon)
    return snapped_lat, snapped_lon, category.astype(np.int64)
