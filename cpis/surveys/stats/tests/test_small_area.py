"""The small-area estimator against samplics (the reference library) and its published
values, and the coverage of the direct and small-area intervals in simulated waves."""

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pytest

from cpis.surveys.stats import estimates as est
from cpis.surveys.stats import small_area as sa


def _samplics_fit(direct, variance, X, tol):
    """samplics' REML Fay–Herriot fit (a dev dependency, archived upstream: its import warns so)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from samplics.sae import EblupAreaModel
        from samplics.utils.types import FitMethod
    area = np.arange(len(direct))
    model = EblupAreaModel(FitMethod.reml)
    with warnings.catch_warnings():
        # Its log-likelihood (not compared here) takes the log of det(V), which underflows.
        warnings.simplefilter("ignore", RuntimeWarning)
        model.fit(yhat=direct, X=X, area=area, error_std=np.sqrt(variance), intercept=False, tol=tol)
    model.predict(X=X, area=area, intercept=False)
    return model


def _milk():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from samplics.datasets import load_expenditure_milk
    data = load_expenditure_milk()["data"]
    return (
        data["direct_est"].to_numpy(float),
        data["std_error"].to_numpy(float) ** 2,
        sa.indicators(data["major_area"].to_numpy()),
    )


# The REML EBLUPs and their MSEs for the expenditure on milk (Arora and Lahiri 1997, 43
# small areas in 4 major areas; the model with the major areas as fixed effects), as
# samplics' own test-suite records them (tests/sae/test_eblup_area_model.py).
MILK_ESTIMATE = [
    1.0219703, 1.0476018, 1.0679513, 0.7608170, 0.8461574, 0.9743727, 1.0584523, 1.0977762,
    1.2215449, 1.1951455, 0.7852155, 1.2139456, 1.2096593, 0.9834967, 1.1864247, 1.1556982,
    1.2263411, 1.2856486, 1.2363247, 1.2349600, 1.0903019, 1.1923057, 1.1216470, 1.2230296,
    1.1938054, 0.7627195, 0.7649550, 0.7338443, 0.7699294, 0.6134418, 0.7695558, 0.7958250,
    0.7723187, 0.6102302, 0.7001782, 0.7592787, 0.5298867, 0.7434466, 0.7548996, 0.7701918,
    0.7481164, 0.8040773, 0.6810870,
]  # fmt: skip
MILK_MSE = [
    0.013460220, 0.005372876, 0.005701990, 0.008541740, 0.009579594, 0.011670632, 0.015926137,
    0.010586518, 0.014184043, 0.014901472, 0.007694262, 0.016336469, 0.012562726, 0.012117378,
    0.012031229, 0.011709147, 0.010859780, 0.013690860, 0.011034674, 0.013079686, 0.009948636,
    0.017243977, 0.011292325, 0.013625297, 0.008065787, 0.009205133, 0.009205133, 0.016476912,
    0.007800626, 0.006098668, 0.015441564, 0.014657866, 0.009024699, 0.003870786, 0.007800626,
    0.009646139, 0.006404335, 0.010155645, 0.007209937, 0.008470277, 0.005484860, 0.009205133,
    0.009903626,
]  # fmt: skip


def _assert_equal_to_samplics(got, reference, abs_tol):
    assert got.estimate == pytest.approx(np.array(list(reference.area_est.values())), abs=abs_tol)
    assert got.mse == pytest.approx(np.array(list(reference.area_mse.values())), abs=abs_tol)
    assert got.sigma2_v == pytest.approx(reference.re_std**2, abs=abs_tol)
    assert got.beta == pytest.approx(reference.fixed_effects, abs=abs_tol)


def test_on_the_milk_data_the_estimates_equal_samplics_and_its_published_values():
    direct, variance, X = _milk()
    got = sa.fay_herriot(direct, variance, X)
    assert got.converged
    assert got.sigma2_v == pytest.approx(0.018550, abs=1e-6)
    assert got.estimate == pytest.approx(MILK_ESTIMATE, abs=1e-6)
    assert got.mse == pytest.approx(MILK_MSE, abs=1e-6)
    # The station levels: samplics' intercept 0.9681890 and its offsets for the others.
    assert got.beta == pytest.approx([0.968189, 1.100969, 1.195135, 0.726888], abs=1e-6)
    _assert_equal_to_samplics(got, _samplics_fit(direct, variance, X, tol=1e-10), abs_tol=1e-10)
    # samplics' own tolerance (1e-4 relative on σ²ᵥ) stops a little early.
    _assert_equal_to_samplics(got, _samplics_fit(direct, variance, X, tol=1e-4), abs_tol=1e-6)


def _sectors_in_stations(rng, sectors, stations):
    """Station codes of the sectors, every station with at least one sector."""
    station = np.concatenate([np.arange(stations), rng.integers(0, stations, sectors - stations)])
    return np.sort(station)


@pytest.mark.parametrize(("seed", "sectors", "stations"), [(1, 331, 35), (2, 120, 12)])
def test_on_random_sectors_shrunk_toward_their_station_the_estimates_equal_samplics(seed, sectors, stations):
    rng = np.random.default_rng(seed)
    station = _sectors_in_stations(rng, sectors, stations)
    X = sa.indicators(station)
    n = rng.integers(3, 80, len(station))
    level = rng.uniform(0.3, 0.8, stations)[station]
    truth = np.clip(level + rng.normal(0, 0.07, len(station)), 0.01, 0.99)
    direct = rng.binomial(n, truth) / n
    variance = np.maximum(direct * (1 - direct), 0.05) / n
    got = sa.fay_herriot(direct, variance, X)
    assert got.converged and got.sigma2_v > 0
    _assert_equal_to_samplics(got, _samplics_fit(direct, variance, X, tol=1e-10), abs_tol=1e-9)
    assert np.all((got.gamma > 0) & (got.gamma < 1))


def test_with_no_spread_between_sectors_beyond_noise_every_sector_gets_its_stations_level():
    rng = np.random.default_rng(11)
    station = np.repeat(np.arange(5), 8)
    X = sa.indicators(station)
    variance = rng.uniform(0.5, 2.0, 40)
    # Direct estimates nearer their station's level than their sampling noise allows.
    direct = np.array([1.0, 2.0, 3.0, 4.0, 5.0])[station] + rng.normal(0, 0.05, 40)
    got = sa.fay_herriot(direct, variance, X)
    assert got.sigma2_v == 0 and got.converged
    assert np.all(got.gamma == 0)
    # The synthetic estimate: each station's precision-weighted mean of its sectors.
    weighted = np.bincount(station, direct / variance) / np.bincount(station, 1 / variance)
    assert got.estimate == pytest.approx(weighted[station], abs=1e-12)
    _assert_equal_to_samplics(got, _samplics_fit(direct, variance, X, tol=1e-8), abs_tol=1e-12)


def test_a_sector_alone_in_its_station_or_with_few_answers_is_handled():
    rng = np.random.default_rng(12)
    station = np.concatenate([np.repeat(np.arange(6), 10), [6, 7]])  # stations 6 and 7: one sector each
    X = sa.indicators(station)
    n = np.concatenate([rng.integers(20, 60, 60), [15, 40]])
    n[[3, 17]] = 1  # sectors with a single answer
    direct = np.clip(0.6 + rng.normal(0, 0.1, 62), 0, 1)
    variance = 0.24 / n
    got = sa.fay_herriot(direct, variance, X)
    assert got.converged and np.all(np.isfinite(got.estimate)) and np.all(got.mse > 0)
    _assert_equal_to_samplics(got, _samplics_fit(direct, variance, X, tol=1e-12), abs_tol=1e-9)
    # A lone sector is its station's level: it keeps its direct figure, no more precise.
    assert got.estimate[60:] == pytest.approx(direct[60:])
    assert np.all(got.mse[60:] >= variance[60:])
    # A sector with one answer is nearly its station's level.
    assert got.gamma[3] < 0.1 and got.gamma[17] < 0.1


def test_a_sector_without_answers_gets_its_stations_level_and_a_station_without_any_gets_nothing():
    rng = np.random.default_rng(13)
    station = np.repeat(np.arange(4), 6)
    X = sa.indicators(station)
    direct = 5 + station + rng.normal(0, 0.5, 24)
    variance = np.full(24, 0.2)
    direct[2] = np.nan  # no answer in this sector
    direct[18:] = np.nan  # nor in any sector of station 3
    got = sa.fay_herriot(direct, variance, X)
    answered = np.isfinite(direct)
    reference = sa.fay_herriot(direct[answered], variance[answered], X[answered][:, :3])
    assert got.estimate[answered] == pytest.approx(reference.estimate)
    assert got.sigma2_v == pytest.approx(reference.sigma2_v)
    assert got.estimate[2] == pytest.approx(got.beta[0])  # the synthetic x'β
    leverage = 1 / np.sum(1 / (variance[[0, 1, 3, 4, 5]] + got.sigma2_v))
    assert got.mse[2] == pytest.approx(got.sigma2_v + leverage)
    assert got.gamma[2] == 0
    assert np.all(np.isnan(got.estimate[18:])) and np.all(np.isnan(got.mse[18:]))
    assert math.isnan(got.beta[3])


def test_with_no_more_sectors_than_stations_each_keeps_its_direct_estimate():
    got = sa.fay_herriot([0.3, 0.5], [0.01, 0.02], sa.indicators([0, 1]))
    assert list(got.estimate) == [0.3, 0.5] and list(got.mse) == [0.01, 0.02]
    assert not got.converged


def test_a_direct_estimate_without_a_positive_variance_is_refused():
    with pytest.raises(ValueError, match="positive sampling variance"):
        sa.fay_herriot([0.3, 0.5, 0.4], [0.01, 0.0, 0.02], np.ones((3, 1)))


def test_a_share_of_none_is_not_a_certainty():
    station = np.repeat(np.arange(3), 10)
    shares = np.array([0.6, 0.5, 0.7])[station]
    shares[0] = 0.0  # five respondents, none said yes
    n_eff = np.full(30, 40.0)
    n_eff[0] = 5.0
    got = sa.small_area_shares(shares, n_eff, sa.indicators(station))
    assert 0 < got.low[0] < got.estimate[0] < got.high[0] < 1
    assert np.all((got.low >= 0) & (got.high <= 1) & (got.low <= got.estimate) & (got.estimate <= got.high))


def test_means_pool_their_stations_spread_of_answers():
    spread = np.array([4.0, 6.0, np.nan, 1.0, 0.0])
    n = np.array([11, 21, 1, 5, 3])
    n_eff = np.array([10.0, 20.0, 1.0, 4.0, 2.0])
    station = np.array([0, 0, 0, 1, 2])
    got = sa.mean_variance(spread, n, n_eff, station)
    pooled0 = (10 * 4.0 + 20 * 6.0) / 30
    overall = (10 * 4.0 + 20 * 6.0 + 4 * 1.0) / 36  # station 2's answers were all alike
    assert got == pytest.approx([pooled0 / 10, pooled0 / 20, pooled0 / 1, 1.0 / 4, overall / 2])


def test_with_nothing_to_model_each_sector_keeps_its_mean():
    station = np.array([0, 0, 1, 1])
    X = sa.indicators(station)
    alike = sa.small_area_means([7.0] * 4, [0.0] * 4, [5, 8, 3, 4], [5.0, 8.0, 3.0, 4.0], station, X)
    assert list(alike.estimate) == [7.0] * 4 and list(alike.low) == list(alike.high) == [7.0] * 4
    single = sa.small_area_means([3.0, 9.0, 5.0, 6.0], [np.nan] * 4, [1] * 4, [1.0] * 4, station, X)
    assert list(single.estimate) == [3.0, 9.0, 5.0, 6.0]
    assert np.all(np.isnan(single.low)) and np.all(np.isnan(single.high))


# The simulated survey. A population of 300 sectors in 30 stations; each sector's
# residents in four background cells (age and sex, say) whose shares vary between the
# sectors, who answer at different rates (20–65 %) and differ in their answers; each
# wave reaches 10–60 respondents a sector, weighted by post-stratification to the
# cells' population totals. The truth of a sector is its population's share (or mean).
RESPONSE = np.array([0.20, 0.35, 0.50, 0.65])
CELL_EFFECT = np.array([-0.4, -0.1, 0.1, 0.4])  # on the logit scale
SAMPLED = 0.05  # of the residents invited


@dataclass(frozen=True)
class Population:
    station: np.ndarray  # each sector's station
    composition: np.ndarray  # sector × cell shares of the residents
    residents: np.ndarray  # sector × cell counts
    answer: np.ndarray  # sector × cell: chance of yes, or the mean score / 10


def _population(rng, level, sectors=300, stations=30):
    station = _sectors_in_stations(rng, sectors, stations)
    station_logit = rng.normal(level, 0.6, stations)
    sector_logit = station_logit[station] + rng.normal(0, 0.35, sectors)
    composition = rng.dirichlet(20 * np.array([0.3, 0.3, 0.2, 0.2]), sectors)
    expected = rng.uniform(10, 60, sectors)  # respondents
    size = expected / (SAMPLED * (composition @ RESPONSE))
    answer = 1 / (1 + np.exp(-(sector_logit[:, None] + CELL_EFFECT[None, :])))
    return Population(station, composition, size[:, None] * composition, answer)


def _wave(rng, population, score):
    """Each sector's respondents: their cells, weights and answers."""
    counts = rng.poisson(population.residents * SAMPLED * RESPONSE[None, :])
    sectors = len(population.station)
    sector = np.repeat(np.repeat(np.arange(sectors), 4), counts.ravel())
    cell = np.repeat(np.tile(np.arange(4), sectors), counts.ravel())
    weights = est.poststratify(cell, dict(enumerate(population.residents.sum(axis=0))))
    chance = population.answer[sector, cell]
    if score:  # 0–10, skewed, as such scores are: beta-binomial with mean 10·chance
        answers = rng.binomial(10, rng.beta(4 * chance, 4 * (1 - chance))).astype(float)
    else:
        answers = rng.random(len(chance)) < chance
    bounds = np.cumsum(counts.sum(axis=1))[:-1]  # the respondents come sector by sector
    return list(zip(np.split(answers, bounds), np.split(weights, bounds), strict=True))


