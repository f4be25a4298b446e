from datetime import date, timedelta

import pytest
import time_machine
from django.http import Http404

from cpis.accounts.models import AccessLogEntry
from cpis.organisation import selectors
from cpis.organisation.models import Assignment, SectorRole
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory, SettlementFactory, square


def test_a_point_is_located_in_its_sector(tree):
    assert selectors.locate_sector(lat=42.55, lon=21.05) == tree.n1a
    assert selectors.locate_sector(lat=42.55, lon=21.15) == tree.n1b
    assert selectors.locate_sector(lat=40.0, lon=21.05) is None


def test_the_lookup_sees_a_changed_boundary_at_once(tree):
    assert selectors.locate_sector(lat=42.55, lon=21.25) is None
    tree.n1b.boundary = square(21.1, 42.5, 0.3)
    tree.n1b.save()
    assert selectors.locate_sector(lat=42.55, lon=21.25) == tree.n1b


def test_many_points_are_located_in_one_call(tree):
    ids = selectors.locate_sectors(lats=[42.55, 42.55, 41.95, 10], lons=[21.05, 21.15, 21.05, 10])
    assert ids.tolist() == [tree.n1a.pk, tree.n1b.pk, tree.s1a.pk, -1]


def test_a_place_is_found_by_any_spelling_with_its_sector(tree):
    SettlementFactory(name_sq="Çagllavicë", name_sr="Чаглавица", lon=21.05, lat=42.55)
    for query in ["çagllavicë", "Caglavica", "Чаглавица", "ČAGLAVICA", "cagllav"]:
        matches = selectors.search_places(query)
        assert [m.sector for m in matches] == [tree.n1a], query


def test_a_search_of_one_letter_finds_nothing(tree):
    SettlementFactory(name_sq="A", lon=21.05, lat=42.55)
    assert selectors.search_places("a") == []


def test_the_sector_team_lists_current_officers_leader_first(tree):
    leader = OfficerFactory(unit=tree.n1, last_name="Zeka")
    officer = OfficerFactory(unit=tree.n1, last_name="Berisha")
    former = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2023, 1, 1))
    AssignmentFactory(officer=leader, sector=tree.n1a, role=SectorRole.LEADER, start_date=date(2023, 1, 1))
    AssignmentFactory(officer=former, sector=tree.n1a, start_date=date(2019, 1, 1), end_date=date(2022, 1, 1))
    assert [a.officer for a in selectors.get_sector_team(tree.n1a)] == [leader, officer]


@time_machine.travel(date(2026, 6, 1))
def test_moves_before_two_years_are_warned_about_at_the_station(tree):
    early = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=early, sector=tree.n1a, start_date=date(2025, 1, 1), end_date=date(2025, 9, 1))
    unexplained = OfficerFactory(unit=tree.n1)
    AssignmentFactory(
        officer=unexplained,
        sector=tree.n1b,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 1, 1),
        end_reason="  ",
    )
    late = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=late, sector=tree.n1a, start_date=date(2022, 1, 1), end_date=date(2025, 1, 2))
    elsewhere = OfficerFactory(unit=tree.s1)
    AssignmentFactory(
        officer=elsewhere, sector=tree.s1a, start_date=date(2025, 1, 1), end_date=date(2025, 3, 1)
    )
    Assignment.objects.filter(officer=early).update(end_reason="Promoted")
    warnings = selectors.list_tenure_warnings(tree.n1)
    assert [(w.assignment.officer, w.months_served, w.has_reason) for w in warnings] == [
        (unexplained, 12, False),
        (early, 8, True),
    ]


def test_staff_see_only_the_officers_of_their_places(tree, actor_for):
    mine = OfficerFactory(unit=tree.n1)
    OfficerFactory(unit=tree.s1)
    assert list(selectors.list_officers(actor_for("commander_n1"))) == [mine]
    assert list(selectors.list_officers(actor_for("citizen"))) == []
    with pytest.raises(Http404):
        selectors.get_officer(actor_for("commander_s1"), mine.pk)


def test_reading_personal_data_writes_one_access_log_row(tree, actor_for, persona, rf):
    officer = OfficerFactory(unit=tree.n1)
    request = rf.get("/staff/officers/1/")
    data = selectors.get_officer_personal_data(actor_for("commander_n1"), officer, request=request)
    assert data["personal_phone"] == officer.personal_phone
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.user, entry.subject_type, entry.subject_id, entry.source) == (
        persona("commander_n1"),
        "organisation.officer",
        str(officer.pk),
        "/staff/officers/1/",
    )


def test_the_public_officer_list_holds_serving_community_officers_only(tree):
    serving = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=serving, sector=tree.n1a, start_date=date.today() - timedelta(days=10))  # noqa: DTZ011
    OfficerFactory(unit=tree.n1)  # not in a sector
    desk = OfficerFactory(unit=tree.n1, is_community_officer=False)
    AssignmentFactory(officer=desk, sector=tree.n1b, start_date=date(2020, 1, 1))
    assert list(selectors.list_public_officers()) == [serving]
    assert list(selectors.list_public_officers(unit=tree.s1)) == []


def test_the_sector_table_of_a_station_takes_the_same_queries_for_any_number_of_sectors(
    tree, django_assert_num_queries
):
    from cpis.organisation.tests.factories import UnitFactory

    for i in range(5):
        sector = UnitFactory(parent=tree.n1, code=f"x{i}", kind="sector")
        AssignmentFactory(officer=OfficerFactory(unit=tree.n1), sector=sector)
    with django_assert_num_queries(2):
        sectors = selectors.list_sectors_with_teams(tree.n1)
        assert sum(len(s.current_assignments) for s in sectors) == 5
