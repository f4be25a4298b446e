"""Square grids in metres: binning points to cell counts, and cells as GeoJSON for maps.

A `Grid` is the fishnet every grid statistic (Gi*, local Moran, kernel density) works on. Arrays
over a grid have shape `(ny, nx)`; row 0 is the southernmost row and column 0 the westernmost,
so `matplotlib.pyplot.imshow(a, origin="lower", extent=grid.extent)` draws them the right way
up. Cell `(row, col)` covers `[x0 + col·cell, x0 + (col+1)·cell) × [y0 + row·cell, y0 + (row+1)·cell)`.

Binning is the one step of every grid method that touches each point, so it is a single numba
pass over the coordinates (about 2 ms per million points), rather than `//`, `astype` and
`bincount`, which make several temporaries the size of the input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:  # only for a type hint: the grid statistics need no pyproj
    from cpis.analytics.stats.projection import LocalProjection

__all__ = ["MAX_CELLS", "Grid", "Lattice", "coordinates", "point_weights"]

#: Refuse grids larger than this: 20 M cells is 160 MB per float64 surface.
MAX_CELLS = 20_000_000


#: A regular lattice as the numba kernels take it: the origin `x0`, `y0` and the `spacing` in
#: metres, then `nx` and `ny` nodes (or cells). One tuple, so that every kernel that bins points
#: onto a lattice (here and in `kde`) reads it the same way.
Lattice = tuple[float, float, float, int, int]


@numba.njit(cache=True, nogil=True)
def _cell_index(x: float, y: float, lattice: Lattice) -> int:
    """Flat index `row * nx + col` of the cell containing (x, y), or -1 outside (and for NaN)."""
    x0, y0, cell, nx, ny = lattice
    fx = (x - x0) / cell
    fy = (y - y0) / cell
    # Written so that NaN fails both tests and falls outside.
    if not (fx >= 0.0 and fx < nx and fy >= 0.0 and fy < ny):
        return -1
    return int(fy) * nx + int(fx)


@numba.njit(cache=True, nogil=True)
def _bin_counts(x: NDArray[np.float64], y: NDArray[np.float64], lattice: Lattice) -> NDArray[np.int64]:
    counts = np.zeros(lattice[3] * lattice[4], dtype=np.int64)
    for p in range(x.shape[0]):
        k = _cell_index(x[p], y[p], lattice)
        if k >= 0:
            counts[k] += 1
    return counts


@numba.njit(cache=True, nogil=True)
def _bin_weights(
    x: NDArray[np.float64], y: NDArray[np.float64], weights: NDArray[np.float64], lattice: Lattice
) -> NDArray[np.float64]:
    sums = np.zeros(lattice[3] * lattice[4], dtype=np.float64)
    for p in range(x.shape[0]):
        k = _cell_index(x[p], y[p], lattice)
        if k >= 0:
            sums[k] += weights[p]
    return sums


@numba.njit(cache=True, nogil=True)
def _cells_of(
    x: NDArray[np.float64], y: NDArray[np.float64], lattice: Lattice
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    nx = lattice[3]
    rows = np.empty(x.shape[0], dtype=np.int64)
    cols = np.empty(x.shape[0], dtype=np.int64)
    for p in range(x.shape[0]):
        k = _cell_index(x[p], y[p], lattice)
        if k >= 0:
            rows[p] = k // nx
            cols[p] = k - (k // nx) * nx
        else:
            rows[p] = -1
            cols[p] = -1
    return rows, cols


def coordinates(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points' x and y as contiguous float64 vectors, for the kernels; ValueError when their
    lengths differ."""
    x_a = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y_a = np.ascontiguousarray(y, dtype=np.float64).ravel()
    if x_a.shape != y_a.shape:
        raise ValueError("x and y must have the same number of values")
    return x_a, y_a


