"""Square grids: covering, binning (against numpy.histogram2d on real Toronto data), cell lookup
and the GeoJSON cells for maps."""

from __future__ import annotations

import numpy as np
import pytest

from cpis.analytics.stats.grid import Grid
from cpis.analytics.stats.projection import LocalProjection
from cpis.analytics.stats.tests.toronto import xy as toronto_xy


def histogram(grid: Grid, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    x_edges = grid.x0 + np.arange(grid.nx + 1) * grid.cell
    y_edges = grid.y0 + np.arange(grid.ny + 1) * grid.cell
    counts, _, _ = np.histogram2d(y, x, bins=(y_edges, x_edges), weights=weights)
    return counts


def test_binning_the_toronto_incidents_equals_histogram2d():
    x, y = toronto_xy()
    grid = Grid.covering(x, y, 500.0)
    assert (grid.ny, grid.nx) == (61, 84)
    assert grid.x0 % 500 == 0 and grid.y0 % 500 == 0
    counts = grid.bin(x, y)
    assert counts.dtype == np.int64 and counts.shape == grid.shape
    assert counts.sum() == x.size == 239_935
    np.testing.assert_array_equal(counts, histogram(grid, x, y))


def test_weighted_binning_sums_the_weights():
    x, y = toronto_xy()
    grid = Grid.covering(x, y, 1000.0, pad=2)
    weights = np.random.default_rng(0).uniform(0, 3, x.size)
    np.testing.assert_allclose(grid.bin(x, y, weights), histogram(grid, x, y, weights), rtol=1e-12)


def test_cell_of_agrees_with_binning():
    x, y = toronto_xy()
    grid = Grid.covering(x, y, 250.0)
    rows, cols = grid.cell_of(x, y)
    assert (rows >= 0).all() and (cols >= 0).all()
    counts = np.bincount(rows * grid.nx + cols, minlength=grid.n_cells).reshape(grid.shape)
    np.testing.assert_array_equal(counts, grid.bin(x, y))


def test_points_outside_the_grid_or_with_nan_are_dropped():
    grid = Grid(x0=0.0, y0=0.0, cell=10.0, nx=3, ny=2)
    x = np.array([0.0, 29.999, 30.0, -0.001, 5.0, np.nan, 15.0])
    y = np.array([0.0, 19.999, 5.0, 5.0, 20.0, 5.0, np.nan])
    counts = grid.bin(x, y)
    assert counts.sum() == 2
    assert counts[0, 0] == 1 and counts[1, 2] == 1
    rows, cols = grid.cell_of(x, y)
    np.testing.assert_array_equal(rows, [0, 1, -1, -1, -1, -1, -1])
    np.testing.assert_array_equal(cols, [0, 2, -1, -1, -1, -1, -1])


def test_covering_holds_points_on_multiples_of_the_cell_and_pads():
    x = np.array([100.0, 300.0, 250.0])
    y = np.array([-50.0, 0.0, 49.999])
    grid = Grid.covering(x, y, 50.0)
    assert (grid.x0, grid.y0, grid.nx, grid.ny) == (100.0, -50.0, 5, 2)
    assert grid.bin(x, y).sum() == 3
    padded = Grid.covering(x, y, 50.0, pad=2)
    assert (padded.x0, padded.y0, padded.nx, padded.ny) == (0.0, -150.0, 9, 6)
    assert padded.bin(x, y).sum() == 3


def test_centres_and_extent():
    grid = Grid(x0=1000.0, y0=2000.0, cell=100.0, nx=3, ny=2)
    xc, yc = grid.centres()
    np.testing.assert_allclose(xc, [1050.0, 1150.0, 1250.0])
    np.testing.assert_allclose(yc, [2050.0, 2150.0])
    assert grid.extent == (1000.0, 1300.0, 2000.0, 2200.0)


def test_cell_polygons_are_the_cells_in_longitude_latitude():
    projection = LocalProjection.for_epsg(32634)
    x0, y0 = projection.forward(21.16, 42.66)
    grid = Grid(x0=float(np.floor(x0[()])), y0=float(np.floor(y0[()])), cell=500.0, nx=4, ny=3)
    values = np.arange(12, dtype=float).reshape(3, 4)
    values[2, 3] = np.nan
    mask = ~(values < 5)  # the NaN cell included
    collection = grid.cell_polygons_lonlat(projection, mask, {"count": values}, decimals=7)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == int(mask.sum())
    by_cell = {(f["properties"]["row"], f["properties"]["col"]): f for f in features}
    feature = by_cell[(1, 2)]
    assert feature["properties"]["count"] == 6.0
    assert by_cell[(2, 3)]["properties"]["count"] is None
    ring = np.array(feature["geometry"]["coordinates"][0])
    assert ring.shape == (5, 2) and (ring[0] == ring[-1]).all()
    corner_x, corner_y = projection.forward(ring[:4, 0], ring[:4, 1])
    expected_x = grid.x0 + np.array([2, 3, 3, 2]) * grid.cell
    expected_y = grid.y0 + np.array([1, 1, 2, 2]) * grid.cell
    np.testing.assert_allclose(corner_x, expected_x, atol=0.02)
    np.testing.assert_allclose(corner_y, expected_y, atol=0.02)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x0": 0.0, "y0": 0.0, "cell": 0.0, "nx": 2, "ny": 2}, "cell size"),
        ({"x0": 0.0, "y0": 0.0, "cell": 10.0, "nx": 0, "ny": 2}, "at least one cell"),
        ({"x0": float("nan"), "y0": 0.0, "cell": 10.0, "nx": 2, "ny": 2}, "origin"),
        ({"x0": 0.0, "y0": 0.0, "cell": 1.0, "nx": 100_000, "ny": 100_000}, "larger cells"),
    ],
)
def test_invalid_grids_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Grid(**kwargs)


def test_covering_needs_a_finite_point():
    with pytest.raises(ValueError, match="finite"):
        Grid.covering([np.nan], [1.0], 100.0)


def test_mismatched_inputs_are_refused():
    grid = Grid(x0=0.0, y0=0.0, cell=10.0, nx=3, ny=2)
    with pytest.raises(ValueError, match="same number"):
        grid.bin([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="one value per point"):
        grid.bin([1.0], [1.0], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="grid's shape"):
        grid.cell_polygons_lonlat(LocalProjection.for_epsg(32634), np.ones((3, 3), dtype=bool))
