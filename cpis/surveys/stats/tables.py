"""The survey estimates of `estimates.py`, for a whole wave at once: every item, place
and group from additive sums, so that a wave of 100,000 responses is a few hundred
`np.bincount` calls rather than a loop over cells.

A weighted share or mean and its linearised variance need only six sums per cell —
n, Σw, Σw², Σwy, Σw²y and Σw²y² (the spread of the answers a seventh, Σwy²) — and sums
add up the place tree: a station's are its sectors', a region's its stations'. When
everyone in a cell weighs the same (a wave's weights depend only on sector, community,
gender and age band), the unweighted answers, Σy and Σy² of the cell are enough
(`answer_sums`, then `weighted_sums`); `cell_sums` takes them for any weights,
`estimates_from_sums`
turns any such table into the figures `estimates.proportion` and `estimates.mean` give
one cell at a time (the tests hold them equal), and `rake_codes` is `estimates.rake`
with the margins as integer codes, one bincount per margin and round instead of one
mask per category.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .estimates import Z95

Array = NDArray[np.float64]

# The sums, in this order on the last axis of a sums table; Σwy² gives the spread of
# the answers themselves (`spread`), which the small-area model of a mean pools.
N, SW, SW2, SWY, SW2Y, SW2Y2, SWY2 = range(7)
SUMS = 7


def rake_codes(
    margins: list[tuple[NDArray[np.int64], Array]],
    weights: Array,
    *,
    tolerance: float = 1e-8,
    iterations: int = 200,
) -> Array:
    """Iterative proportional fitting: scale `weights` so that, for each margin
    (codes 0..k−1 per respondent, target totals of length k), the weighted total of
    every code equals its target. A code with a target but no respondent is left
    alone (its target cannot be met; the other codes still are). Raises ValueError
    when the margins do not converge (they contradict each other)."""
    w = np.asarray(weights, dtype=float).copy()
    for _round in range(iterations):
        for codes, targets in margins:
            totals = np.bincount(codes, weights=w, minlength=len(targets))
            factor = np.divide(targets, totals, out=np.ones_like(targets), where=totals > 0)
            w *= factor[codes]
        worst = 0.0
        for codes, targets in margins:
            totals = np.bincount(codes, weights=w, minlength=len(targets))
            met = (targets > 0) & (totals > 0)
            if np.any(met):
                worst = max(worst, float(np.max(np.abs(totals[met] - targets[met]) / targets[met])))
        if worst <= tolerance:
            return w
    raise ValueError("raking did not converge")


# Per cell and item, before weighting: answers, Σy and Σy² (`answer_sums`).
ANSWERS, SY, SY2 = range(3)


def answer_terms(values: Array) -> Array:
    """What each respondent adds to each unweighted sum of each item (respondents ×
    items × 3): 1, y and y² where they answered the item, 0 where not (`values`
    holds NaN there)."""
    answered = ~np.isnan(values)
    y = np.where(answered, values, 0.0)
    return np.stack([answered.astype(float), y, y * y], axis=-1)


def answer_sums(cell: NDArray[np.int64], cells: int, values: Array) -> Array:
    """The unweighted sums (answers, Σy, Σy²) per cell (0..cells−1) and item: cells ×
    items × 3. With everyone in a cell weighing the same, they are all a cell needs
    (`weighted_sums`)."""
    return sums_by_cell(cell, cells, answer_terms(values))


def weighted_sums(unweighted: Array, weights: Array) -> Array:
    """The SUMS of every cell and item from its unweighted sums (… × items × 3, as
    `answer_sums` or `answer_terms` give) and the weight of each of its respondents
    (one per cell): Σw = w·n, Σw²y = w²·Σy, and so on."""
    n, sy, sy2 = unweighted[..., ANSWERS], unweighted[..., SY], unweighted[..., SY2]
    w = weights[:, None]
    w2 = w * w
    sums = np.empty((*n.shape, SUMS))
    sums[..., N] = n
    sums[..., SW] = w * n
    sums[..., SW2] = w2 * n
    sums[..., SWY] = w * sy
    sums[..., SW2Y] = w2 * sy
    sums[..., SW2Y2] = w2 * sy2
    sums[..., SWY2] = w * sy2
    return sums


def sums_by_cell(cell: NDArray[np.int64], cells: int, terms: Array) -> Array:
    """`terms` (rows × items × k: respondents' terms, or smaller cells' sums) added
    up per cell (0..cells−1) by one sparse product. Returns cells × items × k."""
    from scipy.sparse import csr_matrix

    rows = terms.shape[0]
    members = csr_matrix((np.ones(rows), (cell, np.arange(rows))), shape=(cells, rows))
    flat = terms.reshape(rows, terms.shape[1] * terms.shape[2])  # no -1: a wave may have no one
    return np.asarray(members @ flat).reshape(cells, *terms.shape[1:])


def cell_sums(cell: NDArray[np.int64], cells: int, weights: Array, values: Array) -> Array:
    """The SUMS per cell (0..cells−1) and item, whatever each respondent weighs:
    `values` is respondents × items with NaN where a respondent did not answer the
    item. Returns cells × items × SUMS."""
    return sums_by_cell(cell, cells, weighted_sums(answer_terms(values), weights))


@dataclass(frozen=True)
class Figures:
    """Estimates for a table of cells (any shape): the estimate, its 95 % interval,
    the number of answers, Kish's effective n, and the variance of the estimate
    (the interval's, for a share the Wilson interval's implied one is not used)."""

    estimate: Array
    low: Array
    high: Array
    n: Array
    n_effective: Array
    variance: Array


def estimates_from_sums(sums: Array, proportion: NDArray[np.bool_], z: float = Z95) -> Figures:
    """Figures for every cell of a sums table (… × items × 6). `proportion` says,
    per item, whether it is a share (Wilson interval at n_eff) or a mean (t
    interval on n_eff − 1 degrees of freedom, linearised variance). Cells with no
    answer give NaN."""
    from scipy.special import stdtrit

    n, sw, sw2 = sums[..., N], sums[..., SW], sums[..., SW2]
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = sums[..., SWY] / sw
        n_eff = np.where(sw2 > 0, sw * sw / sw2, 0.0)
        # Σw²(y − ȳ)² expanded into the additive sums.
        spread = sums[..., SW2Y2] - 2 * centre * sums[..., SW2Y] + centre * centre * sw2
        variance = np.where(n > 1, np.maximum(spread, 0.0) / (sw * sw) * n / (n - 1), np.nan)
        share = np.broadcast_to(np.asarray(proportion, dtype=bool), centre.shape[-1:])
        low, high = np.full_like(centre, np.nan), np.full_like(centre, np.nan)
        # Wilson at the effective n, for shares.
        p, m = np.clip(centre[..., share], 0.0, 1.0), n_eff[..., share]
        denominator = 1 + z * z / m
        middle = (p + z * z / (2 * m)) / denominator
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denominator
        low[..., share] = np.maximum(0.0, middle - half)
        high[..., share] = np.minimum(1.0, middle + half)
        # t on n_eff − 1 degrees of freedom, for means (the inverse t only where needed:
        # it is the dearest step).
        mean = ~share
        m = n_eff[..., mean]
        t = stdtrit(np.where(m > 1, m - 1, np.nan), _cdf(z))
        t_half = np.where((n[..., mean] > 1) & (m > 1), t * np.sqrt(variance[..., mean]), np.nan)
        low[..., mean] = centre[..., mean] - t_half
        high[..., mean] = centre[..., mean] + t_half
    empty = n == 0
    return Figures(
        estimate=np.where(empty, np.nan, centre),
        low=np.where(empty, np.nan, low),
        high=np.where(empty, np.nan, high),
        n=n,
        n_effective=n_eff,
        variance=np.where(empty, np.nan, variance),
    )


def spread(sums: Array) -> Array:
    """The (weighted) variance of the answers themselves per cell,
    Σw(y − ȳ)² / Σw · n/(n − 1) — `estimates.unit_variance` from the sums; NaN with
    fewer than two answers."""
    n, sw = sums[..., N], sums[..., SW]
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = sums[..., SWY] / sw
        raw = np.maximum(sums[..., SWY2] / sw - centre * centre, 0.0)
        return np.where(n > 1, raw * n / (n - 1), np.nan)


def _cdf(z: float) -> float:
    """Φ(z): the confidence level `z` stands for (0.975 for 1.96)."""
    from scipy.special import ndtr

    return float(ndtr(z))
