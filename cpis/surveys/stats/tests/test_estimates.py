"""The survey kernel against published values, SciPy and simulation."""

import math

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


def test_small_sectors_shrunk_toward_their_station_are_nearer_the_truth_than_their_direct_shares():
    rng = np.random.default_rng(7)
    sectors, reps = 30, 60
    error_shrunk = error_direct = 0.0
    covered_direct = covered_shrunk = total = 0
    for _rep in range(reps):
        truth = rng.beta(12, 8, sectors)  # sectors around 0.6, with real spread
        n = rng.integers(5, 40, sectors)
        k = rng.binomial(n, truth)
        prior = est.beta_prior(k, n)
        for i in range(sectors):
            s = est.shrunk(int(k[i]), int(n[i]), prior)
            low, high = est.wilson(int(k[i]), int(n[i]))
            error_shrunk += (s.estimate - truth[i]) ** 2
            error_direct += (k[i] / n[i] - truth[i]) ** 2
            covered_direct += low <= truth[i] <= high
            covered_shrunk += s.low <= truth[i] <= s.high
            total += 1
    assert error_shrunk < 0.8 * error_direct
    assert 0.93 <= covered_direct / total <= 0.98
    # The plug-in posterior interval ignores the uncertainty of the fitted prior and
    # covers too rarely; until it is corrected it is not published (module docstring).
    assert covered_shrunk / total < 0.93


def test_with_no_spread_between_sectors_the_prior_is_strong_and_each_sector_sits_at_the_station():
    n = np.full(20, 20)
    k = np.full(20, 12)  # every sector 60 %: no spread beyond noise
    prior = est.beta_prior(k, n)
    assert prior.mean == pytest.approx(0.6)
    assert prior.alpha + prior.beta > 1000
    lone = est.shrunk(2, 5, prior)  # a sector at 40 % on five answers
    assert lone.estimate == pytest.approx(0.6, abs=0.01)


def test_nothing_known_is_said_as_such():
    assert est.wilson(0, 0) == (0.0, 1.0)
    empty = est.proportion([])
    assert math.isnan(empty.estimate) and empty.n_effective == 0
    assert math.isnan(est.mean([4.0]).low)
