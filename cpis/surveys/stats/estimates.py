"""Estimates from survey responses with honest uncertainty (issue #14, item 4):
the share answering yes (or agreeing) with a Wilson score interval, a mean with a
t interval, both at the effective sample size after weighting; weights by
post-stratification and by raking; the change between two waves or the gap between
two groups with Newcombe's hybrid score interval. Sectors with few responses get a
model-based estimate beside these direct ones: `small_area`.

Every function works on plain numbers and arrays. Formulas and their sources:

* Wilson (1927) score interval for k of n at z (1.96 for 95 %):
  centre (p̂ + z²/2n) / (1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
  Newcombe (1998a), *Statistics in Medicine* 17:857–872, Table I, method 3, gives the
  published values the tests check (81/263 → 0.2553–0.3662, 0/20 → 0–0.1611).
* With weights the proportion is Σw·y / Σw and the interval is Wilson's at Kish's
  effective sample size n_eff = (Σw)² / Σw² (the design-effect adjustment of Korn and
  Graubard 1998 without their degrees-of-freedom correction). Its variance is thus
  p̂(1 − p̂)·Σw²/(Σw)², where the linearised one (`linearised_variance`, samplics'
  TaylorEstimator) is Σw²(y − p̂)²/(Σw)² · n/(n − 1): the two agree when the answers
  do not depend on the weights (exactly, apart from n/(n − 1), with equal weights);
  Kish's does not vanish when every answer is the same, which Wilson's interval needs.
* A weighted mean's variance by linearisation, Σ wᵢ²(yᵢ − ȳ)² / (Σw)² · n/(n−1)
  (equal to samplics' TaylorEstimator, which the tests check), and a t interval with
  n_eff − 1 degrees of freedom (samplics and Stata use n − 1: fewer here, since
  unequal weights make the variance estimate less stable).
* Post-stratification: each respondent in cell h gets N_h / n_h. Raking (Deming and
  Stephan 1940, iterative proportional fitting) adjusts weights to several margins at
  once, optionally trimming them to a ratio of the mean. Both give samplics'
  SampleWeight weights (the tests check).
* Difference of two independent proportions: Newcombe (1998b), *Statistics in Medicine*
  17:873–890, method 10 (the hybrid of the two Wilson intervals): 56/70 − 48/80 →
  0.0524–0.3339.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A figure with its interval, the responses it rests on and, after weighting,
    their effective number."""

    estimate: float
    low: float
    high: float
    n: int
    n_effective: float


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for `k` successes in `n` (k and n may be effective,
    non-integer counts). (0, 1) when n is 0: nothing is known."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def effective_n(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw²."""
    w = np.asarray(weights, dtype=float)
    square = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / square if square > 0 else 0.0


def proportion(answers: ArrayLike, weights: ArrayLike | None = None, z: float = Z95) -> Estimate:
    """The (weighted) share of true answers, with Wilson's interval at the effective n."""
    y = np.asarray(answers, dtype=bool)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    if len(y) == 0 or float(np.sum(w)) <= 0:
        return Estimate(math.nan, 0.0, 1.0, len(y), 0.0)
    share = float(np.sum(w * y) / np.sum(w))
    n_eff = effective_n(w)
    low, high = wilson(share * n_eff, n_eff, z)
    return Estimate(share, low, high, len(y), n_eff)


def _deviations(values: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Each answer's deviation from the (weighted) mean, the weights (1 each when
    none are given) and their total; None with fewer than two answers or no weight."""
    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    total = float(np.sum(w))
    if len(y) < 2 or total <= 0:
        return None
    return y - float(np.sum(w * y)) / total, w, total


def unit_variance(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """The (weighted) variance of the answers themselves, Σw(y − ȳ)² / Σw · n/(n − 1)
    (s² when the weights are equal); NaN with fewer than two answers. What
    `small_area.mean_variance` pools across a station's sectors."""
    found = _deviations(values, weights)
    if found is None:
        return math.nan
    deviations, w, total = found
    n = len(deviations)
    return float(np.sum(w * deviations**2)) / total * n / (n - 1)


