"""The raster in front of the sector index answers exactly as the index."""

import numpy as np
import shapely

from cpis.incidents import placing
from cpis.organisation.demo import load_geography
from cpis.organisation.demo_geometry import build_sectors
from cpis.organisation.geo import SectorIndex


def test_the_grid_answers_as_the_index_for_kosovos_sectors():
    shapes = build_sectors(load_geography(), seed=2012)
    index = SectorIndex(
        list(range(100, 100 + len(shapes))), [shapely.geometry.shape(s.geojson()) for s in shapes]
    )
    grid = placing.SectorGrid.build(index)
    rng = np.random.default_rng(3)
    # Points over the whole territory and beyond, and crowded on sector borders.
    lon, lat = rng.uniform(19.9, 21.9, 150_000), rng.uniform(41.7, 43.4, 150_000)
    border = shapely.get_coordinates(index.geometries)
    near = border[rng.integers(0, len(border), 50_000)] + rng.normal(0, 0.0005, (50_000, 2))
    lon, lat = np.concatenate((lon, near[:, 0])), np.concatenate((lat, near[:, 1]))
    expected = index.locate_many(lon, lat)
    assert np.array_equal(grid.locate_many(lon, lat), expected)
    assert (expected == -1).any() and len(np.unique(expected)) > 300
    assert (grid.cells >= 100).mean() > 0.3  # most cells answer without asking


def test_large_batches_use_the_grid_and_small_ones_the_index(tree, monkeypatch):
    monkeypatch.setattr(placing, "GRID_MIN_POINTS", 10)
    lon = np.array([21.05, 21.15, 21.05, 11.6] * 5)
    lat = np.array([42.55, 42.55, 41.95, 48.1] * 5)
    expected = [tree.n1a.pk, tree.n1b.pk, tree.s1a.pk, -1] * 5
    assert placing.locate(lon, lat).tolist() == expected
    assert placing.locate(lon[:4], lat[:4]).tolist() == expected[:4]
