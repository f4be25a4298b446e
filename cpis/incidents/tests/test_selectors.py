"""Reads for analytics and the action plan: incident points as columns,
scoped to the actor's places and narrowed by path, category and days;
counts by sector and by period."""

from datetime import date

import numpy as np
from django.db import connection

from cpis.incidents import selectors
from cpis.incidents.models import IncidentCategory


def _some(tree, add):
    """Three in N1A, one in N1B, two in S1A, one outside every sector, one at station N1 without a point."""
    add(tree.n1a, "burglary", day=date(2024, 1, 10), hour=21, lat=42.55, lon=21.05)
    add(tree.n1a, "burglary", day=date(2024, 2, 1), lat=42.56, lon=21.06)
    add(tree.n1a, "assault", day=date(2024, 7, 6), hour=1, lat=42.57, lon=21.07)
    add(tree.n1b, "theft", day=date(2024, 3, 3), hour=12, lat=42.55, lon=21.15)
    add(tree.s1a, "burglary", day=date(2023, 12, 31), hour=18, lat=41.95, lon=21.05)
    add(tree.s1a, "robbery", day=date(2024, 5, 5), hour=0, lat=41.96, lon=21.06)
    add(tree.root, "theft", day=date(2024, 4, 4), lat=48.1, lon=11.6)
    add(tree.n1, "fraud", day=date(2024, 4, 5))


def test_points_are_columns_of_what_the_actor_may_see(tree, add, actor_for, django_assert_max_num_queries):
    _some(tree, add)
    commander = actor_for("commander_n1")
    with django_assert_max_num_queries(1):
        points = selectors.incident_points(commander)
    assert len(points) == 4  # the station's four with coordinates; not the one without
    order = np.argsort(points.day)
    assert points.day[order].tolist() == [
        date(2024, 1, 10).toordinal(),
        date(2024, 2, 1).toordinal(),
        date(2024, 3, 3).toordinal(),
        date(2024, 7, 6).toordinal(),
    ]
    assert points.hour[order].tolist() == [21, -1, 12, 1]
    assert points.lon[order].tolist() == [21.05, 21.06, 21.15, 21.07]
    assert points.lat[order].tolist() == [42.55, 42.56, 42.55, 42.57]
    assert points.sector[order].tolist() == [tree.n1a.pk, tree.n1a.pk, tree.n1b.pk, tree.n1a.pk]
    codes = dict(IncidentCategory.objects.values_list("pk", "code"))
    assert [codes[c] for c in points.category[order].tolist()] == ["burglary", "burglary", "theft", "assault"]
    assert (points.lon.dtype, points.day.dtype, points.hour.dtype) == (np.float64, np.int32, np.int8)
    assert (points.category.dtype, points.sector.dtype) == (np.int32, np.int64)


def test_points_narrow_by_path_category_and_days_and_never_leave_the_scope(tree, add, actor_for):
    _some(tree, add)
    directorate = actor_for("directorate")
    everything = selectors.incident_points(directorate)
    assert len(everything) == 7 and (everything.sector == -1).sum() == 1
    assert len(selectors.incident_points(directorate, path=tree.s1.path)) == 2
    burglaries = selectors.incident_points(directorate, categories=["burglary"])
    assert len(burglaries) == 3
    in_2024 = selectors.incident_points(
        directorate, categories=["burglary", "theft"], start=date(2024, 1, 1), end=date(2024, 3, 3)
    )
    assert len(in_2024) == 3
    # A path outside the actor's places gives nothing, not someone else's incidents.
    assert len(selectors.incident_points(actor_for("commander_n1"), path=tree.s1.path)) == 0
    assert len(selectors.incident_points(actor_for("officer_n1a"))) == 3
    nothing = selectors.incident_points(actor_for("standards"))
    assert len(nothing) == 0 and nothing.day.dtype == np.int32


def test_counts_by_sector(tree, add, actor_for):
    _some(tree, add)
    assert selectors.count_incidents_by_sector(actor_for("commander_n1")) == {tree.n1a.pk: 3, tree.n1b.pk: 1}
    assert selectors.count_incidents_by_sector(actor_for("directorate"), path=tree.s1.path) == {
        tree.s1a.pk: 2
    }
    assert selectors.count_incidents_by_sector(
        actor_for("directorate"), start=date(2024, 1, 1), end=date(2024, 2, 1)
    ) == {tree.n1a.pk: 2}


def test_the_taxonomy_comes_in_its_order(taxonomy):
    codes = [c.code for c in selectors.list_categories()]
    assert codes[:3] == ["assault", "burglary", "robbery"] and codes[-1] == "other" and len(codes) == 15


def test_matching_incidents_are_those_seen_of_the_categories_since_the_day_in_the_sectors_or_bounds(
    tree, add, actor_for
):
    _some(tree, add)
    burglary = IncidentCategory.objects.get(code="burglary").pk
    commander = actor_for("commander_n1")

    def days(**where):
        rows = selectors.list_matching(commander, category_ids=[burglary], since=date(2024, 1, 1), **where)
        return [i.occurred_on for i in rows]

    assert days() == [date(2024, 2, 1), date(2024, 1, 10)]  # not S1A's, not before the day
    assert days(sector_ids=[tree.n1b.pk]) == []
    assert days(bounds=(21.04, 42.54, 21.055, 42.555)) == [date(2024, 1, 10)]
    first = selectors.list_matching(commander, category_ids=[burglary], since=date(2024, 1, 1)).last()
    assert days(exclude_ids=[first.pk]) == [date(2024, 2, 1)]
    assert not selectors.list_matching(
        actor_for("commander_s1"), category_ids=[burglary], since=date(2024, 1, 1)
    )


def test_points_for_counting_read_the_same_days_categories_and_sectors(tree, add, actor_for):
    """`counts_only`: the same events with their days, categories and sectors, and
    no places or hours (NaN, -1) on PostgreSQL, and also the incident placed by its
    unit alone (the fraud at station N1), which counts though a map cannot show it."""
    _some(tree, add)
    directorate = actor_for("directorate")
    full = selectors.incident_points(directorate)
    counted = selectors.incident_points(directorate, counts_only=True)
    assert (len(full), len(counted)) == (7, 8)
    codes = dict(IncidentCategory.objects.values_list("pk", "code"))
    outside = sorted(codes[c] for c in counted.category[counted.sector < 0].tolist())
    assert outside == ["fraud", "theft"]  # the station's fraud, and the theft outside every sector
    counted = counted.where(counted.category != IncidentCategory.objects.get(code="fraud").pk)
    order = np.lexsort((full.category, full.sector, full.day))
    counted_order = np.lexsort((counted.category, counted.sector, counted.day))
    for column in ("day", "category", "sector"):
        assert getattr(counted, column)[counted_order].tolist() == getattr(full, column)[order].tolist()
        assert getattr(counted, column).dtype == getattr(full, column).dtype
    if connection.vendor == "postgresql":  # only PostgreSQL reads fewer columns
        assert np.isnan(counted.lon).all() and (counted.hour == -1).all()
    empty = selectors.incident_points(actor_for("standards"), counts_only=True)
    assert len(empty) == 0 and empty.sector.dtype == np.int64
