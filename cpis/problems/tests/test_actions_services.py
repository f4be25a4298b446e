"""The writes of a problem's response: actions with a technique, an owner
(an officer of the station or a partner of the place), a forum, a due date, a
status and evidence; the team first among the choices; bad input and the
wrong people change nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cpis.core.errors import InvalidInput
from cpis.forums.tests.factories import ForumFactory
from cpis.organisation.models import Officer
from cpis.partners.tests.factories import partner as make_partner
from cpis.problems.models import Action, ActionStatus, Change, MemberKind, Outcome, Technique
from cpis.problems.selectors import actions as selectors
from cpis.problems.services import actions as services
from cpis.problems.services import problems as problem_services


@pytest.fixture
def places(tree):
    """A partner and a forum of station N1, one of station S1."""
    return {
        "school": make_partner(tree.n1, name="Shkolla Fillore"),
        "market": make_partner(tree.n1a, name="Tregu i qytetit"),
        "elsewhere": make_partner(tree.s1, name="Komuna e Jugut"),
        "forum": ForumFactory(unit=tree.n1a, name="LPSC A"),
        "far_forum": ForumFactory(unit=tree.s1a, name="LPSC J"),
    }


def _input(**given) -> services.ActionInput:
    fields = {
        "title": "Lock the market gates at night",
        "technique": Technique.CONTROL_ACCESS,
        "due_on": timezone.localdate() + timedelta(days=14),
    }
    return services.ActionInput(**(fields | given))


def _actions_and_history(problem) -> tuple[int, int]:
    return Action.objects.count(), Change.objects.filter(problem=problem).count()


def test_the_owner_adds_an_action_owned_by_a_partner_with_a_forum(problem, places, actor_for):
    action = services.add_action(
        actor_for("commander_n1"),
        problem=problem,
        data=_input(owner_partner=places["market"], forum=places["forum"], description="Two gates, one key."),
    )
    assert (action.owner_partner, action.forum, action.status) == (
        places["market"],
        places["forum"],
        "planned",
    )
    change = Change.objects.filter(problem=problem, what="action_added").get()
    assert change.details["technique"] == "control_access" and change.details["owner"] == "Tregu i qytetit"


def test_an_officer_of_the_station_owns_an_action(problem, officer_n1a, actor_for):
    action = services.add_action(
        actor_for("officer_n1a"), problem=problem, data=_input(owner_officer=officer_n1a)
    )
    assert action.owner_officer == officer_n1a and action.created_by_id is not None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "Choose who owns the action"),
        ({"owner_officer": "officer", "owner_partner": "market"}, "Choose who owns the action"),
        ({"owner_partner": "elsewhere"}, "partner of the problem's team or place"),
        ({"owner_officer": "officer", "forum": "far_forum"}, "forum of the problem's team or place"),
        ({"owner_officer": "officer", "technique": "pray"}, "technique"),
        ({"owner_officer": "officer", "title": " "}, "what is to be done"),
        ({"owner_officer": "officer", "due_on": None}, "due"),
        ({"owner_officer": "officer", "status": ActionStatus.DONE, "evidence": "Photos"}, "was done"),
        ({"owner_officer": "officer", "status": ActionStatus.DONE, "done_on": date(2026, 1, 2)}, "evidence"),
        ({"owner_officer": "officer", "status": "someday"}, "status"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(problem, places, officer_n1a, actor_for, given, message):
    things = {**places, "officer": officer_n1a}
    data = _input(
        **{k: things.get(v, v) if isinstance(v, str) and k != "title" else v for k, v in given.items()}
    )
    before = _actions_and_history(problem)
    with pytest.raises(InvalidInput, match=message):
        services.add_action(actor_for("officer_n1a"), problem=problem, data=data)
    assert _actions_and_history(problem) == before


def test_an_officer_of_another_station_cannot_own_an_action(problem, tree, actor_for):
    stranger = Officer.objects.create(unit=tree.s1, first_name="Besa", last_name="Hoxha", badge_number="S1-9")
    with pytest.raises(InvalidInput):
        services.add_action(actor_for("commander_n1"), problem=problem, data=_input(owner_officer=stranger))
    # On the team, the officer may.
    problem_services.add_team_member(
        actor_for("commander_n1"), problem=problem, kind=MemberKind.OFFICER, officer=stranger
    )
    action = services.add_action(
        actor_for("commander_n1"), problem=problem, data=_input(owner_officer=stranger)
    )
    assert action.owner_officer == stranger


def test_the_teams_partners_and_forums_are_offered_first(problem, places, tree, officer_n1a, actor_for):
    actor = actor_for("commander_n1")
    problem_services.add_team_member(
        actor, problem=problem, kind=MemberKind.PARTNER, partner=places["school"]
    )
    problem_services.add_team_member(actor, problem=problem, kind=MemberKind.FORUM, forum=places["forum"])
    choices = selectors.action_choices(actor, problem)
    assert choices.team_officers == [officer_n1a]  # the owner
    assert choices.team_partners == [places["school"]]
    assert choices.partners == [places["market"]]  # not the other station's
    assert (choices.team_forums, choices.forums) == ([places["forum"]], [])


def test_a_sector_officer_is_offered_the_partners_they_may_see_and_the_teams(problem, places, actor_for):
    problem_services.add_team_member(
        actor_for("commander_n1"), problem=problem, kind=MemberKind.PARTNER, partner=places["school"]
    )
    choices = selectors.action_choices(actor_for("officer_n1a"), problem)
    assert choices.team_partners == [places["school"]]  # held by the station: through the team
    assert choices.partners == [places["market"]]
    action = services.add_action(
        actor_for("officer_n1a"), problem=problem, data=_input(owner_partner=places["school"])
    )
    assert action.owner_partner == places["school"]


def test_an_action_is_changed_and_its_changes_are_in_the_history(problem, places, officer_n1a, actor_for):
    actor = actor_for("officer_n1a")
    action = services.add_action(actor, problem=problem, data=_input(owner_officer=officer_n1a))
    due = date(2026, 9, 1)
    changed = services.update_action(
        actor,
        action=action,
        data=_input(
            owner_partner=places["market"], due_on=due, status=ActionStatus.IN_PROGRESS, forum=places["forum"]
        ),
    )
    assert (changed.owner_officer, changed.owner_partner, changed.due_on) == (None, places["market"], due)
    details = Change.objects.filter(problem=problem, what="action_changed").get().details
    assert details["fields"] == ["owner_officer", "owner_partner", "forum", "due_on", "status"]
    assert (details["from"], details["to"]) == ("planned", "in_progress")
    # The same again: nothing to record.
    services.update_action(
        actor,
        action=changed,
        data=_input(
            owner_partner=places["market"], due_on=due, status=ActionStatus.IN_PROGRESS, forum=places["forum"]
        ),
    )
    assert Change.objects.filter(problem=problem, what="action_changed").count() == 1


def test_an_action_marked_done_needs_the_day_and_the_evidence(problem, officer_n1a, actor_for):
    actor = actor_for("officer_n1a")
    action = services.add_action(actor, problem=problem, data=_input(owner_officer=officer_n1a))
    with pytest.raises(InvalidInput):
        services.complete_action(actor, action=action, done_on=timezone.localdate(), evidence=" ")
    with pytest.raises(InvalidInput):
        services.complete_action(
            actor, action=action, done_on=timezone.localdate() + timedelta(days=1), evidence="Photos"
        )
    action.refresh_from_db()
    assert (action.status, action.done_on, action.evidence) == ("planned", None, "")
    done = services.complete_action(
        actor, action=action, done_on=timezone.localdate(), evidence="Gates locked; photos in the file."
    )
    assert (done.status, done.done_on) == ("done", timezone.localdate())
    assert Change.objects.filter(problem=problem, what="action_done").get().details["from"] == "planned"
    with pytest.raises(InvalidInput):
        services.complete_action(actor, action=done, done_on=timezone.localdate(), evidence="Again")


def test_a_done_action_set_back_in_progress_loses_its_day(problem, officer_n1a, actor_for):
    actor = actor_for("officer_n1a")
    action = services.add_action(
        actor,
        problem=problem,
        data=_input(
            owner_officer=officer_n1a, status=ActionStatus.DONE, done_on=date(2026, 1, 5), evidence="Done"
        ),
    )
    assert (action.status, action.done_on) == ("done", date(2026, 1, 5))
    back = services.update_action(
        actor,
        action=action,
        data=_input(owner_officer=officer_n1a, status=ActionStatus.IN_PROGRESS, evidence="Done"),
    )
    assert (back.status, back.done_on) == ("in_progress", None)


def test_only_the_team_and_the_leads_work_the_response(problem, officer_n1a, actor_for):
    for name in ("safeguarding_n1", "strategy_coordinator"):
        with pytest.raises(problem_services.NotOnTheTeam):
            services.add_action(actor_for(name), problem=problem, data=_input(owner_officer=officer_n1a))
    action = services.add_action(
        actor_for("leader_n1a"), problem=problem, data=_input(owner_officer=officer_n1a)
    )
    with pytest.raises(problem_services.NotOnTheTeam):
        services.complete_action(
            actor_for("safeguarding_n1"), action=action, done_on=date(2026, 1, 1), evidence="x"
        )
    problem_services.close_problem(actor_for("officer_n1a"), problem=problem, outcome=Outcome.NOT_A_PROBLEM)
    action.refresh_from_db()
    with pytest.raises(problem_services.ProblemClosed):
        services.update_action(
            actor_for("officer_n1a"), action=action, data=_input(owner_officer=officer_n1a)
        )
