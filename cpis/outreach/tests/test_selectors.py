"""Reads: what each place sees, totals per kind, the form's defaults, and the
counts the action plan's indicators read, against known data."""

from datetime import date

import pytest
from django.http import Http404

from cpis.core.periods import Period, half_years
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import OfficerFactory
from cpis.outreach import selectors
from cpis.outreach.models import Kind, OutreachActivity, Topic

PERIODS = half_years(date(2014, 1, 1), date(2015, 12, 31))  # 2014 H1 … 2015 H2


def add(unit, kind, day, audience=10, topic=""):
    return OutreachActivity.objects.create(
        kind=kind, topic=topic, happened_on=day, unit=unit, unit_path=unit.path, audience=audience
    )


@pytest.fixture
def known(tree):
    """Activities in three places over two years."""
    add(tree.n1a, Kind.SCHOOL_LECTURE, date(2014, 3, 10), 30, Topic.NARCOTICS)
    add(tree.n1a, Kind.SCHOOL_LECTURE, date(2014, 6, 30), 25, Topic.TRAFFIC_SAFETY)  # last day of H1
    add(tree.n1b, Kind.SCHOOL_LECTURE, date(2014, 7, 1), 40, Topic.WEAPONS)  # first day of H2
    add(tree.s1a, Kind.SCHOOL_LECTURE, date(2015, 11, 5), 35, Topic.POLICE_ROLE)
    add(tree.n1, Kind.OPEN_DAY, date(2014, 9, 6), 350)
    add(tree.s1, Kind.OPEN_DAY, date(2014, 9, 6), 120)
    add(tree.n1, Kind.OPEN_DAY, date(2015, 9, 5), 400)
    add(tree.n1a, Kind.PUBLIC_CONTACT, date(2015, 2, 1), 12)
    add(tree.n1a, Kind.COMMUNITY_MEETING, date(2015, 4, 1), 18)
    add(tree.n1, Kind.MEDIA, date(2015, 10, 1), 0)
    add(tree.n1, Kind.CAMPAIGN, date(2014, 5, 1), 900, Topic.DOMESTIC_VIOLENCE)
    add(tree.n1b, Kind.CONTACT_PRESENTATION, date(2014, 2, 2), 50)
    add(tree.n1b, Kind.OTHER, date(2013, 12, 31), 5)  # before the periods


def test_counts_per_half_year_nationally(known):
    assert selectors.count_lectures(PERIODS) == [2, 1, 0, 1]
    assert selectors.count_open_day_visitors(PERIODS) == [0, 470, 0, 400]
    assert selectors.count_public_contacts(PERIODS) == [0, 0, 1, 0]
    assert selectors.count_ngo_meetings(PERIODS) == [0, 0, 1, 0]
    assert selectors.count_presentations(PERIODS) == [1, 0, 0, 0]
    assert selectors.count_media_appearances(PERIODS) == [0, 0, 0, 1]
    assert selectors.count_campaigns(PERIODS) == [1, 0, 0, 0]
    assert selectors.count_promotional_activities(PERIODS) == [4, 3, 2, 3]


def test_counts_narrow_to_a_place(tree, known):
    assert selectors.count_lectures(PERIODS, path=tree.n1.path) == [2, 1, 0, 0]
    assert selectors.count_lectures(PERIODS, path=tree.n1a.path) == [2, 0, 0, 0]
    assert selectors.count_open_day_visitors(PERIODS, path=tree.south.path) == [0, 120, 0, 0]
    assert selectors.count_promotional_activities(PERIODS, path=tree.s1.path) == [0, 1, 0, 1]


def test_each_count_is_one_query(known, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.count_open_day_visitors(PERIODS, path="kp/")
    with django_assert_num_queries(1):
        selectors.count_lectures(PERIODS, path="kp/")


def test_a_sector_officer_sees_their_sector_and_a_commander_their_station(tree, actor_for, known):
    def kinds(name):
        return {
            (a.unit.code, a.kind) for a in selectors.list_activities(actor_for(name), selectors.Filters())
        }

    assert {code for code, _kind in kinds("officer_n1a")} == {"n1a"}
    assert {code for code, _kind in kinds("commander_n1")} == {"n1", "n1a", "n1b"}
    assert {code for code, _kind in kinds("directorate")} == {"n1", "n1a", "n1b", "s1", "s1a"}
    assert kinds("standards") == set()


def test_totals_per_kind_follow_the_filters(tree, actor_for, known):
    filters = selectors.Filters(period=Period(date(2014, 1, 1), date(2014, 12, 31)), unit=tree.n1)
    totals, overall = selectors.totals_by_kind(actor_for("directorate"), filters)
    by_kind = {t.kind: (t.activities, t.audience) for t in totals}
    assert by_kind[Kind.SCHOOL_LECTURE] == (3, 95)
    assert by_kind[Kind.OPEN_DAY] == (1, 350)
    assert by_kind[Kind.MEDIA] == (0, 0)
    assert (overall.activities, overall.audience) == (6, 95 + 350 + 900 + 50)
    lectures = selectors.Filters(kind=Kind.SCHOOL_LECTURE, topic=Topic.WEAPONS)
    assert [a.place for a in selectors.list_activities(actor_for("commander_n1"), lectures)] == [""]


def test_another_places_activity_is_not_found(tree, actor_for, known):
    theirs = OutreachActivity.objects.get(unit=tree.s1a)
    with pytest.raises(Http404):
        selectors.get_activity(actor_for("commander_n1"), theirs.pk)
    assert selectors.get_activity(actor_for("commander_s1"), theirs.pk) == theirs


def test_the_form_starts_at_my_sector_else_at_my_place(tree, actor_for, officer_for):
    officer = officer_for("officer_n1a", sector=tree.n1a)
    assert selectors.default_place(actor_for("officer_n1a"), officer) == tree.n1a
    assert selectors.default_place(actor_for("commander_n1"), None) == tree.n1
    assert selectors.default_place(actor_for("strategy_coordinator"), None) is None


def test_the_officer_choices_are_the_sector_team_or_the_station(tree, officer_for):
    leader = officer_for("leader_n1a", sector=tree.n1a)
    other_sector = officer_for("officer_n1a", sector=tree.n1b)
    desk = OfficerFactory(unit=tree.n1)
    assert list(selectors.list_officer_choices(tree.n1a)) == [leader]
    assert set(selectors.list_officer_choices(tree.n1)) == {leader, other_sector, desk}
    assert set(selectors.list_officer_choices(tree.n1a, include=[desk.pk])) == {leader, desk}


def test_the_system_sees_everything(known):
    assert selectors.list_activities(Actor.system(), selectors.Filters()).count() == 13
