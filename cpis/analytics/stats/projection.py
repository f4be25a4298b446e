"""Longitude/latitude (WGS 84) to metres and back, for the grid statistics.

Every grid method (Gi*, local Moran, kernel density) needs distances in metres. Incidents are
stored as WGS 84 longitude/latitude, so they are projected once to the UTM zone that contains
them: within one zone the scale error is below 0.1 %, far below the cell sizes used (100 m and
more). Kosovo lies in UTM 34N (EPSG:32634), Toronto in 17N (EPSG:32617).

The one module of `cpis.analytics.stats` that needs pyproj (PROJ); the others need NumPy, SciPy
and numba only. Data already in a projected system (metres) need no projection at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyproj
from numpy.typing import ArrayLike, NDArray

__all__ = ["WGS84_EPSG", "LocalProjection", "utm_epsg"]

WGS84_EPSG = 4326


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the UTM zone containing the point (326zz north of the equator, 327zz south).

    The Norway and Svalbard exceptions of the UTM grid are ignored: a neighbouring zone is
    equally usable for a statistic over a city or a country of Kosovo's size.
    """
    if not (np.isfinite(lon) and np.isfinite(lat)) or not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"not a WGS 84 longitude/latitude: ({lon}, {lat})")
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return (32600 if lat >= 0.0 else 32700) + zone


@dataclass(frozen=True)
class LocalProjection:
    """A WGS 84 ⇄ UTM projection: `forward` gives metres (x east, y north), `inverse` degrees.

    Build it with `for_points` (the zone of the data's median point) or `for_epsg`. Arrays of any
    shape are accepted; outputs are float64 arrays of the same shape.
    """

    epsg: int
    _forward: pyproj.Transformer = field(repr=False, compare=False)
    _inverse: pyproj.Transformer = field(repr=False, compare=False)

    @classmethod
    def for_epsg(cls, epsg: int) -> LocalProjection:
        """The projection to a projected CRS given by its EPSG code (metres expected)."""
        crs = pyproj.CRS.from_epsg(epsg)
        if not crs.is_projected:
            raise ValueError(f"EPSG:{epsg} is not a projected coordinate system")
        forward = pyproj.Transformer.from_crs(WGS84_EPSG, crs, always_xy=True)
        inverse = pyproj.Transformer.from_crs(crs, WGS84_EPSG, always_xy=True)
        return cls(epsg=epsg, _forward=forward, _inverse=inverse)

    @classmethod
    def for_points(cls, lon: ArrayLike, lat: ArrayLike) -> LocalProjection:
        """The UTM projection of the zone that contains the median of the finite points."""
        lon_a = np.asarray(lon, dtype=np.float64).ravel()
        lat_a = np.asarray(lat, dtype=np.float64).ravel()
        if lon_a.shape != lat_a.shape:
            raise ValueError("lon and lat must have the same number of values")
        finite = np.isfinite(lon_a) & np.isfinite(lat_a)
        if not finite.any():
            raise ValueError("no finite longitude/latitude to choose a projection from")
        return cls.for_epsg(utm_epsg(float(np.median(lon_a[finite])), float(np.median(lat_a[finite]))))

    def forward(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Project longitude/latitude (degrees) to x/y (metres)."""
        x, y = self._forward.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def inverse(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Unproject x/y (metres) to longitude/latitude (degrees)."""
        lon, lat = self._inverse.transform(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
