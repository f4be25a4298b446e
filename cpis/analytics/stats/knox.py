"""Knox test for near-repeat analysis: space-time bands of event pairs, exact expectation,
permutation p-values, and the near-repeat alert derived from them.

Every unordered pair of events (i < j) has a spatial distance and a gap in whole days. The
pairs are cross-tabulated into spatial bands × temporal bands (the *observed* table). Under the
null hypothesis of no space-time interaction the days are exchangeable over the fixed locations,
and then each pair's day gap is that of a uniformly drawn pair, so the expected count of a cell
is exactly

    E[s, t] = S_s · T_t / M,

with S_s the pairs in spatial band s, T_t the pairs in time band t and M = n(n − 1)/2. The Knox
ratio observed / E therefore carries no Monte Carlo noise (the Near Repeat Calculator and the
other multi-band implementations divide by the mean of their simulations instead). Only the
p-value needs permutations: the days are shuffled over the fixed locations and the table is
recounted, p = (#{simulated ≥ observed} + 1) / (R + 1).

How it is computed, and why it is fast and small (memory O(n + P)):

* the pairs within the largest finite spatial band (P of them) are found once with a k-d tree
  (`cKDTree.query_pairs`, p = 1 for Manhattan, 2 for Euclidean) and stored as CSR rows: an
  uint32 partner index and a uint8 spatial band per pair (5 bytes);
* a permutation streams these P partner indices and gathers the permuted days (an n-long int32
  array that stays in the CPU cache); only gaps within the largest finite time band are counted;
* all other cells follow by subtraction from totals that permutations do not change: S_s (fixed
  locations) and T_t, the day-gap counts over *all* M pairs, which come exactly from the
  autocorrelation of the daily-count histogram — no O(n²) loop anywhere;
* permutations run on numba's number of threads (nogil kernels; a thread pool compiles far
  faster than `prange`), each with its own counter-based random stream derived from (seed,
  permutation number), so results do not depend on the thread count.

Band semantics are explicit. Mode ``"exact"`` (default) uses right-closed bands: the
same-location band is [0, tolerance], the next band (tolerance, e₁] (or [0, e₁] without a
same-location band), then (e₁, e₂], …, and the "more than" band (e_k, ∞); ``closed="left"``
gives [·, ·) bands instead. Mode ``"nrc"`` reproduces Ratcliffe's Near Repeat Calculator 1.3
(labels included): a band it labels "a to b" counts [a − 1, b), the same location is a distance
of exactly 0, and coordinates are held in single precision as the NRC does (checked against its
own output on the Chicago data; see the tests).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import fft as sp_fft
from scipy.spatial import cKDTree

from cpis.analytics.stats.replicates import GOLDEN, in_batches, mix64

__all__ = [
    "KnoxBands",
    "KnoxResult",
    "NearRepeatRisk",
    "RiskCell",
    "knox_test",
    "near_repeat_alert",
]

Metric = Literal["manhattan", "euclidean"]
Mode = Literal["exact", "nrc"]
Closed = Literal["right", "left"]

MAX_BANDS = 250  # band indices are stored as uint8; 255 marks "outside every finite band"
MAX_DAY_SPAN = 1_000_000  # days; a larger span almost certainly means seconds were passed
_OUTSIDE = 255
_PROGRESS_STEPS = 25  # permutation chunks, i.e. progress reports


# ---------------------------------------------------------------------------------------------
# Result types


@dataclass(frozen=True, eq=False)
class KnoxBands:
    """The resolved bands of one dimension (space in metres, time in days), in table order.

    ``lower``/``upper`` are the machine-readable bounds (``upper`` is ``inf`` for the "more
    than" band) and ``closed`` states which bounds belong to a band: ``"(a, b]"`` means
    lower < v ≤ upper, ``"[a, b)"`` means lower ≤ v < upper. The same-location band, when
    present, is always [0, upper] (upper = the tolerance) and takes precedence: its pairs are
    not counted again in the next band. A first band starting at 0 always contains 0.
    ``labels`` are short English labels ("0 to 100 m", "8 to 14 days"); the UI builds its own
    translated labels from the bounds. Time labels name the whole days a band holds.
    """

    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    closed: str
    labels: tuple[str, ...]
    unit: str
    same_location: bool
    more_than: bool

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def finite(self) -> int:
        """Number of bands that are not the open-ended "more than" band."""
        return len(self.labels) - int(self.more_than)


@dataclass(frozen=True, eq=False)
class KnoxResult:
    """Outcome of `knox_test`: the (space × time) tables and how they were obtained.

    ``observed`` holds exact pair counts and ``expected`` the exact null expectation
    S_s·T_t/M; ``ratio`` is the Knox ratio observed/expected (nan where nothing is expected)
    and ``p_value`` the permutation p-value (nan without permutations). ``space_totals`` (S_s)
    and ``time_totals`` (T_t) are the pair counts per band over all ``pairs`` = n(n−1)/2
    pairs. ``simulations`` holds every permutation's table when asked for.
    """

    n: int
    pairs: int
    space: KnoxBands
    time: KnoxBands
    observed: NDArray[np.int64]
    expected: NDArray[np.float64]
    ratio: NDArray[np.float64]
    p_value: NDArray[np.float64]
    space_totals: NDArray[np.int64]
    time_totals: NDArray[np.int64]
    permutations: int
    seed: int
    metric: str
    mode: str
    meaningful_ratio: float
    pairs_within: int
    simulations: NDArray[np.int64] | None = None

    def significant_and_meaningful(self, alpha: float = 0.05) -> NDArray[np.bool_]:
        """Cells with p ≤ alpha and a Knox ratio of at least ``meaningful_ratio``.

        Ratcliffe's rule: a cell matters when it is both significant and at least about 20 %
        above expectation (ratio 1.2). With 19 permutations the best p is 0.05, which counts as
        significant at alpha = 0.05, as in the Near Repeat Calculator.
        """
        with np.errstate(invalid="ignore"):
            return (self.p_value <= alpha) & (self.ratio >= self.meaningful_ratio)

    def to_rows(self, alpha: float = 0.05) -> list[dict[str, Any]]:
        """One dict per cell (table order), JSON-ready: unbounded uppers and nan are None."""
        flags = self.significant_and_meaningful(alpha)
        rows = []
        for s in range(len(self.space)):
            for t in range(len(self.time)):
                rows.append(
                    {
                        "space_index": s,
                        "time_index": t,
                        "space_label": self.space.labels[s],
                        "time_label": self.time.labels[t],
                        "space_lower": _json_float(self.space.lower[s]),
                        "space_upper": _json_float(self.space.upper[s]),
                        "time_lower": _json_float(self.time.lower[t]),
                        "time_upper": _json_float(self.time.upper[t]),
                        "observed": int(self.observed[s, t]),
                        "expected": float(self.expected[s, t]),
                        "ratio": _json_float(self.ratio[s, t]),
                        "p_value": _json_float(self.p_value[s, t]),
                        "significant_and_meaningful": bool(flags[s, t]),
                    }
                )
        return rows


@dataclass(frozen=True)
class RiskCell:
    """One significant and meaningful cell of the Knox table, as the alert reports it."""

    space_index: int
    time_index: int
    space_label: str
    time_label: str
    distance_lower: float
    distance_upper: float
    days_lower: float
    days_upper: float
    ratio: float
    p_value: float

    @property
    def percent_greater(self) -> float:
        """The NRC's "% greater chance": (ratio − 1) · 100."""
        return (self.ratio - 1.0) * 100.0


@dataclass(frozen=True)
class NearRepeatRisk:
    """Area and days of raised risk after a new event, read from a Knox table.

    ``distance`` (metres) is the outer edge of the furthest near-repeat band reached from the
    event through consecutive raised bands (0 when only the same location is raised); ``days``
    is the longest window of raised risk over those bands, and ``repeat_days`` the window at the
    same location (None without a repeat-victimisation pattern). ``near`` and ``repeat`` list
    the raised cells in table order with their Knox ratios; ``strongest`` is the most
    over-represented of them.
    """

    distance: float
    days: float
    repeat_days: float | None
    near: tuple[RiskCell, ...]
    repeat: tuple[RiskCell, ...]

    @property
    def cells(self) -> tuple[RiskCell, ...]:
        return self.repeat + self.near

    @property
    def strongest(self) -> RiskCell:
        return max(self.cells, key=lambda cell: cell.ratio)


# ---------------------------------------------------------------------------------------------
# Public functions


def knox_test(
    x: ArrayLike,
    y: ArrayLike,
    days: ArrayLike,
    *,
    space_bandwidth: float | None = None,
    space_bands: int | None = None,
    time_bandwidth: float | None = None,
    time_bands: int | None = None,
    space_edges: Sequence[float] | NDArray[np.floating] | None = None,
    time_edges: Sequence[float] | NDArray[np.floating] | None = None,
    metric: Metric = "manhattan",
    same_location: bool = True,
    same_location_tolerance: float = 0.0,
    more_than: bool = True,
    mode: Mode = "exact",
    closed: Closed | None = None,
    permutations: int = 999,
    seed: int = 0,
    meaningful_ratio: float = 1.2,
    keep_simulations: bool = False,
    progress: Callable[[float], None] | None = None,
) -> KnoxResult:
    """Knox test of space-time interaction over spatial × temporal bands.

    ``x``, ``y`` are coordinates in metres of a projected CRS, ``days`` whole day numbers (e.g.
    date ordinals; ``datetime64`` values are converted to days). Bands are given either NRC
    style, as a bandwidth × a number of bands, or as explicit increasing upper ``edges`` of the
    finite bands. A same-location band (distance ≤ ``same_location_tolerance``) is put first
    and open-ended "more than" bands last unless switched off. ``closed`` is ``"right"``
    ((a, b] bands, the default) or ``"left"`` ([a, b)); ``mode="nrc"`` reproduces the Near
    Repeat Calculator (bandwidths only; see the module docstring).

    ``permutations`` shuffles of the days give the p-values; ``seed`` makes them reproducible
    (also across thread counts). Cells with p ≤ alpha and a Knox ratio ≥ ``meaningful_ratio``
    are "significant and meaningful". ``keep_simulations`` keeps every permuted table in the
    result (R × S × T int64). ``progress`` is called with the fraction done (about 30 times).
    Raises ValueError on inconsistent input, with the reason.
    """
    if metric not in ("manhattan", "euclidean"):
        raise ValueError(f"metric must be 'manhattan' or 'euclidean', not {metric!r}")
    if mode not in ("exact", "nrc"):
        raise ValueError(f"mode must be 'exact' or 'nrc', not {mode!r}")
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer) or permutations < 0:
        raise ValueError(f"permutations must be a non-negative integer, not {permutations!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, not {seed!r}")
    if not (math.isfinite(meaningful_ratio) and meaningful_ratio > 0):
        raise ValueError(f"meaningful_ratio must be a positive number, not {meaningful_ratio!r}")
    if mode == "nrc":
        if closed not in (None, "left"):
            raise ValueError(
                "the NRC counts left-closed bands [a, b); closed cannot be changed in 'nrc' mode"
            )
        if not same_location or not more_than or same_location_tolerance != 0.0:
            raise ValueError(
                "the NRC always adds a same-location band (distance 0) and 'more than' bands; "
                "same_location, same_location_tolerance and more_than cannot be changed in 'nrc' mode"
            )
        if space_edges is not None or time_edges is not None:
            raise ValueError("'nrc' mode takes bandwidths and numbers of bands, not explicit edges")
        closed = "left"
    elif closed is None:
        closed = "right"
    elif closed not in ("right", "left"):
        raise ValueError(f"closed must be 'right' or 'left', not {closed!r}")
    right = closed == "right"

    xs, ys, day_numbers = _validate_events(x, y, days)
    if mode == "nrc":
        # The NRC holds coordinates in single precision: its verbose output echoes every input
        # coordinate as the float32 value rounded to 7 significant digits, and float32
        # coordinates reproduce its observed table on the Chicago data where full-precision
        # ones move three pairs across the 100, 200 and 300 m edges.
        xs = xs.astype(np.float32).astype(np.float64)
        ys = ys.astype(np.float32).astype(np.float64)

    if not (math.isfinite(same_location_tolerance) and same_location_tolerance >= 0.0):
        raise ValueError(f"same_location_tolerance must be ≥ 0, not {same_location_tolerance!r}")
    space_upper = _finite_edges("space", space_bandwidth, space_bands, space_edges)
    time_upper = _finite_edges("time", time_bandwidth, time_bands, time_edges)
    if same_location and space_upper[0] <= same_location_tolerance:
        raise ValueError(
            f"the first spatial edge ({space_upper[0]:g} m) must exceed the same-location "
            f"tolerance ({same_location_tolerance:g} m)"
        )
    space = _space_bands(space_upper, mode, right, same_location, same_location_tolerance, more_than)
    time = _time_bands(time_upper, mode, right, more_than)

    n = xs.size
    total_pairs = n * (n - 1) // 2
    _report(progress, 0.0)
    pairs = _PairBands.build(
        xs,
        ys,
        day_numbers,
        metric,
        space_upper,
        time_upper,
        right,
        same_location,
        same_location_tolerance,
        more_than,
    )
    _report(progress, 0.05)

    observed = pairs.tables(None, 0, 1)[0]
    space_totals = _with_rest(pairs.space_within, total_pairs, more_than)
    time_totals = _with_rest(pairs.time_within, total_pairs, more_than)
    # in floating point: S_s·T_t overflows int64 beyond about 100,000 events
    expected = np.outer(space_totals.astype(np.float64), time_totals.astype(np.float64)) / float(total_pairs)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)
    _report(progress, 0.1)

    p_value = np.full(observed.shape, np.nan)
    kept: NDArray[np.int64] | None = None
    if permutations > 0:
        key = np.uint64(int(seed) % 2**64)
        exceed = np.zeros(observed.shape, np.int64)
        chunks = []
        batches = in_batches(
            permutations,
            min(permutations, _PROGRESS_STEPS),
            lambda start, stop: pairs.tables(key, start, stop),
            workers=max(1, min(numba.get_num_threads(), permutations)),
        )
        for done, simulated in batches:
            exceed += (simulated >= observed).sum(axis=0)
            if keep_simulations:
                chunks.append(simulated)
            _report(progress, min(1.0, 0.1 + 0.9 * done.stop / permutations))
        p_value = (exceed + 1) / (permutations + 1)
        if keep_simulations:
            kept = np.concatenate(chunks)
    _report(progress, 1.0)

    return KnoxResult(
        n=n,
        pairs=total_pairs,
        space=space,
        time=time,
        observed=observed,
        expected=expected,
        ratio=ratio,
        p_value=p_value,
        space_totals=space_totals,
        time_totals=time_totals,
        permutations=int(permutations),
        seed=int(seed),
        metric=metric,
        mode=mode,
        meaningful_ratio=float(meaningful_ratio),
        pairs_within=int(pairs.partners.size),
        simulations=kept,
    )


