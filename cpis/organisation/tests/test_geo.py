import numpy as np
import pytest
import shapely
from shapely.geometry import box

from cpis.core.errors import InvalidInput
from cpis.organisation import geo
from cpis.organisation.demo import load_geography
from cpis.organisation.demo_geometry import build_sectors
from cpis.organisation.geo import SectorGrid, SectorIndex, geometry_from_geojson
from cpis.organisation.selectors import locate_sectors
from cpis.organisation.tests.factories import square


def test_a_point_is_placed_in_the_sector_that_contains_it():
    index = SectorIndex([10, 20], [box(0, 0, 1, 1), box(1, 0, 2, 1)])
    assert index.locate(0.5, 0.5) == 10
    assert index.locate(1.5, 0.5) == 20
    assert index.locate(5, 5) is None


def test_a_point_on_a_shared_border_goes_to_the_same_sector_every_time():
    index = SectorIndex([20, 10], [box(1, 0, 2, 1), box(0, 0, 1, 1)])
    assert index.locate(1.0, 0.5) == 10
    assert index.locate_many([1.0], [0.5]).tolist() == [10]


def test_many_points_are_placed_at_once_and_outsiders_get_minus_one():
    index = SectorIndex([10, 20], [box(0, 0, 1, 1), box(1, 0, 2, 1)])
    result = index.locate_many(np.array([0.5, 1.5, 3.0, 1.0]), np.array([0.5, 0.5, 0.5, 0.5]))
    assert result.tolist() == [10, 20, -1, 10]


def test_locate_many_agrees_with_locate_on_random_points():
    rng = np.random.default_rng(7)
    boxes = [box(x, y, x + 1, y + 1) for x in range(5) for y in range(5)]
    index = SectorIndex(list(range(100, 125)), boxes)
    lons, lats = rng.uniform(-1, 6, 500), rng.uniform(-1, 6, 500)
    bulk = index.locate_many(lons, lats)
    single = [index.locate(lon, lat) for lon, lat in zip(lons, lats, strict=True)]
    assert bulk.tolist() == [-1 if s is None else s for s in single]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [21, 42]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow-tie
        {"type": "Polygon", "coordinates": "nonsense"},
        {"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [500, 1], [0, 0]]]},
        None,
    ],
)
def test_bad_boundaries_are_refused_with_a_reason(geometry):
    with pytest.raises(InvalidInput) as error:
        geometry_from_geojson(geometry)
    assert str(error.value)


def test_a_valid_square_is_accepted():
    assert geometry_from_geojson(square(21, 42)).area == pytest.approx(0.01)


def test_the_grid_answers_as_the_index_for_kosovos_sectors():
    shapes = build_sectors(load_geography(), seed=2012)
    index = SectorIndex(
        list(range(100, 100 + len(shapes))), [shapely.geometry.shape(s.geojson()) for s in shapes]
    )
    grid = SectorGrid.build(index)
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
    assert np.array_equal(index.locate_points(lon, lat), expected)  # a large batch: the raster


def test_large_batches_use_the_grid_and_small_ones_the_index(tree, monkeypatch):
    monkeypatch.setattr(geo, "GRID_MIN_POINTS", 10)
    lon = np.array([21.05, 21.15, 21.05, 11.6] * 5)
    lat = np.array([42.55, 42.55, 41.95, 48.1] * 5)
    expected = [tree.n1a.pk, tree.n1b.pk, tree.s1a.pk, -1] * 5
    assert locate_sectors(lats=lat, lons=lon).tolist() == expected
    assert geo.sector_index()._grid is not None  # the large batch built the raster
    assert locate_sectors(lats=lat[:4], lons=lon[:4]).tolist() == expected[:4]
