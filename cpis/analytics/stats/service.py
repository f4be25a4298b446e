"""Service statistics on durations with right censoring (plain NumPy/SciPy, no Django).

A concern still open when the figures are made has no closure time yet: dropping it
would make the service look faster than it is (the slowest concerns are the ones
still open), counting its waiting time as if it had closed would make it look
faster too. Its waiting time so far is a *right-censored* duration, and the
Kaplan–Meier product-limit estimate (`scipy.stats.ecdf` of `CensoredData`) uses it
for what it says: the concern took at least that long. Quantiles are read from the
estimated distribution function as the smallest time at which it reaches q; when
the estimate never reaches q (too many still open), the quantile is unknown (None),
not guessed.

Shares carry Wilson's score interval; the difference of two shares Newcombe's hybrid
score interval (his method 10), which keeps its coverage near 95 % for small counts
and shares near 0 or 1, where the Wald interval does not. Two samples of censored
durations are compared with the log-rank test (`scipy.stats.logrank`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054
QUANTILES = (0.25, 0.5, 0.75, 0.9)
EPSILON = 1e-9


@dataclass(frozen=True)
class Durations:
    """Kaplan–Meier summary of durations: `n` in all, `events` observed (closed),
    `censored` still running; the quantiles (None when not reached); the
    distribution function at `edges`; counts of observed durations between the
    edges (the last bin open-ended)."""

    n: int
    events: int
    censored: int
    q25: float | None
    median: float | None
    q75: float | None
    p90: float | None
    edges: tuple[float, ...]
    cdf: tuple[float | None, ...]
    histogram: tuple[int, ...]


def _cdf_steps(durations: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The times at which the Kaplan–Meier distribution function steps, and its values there."""
    from scipy import stats

    if not observed.any():
        return np.empty(0), np.empty(0)
    if observed.all():
        data = stats.CensoredData(uncensored=durations)
    else:
        data = stats.CensoredData(uncensored=durations[observed], right=durations[~observed])
    cdf = stats.ecdf(data).cdf
    return np.asarray(cdf.quantiles, dtype=float), np.asarray(cdf.probabilities, dtype=float)


def quantile_from_steps(times: np.ndarray, values: np.ndarray, q: float) -> float | None:
    reached = np.nonzero(values >= q - EPSILON)[0]
    return float(times[reached[0]]) if len(reached) else None


def summarise(
    durations: Sequence[float] | np.ndarray,
    observed: Sequence[bool] | np.ndarray,
    edges: Sequence[float],
) -> Durations:
    """The Kaplan–Meier quartiles, 90th percentile, distribution function at
    `edges` and histogram of the observed durations (`observed` False: censored)."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    times, values = _cdf_steps(durations, observed)
    q25, median, q75, p90 = (quantile_from_steps(times, values, q) for q in QUANTILES)
    cdf: list[float | None] = []
    if len(durations):
        last_seen = float(durations.max())
        for edge in edges:
            # Past the longest duration seen the estimate says nothing (all censored there).
            if edge > last_seen and not observed[durations == last_seen].all():
                cdf.append(None)
                continue
            at = np.searchsorted(times, edge, side="right")
            cdf.append(float(values[at - 1]) if at else 0.0)
    else:
        cdf = [None for _ in edges]
    bins = np.searchsorted(np.asarray(edges, dtype=float), durations[observed], side="right") - 1
    histogram = np.bincount(np.clip(bins, 0, len(edges) - 1), minlength=len(edges))
    return Durations(
        n=len(durations),
        events=int(observed.sum()),
        censored=int((~observed).sum()),
        q25=q25,
        median=median,
        q75=q75,
        p90=p90,
        edges=tuple(float(e) for e in edges),
        cdf=tuple(cdf),
        histogram=tuple(int(c) for c in histogram),
    )


def logrank_p(
    durations_a: np.ndarray, observed_a: np.ndarray, durations_b: np.ndarray, observed_b: np.ndarray
) -> float | None:
    """The two-sided log-rank p-value of "the two samples' durations have the same
    distribution"; None when either sample has no observed duration."""
    from scipy import stats

    observed_a, observed_b = np.asarray(observed_a, dtype=bool), np.asarray(observed_b, dtype=bool)
    if not observed_a.any() or not observed_b.any():
        return None

    def data(d: np.ndarray, o: np.ndarray) -> stats.CensoredData:
        return stats.CensoredData(uncensored=d[o], right=d[~o])

    result = stats.logrank(x=data(durations_a, observed_a), y=data(durations_b, observed_b))
    p = float(result.pvalue)
    return p if math.isfinite(p) else None


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson's score interval of the share k/n; None when n is 0."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float] | None:
    """The difference p1 − p2 of two independent shares with Newcombe's hybrid
    score interval (method 10); None when either n is 0."""
    first, second = wilson(k1, n1, z), wilson(k2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = k1 / n1, k2 / n2
    (l1, u1), (l2, u2) = first, second
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, low, high
