"""Trend statistics on incident counts: counts by period, category and place, CompStat
comparisons against last year, Poisson z, 8-week Poisson bands, EWMA and CUSUM alerts,
and the five-year trend.

Every function works on plain arrays: incident days as integer day numbers
(`date.toordinal()`) and groups as integer codes `0 … n_groups − 1` (for example
`category * n_places + place`; negative codes mean "no group" and are skipped, as pandas
uses −1 for a missing category). Counts come out as `(n_groups, n_periods)` arrays.

The formulas follow crime-analysis practice (Wheeler, `crimepy/time.py`):

* Poisson z for two counts, `z = 2(√now − √before)`: the difference of the
  variance-stabilised counts, ≈ N(0, 1) when both are Poisson with the same mean.
* Weekly band from the mean μ of the previous k = 8 weeks: `[(√μ − z/2)², (√μ + z/2)²]`,
  the lower bound clipped at 0; a week lies outside the band exactly when
  `|2(√x − √μ)| > z`.
* EWMA and CUSUM alerts run on the same residual, `r_t = 2(√x_t − √μ_t)` with μ_t the
  trailing mean of the previous weeks (the current week excluded). The residual has
  variance ≈ 1 for Poisson counts, so both charts are in σ units, and it stays finite when
  μ_t = 0 (one incident after a quiet spell gives r = 2, not ∞). Alarms are upward only:
  rises matter for triage.

References:
* A. P. Wheeler, `crimepy/time.py` and "Tables and graphs for monitoring temporal crime
  trends" (Police Practice and Research, 2016): the Poisson z and the 8-week band.
* E. S. Page (1954), "Continuous inspection schemes", Biometrika 41: 100–115 (CUSUM).
* S. W. Roberts (1959), "Control chart tests based on geometric moving averages",
  Technometrics 1(3): 239–250 (EWMA).
* F. J. Anscombe (1948), "The transformation of Poisson, binomial and negative-binomial
  data", Biometrika 35: 246–254 (the square-root variance stabilisation).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SPANS",
    "AlarmSeries",
    "PeriodComparison",
    "WeeklyBands",
    "YearlyTrend",
    "compare_periods",
    "counts_by_period",
    "cusum_alerts",
    "ewma_alerts",
    "period_starts",
    "poisson_band",
    "poisson_z",
    "same_date_years_earlier",
    "weekly_bands",
    "weekly_counts",
    "yearly_trend",
]

Period = int | Literal["month", "year"]

# date(1970, 1, 1).toordinal(): converts day numbers to numpy datetime64[D] and back.
_EPOCH_ORDINAL = 719_163


def _as_days(days: ArrayLike) -> NDArray[np.int64]:
    array = np.asarray(days)
    if array.ndim != 1:
        raise ValueError("days must be a one-dimensional array of day numbers")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError("days must be integer day numbers (date.toordinal())")
    return array.astype(np.int64, copy=False)


def _as_groups(
    groups: ArrayLike | None, n_events: int, n_groups: int | None
) -> tuple[NDArray[np.int64], int]:
    """Group codes as int64 (all zero when `groups` is None) and the number of groups."""
    if groups is None:
        if n_groups not in (None, 1):
            raise ValueError("n_groups must be 1 (or omitted) when groups is None")
        return np.zeros(n_events, dtype=np.int64), 1
    codes = np.asarray(groups)
    if codes.shape != (n_events,):
        raise ValueError("groups must have one code per day")
    if codes.size and not np.issubdtype(codes.dtype, np.integer):
        raise ValueError("groups must be integer codes")
    codes = codes.astype(np.int64, copy=False)
    largest = int(codes.max()) if codes.size else -1
    if n_groups is None:
        n_groups = largest + 1
    elif largest >= n_groups:
        raise ValueError("a group code is not below n_groups")
    return codes, max(int(n_groups), 0)


def _calendar_period(start_day: int, period: str) -> tuple[str, np.datetime64]:
    """numpy's datetime64 unit of a calendar period and the period that contains `start_day`."""
    unit = {"month": "M", "year": "Y"}.get(period)
    if unit is None:
        raise ValueError("period must be a number of days, 'month' or 'year'")
    return f"datetime64[{unit}]", np.datetime64(start_day - _EPOCH_ORDINAL, "D").astype(f"datetime64[{unit}]")


