"""Knox test kernel: checked against the Near Repeat Calculator's own output on real Chicago data,
against pointpats on real Toronto data, and against its own permutations.

Real data: the Chicago burglaries and NRC 1.3 output in ../shared/validation/near-repeat
(see its README) and the Toronto major-crime incidents shipped in the `mci_model` package.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pytest

from cpis.analytics.stats.knox import KnoxResult, knox_test, near_repeat_alert
from cpis.analytics.stats.tests import toronto

# ../shared beside the repository (or CPIS_SHARED), as the root conftest's shared_file finds it.
SHARED = Path(os.environ.get("CPIS_SHARED", Path(__file__).resolve().parents[5] / "shared"))
NEAR_REPEAT = SHARED / "validation" / "near-repeat"


def _shared(name: str) -> Path:
    """A validation file; a test that needs it fails, rather than skips, when it is missing."""
    path = NEAR_REPEAT / name
    if not path.exists():
        pytest.fail(f"{path} is missing: these tests need ../shared beside the repository", pytrace=False)
    return path


CHICAGO = "chicago_burglary_2014_2017.csv"
NRC_2016_VERBOSE = "nrc_chicago_burglary_2016_verbose.csv"
NRC_2014_SUMMARY = "nrc_chicago_burglary_2014_summary.htm"

TORONTO_BANDS = {
    "space_edges": [100, 200, 300, 400, 500],
    "same_location_tolerance": 0.5,
    "time_edges": [7, 14, 21, 28],
    "metric": "manhattan",
}


# ---------------------------------------------------------------------------------------------
# Data


@functools.cache
def chicago(year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y (metres, EPSG:26971) and day numbers of the Chicago burglaries of one year."""
    frame = pd.read_csv(_shared(CHICAGO))
    dates = pd.to_datetime(frame["date_single"], format="%d/%m/%Y")
    rows = dates.dt.year == year
    days = dates[rows].to_numpy().astype("datetime64[D]").astype(np.int64)
    return frame["x"][rows].to_numpy(), frame["y"][rows].to_numpy(), days


@functools.cache
def nrc_2016_verbose() -> dict:
    """The NRC's 2016 verbose CSV: header facts, observed table, printed ratios, simulations."""
    lines = _shared(NRC_2016_VERBOSE).read_text().splitlines()

    def table_after(title: str) -> tuple[list[str], list[str], np.ndarray]:
        start = next(k for k, line in enumerate(lines) if line.startswith(title))
        columns = [c for c in lines[start + 1].split(",")[2:] if c.strip()]
        labels, values = [], []
        for line in lines[start + 3 :]:
            cells = line.split(",")
            if not cells[0].strip().isdigit():
                break
            labels.append(cells[1].strip())
            values.append([float(v) for v in cells[2 : 2 + len(columns)]])
        return labels, columns, np.array(values)

    rows, columns, observed = table_after("Observed frequencies distribution")
    _, _, ratio = table_after("Observed over mean expected frequencies")
    simulations: dict[tuple[int, int], np.ndarray] = {}
    for k, line in enumerate(lines):
        match = re.match(r"Row (\d+) Column (\d+)", line)
        if match:
            values = [float(v) for v in lines[k + 1].split(",")[1:] if v.strip()]
            simulations[(int(match[1]) - 1, int(match[2]) - 1)] = np.array(values)
    records = int(re.search(r"Source data records used: (\d+)", _shared(NRC_2016_VERBOSE).read_text())[1])
    return {
        "rows": rows,
        "columns": columns,
        "observed": observed.astype(np.int64),
        "ratio": ratio,
        "simulations": simulations,
        "records": records,
    }


def nrc_knox(year: int, **bands: int) -> KnoxResult:
    """The Knox test in the NRC's mode on Chicago's `year` (Euclidean distances), with
    the `bands` and permutations given, seeded by the year."""
    x, y, days = chicago(year)
    return knox_test(x, y, days, metric="euclidean", mode="nrc", seed=year, **bands)


@functools.cache
def nrc_2016_result() -> KnoxResult:
    return nrc_knox(2016, space_bandwidth=100, space_bands=3, time_bandwidth=2, time_bands=2, permutations=19)


