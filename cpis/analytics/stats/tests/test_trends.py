"""Trend statistics: formulas against hand-computed values, counts against pandas on the
real Toronto data (exact), bands against Wheeler's crimepy formulas in pandas, and the EWMA
and CUSUM charts on planted rises and on stationary Poisson noise."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
import scipy.optimize

from cpis.analytics.stats.tests import toronto
from cpis.analytics.stats.trends import (
    compare_periods,
    counts_by_period,
    cusum_alerts,
    ewma_alerts,
    period_starts,
    poisson_band,
    poisson_z,
    same_date_years_earlier,
    weekly_bands,
    weekly_counts,
    yearly_trend,
)


def _days(*dates: date) -> np.ndarray:
    return np.array([d.toordinal() for d in dates], dtype=np.int64)


# ---------------------------------------------------------------------------------------
# Poisson z and bands


def test_poisson_z_is_twice_the_difference_of_square_roots():
    assert poisson_z(9, 4) == pytest.approx(2.0)
    assert poisson_z([16, 0, 25], [9, 1, 25]).tolist() == pytest.approx([2.0, -2.0, 0.0])
    assert poisson_z(np.array([[4.0]]), 2.25).shape == (1, 1)
    with pytest.raises(ValueError, match="negative"):
        poisson_z(-1, 3)


def test_poisson_band_from_the_mean_of_earlier_weeks():
    lower, upper = poisson_band([4] * 8)
    assert (lower, upper) == pytest.approx((0.25, 12.25))  # (2 − 1.5)², (2 + 1.5)²
    lower, upper = poisson_band([[0, 2], [9, 9]], z=2.0)
    assert lower.tolist() == pytest.approx([0.0, 4.0])  # √1 − 1 = 0; (3 − 1)²
    assert upper.tolist() == pytest.approx([4.0, 16.0])
    with pytest.raises(ValueError, match="at least one"):
        poisson_band(np.zeros((3, 0)))


def test_weekly_bands_equal_crimepys_pandas_formulas():
    counts = np.random.default_rng(4).poisson(6, size=(3, 40))
    bands = weekly_bands(counts)
    for group in range(3):
        week = pd.DataFrame({"Counts": counts[group]})
        week["PriorMean"] = week["Counts"].rolling(8, closed="left").mean()
        week["Low"] = (-3 / 2 + np.sqrt(week["PriorMean"])).clip(0) ** 2
        week["High"] = (3 / 2 + np.sqrt(week["PriorMean"])) ** 2
        for ours, theirs in [(bands.prior_mean, "PriorMean"), (bands.lower, "Low"), (bands.upper, "High")]:
            np.testing.assert_allclose(ours[group], week[theirs].to_numpy(), rtol=1e-12)
    assert np.isnan(bands.prior_mean[:, :8]).all()
    assert not np.isnan(bands.prior_mean[:, 8:]).any()
    with np.errstate(invalid="ignore"):
        assert np.array_equal(bands.above, counts > bands.upper)
        assert np.array_equal(bands.below, counts < bands.lower)


# ---------------------------------------------------------------------------------------
# Counts


def test_counts_by_period_by_hand():
    days = _days(date(2024, 1, 1), date(2024, 1, 7), date(2024, 1, 8), date(2024, 1, 8), date(2023, 12, 31))
    groups = np.array([0, 1, 1, -1, 0])
    counts = counts_by_period(days, groups, start_day=date(2024, 1, 1).toordinal(), n_periods=2, n_groups=3)
    # 31 Dec is before the first week and the −1 code has no group.
    assert counts.tolist() == [[1, 0], [1, 1], [0, 0]]
    months = counts_by_period(
        days, None, start_day=date(2023, 12, 15).toordinal(), n_periods=2, period="month"
    )
    assert months.tolist() == [[1, 4]]
    assert period_starts(date(2023, 12, 15).toordinal(), "month", 3).tolist() == [
        d.toordinal() for d in (date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1))
    ]
    assert period_starts(10, 7, 3).tolist() == [10, 17, 24]
    with pytest.raises(ValueError, match="not below n_groups"):
        counts_by_period(days, groups, start_day=0, n_periods=1, n_groups=1)
    with pytest.raises(ValueError, match="integer day numbers"):
        counts_by_period([1.5], None, start_day=0, n_periods=1)


def test_weekly_counts_end_on_the_given_day():
    end = date(2024, 3, 10)
    days = _days(
        end, end - timedelta(days=6), end - timedelta(days=7), end - timedelta(days=20), end + timedelta(1)
    )
    counts = weekly_counts(days, None, end_day=end.toordinal(), weeks=3)
    assert counts.tolist() == [[1, 1, 2]]


def test_weekly_counts_equal_pandas_groupby_on_toronto():
    data = toronto.study_period()
    end = date(2021, 12, 31)
    groups = data["category"].to_numpy() * 140 + data["place"].to_numpy()
    ours = weekly_counts(data["day"].to_numpy(), groups, 5 * 140, end_day=end.toordinal(), weeks=417)

    first = pd.Timestamp(end) - pd.Timedelta(days=7 * 417 - 1)
    week = (data["date"] - first).dt.days // 7
    kept = data[week >= 0].assign(week=week[week >= 0])
    theirs = kept.groupby(["category", "place", "week"]).size()
    expected = np.zeros((5, 140, 417), dtype=np.int64)
    index = theirs.index.to_frame().to_numpy()
    expected[index[:, 0], index[:, 1], index[:, 2]] = theirs.to_numpy()
    assert np.array_equal(ours, expected.reshape(700, 417))
    assert ours.sum() == len(kept) > 239_000


def test_monthly_and_yearly_counts_equal_pandas_on_toronto():
    data = toronto.study_period()
    start = date(2014, 1, 1).toordinal()
    months = counts_by_period(data["day"], data["category"], start_day=start, n_periods=96, period="month")
    theirs = data.groupby(["category", data["date"].dt.to_period("M")]).size().unstack(fill_value=0)
    assert np.array_equal(months, theirs.to_numpy())

    trend = yearly_trend(data["day"], first_year=2014, last_year=2021)
    assert trend.years.tolist() == list(range(2014, 2022))
    assert trend.counts[0].tolist() == data["date"].dt.year.value_counts().sort_index().tolist()


# ---------------------------------------------------------------------------------------
# CompStat comparisons


def test_same_date_years_earlier_moves_29_february_to_28_february():
    assert same_date_years_earlier(date(2020, 2, 29)) == date(2019, 2, 28)
    assert same_date_years_earlier(date(2021, 3, 1)) == date(2020, 3, 1)
    assert same_date_years_earlier(date(2024, 2, 29), 4) == date(2020, 2, 29)


def test_compare_periods_around_a_leap_day():
    incidents = [
        date(2020, 2, 29),  # today
        date(2020, 2, 23),  # last day of the 7-day span
        date(2020, 2, 22),  # 28-day span only
        date(2020, 1, 1),  # year to date only
        date(2019, 2, 28),  # last year's same date
        date(2019, 2, 22),  # last year's 7-day span [22, 28 Feb 2019]
        date(2019, 2, 21),  # last year's 28-day span only
        date(2019, 3, 1),  # after last year's same date: not counted
    ]
    table = compare_periods(_days(*incidents), None, today=date(2020, 2, 29))
    assert table.now.tolist() == [[2, 3, 4]]
    assert table.before.tolist() == [[2.0, 3.0, 3.0]]
    assert table.now_spans.tolist() == [
        [date(2020, 2, 23).toordinal(), date(2020, 2, 29).toordinal()],
        [date(2020, 2, 2).toordinal(), date(2020, 2, 29).toordinal()],
        [date(2020, 1, 1).toordinal(), date(2020, 2, 29).toordinal()],
    ]
    assert table.before_spans[0].tolist() == [
        [date(2019, 2, 22).toordinal(), date(2019, 2, 28).toordinal()],
        [date(2019, 2, 1).toordinal(), date(2019, 2, 28).toordinal()],
        [date(2019, 1, 1).toordinal(), date(2019, 2, 28).toordinal()],
    ]
    assert table.change.tolist() == [[0.0, 0.0, 1.0]]
    assert table.percent_change[0].tolist() == pytest.approx([0.0, 0.0, 100 / 3])
    assert table.z[0, 2] == pytest.approx(2 * (2 - math.sqrt(3)))

    # A year later the 7-day span [23 Feb, 1 Mar 2021] is compared with the seven days
    # ending on 1 March 2020, which include 29 February.
    later = compare_periods(_days(date(2020, 2, 24), date(2020, 2, 23)), None, today=date(2021, 3, 1))
    assert later.before_spans[0, 0].tolist() == [date(2020, 2, 24).toordinal(), date(2020, 3, 1).toordinal()]
    assert later.before[0, 0] == 1.0
    assert later.now[0, 0] == 0
    assert later.percent_change[0, 0] == -100.0


def test_compare_periods_by_group_and_over_several_years():
    days = _days(date(2021, 6, 30), date(2020, 6, 29), date(2019, 6, 28), date(2019, 6, 27), date(2021, 6, 1))
    table = compare_periods(days, [0, 0, 0, 0, 1], 3, today=date(2021, 6, 30), prior_years=2)
    assert table.now[:, 0].tolist() == [1, 0, 0]
    assert table.before[:, 0].tolist() == [1.5, 0.0, 0.0]  # (1 in 2020 + 2 in 2019) / 2
    rows = list(table.rows())
    assert len(rows) == 9
    week_of_group_1 = next(row for row in rows if row["group"] == 1 and row["span"] == "week")
    assert week_of_group_1 == {
        "group": 1,
        "span": "week",
        "now": 0,
        "before": 0.0,
        "change": 0.0,
        "percent_change": None,
        "z": 0.0,
    }


def test_compare_periods_equals_pandas_masks_on_toronto():
    data = toronto.study_period()
    today = date(2020, 2, 29)
    table = compare_periods(data["day"], data["category"], 5, today=today)
    spans = {
        "now": [("2020-02-23", "2020-02-29"), ("2020-02-02", "2020-02-29"), ("2020-01-01", "2020-02-29")],
        "before": [("2019-02-22", "2019-02-28"), ("2019-02-01", "2019-02-28"), ("2019-01-01", "2019-02-28")],
    }
    for name, array in (("now", table.now), ("before", table.before)):
        for column, (first, last) in enumerate(spans[name]):
            inside = data[(data["date"] >= first) & (data["date"] <= last)]
            expected = inside.groupby("category").size().reindex(range(5), fill_value=0)
            assert array[:, column].tolist() == expected.tolist()
    np.testing.assert_allclose(table.z, 2 * (np.sqrt(table.now) - np.sqrt(table.before)), rtol=1e-15)


# ---------------------------------------------------------------------------------------
# EWMA and CUSUM


def test_ewma_and_cusum_by_hand():
    counts = [4, 4, 9, 16, 0]
    # Baseline: the mean of up to 2 earlier weeks, from 1 week on: nan, 4, 4, 6.5, 12.5.
    residual = [2 * (math.sqrt(x) - math.sqrt(m)) for x, m in zip(counts[1:], [4, 4, 6.5, 12.5], strict=True)]
    ewma = ewma_alerts(counts, lam=0.5, L=1.0, baseline_weeks=2, min_baseline_weeks=1)
    level, expected = 0.0, []
    for r in residual:
        level = 0.5 * r + 0.5 * level
        expected.append(level)
    assert np.isnan(ewma.statistic[0, 0])
    assert ewma.statistic[0, 1:].tolist() == pytest.approx(expected)
    assert ewma.limit == pytest.approx(math.sqrt(0.5 / 1.5))
    assert ewma.alarm[0].tolist() == [False, False, True, True, False]

    cusum = cusum_alerts(counts, k=0.5, h=1.5, baseline_weeks=2, min_baseline_weeks=1)
    # S: max(0, 0 − .5) = 0; 2(3 − 2) − .5 = 1.5 (not > 1.5); 1.5 + 2(4 − √6.5) − .5 ≈ 3.90 → alarm, reset.
    assert cusum.statistic[0, 1:3].tolist() == pytest.approx([0.0, 1.5])
    assert cusum.statistic[0, 3] == pytest.approx(1.5 + residual[2] - 0.5)
    assert cusum.statistic[0, 4] == 0.0  # restarted after the alarm, then a drop
    assert cusum.alarm[0].tolist() == [False, False, False, True, False]
    assert cusum.first_alarm_week().tolist() == [3]


def test_cusum_without_reset_is_the_cumulative_sum_above_its_running_minimum():
    counts = np.random.default_rng(8).poisson(5, size=(20, 120))
    chart = cusum_alerts(counts, reset_after_alarm=False)
    baseline = pd.DataFrame(counts.T).rolling(52, min_periods=8, closed="left").mean().to_numpy().T
    np.testing.assert_allclose(chart.baseline, baseline, rtol=1e-12)
    # S_t = max(0, S_{t−1} + y_t) equals the cumulative sum minus its running minimum (and 0).
    y = 2 * (np.sqrt(counts[:, 8:]) - np.sqrt(baseline[:, 8:])) - 0.5
    total = np.cumsum(y, axis=1)
    expected = total - np.minimum(np.minimum.accumulate(total, axis=1), 0.0)
    np.testing.assert_allclose(chart.statistic[:, 8:], expected, atol=1e-9)
    assert np.array_equal(chart.alarm[:, 8:], expected > 4.0)


def test_ewma_with_lambda_one_is_the_upper_edge_of_the_poisson_band():
    counts = np.random.default_rng(3).poisson(4, size=(10, 60))
    counts[::2, 30] += 8  # a spike in half the series
    chart = ewma_alerts(counts, lam=1.0, L=3.0, baseline_weeks=8)
    bands = weekly_bands(counts, window=8, z=3.0)
    assert np.array_equal(chart.alarm, bands.above)
    assert chart.alarm.any()


@pytest.mark.parametrize("chart", [ewma_alerts, cusum_alerts])
def test_alarms_are_rare_on_stationary_poisson_noise(chart):
    rng = np.random.default_rng(21)
    for mean in (0.3, 2.0, 10.0, 40.0):
        counts = rng.poisson(mean, size=(400, 150))
        result = chart(counts)
        assert result.alarm.mean() < 0.004, mean
        assert not np.isnan(result.statistic[:, 8:]).any()


@pytest.mark.parametrize("chart", [ewma_alerts, cusum_alerts])
def test_alarms_follow_a_planted_step(chart):
    rng = np.random.default_rng(22)
    counts = rng.poisson(10.0, size=(300, 100))
    counts[:, 70:] = rng.poisson(20.0, size=(300, 30))
    result = chart(counts)
    assert result.alarm[:, 70:74].any(axis=1).mean() > 0.85
    assert result.alarm[:, 70:].any(axis=1).mean() > 0.99
    assert result.alarm[:, 8:70].mean() < 0.004
    first = result.first_alarm_week()
    assert np.median(first[first >= 70]) <= 72


def test_charts_stay_finite_when_the_baseline_is_zero():
    counts = np.zeros((2, 30))
    counts[1, 20] = 1
    for chart in (ewma_alerts(counts), cusum_alerts(counts)):
        assert np.isfinite(chart.statistic[:, 8:]).all()
        assert not chart.alarm[0].any()
    assert cusum_alerts(counts).statistic[1, 20] == pytest.approx(2.0 - 0.5)
    counts[1, 21:24] = 2
    assert cusum_alerts(counts).alarm[1].any()


def test_charts_raise_alarms_on_real_data_at_a_low_rate():
    data = toronto.study_period()
    groups = data["category"].to_numpy() * 140 + data["place"].to_numpy()
    counts = weekly_counts(data["day"], groups, 700, end_day=date(2021, 12, 31).toordinal(), weeks=417)
    for chart in (ewma_alerts(counts), cusum_alerts(counts)):
        rate = chart.alarm.mean()
        assert 0.0 < rate < 0.005


# ---------------------------------------------------------------------------------------
# Five-year trend


def test_yearly_trend_annual_change_is_the_poisson_regression_slope():
    data = toronto.study_period()
    trend = yearly_trend(data["day"], data["place"], first_year=2017, last_year=2021, n_groups=140)
    years = np.arange(5, dtype=float)
    for place in (0, 17, 70, 139):
        counts = trend.counts[place]

        def negative_log_likelihood(theta, counts=counts):
            rate = theta[0] + theta[1] * years
            return np.exp(rate).sum() - (counts * rate).sum()

        fit = scipy.optimize.minimize(
            negative_log_likelihood, [math.log(counts.mean()), 0.0], method="BFGS", options={"gtol": 1e-10}
        )
        assert trend.annual_change[place] == pytest.approx(math.expm1(fit.x[1]), abs=1e-6)
    first, second = trend.counts[:, 0], trend.counts[:, 1]
    np.testing.assert_allclose(trend.percent_change[:, 1], 100 * (second / first - 1))
    assert np.isnan(trend.percent_change[:, 0]).all()


def test_yearly_trend_edge_cases():
    only_last = _days(date(2021, 5, 1), date(2021, 6, 1))
    only_first = _days(date(2017, 5, 1))
    days = np.concatenate([only_last, only_first])
    trend = yearly_trend(days, [0, 0, 1], first_year=2017, last_year=2021, n_groups=3)
    assert trend.annual_change[0] == math.inf
    assert trend.annual_change[1] == -1.0
    assert math.isnan(trend.annual_change[2])
    flat = yearly_trend(_days(*(date(y, 1, 1) for y in range(2017, 2022))), first_year=2017, last_year=2021)
    assert flat.annual_change[0] == pytest.approx(0.0, abs=1e-12)
    assert flat.percent_change[0, 1:].tolist() == [0.0] * 4
