"""Prospective space-time permutation scan statistic (Kulldorff et al. 2005, "A space–time
permutation scan statistic for disease outbreak detection", PLoS Med 2(3):e59), the
method SaTScan runs for daily "emerging cluster" alerts.

Events are counted per location z and day d over the study period (the `study_days` days
ending on `end_day`): c_zd, with totals C_z, C_d and C. Without space-time interaction
the expected count of a cylinder A is μ_A = Σ_(z,d)∈A C_z·C_d / C. A cylinder is a circle
(a location and every location within some radius of it) × a time window ending on
`end_day` (prospective: only clusters still going on count). Its Poisson generalised
likelihood ratio is

    LLR = c ln(c/μ) + (C − c) ln((C − c)/(C − μ))   when c > μ, else 0,

and the scan statistic is the largest LLR over all cylinders. Its null distribution comes
from Monte Carlo replicates that shuffle the days over the events, which keeps every C_z
and C_d; p = (1 + #replicates with max LLR ≥ observed) / (R + 1).

Cylinders, as in SaTScan:
* centres: every location; circles grow through the centre's neighbours by distance, and a
  circle holds every location at its radius or nearer (distances are rounded to the
  micrometre, so grid cells at equal distance enter together), up to `max_radius` and to
  `max_spatial_fraction` of the study period's cases;
* windows: the last 1 … `max_window_days` days (at most half the study period);
* secondary clusters: each centre's best cylinder, in decreasing LLR, kept when it shares
  no location with a cluster already kept ("no geographical overlap"); their p-values come
  from the same replicate distribution of the maximum (conservative, as in SaTScan).

Cost: only the counts change between replicates, so the neighbour lists, circle totals
and window totals are built once. A replicate redraws only the locations of the events
that fall in the longest window (a partial Fisher–Yates shuffle), builds per-location
cumulative window counts, and walks each centre's neighbour list adding one row per
neighbour: O(L·K·W) with L locations, K neighbours within the radius and W windows, and a
logarithm only for cylinders with c > μ and c ≥ `min_cases`. Replicates run in chunks on
numba's number of threads (the kernel releases the GIL), each replicate with its own
counter-based random stream, so results do not depend on the number of threads.

Checked against SaTScan's own sample data (the New York City fever example that SaTScan and
the rsatscan R package ship): with SaTScan's settings the most likely cluster is SaTScan's —
the same nine ZIP codes, radius 2.90 km, 2001/11/22–24, 4 cases against 0.67 expected, test
statistic 3.845418 (`tests/test_scan_satscan.py`, docs/analysis-library.md).

References:
* M. Kulldorff, R. Heffernan, J. Hartman, R. Assunção, F. Mostashari (2005), "A space–time
  permutation scan statistic for disease outbreak detection", PLoS Medicine 2(3): e59.
* M. Kulldorff (2001), "Prospective time periodic geographical disease surveillance using a
  scan statistic", J. Royal Statistical Society A 164: 61–72 (prospective windows, recurrence).
* M. Kulldorff, SaTScan User Guide (www.satscan.org), "Space-Time Permutation Model".
* T. Cheng, M. Adepeju (2014), "Modifiable temporal unit problem (MTUP) and its effect on
  space-time cluster detection", PLoS ONE 9(6): e100465 (the scan on crime data).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from cpis.analytics.stats.replicates import GOLDEN, in_batches, mix64

__all__ = ["ScanCluster", "ScanResult", "replicate_events", "space_time_permutation_scan"]

_MASK64 = (1 << 64) - 1
_EULER_GAMMA = 0.5772156649015329


@dataclass(frozen=True)
class ScanCluster:
    """One space-time cluster: the circle around location `centre` holding `locations`
    (indices, nearest first) out to `radius`, over days `start_day … end_day` (inclusive day
    numbers), with `observed` events against `expected`.

    `recurrence_days` is SaTScan's recurrence interval for a prospective analysis repeated
    every `runs_every_days` days: `runs_every_days / p_value`, the time one would wait on
    average for a cluster this strong by chance (one in 1/p analyses). With R replicates
    p ≥ 1/(R + 1), so the interval tops out at (R + 1) runs; `gumbel_p_value` fits a Gumbel
    distribution to the replicate maxima (SaTScan's option) and ranks clusters beyond that.
    """

    centre: int
    locations: NDArray[np.int64]
    radius: float
    start_day: int
    end_day: int
    observed: int
    expected: float
    llr: float
    p_value: float
    gumbel_p_value: float
    recurrence_days: float

    @property
    def days(self) -> int:
        """Length of the cluster's time window in days (start and end day included)."""
        return self.end_day - self.start_day + 1

    @property
    def observed_over_expected(self) -> float:
        """Observed / expected events, SaTScan's "Observed / expected"."""
        return self.observed / self.expected

    def to_dict(self) -> dict[str, object]:
        """The cluster as plain JSON-ready values (locations as a list of indices)."""
        return {
            "centre": self.centre,
            "locations": self.locations.tolist(),
            "radius": self.radius,
            "start_day": self.start_day,
            "end_day": self.end_day,
            "observed": self.observed,
            "expected": self.expected,
            "observed_over_expected": self.observed_over_expected,
            "llr": self.llr,
            "p_value": self.p_value,
            "gumbel_p_value": self.gumbel_p_value,
            "recurrence_days": self.recurrence_days,
        }


@dataclass(frozen=True)
class ScanResult:
    """Clusters, most likely first; the study period's case total; and the maximum LLR of
    each Monte Carlo replicate (its null distribution)."""

    clusters: tuple[ScanCluster, ...]
    total_cases: int
    start_day: int
    end_day: int
    replicate_max_llr: NDArray[np.float64] = field(repr=False)

    def to_dict(self) -> dict[str, object]:
        """The result as plain JSON-ready values (the replicate maxima counted, not listed)."""
        return {
            "clusters": [cluster.to_dict() for cluster in self.clusters],
            "total_cases": self.total_cases,
            "start_day": self.start_day,
            "end_day": self.end_day,
            "replicates": len(self.replicate_max_llr),
        }


# ---------------------------------------------------------------------------------------
# Random streams: SplitMix64 seeded from (seed, replicate), so each replicate draws the
# same numbers whichever thread runs it.

_TWO_TO_MINUS_53 = 1.0 / 9007199254740992.0


@numba.njit(cache=True)
def _shuffle_prefix(values: NDArray[np.int64], m: int, seed: np.uint64, replicate: np.uint64) -> None:
    """Fisher–Yates steps 0 … m−1 on `values` in place: afterwards values[:m] is a uniform
    random draw without replacement, in random order, and equals the first m entries of
    the full shuffle with the same (seed, replicate)."""
    n = values.shape[0]
    state = mix64(seed ^ mix64(replicate + GOLDEN))
    for i in range(min(m, n - 1)):
        state += GOLDEN
        uniform = np.float64(mix64(state) >> np.uint64(11)) * _TWO_TO_MINUS_53
        j = i + min(np.int64(uniform * (n - i)), n - i - 1)
        values[i], values[j] = values[j], values[i]


# ---------------------------------------------------------------------------------------
# The scan kernel.


#: The study period's events, newest first, as `_study_events` gives them: (location,
#: days before the end day), and how many of them fall in the longest window.
Events = tuple[NDArray[np.int64], NDArray[np.int64], int]
#: Every location's circles, as `_neighbour_lists` builds them: CSR start offsets, the
#: neighbours nearest first, their distances, and whether each entry closes a circle.
Circles = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]
#: What no replicate changes besides the circles: the cases per location (C_z) and in each
#: window (the last w + 1 days), the total C; then the limits, the most cases a circle may
#: hold and the fewest a cylinder needs.
Totals = tuple[NDArray[np.int64], NDArray[np.int64], int, int, int]
#: Each centre's best cylinder: its LLR, the neighbour-list position that closes its circle
#: and its window index (0/−1 if none).
Best = tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]