@functools.cache
def toronto_burglary_result() -> KnoxResult:
    x, y, days = toronto.subset("Break and Enter")
    return knox_test(x, y, days, **TORONTO_BANDS, permutations=19, seed=1)


def mc_tolerance(p: float, permutations: int) -> float:
    """Monte Carlo tolerance of a permutation p-value: 4 binomial standard errors + 1/R."""
    return 4 * math.sqrt(p * (1 - p) / permutations) + 1 / permutations


# ---------------------------------------------------------------------------------------------
# The Near Repeat Calculator


def test_nrc_mode_reproduces_the_nrc_observed_table_on_chicago_2016_exactly():
    nrc = nrc_2016_verbose()
    result = nrc_2016_result()
    # The NRC used every 2016 row (11,701); its "1 row not used" is the header line of its CSV.
    assert result.n == nrc["records"] == 11701
    assert result.observed.shape == (5, 3)
    np.testing.assert_array_equal(result.observed, nrc["observed"])
    assert result.observed.sum() == result.pairs == 11701 * 11700 // 2
    assert [label.removesuffix(" m") for label in result.space.labels] == nrc["rows"]
    assert [label.removesuffix(" days") for label in result.time.labels] == nrc["columns"]
    # what the NRC really counts: "1 to 100" is (0, 100) after the same location, "3 to 4" is [2, 4)
    assert result.space.closed == result.time.closed == "[a, b)"
    np.testing.assert_array_equal(result.space.lower, [0, 0, 100, 200, 300])
    np.testing.assert_array_equal(result.time.upper, [2, 4, np.inf])


def test_nrc_observed_table_needs_its_single_precision_coordinates():
    # Same bands on the full-precision coordinates: three pairs near 100, 200 and 300 m change
    # band, which is why the NRC mode rounds coordinates to float32 as the NRC does.
    x, y, days = chicago(2016)
    exact = knox_test(
        x,
        y,
        days,
        space_edges=[100, 200, 300],
        time_edges=[2, 4],
        closed="left",
        metric="euclidean",
        permutations=0,
    )
    nrc = nrc_2016_verbose()["observed"]
    assert (exact.observed != nrc).any()
    np.testing.assert_array_equal(exact.observed[:, :2], nrc[:, :2])


def test_exact_expectation_is_within_monte_carlo_error_of_the_nrc_simulations():
    nrc = nrc_2016_verbose()
    result = nrc_2016_result()
    for (s, t), simulated in nrc["simulations"].items():
        assert simulated.size == 19
        standard_error = simulated.std(ddof=1) / math.sqrt(simulated.size)
        assert abs(result.expected[s, t] - simulated.mean()) <= 4 * standard_error + 1e-6, (s, t)
        # so our noise-free Knox ratio is the NRC's printed ratio up to its simulation noise
        nrc_ratio = nrc["ratio"][s, t]
        relative_error = standard_error / simulated.mean()
        assert abs(result.ratio[s, t] / nrc_ratio - 1) <= 4 * relative_error + 0.001, (s, t)


def test_nrc_mode_finds_the_nrc_significant_cells():
    # With 19 permutations the best p is 0.05; the NRC reached it in every cell it found
    # over-represented by 25 % or more, and so do we.
    nrc = nrc_2016_verbose()
    result = nrc_2016_result()
    strong = nrc["ratio"] >= 1.25
    assert strong.sum() == 7
    np.testing.assert_array_equal(result.p_value[strong], 0.05)
    assert result.significant_and_meaningful()[strong].all()