def linearised_variance(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """The variance of a (weighted) mean or share by Taylor linearisation, for
    respondents drawn with replacement and no strata or clusters:
    Σ wᵢ²(yᵢ − ȳ)² / (Σw)² · n/(n − 1). It equals samplics' TaylorEstimator (mean or
    proportion, no stratum, no PSU) and Stata's `svy: mean` with pweights only; for
    equal weights it is s²/n. NaN with fewer than two answers."""
    found = _deviations(values, weights)
    if found is None:
        return math.nan
    deviations, w, total = found
    n = len(deviations)
    return float(np.sum(w * w * deviations**2)) / total**2 * n / (n - 1)


def mean(values: ArrayLike, weights: ArrayLike | None = None, confidence: float = 0.95) -> Estimate:
    """The (weighted) mean with a t interval: its linearised variance
    (`linearised_variance`) on n_eff − 1 degrees of freedom."""
    from scipy.special import stdtrit  # the t quantile without scipy.stats' import time

    y = np.asarray(values, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    n = len(y)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0, 0.0)
    centre = float(np.sum(w * y) / np.sum(w))
    n_eff = effective_n(w)
    if n < 2 or n_eff <= 1:
        return Estimate(centre, math.nan, math.nan, n, n_eff)
    t = float(stdtrit(n_eff - 1, 0.5 + confidence / 2))
    half = t * math.sqrt(linearised_variance(y, w))
    return Estimate(centre, centre - half, centre + half, n, n_eff)


def poststratify(cells: ArrayLike, population: dict[int, float]) -> NDArray[np.float64]:
    """Weights N_h / n_h for each respondent of cell h (codes as ints). A respondent
    in a cell with no population figure, or a population cell with no respondent,
    raises ValueError naming it: collapse cells before weighting."""
    codes = np.asarray(cells, dtype=np.int64)
    present, counts = np.unique(codes, return_counts=True)
    missing = [int(c) for c in present if int(c) not in population]
    if missing:
        raise ValueError(f"no population for cells {missing}")
    empty = [c for c, size in population.items() if size > 0 and c not in set(present.tolist())]
    if empty:
        raise ValueError(f"no respondent in cells {sorted(empty)}")
    factor = {int(c): population[int(c)] / int(k) for c, k in zip(present, counts, strict=True)}
    return np.array([factor[int(c)] for c in codes], dtype=float)


def rake(
    margins: list[tuple[ArrayLike, dict[int, float]]],
    weights: ArrayLike | None = None,
    *,
    tolerance: float = 1e-8,
    iterations: int = 200,
    trim: float | None = None,
) -> NDArray[np.float64]:
    """Raking (iterative proportional fitting): start from `weights` (1 each when
    None) and scale them in turn so that each margin's weighted totals equal its
    targets (codes → total), until no total is off by more than `tolerance`
    (relative). `trim` bounds the weights to [mean/trim, mean·trim] after each round.
    ValueError when a margin names a code with no respondent or does not converge."""
    codes = [np.asarray(c, dtype=np.int64) for c, _t in margins]
    n = len(codes[0])
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).copy()
    for code, (_c, targets) in zip(codes, margins, strict=True):
        absent = [k for k, v in targets.items() if v > 0 and not np.any(code == k)]
        if absent:
            raise ValueError(f"no respondent in margin cells {sorted(absent)}")
    for _round in range(iterations):
        worst = 0.0
        for code, (_c, targets) in zip(codes, margins, strict=True):
            for k, target in targets.items():
                mine = code == k
                current = float(np.sum(w[mine]))
                if current > 0:
                    w[mine] *= target / current
        if trim is not None:
            average = float(np.mean(w))
            w = np.clip(w, average / trim, average * trim)
        for code, (_c, targets) in zip(codes, margins, strict=True):
            for k, target in targets.items():
                if target > 0:
                    worst = max(worst, abs(float(np.sum(w[code == k])) - target) / target)
        if worst <= tolerance:
            return w
    if trim is not None:
        return w  # trimmed weights need not meet every margin exactly
    raise ValueError("raking did not converge")


def difference(k1: float, n1: float, k2: float, n2: float, z: float = Z95) -> Estimate:
    """p₁ − p₂ with Newcombe's hybrid score interval (method 10): for a change between
    two waves, or the gap between two groups, of independent samples."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Estimate(d, low, high, int(n1 + n2), n1 + n2)
