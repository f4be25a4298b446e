"""Gi* and local Moran kernels: analytic statistics equal to esda's on real Toronto data,
permutation p-values checked against esda within Monte Carlo error, the sampler checked against
the exact null distribution, and the cells' p-values shown to be independent (esda's are not).

esda's conditional randomisation is numba code that takes about 20 s to compile in every fresh
process; the peer therefore runs in a subprocess with NUMBA_DISABLE_JIT=1, where the same esda
code runs as plain Python/NumPy (its algorithm, its shared permutation table, its p-values).
"""

from __future__ import annotations

import functools
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numba
import numpy as np
import pytest
import scipy.stats
from scipy.special import gammaln

from cpis.analytics.stats import hotspots
from cpis.analytics.stats.grid import Grid
from cpis.analytics.stats.hotspots import benjamini_hochberg, gi_star, local_moran
from cpis.analytics.stats.tests import toronto

PERMUTATIONS = 999


# ---------------------------------------------------------------------------------------------
# Data


@functools.cache
def toronto_counts(cell: float = 500.0) -> np.ndarray:
    """All Toronto major-crime incidents 2014–2021 (239,935) binned on a `cell` m grid, UTM 17N."""
    x, y = toronto.xy()
    grid = Grid.covering(x, y, cell)
    counts = grid.bin(x, y)
    assert counts.sum() == 239_935
    return counts


ESDA_SCRIPT = textwrap.dedent(
    """
    import sys, warnings
    import numpy as np
    warnings.simplefilter("ignore")
    import esda, esda.crand, libpysal
    # crand uses numba's boolean type as a NumPy dtype; with the JIT off it must be NumPy's.
    esda.crand.boolean = np.bool_
    counts = np.load(sys.argv[1])
    ny, nx = counts.shape
    y = counts.ravel().astype(float)
    out = {}
    w = libpysal.weights.lat2W(ny, nx, rook=False)
    g = esda.G_Local(y, w, transform="B", star=True, permutations=999, n_jobs=1, seed=11,
                     keep_simulations=False)
    out["gi"] = g.p_sim
    out["gi_z"] = g.Zs
    out["gi_p_norm"] = g.p_norm
    w = libpysal.weights.lat2W(ny, nx, rook=False)
    m = esda.Moran_Local(y, w, permutations=999, n_jobs=1, seed=13, keep_simulations=False)
    out["moran"] = m.p_sim
    out["moran_i"] = m.Is
    out["moran_q"] = m.q
    np.savez(sys.argv[2], **out)
    """
)


class EsdaPeer:
    """esda's statistics and permutation p-values on the Toronto 500 m grid, computed in a
    subprocess started at once so that it runs while the other tests do."""

    def __init__(self, folder: Path) -> None:
        self.counts_file = folder / "counts.npy"
        self.result_file = folder / "esda.npz"
        np.save(self.counts_file, toronto_counts())
        self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
            [sys.executable, "-c", ESDA_SCRIPT, str(self.counts_file), str(self.result_file)],
            env={**os.environ, "NUMBA_DISABLE_JIT": "1"},
            stderr=subprocess.PIPE,
        )

    @functools.cached_property
    def results(self) -> dict[str, np.ndarray]:
        _, stderr = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, stderr.decode()
        with np.load(self.result_file) as data:
            return {name: data[name] for name in data.files}


@pytest.fixture(scope="module", autouse=True)
def esda_peer(tmp_path_factory: pytest.TempPathFactory) -> EsdaPeer:
    return EsdaPeer(tmp_path_factory.mktemp("esda"))


def within_monte_carlo_error(
    ours: np.ndarray, theirs: np.ndarray, permutations: int = PERMUTATIONS
) -> np.ndarray:
    """Cells whose two independent pseudo p-values differ by at most 4 binomial standard errors."""
    p = (ours + theirs) / 2
    se = np.sqrt(2 * p * (1 - p) / permutations)
    return np.abs(ours - theirs) <= 4 * se + 2 / permutations


# ---------------------------------------------------------------------------------------------
# Analytic statistics against esda