def _period_index(days: NDArray[np.int64], start_day: int, period: Period) -> NDArray[np.int64]:
    """Index of each day's period counted from the period that contains `start_day`."""
    if isinstance(period, str):
        unit, first = _calendar_period(start_day, period)
        as_unit = (days - _EPOCH_ORDINAL).astype("datetime64[D]").astype(unit)
        return (as_unit - first).astype(np.int64)
    if int(period) < 1:
        raise ValueError("period must be at least one day")
    return np.floor_divide(days - start_day, int(period))


def period_starts(start_day: int, period: Period, n_periods: int) -> NDArray[np.int64]:
    """First day number of each of `n_periods` periods; calendar periods start on the first
    of the month (or year) that contains `start_day`."""
    if isinstance(period, str):
        _unit, first = _calendar_period(start_day, period)
        starts = (first + np.arange(n_periods)).astype("datetime64[D]").astype(np.int64)
        return starts + _EPOCH_ORDINAL
    return start_day + int(period) * np.arange(n_periods, dtype=np.int64)


def counts_by_period(
    days: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    start_day: int,
    n_periods: int,
    period: Period = 7,
    n_groups: int | None = None,
) -> NDArray[np.int64]:
    """Incident counts per group and period, shape `(n_groups, n_periods)`.

    `period` is a length in days (7 for weeks, 28 for CompStat months, …), counted from
    `start_day`, or a calendar "month" or "year", counted from the one containing
    `start_day` (see `period_starts`). Incidents outside the periods and those with a
    negative group code are left out. One pass and a `bincount`, so zero cells cost nothing
    but their memory.
    """
    day_numbers = _as_days(days)
    codes, n_groups = _as_groups(groups, day_numbers.size, n_groups)
    if n_periods < 0:
        raise ValueError("n_periods must not be negative")
    index = _period_index(day_numbers, int(start_day), period)
    keep = (index >= 0) & (index < n_periods) & (codes >= 0)
    flat = codes[keep] * n_periods + index[keep]
    return np.bincount(flat, minlength=n_groups * n_periods).reshape(n_groups, n_periods)


def weekly_counts(
    days: ArrayLike,
    groups: ArrayLike | None,
    n_groups: int | None = None,
    *,
    end_day: int,
    weeks: int,
) -> NDArray[np.int64]:
    """Counts per group for the `weeks` seven-day weeks ending on `end_day` (inclusive):
    week j covers days `end_day − 7(weeks − j) + 1 … end_day − 7(weeks − j − 1)`, so the
    last column is the latest complete week."""
    return counts_by_period(
        days,
        groups,
        start_day=int(end_day) - 7 * int(weeks) + 1,
        n_periods=weeks,
        period=7,
        n_groups=n_groups,
    )


def poisson_z(now: ArrayLike, before: ArrayLike) -> NDArray[np.float64]:
    """`2(√now − √before)`, element-wise: the Poisson z of a count against an earlier count
    (or the mean of several earlier counts). ≈ N(0, 1) when both come from the same
    Poisson rate; ±2 is the usual "notable change" line."""
    now_array = np.asarray(now, dtype=np.float64)
    before_array = np.asarray(before, dtype=np.float64)
    if np.any(now_array < 0) or np.any(before_array < 0):
        raise ValueError("counts must not be negative")
    return 2.0 * (np.sqrt(now_array) - np.sqrt(before_array))