def test_nrc_mode_matches_the_nrc_2014_summary():
    html = _shared(NRC_2014_SUMMARY).read_text()
    section = html.split("Observed over mean expected frequencies table")[1].split(
        "Statistical significance"
    )[0]
    columns = [c for c in re.findall(r'<th scope="col"><div align="center">([^<]*)</div>', section) if c]
    rows = re.findall(r'<th scope="row"[^>]*><div align="center">([^<]*)</div>', section)
    ratios = np.array([float(v) for v in re.findall(r"<td[^>]*><div[^>]*>([\d.]+)</div>", section)])
    ratios = ratios.reshape(len(rows), len(columns))
    assert re.search(r"Iterations requested:\D*99\b", html)

    result = nrc_knox(
        2014, space_bandwidth=200, space_bands=1, time_bandwidth=7, time_bands=1, permutations=99
    )
    assert result.n == 12334
    assert [label.replace(" m", " meters") for label in result.space.labels] == rows
    assert list(result.time.labels) == columns
    # The NRC divides by the mean of 99 simulations: relative error ≈ 1/sqrt(99·E); the
    # printed ratios are rounded to 0.01.
    tolerance = 4 / np.sqrt(99 * result.expected) + 0.005 / ratios
    assert (np.abs(result.ratio / ratios - 1) <= tolerance).all(), (result.ratio, ratios)

    # Its summary: near repeats within "1 to 200 meters" for "up to 7 days", about 28 % more
    # likely, and repeats at the same place about 434 % more likely.
    alert = near_repeat_alert(result, alpha=0.01)
    assert alert is not None
    assert [(c.space_label, c.time_label) for c in alert.near] == [("1 to 200 m", "0 to 7 days")]
    assert [(c.space_label, c.time_label) for c in alert.repeat] == [("Same location", "0 to 7 days")]
    assert alert.distance == 200
    assert alert.days == alert.repeat_days == 6  # what "0 to 7" counts: gaps of 0 to 6 days
    assert alert.near[0].percent_greater == pytest.approx((result.ratio[1, 0] - 1) * 100)
    assert alert.repeat[0].percent_greater == pytest.approx((result.ratio[0, 0] - 1) * 100)


def test_pathological_example_lands_where_the_nrc_puts_it_and_where_it_belongs():
    frame = pd.read_csv(_shared("pathological_example.csv"))
    x, y = frame["x"].to_numpy(float), frame["y"].to_numpy(float)
    days = pd.to_datetime(frame["t"], format="%d/%m/%Y").to_numpy().astype("datetime64[D]")
    expected_cells = {
        # (spatial bandwidth, mode): (spatial band label, time band label) of the one pair
        (200, "nrc"): ("1 to 200 m", "4 to 6 days"),  # the NRC's own output
        (100, "nrc"): ("101 to 200 m", "4 to 6 days"),  # the NRC's own output
        (200, "exact"): ("0 to 200 m", "0 to 3 days"),  # 100 m and 3 days really are here
        (100, "exact"): ("0 to 100 m", "0 to 3 days"),
    }
    for (bandwidth, mode), (space_label, time_label) in expected_cells.items():
        result = knox_test(
            x,
            y,
            days,
            space_bandwidth=bandwidth,
            space_bands=2,
            time_bandwidth=3,
            time_bands=2,
            metric="euclidean",
            mode=mode,
            permutations=0,
        )
        s, t = result.space.labels.index(space_label), result.time.labels.index(time_label)
        expected = np.zeros(result.observed.shape, np.int64)
        expected[s, t] = 1
        np.testing.assert_array_equal(result.observed, expected, err_msg=f"{bandwidth} m, {mode}")


# ---------------------------------------------------------------------------------------------
# pointpats


def test_observed_and_expected_equal_pointpats_on_toronto_burglary_2014():
    from pointpats.spacetime import Knox

    x, y, days = toronto.subset("Break and Enter", 2014)
    # pointpats counts distance ≤ delta and gap ≤ tau (k-d tree balls): our right-closed bands
    peer = Knox(np.column_stack((x, y)), days[:, None], delta=200, tau=7, permutations=0)
    ours = knox_test(
        x, y, days, space_edges=[200], time_edges=[7], same_location=False, metric="euclidean", permutations=0
    )
    np.testing.assert_array_equal(ours.observed, peer.observed.astype(np.int64))
    assert ours.observed[0, 0] == peer.nst == 1475
    assert ours.expected[0, 0] == pytest.approx(peer.expected[0, 0], rel=1e-12)
    np.testing.assert_allclose(ours.expected, peer.expected, rtol=1e-12)