@numba.njit(cache=True)
def _best_cylinders(n_locations: int) -> Best:
    """Room for each centre's best cylinder."""
    return np.empty(n_locations), np.empty(n_locations, dtype=np.int64), np.empty(n_locations, dtype=np.int64)


@numba.njit(cache=True)
def _fill_window_counts(counts: NDArray[np.int32], events: Events) -> None:
    """counts[z, w] = events at location z in the last w + 1 days, from the events that
    fall in the longest window."""
    locations, offsets, n_events = events
    n_locations, n_windows = counts.shape
    # Explicit loops throughout the kernels: array expressions cost seconds of compile time.
    for z in range(n_locations):
        for w in range(n_windows):
            counts[z, w] = 0
    for i in range(n_events):
        counts[locations[i], offsets[i]] += 1
    for z in range(n_locations):
        for w in range(1, n_windows):
            counts[z, w] += counts[z, w - 1]


@numba.njit(cache=True)
def _scan_cylinders(window_counts: NDArray[np.int32], circles: Circles, totals: Totals, best: Best) -> float:
    """Largest LLR over all cylinders; also each centre's best cylinder, in `best`. Ties
    keep the smaller circle, then the shorter window."""
    neighbour_start, neighbours, _, closes_circle = circles
    location_cases, window_cases, total, max_circle_cases, min_cases = totals
    best_llr, best_end, best_window = best
    n_locations, n_windows = window_counts.shape
    inside = np.empty(n_windows, dtype=np.int64)
    overall = 0.0
    for centre in range(n_locations):
        best_llr[centre] = 0.0
        best_end[centre] = -1
        best_window[centre] = -1
        for w in range(n_windows):
            inside[w] = 0
        circle_cases = 0
        for position in range(neighbour_start[centre], neighbour_start[centre + 1]):
            location = neighbours[position]
            circle_cases += location_cases[location]
            if circle_cases > max_circle_cases:
                break  # every larger circle around this centre is too big as well
            row = window_counts[location]
            for w in range(n_windows):
                inside[w] += row[w]
            if not closes_circle[position] or inside[n_windows - 1] < min_cases:
                continue
            for w in range(n_windows):
                c = inside[w]
                if c < min_cases:
                    continue
                expected = circle_cases * window_cases[w] / total
                if c <= expected:
                    continue
                # (C − c) ln((C − c)/(C − μ)) as a log1p: no cancellation when C ≫ c
                llr = c * math.log(c / expected) + (total - c) * math.log1p(
                    (expected - c) / (total - expected)
                )
                if llr > best_llr[centre]:
                    best_llr[centre] = llr
                    best_end[centre] = position
                    best_window[centre] = w
        if best_llr[centre] > overall:
            overall = best_llr[centre]
    return overall


