"""WGS 84 ⇄ UTM projection: zone choice, round trips, and distances against geodesics."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from cpis.analytics.stats.projection import LocalProjection, utm_epsg

TORONTO = (-79.3832, 43.6532)
PRISHTINA = (21.1655, 42.6629)


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (*TORONTO, 32617),
        (*PRISHTINA, 32634),
        (151.2093, -33.8688, 32756),  # Sydney, southern hemisphere
        (-180.0, 0.0, 32601),
        (180.0, 10.0, 32660),
    ],
)
def test_utm_zone_contains_the_point(lon, lat, epsg):
    assert utm_epsg(lon, lat) == epsg


@pytest.mark.parametrize(("lon", "lat"), [(200.0, 0.0), (0.0, -91.0), (float("nan"), 0.0)])
def test_utm_zone_refuses_what_is_not_a_longitude_latitude(lon, lat):
    with pytest.raises(ValueError, match="WGS 84"):
        utm_epsg(lon, lat)


def test_projection_for_points_uses_the_zone_of_their_median():
    rng = np.random.default_rng(1)
    lon = PRISHTINA[0] + rng.normal(0, 0.3, 1000)
    lat = PRISHTINA[1] + rng.normal(0, 0.3, 1000)
    lon[:3] = np.nan  # missing coordinates are ignored
    assert LocalProjection.for_points(lon, lat).epsg == 32634


def test_forward_then_inverse_returns_the_points():
    projection = LocalProjection.for_epsg(32617)
    rng = np.random.default_rng(2)
    lon = TORONTO[0] + rng.uniform(-0.3, 0.3, (20, 50))
    lat = TORONTO[1] + rng.uniform(-0.2, 0.2, (20, 50))
    x, y = projection.forward(lon, lat)
    assert x.shape == (20, 50) and x.dtype == np.float64
    back_lon, back_lat = projection.inverse(x, y)
    np.testing.assert_allclose(back_lon, lon, atol=1e-9)
    np.testing.assert_allclose(back_lat, lat, atol=1e-9)


def test_projected_distances_match_geodesics_within_the_utm_scale_error():
    projection = LocalProjection.for_points(*TORONTO)
    rng = np.random.default_rng(3)
    lon = TORONTO[0] + rng.uniform(-0.25, 0.25, (500, 2))
    lat = TORONTO[1] + rng.uniform(-0.15, 0.15, (500, 2))
    x, y = projection.forward(lon, lat)
    planar = np.hypot(x[:, 0] - x[:, 1], y[:, 0] - y[:, 1])
    _, _, geodesic = pyproj.Geod(ellps="WGS84").inv(lon[:, 0], lat[:, 0], lon[:, 1], lat[:, 1])
    # UTM's scale factor stays within 0.9996…1.001 inside a zone.
    np.testing.assert_allclose(planar / geodesic, 1.0, atol=1e-3)


def test_a_geographic_crs_is_refused():
    with pytest.raises(ValueError, match="projected"):
        LocalProjection.for_epsg(4326)


def test_no_finite_point_is_refused():
    with pytest.raises(ValueError, match="finite"):
        LocalProjection.for_points([np.nan], [np.nan])