def test_p_value_agrees_with_pointpats_within_monte_carlo_error():
    from pointpats.spacetime import Knox

    # a weak pattern, so that the p-value is not at its floor
    x, y, days = toronto.subset("Theft Over", 2019)
    np.random.seed(12345)  # pointpats draws from NumPy's global generator
    peer = Knox(np.column_stack((x, y)), days[:, None], delta=500, tau=14, permutations=99)
    ours = knox_test(
        x,
        y,
        days,
        space_edges=[500],
        time_edges=[14],
        same_location=False,
        metric="euclidean",
        permutations=999,
        seed=7,
    )
    np.testing.assert_array_equal(ours.observed, peer.observed.astype(np.int64))
    p = ours.p_value[0, 0]
    assert 0.1 < p < 0.9
    assert abs(p - peer.p_sim) <= mc_tolerance(p, 99) + mc_tolerance(p, 999)


# ---------------------------------------------------------------------------------------------
# Statistics and reproducibility


def test_exact_expectation_equals_the_mean_of_many_permutations():
    x, y, days = toronto.subset("Robbery", 2016)
    permutations = 400
    result = knox_test(x, y, days, **TORONTO_BANDS, permutations=permutations, seed=3, keep_simulations=True)
    simulations = result.simulations
    assert simulations is not None
    assert simulations.shape == (permutations, *result.observed.shape)
    # totals do not change under a permutation of days over fixed locations
    np.testing.assert_array_equal(
        simulations.sum(axis=2), np.broadcast_to(result.space_totals, (permutations, 7))
    )
    np.testing.assert_array_equal(
        simulations.sum(axis=1), np.broadcast_to(result.time_totals, (permutations, 5))
    )
    mean = simulations.mean(axis=0)
    standard_error = simulations.std(axis=0, ddof=1) / math.sqrt(permutations)
    assert (np.abs(mean - result.expected) <= 4 * standard_error + 1e-9).all()
    # p-values are the share of permutations at least as large as the observed table
    exceed = (simulations >= result.observed).sum(axis=0)
    np.testing.assert_array_equal(result.p_value, (exceed + 1) / (permutations + 1))


def test_results_are_reproducible_for_a_seed_and_independent_of_the_thread_count():
    x, y, days = toronto.subset("Robbery", 2016)

    def run(seed: int) -> KnoxResult:
        return knox_test(x, y, days, **TORONTO_BANDS, permutations=40, seed=seed, keep_simulations=True)

    first = run(11)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        single_thread = run(11)
    finally:
        numba.set_num_threads(threads)
    np.testing.assert_array_equal(first.simulations, single_thread.simulations)
    np.testing.assert_array_equal(first.p_value, single_thread.p_value)
    other = run(12)
    assert (first.simulations != other.simulations).any()
    np.testing.assert_array_equal(first.observed, other.observed)


def test_datetime_days_equal_day_numbers_and_more_than_bands_are_optional():
    x, y, days = toronto.subset("Robbery", 2016)
    as_numbers = knox_test(x, y, days, **TORONTO_BANDS, permutations=0)
    as_dates = knox_test(x, y, days.astype("datetime64[D]"), **TORONTO_BANDS, permutations=0)
    np.testing.assert_array_equal(as_numbers.observed, as_dates.observed)
    finite = knox_test(x, y, days, **TORONTO_BANDS, more_than=False, permutations=0)
    assert finite.observed.shape == (6, 4)
    np.testing.assert_array_equal(finite.observed, as_numbers.observed[:6, :4])
    np.testing.assert_allclose(finite.expected, as_numbers.expected[:6, :4])
    assert finite.space.labels[-1] == "400 to 500 m"
    assert np.isnan(finite.p_value).all()


