"""The coverage figures against a computation made here from the rows, and the
reports each persona sees."""

import math
from collections import Counter
from datetime import date

import pytest

from cpis.media import selectors
from cpis.media.models import MediaItem

# (day, tone, topic, outlet, place attribute): the rows the counts are checked against.
ROWS = [
    (date(2025, 1, 5), "positive", "forums", "tv", "n1a"),
    (date(2025, 1, 20), "positive", "crime", "online", "n1a"),
    (date(2025, 1, 21), "negative", "crime", "online", "n1b"),
    (date(2025, 2, 3), "neutral", "crime", "tv", "n1"),
    (date(2025, 2, 9), "negative", "misconduct", "radio", "n1a"),
    (date(2025, 3, 1), "positive", "forums", "tv", "n1b"),
    (date(2025, 3, 2), "positive", "events", "radio", "n1a"),
    (date(2025, 3, 30), "neutral", "events", "tv", "s1a"),
    (date(2024, 2, 1), "negative", "crime", "tv", "n1a"),  # a year earlier
    (date(2024, 3, 1), "positive", "crime", "tv", "n1a"),
    (date(2024, 3, 2), "negative", "crime", "tv", "s1a"),
]


@pytest.fixture
def rows(tree, log):
    return [
        log(getattr(tree, place), day=day, tone=tone, topic=topic, outlet=outlet)
        for day, tone, topic, outlet, place in ROWS
    ]


def test_coverage_equals_counts_made_from_the_rows(tree, actor_for, rows, topics):
    actor = actor_for("commander_n1")
    figures = selectors.coverage(actor, selectors.Filters(start=date(2025, 1, 1), end=date(2025, 3, 31)))
    north = {"n1", "n1a", "n1b"}
    mine = [r for r in ROWS if r[4] in north and date(2025, 1, 1) <= r[0] <= date(2025, 3, 31)]
    tones = Counter(r[1] for r in mine)
    assert (figures.totals.positive, figures.totals.neutral, figures.totals.negative) == (
        tones["positive"],
        tones["neutral"],
        tones["negative"],
    )
    by_month = {m.month: m.counts for m in figures.months}
    assert list(by_month) == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    for month, counts in by_month.items():
        month_rows = Counter(r[1] for r in mine if r[0].month == month.month)
        assert (counts.positive, counts.neutral, counts.negative) == (
            month_rows["positive"],
            month_rows["neutral"],
            month_rows["negative"],
        )
    # The net tone and its interval, worked out independently.
    n = len(mine)
    p, q = tones["positive"] / n, tones["negative"] / n
    half = 1.959964 * math.sqrt((p + q - (p - q) ** 2) / n)
    net = figures.totals.net
    assert net is not None
    assert net.estimate == pytest.approx(p - q)
    assert net.low == pytest.approx(max(-1, p - q - half))
    assert net.high == pytest.approx(min(1, p - q + half))
    # The top topic is crime (3 reports), then forums (2).
    assert [(r.label, r.counts.total) for r in figures.topics][:2] == [
        (topics["crime"].name, 3),
        (topics["forums"].name, 2),
    ]
    # The same months a year earlier: two reports about the north's places.
    assert figures.last_year.total == 2
    assert (figures.last_year.positive, figures.last_year.negative) == (1, 1)


def test_filters_narrow_the_counts(tree, actor_for, rows, topics):
    actor = actor_for("directorate")
    period = {"start": date(2025, 1, 1), "end": date(2025, 3, 31)}
    assert selectors.coverage(actor, selectors.Filters(**period)).totals.total == 8
    assert selectors.coverage(actor, selectors.Filters(unit=tree.n1a, **period)).totals.total == 4
    assert selectors.coverage(actor, selectors.Filters(topic=topics["crime"], **period)).totals.total == 3
    assert selectors.coverage(actor, selectors.Filters(outlet_kind="radio", **period)).totals.total == 2
    only_negative = selectors.coverage(actor, selectors.Filters(tone="negative", **period)).totals
    assert (only_negative.total, only_negative.negative) == (2, 2)


def test_another_stations_commander_sees_nothing_of_this_one(tree, actor_for, rows):
    south = actor_for("commander_s1")
    seen = set(selectors.list_items(south, selectors.Filters()).values_list("pk", flat=True))
    expected = {item.pk for item, row in zip(rows, ROWS, strict=True) if row[4] == "s1a"}
    assert seen == expected
    figures = selectors.coverage(south, selectors.Filters(start=date(2025, 1, 1), end=date(2025, 3, 31)))
    assert figures.totals.total == 1
    north_item = rows[0]
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.get_item(south, north_item.pk)
    with pytest.raises(Http404):
        selectors.get_unit(south, tree.n1.pk)


def test_a_report_about_two_stations_is_seen_at_both_and_counted_once(tree, actor_for, log):
    item = log(tree.n1a, units=[tree.n1a, tree.s1a], tone="positive")
    for persona in ("commander_n1", "commander_s1", "directorate"):
        assert list(
            selectors.list_items(actor_for(persona), selectors.Filters()).values_list("pk", flat=True)
        ) == [item.pk]
    figures = selectors.coverage(
        actor_for("directorate"), selectors.Filters(start=date(2025, 3, 1), end=date(2025, 3, 31))
    )
    assert figures.totals.total == 1
    assert MediaItem.objects.count() == 1


def test_the_list_takes_the_same_queries_for_one_report_or_many(
    tree, actor_for, log, django_assert_max_num_queries
):
    actor = actor_for("commander_n1")
    log(tree.n1a)
    with django_assert_max_num_queries(3) as one:
        [
            (i.outlet.name, i.topic.name, [p.unit.name for p in i.places.all()])
            for i in selectors.list_items(actor, selectors.Filters())
        ]
    for n in range(6):
        log(tree.n1b, headline=f"More {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        [
            (i.outlet.name, i.topic.name, [p.unit.name for p in i.places.all()])
            for i in selectors.list_items(actor, selectors.Filters())
        ]
