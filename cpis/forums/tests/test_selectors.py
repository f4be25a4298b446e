"""Reads for forums: sustainability figures against known data, the
counts the action plan uses, contacts that are logged, the citizens' side."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.core.periods import half_years
from cpis.forums import selectors
from cpis.forums.models import (
    Forum,
    ForumKind,
    ForumStatus,
    Gender,
    MeetingKind,
    MeetingStatus,
    ProposedSite,
    TensionReport,
    TrainerEngagement,
)

from .factories import ForumFactory, MeetingFactory, MemberFactory, PressReleaseFactory


def at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def held(forum, day, present=(), others=0, **extra):
    meeting = MeetingFactory(
        forum=forum, starts_at=at(day), status=MeetingStatus.HELD, other_attendees=others, **extra
    )
    meeting.members_present.set(present)
    return meeting


# --- sustainability ---------------------------------------------------------------------


def test_sustainability_counts_meetings_against_expected_attendance_turnover_and_representation(tree):
    today = date(2025, 12, 31)
    forum = ForumFactory(unit=tree.n1a, established_on=date(2024, 1, 1), meetings_per_year=4)
    drita = MemberFactory(
        forum=forum, gender=Gender.FEMALE, community="albanian", term_start=date(2024, 1, 1)
    )
    mira = MemberFactory(
        forum=forum, gender=Gender.FEMALE, community="serbian", age_band="25_39", term_start=date(2024, 2, 1)
    )
    agim = MemberFactory(
        forum=forum,
        gender=Gender.MALE,
        community="roma",
        term_start=date(2024, 3, 1),
        term_end=date(2025, 5, 1),
    )
    MemberFactory(forum=forum, gender=Gender.MALE, community="albanian", term_start=date(2025, 6, 1))
    held(forum, date(2024, 3, 10), present=[drita, mira], others=3)  # 5 people
    held(forum, date(2024, 5, 10), present=[agim], others=0)  # 1 person
    held(forum, date(2025, 9, 1), present=[drita], others=6)  # 7 people
    MeetingFactory(forum=forum, starts_at=at(date(2025, 10, 1)), status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=forum, starts_at=at(date(2025, 11, 1)), status=MeetingStatus.PLANNED)
    # A second forum from mid-2025: 12 a year, for 184 of 365 days.
    ForumFactory(unit=tree.n1b, established_on=date(2025, 7, 1), meetings_per_year=12)
    ForumFactory(unit=tree.s1a, established_on=date(2024, 1, 1))  # elsewhere: not in the figures

    figures = selectors.sustainability(Forum.objects.within(tree.north.path), today=today)

    years = {y.year: y for y in figures.years}
    assert list(years) == [2024, 2025]
    assert (years[2024].held, years[2024].expected_rounded, years[2024].share) == (2, 4, 50)
    assert years[2025].held == 1
    assert years[2025].expected == pytest.approx(4 + 12 * 184 / 365)
    assert years[2025].expected_rounded == 10
    assert (years[2024].joined, years[2024].left) == (3, 0)
    assert (years[2025].joined, years[2025].left) == (1, 1)
    attendance = {p.label: (p.meetings, p.average) for p in figures.attendance}
    assert attendance == {
        "2024 H1": (2, 3.0),
        "2024 H2": (0, None),
        "2025 H1": (0, None),
        "2025 H2": (1, 7.0),
    }
    assert figures.members_now == 3
    assert figures.women_now == 2
    assert figures.women_share == 67
    assert dict(figures.by_community) == {"Albanian": 2, "Serbian": 1}
    assert dict(figures.by_age) == {"Not recorded": 2, "25 to 39": 1}


def test_a_dissolved_forum_is_expected_to_meet_only_until_it_was_dissolved(tree):
    ForumFactory(
        unit=tree.n1a,
        established_on=date(2014, 1, 1),
        meetings_per_year=12,
        status=ForumStatus.DISSOLVED,
        dissolved_on=date(2015, 3, 31),
    )
    figures = selectors.sustainability(Forum.objects.all(), today=date(2016, 6, 30))
    years = {y.year: y.expected_rounded for y in figures.years}
    assert years == {2014: 12, 2015: 3, 2016: 0}


def test_sustainability_of_no_forum_is_empty(tree):
    figures = selectors.sustainability(Forum.objects.none())
    assert figures.years == [] and figures.members_now == 0 and figures.women_share is None


def test_sustainability_takes_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    for unit in (tree.n1a, tree.n1b, tree.s1a):
        forum = ForumFactory(unit=unit)
        members = [MemberFactory(forum=forum) for _ in range(3)]
        for year in range(2012, 2016):
            held(forum, date(year, 4, 1), present=members, others=2)
    with django_assert_max_num_queries(9):
        figures = selectors.sustainability(Forum.objects.all())
    assert sum(y.held for y in figures.years) == 12


# --- the forums list ----------------------------------------------------------------------


def test_the_forum_list_counts_current_members_women_and_meetings_of_the_last_year(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    MemberFactory(forum=forum, gender=Gender.FEMALE)
    MemberFactory(forum=forum, gender=Gender.MALE)
    MemberFactory(forum=forum, gender=Gender.FEMALE, term_end=date(2013, 1, 1))
    held(forum, timezone.localdate() - timedelta(days=30))
    held(forum, timezone.localdate() - timedelta(days=400))
    ForumFactory(unit=tree.s1a)
    rows = list(selectors.list_forums(actor_for("commander_n1")))
    assert [f.pk for f in rows] == [forum.pk]
    assert (rows[0].member_count, rows[0].women_count, rows[0].held_last_year) == (2, 1, 1)


def test_the_forum_list_filters_by_kind_status_and_place(tree, actor_for):
    lpsc = ForumFactory(unit=tree.n1a)
    csat = ForumFactory(unit=tree.n1b, kind=ForumKind.CSAT, status=ForumStatus.DORMANT)
    actor = actor_for("directorate")
    assert list(selectors.list_forums(actor, selectors.ForumFilters(kind=ForumKind.CSAT))) == [csat]
    assert list(selectors.list_forums(actor, selectors.ForumFilters(status=ForumStatus.ACTIVE))) == [lpsc]
    assert list(selectors.list_forums(actor, selectors.ForumFilters(unit_path=tree.n1a.path))) == [lpsc]


def test_a_forum_of_another_station_does_not_exist_for_a_commander(tree, actor_for):
    forum = ForumFactory(unit=tree.s1a)
    with pytest.raises(Http404):
        selectors.get_forum(actor_for("commander_n1"), forum.pk)


# --- contacts -----------------------------------------------------------------------------


def test_members_contacts_are_shown_to_the_sector_leader_and_each_is_logged(tree, actor_for, persona):
    forum = ForumFactory(unit=tree.n1a)
    first, second = MemberFactory(forum=forum), MemberFactory(forum=forum, consent_to_contact=False)
    contacts = selectors.get_member_contacts(actor_for("leader_n1a"), forum, request=None)
    assert contacts[first.pk].phone == first.phone
    assert contacts[second.pk].consent is False
    logged = AccessLogEntry.objects.reads().filter(
        subject_type="forums.forummember", user=persona("leader_n1a")
    )
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted([str(first.pk), str(second.pk)])


def test_members_contacts_are_refused_to_a_sector_officer_and_hidden_from_another_station(tree, actor_for):
    member = MemberFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(PermissionDenied):
        selectors.get_member_contacts(actor_for("officer_n1a"), member.forum, request=None)
    with pytest.raises(Http404):
        selectors.get_member(actor_for("commander_s1"), member.pk)
    with pytest.raises(Http404):
        selectors.get_member_contact(actor_for("commander_s1"), member, request=None)
    assert not AccessLogEntry.objects.reads().exists()


# --- counts for the action plan -------------------------------------------------------------


PERIODS = half_years(date(2014, 1, 1), date(2015, 12, 31))


def test_each_count_takes_one_query_and_narrows_to_a_place(tree, django_assert_num_queries):
    north = ForumFactory(unit=tree.n1a, established_on=date(2014, 2, 1))
    south = ForumFactory(unit=tree.s1a, established_on=date(2015, 8, 1))
    member = MemberFactory(forum=north, created_at=at(date(2014, 3, 1)))
    MemberFactory(forum=south, created_at=at(date(2015, 9, 1)))
    held(north, date(2014, 3, 5))
    held(north, date(2014, 9, 5), kind=MeetingKind.EXECUTIVE_COUNCIL)
    held(south, date(2015, 9, 5))
    MeetingFactory(forum=north, starts_at=at(date(2014, 4, 5)), status=MeetingStatus.CANCELLED)
    ProposedSite.objects.create(
        unit=tree.n1b, unit_path=tree.n1b.path, description="x", identified_on=date(2014, 1, 9)
    )
    for day in (date(2014, 5, 1), date(2014, 6, 1), date(2015, 2, 1)):
        TrainerEngagement.objects.create(member=member, on=day, initiative="Shkolla", audience="Nxënës")
    TensionReport.objects.create(forum=south, reported_on=date(2015, 10, 1), level="low", summary="x")
    PressReleaseFactory(forum=north, is_published=True, published_at=at(date(2014, 7, 1)))
    PressReleaseFactory(forum=north, is_published=False)

    expected = {
        "count_meetings_held": ([1, 1, 0, 1], [1, 1, 0, 0]),
        "count_executive_councils": ([0, 1, 0, 0], [0, 1, 0, 0]),
        "count_forums_established": ([1, 0, 0, 1], [1, 0, 0, 0]),
        "count_sites_identified": ([1, 0, 0, 0], [1, 0, 0, 0]),
        "count_trainers_involved": ([1, 0, 1, 0], [1, 0, 1, 0]),
        "count_tension_reports": ([0, 0, 0, 1], [0, 0, 0, 0]),
        "count_press_releases": ([0, 1, 0, 0], [0, 1, 0, 0]),
    }
    for name, (everywhere, north_only) in expected.items():
        count = getattr(selectors, name)
        with django_assert_num_queries(1):
            assert count(PERIODS) == everywhere, name
        with django_assert_num_queries(1):
            assert count(PERIODS, path=tree.north.path) == north_only, name


# --- the citizens' side ---------------------------------------------------------------------


def test_a_sectors_public_side_shows_its_own_and_its_stations_forums_only(tree):
    sector_forum = ForumFactory(unit=tree.n1a)
    station_forum = ForumFactory(unit=tree.n1, kind=ForumKind.MCSC)
    ForumFactory(unit=tree.n1b)
    ForumFactory(unit=tree.s1a)
    ForumFactory(unit=tree.n1a, status=ForumStatus.DISSOLVED, dissolved_on=date(2015, 1, 1))
    place = selectors.get_public_sector(tree.n1a.pk)
    assert set(selectors.list_public_forums(place)) == {sector_forum, station_forum}


def test_upcoming_public_meetings_are_planned_public_and_not_past(tree):
    forum = ForumFactory(unit=tree.n1a)
    soon = MeetingFactory(forum=forum, is_public=True)
    MeetingFactory(forum=forum, is_public=False)
    MeetingFactory(forum=forum, is_public=True, status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=forum, is_public=True, starts_at=timezone.now() - timedelta(days=2))
    MeetingFactory(forum=ForumFactory(unit=tree.n1b), is_public=True)
    assert list(selectors.list_upcoming_public_meetings(selectors.get_public_sector(tree.n1a.pk))) == [soon]


def test_a_station_is_not_a_public_sector(tree):
    with pytest.raises(Http404):
        selectors.get_public_sector(tree.n1.pk)


def test_the_forums_for_a_place_are_those_at_under_and_above_it_that_the_actor_sees(tree, actor_for):
    station = ForumFactory(unit=tree.n1, name="KLSP N1")
    sector = ForumFactory(unit=tree.n1a, name="KLSP N1A")
    ForumFactory(unit=tree.n1b, name="KLSP N1B")
    ForumFactory(unit=tree.s1, name="KLSP S1")
    ForumFactory(
        unit=tree.n1a, name="KLSP e shpërbërë", status=ForumStatus.DISSOLVED, dissolved_on=date(2020, 1, 1)
    )
    commander = actor_for("commander_n1")
    assert list(selectors.list_forums_for_place(commander, tree.n1a)) == [station, sector]
    assert set(selectors.list_forums_for_place(commander, tree.n1).values_list("name", flat=True)) == {
        "KLSP N1",
        "KLSP N1A",
        "KLSP N1B",
    }
    # A sector officer sees only their sector's forums, not the station's.
    assert list(selectors.list_forums_for_place(actor_for("officer_n1a"), tree.n1a)) == [sector]
    assert not selectors.list_forums_for_place(actor_for("commander_s1"), tree.n1a).exists()


def test_a_decision_and_a_tension_report_are_read_within_the_actors_places(tree, actor_for):
    from cpis.forums.models import Decision, TensionLevel

    forum = ForumFactory(unit=tree.n1a)
    decision = Decision.objects.create(meeting=held(forum, date(2025, 3, 1)), text="Ndriçim te tregu.")
    report = TensionReport.objects.create(
        forum=forum, reported_on=date(2025, 3, 2), level=TensionLevel.LOW, summary="Qetë."
    )
    leader = actor_for("leader_n1a")
    assert selectors.get_decision(leader, decision.pk).meeting.forum == forum
    assert selectors.get_tension_report(leader, report.pk).forum == forum
    outsider = actor_for("commander_s1")
    with pytest.raises(Http404):
        selectors.get_decision(outsider, decision.pk)
    with pytest.raises(Http404):
        selectors.get_tension_report(outsider, report.pk)