def test_gi_star_z_equals_esda_on_the_toronto_grid(esda_peer):
    counts = toronto_counts()
    result = gi_star(counts, permutations=0)
    assert result.z.shape == counts.shape
    # lat2W numbers cells row by row, as the C-order ravel of the (ny, nx) grid.
    np.testing.assert_allclose(result.z.ravel(), esda_peer.results["gi_z"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.p_norm.ravel(), 2 * esda_peer.results["gi_p_norm"], rtol=0, atol=1e-12)


def test_local_moran_statistic_and_quadrants_equal_esda_on_the_toronto_grid(esda_peer):
    result = local_moran(toronto_counts(), permutations=0)
    np.testing.assert_allclose(result.I.ravel(), esda_peer.results["moran_i"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(result.quadrant.ravel(), esda_peer.results["moran_q"])


def test_gi_star_z_matches_the_formula_written_out_on_a_small_grid():
    rng = np.random.default_rng(5)
    counts = rng.poisson(2.0, size=(7, 9))
    result = gi_star(counts, permutations=0, radius=2)
    x = counts.astype(float).ravel()
    n, mean, sd = x.size, x.mean(), x.std()
    for row, col in itertools.product(range(7), range(9)):
        window = counts[max(row - 2, 0) : row + 3, max(col - 2, 0) : col + 3]
        w = window.size
        expected = (window.sum() - mean * w) / (sd * np.sqrt((n * w - w * w) / (n - 1)))
        assert result.z[row, col] == pytest.approx(expected, abs=1e-12)


def test_local_moran_z_uses_the_exact_conditional_moments():
    # 3 × 3 grid: the corner cell's 3 neighbours are drawn from the 8 other cells; enumerate all
    # C(8, 3) = 56 draws for the exact mean and variance of I.
    counts = np.array([[5, 1, 0], [2, 7, 3], [0, 4, 1]])
    result = local_moran(counts, permutations=0)
    z = (counts.ravel() - counts.mean()) / counts.std()
    others = np.delete(z, 0)
    draws = np.array([others[list(c)].mean() for c in itertools.combinations(range(8), 3)])
    values = (9 - 1) * z[0] * draws / (z * z).sum()
    assert result.I[0, 0] == pytest.approx((9 - 1) * z[0] * z[[1, 3, 4]].mean() / (z * z).sum(), abs=1e-12)
    assert result.z[0, 0] == pytest.approx((result.I[0, 0] - values.mean()) / values.std(), abs=1e-12)


# ---------------------------------------------------------------------------------------------
# Permutation p-values


def test_gi_star_p_values_agree_with_esda_within_monte_carlo_error(esda_peer):
    counts = toronto_counts()
    ours = gi_star(counts, permutations=PERMUTATIONS, seed=1).p_sim_directed.ravel()
    theirs = esda_peer.results["gi"].astype(np.float64)
    agree = within_monte_carlo_error(ours, theirs)
    assert agree.mean() >= 0.995
    # esda's shared table makes its p-values move together, so their mean over cells wanders
    # more than independent ones would; the bound allows for that.
    assert abs((ours - theirs).mean()) < 0.01


def test_local_moran_p_values_agree_with_esda_within_monte_carlo_error(esda_peer):
    counts = toronto_counts()
    ours = local_moran(counts, permutations=PERMUTATIONS, seed=2).p_sim_directed.ravel()
    theirs = esda_peer.results["moran"].astype(np.float64)
    assert within_monte_carlo_error(ours, theirs).mean() >= 0.995
    assert abs((ours - theirs).mean()) < 0.01


def test_p_values_of_alike_cells_are_independent_unlike_esdas_shared_table(esda_peer):
    # Two horizontally adjacent cells with the same count, the same neighbour sum and the same
    # number of neighbours face the same null distribution. esda draws both from one permutation
    # table (and the other cells' values line up exactly), so it gives them the same p-value;
    # independent draws coincide only by chance.
    counts = toronto_counts()
    ny, nx = counts.shape
    neighbour_sum = hotspots._window_sums(counts, 1) - counts
    size = hotspots._window_sizes(ny, nx, 1)
    left = np.arange(counts.size - 1)
    left = left[(left + 1) % nx != 0]
    c, s, k = counts.ravel(), neighbour_sum.ravel(), size.ravel()
    twins = left[
        (c[left] == c[left + 1]) & (s[left] == s[left + 1]) & (k[left] == k[left + 1]) & (s[left] > 0)
    ]
    assert twins.size >= 20
    theirs = esda_peer.results["gi"].astype(np.float64)
    ours = gi_star(counts, permutations=PERMUTATIONS, seed=3).p_sim_directed.ravel()
    assert np.mean(theirs[twins] == theirs[twins + 1]) == 1.0
    assert np.mean(ours[twins] == ours[twins + 1]) < 0.3


def multivariate_hypergeometric_tails(values: np.ndarray, draws: int, threshold: int) -> tuple[float, float]:
    """P(S ≥ threshold) and P(S ≤ threshold) for S the sum of `draws` values drawn without
    replacement from `values` (small non-negative integers), by enumeration."""
    kinds, counts = np.unique(values, return_counts=True)
    total = counts.sum()

    def log_comb(n, k):
        return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)

    ge = le = 0.0
    for head in itertools.product(*(range(min(c, draws) + 1) for c in counts[:-1])):
        last = draws - sum(head)
        if not 0 <= last <= counts[-1]:
            continue
        picks = (*head, last)
        log_p = sum(log_comb(c, k) for c, k in zip(counts, picks, strict=True)) - log_comb(total, draws)
        s = int(np.dot(kinds, picks))
        ge += np.exp(log_p) * (s >= threshold)
        le += np.exp(log_p) * (s <= threshold)
    return ge, le


@pytest.mark.parametrize(
    ("shape", "radius"),
    [
        ((40, 40), 1),  # vectorised sampler, two indices per 32-bit half
        ((257, 256), 1),  # vectorised sampler, one index per 32-bit half (more than 65,536 cells)
        ((12, 12), 1),  # sequential sampler (small grid)
        ((40, 40), 2),  # sequential sampler (24 neighbours)
    ],
)
def test_sampler_follows_the_exact_null_distribution(shape, radius):
    ny, nx = shape
    n = ny * nx
    rng = np.random.default_rng(7)
    values = rng.choice([0, 1, 2, 3], p=[0.5, 0.25, 0.15, 0.1], size=n)
    padded = np.zeros(n + 8)
    padded[:n] = values
    cells = [0, nx + 3, n // 2 + nx // 2, n - 1]  # a corner, an edge-near cell, the middle, a corner
    permutations = 20_000
    n_ge = np.zeros(n, dtype=np.int32)
    n_le = np.zeros(n, dtype=np.int32)
    for cell in cells:
        row, col = divmod(cell, nx)
        draws = (min(row + radius, ny - 1) - max(row - radius, 0) + 1) * (
            min(col + radius, nx - 1) - max(col - radius, 0) + 1
        ) - 1
        threshold = round(draws * values.mean())
        observed = np.full(n, float(threshold))
        hotspots._conditional_counts(
            padded,
            ny,
            nx,
            radius,
            observed,
            hotspots._seed_key(cell),
            permutations,
            cell,
            cell + 1,
            n_ge,
            n_le,
            int(np.count_nonzero(values == 0)),
        )
        exact_ge, exact_le = multivariate_hypergeometric_tails(np.delete(values, cell), draws, threshold)
        for count, p in ((n_ge[cell], exact_ge), (n_le[cell], exact_le)):
            se = np.sqrt(p * (1 - p) / permutations)
            assert abs(count / permutations - p) <= 4.5 * se + 1e-9, (cell, count / permutations, p)


@pytest.mark.parametrize("own_value", [0, 2])
def test_a_cell_with_empty_neighbours_follows_the_exact_null_distribution(own_value):
    """The all-zero shortcut: every permutation sum is ≥ 0, and the share of permutations whose
    draws are all zero is the hypergeometric probability, as full sampling would give."""
    ny, nx = 30, 30
    n = ny * nx
    rng = np.random.default_rng(11)
    values = rng.choice([0, 1, 2], p=[0.7, 0.2, 0.1], size=n)
    cell = 15 * nx + 15
    values[cell] = own_value
    padded = np.zeros(n + 8)
    padded[:n] = values
    permutations = 20_000
    n_ge = np.zeros(n, dtype=np.int32)
    n_le = np.zeros(n, dtype=np.int32)
    observed = np.zeros(n)
    zeros = int(np.count_nonzero(values == 0))
    hotspots._conditional_counts(
        padded, ny, nx, 1, observed, hotspots._seed_key(5), permutations, cell, cell + 1, n_ge, n_le, zeros
    )
    exact_ge, exact_le = multivariate_hypergeometric_tails(np.delete(values, cell), 8, 0)
    assert exact_ge == pytest.approx(1.0) and n_ge[cell] == permutations
    se = np.sqrt(exact_le * (1 - exact_le) / permutations)
    assert abs(n_le[cell] / permutations - exact_le) <= 4.5 * se


def test_results_do_not_depend_on_the_number_of_threads():
    counts = toronto_counts()
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = gi_star(counts, permutations=99, seed=4)
    finally:
        numba.set_num_threads(threads)
    many = gi_star(counts, permutations=99, seed=4)
    np.testing.assert_array_equal(one.n_ge, many.n_ge)
    np.testing.assert_array_equal(one.n_le, many.n_le)


def test_seed_makes_the_permutations_reproducible():
    counts = toronto_counts()
    first = local_moran(counts, permutations=99, seed=8)
    again = local_moran(counts, permutations=99, seed=8)
    other = local_moran(counts, permutations=99, seed=9)
    np.testing.assert_array_equal(first.p_sim, again.p_sim)
    assert (first.p_sim != other.p_sim).mean() > 0.2


def test_integer_and_float_counts_give_the_same_permutation_counts():
    counts = np.random.default_rng(3).poisson(3.0, size=(30, 40))
    as_int = gi_star(counts, permutations=199, seed=6)
    as_float = gi_star(counts.astype(np.float64), permutations=199, seed=6)
    np.testing.assert_array_equal(as_int.n_ge, as_float.n_ge)
    weighted = gi_star(counts * 0.5, permutations=199, seed=6)  # half-integers take the float64 path
    np.testing.assert_array_equal(as_int.n_ge, weighted.n_ge)
    np.testing.assert_allclose(as_int.z, weighted.z, atol=1e-12)


def test_progress_is_reported_from_zero_to_one():
    seen: list[float] = []
    gi_star(toronto_counts(), permutations=49, progress=seen.append)
    assert seen[0] == 0.0
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert 3 <= len(seen) <= 30


# ---------------------------------------------------------------------------------------------
# Classes, FDR and errors


def planted_hotspot() -> np.ndarray:
    rng = np.random.default_rng(11)
    counts = rng.poisson(2.0, size=(40, 40))
    counts[18:22, 18:22] += 12
    return counts


def test_classes_find_a_planted_hot_spot_and_nothing_much_elsewhere():
    result = gi_star(planted_hotspot(), permutations=PERMUTATIONS, seed=1)
    bins = result.classes()
    assert bins.dtype == np.int8
    assert (bins[19:21, 19:21] == 3).all()
    outside = np.ones(bins.shape, dtype=bool)
    outside[15:25, 15:25] = False
    # With the false discovery rate controlled at 10 %, few cells far from the spot come out.
    assert (bins[outside] != 0).mean() < 0.02
    assert set(np.unique(result.classes(alpha=0.01))) <= {-3, 0, 3}
    # The permutation p-values find the spot too: no permutation reaches its neighbour sum.
    assert (result.n_ge[19:21, 19:21] == 0).all()
    assert (result.classes(p="sim", fdr=False)[19:21, 19:21] == 3).all()


def test_fdr_on_permutation_p_values_is_limited_by_their_resolution():
    # 1,600 cells, smallest two-sided p 2/1000: Benjamini–Hochberg needs about 1600 · 0.002 / 0.1
    # = 32 cells that small before any is significant at q ≤ 0.10, and the spot has fewer.
    result = gi_star(planted_hotspot(), permutations=PERMUTATIONS, seed=2)
    assert (result.p_sim[19:21, 19:21] == 2 / (PERMUTATIONS + 1)).all()
    assert (result.classes(p="sim", fdr=True)[19:21, 19:21] == 0).all()
    assert (result.classes(p="sim", fdr=False) != 0).sum() >= (result.classes(p="norm") != 0).sum() // 2


def test_local_moran_classes_mark_the_planted_spot_high_high():
    result = local_moran(planted_hotspot(), permutations=PERMUTATIONS, seed=1)
    assert (result.classes()[19:21, 19:21] == hotspots.HH).all()
    assert (result.classes(p="sim", fdr=False)[19:21, 19:21] == hotspots.HH).all()
    assert set(np.unique(result.classes())) <= {0, 1, 2, 3, 4}


def test_benjamini_hochberg_matches_scipy_and_keeps_nan():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=500) ** 3
    np.testing.assert_allclose(benjamini_hochberg(p), scipy.stats.false_discovery_control(p), atol=1e-15)
    with_nan = np.concatenate([p, [np.nan]]).reshape(3, 167)
    q = benjamini_hochberg(with_nan)
    assert q.shape == (3, 167)
    assert np.isnan(q.ravel()[-1])
    np.testing.assert_allclose(q.ravel()[:-1], scipy.stats.false_discovery_control(p), atol=1e-15)


@pytest.mark.parametrize(
    ("counts", "kwargs", "message"),
    [
        (np.ones((5, 5)), {}, "same count"),
        (np.arange(5), {}, "2-D"),
        (np.array([[1.0, np.nan], [2.0, 3.0]]), {}, "finite"),
        (np.arange(25).reshape(5, 5), {"radius": 0}, "radius"),
        (np.arange(25).reshape(5, 5), {"permutations": -1}, "permutations"),
    ],
)
def test_bad_input_is_refused(counts, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gi_star(counts, **kwargs)


def test_classes_need_permutations_for_simulated_p_values():
    result = gi_star(planted_hotspot(), permutations=0)
    assert np.isnan(result.p_sim).all()
    with pytest.raises(ValueError, match="permutations"):
        result.classes(p="sim")
    assert (result.classes()[19:21, 19:21] == 3).all()
