import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.core.errors import InvalidInput
from cpis.problems.models import Change, MemberKind, Outcome, Stage
from cpis.problems.services import problems as services


def test_an_officer_opens_a_problem_they_then_own(problem, officer_n1a):
    assert problem.owner == officer_n1a
    assert problem.stage == Stage.SCANNING
    assert problem.unit_path.endswith("n1a/")
    assert list(Change.objects.filter(problem=problem).values_list("what", flat=True)) == ["opened"]


def test_a_problem_outside_the_actors_places_is_not_found(tree, actor_for):
    with pytest.raises(Http404):
        services.open_problem(actor_for("commander_s1"), unit=tree.n1a, title="x")


def test_the_strategy_coordinator_does_not_open_problems(tree, actor_for):
    with pytest.raises(PermissionDenied):
        services.open_problem(actor_for("strategy_coordinator"), unit=tree.n1a, title="x")


def test_a_problem_needs_a_title_and_bad_input_changes_nothing(tree, actor_for):
    with pytest.raises(InvalidInput):
        services.open_problem(actor_for("commander_n1"), unit=tree.n1a, title="  ")
    assert not Change.objects.exists()


def test_a_polygon_area_is_kept_and_a_point_refused(tree, actor_for):
    square = {"type": "Polygon", "coordinates": [[[21.0, 42.5], [21.01, 42.5], [21.01, 42.51], [21.0, 42.5]]]}
    made = services.open_problem(actor_for("commander_n1"), unit=tree.n1a, title="x", area=square)
    assert made.area == square
    with pytest.raises(InvalidInput):
        services.open_problem(
            actor_for("commander_n1"),
            unit=tree.n1a,
            title="y",
            area={"type": "Point", "coordinates": [21, 42]},
        )


def test_stages_move_and_are_in_the_history(problem, actor_for):
    services.move_stage(actor_for("officer_n1a"), problem=problem, stage=Stage.ANALYSIS, note="data pulled")
    problem.refresh_from_db()
    assert problem.stage == Stage.ANALYSIS
    change = Change.objects.filter(problem=problem, what="stage").get()
    assert change.details == {"from": "scanning", "to": "analysis", "note": "data pulled"}


def test_another_sector_officer_at_the_station_may_see_but_not_work_it(problem, tree, persona, actor_for):
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    other = persona("no_role")
    RoleGrantFactory(user=other, unit=tree.n1a, role=Role.SECTOR_OFFICER)
    from cpis.organisation.access import Actor

    with pytest.raises(services.NotOnTheTeam):
        services.move_stage(Actor.for_user(other), problem=problem, stage=Stage.ANALYSIS)


def test_solved_needs_an_assessment_or_a_reason(problem, actor_for):
    actor = actor_for("leader_n1a")
    with pytest.raises(services.SolvedNeedsAssessment):
        services.close_problem(actor, problem=problem, outcome=Outcome.SOLVED)
    problem.refresh_from_db()
    assert problem.is_open
    closed = services.close_problem(
        actor, problem=problem, outcome=Outcome.SOLVED, reason="Market closed for good."
    )
    assert (closed.stage, closed.outcome) == (Stage.CLOSED, Outcome.SOLVED)
    with pytest.raises(services.ProblemClosed):
        services.move_stage(actor, problem=closed, stage=Stage.RESPONSE)
    reopened = services.reopen_problem(actor_for("commander_n1"), problem=closed, note="It came back.")
    assert (reopened.stage, reopened.outcome, reopened.closed_at) == (Stage.RESPONSE, "", None)


def test_not_a_problem_closes_without_a_reason(problem, actor_for):
    closed = services.close_problem(actor_for("officer_n1a"), problem=problem, outcome=Outcome.NOT_A_PROBLEM)
    assert closed.outcome == Outcome.NOT_A_PROBLEM


def test_a_citizen_joins_the_team_only_with_consent(problem, actor_for):
    from datetime import date

    actor = actor_for("officer_n1a")
    with pytest.raises(InvalidInput):
        services.add_team_member(actor, problem=problem, kind=MemberKind.CITIZEN, citizen_name="Drita")
    member = services.add_team_member(
        actor, problem=problem, kind=MemberKind.CITIZEN, citizen_name="Drita", consent_on=date(2026, 1, 5)
    )
    assert member.name == "Drita"
    # The history does not repeat the citizen's name.
    assert "Drita" not in str(Change.objects.filter(problem=problem, what="team_added").get().details)
