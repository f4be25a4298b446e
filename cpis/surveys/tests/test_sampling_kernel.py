"""The sampling kernel (stats/sampling.py), no database: the allocation between
sectors, the Hilbert order, systematic PPS with its inclusion frequencies over
many seeds, spatial balance against simple random sampling and against the same
design without the spatial order (Stevens and Olsen's Voronoi measure), points
inside a sector and reproducibility from the seed."""

import math

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from cpis.surveys.stats import sampling

# --- allocation ------------------------------------------------------------------------


def test_the_allocation_adds_up_to_the_total_and_keeps_the_floor():
    sizes = [10_000, 2_500, 100, 0, 40_000, 900]
    shares = sampling.allocate(500, sizes, minimum=30)
    assert shares.sum() == 500
    assert shares.min() >= 30
    # Sectors of unknown or tiny population get the floor, the others follow √N.
    assert shares[2] == shares[3] == 30
    assert shares[4] > shares[0] > shares[1] > shares[5]
    assert shares[4] / shares[0] == pytest.approx(2.0, rel=0.05)  # √40 000 / √10 000


def test_the_allocation_shares_equally_when_no_population_is_known():
    assert sampling.allocate(100, [0, 0, 0]).tolist() == [34, 33, 33]


def test_the_allocation_refuses_a_total_below_the_floors():
    with pytest.raises(ValueError, match="cannot give"):
        sampling.allocate(59, [100, 100], minimum=30)
    assert sampling.allocate(60, [100, 10_000], minimum=30).tolist() == [30, 30]


@pytest.mark.parametrize("total", [90, 91, 137, 1000, 12_345])
def test_the_rounding_never_loses_or_adds_an_interview(total):
    rng = np.random.default_rng(total)
    sizes = rng.lognormal(8, 1.5, size=3)
    assert sampling.allocate(total, sizes).sum() == total


# --- the Hilbert order -----------------------------------------------------------------


def test_the_hilbert_curve_visits_every_cell_once_stepping_to_a_neighbour():
    grid = np.arange(16)
    ix, iy = (a.ravel() for a in np.meshgrid(grid, grid))
    d = sampling.hilbert_index(ix, iy, order=4)
    assert sorted(d.tolist()) == list(range(256))
    order = np.argsort(d)
    steps = np.abs(np.diff(ix[order])) + np.abs(np.diff(iy[order]))
    assert (steps == 1).all()


def test_the_hilbert_order_keeps_neighbours_together():
    # Two clusters far apart: the curve finishes one before it enters the other.
    lons = [21.0, 21.9, 21.001, 21.901, 21.002, 21.902]
    lats = [42.0, 42.9, 42.001, 42.901, 42.0, 42.9]
    order = sampling.hilbert_order(lons, lats).tolist()
    west = {0, 2, 4}
    assert set(order[:3]) in (west, {1, 3, 5})


# --- systematic PPS ----------------------------------------------------------------------


def test_inclusion_frequencies_over_many_seeds_match_the_population_shares():
    from scipy.stats import chi2

    sizes = np.array([5_000, 1_200, 300, 8_000, 50, 2_400, 700, 950, 3_100, 40])
    n, runs = 4, 4000
    hits = np.zeros(len(sizes))
    for seed in range(runs):
        np.add.at(hits, sampling.systematic_pps(sizes, n, np.random.default_rng(seed)), 1)
    expected = sampling.inclusion_expectations(sizes, n) * runs
    np.testing.assert_allclose(hits / runs, expected / runs, atol=0.03)
    statistic = float(((hits - expected) ** 2 / expected).sum())
    assert chi2.sf(statistic, len(sizes) - 1) > 0.01


def test_a_settlement_larger_than_the_interval_is_hit_as_often_as_its_size_says():
    sizes = np.array([100, 7_000, 100, 2_800])  # the second takes 70 % of 10 draws: 7 every time
    for seed in range(50):
        hits = sampling.systematic_pps(sizes, 10, np.random.default_rng(seed))
        assert (hits == 1).sum() == 7
        assert len(hits) == 10


def test_with_no_population_known_every_settlement_counts_the_same():
    hits = sampling.systematic_pps([0, 0, 0, 0], 4, np.random.default_rng(3))
    assert sorted(hits.tolist()) == [0, 1, 2, 3]


# --- spatial balance ---------------------------------------------------------------------


@pytest.fixture
def population():
    rng = np.random.default_rng(7)
    n = 300
    lons, lats = rng.uniform(20.8, 21.2, n), rng.uniform(42.4, 42.8, n)
    sizes = np.round(rng.lognormal(7, 1, n))
    return lons, lats, sizes


def _balance(lons, lats, inclusion, draw, runs=150):
    x = lons * math.cos(math.radians(42.6))
    return float(np.mean([sampling.voronoi_balance(x, lats, inclusion, draw(seed)) for seed in range(runs)]))