@numba.njit(cache=True, nogil=True)
def _replicate_maxima(
    first: int, stop: int, events: Events, seed: np.uint64, circles: Circles, totals: Totals
) -> NDArray[np.float64]:
    """Maximum LLR of replicates `first … stop − 1`, with scratch arrays allocated once.
    Releases the GIL, so threads run chunks side by side; a replicate's result depends only
    on (seed, replicate), not on the chunk or thread that computes it."""
    sorted_locations, sorted_offsets, window_events = events
    n_locations = totals[0].shape[0]
    maxima = np.empty(stop - first)
    shuffled = np.empty(sorted_locations.shape[0], dtype=np.int64)
    counts = np.empty((n_locations, totals[1].shape[0]), dtype=np.int32)
    best = _best_cylinders(n_locations)
    for replicate in range(first, stop):
        for i in range(shuffled.shape[0]):
            shuffled[i] = sorted_locations[i]
        _shuffle_prefix(shuffled, window_events, seed, np.uint64(replicate))
        _fill_window_counts(counts, (shuffled, sorted_offsets, window_events))
        maxima[replicate - first] = _scan_cylinders(counts, circles, totals, best)
    return maxima


# ---------------------------------------------------------------------------------------
# Set-up shared by the scan and `replicate_events`.


def _study_events(
    event_loc: ArrayLike, event_day: ArrayLike, n_locations: int, end_day: int, study_days: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(location, days before `end_day`) of the study period's events, newest first (ties
    in input order): the order in which replicates hand out the days."""
    locations = np.asarray(event_loc)
    days = np.asarray(event_day)
    if locations.ndim != 1 or locations.shape != days.shape:
        raise ValueError("event_loc and event_day must be one-dimensional and of equal length")
    if locations.size and not (
        np.issubdtype(locations.dtype, np.integer) and np.issubdtype(days.dtype, np.integer)
    ):
        raise ValueError("event_loc and event_day must be integers")
    if study_days < 2:
        raise ValueError("study_days must be at least 2")
    locations = locations.astype(np.int64, copy=False)
    offsets = int(end_day) - days.astype(np.int64, copy=False)
    keep = (offsets >= 0) & (offsets < study_days)
    locations, offsets = locations[keep], offsets[keep]
    if locations.size and (locations.min() < 0 or locations.max() >= n_locations):
        raise ValueError("event_loc must index the locations")
    order = np.argsort(offsets, kind="stable")
    return np.ascontiguousarray(locations[order]), np.ascontiguousarray(offsets[order])


def _report(progress: Callable[[float], None] | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)


def _seed64(seed: int) -> np.uint64:
    return np.uint64(int(seed) & _MASK64)


def replicate_events(
    event_loc: ArrayLike,
    event_day: ArrayLike,
    *,
    n_locations: int,
    end_day: int,
    study_days: int = 365,
    seed: int = 0,
    replicate: int = 0,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The study period's events as Monte Carlo replicate `replicate` of
    `space_time_permutation_scan(…, seed=seed)` sees them: (locations, days), the days
    newest first and the locations shuffled over them. Every C_z and C_d is unchanged.
    For checking the scan against an independent implementation."""
    locations, offsets = _study_events(event_loc, event_day, n_locations, end_day, study_days)
    shuffled = locations.copy()
    _shuffle_prefix(shuffled, shuffled.size, _seed64(seed), np.uint64(replicate))
    return shuffled, int(end_day) - offsets


