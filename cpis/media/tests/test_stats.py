"""The net-tone index and the Wilson interval against values worked by hand."""

import math

import pytest

from cpis.media.stats import Z95, net_tone, wilson


def test_wilson_interval_matches_the_formula():
    # 8 of 20: p = 0.4; Wilson 95% is about 0.2188 to 0.6134 (published tables).
    interval = wilson(8, 20)
    assert interval is not None
    assert interval.estimate == pytest.approx(0.4)
    assert interval.low == pytest.approx(0.2188, abs=1e-3)
    assert interval.high == pytest.approx(0.6134, abs=1e-3)


def test_wilson_of_nothing_is_none_and_of_all_stays_within_zero_and_one():
    assert wilson(0, 0) is None
    interval = wilson(5, 5)
    assert interval is not None
    assert interval.high == pytest.approx(1.0)
    assert 0 < interval.low < 1


def test_net_tone_is_the_difference_of_shares_with_the_multinomial_variance():
    interval = net_tone(30, 10, 100)
    assert interval is not None
    assert interval.estimate == pytest.approx(0.2)
    half = Z95 * math.sqrt((0.3 + 0.1 - 0.2**2) / 100)
    assert interval.low == pytest.approx(0.2 - half)
    assert interval.high == pytest.approx(0.2 + half)


def test_net_tone_is_clipped_and_refuses_impossible_counts():
    assert net_tone(3, 0, 3).high == pytest.approx(1.0)  # type: ignore[union-attr]
    assert net_tone(0, 0, 0) is None
    with pytest.raises(ValueError, match="add up"):
        net_tone(3, 3, 5)