def near_repeat_alert(result: KnoxResult, *, alpha: float = 0.05) -> NearRepeatRisk | None:
    """Where and for how long risk is raised after a new event, or None if it is not.

    Reads the significant-and-meaningful cells of a Knox table (the "more than" bands never
    count). In each spatial band the window of raised risk is the run of such cells starting at
    the first time band; its days are the upper day of the run's last band. Near repeats extend
    outwards from the event through consecutive spatial bands whose window is not empty, as an
    alert area must be contiguous; the same-location band gives the repeat-victimisation window.
    """
    flags = result.significant_and_meaningful(alpha)
    space, time = result.space, result.time

    def window(s: int) -> list[int]:
        run = []
        for t in range(time.finite):
            if not flags[s, t]:
                break
            run.append(t)
        return run

    def cell(s: int, t: int) -> RiskCell:
        return RiskCell(
            space_index=s,
            time_index=t,
            space_label=space.labels[s],
            time_label=time.labels[t],
            distance_lower=float(space.lower[s]),
            distance_upper=float(space.upper[s]),
            days_lower=_first_day(time, t),
            days_upper=_last_day(time, t),
            ratio=float(result.ratio[s, t]),
            p_value=float(result.p_value[s, t]),
        )

    repeat: tuple[RiskCell, ...] = ()
    repeat_days: float | None = None
    first_near = 0
    if space.same_location:
        first_near = 1
        run = window(0)
        if run:
            repeat = tuple(cell(0, t) for t in run)
            repeat_days = repeat[-1].days_upper

    near: list[RiskCell] = []
    distance = 0.0
    for s in range(first_near, space.finite):
        run = window(s)
        if not run:
            break
        near.extend(cell(s, t) for t in run)
        distance = float(space.upper[s])

    if not near and not repeat:
        return None
    days = max(c.days_upper for c in (*near, *repeat))
    return NearRepeatRisk(
        distance=distance, days=days, repeat_days=repeat_days, near=tuple(near), repeat=repeat
    )


