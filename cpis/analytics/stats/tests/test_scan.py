"""The prospective space-time permutation scan against two independent implementations
written here: a brute-force one (loops, every cylinder summed from the full location × day
table) on tiny data, and a vectorised NumPy one on the real Toronto data (also the peer of
`bench/scan.py`). Both see the very same Monte Carlo replicates through `replicate_events`,
so observed LLRs, clusters and p-values must agree exactly."""

from __future__ import annotations

import functools
import itertools
import math
from datetime import date
from typing import Any

import numba
import numpy as np
import pytest

from cpis.analytics.stats.scan import replicate_events, space_time_permutation_scan
from cpis.analytics.stats.tests import toronto

# ---------------------------------------------------------------------------------------
# Reference implementations


def _rounded_distances(loc_x, loc_y):
    x, y = np.asarray(loc_x, dtype=float), np.asarray(loc_y, dtype=float)
    return np.round(np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]), 6)


def brute_force_scan(
    loc_x,
    loc_y,
    locations,
    days,
    *,
    end_day,
    study_days,
    max_window_days,
    max_radius,
    max_spatial_fraction,
    min_cases,
):
    """Every cylinder summed from the location × day table, in plain Python. Returns the
    maximum LLR and each centre's best cylinder (llr, members, window days) or None."""
    n = len(loc_x)
    first_day = end_day - study_days + 1
    table = np.zeros((n, study_days), dtype=np.int64)
    for location, day in zip(locations, days, strict=True):
        if first_day <= day <= end_day:
            table[location, day - first_day] += 1
    total = int(table.sum())
    per_location, per_day = table.sum(axis=1), table.sum(axis=0)
    distance = _rounded_distances(loc_x, loc_y)
    windows = min(max_window_days, study_days // 2)
    best = []
    for centre in range(n):
        centre_best = None
        for radius in sorted({d for d in distance[centre] if d <= round(max_radius, 6)}):
            members = [
                z
                for z in sorted(range(n), key=lambda z: (distance[centre, z], z))
                if distance[centre, z] <= radius
            ]
            circle_cases = int(per_location[members].sum())
            if circle_cases > max_spatial_fraction * total + 1e-9:
                break
            for window in range(1, windows + 1):
                c = int(table[members, study_days - window :].sum())
                expected = circle_cases * int(per_day[study_days - window :].sum()) / total
                if c < min_cases or c <= expected:
                    continue
                llr = c * math.log(c / expected)
                if c < total:
                    llr += (total - c) * math.log((total - c) / (total - expected))
                if centre_best is None or llr > centre_best[0]:
                    centre_best = (llr, members, window)
        best.append(centre_best)
    return max((b[0] for b in best if b is not None), default=0.0), best


def numpy_reference_scan(
    loc_x,
    loc_y,
    event_sets,
    *,
    end_day,
    study_days=365,
    max_window_days=30,
    max_radius=1000.0,
    max_spatial_fraction=0.5,
    min_cases=3,
):
    """The scan vectorised with NumPy over centres × circle sizes × windows (no numba):
    every centre's neighbours sorted by distance once, then for each (locations, days) event
    set cumulative counts along them and all LLRs in one array. Returns, per event set, the
    maximum LLR and each centre's best (llr, circle size, window index; −1 where none)."""
    n = len(loc_x)
    windows = min(max_window_days, study_days // 2)
    distance = _rounded_distances(loc_x, loc_y)
    order = np.argsort(distance, axis=1, kind="stable")
    sorted_distance = np.take_along_axis(distance, order, axis=1)
    within = sorted_distance <= round(max_radius, 6)
    size = int(within.sum(axis=1).max())
    neighbours, near, within = order[:, :size], sorted_distance[:, :size], within[:, :size]
    following = np.concatenate([near[:, 1:], np.full((n, 1), np.inf)], axis=1)
    closes_circle = within & (following != near)
    results = []
    for locations, days in event_sets:
        locations, days = np.asarray(locations), np.asarray(days)
        keep = (days <= end_day) & (days > end_day - study_days)
        locations, ago = locations[keep], end_day - days[keep]
        total = int(keep.sum())
        circle_cases = np.cumsum(np.bincount(locations, minlength=n)[neighbours], axis=1)
        valid = closes_circle & (circle_cases <= max_spatial_fraction * total + 1e-9)
        recent = ago < windows
        counts = np.zeros((n, windows), dtype=np.int64)
        np.add.at(counts, (locations[recent], ago[recent]), 1)
        counts = np.cumsum(counts, axis=1)
        window_cases = counts.sum(axis=0)
        c = np.cumsum(counts[neighbours], axis=1).astype(float)  # (centre, circle size, window)
        expected = circle_cases[:, :, None] * window_cases[None, None, :] / total
        ok = valid[:, :, None] & (c >= min_cases) & (c > expected)
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = total - c
            llr = c * np.log(c / expected) + rest * np.log1p((expected - c) / (total - expected))
        llr = np.where(ok, llr, 0.0).reshape(n, -1)
        flat_best = np.argmax(llr, axis=1)  # the first maximum: smallest circle, then shortest window
        best_llr = llr[np.arange(n), flat_best]
        found = best_llr > 0
        best = (
            best_llr,
            np.where(found, flat_best // windows + 1, -1),
            np.where(found, flat_best % windows, -1),
        )
        results.append((float(best_llr.max(initial=0.0)), best))
    return results


# ---------------------------------------------------------------------------------------
# Data


#: The scan's options for `_random_tiny` data: 40 days to day 1000, windows up to a week,
#: circles up to 600 m, two events at least.
TINY: dict[str, Any] = {
    "end_day": 1000,
    "study_days": 40,
    "max_window_days": 7,
    "max_radius": 600.0,
    "max_spatial_fraction": 0.5,
    "min_cases": 2,
}


def _random_tiny(seed: int, n_locations: int = 12, n_events: int = 90, study_days: int = 40):
    rng = np.random.default_rng(seed)
    xy = rng.integers(0, 6, size=(n_locations, 2)) * 250.0  # grid points: many equal distances
    xy = np.unique(xy, axis=0)
    locations = rng.integers(0, len(xy), size=n_events)
    days = 1000 - rng.integers(0, study_days + 5, size=n_events)  # a few before the study period
    return xy[:, 0], xy[:, 1], locations, days


@functools.cache
def toronto_break_and_enter(end: date = date(2019, 12, 31), cell: float = 500.0):
    """Break and Enter in the 365 days to `end`, located by 500 m cells (UTM 17N) holding at
    least one of them: (cell x, cell y, event cell, event day)."""
    data = toronto.incidents()
    data = data[data["MCI"] == "Break and Enter"]
    day = toronto.ordinal_days(toronto.dates(data))
    last = end.toordinal()
    keep = (day > last - 365) & (day <= last)
    x, y = toronto.utm17n(data[keep])
    column, row = np.floor(x / cell).astype(np.int64), np.floor(y / cell).astype(np.int64)
    cells, event_cell = np.unique(np.column_stack([column, row]), axis=0, return_inverse=True)
    return (cells[:, 0] + 0.5) * cell, (cells[:, 1] + 0.5) * cell, event_cell.ravel(), day[keep]


def _p_value(observed: float, maxima) -> float:
    return (1 + sum(m >= observed for m in maxima)) / (len(maxima) + 1)


# ---------------------------------------------------------------------------------------
# Tests


def test_replicates_keep_every_location_and_day_total():
    loc_x, _, locations, days = _random_tiny(1)
    in_period = (days > 1000 - 40) & (days <= 1000)
    shuffled, shuffled_days = replicate_events(
        locations, days, n_locations=len(loc_x), end_day=1000, study_days=40, seed=3, replicate=5
    )
    assert np.array_equal(
        np.bincount(shuffled, minlength=len(loc_x)), np.bincount(locations[in_period], minlength=len(loc_x))
    )
    assert np.array_equal(np.sort(shuffled_days), np.sort(days[in_period]))
    again, _ = replicate_events(
        locations, days, n_locations=len(loc_x), end_day=1000, study_days=40, seed=3, replicate=5
    )
    other, _ = replicate_events(
        locations, days, n_locations=len(loc_x), end_day=1000, study_days=40, seed=3, replicate=6
    )
    assert np.array_equal(again, shuffled)
    assert not np.array_equal(other, shuffled)


def test_replicate_shuffle_draws_every_permutation_equally_often():
    draws = 2400
    seen: dict[tuple[int, ...], int] = {}
    for replicate in range(draws):
        shuffled, _ = replicate_events(
            [0, 1, 2, 3],
            [10, 9, 8, 7],
            n_locations=4,
            end_day=10,
            study_days=10,
            seed=11,
            replicate=replicate,
        )
        key = tuple(shuffled)
        seen[key] = seen.get(key, 0) + 1
    assert set(seen) == set(itertools.permutations(range(4)))
    share = 1 / 24
    bound = 4 * math.sqrt(share * (1 - share) / draws)
    assert all(abs(count / draws - share) <= bound for count in seen.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scan_equals_brute_force_on_tiny_data(seed):
    loc_x, loc_y, locations, days = _random_tiny(seed)
    result = space_time_permutation_scan(loc_x, loc_y, locations, days, replicates=19, seed=seed, **TINY)

    observed_max, best = brute_force_scan(loc_x, loc_y, locations, days, **TINY)
    maxima = []
    for replicate in range(19):
        shuffled, shuffled_days = replicate_events(
            locations,
            days,
            n_locations=len(loc_x),
            end_day=1000,
            study_days=40,
            seed=seed,
            replicate=replicate,
        )
        maxima.append(brute_force_scan(loc_x, loc_y, shuffled, shuffled_days, **TINY)[0])
    assert result.replicate_max_llr == pytest.approx(maxima, rel=1e-12, abs=1e-12)

    top = result.clusters[0]
    assert top.llr == pytest.approx(observed_max, rel=1e-12)
    assert top.p_value == _p_value(observed_max, maxima)
    # Every reported cluster is its centre's best cylinder, with the reference's members and window.
    for cluster in result.clusters:
        llr, members, window = best[cluster.centre]
        assert cluster.llr == pytest.approx(llr, rel=1e-12)
        assert cluster.locations.tolist() == members
        assert cluster.days == window
        assert cluster.p_value == _p_value(llr, maxima)
    # No geographical overlap, and every centre's best cylinder is reported unless it overlaps
    # a more likely cluster.
    reported = {cluster.centre for cluster in result.clusters}
    kept: set[int] = set()
    for cluster in result.clusters:
        assert kept.isdisjoint(cluster.locations.tolist())
        kept.update(cluster.locations.tolist())
    for centre, centre_best in enumerate(best):
        if centre_best is not None and centre not in reported:
            more_likely = [c for c in result.clusters if c.llr >= centre_best[0]]
            assert any(set(c.locations.tolist()) & set(centre_best[1]) for c in more_likely)


def test_cluster_fields_describe_the_cylinder():
    loc_x, loc_y, locations, days = _random_tiny(4, n_events=150)
    result = space_time_permutation_scan(loc_x, loc_y, locations, days, replicates=9, **TINY)
    in_period = (days > 960) & (days <= 1000)
    total = int(in_period.sum())
    assert result.total_cases == total
    for cluster in result.clusters:
        members = cluster.locations
        in_circle = np.isin(locations, members) & in_period
        in_window = (days >= cluster.start_day) & (days <= cluster.end_day) & in_period
        assert cluster.end_day == 1000
        assert cluster.observed == int((in_circle & in_window).sum())
        assert cluster.expected == pytest.approx(in_circle.sum() * in_window.sum() / total)
        distance = np.hypot(loc_x[members] - loc_x[cluster.centre], loc_y[members] - loc_y[cluster.centre])
        assert cluster.radius == pytest.approx(distance.max())
        assert members[0] == cluster.centre
        assert cluster.recurrence_days == pytest.approx(1 / cluster.p_value)
        assert cluster.observed >= 2
        assert cluster.observed > cluster.expected
        assert cluster.to_dict()["locations"] == members.tolist()


def test_a_planted_burst_is_found_with_a_small_p_value():
    rng = np.random.default_rng(7)
    grid = np.array([(i, j) for i in range(15) for j in range(15)], dtype=float) * 300.0
    background_locations = rng.integers(0, len(grid), size=3000)
    background_days = 2000 - rng.integers(0, 200, size=3000)
    centre = 7 * 15 + 7
    neighbours = np.flatnonzero(np.hypot(*(grid - grid[centre]).T) <= 300.0)  # centre and 4 cells
    burst_locations = rng.choice(neighbours, size=14)
    burst_days = 2000 - rng.integers(0, 3, size=14)
    result = space_time_permutation_scan(
        grid[:, 0],
        grid[:, 1],
        np.concatenate([background_locations, burst_locations]),
        np.concatenate([background_days, burst_days]),
        end_day=2000,
        study_days=200,
        max_window_days=20,
        max_radius=700.0,
        replicates=99,
        seed=5,
    )
    top = result.clusters[0]
    assert centre in top.locations or set(top.locations) & set(neighbours.tolist())
    assert np.hypot(*(grid[top.centre] - grid[centre])) <= 300.0
    assert top.days <= 5
    assert top.observed >= 14
    assert top.p_value == pytest.approx(0.01)
    assert top.gumbel_p_value < 0.01
    assert top.recurrence_days == pytest.approx(100.0)
    assert all(cluster.p_value > 0.01 for cluster in result.clusters[1:])


def test_p_values_are_uniform_on_pure_noise():
    """Under the null (no space-time interaction) the Monte Carlo p is uniform on
    {1/20, …, 1} with 19 replicates; 200 noise data sets fill each quarter about equally."""
    rng = np.random.default_rng(12)
    grid = np.array([(i, j) for i in range(8) for j in range(8)], dtype=float) * 400.0
    p_values = []
    for trial in range(200):
        locations = rng.integers(0, len(grid), size=400)
        days = 500 - rng.integers(0, 60, size=400)
        result = space_time_permutation_scan(
            grid[:, 0],
            grid[:, 1],
            locations,
            days,
            end_day=500,
            study_days=60,
            max_window_days=7,
            max_radius=800.0,
            replicates=19,
            seed=trial,
        )
        p_values.append(result.clusters[0].p_value)
    quarters = np.histogram(p_values, bins=[0, 0.25, 0.5, 0.75, 1.0])[0] / 200
    bound = 4 * math.sqrt(0.25 * 0.75 / 200) + 1 / 20
    assert np.all(np.abs(quarters - 0.25) <= bound), quarters
    assert np.mean(np.array(p_values) <= 0.05) <= 0.05 + 4 * math.sqrt(0.05 * 0.95 / 200)


def test_toronto_break_and_enter_equals_the_numpy_reference():
    loc_x, loc_y, locations, days = toronto_break_and_enter()
    end = date(2019, 12, 31).toordinal()
    result = space_time_permutation_scan(loc_x, loc_y, locations, days, end_day=end, replicates=4, seed=2019)
    replicates = [
        replicate_events(locations, days, n_locations=len(loc_x), end_day=end, seed=2019, replicate=replicate)
        for replicate in range(4)
    ]
    (observed_max, (best_llr, best_size, best_window)), *replicated = numpy_reference_scan(
        loc_x, loc_y, [(locations, days), *replicates], end_day=end
    )
    maxima = [maximum for maximum, _ in replicated]
    assert result.total_cases == len(days) > 8000
    assert result.replicate_max_llr == pytest.approx(maxima, rel=1e-12)
    top = result.clusters[0]
    assert top.llr == pytest.approx(observed_max, rel=1e-12)
    assert top.p_value == _p_value(observed_max, maxima)
    for cluster in result.clusters:
        assert cluster.llr == pytest.approx(best_llr[cluster.centre], rel=1e-12)
        assert len(cluster.locations) == best_size[cluster.centre]
        assert cluster.days == best_window[cluster.centre] + 1
        assert cluster.radius <= 1000.0
        assert cluster.days <= 30
    assert len(result.clusters) > 10


def test_results_do_not_depend_on_the_number_of_threads():
    loc_x, loc_y, locations, days = toronto_break_and_enter()
    end = date(2019, 12, 31).toordinal()
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = space_time_permutation_scan(
            loc_x, loc_y, locations, days, end_day=end, replicates=40, seed=9
        )
    finally:
        numba.set_num_threads(threads)
    several = space_time_permutation_scan(loc_x, loc_y, locations, days, end_day=end, replicates=40, seed=9)
    other_seed = space_time_permutation_scan(
        loc_x, loc_y, locations, days, end_day=end, replicates=40, seed=10
    )
    assert np.array_equal(single.replicate_max_llr, several.replicate_max_llr)
    assert not np.array_equal(single.replicate_max_llr, other_seed.replicate_max_llr)
    assert [c.to_dict() for c in single.clusters] == [c.to_dict() for c in several.clusters]


def test_progress_alpha_and_no_replicates():
    loc_x, loc_y, locations, days = _random_tiny(5, n_events=200)
    seen: list[float] = []
    result = space_time_permutation_scan(
        loc_x, loc_y, locations, days, replicates=99, progress=seen.append, **TINY
    )
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert 2 <= len(seen) <= 50
    significant = space_time_permutation_scan(loc_x, loc_y, locations, days, replicates=99, alpha=0.5, **TINY)
    assert [c.centre for c in significant.clusters] == [c.centre for c in result.clusters if c.p_value <= 0.5]
    bare = space_time_permutation_scan(loc_x, loc_y, locations, days, replicates=0, **TINY)
    assert [c.llr for c in bare.clusters] == [c.llr for c in result.clusters]
    assert all(math.isnan(c.p_value) and math.isnan(c.recurrence_days) for c in bare.clusters)


def test_empty_and_invalid_input():
    empty = space_time_permutation_scan([0.0], [0.0], [], [], end_day=10, replicates=9)
    assert empty.clusters == ()
    assert empty.total_cases == 0
    with pytest.raises(ValueError, match="event_loc must index"):
        space_time_permutation_scan([0.0], [0.0], [1], [10], end_day=10)
    with pytest.raises(ValueError, match="equal length"):
        space_time_permutation_scan([0.0], [0.0, 1.0], [0], [10], end_day=10)
    with pytest.raises(ValueError, match="max_spatial_fraction"):
        space_time_permutation_scan([0.0], [0.0], [0], [10], end_day=10, max_spatial_fraction=0.0)
    with pytest.raises(ValueError, match="integers"):
        space_time_permutation_scan([0.0], [0.0], [0], [10.5], end_day=10)