def _neighbour_lists(
    loc_x: NDArray[np.float64], loc_y: NDArray[np.float64], max_radius: float
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """CSR lists of each location's neighbours within `max_radius`, nearest first (ties by
    index), their distances (rounded to 1 µm) and whether each entry closes a circle (the
    next entry is farther)."""
    n = loc_x.size
    xy = np.column_stack([loc_x, loc_y])
    pairs = cKDTree(xy).query_pairs(max_radius * (1 + 1e-9) + 1e-6, output_type="ndarray")
    centres = np.concatenate([np.arange(n), pairs[:, 0], pairs[:, 1]]).astype(np.int64)
    others = np.concatenate([np.arange(n), pairs[:, 1], pairs[:, 0]]).astype(np.int64)
    distance = np.round(np.hypot(loc_x[centres] - loc_x[others], loc_y[centres] - loc_y[others]), 6)
    keep = distance <= round(max_radius, 6)
    centres, others, distance = centres[keep], others[keep], distance[keep]
    order = np.lexsort((others, distance, centres))
    centres, others, distance = centres[order], others[order], distance[order]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(centres, minlength=n), out=start[1:])
    closes = np.ones(centres.size, dtype=bool)
    closes[:-1] = (centres[1:] != centres[:-1]) | (distance[1:] != distance[:-1])
    return start, others, distance, closes


