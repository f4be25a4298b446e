"""A wave's results: weights, levels, groups, suppression, change and gaps, the cache."""

import datetime as dt

import numpy as np
import pytest

from cpis.surveys.models import Margin, Response, ResponseStatus
from cpis.surveys.selectors import results
from cpis.surveys.stats import estimates

from .responses_factories import add_responses, wave_of


def answer(wave, sector, n, *, confidence, gender="", community="", score=6):
    """n responses in `sector`, the first `confidence` of them agreeing (5), the rest not (2)."""
    add_responses(
        wave,
        sector,
        n,
        lambda i: {"confidence": 5 if i < confidence else 2, "safety_score": score, "top_issue": "drugs"},
        gender=gender,
        community=community,
    )


def test_a_station_weighs_its_sectors_by_population_not_by_answers(populated, version):
    tree = populated
    wave = wave_of(tree, version)
    answer(wave, tree.n1a, 20, confidence=20)  # all agree, 3,000 people
    answer(wave, tree.n1b, 60, confidence=0)  # none agree, 1,000 people
    t = results.compute(wave)
    [station] = results.results(t, "station", places=[tree.n1.pk], items=["confidence"])
    assert station.estimate == pytest.approx(0.75)  # 3,000 / 4,000, not 20 / 80
    assert station.n == 80 and station.weighted
    assert station.method == "wilson"
    w = np.r_[np.full(20, 3000 / 20), np.full(60, 1000 / 60)]
    expected = estimates.proportion(np.r_[np.ones(20), np.zeros(60)].astype(bool), w)
    assert station.ci_low == pytest.approx(expected.low) and station.ci_high == pytest.approx(expected.high)
    assert station.n_effective == pytest.approx(expected.n_effective, abs=0.05)


def test_fewer_answers_than_the_minimum_are_suppressed_at_every_level_and_group(populated, version):
    tree = populated
    wave = wave_of(tree, version, min_n=10)
    answer(wave, tree.n1a, 9, confidence=5)
    answer(wave, tree.n1b, 30, confidence=10)
    t = results.compute(wave)
    sectors = {r.place: r for r in results.results(t, "sector", items=["confidence"], small_area=False)}
    assert sectors[tree.n1a.pk].suppressed and sectors[tree.n1a.pk].estimate is None
    assert sectors[tree.n1a.pk].ci_low is None and sectors[tree.n1a.pk].n_effective is None
    assert not sectors[tree.n1b.pk].suppressed
    for r in results.results(t, "country", groups=results.all_groups()):
        assert r.suppressed == (r.n < 10)
        if r.suppressed:
            assert r.estimate is None


def test_margins_rake_the_weights_to_the_population(populated, version):
    tree = populated
    wave = wave_of(tree, version)
    answer(wave, tree.n1a, 30, confidence=30, gender="female")  # women agree
    answer(wave, tree.n1a, 10, confidence=0, gender="male")  # men do not
    answer(wave, tree.n1b, 20, confidence=20, gender="female")
    answer(wave, tree.n1b, 20, confidence=0, gender="male")
    answer(wave, tree.s1a, 20, confidence=10, gender="female")
    answer(wave, tree.s1a, 20, confidence=10, gender="male")
    unweighted = results.results(results.compute(wave), "country", items=["confidence"])[0].estimate
    Margin.objects.create(wave=wave, dimension="gender", category="female", share=0.5)
    Margin.objects.create(wave=wave, dimension="gender", category="male", share=0.5)
    t = results.compute(wave)
    [country] = results.results(t, "country", items=["confidence"])
    [women] = results.results(t, "country", groups=["gender:female"], items=["confidence"])
    [men] = results.results(t, "country", groups=["gender:male"], items=["confidence"])
    # With the weights raked to half women, half men, the country figure is the mean
    # of the two groups' figures.
    assert country.estimate == pytest.approx((women.estimate + men.estimate) / 2, abs=1e-6)
    assert country.estimate < unweighted
    # And every sector still weighs its population.
    [station] = results.results(t, "station", places=[tree.n1.pk], items=["confidence"])
    assert station.weighted


def test_items_of_each_kind(populated, version):
    tree = populated
    wave = wave_of(tree, version)
    answer(wave, tree.n1a, 12, confidence=6, score=8)
    t = results.compute(wave)
    by_item = {r.item: r for r in results.results(t, "sector", places=[tree.n1a.pk], small_area=False)}
    assert by_item["safety_score"].estimate == pytest.approx(8.0) and by_item["safety_score"].method == "t"
    assert by_item["top_issue:drugs"].estimate == 1.0
    assert by_item["top_issue:theft"].estimate == 0.0
    assert "issue_text" not in by_item  # free text is not estimated
    assert by_item["rely"].n == 0 and by_item["rely"].suppressed


def test_held_and_rejected_responses_do_not_count(populated, version):
    tree = populated
    wave = wave_of(tree, version)
    answer(wave, tree.n1a, 12, confidence=12)
    Response.objects.filter(pk__in=Response.objects.values("pk")[:2]).update(status=ResponseStatus.HELD)
    t = results.compute(wave)
    [r] = results.results(t, "sector", places=[tree.n1a.pk], items=["confidence"], small_area=False)
    assert r.n == 10


def test_change_between_waves_and_the_gap_between_communities(populated, version):
    tree = populated
    before = wave_of(tree, version, name="2025", starts=dt.date(2025, 10, 1))
    now = wave_of(tree, version)
    answer(before, tree.n1a, 50, confidence=20)
    answer(now, tree.n1a, 50, confidence=35)
    assert results.previous_wave(now) == before
    [delta] = [
        d
        for d in results.change(results.compute(now), results.compute(before), "sector", tree.n1a.pk)
        if d.item == "confidence"
    ]
    expected = estimates.difference(35, 50, 20, 50)
    assert delta.estimate == pytest.approx(0.3)
    assert (delta.ci_low, delta.ci_high) == pytest.approx((expected.low, expected.high))
    answer(now, tree.n1b, 30, confidence=6, community="serb")
    answer(now, tree.n1b, 30, confidence=24, community="albanian")
    gaps = results.community_gaps(results.compute(now), "station", tree.n1.pk, "serb")
    [gap] = [g for g in gaps if g.item == "confidence"]
    assert gap.estimate == pytest.approx(0.2 - 0.8)
    assert gap.ci_high < 0


def test_the_cache_notices_a_new_response(populated, version):
    tree = populated
    wave = wave_of(tree, version)
    answer(wave, tree.n1a, 12, confidence=12)
    assert results.table(wave).responses == 12
    assert results.table(wave).responses == 12
    answer(wave, tree.n1a, 3, confidence=0)
    assert results.table(wave).responses == 15
