"""Reads of problems: what each place sees, the list's filters, the owners to
filter by, the export's rows and a problem's team with its citizens' contacts."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cpis.accounts.models import AccessLogEntry
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import OfficerFactory
from cpis.problems.models import Action, Assessment, MemberKind, Outcome, Stage, Technique
from cpis.problems.selectors import problems as selectors
from cpis.problems.selectors import workspace
from cpis.problems.services import problems as services

SYSTEM = Actor.system()


def open_at(unit, title="Vjedhje", **fields):
    return services.open_problem(SYSTEM, unit=unit, title=title, **fields)


def listed(actor, **filters):
    return {p.pk for p in selectors.list_problems(actor, selectors.Filters(**filters))}


def test_each_place_lists_its_own_problems_and_no_one_elses(tree, actor_for):
    north, south = open_at(tree.n1a), open_at(tree.s1a)
    assert listed(actor_for("commander_n1")) == {north.pk}
    assert listed(actor_for("commander_s1")) == {south.pk}
    assert listed(actor_for("directorate")) == {north.pk, south.pk}
    assert listed(actor_for("standards")) == set()
    assert listed(Actor.anonymous()) == set()
    with pytest.raises(Http404):
        selectors.get_problem(actor_for("commander_s1"), north.pk)


def test_the_list_filters_combine(tree, actor_for, problem, officer_n1a):
    actor = actor_for("commander_n1")
    with time_machine.travel(date(2024, 3, 1)):
        old = open_at(tree.n1b, title="Grafite në shkollë", owner=officer_n1a)
    services.move_stage(SYSTEM, problem=old, stage=Stage.RESPONSE)
    closed = open_at(tree.n1, title="Zhurmë")
    services.close_problem(SYSTEM, problem=closed, outcome=Outcome.DISPLACED, reason="Kaloi te sheshi.")
    assert listed(actor, stage="open") == {problem.pk, old.pk}
    assert listed(actor, stage="open", owner=officer_n1a.pk) == {problem.pk, old.pk}
    assert listed(actor, stage=Stage.RESPONSE) == {old.pk}
    assert listed(actor, outcome=Outcome.DISPLACED) == {closed.pk}
    assert listed(actor, unit=tree.n1b, search="SHKOLL") == {old.pk}
    assert listed(actor, opened_until=date(2024, 12, 31)) == {old.pk}
    assert listed(actor, opened_from=date(2025, 1, 1)) == {problem.pk, closed.pk}
    assert listed(actor_for("officer_n1a"), mine=True) == {problem.pk}


def test_each_row_counts_its_open_actions(tree, actor_for, problem, officer_n1a):
    for status, done_on in (("planned", None), ("in_progress", None), ("done", date(2024, 1, 2))):
        Action.objects.create(
            problem=problem,
            title="Ndriçim",
            technique=Technique.NATURAL_SURVEILLANCE,
            owner_officer=officer_n1a,
            due_on=date(2024, 1, 1),
            status=status,
            done_on=done_on,
        )
    (row,) = selectors.list_problems(actor_for("commander_n1"), selectors.Filters())
    assert row.open_actions == 2


def test_the_owners_to_filter_by_are_those_of_problems_i_see(tree, actor_for, problem, officer_n1a):
    south = OfficerFactory(unit=tree.s1)
    OfficerFactory(unit=tree.n1)  # owns nothing
    open_at(tree.s1a, owner=south)
    (mine,) = workspace.list_owner_filter_choices(actor_for("commander_n1"))
    assert (mine.pk, mine.full_name, mine.badge_number) == (
        officer_n1a.pk,
        officer_n1a.full_name,
        officer_n1a.badge_number,
    )
    assert [o.pk for o in workspace.list_owner_filter_choices(actor_for("commander_s1"))] == [south.pk]


def test_the_places_to_filter_by_are_mine_named_with_their_station(tree, actor_for):
    with translation.override("sr"):
        places = {p.pk: p for p in workspace.list_place_filter_choices(actor_for("commander_n1"))}
    assert set(places) == {tree.n1.pk, tree.n1a.pk, tree.n1b.pk}
    sector = places[tree.n1a.pk]
    assert (sector.kind, sector.name) == ("sector", tree.n1a.name_sr or tree.n1a.name_sq)
    assert sector.parent is not None
    assert sector.parent.pk == tree.n1.pk
    assert places[tree.n1.pk].parent is not None  # a station's parent is its region


def test_export_rows_name_the_places_and_read_the_assessment(tree, actor_for, problem):
    burglary = IncidentCategory.objects.get(code="burglary")
    region = open_at(tree.north, title="Rajoni", incident_categories=[burglary])
    Assessment.objects.create(problem=region, response_date=date(2024, 1, 1), rate_ratio=1.23456, wdq=0.5)
    services.close_problem(SYSTEM, problem=region, outcome=Outcome.REDUCED)
    with translation.override("en"):
        rows = {
            row[0]: row for row in workspace.export_rows(actor_for("director_north"), selectors.Filters())
        }
    assert len(workspace.EXPORT_HEADER) == len(rows[problem.pk]) == 14
    assert rows[problem.pk][2:9] == [
        "Scanning",
        "",
        "North",
        "Station N1",
        "Sector A",
        "Arben Krasniqi",
        timezone.localdate(),
    ]
    assert rows[problem.pk][9:] == [None, "", 0, None, None]
    assert rows[region.pk][2:7] == ["Closed", "Reduced", "North", "", "North"]
    assert rows[region.pk][9] == timezone.localdate()
    assert rows[region.pk][10:] == ["Burglary", 0, 1.235, 0.5]


def test_export_rows_follow_the_filters(tree, actor_for, problem):
    open_at(tree.n1b, title="Tjetër")
    actor = actor_for("commander_n1")
    assert [row[0] for row in workspace.export_rows(actor, selectors.Filters(unit=tree.n1a))] == [problem.pk]
    assert list(workspace.export_rows(actor_for("commander_s1"), selectors.Filters())) == []


def test_export_rows_take_the_same_queries_for_one_problem_and_for_six(tree, actor_for, problem):
    """The rows read what they show in the queries of the list (no record read per
    row): places, owner, categories and assessment included."""
    burglary = IncidentCategory.objects.get(code="burglary")
    actor = actor_for("commander_n1")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = list(workspace.export_rows(actor, selectors.Filters()))
        return len(captured), len(rows)

    Assessment.objects.create(problem=problem, response_date=date(2024, 1, 1), rate_ratio=0.5, wdq=0.1)
    one, _rows = queries()
    for n in range(5):
        made = open_at(tree.n1b if n % 2 else tree.n1, title=f"Problem {n}", incident_categories=[burglary])
        Assessment.objects.create(problem=made, response_date=date(2024, 1, 1), rate_ratio=0.8, wdq=-0.2)
    assert queries() == (one, 6)


def test_a_team_member_is_found_only_on_its_own_problem(tree, problem):
    other = open_at(tree.n1a)
    member = services.add_team_member(
        SYSTEM, problem=other, kind=MemberKind.CITIZEN, citizen_name="Drita", consent_on=date(2024, 1, 1)
    )
    assert workspace.get_team_member(other, member.pk) == member
    with pytest.raises(Http404):
        workspace.get_team_member(problem, member.pk)


def test_citizens_contacts_go_to_who_works_the_problem_and_are_logged(tree, actor_for, problem, rf):
    with_contact = services.add_team_member(
        SYSTEM,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Drita",
        citizen_contact="drita@example.org",
        consent_on=timezone.localdate() - timedelta(days=1),
    )
    services.add_team_member(
        SYSTEM, problem=problem, kind=MemberKind.CITIZEN, citizen_name="Besim", consent_on=date(2024, 1, 1)
    )
    shown = workspace.read_citizen_contacts(actor_for("officer_n1a"), problem, request=rf.post("/"))
    assert shown == [with_contact]
    assert list(AccessLogEntry.objects.values_list("subject_type", "subject_id")) == [
        ("problems.teammember", str(with_contact.pk))
    ]
    with pytest.raises(PermissionDenied):
        workspace.read_citizen_contacts(actor_for("strategy_coordinator"), problem, request=None)
    assert AccessLogEntry.objects.count() == 1
