"""The assessment's kernel against published and hand-computed examples, its
exact interval against SciPy's binomial test, and the coverage of both
intervals on simulated Poisson counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from cpis.problems.stats.assessment import (
    BUFFER,
    CONTROL,
    DIFFUSION,
    DISPLACEMENT,
    NEITHER,
    NO_EFFECT,
    TARGET,
    Counts,
    assess,
    count_windows,
    displacement,
    rate_ratio,
    relative_effect,
    weekly_counts,
)

Z = 1.959963984540054  # the normal's 97.5 % point


def counts(rb: int, ra: int, db: int, da: int, cb: int, ca: int) -> Counts:
    return Counts(
        target_before=rb,
        target_after=ra,
        buffer_before=db,
        buffer_after=da,
        control_before=cb,
        control_after=ca,
    )


# ---------------------------------------------------------------------------------------
# Relative effect size (the log-scale difference-in-differences)


def test_relative_effect_reproduces_the_published_log_incident_rate_ratio():
    """Wheeler (2021), "Comparing the WDD vs the Wilson log IRR estimator"
    (andrewpwheeler.com, 18 March 2021): treated 50 → 30, control 60 → 55 gives
    log IRR = log 30 − log 50 − (log 55 − log 60) = −0.4238142, IRR = 0.6545455.
    RES is its inverse: (50 · 55) / (30 · 60) = 2750 / 1800 = 1.5277778."""
    res = relative_effect(counts(50, 30, 0, 0, 60, 55))
    assert res.value == pytest.approx(2750 / 1800)
    assert math.log(res.value) == pytest.approx(0.4238142, abs=5e-8)
    assert 1 / res.value == pytest.approx(0.6545455, abs=5e-8)
    # Var(ln RES) = 1/30 + 1/50 + 1/55 + 1/60 = 0.0881818; √ = 0.2969542;
    # 1.96 · 0.2969542 = 0.5820196; exp(0.4238142 ∓ 0.5820196) = 0.853674 … 2.734186.
    assert res.low == pytest.approx(0.853674, abs=1e-6)
    assert res.high == pytest.approx(2.734186, abs=1e-6)


def test_a_zero_cell_gets_half_an_event():
    # Ra = 0: (40 · 100) / (0.5 · 100) = 80; Var = 1/40 + 1/100 + 1/0.5 + 1/100 = 2.045.
    res = relative_effect(counts(40, 0, 0, 0, 100, 100))
    assert res.value == pytest.approx(80.0)
    half = Z * math.sqrt(2.045)
    assert (res.low, res.high) == pytest.approx((80 * math.exp(-half), 80 * math.exp(half)))
    assert relative_effect(counts(0, 0, 5, 5, 100, 100)).value is None  # nothing in the target


# ---------------------------------------------------------------------------------------
# Weighted displacement quotient and total net effect


def test_wdq_on_the_philadelphia_foot_patrol_counts():
    """The Philadelphia Foot Patrol Experiment's counts as Wheeler and Ratcliffe
    (2018, Crime Science 7:11) tabulate them (treated 207 → 110, its controls
    308 → 318, displacement areas 178 → 157), the treated area's controls
    taken as the one control. By hand (Guerette 2009, appendix B):
      SM  = 110/318 − 207/308 = 0.3459119 − 0.6720779 = −0.3261660
      BDM = 157/318 − 178/308 = 0.4937107 − 0.5779221 = −0.0842114
      WDQ = −0.0842114 / −0.3261660 = 0.2581857
      TNE = (207 · 318/308 − 110) + (178 · 318/308 − 157) = 103.7208 + 26.7792 = 130.5
    The buffer's fall against the control, (157 · 308) / (178 · 318) = 0.854286,
    has Var(ln) = 1/157 + 1/178 + 1/318 + 1/308 = 0.0183788, so its interval
    0.854286 · exp(∓1.96 · 0.1355685) = 0.654948 … 1.114293 contains 1: the
    sign says diffusion, but the buffer moved no more than chance — neither."""
    result = displacement(counts(207, 110, 178, 157, 308, 318))
    assert result.success_measure == pytest.approx(-0.3261660, abs=5e-8)
    assert result.buffer_measure == pytest.approx(-0.0842114, abs=5e-8)
    assert result.wdq == pytest.approx(0.2581857, abs=5e-8)
    assert result.total_net_effect == pytest.approx(130.5)
    assert result.buffer_change.value == pytest.approx(0.854286, abs=1e-6)
    assert (result.buffer_change.low, result.buffer_change.high) == pytest.approx(
        (0.654948, 1.114293), abs=1e-6
    )
    assert result.reading == NEITHER


def test_complete_displacement_reads_as_displacement_with_no_net_effect():
    """Target 100 → 50, buffer 100 → 150, control 100 → 100:
    SM = 0.5 − 1 = −0.5, BDM = 1.5 − 1 = 0.5, WDQ = −1 (all of the fall moved
    next door); TNE = (100 − 50) + (100 − 150) = 0. The buffer's rise
    (150 · 100)/(100 · 100) = 1.5 has Var(ln) = 1/150 + 3/100 = 0.0366667 and
    interval 1.5 · exp(∓1.96 · 0.1914854) = 1.0306 … 2.1832, above 1."""
    result = displacement(counts(100, 50, 100, 150, 100, 100))
    assert (result.success_measure, result.buffer_measure, result.wdq) == pytest.approx((-0.5, 0.5, -1.0))
    assert result.total_net_effect == pytest.approx(0.0)
    assert (result.buffer_change.low, result.buffer_change.high) == pytest.approx((1.0306, 2.1832), abs=1e-4)
    assert result.reading == DISPLACEMENT


def test_diffusion_of_benefits():
    """Target 100 → 50, buffer 100 → 60, control flat at 100: SM = −0.5,
    BDM = −0.4, WDQ = 0.8; TNE = 50 + 40 = 90. The buffer's fall 0.6 has the
    interval 0.6 · exp(∓1.96 · √(1/60 + 3/100)) = 0.3929 … 0.9163, below 1."""
    result = displacement(counts(100, 50, 100, 60, 100, 100))
    assert result.wdq == pytest.approx(0.8)
    assert result.total_net_effect == pytest.approx(90.0)
    assert (result.buffer_change.low, result.buffer_change.high) == pytest.approx((0.3929, 0.9163), abs=1e-4)
    assert result.reading == DIFFUSION


def test_a_wdq_inside_the_band_reads_as_neither_even_when_the_buffer_change_is_real():
    """Target 100,000 → 50,000, a wide ring 1,000,000 → 1,004,000, a control flat
    at 100,000,000: SM = (50,000 − 100,000) / 10⁸ = −0.0005, BDM = 4,000 / 10⁸ =
    0.00004, WDQ = −0.08. The ring's rise 1.004 is beyond chance (interval
    1.004 · exp(∓1.96 · √(1/1,004,000 + 1/1,000,000 + 2/10⁸)) = 1.0012 … 1.0068),
    but it is under a tenth of the target's fall: neither."""
    result = displacement(counts(100_000, 50_000, 1_000_000, 1_004_000, 100_000_000, 100_000_000))
    assert result.wdq == pytest.approx(-0.08)
    assert result.buffer_change.low > 1
    assert result.reading == NEITHER