def _simulate(seed, level, score, waves):
    rng = np.random.default_rng(seed)
    population = _population(rng, level)
    truth = np.sum(population.composition * population.answer, axis=1) * (10 if score else 1)
    X = sa.indicators(population.station)
    covered = {"direct": [], "small-area": []}
    squared = {"direct": 0.0, "small-area": 0.0}
    for _wave_number in range(waves):
        sample = _wave(rng, population, score)
        n = np.array([len(answers) for answers, _w in sample])
        if score:
            direct = [est.mean(answers, w) for answers, w in sample]
            spread = np.array([est.unit_variance(answers, w) for answers, w in sample])
        else:
            direct = [est.proportion(answers, w) for answers, w in sample]
        figure = np.array([d.estimate for d in direct])
        n_eff = np.array([d.n_effective for d in direct])
        if score:
            model = sa.small_area_means(figure, spread, n, n_eff, population.station, X, bounds=(0, 10))
        else:
            model = sa.small_area_shares(figure, n_eff, X)
        low, high = np.array([d.low for d in direct]), np.array([d.high for d in direct])
        shown = (n > 0) & np.isfinite(low)  # no answer, or a mean of one: no direct interval
        covered["direct"].append(((low <= truth) & (truth <= high))[shown])
        covered["small-area"].append((model.low <= truth) & (truth <= model.high))
        small = (n > 0) & (n < 25)
        squared["direct"] += float(np.sum((figure[small] - truth[small]) ** 2))
        squared["small-area"] += float(np.sum((model.estimate[small] - truth[small]) ** 2))
    coverage = {kind: float(np.mean(np.concatenate(hits))) for kind, hits in covered.items()}
    return coverage, squared


@pytest.mark.parametrize(
    ("item", "level", "score"),
    [
        ("a share near 60 %", 0.4, False),
        ("a rare share, near 10 %", -2.2, False),
        ("a 0–10 score near 6", 0.4, True),
    ],
)
def test_over_repeated_waves_the_95_percent_intervals_cover_the_truth_93_to_97_percent(item, level, score):
    coverage, squared = _simulate(seed=2024, level=level, score=score, waves=40)
    assert 0.93 <= coverage["direct"] <= 0.97, (item, coverage)
    assert 0.93 <= coverage["small-area"] <= 0.97, (item, coverage)
    # Why the small-area estimate exists: nearer the truth in sectors with few answers.
    assert squared["small-area"] < 0.8 * squared["direct"], (item, squared)