def _gumbel_p_values(llr: NDArray[np.float64], maxima: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(max ≥ llr) under a Gumbel fitted to the replicate maxima by moments."""
    if maxima.size < 2 or maxima.std() == 0:
        return np.full(llr.shape, np.nan)
    scale = maxima.std(ddof=1) * math.sqrt(6.0) / math.pi
    location = maxima.mean() - _EULER_GAMMA * scale
    return -np.expm1(-np.exp(-(llr - location) / scale))


def space_time_permutation_scan(
    loc_x: ArrayLike,
    loc_y: ArrayLike,
    event_loc: ArrayLike,
    event_day: ArrayLike,
    *,
    end_day: int,
    study_days: int = 365,
    max_window_days: int = 30,
    max_radius: float = 1000.0,
    max_spatial_fraction: float = 0.5,
    min_cases: int = 3,
    replicates: int = 999,
    seed: int = 0,
    alpha: float | None = None,
    runs_every_days: float = 1.0,
    progress: Callable[[float], None] | None = None,
) -> ScanResult:
    """Prospective space-time permutation scan of events (location index, day number) over
    the `study_days` days ending on `end_day`; see the module docstring for the method.

    `loc_x`, `loc_y`: location coordinates in metres (grid-cell centres, intersections, …).
    Windows are the last 1 … min(`max_window_days`, study_days // 2) days; circles stay
    within `max_radius` metres and `max_spatial_fraction` of the period's cases; a cylinder
    needs `min_cases` events (no one-event "clusters"). Returns the most likely cluster and
    the secondary clusters that overlap no more likely one, each with its Monte Carlo p from
    `replicates` replicates (NaN when 0) and recurrence interval; with `alpha`, only those
    with p ≤ alpha. Reproducible for a given `seed`, whatever the number of threads.

    Parameters:
        loc_x, loc_y: (L,) location coordinates in metres.
        event_loc: (N,) integer index into the locations of each event.
        event_day: (N,) integer day number of each event (e.g. `datetime64[D]` as int64).
        end_day: the last day of the study period (the day a prospective analysis runs on).
        study_days: length of the study period in days, ending on `end_day`.
        max_window_days, max_radius, max_spatial_fraction, min_cases: the cylinders' limits,
            SaTScan's "maximum temporal cluster size" (in days), "maximum spatial cluster size"
            as a distance and as a share of the cases, and "minimum cases in cluster".
        replicates, seed: the Monte Carlo replicates and their reproducible random streams.
        alpha: keep only clusters with p ≤ alpha (None: all).
        runs_every_days: how often the analysis repeats, for the recurrence interval.
        progress: called with the fraction done.

    Returns:
        `ScanResult`: clusters, most likely first, and the replicates' maximum LLRs.

    Reference: Kulldorff et al. (2005), PLoS Medicine 2(3): e59 (see the module docstring).
    """
    x = np.ascontiguousarray(loc_x, dtype=np.float64)
    y = np.ascontiguousarray(loc_y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError("loc_x and loc_y must be one-dimensional and of equal length")
    if not np.all(np.isfinite(x)) or not np.all(np.isfinite(y)):
        raise ValueError("location coordinates must be finite")
    if max_window_days < 1 or min_cases < 1 or replicates < 0:
        raise ValueError("max_window_days and min_cases must be at least 1, replicates not negative")
    if not 0.0 < max_spatial_fraction <= 1.0 or not max_radius >= 0.0:
        raise ValueError("max_spatial_fraction must be in (0, 1] and max_radius not negative")
    n_locations = x.size
    locations, offsets = _study_events(event_loc, event_day, n_locations, end_day, study_days)
    first_day = int(end_day) - study_days + 1
    total = int(locations.size)
    n_windows = min(int(max_window_days), study_days // 2)
    if total == 0 or n_locations == 0:
        return ScanResult((), total, first_day, int(end_day), np.zeros(0))

    circles = _neighbour_lists(x, y, float(max_radius))
    window_cases = np.cumsum(np.bincount(offsets[offsets < n_windows], minlength=n_windows)).astype(np.int64)
    events = (locations, offsets, int(window_cases[-1]))
    totals = (
        np.bincount(locations, minlength=n_locations).astype(np.int64),
        window_cases,
        total,
        math.floor(max_spatial_fraction * total + 1e-9),
        int(min_cases),
    )
    best = _best_cylinders(n_locations)
    observed_counts = np.empty((n_locations, n_windows), dtype=np.int32)
    _fill_window_counts(observed_counts, events)
    _scan_cylinders(observed_counts, circles, totals, best)

    # Replicates in batches, progress reported between them.
    maxima = np.zeros(replicates)
    workers = max(1, numba.get_num_threads())
    batches = max(1, min(20, replicates // (5 * workers)))
    seed64 = _seed64(seed)

    def run(first: int, stop: int) -> NDArray[np.float64]:
        return _replicate_maxima(first, stop, events, seed64, circles, totals)

    _report(progress, 0.0)
    for batch, (done, batch_maxima) in enumerate(in_batches(replicates, batches, run, workers=workers), 1):
        maxima[done] = batch_maxima
        _report(progress, batch / batches)

    clusters = _clusters(best, circles, totals, observed_counts, int(end_day), maxima, runs_every_days)
    if alpha is not None:
        clusters = [cluster for cluster in clusters if cluster.p_value <= alpha]
    return ScanResult(tuple(clusters), total, first_day, int(end_day), maxima)


def _clusters(
    best: Best,
    circles: Circles,
    totals: Totals,
    window_counts: NDArray[np.int32],
    end_day: int,
    maxima: NDArray[np.float64],
    runs_every_days: float,
) -> list[ScanCluster]:
    """Each centre's best cylinder in decreasing LLR, kept when it shares no location with a
    cluster kept before it. Equal LLRs: the cylinder with fewer locations first (a circle that
    only adds case-free locations to another is the same cluster, reported as SaTScan reports
    it: the smaller one), then the lower centre index."""
    best_llr, best_end, best_window = best
    neighbour_start, neighbours, distances, _ = circles
    location_cases, window_cases, total, _, _ = totals
    candidates = np.flatnonzero(best_end >= 0)
    sizes = best_end[candidates] - neighbour_start[candidates] + 1
    candidates = candidates[np.lexsort((candidates, sizes, -best_llr[candidates]))]
    taken = np.zeros(location_cases.size, dtype=bool)
    replicates = maxima.size
    gumbel = _gumbel_p_values(best_llr[candidates], maxima)
    clusters: list[ScanCluster] = []
    for candidate, gumbel_p in zip(candidates, gumbel, strict=True):
        members = neighbours[neighbour_start[candidate] : best_end[candidate] + 1]
        if taken[members].any():
            continue
        taken[members] = True
        llr = float(best_llr[candidate])
        window = int(best_window[candidate])
        if replicates:
            p_value = (1 + int(np.count_nonzero(maxima >= llr))) / (replicates + 1)
            recurrence = runs_every_days / p_value
        else:
            p_value = recurrence = math.nan
        clusters.append(
            ScanCluster(
                centre=int(candidate),
                locations=members.copy(),
                radius=float(distances[best_end[candidate]]),
                start_day=end_day - window,
                end_day=end_day,
                observed=int(window_counts[members, window].sum()),
                expected=float(location_cases[members].sum() * window_cases[window] / total),
                llr=llr,
                p_value=p_value,
                gumbel_p_value=float(gumbel_p),
                recurrence_days=recurrence,
            )
        )
    return clusters