def test_no_success_means_no_wdq():
    # Target 50 → 60 while the control stays at 100: SM = 0.6 − 0.5 = 0.1 ≥ 0.
    result = displacement(counts(50, 60, 40, 20, 100, 100))
    assert result.success_measure == pytest.approx(0.1)
    assert (result.wdq, result.reading) == (None, NO_EFFECT)
    # SM = 0 exactly is no success either.
    assert displacement(counts(50, 50, 40, 20, 100, 100)).reading == NO_EFFECT


def test_without_control_events_in_a_window_nothing_is_read():
    result = displacement(counts(50, 20, 10, 30, 0, 40))
    assert (result.wdq, result.reading, result.total_net_effect) == (None, "", None)


# ---------------------------------------------------------------------------------------
# Rate ratio: the exact conditional interval


@pytest.mark.parametrize(("after", "before"), [(30, 50), (1, 9), (12, 12), (250, 400), (3, 0), (0, 7)])
def test_rate_ratio_interval_is_clopper_pearson_on_the_conditional_binomial(after, before):
    """With equal windows RR = p / (1 − p) for p = Ra / (Ra + Rb); the bounds are
    SciPy's exact binomial interval for p, mapped the same way."""
    result = rate_ratio(after, before)
    ci = stats.binomtest(after, after + before).proportion_ci(confidence_level=0.95, method="exact")
    assert result.low == pytest.approx(ci.low / (1 - ci.low), rel=1e-9)
    if ci.high < 1:
        assert result.high == pytest.approx(ci.high / (1 - ci.high), rel=1e-9)
    else:
        assert result.high is None  # no event before: no upper bound
    if before:
        assert result.value == pytest.approx(after / before)
    else:
        assert result.value is None


def test_rate_ratio_by_hand_and_with_unequal_windows():
    # 30 after, 50 before: RR = 0.6; p = 30/80 lies in SciPy's 0.2691932 … 0.4903548,
    # so RR lies in 0.2691932/0.7308068 … 0.4903548/0.5096452 = 0.368351 … 0.962149.
    result = rate_ratio(30, 50)
    assert (result.value, result.low, result.high) == pytest.approx((0.6, 0.368351, 0.962149), abs=1e-6)
    # Half the after-window observed: the same counts are twice the rate.
    half = rate_ratio(30, 50, after_days=91, before_days=182)
    assert (half.value, half.low, half.high) == pytest.approx((1.2, 0.736701, 1.924298), abs=1e-6)
    assert rate_ratio(0, 0).value is None and rate_ratio(0, 0).covers(1.0)