def point_weights(weights: ArrayLike, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """One float64 weight per point of `x`, contiguous; ValueError otherwise."""
    w_a = np.ascontiguousarray(weights, dtype=np.float64).ravel()
    if w_a.shape != x.shape:
        raise ValueError("weights must have one value per point")
    return w_a


def _snapped_axis(lo: float, hi: float, cell: float, pad: int) -> tuple[float, int]:
    """Origin (a multiple of `cell`) and cell count of an axis covering [lo, hi] plus `pad` cells."""
    start = math.floor(lo / cell) - pad
    origin = start * cell
    # floor(lo / cell) can round up when lo is within an ulp of a multiple: step back if so.
    while math.floor((lo - origin) / cell) < pad:
        start -= 1
        origin = start * cell
    count = math.floor((hi - origin) / cell) + 1 + pad
    return origin, count


@dataclass(frozen=True)
class Grid:
    """A square grid: lower-left corner (`x0`, `y0`) in metres, `cell` size, `nx` × `ny` cells."""

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    def __post_init__(self) -> None:
        if not (math.isfinite(self.x0) and math.isfinite(self.y0)):
            raise ValueError("the grid origin must be finite")
        if not (math.isfinite(self.cell) and self.cell > 0):
            raise ValueError("the cell size must be a positive number of metres")
        if self.nx < 1 or self.ny < 1:
            raise ValueError("a grid needs at least one cell in each direction")
        if self.nx * self.ny > MAX_CELLS:
            raise ValueError(
                f"a {self.nx} × {self.ny} grid has more than {MAX_CELLS:,} cells; use larger cells"
            )

    @classmethod
    def covering(cls, x: ArrayLike, y: ArrayLike, cell: float, *, pad: int = 0) -> Grid:
        """The smallest grid aligned on multiples of `cell` that holds every finite point,
        widened by `pad` empty cells on each side (room for a kernel's tail, for example)."""
        if not (math.isfinite(cell) and cell > 0):
            raise ValueError("the cell size must be a positive number of metres")
        if pad < 0:
            raise ValueError("pad must be zero or more cells")
        x_a, y_a = coordinates(x, y)
        finite = np.isfinite(x_a) & np.isfinite(y_a)
        if not finite.any():
            raise ValueError("no finite point to build a grid around")
        x_f, y_f = x_a[finite], y_a[finite]
        x0, nx = _snapped_axis(float(x_f.min()), float(x_f.max()), cell, pad)
        y0, ny = _snapped_axis(float(y_f.min()), float(y_f.max()), cell, pad)
        return cls(x0=float(x0), y0=float(y0), cell=float(cell), nx=int(nx), ny=int(ny))

    @property
    def shape(self) -> tuple[int, int]:
        """`(ny, nx)`, the shape of every array over this grid."""
        return (self.ny, self.nx)

    @property
    def lattice(self) -> Lattice:
        """The grid as the binning kernels take it: `(x0, y0, cell, nx, ny)`."""
        return (self.x0, self.y0, self.cell, self.nx, self.ny)

    @property
    def n_cells(self) -> int:
        """Number of cells, nx × ny."""
        return self.nx * self.ny

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """`(left, right, bottom, top)` in metres, as matplotlib's `imshow` expects."""
        return (self.x0, self.x0 + self.nx * self.cell, self.y0, self.y0 + self.ny * self.cell)

    def bin(self, x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None) -> NDArray[Any]:
        """Points per cell, `(ny, nx)` int64; with `weights`, the float64 sum of the weights.

        Points outside the grid or with a NaN coordinate are dropped.
        """
        x_a, y_a = coordinates(x, y)
        if weights is None:
            flat: NDArray[Any] = _bin_counts(x_a, y_a, self.lattice)
        else:
            flat = _bin_weights(x_a, y_a, point_weights(weights, x_a), self.lattice)
        return flat.reshape(self.ny, self.nx)

    def cell_of(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Row and column of each point's cell; both -1 for points outside the grid (or NaN)."""
        x_a, y_a = coordinates(x, y)
        rows, cols = _cells_of(x_a, y_a, self.lattice)
        return rows, cols

    def centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Cell-centre coordinates: x of each column `(nx,)` and y of each row `(ny,)`, metres."""
        xc = self.x0 + (np.arange(self.nx, dtype=np.float64) + 0.5) * self.cell
        yc = self.y0 + (np.arange(self.ny, dtype=np.float64) + 0.5) * self.cell
        return xc, yc

    def cell_polygons_lonlat(
        self,
        projection: LocalProjection,
        mask: ArrayLike | None = None,
        properties: Mapping[str, ArrayLike] | None = None,
        *,
        decimals: int = 6,
    ) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of the cells where `mask` is true (all cells by default).

        Each feature is the cell's square with its corners unprojected to longitude/latitude
        (rounded to `decimals`, 6 ≈ 0.1 m), and properties `row`, `col` plus, for each entry of
        `properties`, that `(ny, nx)` array's value at the cell (NaN becomes null). Corners are
        shared between neighbouring cells, so the polygons tile without gaps on the map.
        """
        if mask is None:
            selected = np.ones(self.shape, dtype=bool)
        else:
            selected = np.asarray(mask, dtype=bool)
            if selected.shape != self.shape:
                raise ValueError(f"mask must have the grid's shape {self.shape}")
        layers: dict[str, NDArray[Any]] = {}
        for name, values in (properties or {}).items():
            array = np.asarray(values)
            if array.shape != self.shape:
                raise ValueError(f"property {name!r} must have the grid's shape {self.shape}")
            layers[name] = array
        xs = self.x0 + np.arange(self.nx + 1, dtype=np.float64) * self.cell
        ys = self.y0 + np.arange(self.ny + 1, dtype=np.float64) * self.cell
        corner_x, corner_y = np.meshgrid(xs, ys)
        lon, lat = projection.inverse(corner_x, corner_y)
        lon, lat = np.round(lon, decimals), np.round(lat, decimals)
        features = []
        for row, col in zip(*np.nonzero(selected), strict=True):
            r, c = int(row), int(col)
            ring = [
                [float(lon[r, c]), float(lat[r, c])],
                [float(lon[r, c + 1]), float(lat[r, c + 1])],
                [float(lon[r + 1, c + 1]), float(lat[r + 1, c + 1])],
                [float(lon[r + 1, c]), float(lat[r + 1, c])],
                [float(lon[r, c]), float(lat[r, c])],
            ]
            props: dict[str, Any] = {"row": r, "col": c}
            for name, array in layers.items():
                props[name] = _json_scalar(array[r, c])
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": props,
                }
            )
        return {"type": "FeatureCollection", "features": features}


def _json_scalar(value: Any) -> Any:
    """A NumPy scalar as a JSON-ready Python value (NaN and infinities become None)."""
    item = value.item() if isinstance(value, np.generic) else value
    if isinstance(item, float) and not math.isfinite(item):
        return None
    return item
