"""Getis–Ord Gi* and local Moran's I on a square grid, with per-cell conditional randomisation.

The observations are all the cells of a `Grid` (empty cells included), and the neighbours of a
cell are the cells of the `(2r+1) × (2r+1)` window around it (queen contiguity for `radius=1`),
cut at the edges of the grid, never wrapped. This is esda's `G_Local(y, lat2W(ny, nx,
rook=False), transform="B", star=True)` and `Moran_Local(y, lat2W(ny, nx, rook=False))` on the
flattened `(ny, nx)` counts, and ArcGIS's Hot Spot Analysis on a fishnet with a fixed distance band.

Analytic inference: Gi*'s z uses the moments under normality (Getis & Ord 1992, Ord & Getis 1995),
the z that ArcGIS reports, equal to esda's `Zs`. Local Moran's z uses the exact mean and variance
of I_i under conditional randomisation (sampling without replacement), so it agrees with the
permutation p-values when the counts are not too skewed.

Conditional randomisation: for cell i, x_i is held fixed and the values of its k_i neighbours
are replaced by k_i values drawn without replacement from the n − 1 other cells. Both statistics
are monotone in the neighbour sum S_i = Σ_{j ∈ N(i), j ≠ i} x_j (Gi* increasing; Moran's I
increasing when z_i > 0 and decreasing when z_i < 0), so one kernel counts, per cell, the
permutations whose random neighbour sum is ≥ and ≤ the observed one. Sums of integer counts are
exact (in float64, below 2⁵³), so ties are counted exactly (esda compares floating-point
statistics, which can split exact ties either way).

Unlike esda, which draws one table of permutations and reuses it for every cell, each cell here
has its own random stream, derived from `(seed, cell index)` by SplitMix64, so the p-values of
different cells are independent (esda's are correlated through the shared table: the number of
cells significant at p ≤ 0.001 swings widely between seeds), and results are identical for any
number of threads.

How the kernel reaches its speed (≈ 1 ns per random neighbour on one core): for up to eight
neighbours (`radius=1`), 256 permutations are processed side by side so that every stage
vectorises: SplitMix64 words, Lemire's multiply-shift turning each 32-bit half into two indices
(batched, one rejection test per pair), a branch-free test that the eight indices are distinct and
differ from the cell itself, the gather of the eight values and the comparison with the observed
sum. Permutations that fail a test (≈ 2 % on a 5,000-cell grid) are discarded and more are drawn
until `permutations` valid ones are counted, which keeps every accepted draw exactly uniform.
Larger windows use a sequential sampler. The cells are cut into chunks that `numba.get_num_threads()`
Python threads take in turn (the kernel releases the GIL).

p-values, for P permutations with G permutations ≥ and L permutations ≤ the observed statistic:
* `p_sim`, two-sided: min(1, 2·(min(G, L) + 1) / (P + 1)), ties counted in both tails;
* `p_sim_directed`: esda's default "directed" p, (min(G, P − G) + 1) / (P + 1). It picks the tail
  after looking at the data and counts ties only in the upper tail, so it is about half the
  two-sided p (and a cell at the minimum of a discrete null, like an empty cell among empty cells,
  gets the smallest possible p). It is offered to compare with esda, not for decisions.
* `p_norm`: two-sided normal p of the analytic z, 2·Φ(−|z|) (esda's `p_norm` is one-sided).
* `q`, `q_norm`: Benjamini–Hochberg adjusted p-values over all cells, the false-discovery-rate
  correction ArcGIS applies.

References:
* A. Getis, J. K. Ord (1992), "The analysis of spatial association by use of distance
  statistics", Geographical Analysis 24(3): 189–206.
* J. K. Ord, A. Getis (1995), "Local spatial autocorrelation statistics: distributional issues
  and an application", Geographical Analysis 27(4): 286–306 (Gi*'s z).
* L. Anselin (1995), "Local indicators of spatial association — LISA", Geographical Analysis
  27(2): 93–115 (local Moran's I, conditional randomisation).
* Y. Benjamini, Y. Hochberg (1995), "Controlling the false discovery rate", J. Royal
  Statistical Society B 57(1): 289–300.
* esda (PySAL) `G_Local`, `Moran_Local`: the peer these kernels are tested against.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Literal, Self

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage, special

from cpis.analytics.stats.replicates import GOLDEN, MIX2, mix64

__all__ = [
    "HH",
    "HL",
    "LH",
    "LL",
    "QUADRANT_NAMES",
    "GiStarResult",
    "LocalMoranResult",
    "benjamini_hochberg",
    "gi_star",
    "local_moran",
]

Progress = Callable[[float], None]
PValueSource = Literal["sim", "norm"]

#: Confidence levels of the ArcGIS-style bins: ±3 at 99 %, ±2 at 95 %, ±1 at 90 %.
_LEVELS = ((0.01, 3), (0.05, 2), (0.10, 1))

_TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0
_LO32 = np.uint64(0xFFFFFFFF)
_TWO32 = np.uint64(1 << 32)

#: Permutations processed side by side by the vectorised sampler (its buffers stay in L1).
_LANES = 256
#: Neighbours handled by the vectorised sampler (the 3 × 3 window minus the cell itself).
_WINDOW8 = 8
#: Work is cut into about this many chunks of cells per thread (and at least _MIN_CHUNK cells each).
_CHUNKS_PER_THREAD = 16
_MIN_CHUNK = 16
#: Below this many cells, rejecting a whole permutation on a repeated index gets frequent, and
#: the sequential sampler is used instead.
_MIN_CELLS_VECTOR = 256
#: Progress is reported at most about this many times.
_PROGRESS_STEPS = 25


# --------------------------------------------------------------------------------------------
# Random streams


@numba.njit(inline="always")
def _cell_key(seed_key: np.uint64, cell: int) -> np.uint64:
    """Start of cell `cell`'s SplitMix64 stream: its words are mix64(key + t·golden), t = 1, 2, …"""
    return mix64(seed_key ^ (np.uint64(cell + 1) * MIX2))


