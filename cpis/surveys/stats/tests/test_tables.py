"""The whole-wave estimates equal the one-cell kernel's, cell by cell."""

import math

import numpy as np
import pytest

from cpis.surveys.stats import estimates, tables


@pytest.fixture
def wave():
    rng = np.random.default_rng(7)
    n = 2_000
    cell = rng.integers(0, 12, n)
    weights = rng.gamma(2.0, 1.0, n)
    share = (rng.random(n) < 0.3 + 0.04 * cell).astype(float)
    score = rng.integers(0, 11, n).astype(float)
    share[rng.random(n) < 0.1] = np.nan  # not answered
    score[rng.random(n) < 0.2] = np.nan
    return cell, weights, np.column_stack([share, score])


def test_shares_and_means_equal_the_one_cell_kernel(wave):
    cell, weights, values = wave
    sums = tables.cell_sums(cell, 12, weights, values)
    figures = tables.estimates_from_sums(sums, np.array([True, False]))
    for c in range(12):
        for j, one in ((0, estimates.proportion), (1, estimates.mean)):
            mine = (cell == c) & ~np.isnan(values[:, j])
            y = values[mine, j]
            expected = one(y.astype(bool) if j == 0 else y, weights[mine])
            assert figures.n[c, j] == expected.n
            assert figures.estimate[c, j] == pytest.approx(expected.estimate, rel=1e-12)
            assert figures.low[c, j] == pytest.approx(expected.low, rel=1e-9)
            assert figures.high[c, j] == pytest.approx(expected.high, rel=1e-9)
            assert figures.n_effective[c, j] == pytest.approx(expected.n_effective, rel=1e-12)


def test_sums_add_up_the_tree(wave):
    """A station's figures from its sectors' sums equal those of its respondents pooled."""
    cell, weights, values = wave
    sums = tables.cell_sums(cell, 12, weights, values)
    pooled = tables.estimates_from_sums(sums[:6].sum(axis=0), np.array([True, False]))
    direct = tables.estimates_from_sums(
        tables.cell_sums(
            np.zeros(int((cell < 6).sum()), dtype=np.int64), 1, weights[cell < 6], values[cell < 6]
        )[0],
        np.array([True, False]),
    )
    np.testing.assert_allclose(pooled.estimate, direct.estimate, rtol=1e-12)
    np.testing.assert_allclose(pooled.high, direct.high, rtol=1e-12)


def test_a_cell_without_answers_is_nan_and_one_answer_has_no_mean_interval():
    values = np.array([[1.0, 7.0], [np.nan, np.nan]])
    figures = tables.estimates_from_sums(
        tables.cell_sums(np.array([0, 1]), 2, np.ones(2), values), np.array([True, False])
    )
    assert figures.n[1, 0] == 0 and math.isnan(figures.estimate[1, 0])
    assert figures.estimate[0, 1] == 7.0 and math.isnan(figures.low[0, 1])


def test_raking_codes_equals_the_kernels_raking():
    rng = np.random.default_rng(3)
    n = 3_000
    sector = rng.integers(0, 20, n)
    gender = rng.integers(0, 2, n)
    age = rng.choice(4, n, p=[0.1, 0.2, 0.3, 0.4])
    sector_totals = rng.integers(500, 5_000, 20).astype(float)
    total = sector_totals.sum()
    gender_totals = np.array([0.49, 0.51]) * total
    age_totals = np.array([0.2, 0.3, 0.3, 0.2]) * total
    start = sector_totals[sector] / np.bincount(sector)[sector]
    mine = tables.rake_codes(
        [(sector, sector_totals), (gender, gender_totals), (age, age_totals)], start, tolerance=1e-10
    )
    reference = estimates.rake(
        [
            (sector, dict(enumerate(sector_totals))),
            (gender, dict(enumerate(gender_totals))),
            (age, dict(enumerate(age_totals))),
        ],
        start,
        tolerance=1e-10,
    )
    np.testing.assert_allclose(mine, reference, rtol=1e-8)
    np.testing.assert_allclose(np.bincount(age, weights=mine), age_totals, rtol=1e-8)


def test_contradictory_margins_do_not_converge():
    codes = np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match="did not converge"):
        tables.rake_codes(
            [(codes, np.array([10.0, 10.0])), (np.array([0, 1, 0, 1]), np.array([50.0, 50.0]))],
            np.ones(4),
            iterations=50,
        )


def test_spread_equals_the_kernels_unit_variance(wave):
    cell, weights, values = wave
    spread = tables.spread(tables.cell_sums(cell, 12, weights, values))
    for c in range(12):
        mine = (cell == c) & ~np.isnan(values[:, 1])
        assert spread[c, 1] == pytest.approx(
            estimates.unit_variance(values[mine, 1], weights[mine]), rel=1e-9
        )


def test_a_wave_without_answers_gives_empty_cells():
    sums = tables.cell_sums(np.zeros(0, dtype=np.int64), 3, np.zeros(0), np.zeros((0, 2)))
    assert sums.shape == (3, 2, tables.SUMS) and not sums.any()


def test_cells_of_equal_weight_need_only_their_unweighted_sums(wave):
    """Sums from fine cells whose respondents weigh the same (answers, Σy, Σy², then
    weighted) equal the sums taken respondent by respondent."""
    cell, _weights, values = wave
    rng = np.random.default_rng(11)
    fine = cell * 5 + rng.integers(0, 5, len(cell))  # 60 fine cells inside the 12
    fine_weight = rng.gamma(2.0, 1.0, 60)
    by_respondent = tables.cell_sums(cell, 12, fine_weight[fine], values)
    by_fine_cell = tables.sums_by_cell(
        np.arange(60) // 5, 12, tables.weighted_sums(tables.answer_sums(fine, 60, values), fine_weight)
    )
    np.testing.assert_allclose(by_fine_cell, by_respondent, rtol=1e-12)
