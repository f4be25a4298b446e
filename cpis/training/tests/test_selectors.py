"""Training reads: the counts the action plan reads, against known data, and
the officer's training record as personal data (logged, and hidden from
sector officers)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.core.periods import Period, half_years
from cpis.organisation.tests.factories import OfficerFactory
from cpis.training import selectors
from cpis.training.models import Attendance, Course, Level, Programme, StudyVisit, Trainer

PERIODS = half_years(date(2013, 1, 1), date(2014, 12, 31))  # 2013 H1 … 2014 H2


def course(programme, unit, starts_on, ends_on, completed=(), enrolled=()):
    created = Course.objects.create(
        programme=programme, unit=unit, unit_path=unit.path, starts_on=starts_on, ends_on=ends_on
    )
    Attendance.objects.bulk_create(
        [Attendance(course=created, officer=o, completed=True) for o in completed]
        + [Attendance(course=created, officer=o, completed=False) for o in enrolled]
    )
    return created


@pytest.fixture
def known(tree, programme, officers):
    n1, n1a, s1 = officers["n1"], officers["n1a"], officers["s1"]
    course(programme, tree.north, date(2013, 3, 4), date(2013, 3, 8), [n1, n1a], [s1])
    course(programme, tree.n1, date(2013, 6, 27), date(2013, 7, 1), [n1])  # ends in H2
    course(programme, tree.s1, date(2014, 2, 3), date(2014, 2, 5), [s1], [n1])
    course(programme, tree.root, date(2014, 10, 6), date(2014, 10, 10), [n1, s1])
    today = timezone.localdate()
    course(programme, tree.root, today + timedelta(days=5), today + timedelta(days=9))  # not delivered yet
    Trainer.objects.create(officer=n1, certified_on=date(2013, 5, 2))
    Trainer.objects.create(name="Sarah Mitchell", organisation="OSCE", certified_on=date(2013, 2, 1))
    Trainer.objects.create(officer=s1, certified_on=date(2014, 8, 1))
    Trainer.objects.create(name="Not yet prepared", organisation="ICITAP")
    Programme.objects.create(title="SARA", level=Level.SPECIALISED, approved_on=date(2013, 4, 10))
    Programme.objects.create(title="Udhëheqja", level=Level.LEADERSHIP, approved_on=date(2013, 5, 28))
    Programme.objects.create(title="Draft", level=Level.SPECIALISED)
    oslo = StudyVisit.objects.create(
        country="Norvegji", starts_on=date(2013, 5, 13), ends_on=date(2013, 5, 17), purpose="x"
    )
    oslo.participants.set([n1])
    StudyVisit.objects.create(
        country="Suedi", starts_on=date(2014, 12, 29), ends_on=date(2015, 1, 2), purpose="x"
    )
    StudyVisit.objects.create(
        country="Slloveni", starts_on=date(2014, 4, 7), ends_on=date(2014, 4, 11), purpose="x"
    )


def test_counts_per_half_year_nationally(known):
    assert selectors.count_courses_delivered(PERIODS) == [1, 1, 1, 1]
    assert selectors.count_officers_trained(PERIODS) == [2, 1, 1, 2]
    assert selectors.count_trainers(PERIODS) == [2, 0, 0, 1]
    assert selectors.count_study_visits(PERIODS) == [1, 0, 1, 0]


def test_counts_narrow_to_a_place(tree, known):
    north = tree.north.path
    assert selectors.count_courses_delivered(PERIODS, path=north) == [1, 1, 0, 0]
    assert selectors.count_officers_trained(PERIODS, path=north) == [2, 1, 0, 1]
    assert selectors.count_officers_trained(PERIODS, path=tree.s1.path) == [0, 0, 1, 1]
    assert selectors.count_trainers(PERIODS, path=north) == [1, 0, 0, 0]
    assert selectors.count_study_visits(PERIODS, path=north) == [1, 0, 0, 0]


def test_each_count_is_at_most_one_query(known, django_assert_max_num_queries):
    for count in (
        selectors.count_trainers,
        selectors.count_courses_delivered,
        selectors.count_officers_trained,
        selectors.count_study_visits,
    ):
        with django_assert_max_num_queries(1):
            count(PERIODS, path="kp/north/")


def test_a_station_lead_reads_an_officers_record_and_the_reading_is_logged(tree, actor_for, known, officers):
    record = selectors.get_officer_record(actor_for("commander_n1"), officers["n1a"].pk, request=None)
    assert [a.completed for a in record.attendances] == [True]
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.subject_type, entry.subject_id) == ("training.officer", str(officers["n1a"].pk))
    assert entry.user_id == actor_for("commander_n1").user_id


def test_sector_officers_and_other_stations_do_not_see_training_records(tree, actor_for, known, officers):
    own_sector = OfficerFactory(unit=tree.n1a)
    with pytest.raises(PermissionDenied):
        selectors.get_officer_record(actor_for("officer_n1a"), own_sector.pk, request=None)
    with pytest.raises(PermissionDenied):
        selectors.get_officer_record(actor_for("leader_n1a"), own_sector.pk, request=None)
    with pytest.raises(Http404):
        selectors.get_officer_record(actor_for("officer_n1a"), officers["n1"].pk, request=None)
    with pytest.raises(Http404):
        selectors.get_officer_record(actor_for("commander_s1"), officers["n1"].pk, request=None)
    with pytest.raises(Http404):
        selectors.get_officer_record(actor_for("directorate"), 999_999, request=None)
    assert not AccessLogEntry.objects.reads().exists()


def test_the_attendance_list_is_for_the_course_managers_and_logged(tree, actor_for, known):
    station_course = Course.objects.get(unit=tree.n1)
    with pytest.raises(Http404):
        selectors.get_course_attendance(actor_for("officer_n1a"), station_course, request=None)
    with pytest.raises(Http404):
        selectors.get_course_attendance(actor_for("commander_s1"), station_course, request=None)
    rows = selectors.get_course_attendance(actor_for("coordinator_n1"), station_course, request=None)
    assert [a.officer.badge_number for a in rows] == ["KP-10001"]
    entry = AccessLogEntry.objects.reads().get()  # one row per officer shown, under the officer
    assert (entry.subject_type, entry.subject_id) == ("training.officer", str(rows[0].officer_id))


def test_officer_search_finds_only_officers_of_my_places(tree, actor_for, officers):
    assert [o.badge_number for o in selectors.search_officers(actor_for("commander_n1"), "KP-20001")] == []
    assert [o.last_name for o in selectors.search_officers(actor_for("director_north"), "hox")] == ["Hoxha"]
    assert selectors.search_officers(actor_for("officer_n1a"), "Hoxha") == []


def test_the_overview_counts_this_year(tree, actor_for, known):
    overview = selectors.overview(actor_for("officer_n1a"), today=date(2014, 12, 31))
    assert overview.courses_this_year == 2
    assert overview.officers_trained_this_year == 2
    assert overview.programmes == 4
    with pytest.raises(Http404):
        selectors.overview(actor_for("standards"))


def test_period_bounds_are_inclusive(known):
    june = [Period(date(2013, 6, 1), date(2013, 6, 30)), Period(date(2013, 7, 1), date(2013, 7, 31))]
    assert selectors.count_courses_delivered(june) == [0, 1]