def test_the_spatial_order_balances_a_pps_sample_better_than_the_same_design_without_it(population):
    lons, lats, sizes = population
    n = 20
    inclusion = sampling.inclusion_expectations(sizes, n)
    assert inclusion.max() < 1  # no certainty units: every sampled settlement once
    order = sampling.hilbert_order(lons, lats)

    def spatial(seed):
        return order[sampling.systematic_pps(sizes[order], n, np.random.default_rng(seed))]

    def unordered(seed):
        rng = np.random.default_rng(seed)
        shuffled = rng.permutation(len(sizes))
        return shuffled[sampling.systematic_pps(sizes[shuffled], n, rng)]

    assert _balance(lons, lats, inclusion, spatial) < 0.6 * _balance(lons, lats, inclusion, unordered)


def test_with_equal_sizes_the_spatial_sample_is_better_balanced_than_simple_random_sampling(population):
    lons, lats, _sizes = population
    n, count = 20, len(lons)
    inclusion = np.full(count, n / count)
    order = sampling.hilbert_order(lons, lats)

    def spatial(seed):
        return order[sampling.systematic_pps(np.ones(count), n, np.random.default_rng(seed))]

    def simple(seed):
        return np.random.default_rng(seed).choice(count, n, replace=False)

    assert _balance(lons, lats, inclusion, spatial) < 0.6 * _balance(lons, lats, inclusion, simple)


def test_a_perfectly_spread_sample_has_zero_imbalance():
    x = np.array([0.0, 0.1, 1.0, 1.1])
    y = np.zeros(4)
    assert sampling.voronoi_balance(x, y, np.full(4, 0.5), np.array([0, 2])) == 0.0
    assert sampling.voronoi_balance(x, y, np.full(4, 0.5), np.array([0, 1])) > 0


# --- points inside the sector ------------------------------------------------------------

# An L-shaped sector: its bounding box's north-east quarter is outside.
L_SECTOR = Polygon([(21.0, 42.5), (21.2, 42.5), (21.2, 42.6), (21.1, 42.6), (21.1, 42.7), (21.0, 42.7)])


def test_every_jittered_point_lies_inside_the_sector():
    rng = np.random.default_rng(11)
    # A town on the inner corner: half its disc is outside the sector.
    for _ in range(200):
        lon, lat = sampling.jitter_inside(L_SECTOR, 21.099, 42.599, 2000, rng)
        assert L_SECTOR.contains(box(lon, lat, lon, lat).centroid)


def test_the_jitter_grows_with_the_settlement():
    assert sampling.jitter_radius(None) == 150
    assert sampling.jitter_radius(1_000) == 150
    assert sampling.jitter_radius(40_000) == pytest.approx(150 * math.sqrt(40))
    assert sampling.jitter_radius(2_000_000) == 2000


def test_halton_points_fill_a_sector_without_settlements():
    points = sampling.halton_inside(L_SECTOR, 30, np.random.default_rng(5))
    assert points.shape == (30, 2)
    assert all(L_SECTOR.contains(box(x, y, x, y).centroid) for x, y in points)
    # Spread: each of the L's three squares holds a fair part of the points.
    squares = [box(21.0, 42.5, 21.1, 42.6), box(21.1, 42.5, 21.2, 42.6), box(21.0, 42.6, 21.1, 42.7)]
    counts = [sum(s.contains(box(x, y, x, y).centroid) for x, y in points) for s in squares]
    assert min(counts) >= 6


def test_the_radical_inverse_is_van_der_corputs_sequence():
    assert sampling.radical_inverse(np.arange(1, 8), 2).tolist() == [
        0.5,
        0.25,
        0.75,
        0.125,
        0.625,
        0.375,
        0.875,
    ]


# --- reproducibility ---------------------------------------------------------------------

SQUARE = box(21.0, 42.5, 21.1, 42.6)
TOWNS = (
    [21.01, 21.05, 21.09, 21.02, 21.08],
    [42.51, 42.55, 42.59, 42.58, 42.52],
    [900, 30_000, 400, 2_000, 0],
)


def test_the_same_seed_draws_the_same_points_and_another_seed_others():
    first = sampling.draw_points(SQUARE, *TOWNS, 8, sampling.sector_rng(42, 7))
    again = sampling.draw_points(SQUARE, *TOWNS, 8, sampling.sector_rng(42, 7))
    other = sampling.draw_points(SQUARE, *TOWNS, 8, sampling.sector_rng(43, 7))
    assert first == again
    assert first != other
    assert len(first) == 8 and all(p.settlement is not None for p in first)
    assert all(SQUARE.contains(box(p.lon, p.lat, p.lon, p.lat).centroid) for p in first)
    # The settlement of no known population is never drawn while others have one.
    assert all(p.settlement != 4 for p in first + other)


def test_a_sector_without_settlements_gets_halton_points_reproducibly():
    first = sampling.draw_points(SQUARE, [], [], [], 5, sampling.sector_rng(1, 2))
    assert first == sampling.draw_points(SQUARE, [], [], [], 5, sampling.sector_rng(1, 2))
    assert first != sampling.draw_points(SQUARE, [], [], [], 5, sampling.sector_rng(2, 2))
    assert all(p.settlement is None for p in first)


def test_points_and_interviews_cover_the_target():
    assert sampling.points_needed(48, 5) == 10
    assert sampling.interviews_at_each(48, 10) == 5
    assert sampling.points_needed(0, 5) == 0
    assert sampling.interviews_at_each(30, 0) == 0