# ---------------------------------------------------------------------------------------------
# Input checking and band resolution


def _validate_events(
    x: ArrayLike, y: ArrayLike, days: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    raw_days = np.asarray(days)
    if xs.ndim != 1 or ys.ndim != 1 or raw_days.ndim != 1:
        raise ValueError("x, y and days must be one-dimensional arrays")
    if not (xs.size == ys.size == raw_days.size):
        raise ValueError(
            f"x, y and days must have the same length (got {xs.size}, {ys.size} and {raw_days.size})"
        )
    if xs.size < 2:
        raise ValueError(f"the Knox test needs at least 2 events (got {xs.size})")
    if xs.size >= 2**31:
        raise ValueError("too many events (at most 2**31 - 1)")
    if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise ValueError("x and y must be finite (drop events without a location first)")
    if np.issubdtype(raw_days.dtype, np.datetime64):
        if np.isnat(raw_days).any():
            raise ValueError("days contains NaT (drop events without a date first)")
        day_numbers = raw_days.astype("datetime64[D]").astype(np.int64)
    elif np.issubdtype(raw_days.dtype, np.integer):
        day_numbers = raw_days.astype(np.int64)
    elif np.issubdtype(raw_days.dtype, np.floating):
        if not np.isfinite(raw_days).all() or (raw_days != np.round(raw_days)).any():
            raise ValueError("days must be whole day numbers (e.g. date ordinals)")
        day_numbers = raw_days.astype(np.int64)
    else:
        raise ValueError(f"days must be integer day numbers or datetime64 values, not {raw_days.dtype}")
    span = int(day_numbers.max() - day_numbers.min())
    if span > MAX_DAY_SPAN:
        raise ValueError(f"days span {span} days (more than {MAX_DAY_SPAN}); pass day numbers, not seconds")
    return xs, ys, day_numbers


def _finite_edges(
    dimension: str,
    bandwidth: float | None,
    bands: int | None,
    edges: Sequence[float] | NDArray[np.floating] | None,
) -> NDArray[np.float64]:
    """Upper edges of the finite bands of one dimension, checked."""
    unit = "m" if dimension == "space" else "days"
    if edges is not None:
        if bandwidth is not None or bands is not None:
            raise ValueError(
                f"give either {dimension}_edges or {dimension}_bandwidth × {dimension}_bands, not both"
            )
        upper = np.asarray(edges, dtype=np.float64).ravel()
        if upper.size == 0:
            raise ValueError(f"{dimension}_edges must not be empty")
        if not np.isfinite(upper).all():
            raise ValueError(f"{dimension}_edges must be finite (the 'more than' band is added by more_than)")
        if (np.diff(upper) <= 0).any():
            raise ValueError(f"{dimension}_edges must be strictly increasing")
        if upper[0] <= 0:
            raise ValueError(f"{dimension}_edges must be positive ({unit})")
    else:
        if bandwidth is None or bands is None:
            raise ValueError(f"give {dimension}_bandwidth and {dimension}_bands, or {dimension}_edges")
        if not (math.isfinite(bandwidth) and bandwidth > 0):
            raise ValueError(f"{dimension}_bandwidth must be positive ({unit}), not {bandwidth!r}")
        if isinstance(bands, bool) or not isinstance(bands, int | np.integer) or bands < 1:
            raise ValueError(f"{dimension}_bands must be a positive integer, not {bands!r}")
        upper = float(bandwidth) * np.arange(1, int(bands) + 1, dtype=np.float64)
    if upper.size > MAX_BANDS - 1:
        raise ValueError(f"at most {MAX_BANDS - 1} {dimension} bands are supported")
    return upper


Band = tuple[float, float, str]  # lower, upper, label


def _space_bands(
    upper: NDArray[np.float64], mode: str, right: bool, same_location: bool, tolerance: float, more_than: bool
) -> KnoxBands:
    bands: list[Band] = []
    if same_location:
        label = "Same location" if tolerance == 0 else f"Same location (up to {_num(tolerance)} m)"
        bands.append((0.0, tolerance, label))
    previous = tolerance if same_location else 0.0
    for k, edge in enumerate(upper):
        lo = 0.0 if k == 0 and mode == "nrc" else previous
        # The NRC labels a band [a − 1, b) "a to b".
        bands.append((lo, float(edge), f"{_num(previous + 1 if mode == 'nrc' else lo)} to {_num(edge)} m"))
        previous = float(edge)
    return _bands(bands, "m", mode, right, same_location, more_than)


def _time_bands(upper: NDArray[np.float64], mode: str, right: bool, more_than: bool) -> KnoxBands:
    bands: list[Band] = []
    previous = 0.0
    for k, edge in enumerate(upper):
        if mode == "nrc":
            label = f"{_num(0.0 if k == 0 else previous + 1)} to {_num(edge)} days"
        else:
            # Gaps are whole days, so a band is labelled by the whole days it holds.
            first = 0 if k == 0 else (math.floor(previous) + 1 if right else math.ceil(previous))
            last = math.floor(edge) if right else math.ceil(edge) - 1
            if last < first:
                label = f"{_num(previous)} to {_num(edge)} days"
            elif last == first:
                label = f"{first} day" if first == 1 else f"{first} days"
            else:
                label = f"{first} to {last} days"
        bands.append((previous, float(edge), label))
        previous = float(edge)
    return _bands(bands, "days", mode, right, False, more_than)


def _bands(
    finite: list[Band], unit: str, mode: str, right: bool, same_location: bool, more_than: bool
) -> KnoxBands:
    """One dimension's bands: the finite ones, then (with `more_than`) the open-ended one."""
    if more_than:
        edge = finite[-1][1]
        label = f"More than {_num(edge)} {unit}" if right or mode == "nrc" else f"{_num(edge)} {unit} or more"
        finite = [*finite, (edge, math.inf, label)]
    return KnoxBands(
        lower=np.array([band[0] for band in finite]),
        upper=np.array([band[1] for band in finite]),
        closed="(a, b]" if right else "[a, b)",
        labels=tuple(band[2] for band in finite),
        unit=unit,
        same_location=same_location,
        more_than=more_than,
    )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _json_float(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _first_day(bands: KnoxBands, t: int) -> float:
    """First whole day gap in time band t."""
    if t == 0:
        return 0.0
    lower = float(bands.lower[t])
    return float(math.floor(lower) + 1) if bands.closed == "(a, b]" else float(math.ceil(lower))


def _last_day(bands: KnoxBands, t: int) -> float:
    """Last whole day gap in time band t."""
    upper = float(bands.upper[t])
    return float(math.floor(upper)) if bands.closed == "(a, b]" else float(math.ceil(upper) - 1)


def _report(progress: Callable[[float], None] | None, fraction: float) -> None:
    if progress is not None:
        progress(fraction)


# ---------------------------------------------------------------------------------------------
# Pairs, totals and tables


@dataclass(frozen=True, eq=False)
class _PairBands:
    """The pairs inside the finite spatial bands and the day data, ready to count tables.

    ``rows``/``partners``/``bands`` are CSR rows (i < j, uint32 partner j, uint8 spatial band);
    ``day_index`` the days counted from the first one, ``lut`` the time band of each day gap
    that lies inside a finite time band. ``space_within``/``time_within`` are the pair totals
    of the finite bands over all pairs, which no permutation changes.
    """

    rows: NDArray[np.int64]
    partners: NDArray[np.uint32]
    bands: NDArray[np.uint8]
    day_index: NDArray[np.int32]
    lut: NDArray[np.uint8]
    space_within: NDArray[np.int64]
    time_within: NDArray[np.int64]
    total_pairs: int
    more_than: bool

    @classmethod
    def build(
        cls,
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        day_numbers: NDArray[np.int64],
        metric: str,
        space_upper: NDArray[np.float64],
        time_upper: NDArray[np.float64],
        right: bool,
        same_location: bool,
        tolerance: float,
        more_than: bool,
    ) -> _PairBands:
        n = x.size
        total_pairs = n * (n - 1) // 2
        rows, partners, bands = _pair_rows(x, y, metric, space_upper, right, same_location, tolerance)
        day_index = (day_numbers - day_numbers.min()).astype(np.int32)
        lut = _gap_lookup(time_upper, right, int(day_index.max()))
        gap_counts = _gap_counts(day_index, total_pairs)
        n_space = space_upper.size + int(same_location)
        n_time = time_upper.size
        space_within = np.bincount(bands, minlength=n_space).astype(np.int64)
        time_within = np.bincount(lut, weights=gap_counts[: lut.size], minlength=n_time).astype(np.int64)
        return cls(rows, partners, bands, day_index, lut, space_within, time_within, total_pairs, more_than)

    def tables(self, key: np.uint64 | None, start: int, stop: int) -> NDArray[np.int64]:
        """Full (R, S, T) tables: permutations start..stop-1 of ``key``, or the observed table."""
        n_space, n_time = self.space_within.size, self.time_within.size
        if key is None:
            counts = _count_table(
                self.rows, self.partners, self.bands, n_space, self.day_index, self.lut, n_time
            )
            counts = counts[None]
        else:
            counts = _permutation_tables(
                self.rows,
                self.partners,
                self.bands,
                n_space,
                self.day_index,
                self.lut,
                n_time,
                key,
                start,
                stop,
            )
        return _complete_tables(counts, self.space_within, self.time_within, self.total_pairs, self.more_than)


def _pair_rows(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    metric: str,
    upper: NDArray[np.float64],
    right: bool,
    same_location: bool,
    tolerance: float,
) -> tuple[NDArray[np.int64], NDArray[np.uint32], NDArray[np.uint8]]:
    """CSR rows of the pairs (i < j) inside the finite spatial bands, with each pair's band.

    The k-d tree radius is widened by a hair so no boundary pair is lost to rounding inside the
    tree; every pair is then classified by its own distance, computed one way for all pairs.
    """
    radius = float(upper[-1]) * (1.0 + 1e-9) + 1e-9
    tree = cKDTree(np.column_stack((x, y)))
    pairs = tree.query_pairs(radius, p=1.0 if metric == "manhattan" else 2.0, output_type="ndarray")
    del tree
    bands = _classify_pairs(pairs, x, y, metric == "manhattan", upper, right, same_location, tolerance)
    return _build_rows(pairs, bands, x.size)


def _gap_lookup(upper: NDArray[np.float64], right: bool, max_gap: int) -> NDArray[np.uint8]:
    """Time band of each whole-day gap 0..G, G the largest gap inside a finite band."""
    edge = float(upper[-1])
    last = math.floor(edge) if right else math.ceil(edge) - 1
    gaps = np.arange(min(last, max_gap) + 1, dtype=np.float64)
    side: Literal["left", "right"] = "left" if right else "right"
    return np.searchsorted(upper, gaps, side=side).astype(np.uint8)


def _gap_counts(day_index: NDArray[np.int32], total_pairs: int) -> NDArray[np.int64]:
    """Number of pairs (i < j) at each day gap 0..D, from the daily-count histogram.

    The pairs at gap g > 0 are Σ_d h[d]·h[d+g], the histogram's autocorrelation, and at gap 0
    Σ_d h[d](h[d]−1)/2. Short spans are correlated directly in integers; long ones by FFT,
    rounded and checked (and recomputed directly if the rounding is ever in doubt).
    """
    histogram = np.bincount(day_index).astype(np.int64)
    size = histogram.size
    if size <= 4096:
        auto = np.correlate(histogram, histogram, mode="full")[size - 1 :]
    else:
        length = sp_fft.next_fast_len(2 * size, real=True)
        spectrum = sp_fft.rfft(histogram.astype(np.float64), length)
        raw = sp_fft.irfft(spectrum * np.conj(spectrum), length)[:size]
        auto = np.rint(raw).astype(np.int64)
        if np.abs(raw - auto).max() > 0.25:
            auto = np.correlate(histogram, histogram, mode="full")[size - 1 :]
    counts = auto.copy()
    counts[0] = (auto[0] - int(histogram.sum())) // 2
    if int(counts.sum()) != total_pairs:  # pragma: no cover - an arithmetic invariant
        raise RuntimeError("day-gap pair counts do not add up to n(n-1)/2")
    return counts


def _with_rest(within: NDArray[np.int64], total_pairs: int, more_than: bool) -> NDArray[np.int64]:
    if not more_than:
        return within.copy()
    return np.append(within, total_pairs - int(within.sum())).astype(np.int64)


def _complete_tables(
    counts: NDArray[np.int64],
    space_within: NDArray[np.int64],
    time_within: NDArray[np.int64],
    total_pairs: int,
    more_than: bool,
) -> NDArray[np.int64]:
    """Add the "more than" row and column to (R, S, T) tables of finite-band counts.

    Row and column totals do not change under a permutation of days over fixed locations (S_s
    is a property of the locations, T_t of the multiset of days), so the open-ended cells are
    differences of totals and need no counting.
    """
    if not more_than:
        return counts
    r, s, t = counts.shape
    full = np.empty((r, s + 1, t + 1), np.int64)
    full[:, :s, :t] = counts
    row_sums = counts.sum(axis=2)
    col_sums = counts.sum(axis=1)
    full[:, :s, t] = space_within[None, :] - row_sums
    full[:, s, :t] = time_within[None, :] - col_sums
    full[:, s, t] = total_pairs - int(space_within.sum()) - int(time_within.sum()) + counts.sum(axis=(1, 2))
    return full


# ---------------------------------------------------------------------------------------------
# numba kernels


@numba.njit(cache=True)
def _classify_pairs(pairs, x, y, manhattan, upper, right, same_location, tolerance):
    """Spatial band of each pair (uint8; 255 when beyond the last finite band)."""
    count = pairs.shape[0]
    offset = 1 if same_location else 0
    bands = np.empty(count, np.uint8)
    k_max = upper.size
    for k in range(count):
        i = pairs[k, 0]
        j = pairs[k, 1]
        dx = abs(x[i] - x[j])
        dy = abs(y[i] - y[j])
        d = dx + dy if manhattan else math.sqrt(dx * dx + dy * dy)
        if same_location and d <= tolerance:
            bands[k] = 0
            continue
        # first band whose upper edge holds d: upper >= d (right-closed) or upper > d (left)
        lo = 0
        hi = k_max
        while lo < hi:
            mid = (lo + hi) // 2
            if upper[mid] < d or (not right and upper[mid] == d):
                lo = mid + 1
            else:
                hi = mid
        bands[k] = offset + lo if lo < k_max else _OUTSIDE
    return bands


@numba.njit(cache=True)
def _build_rows(pairs, bands, n):
    """Counting sort of the pairs inside a finite band into CSR rows by first event i.

    Returns (row offsets, partner j as uint32, spatial band as uint8): 5 bytes per pair.
    """
    offsets = np.zeros(n + 1, np.int64)
    for k in range(pairs.shape[0]):
        if bands[k] != _OUTSIDE:
            offsets[pairs[k, 0] + 1] += 1
    for k in range(1, offsets.size):
        offsets[k] += offsets[k - 1]
    fill = np.empty(n, np.int64)
    for k in range(n):
        fill[k] = offsets[k]
    partners = np.empty(offsets[n], np.uint32)
    partner_bands = np.empty(offsets[n], np.uint8)
    for k in range(pairs.shape[0]):
        if bands[k] != _OUTSIDE:
            i = pairs[k, 0]
            partners[fill[i]] = pairs[k, 1]
            partner_bands[fill[i]] = bands[k]
            fill[i] += 1
    return offsets, partners, partner_bands


@numba.njit(cache=True, nogil=True)
def _count_table(offsets, partners, partner_bands, n_space, day_index, lut, n_time):
    """Pairs per (finite spatial band, finite time band) for one assignment of days.

    Only gaps inside the finite time bands are counted (a few per cent of the pairs), so the
    branch is well predicted and the counters rarely collide.
    """
    counts = np.zeros((n_space, n_time), np.int64)
    max_gap = lut.size - 1
    for i in range(day_index.size):
        day = day_index[i]
        for k in range(offsets[i], offsets[i + 1]):
            # unsigned indices spare numba's negative-index wraparound: 40 % faster here
            pair = np.uint64(k)
            gap = abs(day - day_index[partners[pair]])
            if gap <= max_gap:
                counts[partner_bands[pair], lut[gap]] += 1
    return counts


_LOW32 = np.uint64(0xFFFFFFFF)
_TWO32 = np.uint64(1 << 32)


@numba.njit(cache=True, nogil=True)
def _shuffle(values, key, index):
    """Fisher–Yates shuffle in place, driven by the SplitMix64 stream of (key, index).

    Each permutation has its own stream, so a permutation's outcome depends only on the seed
    and its number, never on which thread ran it. Bounded draws use Lemire's unbiased
    multiply-and-reject on the upper 32 bits.
    """
    state = mix64(key ^ mix64(np.uint64(index) * GOLDEN + GOLDEN))
    for i in range(values.size - 1, 0, -1):
        bound = np.uint64(i + 1)
        state += GOLDEN
        product = (mix64(state) >> np.uint64(32)) * bound
        if (product & _LOW32) < bound:
            threshold = (_TWO32 - bound) % bound
            while (product & _LOW32) < threshold:
                state += GOLDEN
                product = (mix64(state) >> np.uint64(32)) * bound
        j = np.int64(product >> np.uint64(32))
        held = values[i]
        values[i] = values[j]
        values[j] = held


@numba.njit(cache=True, nogil=True)
def _permutation_tables(offsets, partners, partner_bands, n_space, day_index, lut, n_time, key, start, stop):
    """Finite-band tables of permutations start..stop-1 (days shuffled over fixed locations).

    Runs without the GIL, so `in_batches` can spread ranges of permutations over threads.
    """
    # Element loops, not slice assignments: they compile several times faster in numba.
    out = np.zeros((stop - start, n_space, n_time), np.int64)
    shuffled = np.empty_like(day_index)
    for r in range(stop - start):
        for i in range(day_index.size):
            shuffled[i] = day_index[i]
        _shuffle(shuffled, key, start + r)
        counts = _count_table(offsets, partners, partner_bands, n_space, shuffled, lut, n_time)
        for s in range(n_space):
            for t in range(n_time):
                out[r, s, t] = counts[s, t]
    return out