def poisson_band(history: ArrayLike, z: float = 3.0) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Band for the next count from the mean μ of `history` along its last axis (for
    example the previous 8 weeks): `lower = max(√μ − z/2, 0)²`, `upper = (√μ + z/2)²`."""
    values = np.asarray(history, dtype=np.float64)
    if values.ndim == 0 or values.shape[-1] == 0:
        raise ValueError("history needs at least one earlier count along its last axis")
    root = np.sqrt(values.mean(axis=-1))
    return np.clip(root - z / 2.0, 0.0, None) ** 2, (root + z / 2.0) ** 2


@numba.njit(cache=True)
def _trailing_mean_kernel(
    counts: NDArray[np.float64], window: int, guard: int, min_window: int
) -> NDArray[np.float64]:
    n_groups, n_weeks = counts.shape
    result = np.empty((n_groups, n_weeks))
    for group in range(n_groups):
        total = 0.0
        for week in range(n_weeks):
            # baseline of week t: columns [t − guard − window, t − guard), cut at column 0
            end = week - guard
            start = end - window if end > window else 0
            result[group, week] = total / (end - start) if end - start >= min_window else np.nan
            if end >= 0:
                total += counts[group, end]
                if end >= window:
                    total -= counts[group, end - window]
    return result


def _trailing_mean(
    counts: NDArray[np.float64], window: int, guard: int = 0, min_window: int | None = None
) -> NDArray[np.float64]:
    """Mean of up to `window` columns ending `guard + 1` columns before each column, NaN
    where fewer than `min_window` (default `window`) of them exist: pandas'
    `shift(guard).rolling(window, min_periods=min_window, closed="left").mean()`. A running
    sum, compiled because NumPy's temporaries cost more than the arithmetic here."""
    least = window if min_window is None else min_window
    if not 1 <= least <= window:
        raise ValueError("the minimum baseline must be between 1 and the baseline length")
    return _trailing_mean_kernel(np.ascontiguousarray(counts, dtype=np.float64), window, guard, least)


def _as_counts(counts: ArrayLike) -> NDArray[np.float64]:
    values = np.ascontiguousarray(counts, dtype=np.float64)
    if values.ndim == 1:
        values = values[np.newaxis, :]
    if values.ndim != 2:
        raise ValueError("counts must be (n_groups, n_weeks) or one series")
    if values.size and not values.min() >= 0.0:  # also false for NaN
        raise ValueError("counts must be non-negative numbers")
    return values


@dataclass(frozen=True)
class WeeklyBands:
    """Each week against the mean of the `window` weeks before it (NaN until `window` weeks
    of history exist). `z` is the Poisson z of the week against that mean; `above`/`below`
    mark weeks outside the band."""

    prior_mean: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    z: NDArray[np.float64]
    window: int
    z_limit: float

    @property
    def above(self) -> NDArray[np.bool_]:
        """Weeks above the band (z > z_limit)."""
        return self.z > self.z_limit

    @property
    def below(self) -> NDArray[np.bool_]:
        """Weeks below the band (z < −z_limit)."""
        return self.z < -self.z_limit


def weekly_bands(counts: ArrayLike, *, window: int = 8, z: float = 3.0) -> WeeklyBands:
    """8-week Poisson bands for every group and week of `counts` `(n_groups, n_weeks)`, as
    crime analysts chart them (pandas `rolling(8, closed="left").mean()`)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    values = _as_counts(counts)
    mean = _trailing_mean(values, window)
    lower, upper, z_score = _band_kernel(values, mean, z / 2.0)
    return WeeklyBands(prior_mean=mean, lower=lower, upper=upper, z=z_score, window=window, z_limit=z)


@numba.njit(cache=True)
def _band_kernel(
    counts: NDArray[np.float64], mean: NDArray[np.float64], half_width: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Band edges `max(√μ − z/2, 0)²`, `(√μ + z/2)²` and the Poisson z `2(√x − √μ)` in one
    pass (NumPy would make half a dozen temporaries the size of the table)."""
    n_groups, n_weeks = counts.shape
    lower = np.empty((n_groups, n_weeks))
    upper = np.empty((n_groups, n_weeks))
    z_score = np.empty((n_groups, n_weeks))
    for group in range(n_groups):
        for week in range(n_weeks):
            root = math.sqrt(mean[group, week])  # NaN stays NaN
            low = root - half_width
            if low < 0.0:
                low = 0.0
            high = root + half_width
            lower[group, week] = low * low
            upper[group, week] = high * high
            z_score[group, week] = 2.0 * (math.sqrt(counts[group, week]) - root)
    return lower, upper, z_score


