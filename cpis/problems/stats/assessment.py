"""Did the response work? The assessment of a problem from counts of events in
two windows of equal length, before (b) and after (a) the response date, in
three areas: the target area where the response acted (R), a displacement
buffer around it (D) and a control area (C).

* **Rate ratio in the target**, RR = (Ra / ta) / (Rb / tb), with ta and tb the
  days each window covers (equal once the after-window has ended; while it
  runs, ta is the days observed so far, so a provisional figure compares
  rates, not counts). Its 95 % interval is the **exact conditional** one:
  given N = Ra + Rb, Ra ~ Binomial(N, p) with p = ta·λa / (ta·λa + tb·λb),
  so the Clopper–Pearson interval for p maps to RR = (tb / ta) · p / (1 − p).
  Chosen over the log-normal interval exp(ln RR ± 1.96 √(1/Ra + 1/Rb)) because
  a problem's target area often has few events: the exact interval needs no
  correction for a zero count (Ra = 0 gives a lower bound of 0, Rb = 0 no
  upper bound), never covers less than 95 % (it is conservative at small
  counts, see the tests' coverage check), and agrees with the log-normal one
  when counts are large.
* **Relative effect size against the control** (Farrington and Welsh; the
  log-scale difference-in-differences): RES = (Rb · Ca) / (Ra · Cb); above 1
  the target improved relative to the control. Var(ln RES) = 1/Ra + 1/Rb +
  1/Ca + 1/Cb with 0.5 added to a cell that is zero; interval
  exp(ln RES ± 1.96 √Var). The variance is Poisson's: over-dispersed counts
  make it too narrow (Farrington et al. 2007 inflate it by a factor estimated
  across many studies, which one problem's counts cannot give).
  The window lengths cancel (both areas share the windows).
* **Weighted Displacement Quotient** (Bowers and Johnson 2003, J. Quant.
  Criminol. 19(3) 275–301; the formulas as in Guerette 2009, POP Center tool
  guide 10, appendix B): success measure SM = Ra/Ca − Rb/Cb, buffer
  displacement measure BDM = Da/Ca − Db/Cb, WDQ = BDM / SM, and the total net
  effect TNE = [Rb·(Ca/Cb) − Ra] + [Db·(Ca/Cb) − Da] in events (positive:
  events prevented, the buffer's change included).

  The reading: with SM ≥ 0 the target did not improve against the control and
  there is no success to weigh displacement against (`no_effect`; the WDQ is
  not given). Otherwise WDQ > 0 is diffusion of benefits into the buffer and
  WDQ < 0 displacement into it — unless the buffer moved no more than chance
  or hardly at all, which reads `neither`: |WDQ| < 0.1 (`NEITHER_BAND`), or the
  buffer's change against the control, (Da · Cb) / (Db · Ca), has a 95 %
  interval (log-normal, as the RES) that contains 1. Bowers and Johnson read
  the sign alone; asking that the buffer's change be more than noise keeps a
  small buffer's chance fluctuation from being called displacement.
  Without events in the control area in a window the WDQ is undefined and the
  reading is empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AREAS",
    "BUFFER",
    "CONTROL",
    "DIFFUSION",
    "DISPLACEMENT",
    "NEITHER",
    "NEITHER_BAND",
    "NO_EFFECT",
    "TARGET",
    "Assessment",
    "Counts",
    "Displacement",
    "Estimate",
    "Weekly",
    "assess",
    "count_windows",
    "displacement",
    "rate_ratio",
    "relative_effect",
    "weekly_counts",
]

# Area codes of an event (−1: in none of them).
TARGET, BUFFER, CONTROL = 0, 1, 2
AREAS = ("target", "buffer", "control")

# Readings of the WDQ (the values of problems.models.Reading).
DIFFUSION = "diffusion"
DISPLACEMENT = "displacement"
NEITHER = "neither"
NO_EFFECT = "no_effect"
# |WDQ| below this is too small a share of the target's change to call either way.
NEITHER_BAND = 0.1

LEVEL = 0.95


@dataclass(frozen=True)
class Counts:
    """Events before and after the response date in each area."""

    target_before: int
    target_after: int
    buffer_before: int
    buffer_after: int
    control_before: int
    control_after: int


@dataclass(frozen=True)
class Estimate:
    """A ratio and its interval; None where it is undefined (a bound None
    means the interval is unbounded on that side)."""

    value: float | None
    low: float | None
    high: float | None

    def covers(self, x: float) -> bool:
        """Whether the interval contains `x` (an undefined estimate contains everything)."""
        low = 0.0 if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        return self.value is None or low <= x <= high


UNDEFINED = Estimate(None, None, None)


@dataclass(frozen=True)
class Displacement:
    success_measure: float | None  # SM = Ra/Ca − Rb/Cb
    buffer_measure: float | None  # BDM = Da/Ca − Db/Cb
    wdq: float | None
    reading: str  # DIFFUSION, DISPLACEMENT, NEITHER, NO_EFFECT, or "" when undefined
    total_net_effect: float | None  # events prevented, buffer included
    buffer_change: Estimate  # (Da·Cb)/(Db·Ca) against the control, with its interval


@dataclass(frozen=True)
class Assessment:
    counts: Counts
    before_days: int
    after_days: int
    rate_ratio: Estimate
    relative_effect: Estimate
    displacement: Displacement


# SciPy is imported where it is used: the URL map imports this module (through the API's
# and the tab's selectors), and scipy.stats alone doubled every process's start-up.


def _z(level: float) -> float:
    from scipy.special import ndtri  # the normal quantile

    return float(ndtri(0.5 + level / 2))


def rate_ratio(
    after: int, before: int, *, after_days: float = 1.0, before_days: float = 1.0, level: float = LEVEL
) -> Estimate:
    """(after / after_days) / (before / before_days) with its exact conditional
    interval (Clopper–Pearson on after | after + before)."""
    if after < 0 or before < 0:
        raise ValueError("counts cannot be negative")
    n = after + before
    if n == 0 or after_days <= 0 or before_days <= 0:
        return UNDEFINED
    from scipy.special import betaincinv  # the beta quantile: betaincinv(a, b, q)

    alpha = 1.0 - level
    scale = before_days / after_days
    p_low = float(betaincinv(after, before + 1, alpha / 2)) if after > 0 else 0.0
    p_high = float(betaincinv(after + 1, before, 1 - alpha / 2)) if before > 0 else 1.0
    value = scale * after / before if before > 0 else None
    low = scale * p_low / (1.0 - p_low)
    high = scale * p_high / (1.0 - p_high) if p_high < 1.0 else None
    return Estimate(value, low, high)


def _log_ratio(numerator: tuple[int, int], denominator: tuple[int, int], *, level: float = LEVEL) -> Estimate:
    """(n1 · n2) / (d1 · d2) with 0.5 added to a zero cell, and its log-normal
    interval from Var(ln) = Σ 1/cell."""
    cells = [c if c > 0 else 0.5 for c in (*numerator, *denominator)]
    n1, n2, d1, d2 = cells
    log_value = math.log(n1) + math.log(n2) - math.log(d1) - math.log(d2)
    half = _z(level) * math.sqrt(sum(1.0 / c for c in cells))
    return Estimate(math.exp(log_value), math.exp(log_value - half), math.exp(log_value + half))


def relative_effect(counts: Counts, *, level: float = LEVEL) -> Estimate:
    """RES = (Rb · Ca) / (Ra · Cb): above 1, the target improved against the
    control. Undefined when the target or the control had no events at all."""
    c = counts
    if c.target_before + c.target_after == 0 or c.control_before + c.control_after == 0:
        return UNDEFINED
    return _log_ratio((c.target_before, c.control_after), (c.target_after, c.control_before), level=level)


def _buffer_change(counts: Counts, *, level: float = LEVEL) -> Estimate:
    c = counts
    if c.buffer_before + c.buffer_after == 0 or c.control_before + c.control_after == 0:
        return UNDEFINED
    return _log_ratio((c.buffer_after, c.control_before), (c.buffer_before, c.control_after), level=level)


def displacement(counts: Counts, *, level: float = LEVEL) -> Displacement:
    """The WDQ, its parts, its reading and the total net effect (module docstring)."""
    c = counts
    if c.control_before == 0 or c.control_after == 0:
        return Displacement(None, None, None, "", None, UNDEFINED)
    ra, rb = c.target_after / c.control_after, c.target_before / c.control_before
    da, db = c.buffer_after / c.control_after, c.buffer_before / c.control_before
    success, buffer = ra - rb, da - db
    trend = c.control_after / c.control_before
    net = (c.target_before * trend - c.target_after) + (c.buffer_before * trend - c.buffer_after)
    change = _buffer_change(c, level=level)
    if success >= 0:
        return Displacement(success, buffer, None, NO_EFFECT, net, change)
    wdq = buffer / success
    if abs(wdq) < NEITHER_BAND or change.covers(1.0):
        reading = NEITHER
    else:
        reading = DIFFUSION if wdq > 0 else DISPLACEMENT
    return Displacement(success, buffer, wdq, reading, net, change)


def assess(counts: Counts, *, before_days: int, after_days: int, level: float = LEVEL) -> Assessment:
    """Everything above for one set of counts. With no day of the after-window
    observed yet nothing is defined."""
    if after_days <= 0:
        return Assessment(
            counts, before_days, 0, UNDEFINED, UNDEFINED, Displacement(None, None, None, "", None, UNDEFINED)
        )
    return Assessment(
        counts=counts,
        before_days=before_days,
        after_days=after_days,
        rate_ratio=rate_ratio(
            counts.target_after,
            counts.target_before,
            after_days=after_days,
            before_days=before_days,
            level=level,
        ),
        relative_effect=relative_effect(counts, level=level),
        displacement=displacement(counts, level=level),
    )


# --- counting --------------------------------------------------------------------------


def _offsets(
    days: ArrayLike, areas: ArrayLike, response_day: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    offset = np.asarray(days, dtype=np.int64) - response_day
    area = np.asarray(areas, dtype=np.int64)
    if offset.shape != area.shape:
        raise ValueError("days and areas must have the same length")
    return offset, area


def count_windows(
    days: ArrayLike, areas: ArrayLike, *, response_day: int, window_days: int, after_days: int
) -> Counts:
    """Counts per area in the before-window (the `window_days` days before the
    response day) and the after-window (the `after_days` days after it, at
    most `window_days`). The response day itself is in neither."""
    offset, area = _offsets(days, areas, response_day)
    before = (offset >= -window_days) & (offset <= -1)
    after = (offset >= 1) & (offset <= min(after_days, window_days))
    inside = area >= 0
    b = np.bincount(area[before & inside], minlength=3)
    a = np.bincount(area[after & inside], minlength=3)
    return Counts(
        target_before=int(b[TARGET]),
        target_after=int(a[TARGET]),
        buffer_before=int(b[BUFFER]),
        buffer_after=int(a[BUFFER]),
        control_before=int(b[CONTROL]),
        control_after=int(a[CONTROL]),
    )


@dataclass(frozen=True)
class Weekly:
    """Events per area in weeks counted away from the response day: `starts`
    (offsets of each week's first day from the response day), `lengths` (days
    in each week: the outermost before-week and the last after-week may be
    short) and `counts` (3 × weeks, in AREAS order)."""

    starts: list[int]
    lengths: list[int]
    counts: list[list[int]]


def weekly_counts(
    days: ArrayLike, areas: ArrayLike, *, response_day: int, window_days: int, after_days: int
) -> Weekly:
    """The windows of `count_windows` cut into weeks, for a chart."""
    offset, area = _offsets(days, areas, response_day)
    after_days = max(0, min(after_days, window_days))
    n_before = -(-window_days // 7)
    n_after = -(-after_days // 7)
    bins = np.full(offset.shape, -1, dtype=np.int64)
    before = (offset >= -window_days) & (offset <= -1)
    after = (offset >= 1) & (offset <= after_days)
    bins[before] = n_before - 1 - (-offset[before] - 1) // 7
    bins[after] = n_before + (offset[after] - 1) // 7
    keep = (bins >= 0) & (area >= 0)
    n = n_before + n_after
    table = np.bincount(area[keep] * n + bins[keep], minlength=3 * n).reshape(3, n)
    starts, lengths = [], []
    for week in range(n_before):
        end = -7 * (n_before - 1 - week) - 1  # the week's last day
        start = max(end - 6, -window_days)
        starts.append(start)
        lengths.append(end - start + 1)
    for week in range(n_after):
        start = 1 + 7 * week
        starts.append(start)
        lengths.append(min(start + 6, after_days) - start + 1)
    return Weekly(starts=starts, lengths=lengths, counts=table.astype(int).tolist())