def test_expectation_holds_for_large_inputs_without_overflow():
    # 250,000 events: S_s·T_t of the "more than" cell is about 10^21, beyond int64
    rng = np.random.default_rng(9)
    n = 250_000
    x, y = rng.uniform(0, 50_000, n), rng.uniform(0, 50_000, n)
    days = rng.integers(0, 3000, n)
    result = knox_test(x, y, days, space_edges=[50], time_edges=[7], same_location=False, permutations=0)
    assert result.pairs == n * (n - 1) // 2
    assert (result.expected >= 0).all()
    assert result.expected.sum() == pytest.approx(result.pairs, rel=1e-12)
    assert result.expected[-1, -1] == pytest.approx(
        float(result.space_totals[-1]) * float(result.time_totals[-1]) / result.pairs, rel=1e-12
    )
    # no interaction by construction: every cell near its expectation
    assert np.abs(result.ratio - 1).max() < 0.2


# ---------------------------------------------------------------------------------------------
# Band semantics on hand-made points


def hand_made_points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Four isolated pairs (10 km and 100 days apart from each other) on band edges."""
    pairs = [
        ((0, 0, 0), (0, 100, 7)),  # 100 m, 7 days
        ((1e4, 0, 100), (1e4, 0, 100)),  # same place, same day
        ((2e4, 0, 200), (2e4, 0.5, 208)),  # 0.5 m, 8 days
        ((3e4, 0, 300), (3e4, 200, 314)),  # 200 m, 14 days
    ]
    points = np.array([point for pair in pairs for point in pair], dtype=float)
    return points[:, 0], points[:, 1], points[:, 2].astype(np.int64)


def test_right_closed_bands_put_edge_pairs_in_the_lower_band():
    x, y, days = hand_made_points()
    result = knox_test(
        x, y, days, space_edges=[100, 200], time_edges=[7, 14], same_location_tolerance=0.5, permutations=0
    )
    assert result.space.labels == (
        "Same location (up to 0.5 m)",
        "0.5 to 100 m",
        "100 to 200 m",
        "More than 200 m",
    )
    assert result.time.labels == ("0 to 7 days", "8 to 14 days", "More than 14 days")
    assert result.space.closed == "(a, b]"
    expected = np.zeros((4, 3), np.int64)
    expected[0, 0] = 1  # same place, same day
    expected[0, 1] = 1  # 0.5 m is within the tolerance; 8 days is in (7, 14]
    expected[1, 0] = 1  # 100 m in (0.5, 100], 7 days in [0, 7]
    expected[2, 1] = 1  # 200 m in (100, 200], 14 days in (7, 14]
    expected[3, 2] = 28 - 4  # every other pair is far apart in space and time
    np.testing.assert_array_equal(result.observed, expected)


def test_left_closed_bands_put_edge_pairs_in_the_upper_band():
    x, y, days = hand_made_points()
    result = knox_test(
        x,
        y,
        days,
        space_edges=[100, 200],
        time_edges=[7, 14],
        same_location_tolerance=0.5,
        closed="left",
        permutations=0,
    )
    assert result.time.labels == ("0 to 6 days", "7 to 13 days", "14 days or more")
    assert result.space.labels[-1] == "200 m or more"
    assert result.space.closed == "[a, b)"
    expected = np.zeros((4, 3), np.int64)
    expected[0, 0] = 1  # same place, same day
    expected[0, 1] = 1  # 0.5 m (same location), 8 days in [7, 14)
    expected[2, 1] = 1  # 100 m in [100, 200), 7 days in [7, 14)
    expected[3, 2] = 28 - 3  # 200 m and 14 days are both "or more"
    np.testing.assert_array_equal(result.observed, expected)


def test_manhattan_and_euclidean_distances_differ_as_they_should():
    x, y, days = np.array([0.0, 60.0]), np.array([0.0, 80.0]), np.array([0, 1])
    kwargs = {"space_edges": [100, 200], "time_edges": [7], "permutations": 0}
    euclidean = knox_test(x, y, days, metric="euclidean", **kwargs)
    manhattan = knox_test(x, y, days, metric="manhattan", **kwargs)
    assert euclidean.observed[1, 0] == 1  # 100 m: (0, 100]
    assert manhattan.observed[2, 0] == 1  # 140 m: (100, 200]
    assert euclidean.observed.sum() == manhattan.observed.sum() == 1


def test_bad_input_raises_value_error_with_the_reason():
    x, y, days = np.zeros(3), np.zeros(3), np.arange(3)
    bands = {"space_bandwidth": 100, "space_bands": 2, "time_bandwidth": 7, "time_bands": 2}
    cases = [
        ((np.zeros(3), np.zeros(2), days), bands, "same length"),
        ((x, y, days), {**bands, "space_bandwidth": -100}, "space_bandwidth must be positive"),
        ((x, y, days), {**bands, "time_bands": 0}, "time_bands must be a positive integer"),
        ((x[:1], y[:1], days[:1]), bands, "at least 2 events"),
        ((x, y, days + 0.5), bands, "whole day numbers"),
        ((np.array([0.0, np.nan, 1.0]), y, days), bands, "finite"),
        ((x, y, days), {**bands, "space_edges": [100]}, "either space_edges"),
        ((x, y, days), {"space_edges": [200, 100], "time_edges": [7]}, "strictly increasing"),
        ((x, y, days), {"time_edges": [7]}, "space_bandwidth and space_bands"),
        ((x, y, days), {**bands, "metric": "chebyshev"}, "metric"),
        ((x, y, days), {**bands, "mode": "nrc", "closed": "right"}, "left-closed"),
        ((x, y, days), {**bands, "mode": "nrc", "same_location": False}, "same-location"),
        ((x, y, days), {**bands, "same_location_tolerance": 100}, "must exceed the same-location"),
        ((x, y, days), {**bands, "permutations": -1}, "permutations"),
        ((x, y, days * 86400 * 1000), bands, "not seconds"),
    ]
    for arrays, kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            knox_test(*arrays, **kwargs)


# ---------------------------------------------------------------------------------------------
# Output and the near-repeat alert


def test_near_repeat_alert_on_toronto_burglary_is_plausible():
    result = toronto_burglary_result()
    assert result.n == 54562
    # the textbook burglary pattern: repeats and near repeats within the first week
    assert result.ratio[0, 0] > 4
    assert 1.4 < result.ratio[1, 0] < 2
    alert = near_repeat_alert(result)
    assert alert is not None
    assert alert.repeat_days is not None and alert.repeat_days >= 7
    first = alert.near[0]
    assert (first.space_label, first.time_label) == ("0.5 to 100 m", "0 to 7 days")
    assert (first.distance_lower, first.distance_upper, first.days_lower, first.days_upper) == (
        0.5,
        100,
        0,
        7,
    )
    assert first.percent_greater == pytest.approx((result.ratio[1, 0] - 1) * 100)
    assert alert.distance >= 100 and alert.days >= 7
    assert alert.strongest.space_label.startswith("Same location")
    # every reported cell is significant and meaningful, none is a "more than" band
    flags = result.significant_and_meaningful()
    for cell in alert.cells:
        assert flags[cell.space_index, cell.time_index]
        assert math.isfinite(cell.distance_upper) and math.isfinite(cell.days_upper)


def test_no_alert_without_raised_cells():
    # Repeats at the same places, but always months apart: the close cells are empty.
    rng = np.random.default_rng(5)
    places = rng.uniform(0, 20_000, (300, 2))
    x, y = np.repeat(places[:, 0], 2), np.repeat(places[:, 1], 2)
    days = np.repeat(rng.integers(0, 3000, 300), 2) + np.tile([0, 90], 300)
    result = knox_test(
        x,
        y,
        days,
        space_bandwidth=100,
        space_bands=3,
        time_bandwidth=7,
        time_bands=2,
        permutations=19,
        seed=1,
    )
    assert result.observed[0, 2] >= 300
    assert near_repeat_alert(result) is None


def test_rows_are_json_ready_and_progress_is_reported():
    x, y, days = toronto.subset("Robbery", 2016)
    fractions: list[float] = []
    result = knox_test(x, y, days, **TORONTO_BANDS, permutations=99, seed=1, progress=fractions.append)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions) and len(fractions) <= 40
    rows = result.to_rows()
    assert len(rows) == 7 * 5
    json.dumps(rows, allow_nan=False)
    last = rows[-1]
    assert last["space_upper"] is None and last["time_upper"] is None
    assert last["observed"] == result.observed[-1, -1]
    assert sum(row["observed"] for row in rows) == result.pairs