def test_rate_ratio_agrees_with_the_log_normal_interval_at_large_counts():
    result = rate_ratio(4000, 5000)
    half = Z * math.sqrt(1 / 4000 + 1 / 5000)
    assert result.low == pytest.approx(0.8 * math.exp(-half), rel=2e-3)
    assert result.high == pytest.approx(0.8 * math.exp(half), rel=2e-3)


def test_rate_ratio_interval_covers_the_truth_at_least_95_percent_of_the_time():
    """Exact intervals never undercover; at small counts they overcover a little."""
    rng = np.random.default_rng(13)
    for before_mean, true_ratio in [(8.0, 1.0), (20.0, 0.5), (60.0, 0.8), (150.0, 1.2)]:
        hits = 0
        runs = 1500
        before = rng.poisson(before_mean, runs)
        after = rng.poisson(before_mean * true_ratio, runs)
        for a, b in zip(after.tolist(), before.tolist(), strict=True):
            hits += rate_ratio(a, b).covers(true_ratio)
        assert 0.945 <= hits / runs <= 0.995, (before_mean, true_ratio, hits / runs)


def test_relative_effect_interval_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(7)
    runs, hits = 3000, 0
    # Target 40 → 24 while the control goes 200 → 220: the true RES is (40 · 220) / (24 · 200) = 1.8333.
    truth = (40 * 220) / (24 * 200)
    cells = rng.poisson([40, 24, 200, 220], (runs, 4))
    for rb, ra, cb, ca in cells.tolist():
        hits += relative_effect(counts(rb, ra, 0, 0, cb, ca)).covers(truth)
    assert 0.93 <= hits / runs <= 0.97


def test_assess_puts_it_together():
    result = assess(counts(60, 20, 30, 30, 400, 410), before_days=182, after_days=182)
    assert result.rate_ratio.value == pytest.approx(1 / 3)
    assert result.rate_ratio.high < 1  # a fall beyond chance
    assert result.relative_effect.value == pytest.approx((60 * 410) / (20 * 400))
    assert result.displacement.reading in {NEITHER, DIFFUSION, DISPLACEMENT}
    nothing_yet = assess(counts(60, 0, 30, 0, 400, 0), before_days=182, after_days=0)
    assert nothing_yet.rate_ratio.value is None and nothing_yet.displacement.reading == ""


# ---------------------------------------------------------------------------------------
# Counting in windows and weeks


def test_windows_leave_out_the_response_day_and_end_where_they_should():
    r = 1000
    days = np.array([r - 29, r - 28, r - 1, r, r + 1, r + 28, r + 29, r - 5, r + 5, r + 6])
    areas = np.array([TARGET, TARGET, TARGET, TARGET, TARGET, TARGET, TARGET, BUFFER, CONTROL, -1])
    result = count_windows(days, areas, response_day=r, window_days=28, after_days=28)
    # Before: r−28 and r−1 (r−29 is outside); after: r+1 and r+28 (r+29 outside); r itself neither.
    assert (result.target_before, result.target_after) == (2, 2)
    assert (result.buffer_before, result.buffer_after, result.control_before, result.control_after) == (
        1,
        0,
        0,
        1,
    )
    # Ten days of the after-window observed so far.
    partial = count_windows(days, areas, response_day=r, window_days=28, after_days=10)
    assert (partial.target_after, partial.control_after) == (1, 1)


def test_weeks_add_up_to_the_windows():
    rng = np.random.default_rng(3)
    r, window, observed = 50_000, 45, 17
    days = rng.integers(r - 60, r + 60, 2000)
    areas = rng.integers(-1, 3, 2000)
    weekly = weekly_counts(days, areas, response_day=r, window_days=window, after_days=observed)
    totals = count_windows(days, areas, response_day=r, window_days=window, after_days=observed)
    n_before = 7  # ⌈45 / 7⌉, the first week only three days long
    assert weekly.lengths[:n_before] == [3, 7, 7, 7, 7, 7, 7]
    assert weekly.starts[0] == -45 and weekly.starts[n_before - 1] == -7
    assert weekly.lengths[n_before:] == [7, 7, 3] and weekly.starts[n_before:] == [1, 8, 15]
    counts_array = np.array(weekly.counts)
    assert counts_array[:, :n_before].sum(axis=1).tolist() == [
        totals.target_before,
        totals.buffer_before,
        totals.control_before,
    ]
    assert counts_array[:, n_before:].sum(axis=1).tolist() == [
        totals.target_after,
        totals.buffer_after,
        totals.control_after,
    ]
    # A week holds exactly its days: the last before-week is r−7 … r−1.
    last = (days >= r - 7) & (days <= r - 1) & (areas == TARGET)
    assert counts_array[TARGET, n_before - 1] == last.sum()
