"""The survey kernel against published values, SciPy, statsmodels and samplics."""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from cpis.surveys.stats import estimates as est


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998a), Table I, method 3 (Wilson score interval without correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_the_wilson_interval_gives_newcombes_published_values(k, n, low, high):
    got = est.wilson(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_the_wilson_interval_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(14)
    truth, n, reps = 0.3, 40, 2000
    k = rng.binomial(n, truth, reps)
    covered = sum(low <= truth <= high for low, high in (est.wilson(int(x), n) for x in k))
    assert 0.93 <= covered / reps <= 0.97


def test_a_weighted_share_uses_the_effective_n():
    answers = [1, 1, 0, 0, 1, 0, 0, 0]
    plain = est.proportion(answers)
    assert plain.estimate == 3 / 8 and plain.n_effective == 8
    assert (plain.low, plain.high) == est.wilson(3, 8)
    weights = [4, 1, 1, 1, 1, 1, 1, 1]
    weighted = est.proportion(answers, weights)
    assert weighted.estimate == pytest.approx(6 / 11)
    assert weighted.n_effective == pytest.approx(11**2 / 23)
    assert weighted.high - weighted.low > plain.high - plain.low  # unequal weights cost precision


def test_an_unweighted_mean_has_scipys_t_interval():
    values = np.array([3, 4, 4, 5, 2, 5, 4, 3, 1, 5], dtype=float)
    got = est.mean(values)
    low, high = stats.t.interval(0.95, df=len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert (got.estimate, got.low, got.high) == pytest.approx((values.mean(), low, high))


def test_poststratification_gives_each_cell_its_population_share():
    cells = [0, 0, 0, 1]
    w = est.poststratify(cells, {0: 300.0, 1: 700.0})
    assert list(w) == [100.0, 100.0, 100.0, 700.0]
    # Three of four respondents in cell 0, but cell 1 is 70 % of the population.
    assert est.proportion([1, 1, 1, 0], w).estimate == pytest.approx(0.3)
    with pytest.raises(ValueError, match="no respondent"):
        est.poststratify([0, 0], {0: 10.0, 1: 5.0})
    with pytest.raises(ValueError, match="no population"):
        est.poststratify([0, 2], {0: 10.0})


def test_raking_meets_every_margin_and_reduces_to_poststratification_with_one():
    rng = np.random.default_rng(3)
    gender = rng.integers(0, 2, 500)
    age = rng.integers(0, 3, 500)
    targets_gender = {0: 5200.0, 1: 4800.0}
    targets_age = {0: 3000.0, 1: 4000.0, 2: 3000.0}
    w = est.rake([(gender, targets_gender), (age, targets_age)])
    for codes, targets in ((gender, targets_gender), (age, targets_age)):
        for k, target in targets.items():
            assert w[codes == k].sum() == pytest.approx(target, rel=1e-6)
    one = est.rake([(gender, targets_gender)])
    assert one == pytest.approx(est.poststratify(gender, targets_gender))


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "low", "high"),
    [
        # Newcombe (1998b), method 10 (hybrid score interval).
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
    ],
)
def test_the_difference_of_two_shares_gives_newcombes_published_values(k1, n1, k2, n2, low, high):
    got = est.difference(k1, n1, k2, n2)
    assert got.estimate == pytest.approx(k1 / n1 - k2 / n2)
    assert (got.low, got.high) == pytest.approx((low, high), abs=5e-5)


def test_nothing_known_is_said_as_such():
    assert est.wilson(0, 0) == (0.0, 1.0)
    empty = est.proportion([])
    assert math.isnan(empty.estimate) and empty.n_effective == 0
    assert math.isnan(est.mean([4.0]).low)
    assert math.isnan(est.unit_variance([4.0])) and math.isnan(est.linearised_variance([4.0]))


def _samplics():
    """samplics (a dev dependency, archived upstream: its import warns so)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
        from samplics.weighting import SampleWeight
    return TaylorEstimator, PopParam, SampleWeight


def test_a_weighted_share_has_statsmodels_wilson_interval_at_the_effective_n():
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(21)
    answers = rng.random(37) < 0.3
    weights = rng.uniform(0.5, 4.0, 37)
    got = est.proportion(answers, weights)
    expected = proportion_confint(got.estimate * got.n_effective, got.n_effective, method="wilson")
    assert (got.low, got.high) == pytest.approx(expected, abs=1e-12)


def test_a_weighted_mean_and_its_linearised_variance_equal_samplics_taylor_estimator():
    taylor, param, _weights = _samplics()
    rng = np.random.default_rng(5)
    values = rng.integers(0, 11, 60).astype(float)
    weights = rng.uniform(0.5, 3.0, 60)
    reference = taylor(param.mean)
    reference.estimate(values, samp_weight=weights)
    got = est.mean(values, weights)
    assert got.estimate == pytest.approx(reference.point_est, abs=1e-12)
    # samplics: scores zᵢ = wᵢ(yᵢ − ȳ)/Σw, variance n/(n − 1)·Σ(zᵢ − z̄)², z̄ = 0.
    assert est.linearised_variance(values, weights) == pytest.approx(reference.variance, rel=1e-12)
    t = stats.t.ppf(0.975, got.n_effective - 1)  # samplics takes n − 1 degrees of freedom
    assert got.high - got.estimate == pytest.approx(t * reference.stderror, rel=1e-9)
    # With equal weights n_eff = n and the two intervals are the same.
    plain = taylor(param.mean)
    plain.estimate(values)
    unweighted = est.mean(values)
    assert (unweighted.low, unweighted.high) == pytest.approx((plain.lower_ci, plain.upper_ci), abs=1e-9)


def test_a_weighted_share_equals_samplics_and_its_variance_differs_as_the_docstring_says():
    taylor, param, _weights = _samplics()
    rng = np.random.default_rng(6)
    answers = (rng.random(80) < 0.4).astype(float)
    weights = rng.uniform(0.5, 3.0, 80)
    reference = taylor(param.prop)
    reference.estimate(answers, samp_weight=weights)
    got = est.proportion(answers, weights)
    assert got.estimate == pytest.approx(reference.point_est[1.0], abs=1e-12)
    assert est.linearised_variance(answers, weights) == pytest.approx(reference.variance[1.0], rel=1e-12)
    # The interval is Wilson's at Kish's n_eff, whose variance is p(1 − p)Σw²/(Σw)²,
    # not the linearised Σw²(y − p)²/(Σw)²·n/(n − 1); with equal weights they differ
    # by n/(n − 1) exactly.
    plain = est.proportion(answers)
    kish = plain.estimate * (1 - plain.estimate) / plain.n_effective
    assert kish * 80 / 79 == pytest.approx(est.linearised_variance(answers), rel=1e-12)


def test_poststratification_and_raking_give_samplics_weights():
    _taylor, _param, sample_weight = _samplics()
    rng = np.random.default_rng(8)
    cells = rng.integers(0, 4, 400)
    gender = rng.integers(0, 2, 400)
    by_cell = {0: 1200.0, 1: 2500.0, 2: 800.0, 3: 1500.0}
    by_gender = {0: 3100.0, 1: 2900.0}
    reference = sample_weight().poststratify(np.ones(400), control=by_cell, domain=cells)
    assert est.poststratify(cells, by_cell) == pytest.approx(reference, rel=1e-12)
    raked = sample_weight().rake(
        np.ones(400),
        margins={"cell": cells, "gender": gender},
        control={"cell": by_cell, "gender": by_gender},
        tol=1e-12,
        ctrl_tol=1e-12,
        max_iter=1000,
    )
    got = est.rake([(cells, by_cell), (gender, by_gender)], tolerance=1e-12)
    assert got == pytest.approx(raked, rel=1e-10)


def test_the_variance_of_the_answers_is_the_weighted_sample_variance():
    values = np.array([2.0, 4.0, 4.0, 5.0, 9.0])
    assert est.unit_variance(values) == pytest.approx(np.var(values, ddof=1))
    weights = np.array([1.0, 2.0, 1.0, 1.0, 3.0])
    # Frequency weights 1, 2, 1, 1, 3 are eight answers; this is the weighted variance
    # with n/(n − 1) for the five respondents, not eight.
    centre = np.average(values, weights=weights)
    expected = np.average((values - centre) ** 2, weights=weights) * 5 / 4
    assert est.unit_variance(values, weights) == pytest.approx(expected)