@dataclass(frozen=True)
class AlarmSeries:
    """A control chart per group × week: the baseline mean μ_t (trailing window, current week
    excluded), the chart statistic and the upward alarms. Weeks before a full baseline exists
    have NaN baseline and statistic and never alarm."""

    baseline: NDArray[np.float64]
    statistic: NDArray[np.float64]
    alarm: NDArray[np.bool_]
    limit: float

    def first_alarm_week(self) -> NDArray[np.int64]:
        """Index of each group's first alarm week, −1 where none."""
        found = self.alarm.any(axis=1)
        return np.where(found, self.alarm.argmax(axis=1), -1)


@numba.njit(cache=True)
def _chart_kernel(
    counts: NDArray[np.float64],
    baseline: NDArray[np.float64],
    cusum: bool,
    weight: float,
    allowance: float,
    limit: float,
    reset_after_alarm: bool,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """EWMA (`cusum` False: weight λ) or upper CUSUM (allowance k) of the residuals
    2(√x − √μ), one group at a time from its first week with a baseline; alarms where the
    statistic exceeds `limit`."""
    n_groups, n_weeks = counts.shape
    # Explicit loops, no array expressions: they would triple the compile time.
    statistic = np.empty((n_groups, n_weeks))
    alarm = np.empty((n_groups, n_weeks), dtype=np.bool_)
    for group in range(n_groups):
        level = 0.0
        for week in range(n_weeks):
            alarm[group, week] = False
            if math.isnan(baseline[group, week]):
                statistic[group, week] = math.nan
                continue
            residual = 2.0 * (math.sqrt(counts[group, week]) - math.sqrt(baseline[group, week]))
            if cusum:
                level = level + residual - allowance
                if level < 0.0:
                    level = 0.0
            else:
                level = weight * residual + (1.0 - weight) * level
            statistic[group, week] = level
            if level > limit:
                alarm[group, week] = True
                if reset_after_alarm:
                    level = 0.0
    return statistic, alarm


def _control_chart(
    counts: ArrayLike,
    baseline: tuple[int, int, int],
    *,
    cusum: bool,
    weight: float = 0.0,
    allowance: float = 0.0,
    limit: float,
    reset_after_alarm: bool = False,
) -> AlarmSeries:
    weeks, least, guard = baseline
    if weeks < 1 or guard < 0:
        raise ValueError("baseline_weeks must be at least 1 and guard_weeks not negative")
    values = _as_counts(counts)
    mean = _trailing_mean(values, weeks, guard, least)
    statistic, alarm = _chart_kernel(values, mean, cusum, weight, allowance, limit, reset_after_alarm)
    return AlarmSeries(baseline=mean, statistic=statistic, alarm=alarm, limit=limit)


def ewma_alerts(
    counts: ArrayLike,
    *,
    lam: float = 0.2,
    L: float = 3.0,
    baseline_weeks: int = 52,
    min_baseline_weeks: int = 8,
    guard_weeks: int = 0,
) -> AlarmSeries:
    """EWMA chart of the Poisson residuals `r_t = 2(√x_t − √μ_t)` per group.

    `E_t = λ r_t + (1 − λ) E_{t−1}`, starting from E = 0 (the in-control target) in the first
    week with a baseline; an alarm when `E_t > L √(λ / (2 − λ))`, the asymptotic limit
    (slightly wide in the first few weeks). With λ = 1 the chart is the upper edge of the
    Poisson band.

    The baseline μ_t is the mean of the `baseline_weeks` weeks that end `guard_weeks` weeks
    before week t (the current week never counts), or of as many as exist once there are
    `min_baseline_weeks`: pandas' `shift(guard_weeks).rolling(baseline_weeks,
    min_periods=min_baseline_weeks, closed="left").mean()`. A year (the default) evens out
    the seasons and keeps the estimate steady; a short baseline overlapping the chart's own
    memory cancels slow rises (with an 8-week baseline an EWMA with λ = 0.2 is almost blind).
    """
    if not 0.0 < lam <= 1.0:
        raise ValueError("lam must be in (0, 1]")
    limit = L * math.sqrt(lam / (2.0 - lam))
    return _control_chart(
        counts, (baseline_weeks, min_baseline_weeks, guard_weeks), cusum=False, weight=lam, limit=limit
    )


def cusum_alerts(
    counts: ArrayLike,
    *,
    k: float = 0.5,
    h: float = 4.0,
    baseline_weeks: int = 52,
    min_baseline_weeks: int = 8,
    guard_weeks: int = 0,
    reset_after_alarm: bool = True,
) -> AlarmSeries:
    """Upper CUSUM of the Poisson residuals `r_t = 2(√x_t − √μ_t)` per group.

    `S_t = max(0, S_{t−1} + r_t − k)`, starting from 0 in the first week with a baseline;
    an alarm when `S_t > h` (k and h in σ units; k = 0.5 targets a one-σ rise). After an
    alarm S restarts from 0 (Page's scheme: the reported statistic is the value that
    alarmed), so a lasting rise alarms again every few weeks instead of staying lit for
    months; pass `reset_after_alarm=False` for the cumulative statistic. The baseline is
    the EWMA's (see `ewma_alerts`).
    """
    if h <= 0:
        raise ValueError("h must be positive")
    return _control_chart(
        counts,
        (baseline_weeks, min_baseline_weeks, guard_weeks),
        cusum=True,
        allowance=k,
        limit=h,
        reset_after_alarm=reset_after_alarm,
    )


def same_date_years_earlier(day: date, years: int = 1) -> date:
    """The same calendar date `years` years earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


SPANS = ("week", "28_days", "year_to_date")


@dataclass(frozen=True)
class PeriodComparison:
    """CompStat table: for each group (rows) and span (columns, `SPANS`: last 7 days, last
    28 days, year to date) the count now, the count in the same span a year earlier (the
    mean over `prior_years` earlier years), the change, the % change (NaN when the earlier
    count is 0) and the Poisson z. `now_spans`/`before_spans` hold the inclusive day-number
    ranges used, `(3, 2)` and `(prior_years, 3, 2)`."""

    today: date
    now: NDArray[np.int64]
    before: NDArray[np.float64]
    change: NDArray[np.float64]
    percent_change: NDArray[np.float64]
    z: NDArray[np.float64]
    now_spans: NDArray[np.int64]
    before_spans: NDArray[np.int64]

    def rows(self) -> Iterator[dict[str, object]]:
        """One dict per group and span, with `None` for an undefined % change."""
        for group in range(self.now.shape[0]):
            for column, span in enumerate(SPANS):
                percent = float(self.percent_change[group, column])
                yield {
                    "group": group,
                    "span": span,
                    "now": int(self.now[group, column]),
                    "before": float(self.before[group, column]),
                    "change": float(self.change[group, column]),
                    "percent_change": None if math.isnan(percent) else percent,
                    "z": float(self.z[group, column]),
                }


def compare_periods(
    days: ArrayLike,
    groups: ArrayLike | None,
    n_groups: int | None = None,
    *,
    today: date,
    prior_years: int = 1,
) -> PeriodComparison:
    """Last 7 days, last 28 days and year to date against the same spans a year earlier.

    Spans now (inclusive): `[today − 6, today]`, `[today − 27, today]` and
    `[1 January, today]`. A year earlier the 7- and 28-day spans have the same length and
    end on the same calendar date (29 February → 28 February), so they always hold as many
    days as now; the year to date runs from 1 January to that date, so it can be one day
    shorter or longer than now around a leap day, as in every CompStat report. With
    `prior_years` > 1 "before" is the mean over that many earlier years.
    """
    if prior_years < 1:
        raise ValueError("prior_years must be at least 1")
    day_numbers = _as_days(days)
    codes, n_groups = _as_groups(groups, day_numbers.size, n_groups)

    def spans_ending(end: date) -> list[tuple[int, int]]:
        last = end.toordinal()
        return [(last - 6, last), (last - 27, last), (date(end.year, 1, 1).toordinal(), last)]

    now_spans = np.array(spans_ending(today), dtype=np.int64)
    before_spans = np.array(
        [spans_ending(same_date_years_earlier(today, years)) for years in range(1, prior_years + 1)],
        dtype=np.int64,
    )
    first_day = int(before_spans[:, :, 0].min())
    n_days = today.toordinal() - first_day + 1
    daily = counts_by_period(
        day_numbers, codes, start_day=first_day, n_periods=n_days, period=1, n_groups=n_groups
    )
    cumulative = np.zeros((n_groups, n_days + 1), dtype=np.int64)
    np.cumsum(daily, axis=1, out=cumulative[:, 1:])

    def span_counts(spans: NDArray[np.int64]) -> NDArray[np.int64]:
        return cumulative[:, spans[:, 1] - first_day + 1] - cumulative[:, spans[:, 0] - first_day]

    now = span_counts(now_spans)
    before = np.mean([span_counts(spans) for spans in before_spans], axis=0)
    change = now - before
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(before > 0, 100.0 * change / before, np.nan)
    return PeriodComparison(
        today=today,
        now=now,
        before=before,
        change=change,
        percent_change=percent,
        z=poisson_z(now, before),
        now_spans=now_spans,
        before_spans=before_spans,
    )


@dataclass(frozen=True)
class YearlyTrend:
    """Counts per group and calendar year (the strategy's five-year chart) with the change on
    the previous year (NaN after a zero year) and the average annual change `exp(β) − 1`
    of a Poisson log-linear fit `log E[count] = α + β·year` (NaN for a group without
    incidents; +∞ when only the last year has incidents, −1 when only the first has)."""

    years: NDArray[np.int64]
    counts: NDArray[np.int64]
    percent_change: NDArray[np.float64]
    annual_change: NDArray[np.float64]


def _poisson_log_linear_slope(counts: NDArray[np.float64], iterations: int = 50) -> NDArray[np.float64]:
    """Maximum-likelihood slope β of `log E[y] = α + β x` per row, x centred years, by
    Newton's method on the concave log-likelihood (vectorised over rows)."""
    n_groups, n_years = counts.shape
    x = np.arange(n_years, dtype=np.float64) - (n_years - 1) / 2.0
    totals = counts.sum(axis=1)
    slope = np.zeros(n_groups)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        intercept = np.log(totals / n_years)
        for _ in range(iterations):
            mean = np.exp(intercept[:, None] + slope[:, None] * x)
            g0 = (counts - mean).sum(axis=1)
            g1 = ((counts - mean) * x).sum(axis=1)
            h00 = mean.sum(axis=1)
            h01 = (mean * x).sum(axis=1)
            h11 = (mean * x * x).sum(axis=1)
            det = h00 * h11 - h01 * h01
            step0 = (h11 * g0 - h01 * g1) / det
            step1 = (h00 * g1 - h01 * g0) / det
            ok = np.isfinite(step0) & np.isfinite(step1)
            intercept = np.where(ok, intercept + step0, intercept)
            slope = np.where(ok, slope + step1, slope)
            if np.all(~ok | (np.abs(step1) < 1e-12)):
                break
    # The maximum is at β = ±∞ when only the last (first) year has incidents.
    positive = counts > 0
    only_last = positive[:, -1] & ~positive[:, :-1].any(axis=1)
    only_first = positive[:, 0] & ~positive[:, 1:].any(axis=1)
    slope = np.where(only_last, np.inf, np.where(only_first, -np.inf, slope))
    return np.where(totals > 0, slope, np.nan)


def yearly_trend(
    days: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    first_year: int,
    last_year: int,
    n_groups: int | None = None,
) -> YearlyTrend:
    """Counts per calendar year `first_year … last_year` for each group (or the whole area
    when `groups` is None) and their trend; see `YearlyTrend`."""
    if last_year < first_year:
        raise ValueError("last_year must not precede first_year")
    n_years = last_year - first_year + 1
    counts = counts_by_period(
        days,
        groups,
        start_day=date(first_year, 1, 1).toordinal(),
        n_periods=n_years,
        period="year",
        n_groups=n_groups,
    )
    values = counts.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.full_like(values, np.nan)
        percent[:, 1:] = np.where(values[:, :-1] > 0, 100.0 * (values[:, 1:] / values[:, :-1] - 1.0), np.nan)
    annual = np.expm1(_poisson_log_linear_slope(values)) if n_years > 1 else np.full(counts.shape[0], np.nan)
    return YearlyTrend(
        years=np.arange(first_year, last_year + 1, dtype=np.int64),
        counts=counts,
        percent_change=percent,
        annual_change=annual,
    )
