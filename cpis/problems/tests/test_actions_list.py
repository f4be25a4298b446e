"""Overdue actions on the owner's and the station's lists: the selectors, the
count for the home pages, and the page of actions across the actor's places."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.organisation.models import Officer
from cpis.problems.models import ActionStatus, Technique
from cpis.problems.selectors import actions as selectors
from cpis.problems.services import actions as services
from cpis.problems.services import problems as problem_services


@pytest.fixture
def actions(tree, problem, officer_n1a, actor_for):
    """In n1a (the officer's problem): one overdue action of the officer, one
    due today, one done late; in n1b, an overdue one of another officer; in s1a,
    an overdue one of another station."""
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

    def add(actor, on, title, owner, due_on, **more):
        data = services.ActionInput(
            title=title, technique=Technique.PLACE_MANAGERS, due_on=due_on, owner_officer=owner, **more
        )
        return services.add_action(actor, problem=on, data=data)

    return {
        "late": add(commander, problem, "Meet the market manager", officer_n1a, today - timedelta(days=3)),
        "today": add(commander, problem, "Fix the lights", officer_n1a, today),
        "done": add(
            commander,
            problem,
            "Leaflets",
            officer_n1a,
            today - timedelta(days=30),
            status=ActionStatus.DONE,
            done_on=today - timedelta(days=20),
            evidence="500 handed out",
        ),
        "colleague": add(commander, other, "Patrol the car park", colleague, today - timedelta(days=1)),
        "south": add(
            actor_for("commander_s1"),
            south,
            "Talk to the bar owners",
            south_officer,
            today - timedelta(days=9),
        ),
    }


def _titles(actor, **filters):
    return [a.title for a in selectors.list_actions(actor, selectors.ActionFilters(**filters))]


def test_the_station_sees_its_open_actions_overdue_first(actions, actor_for):
    commander = actor_for("commander_n1")
    assert _titles(commander) == ["Meet the market manager", "Patrol the car park", "Fix the lights"]
    assert _titles(commander, overdue=True) == ["Meet the market manager", "Patrol the car park"]
    assert _titles(commander, status=ActionStatus.DONE) == ["Leaflets"]
    assert len(_titles(commander, status=selectors.EVERY)) == 4
    assert selectors.count_overdue(commander) == 2


def test_the_owner_sees_their_own(actions, tree, actor_for):
    officer = actor_for("officer_n1a")
    assert _titles(officer, mine=True) == ["Meet the market manager", "Fix the lights"]
    assert selectors.count_overdue(officer, mine=True) == 1
    # The station's commander owns none.
    assert selectors.count_overdue(actor_for("commander_n1"), mine=True) == 0


def test_a_place_narrows_the_list_and_other_stations_are_not_seen(actions, tree, actor_for):
    commander = actor_for("commander_n1")
    assert _titles(commander, unit=tree.n1b) == ["Patrol the car park"]
    assert selectors.count_overdue(commander, unit=tree.n1a) == 1
    assert _titles(actor_for("commander_s1")) == ["Talk to the bar owners"]
    assert _titles(actor_for("director_north"), status=selectors.EVERY) == _titles(
        commander, status=selectors.EVERY
    )
    assert _titles(actor_for("standards")) == []


def test_the_list_page_highlights_overdue_actions(actions, client_for, settings):
    client = client_for("commander_n1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("problems:actions"))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r["action"].title, r["overdue"]) for r in rows] == [
        ("Meet the market manager", True),
        ("Patrol the car park", True),
        ("Fix the lights", False),
    ]
    html = page.content.decode()
    assert "Meet the market manager" in html and "Talk to the bar owners" not in html
    assert html.count('class="overdue"') == 2 and html.count("overdue</span>") == 2
    assert page.context["overdue_all"] == 2
    mine = client_for("officer_n1a").get(reverse("problems:actions"), {"mine": "on", "status": "all"})
    assert [r["action"].title for r in mine.context["rows"]] == [
        "Leaflets",
        "Meet the market manager",
        "Fix the lights",
    ]


def test_the_list_page_is_for_who_sees_problems(client_for, tree):
    assert client_for("standards").get(reverse("problems:actions")).status_code == 404
    assert client_for("citizen").get(reverse("problems:actions")).status_code == 302


def test_the_list_takes_the_same_queries_whatever_its_length(
    actions, client_for, actor_for, django_assert_max_num_queries
):
    client = client_for("commander_n1")
    with django_assert_max_num_queries(20) as first:
        client.get(reverse("problems:actions"), {"status": "all"})
    late = actions["late"]
    for extra in range(3):
        data = services.ActionInput(
            title=f"More {extra}",
            technique=Technique.SET_RULES,
            due_on=timezone.localdate(),
            owner_officer=late.owner_officer,
        )
        services.add_action(actor_for("commander_n1"), problem=late.problem, data=data)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("problems:actions"), {"status": "all"})
    assert len(response.context["rows"]) == 7
