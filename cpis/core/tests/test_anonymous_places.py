import math

import numpy as np
import pytest

from cpis.core.anonymous_places import SNAP_METRES, snap, snap_many

# Metres between two points (haversine), to check distances independently of the grid.
EARTH = 6_371_000.0


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH * math.asin(math.sqrt(h))


def test_a_point_moves_to_its_cells_centre_and_never_further_than_half_the_diagonal():
    rng = np.random.default_rng(3)
    lat = rng.uniform(41.85, 43.27, 2_000)  # Kosovo
    lon = rng.uniform(20.0, 21.8, 2_000)
    slat, slon = snap_many(lat, lon)
    moved = [metres_between((a, b), (c, d)) for a, b, c, d in zip(lat, lon, slat, slon, strict=True)]
    assert max(moved) <= SNAP_METRES / math.sqrt(2) + 2  # half the diagonal, with rounding
    assert np.mean(moved) > 50  # points really move: the exact place is not kept


def test_points_of_one_cell_share_a_centre_and_the_centre_is_stable():
    first = snap(42.6629, 21.1655)
    assert snap(*first) == first  # a centre snaps to itself
    assert snap(42.6629 + 1e-6, 21.1655 + 1e-6) == first


def test_cells_are_the_cell_size_across():
    a = snap(42.6629, 21.1655)
    step = SNAP_METRES / 111_320.0
    above = snap(a[0] + step, a[1])
    right = snap(a[0], a[1] + step / math.cos(math.radians(a[0])))
    assert metres_between(a, (above[0], a[1])) == pytest.approx(SNAP_METRES, rel=0.01)
    assert metres_between(a, right) == pytest.approx(SNAP_METRES, rel=0.01)


def test_no_point_stays_nan_and_cells_under_150_m_are_refused():
    lats, lons = snap_many([np.nan], [np.nan])
    assert np.isnan(lats[0]) and np.isnan(lons[0])
    with pytest.raises(ValueError, match="150 m"):
        snap(42.6, 21.1, metres=100)
