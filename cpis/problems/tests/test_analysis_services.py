"""The writes of a problem's analysis: the triangle, the routine-activity notes
and the hypotheses, each in the history; bad input and the wrong people change
nothing."""

import pytest
from django.http import Http404
from django.utils import translation

from cpis.core.errors import InvalidInput
from cpis.problems.models import Change, Hypothesis, HypothesisStatus, Outcome, Side, TriangleEntry
from cpis.problems.selectors import analysis as selectors
from cpis.problems.services import analysis as services
from cpis.problems.services import problems as problem_services


def _history(problem) -> list[str]:
    return list(Change.objects.filter(problem=problem).order_by("id").values_list("what", flat=True))


def test_the_owner_records_the_triangle_with_its_controllers(problem, actor_for):
    actor = actor_for("officer_n1a")
    services.add_triangle_entry(
        actor,
        problem=problem,
        side=Side.PLACE,
        description="The market's back yard",
        controller="Market manager",
    )
    services.add_triangle_entry(actor, problem=problem, side=Side.VICTIM, description="Stallholders")
    with translation.override("en"):
        sides = selectors.list_triangle(problem)
    assert [s.side for s in sides] == ["victim", "offender", "place"]
    assert [s.controller for s in sides] == ["Guardian", "Handler", "Manager"]
    assert [e.description for e in sides[2].entries] == ["The market's back yard"]
    assert sides[2].entries[0].controller == "Market manager"
    assert sides[1].entries == []
    assert _history(problem)[-2:] == ["triangle_added", "triangle_added"]


def test_an_entry_changes_side_and_text_and_is_removed(problem, actor_for):
    actor = actor_for("officer_n1a")
    entry = services.add_triangle_entry(actor, problem=problem, side=Side.VICTIM, description="Young men")
    changed = services.update_triangle_entry(
        actor, entry=entry, side=Side.OFFENDER, description="Young men from outside", controller="Parents"
    )
    assert (changed.side, changed.description, changed.controller) == (
        "offender",
        "Young men from outside",
        "Parents",
    )
    change = Change.objects.filter(problem=problem, what="triangle_changed").get()
    assert change.details["fields"] == ["side", "description", "controller"]
    # Saving the same again writes no history.
    services.update_triangle_entry(
        actor, entry=changed, side=Side.OFFENDER, description="Young men from outside", controller="Parents"
    )
    assert Change.objects.filter(problem=problem, what="triangle_changed").count() == 1
    services.delete_triangle_entry(actor, entry=changed)
    assert not TriangleEntry.objects.exists()
    assert Change.objects.filter(problem=problem, what="triangle_removed").get().details["note"] == (
        "Young men from outside"
    )


def test_bad_triangle_input_changes_nothing(problem, actor_for):
    actor = actor_for("officer_n1a")
    before = _history(problem)
    with pytest.raises(InvalidInput):
        services.add_triangle_entry(actor, problem=problem, side="witness", description="x")
    with pytest.raises(InvalidInput):
        services.add_triangle_entry(actor, problem=problem, side=Side.PLACE, description="   ")
    entry = services.add_triangle_entry(actor, problem=problem, side=Side.PLACE, description="Car park")
    with pytest.raises(InvalidInput):
        services.update_triangle_entry(actor, entry=entry, side=Side.PLACE, description="x" * 4001)
    entry.refresh_from_db()
    assert entry.description == "Car park"
    assert _history(problem) == [*before, "triangle_added"]


def test_who_is_not_on_the_team_may_not_change_the_analysis(problem, actor_for):
    with pytest.raises(problem_services.NotOnTheTeam):
        services.add_triangle_entry(
            actor_for("safeguarding_n1"), problem=problem, side=Side.PLACE, description="x"
        )
    with pytest.raises(problem_services.NotOnTheTeam):
        services.add_hypothesis(actor_for("strategy_coordinator"), problem=problem, text="x")
    with pytest.raises(Http404):
        services.set_routine_activity(actor_for("commander_s1"), problem=problem, text="x")
    # The leads of the place may, without being on the team.
    services.add_hypothesis(actor_for("leader_n1a"), problem=problem, text="Lighting is poor.")
    assert not TriangleEntry.objects.exists() and Hypothesis.objects.count() == 1


def test_a_closed_problem_is_not_changed(problem, actor_for):
    actor = actor_for("officer_n1a")
    entry = services.add_triangle_entry(actor, problem=problem, side=Side.PLACE, description="Car park")
    problem_services.close_problem(actor, problem=problem, outcome=Outcome.NOT_A_PROBLEM)
    problem.refresh_from_db()
    entry.refresh_from_db()
    with pytest.raises(problem_services.ProblemClosed):
        services.delete_triangle_entry(actor, entry=entry)
    with pytest.raises(problem_services.ProblemClosed):
        services.set_routine_activity(actor, problem=problem, text="x")
    assert TriangleEntry.objects.count() == 1


def test_routine_activity_notes_are_saved_and_in_the_history(problem, actor_for):
    actor = actor_for("officer_n1a")
    notes = "Stalls are left unlocked after 22:00; no guard until 06:00."
    saved = services.set_routine_activity(actor, problem=problem, text=f"  {notes}\r\n")
    assert saved.routine_activity == notes
    services.set_routine_activity(actor, problem=problem, text=notes)
    assert Change.objects.filter(problem=problem, what="changed").get().details == {
        "fields": ["routine_activity"]
    }


def test_a_hypothesis_is_supported_or_rejected_only_with_evidence(problem, actor_for):
    actor = actor_for("officer_n1a")
    hypothesis = services.add_hypothesis(actor, problem=problem, text="The break-ins follow the market days.")
    assert hypothesis.status == HypothesisStatus.OPEN
    with pytest.raises(InvalidInput):
        services.set_hypothesis_status(
            actor, hypothesis=hypothesis, status=HypothesisStatus.SUPPORTED, evidence=""
        )
    with pytest.raises(InvalidInput):
        services.set_hypothesis_status(actor, hypothesis=hypothesis, status="maybe", evidence="x")
    hypothesis.refresh_from_db()
    assert hypothesis.status == HypothesisStatus.OPEN
    tested = services.set_hypothesis_status(
        actor,
        hypothesis=hypothesis,
        status=HypothesisStatus.REJECTED,
        evidence="Only 2 of 14 break-ins were on a market day.",
    )
    assert (tested.status, tested.evidence) == ("rejected", "Only 2 of 14 break-ins were on a market day.")
    change = Change.objects.filter(problem=problem, what="hypothesis_tested").get()
    assert (change.details["from"], change.details["to"]) == ("open", "rejected")
    assert list(selectors.list_hypotheses(problem)) == [tested]
