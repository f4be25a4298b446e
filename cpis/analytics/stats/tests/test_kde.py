"""Kernel density surfaces: checked against the exact kernel sum and against KDEpy's FFTKDE on the
real Toronto incidents, for mass, weights and edges."""

from __future__ import annotations

import numpy as np
import pytest

from cpis.analytics.stats.grid import Grid
from cpis.analytics.stats.kde import kde_grid
from cpis.analytics.stats.tests.toronto import xy as toronto_xy


def exact_gaussian(x, y, cx, cy, h, weights=None):
    """Σ_p w_p·exp(−d²/2h²)/(2πh²) at the points (cx, cy), by brute force."""
    w = np.ones(x.size) if weights is None else weights
    out = np.empty(len(cx))
    for k, (px, py) in enumerate(zip(cx, cy, strict=True)):
        d2 = (x - px) ** 2 + (y - py) ** 2
        out[k] = (w * np.exp(-d2 / (2 * h * h))).sum() / (2 * np.pi * h * h)
    return out


def exact_quartic(x, y, cx, cy, h):
    out = np.empty(len(cx))
    for k, (px, py) in enumerate(zip(cx, cy, strict=True)):
        u = 1 - ((x - px) ** 2 + (y - py) ** 2) / (h * h)
        out[k] = (np.clip(u, 0, None) ** 2).sum() * 3 / (np.pi * h * h)
    return out


def sample_cells(density: np.ndarray, count: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The densest cells (the peak and its surroundings) plus cells drawn at random."""
    rng = np.random.default_rng(seed)
    top = np.argsort(density.ravel())[-count // 2 :]
    drawn = rng.choice(density.size, count // 2, replace=False)
    return np.unravel_index(np.concatenate([top, drawn]), density.shape)


@pytest.mark.parametrize("bandwidth", [250.0, 60.0])
def test_gaussian_density_is_within_2e4_of_the_peak_of_the_exact_sum(bandwidth):
    x, y = toronto_xy()
    grid = Grid.covering(x, y, 100.0, pad=10)
    density = kde_grid(grid, x, y, bandwidth=bandwidth)
    assert density.shape == grid.shape
    rows, cols = sample_cells(density)
    xc, yc = grid.centres()
    exact = exact_gaussian(x, y, xc[cols], yc[rows], bandwidth)
    peak = exact.max()
    assert peak == pytest.approx(density.max(), rel=1e-3)
    assert np.abs(density[rows, cols] - exact).max() <= 2e-4 * peak


def test_gaussian_density_agrees_with_kdepy_and_is_closer_to_the_exact_sum():
    from KDEpy import FFTKDE

    x, y = toronto_xy()
    grid = Grid.covering(x, y, 100.0, pad=10)
    xc, yc = grid.centres()
    points = np.stack(np.meshgrid(xc, yc, indexing="ij"), axis=-1).reshape(-1, 2)
    # KDEpy in kilometres: in metres its Gaussian is cut at 2.35 bandwidths (an absolute density
    # tolerance) and loses 5 % of the mass; in kilometres it is cut at about 4.
    peer = FFTKDE(kernel="gaussian", bw=0.25).fit(np.column_stack([x, y]) / 1000).evaluate(points / 1000)
    peer = peer.reshape(grid.nx, grid.ny).T * x.size / 1e6
    ours = kde_grid(grid, x, y, bandwidth=250.0)
    peak = ours.max()
    assert np.abs(ours - peer).max() <= 1e-2 * peak
    rows, cols = sample_cells(ours, seed=1)
    exact = exact_gaussian(x, y, xc[cols], yc[rows], 250.0)
    ours_error = np.abs(ours[rows, cols] - exact).max()
    peer_error = np.abs(peer[rows, cols] - exact).max()
    assert ours_error < peer_error / 10


def test_quartic_density_equals_the_exact_sum():
    x, y = toronto_xy()
    grid = Grid.covering(x, y, 100.0, pad=5)
    density = kde_grid(grid, x, y, bandwidth=300.0, kernel="quartic")
    rows, cols = sample_cells(density)
    xc, yc = grid.centres()
    exact = exact_quartic(x, y, xc[cols], yc[rows], 300.0)
    np.testing.assert_allclose(density[rows, cols], exact, rtol=1e-12, atol=1e-15 * exact.max())


@pytest.mark.parametrize("kernel", ["gaussian", "quartic"])
def test_density_integrates_to_the_number_of_events(kernel):
    rng = np.random.default_rng(4)
    x = rng.normal(5000, 700, 3000)
    y = rng.normal(3000, 400, 3000)
    grid = Grid(x0=0.0, y0=0.0, cell=50.0, nx=200, ny=120)
    density = kde_grid(grid, x, y, bandwidth=150.0, kernel=kernel)
    # The quartic surface is sampled at the cell centres, so its sum is a Riemann sum.
    assert density.sum() * grid.cell**2 == pytest.approx(3000, rel=1e-6 if kernel == "gaussian" else 2e-3)
    assert (density >= 0).all()


@pytest.mark.parametrize("kernel", ["gaussian", "quartic"])
def test_weights_act_as_repeated_events(kernel):
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 2000, 400)
    y = rng.uniform(0, 1500, 400)
    times = rng.integers(1, 4, 400)
    grid = Grid(x0=-500.0, y0=-500.0, cell=25.0, nx=120, ny=100)
    weighted = kde_grid(grid, x, y, bandwidth=120.0, kernel=kernel, weights=times)
    repeated = kde_grid(grid, np.repeat(x, times), np.repeat(y, times), bandwidth=120.0, kernel=kernel)
    np.testing.assert_allclose(weighted, repeated, rtol=1e-9, atol=1e-12 * repeated.max())


def test_points_outside_the_grid_still_contribute_near_its_edge():
    x = np.array([-100.0, 150.0])
    y = np.array([500.0, 500.0])
    grid = Grid(x0=0.0, y0=0.0, cell=20.0, nx=50, ny=50)
    density = kde_grid(grid, x, y, bandwidth=80.0)
    xc, yc = grid.centres()
    cx, cy = np.meshgrid(xc, yc)
    exact = exact_gaussian(x, y, cx.ravel(), cy.ravel(), 80.0).reshape(grid.shape)
    assert np.abs(density - exact).max() <= 1e-4 * exact.max()
    assert density[:, 0].max() > 0.2 * exact.max()


def test_nan_coordinates_are_ignored():
    grid = Grid(x0=0.0, y0=0.0, cell=10.0, nx=30, ny=30)
    with_nan = kde_grid(grid, [100.0, np.nan, 150.0], [100.0, 5.0, np.nan], bandwidth=30.0)
    alone = kde_grid(grid, [100.0], [100.0], bandwidth=30.0)
    np.testing.assert_allclose(with_nan, alone)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bandwidth": 0.0}, "bandwidth"),
        ({"bandwidth": float("inf")}, "bandwidth"),
        ({"bandwidth": 50.0, "kernel": "epanechnikov"}, "kernel"),
        ({"bandwidth": 50.0, "weights": [1.0, 2.0]}, "one value per point"),
        ({"bandwidth": 0.01}, "too small"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    grid = Grid(x0=0.0, y0=0.0, cell=100.0, nx=500, ny=500)
    with pytest.raises(ValueError, match=message):
        kde_grid(grid, [10.0, 20.0, 30.0], [10.0, 20.0, 30.0], **kwargs)