def _seed_key(seed: int) -> np.uint64:
    """The user's seed mixed into 64 bits (one SplitMix64 step), from which every cell's key derives."""
    if not isinstance(seed, int | np.integer):
        raise ValueError("seed must be an integer")
    mask = (1 << 64) - 1
    z = (int(seed) + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return np.uint64(z ^ (z >> 31))


# --------------------------------------------------------------------------------------------
# Conditional randomisation kernels


@numba.njit(cache=True, nogil=True)
def _counts_sequential(
    values: Any,
    n: int,
    cell: int,
    n_draws: int,
    s_obs: Any,
    key: np.uint64,
    permutations: int,
    drawn: NDArray[np.int64],
) -> tuple[int, int]:
    """Permutations whose neighbour sum is ≥ and ≤ `s_obs`, any window size: each index is drawn
    uniformly from the n − 1 other cells (Lemire's method with its exact rejection) and redrawn
    if already taken."""
    m = np.uint64(n - 1) & _LO32
    thresh = _TWO32 % m
    state = key
    word = np.uint64(0)
    left = 0
    ge = 0
    le = 0
    for _ in range(permutations):
        total = values[0] * 0
        j = 0
        while j < n_draws:
            if left == 0:
                state += GOLDEN
                word = mix64(state)
                left = 2
            product = (word & _LO32) * m
            word >>= np.uint64(32)
            left -= 1
            if (product & _LO32) < thresh:
                continue
            index = np.int64(product >> np.uint64(32))
            if index >= cell:
                index += 1
            repeated = False
            for q in range(j):
                if drawn[q] == index:
                    repeated = True
                    break
            if repeated:
                continue
            drawn[j] = index
            total += values[index]
            j += 1
        if total >= s_obs:
            ge += 1
        if total <= s_obs:
            le += 1
    return ge, le


@numba.njit(cache=True, nogil=True)
def _counts_window8(
    values: Any,
    n: int,
    cell: int,
    n_draws: int,
    s_obs: Any,
    key: np.uint64,
    permutations: int,
    index: NDArray[np.uint32],  # (_WINDOW8 · _LANES,): row k holds the k-th index of each lane
    words: NDArray[np.uint64],
    bad: NDArray[np.uint32],
    sums: Any,
) -> tuple[int, int]:
    """Permutations whose neighbour sum is ≥ and ≤ `s_obs`, for `n_draws` ≤ 8, lanes side by side.

    Each lane draws eight indices independently and uniformly from all n cells; a lane is valid
    when its first `n_draws` indices are distinct and differ from `cell` (conditioning i.i.d.
    uniform draws on that event gives a uniform draw without replacement from the other cells).
    Positions n_draws…7 point at eight zero entries after the n values, so every lane sums eight
    terms. Invalid lanes are dropped and new lanes drawn until `permutations` valid ones are
    counted.
    """
    m = np.uint64(n) & _LO32
    paired = m * m <= _TWO32
    if paired:
        # Two indices from one 32-bit half: Lemire's method for the range m² (Brackett-Rozinsky
        # & Lemire 2024, batched ranged integers), one rejection test for both.
        thresh = _TWO32 % (m * m)
        words_per_lane = 2
    else:
        thresh = _TWO32 % m
        words_per_lane = 4
    own = np.uint32(cell)
    ge = 0
    le = 0
    need = permutations
    state = key
    while need > 0:
        lanes = min(_LANES, need)
        for t in range(words_per_lane * lanes):
            state += GOLDEN
            words[t] = mix64(state)
        if paired:
            for p in range(lanes):
                w = words[p]
                a1 = (w & _LO32) * m
                a2 = (a1 & _LO32) * m
                b1 = (w >> np.uint64(32)) * m
                b2 = (b1 & _LO32) * m
                w = words[lanes + p]
                c1 = (w & _LO32) * m
                c2 = (c1 & _LO32) * m
                d1 = (w >> np.uint64(32)) * m
                d2 = (d1 & _LO32) * m
                index[p] = np.uint32(a1 >> np.uint64(32))
                index[_LANES + p] = np.uint32(a2 >> np.uint64(32))
                index[2 * _LANES + p] = np.uint32(b1 >> np.uint64(32))
                index[3 * _LANES + p] = np.uint32(b2 >> np.uint64(32))
                index[4 * _LANES + p] = np.uint32(c1 >> np.uint64(32))
                index[5 * _LANES + p] = np.uint32(c2 >> np.uint64(32))
                index[6 * _LANES + p] = np.uint32(d1 >> np.uint64(32))
                index[7 * _LANES + p] = np.uint32(d2 >> np.uint64(32))
                bad[p] = (
                    np.uint32((a2 & _LO32) < thresh)
                    | np.uint32((b2 & _LO32) < thresh)
                    | np.uint32((c2 & _LO32) < thresh)
                    | np.uint32((d2 & _LO32) < thresh)
                )
        else:
            for p in range(lanes):
                a = (words[p] & _LO32) * m
                b = (words[p] >> np.uint64(32)) * m
                c = (words[lanes + p] & _LO32) * m
                d = (words[lanes + p] >> np.uint64(32)) * m
                e = (words[2 * lanes + p] & _LO32) * m
                f = (words[2 * lanes + p] >> np.uint64(32)) * m
                g = (words[3 * lanes + p] & _LO32) * m
                h = (words[3 * lanes + p] >> np.uint64(32)) * m
                index[p] = np.uint32(a >> np.uint64(32))
                index[_LANES + p] = np.uint32(b >> np.uint64(32))
                index[2 * _LANES + p] = np.uint32(c >> np.uint64(32))
                index[3 * _LANES + p] = np.uint32(d >> np.uint64(32))
                index[4 * _LANES + p] = np.uint32(e >> np.uint64(32))
                index[5 * _LANES + p] = np.uint32(f >> np.uint64(32))
                index[6 * _LANES + p] = np.uint32(g >> np.uint64(32))
                index[7 * _LANES + p] = np.uint32(h >> np.uint64(32))
                bad[p] = (
                    np.uint32((a & _LO32) < thresh)
                    | np.uint32((b & _LO32) < thresh)
                    | np.uint32((c & _LO32) < thresh)
                    | np.uint32((d & _LO32) < thresh)
                    | np.uint32((e & _LO32) < thresh)
                    | np.uint32((f & _LO32) < thresh)
                    | np.uint32((g & _LO32) < thresh)
                    | np.uint32((h & _LO32) < thresh)
                )
        for k in range(n_draws, _WINDOW8):
            for p in range(lanes):
                index[k * _LANES + p] = np.uint32(n + k)
        for p in range(lanes):
            i0 = index[p]
            i1 = index[_LANES + p]
            i2 = index[2 * _LANES + p]
            i3 = index[3 * _LANES + p]
            i4 = index[4 * _LANES + p]
            i5 = index[5 * _LANES + p]
            i6 = index[6 * _LANES + p]
            i7 = index[7 * _LANES + p]
            clash = (i0 == own) | (i1 == own) | (i2 == own) | (i3 == own)
            clash |= (i4 == own) | (i5 == own) | (i6 == own) | (i7 == own)
            clash |= (i0 == i1) | (i0 == i2) | (i0 == i3) | (i0 == i4) | (i0 == i5) | (i0 == i6) | (i0 == i7)
            clash |= (i1 == i2) | (i1 == i3) | (i1 == i4) | (i1 == i5) | (i1 == i6) | (i1 == i7)
            clash |= (i2 == i3) | (i2 == i4) | (i2 == i5) | (i2 == i6) | (i2 == i7)
            clash |= (i3 == i4) | (i3 == i5) | (i3 == i6) | (i3 == i7)
            clash |= (i4 == i5) | (i4 == i6) | (i4 == i7)
            clash |= (i5 == i6) | (i5 == i7)
            clash |= i6 == i7
            bad[p] |= np.uint32(clash)
        for p in range(lanes):
            sums[p] = (
                (values[index[p]] + values[index[_LANES + p]])
                + (values[index[2 * _LANES + p]] + values[index[3 * _LANES + p]])
            ) + (
                (values[index[4 * _LANES + p]] + values[index[5 * _LANES + p]])
                + (values[index[6 * _LANES + p]] + values[index[7 * _LANES + p]])
            )
        valid = 0
        for p in range(lanes):
            ok = bad[p] == 0
            valid += ok
            ge += ok & (sums[p] >= s_obs)
            le += ok & (sums[p] <= s_obs)
        need -= valid
    return ge, le


@numba.njit(cache=True, nogil=True)
def _all_zero_hits(key: np.uint64, permutations: int, zeros: int, others: int, draws: int) -> int:
    """Permutations (of `permutations`) in which all `draws` values drawn without replacement from
    `others` cells, `zeros` of them zero, are zero: a Binomial(permutations, P) count with
    P = C(zeros, draws) / C(others, draws), drawn from the cell's own stream. For a cell whose
    neighbours are all zero (and values are never negative) this is exactly what its
    permutations would count as "≤ observed", in one uniform per permutation instead of `draws`
    gathers; every permutation is "≥ observed"."""
    if zeros < draws:
        return 0
    log_p = (
        math.lgamma(zeros + 1.0)
        - math.lgamma(zeros - draws + 1.0)
        - math.lgamma(others + 1.0)
        + math.lgamma(others - draws + 1.0)
    )
    p = math.exp(log_p)
    state = key
    hits = 0
    for _ in range(permutations):
        state += GOLDEN
        if float(mix64(state) >> np.uint64(11)) * _TWO_TO_MINUS_53 < p:
            hits += 1
    return hits


@numba.njit(cache=True, nogil=True)
def _conditional_counts(
    padded: Any,
    ny: int,
    nx: int,
    radius: int,
    observed: Any,
    seed_key: np.uint64,
    permutations: int,
    start: int,
    stop: int,
    n_ge: NDArray[np.int32],
    n_le: NDArray[np.int32],
    zeros: int,
) -> None:
    """For cells `start`…`stop − 1` (flat indices), store in `n_ge`/`n_le` the permutations whose
    random neighbour sum is ≥ and ≤ the observed one. `padded` holds the n cell values followed by
    eight zeros; `zeros` is how many of the n values are zero, or −1 when some value is negative
    (then no cell takes the all-zero shortcut). Runs without the GIL, so threads can share the cells."""
    n = ny * nx
    max_draws = (2 * radius + 1) * (2 * radius + 1) - 1
    vector = n >= _MIN_CELLS_VECTOR
    index = np.empty(_WINDOW8 * _LANES, dtype=np.uint32)
    words = np.empty(4 * _LANES, dtype=np.uint64)
    bad = np.empty(_LANES, dtype=np.uint32)
    sums = np.empty(_LANES, dtype=padded.dtype)
    drawn = np.empty(max_draws, dtype=np.int64)
    for cell in range(start, stop):
        row = cell // nx
        col = cell - row * nx
        rows = min(row + radius, ny - 1) - max(row - radius, 0) + 1
        cols = min(col + radius, nx - 1) - max(col - radius, 0) + 1
        n_draws = rows * cols - 1
        key = _cell_key(seed_key, cell)
        if zeros >= 0 and observed[cell] == 0.0:
            others_zero = zeros - 1 if padded[cell] == 0.0 else zeros
            n_ge[cell] = permutations
            n_le[cell] = _all_zero_hits(key, permutations, others_zero, n - 1, n_draws)
            continue
        if vector and n_draws <= _WINDOW8:
            ge, le = _counts_window8(
                padded, n, cell, n_draws, observed[cell], key, permutations, index, words, bad, sums
            )
        else:
            ge, le = _counts_sequential(padded, n, cell, n_draws, observed[cell], key, permutations, drawn)
        n_ge[cell] = ge
        n_le[cell] = le


def _window_sums(values: NDArray[Any], radius: int) -> NDArray[Any]:
    """Sum over each cell's (2r+1)² window, cut at the edges (zero padding), same dtype as
    `values`. Separable; exact for integers below 2⁵³ (the sums are taken in float64)."""
    ones = np.ones(2 * radius + 1)
    as_float = values.astype(np.float64)
    across = ndimage.correlate1d(as_float, ones, axis=1, mode="constant", cval=0.0)
    total = ndimage.correlate1d(across, ones, axis=0, mode="constant", cval=0.0)
    return total.astype(values.dtype)


def _window_sizes(ny: int, nx: int, radius: int) -> NDArray[np.int64]:
    """Cells in each cell's window, itself included: `(ny, nx)` int64."""
    rows = np.minimum(np.arange(ny) + radius, ny - 1) - np.maximum(np.arange(ny) - radius, 0) + 1
    cols = np.minimum(np.arange(nx) + radius, nx - 1) - np.maximum(np.arange(nx) - radius, 0) + 1
    return np.outer(rows, cols).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Shared preparation


@dataclass(frozen=True)
class _Prepared:
    counts: NDArray[np.float64]  # (ny, nx)
    exact: NDArray[Any]  # (ny, nx): int64 for integer counts, float64 otherwise
    window_sum: NDArray[Any]  # (ny, nx), the cell itself included, same dtype as `exact`
    window_size: NDArray[np.int64]  # (ny, nx), the cell itself included
    mean: float
    sd: float  # population standard deviation of the counts; 0 when they are all the same


def _prepare(counts: ArrayLike, radius: int, permutations: int) -> _Prepared:
    array = np.asarray(counts)
    if array.ndim != 2:
        raise ValueError("counts must be a 2-D (ny, nx) grid")
    if not 3 <= array.size < 2**31:
        raise ValueError("a grid statistic needs at least three cells (and fewer than 2³¹)")
    if not isinstance(radius, int | np.integer) or radius < 1:
        raise ValueError("radius must be a whole number of cells, at least 1")
    if not isinstance(permutations, int | np.integer) or permutations < 0:
        raise ValueError("permutations must be zero or a positive whole number")
    if array.dtype.kind not in "iufb":
        raise ValueError("counts must be numbers")
    as_float = np.ascontiguousarray(array, dtype=np.float64)
    if not np.isfinite(as_float).all():
        raise ValueError("counts must be finite")
    integral = array.dtype.kind in "iub" or bool(np.all(as_float == np.round(as_float)))
    if integral and np.abs(as_float).max() < 2.0**52:
        exact: NDArray[Any] = as_float.astype(np.int64)
    else:
        exact = as_float
    ny, nx = array.shape
    mean = as_float.mean()
    return _Prepared(
        counts=as_float,
        exact=exact,
        window_sum=_window_sums(exact, int(radius)),
        window_size=_window_sizes(ny, nx, int(radius)),
        mean=mean,
        sd=np.sqrt(np.mean((as_float - mean) ** 2)),
    )


def _neighbour_sum_ranks(
    prepared: _Prepared,
    radius: int,
    permutations: int,
    seed: int,
    progress: Progress | None,
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Per cell, the permutations whose random neighbour sum (the cell itself excluded) is ≥ and
    ≤ the observed one: `(ny, nx)` int32 arrays."""
    ny, nx = prepared.counts.shape
    n = ny * nx
    flat = prepared.exact.ravel()
    observed = (prepared.window_sum - prepared.exact).ravel()
    # One float64 kernel serves counts and weights alike: integer counts (below 2⁵³) are summed
    # exactly in float64, so ties between random and observed sums are still exact. (An int32
    # kernel was measured only 4 % faster and doubled the compile time.)
    padded = np.zeros(n + _WINDOW8, dtype=np.float64)
    padded[:n] = flat
    observed = observed.astype(np.float64)
    key = _seed_key(seed)
    # Empty neighbourhoods (common: lakes, fields, outside a city) take the exact shortcut.
    zeros = int(np.count_nonzero(flat == 0)) if flat.min() >= 0 else -1
    n_ge = np.zeros(n, dtype=np.int32)
    n_le = np.zeros(n, dtype=np.int32)
    # Chunks of cells are handed to the threads as they free up, which balances cheap and costly
    # regions and copes with a core taken by another process; each cell has its own random
    # stream, so which thread computes it does not matter.
    workers = max(1, numba.get_num_threads())
    size = max(_MIN_CHUNK, -(-n // (_CHUNKS_PER_THREAD * workers)))
    chunks = [(start, min(n, start + size)) for start in range(0, n, size)]

    def run(chunk: tuple[int, int]) -> int:
        _conditional_counts(
            padded,
            ny,
            nx,
            int(radius),
            observed,
            key,
            int(permutations),
            chunk[0],
            chunk[1],
            n_ge,
            n_le,
            zeros,
        )
        return chunk[1] - chunk[0]

    if progress is not None:
        progress(0.0)
    if workers == 1 or len(chunks) == 1:
        done = 0
        for chunk in chunks:
            done += run(chunk)
            if progress is not None:
                progress(done / n)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run, chunk) for chunk in chunks]
            done = 0
            reported = 0.0
            for future in as_completed(futures):
                done += future.result()
                if progress is not None and (done == n or done / n - reported >= 1.0 / _PROGRESS_STEPS):
                    reported = done / n
                    progress(reported)
    return n_ge.reshape(ny, nx), n_le.reshape(ny, nx)


def _two_sided(n_ge: NDArray[np.int32], n_le: NDArray[np.int32], permutations: int) -> NDArray[np.float64]:
    tail = np.minimum(n_ge, n_le).astype(np.float64)
    return np.minimum(1.0, 2.0 * (tail + 1.0) / (permutations + 1.0))


def _directed(n_ge: NDArray[np.int32], permutations: int) -> NDArray[np.float64]:
    larger = np.minimum(n_ge, permutations - n_ge).astype(np.float64)
    return (larger + 1.0) / (permutations + 1.0)


def _normal_two_sided(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(2.0 * special.ndtr(-np.abs(z)), dtype=np.float64)


def benjamini_hochberg(p: ArrayLike) -> NDArray[np.float64]:
    """Benjamini–Hochberg adjusted p-values (q-values), same shape as `p`.

    q_(i) = min over j ≥ i of m·p_(j)/j, capped at 1, with m the number of non-NaN p-values;
    NaN stays NaN and does not count in m. Rejecting every q ≤ α controls the false discovery rate
    at α (for independent or positively dependent tests).
    """
    values = np.asarray(p, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    flat = values.ravel()
    finite = ~np.isnan(flat)
    present = flat[finite]
    if present.size == 0:
        return out
    if (present < 0).any() or (present > 1).any():
        raise ValueError("p-values must lie between 0 and 1")
    order = np.argsort(present, kind="stable")
    m = present.size
    scaled = present[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    q = np.empty(m)
    q[order] = adjusted
    out_flat = out.ravel()
    out_flat[finite] = q
    return out_flat.reshape(values.shape)


def _significance_level(p: NDArray[np.float64], alpha: float) -> NDArray[np.int8]:
    """3/2/1 where p ≤ 0.01/0.05/0.10 (and p ≤ alpha), else 0; NaN counts as not significant."""
    if not 0.0 < alpha <= 1.0:
        raise ValueError("alpha must lie in (0, 1]")
    level = np.zeros(p.shape, dtype=np.int8)
    for threshold, value in _LEVELS[::-1]:
        level[p <= threshold] = value
    level[~(p <= alpha)] = 0
    return level


# --------------------------------------------------------------------------------------------
# What both statistics report about each cell's significance


@dataclass(frozen=True)
class _CellInference:
    """The p-values and permutation counts of a grid statistic, shared by `GiStarResult` and
    `LocalMoranResult`. Every array has the grid's `(ny, nx)` shape.

    `p_norm`: two-sided normal p of the analytic z; `p_sim`: two-sided permutation p;
    `p_sim_directed`: esda's directed p; `q` and `q_norm`: Benjamini–Hochberg adjusted `p_sim`
    and `p_norm`; `n_ge`/`n_le`: permutations whose statistic was ≥/≤ the observed one. Without
    permutations the `*_sim`, `q` and counts are NaN/-1.
    """

    p_norm: NDArray[np.float64]
    p_sim: NDArray[np.float64]
    p_sim_directed: NDArray[np.float64]
    q: NDArray[np.float64]
    q_norm: NDArray[np.float64]
    n_ge: NDArray[np.int32]
    n_le: NDArray[np.int32]
    permutations: int
    seed: int
    radius: int

    @classmethod
    def _infer(
        cls,
        p_norm: NDArray[np.float64],
        ranks: tuple[NDArray[np.int32], NDArray[np.int32]] | None,
        *,
        permutations: int,
        seed: int,
        radius: int,
        **statistic: NDArray[Any],
    ) -> Self:
        """The result from the analytic p-values, the permutation counts `(n_ge, n_le)` of the
        statistic (None when no permutation was run) and the statistic's own arrays."""
        if ranks is None:
            n_ge = n_le = np.full(p_norm.shape, -1, dtype=np.int32)
            p_sim = p_directed = np.full(p_norm.shape, np.nan)
        else:
            n_ge, n_le = ranks
            p_sim = _two_sided(n_ge, n_le, permutations)
            p_directed = _directed(n_ge, permutations)
        return cls(
            p_norm=p_norm,
            p_sim=p_sim,
            p_sim_directed=p_directed,
            q=benjamini_hochberg(p_sim),
            q_norm=benjamini_hochberg(p_norm),
            n_ge=n_ge,
            n_le=n_le,
            permutations=int(permutations),
            seed=int(seed),
            radius=int(radius),
            **statistic,
        )

    def _p_values(self, fdr: bool, p: PValueSource) -> NDArray[np.float64]:
        """The p-values `classes` reads: permutation (`"sim"`) or analytic (`"norm"`), the
        Benjamini–Hochberg q-values with `fdr`."""
        if p == "sim":
            if self.permutations == 0:
                raise ValueError("no permutations were run: use p='norm'")
            return self.q if fdr else self.p_sim
        if p == "norm":
            return self.q_norm if fdr else self.p_norm
        raise ValueError("p must be 'sim' or 'norm'")


def _constant_counts(prepared: _Prepared, finding: str) -> None:
    if prepared.sd == 0.0:
        raise ValueError(f"all cells have the same count: there is no {finding} to find")


# --------------------------------------------------------------------------------------------
# Getis–Ord Gi*


@dataclass(frozen=True)
class GiStarResult(_CellInference):
    """Getis–Ord Gi* per cell, `(ny, nx)`: `z`, the analytic z (NaN where the window covers the
    whole grid), with the p-values and counts of `_CellInference`."""

    z: NDArray[np.float64]

    def classes(self, alpha: float = 0.10, *, fdr: bool = True, p: PValueSource = "norm") -> NDArray[np.int8]:
        """ArcGIS-style Gi bins, int8 `(ny, nx)`: +3/+2/+1 hot spot at 99/95/90 % confidence,
        −3/−2/−1 cold spot, 0 not significant.

        `p="norm"` (the default, ArcGIS's Gi_Bin) uses the analytic z; `p="sim"` the permutation
        p-values, the direction then coming from the tail the observed value lies in. With `fdr`
        the Benjamini–Hochberg q-values replace the p-values, so each level controls the false
        discovery rate. Cells whose (adjusted) p exceeds `alpha` are 0 (with the default 0.10 all
        three levels show). Mind the resolution of permutation p-values under FDR: the smallest
        is 2/(P + 1), and over m cells BH needs about m·2/((P + 1)·α) cells that small before any
        of them reaches q ≤ α, so a small hot spot on a large grid needs many permutations.
        """
        level = _significance_level(self._p_values(fdr, p), alpha)
        hot = self.n_ge <= self.n_le if p == "sim" else self.z > 0
        return np.where(hot, level, -level).astype(np.int8)


def gi_star(
    counts: ArrayLike,
    *,
    permutations: int = 999,
    seed: int = 0,
    radius: int = 1,
    progress: Progress | None = None,
) -> GiStarResult:
    """Getis–Ord Gi* of a `(ny, nx)` grid of counts (or weights), binary weights over the
    `(2·radius + 1)²` window including the cell, with per-cell conditional randomisation.

    `permutations=0` skips the randomisation (analytic z only). Reproducible for a given `seed`,
    whatever the number of threads. `progress`, if given, is called with the fraction done.
    Raises ValueError for grids of fewer than three cells, non-finite or constant counts.
    """
    prepared = _prepare(counts, radius, permutations)
    _constant_counts(prepared, "hot or cold spot")
    n = prepared.counts.size
    w = prepared.window_size.astype(np.float64)
    s = prepared.window_sum.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (s - prepared.mean * w) / (prepared.sd * np.sqrt((n * w - w * w) / (n - 1)))
    z[prepared.window_size >= n] = np.nan
    p_norm = _normal_two_sided(z)
    ranks = None
    if permutations:
        ranks = _neighbour_sum_ranks(prepared, int(radius), int(permutations), seed, progress)
    return GiStarResult._infer(p_norm, ranks, permutations=permutations, seed=seed, radius=radius, z=z)


# --------------------------------------------------------------------------------------------
# Local Moran's I

#: Quadrant codes, as esda's `Moran_Local.q` (PySAL scheme).
HH, LH, LL, HL = 1, 2, 3, 4
QUADRANT_NAMES = {HH: "HH", LH: "LH", LL: "LL", HL: "HL"}


@dataclass(frozen=True)
class LocalMoranResult(_CellInference):
    """Local Moran's I per cell (row-standardised window weights, the cell excluded), `(ny, nx)`.

    `I`: the statistic, (n − 1)·z_i·lag_i / Σz² as esda; `z`: (I − E[I]) / sd(I) under
    conditional randomisation (exact moments; NaN where undefined); `quadrant`: 1 HH, 2 LH,
    3 LL, 4 HL (esda's `q`); p-values and counts as in `_CellInference`.
    """

    I: NDArray[np.float64]  # noqa: E741 -- the statistic's conventional name
    z: NDArray[np.float64]
    quadrant: NDArray[np.int8]

    def classes(self, alpha: float = 0.05, *, fdr: bool = True, p: PValueSource = "norm") -> NDArray[np.int8]:
        """Cluster and outlier types, int8 `(ny, nx)`: the quadrant code (1 HH, 2 LH, 3 LL, 4 HL)
        where the (FDR-adjusted with `fdr`) p-value is ≤ `alpha`, else 0. `p` chooses the analytic
        z (default) or the permutation p-values, as in `GiStarResult.classes`, with the same
        caution about the resolution of permutation p-values under FDR."""
        if not 0.0 < alpha <= 1.0:
            raise ValueError("alpha must lie in (0, 1]")
        return np.where(self._p_values(fdr, p) <= alpha, self.quadrant, 0).astype(np.int8)


def local_moran(
    counts: ArrayLike,
    *,
    permutations: int = 999,
    seed: int = 0,
    radius: int = 1,
    progress: Progress | None = None,
) -> LocalMoranResult:
    """Local Moran's I of a `(ny, nx)` grid of counts, row-standardised weights over the
    `(2·radius + 1)²` window without the cell itself, with per-cell conditional randomisation
    (esda's `Moran_Local(y, lat2W(ny, nx, rook=False))` for `radius=1`).

    Reproducible for a given `seed`, whatever the number of threads. Raises ValueError for grids of
    fewer than three cells, non-finite or constant counts.
    """
    prepared = _prepare(counts, radius, permutations)
    _constant_counts(prepared, "cluster or outlier")
    x = prepared.counts
    n = x.size
    z = (x - prepared.mean) / prepared.sd
    k = (prepared.window_size - 1).astype(np.float64)
    lag = (_window_sums(z, int(radius)) - z) / k
    sum_sq = float((z * z).sum())
    moran = (n - 1) * z * lag / sum_sq
    # Exact moments of I_i when the k neighbours are drawn without replacement from the n − 1
    # other cells: the lag is the mean of the draws, whose population has mean μ and variance σ².
    others_mean = (z.sum() - z) / (n - 1)
    others_var = (sum_sq - z * z) / (n - 1) - others_mean**2
    with np.errstate(invalid="ignore", divide="ignore"):
        lag_var = others_var / k * (n - 1 - k) / (n - 2)
        z_moran = np.sign(z) * (lag - others_mean) / np.sqrt(lag_var)
    z_moran[~(lag_var > 1e-300) | (z == 0.0)] = np.nan
    quadrant = np.where(z > 0, np.where(lag > 0, HH, HL), np.where(lag > 0, LH, LL)).astype(np.int8)
    ranks = None
    if permutations:
        s_ge, s_le = _neighbour_sum_ranks(prepared, int(radius), int(permutations), seed, progress)
        # I is increasing in the neighbour sum when z_i > 0 and decreasing when z_i < 0; when
        # z_i = 0 every permutation gives I = 0, a tie.
        ranks = (
            np.where(z > 0, s_ge, np.where(z < 0, s_le, permutations)).astype(np.int32),
            np.where(z > 0, s_le, np.where(z < 0, s_ge, permutations)).astype(np.int32),
        )
    return LocalMoranResult._infer(
        _normal_two_sided(z_moran),
        ranks,
        permutations=permutations,
        seed=seed,
        radius=radius,
        I=moran,
        z=z_moran,
        quadrant=quadrant,
    )
