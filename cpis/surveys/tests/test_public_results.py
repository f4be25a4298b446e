"""What of the results may be shown beyond the staff pages: headline figures of
everyone at a place, suppressed below the wave's n, the wave a sector page, an
evaluation and an indicator read."""

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from cpis.core.periods import Period, half_year_of
from cpis.surveys.models import Wave, WaveStatus
from cpis.surveys.selectors import public

from .responses_factories import add_responses, wave_of

make_wave = partial(wave_of, starts=dt.date(2025, 10, 1), status=WaveStatus.CLOSED)


def answer(wave, sector, n, *, safe, issue="drugs", text=""):
    """n responses in `sector`, the first `safe` of them feeling safe after dark (5), the rest not (1)."""
    add_responses(
        wave,
        sector,
        n,
        lambda i: {
            "safe_dark": 5 if i < safe else 1,
            "confidence": 4,
            "safety_score": 7,
            "top_issue": issue,
            **({"issue_text": text} if text else {}),
        },
        channel="portal",
    )


def test_a_sector_headline_has_the_headline_items_the_issues_and_no_free_text(tree, version):
    wave = make_wave(tree, version)
    answer(wave, tree.n1a, 20, safe=14, text="My neighbour Agim sells drugs")
    h = public.headline(wave, tree.n1a)
    by_item = {f.item: f for f in h.figures}
    assert list(by_item) == [
        "safe_dark",
        "confidence",
        "rely",
        "fair",
        "listen",
        "know_officer",
        "forum_aware",
        "safety_score",
    ]
    assert by_item["safe_dark"].estimate == pytest.approx(0.7)
    assert by_item["safe_dark"].ci_low < 0.7 < by_item["safe_dark"].ci_high
    assert by_item["safety_score"].estimate == pytest.approx(7.0) and not by_item["safety_score"].is_share
    assert by_item["rely"].suppressed and by_item["rely"].estimate is None  # nobody answered it
    assert [i.item for i in h.issues] == ["top_issue:drugs"]
    assert h.responses == 20 and not h.suppressed
    assert all("issue_text" not in f.item for f in h.figures + h.issues)


def test_a_sector_with_fewer_answers_than_the_minimum_shows_no_figure_and_falls_back_to_its_station(
    tree, version
):
    wave = make_wave(tree, version, min_n=10)
    answer(wave, tree.n1a, 9, safe=9)
    answer(wave, tree.n1b, 30, safe=3)
    found = public.sector_results(tree.n1a, tree.n1)
    assert found.sector.suppressed
    assert all(f.suppressed and f.estimate is None and f.ci_low is None for f in found.sector.figures)
    assert found.sector.issues == []
    assert found.station is not None and found.station.unit == tree.n1
    [safe] = [f for f in found.station.figures if f.item == "safe_dark"]
    assert safe.estimate == pytest.approx(12 / 39)


def test_the_page_shows_the_latest_closed_wave_or_an_open_one_with_enough_answers(tree, version):
    closed = make_wave(tree, version, name="closed", starts=dt.date(2025, 3, 1))
    answer(closed, tree.n1a, 12, safe=6)
    opened = make_wave(tree, version, name="open", starts=dt.date(2025, 9, 1), status=WaveStatus.OPEN)
    answer(opened, tree.n1a, 9, safe=9)
    assert public.results_wave(tree.n1a) == closed
    assert public.open_wave(tree.n1a) == opened
    answer(opened, tree.n1a, 1, safe=1)
    assert public.results_wave(tree.n1a) == opened
    regional = make_wave(tree, version, name="south", place=tree.south, starts=dt.date(2025, 11, 1))
    assert public.results_wave(tree.n1a) == opened  # a wave elsewhere is not this sector's
    assert public.results_wave(tree.s1a) == regional


def test_the_change_since_the_previous_wave_says_whether_it_is_clear(tree, version):
    before = make_wave(tree, version, name="before", starts=dt.date(2024, 10, 1))
    now = make_wave(tree, version, name="now", starts=dt.date(2025, 10, 1))
    answer(before, tree.n1a, 60, safe=15)
    answer(now, tree.n1a, 60, safe=45)
    h = public.headline(now, tree.n1a)
    [safe] = [f for f in h.figures if f.item == "safe_dark"]
    assert safe.change == pytest.approx(0.5) and safe.trend == "up"
    assert h.previous == before
    [confidence] = [f for f in h.figures if f.item == "confidence"]
    assert confidence.trend == "same"


def test_an_evaluation_reads_the_waves_that_ended_in_its_half_year_or_else_the_latest_before(tree, version):
    early = make_wave(tree, version, name="early", starts=dt.date(2025, 1, 10))
    late = make_wave(tree, version, name="late", starts=dt.date(2025, 5, 10))
    make_wave(tree, version, name="planned", starts=dt.date(2025, 2, 1), status=WaveStatus.PLANNED)
    assert public.waves_for_period(dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == ([early, late], "in_period")
    assert public.waves_for_period(dt.date(2025, 7, 1), dt.date(2025, 12, 31)) == ([late], "before")
    assert public.waves_for_period(dt.date(2024, 1, 1), dt.date(2024, 6, 30)) == ([], "none")
    assert public.report_places(early) == [tree.root, tree.north, tree.south]


def test_an_indicator_is_the_estimate_of_the_latest_wave_ending_in_the_half_year_at_its_place(tree, version):
    first = make_wave(tree, version, name="first", starts=dt.date(2025, 1, 10))
    second = make_wave(tree, version, name="second", starts=dt.date(2025, 4, 10))
    regional = make_wave(tree, version, name="north", place=tree.north, starts=dt.date(2025, 5, 1))
    answer(first, tree.n1a, 20, safe=5)
    answer(second, tree.n1a, 20, safe=10)
    answer(second, tree.s1a, 20, safe=20)
    answer(regional, tree.n1a, 20, safe=16)
    h1, h2 = half_year_of(dt.date(2025, 3, 1)), half_year_of(dt.date(2025, 9, 1))
    # The country: the second national wave (the regional one does not cover it).
    assert public.perception_series("safe_dark", [h1, h2]) == [pytest.approx(75.0), None]
    # The north: the regional wave, which ended last in the half-year.
    assert public.perception_series("safe_dark", [h1], path=tree.north.path) == [pytest.approx(80.0)]
    assert public.perception_series("safe_dark", [h1], path=tree.s1.path) == [pytest.approx(100.0)]
    # A suppressed figure counts as no value, never as a number.
    Wave.objects.filter(pk__in=[second.pk]).update(min_n=25)
    assert public.perception_series("safe_dark", [h1], path=tree.s1.path) == [None]


def test_an_open_wave_counts_for_an_indicator_only_once_its_last_day_is_past(tree, version):
    today = timezone.localdate()
    wave = make_wave(tree, version, starts=today - dt.timedelta(days=5), days=10, status=WaveStatus.OPEN)
    answer(wave, tree.n1a, 20, safe=10)
    period = Period(today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    assert public.perception_series("safe_dark", [period]) == [None]
    Wave.objects.filter(pk=wave.pk).update(ends_on=today - dt.timedelta(days=1))
    assert public.perception_series("safe_dark", [period]) == [pytest.approx(50.0)]
