"""What problem solving puts on "my work today": one's own actions overdue or due
within a week, the overdue actions of the places one leads, and the problems
waiting for assessment — one's own, or all of the places one leads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cpis.core.registry import Urgency
from cpis.organisation.models import Officer
from cpis.problems import work
from cpis.problems.models import Problem, Stage, Technique
from cpis.problems.services import actions as services
from cpis.problems.services import problems as problem_services


def counts(items):
    return {(item.urgency, item.url.partition("?")[2]): item.count for item in items}


@pytest.fixture
def actions(tree, problem, officer_n1a, actor_for):
    """The officer's problem in n1a with their overdue action and one due today;
    a colleague's problem in n1b with an overdue action, waiting for assessment;
    a problem of station S1 with an overdue action, waiting for assessment."""
    today = timezone.localdate()
    commander = actor_for("commander_n1")
    colleague = Officer.objects.create(
        unit=tree.n1, first_name="Drita", last_name="Berisha", badge_number="N1-2"
    )
    other = problem_services.open_problem(commander, unit=tree.n1b, title="Car thefts", owner=colleague)
    south_officer = Officer.objects.create(
        unit=tree.s1, first_name="Ilir", last_name="Gashi", badge_number="S1-1"
    )
    south = problem_services.open_problem(
        actor_for("commander_s1"), unit=tree.s1a, title="Fights", owner=south_officer
    )

    def add(actor, on, owner, due_on):
        data = services.ActionInput(
            title="Meet the manager", technique=Technique.PLACE_MANAGERS, due_on=due_on, owner_officer=owner
        )
        services.add_action(actor, problem=on, data=data)

    add(commander, problem, officer_n1a, today - timedelta(days=3))
    add(commander, problem, officer_n1a, today)
    add(commander, problem, officer_n1a, today + timedelta(days=30))
    add(commander, other, colleague, today - timedelta(days=1))
    add(actor_for("commander_s1"), south, south_officer, today - timedelta(days=9))
    Problem.objects.filter(pk__in=[other.pk, south.pk]).update(stage=Stage.ASSESSMENT)
    return problem


def test_the_owner_is_told_of_their_overdue_action_and_the_one_due_this_week(actions, actor_for):
    assert counts(work.today(actor_for("officer_n1a"))) == {
        (Urgency.OVERDUE, "mine=on&overdue=on"): 1,
        (Urgency.SOON, "mine=on"): 1,  # due today; not the one in a month
        (Urgency.NOW, "stage=assessment&mine=on"): 0,  # the colleague's problem is not theirs
    }
    Problem.objects.filter(pk=actions.pk).update(stage=Stage.ASSESSMENT)
    assert counts(work.today(actor_for("officer_n1a")))[(Urgency.NOW, "stage=assessment&mine=on")] == 1


def test_a_station_commander_sees_the_overdue_actions_and_assessments_of_the_station_only(actions, actor_for):
    found = counts(work.today(actor_for("commander_n1")))
    assert found[(Urgency.OVERDUE, "overdue=on")] == 2
    assert found[(Urgency.NOW, "stage=assessment")] == 1
    south = counts(work.today(actor_for("commander_s1")))
    assert south[(Urgency.OVERDUE, "overdue=on")] == 1
    assert south[(Urgency.NOW, "stage=assessment")] == 1
    assert counts(work.today(actor_for("directorate")))[(Urgency.OVERDUE, "overdue=on")] == 3


def test_professional_standards_get_no_problem_work(actions, actor_for):
    assert work.today(actor_for("standards")) == []
