"""The Response tab, per persona: actions added, changed and marked done from
the tab, the techniques in their five groups, the team first among the
owners, overdue actions highlighted; 403 off the team, 404 outside."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.partners.tests.factories import partner as make_partner
from cpis.problems.models import Action, ActionStatus, MemberKind, Technique
from cpis.problems.services import actions as services
from cpis.problems.services import problems as problem_services


@pytest.fixture
def english(client_for, settings):
    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _url(name, problem, *args):
    return reverse(f"problems:{name}", args=[problem.pk, *args])


def _form(officer, **given):
    return {
        "title": "Lock the gates at night",
        "technique": Technique.CONTROL_ACCESS,
        "owner": f"officer:{officer.pk}",
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "status": ActionStatus.PLANNED,
    } | given


@pytest.mark.parametrize(
    ("who", "status", "works"),
    [
        ("officer_n1a", 200, True),
        ("leader_n1a", 200, True),
        ("coordinator_n1", 200, True),
        ("safeguarding_n1", 200, False),
        ("strategy_coordinator", 200, False),
        ("commander_s1", 404, False),
        ("standards", 404, False),
    ],
)
def test_who_sees_the_response_and_who_adds_to_it(problem, officer_n1a, english, who, status, works):
    client = english(who)
    page = client.get(_url("response", problem))
    assert page.status_code == status
    if status == 200:
        assert ("action_form" in page.context) is works
    added = client.post(_url("action_add", problem), _form(officer_n1a))
    assert added.status_code == {(200, True): 302, (200, False): 403}.get((status, works), 404)
    assert Action.objects.count() == (1 if works else 0)


def test_the_technique_select_has_the_five_groups_and_the_team_comes_first(problem, tree, english, actor_for):
    school = make_partner(tree.n1, name="Shkolla Fillore")
    make_partner(tree.n1a, name="Tregu i qytetit")
    problem_services.add_team_member(
        actor_for("commander_n1"), problem=problem, kind=MemberKind.PARTNER, partner=school
    )
    page = english("commander_n1").get(_url("response", problem)).content.decode()
    for group in ("Increase the effort", "Increase the risks", "Reduce the rewards", "Reduce provocations",
                  "Remove excuses"):  # fmt: skip
        assert f'<optgroup label="{group}">' in page
    assert page.count('<option value="target_harden"') == 1
    owners = page[page.index('<select name="owner"') :]
    owners = owners[: owners.index("</select>")]
    team, place = (
        owners.index('<optgroup label="The problem&#x27;s team">'),
        owners.index("Partners of the place"),
    )
    assert team < owners.index("Shkolla Fillore") < place < owners.index("Tregu i qytetit")
    assert "Partners and forums on the team:" in page


def test_an_action_is_added_with_a_partner_as_owner(problem, tree, english):
    market = make_partner(tree.n1a, name="Tregu i qytetit")
    response = english("officer_n1a").post(_url("action_add", problem), _form_partner(market))
    assert response.status_code == 302 and response["Location"] == _url("response", problem)
    action = Action.objects.get()
    assert (action.owner_partner, action.owner_officer, action.technique) == (market, None, "place_managers")


def _form_partner(partner):
    return {
        "title": "Ask the market to fit locks",
        "technique": Technique.PLACE_MANAGERS,
        "owner": f"partner:{partner.pk}",
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "status": ActionStatus.PLANNED,
    }


@pytest.mark.parametrize(
    "given",
    [
        {"owner": ""},
        {"owner": "partner:999999"},
        {"technique": "pray"},
        {"due_on": ""},
        {"status": ActionStatus.DONE},  # no day, no evidence
    ],
)
def test_a_refused_action_shows_the_form_again_and_adds_nothing(problem, officer_n1a, english, given):
    response = english("officer_n1a").post(_url("action_add", problem), _form(officer_n1a, **given))
    assert response.status_code == 400
    assert response.context["action_form"].errors
    assert not Action.objects.exists()


def test_an_action_is_changed_and_marked_done_from_the_tab(problem, officer_n1a, english):
    client = english("officer_n1a")
    client.post(_url("action_add", problem), _form(officer_n1a))
    action = Action.objects.get()
    edit = client.get(_url("response", problem), {"edit": action.pk})
    assert edit.context["edit_form"].initial["owner"] == f"officer:{officer_n1a.pk}"
    changed = client.post(
        _url("action_change", problem, action.pk), _form(officer_n1a, status=ActionStatus.IN_PROGRESS)
    )
    assert changed.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    refused = client.post(
        _url("action_done", problem, action.pk), {"done_on": timezone.localdate().isoformat()}
    )
    assert refused.status_code == 400
    action.refresh_from_db()
    assert action.status == "in_progress"
    done = client.post(
        _url("action_done", problem, action.pk),
        {"done_on": timezone.localdate().isoformat(), "evidence": "Photos of the locked gates."},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.evidence) == ("done", "Photos of the locked gates.")
    # Off the team: 403, nothing changes.
    other = english("safeguarding_n1").post(
        _url("action_change", problem, action.pk), _form(officer_n1a, title="Something else")
    )
    assert other.status_code == 403
    action.refresh_from_db()
    assert action.title == "Lock the gates at night"


def test_overdue_actions_are_highlighted_on_the_tab(problem, officer_n1a, english, actor_for):
    late = timezone.localdate() - timedelta(days=2)
    services.add_action(
        actor_for("officer_n1a"),
        problem=problem,
        data=services.ActionInput(
            title="Meet the market manager",
            technique=Technique.PLACE_MANAGERS,
            due_on=late,
            owner_officer=officer_n1a,
        ),
    )
    response = english("commander_n1").get(_url("response", problem))
    assert response.context["overdue_count"] == 1
    page = response.content.decode()
    assert "1 action is overdue." in page and 'class="overdue"' in page


def test_an_action_of_another_problem_is_not_found(problem, tree, officer_n1a, english, actor_for):
    other = problem_services.open_problem(actor_for("commander_n1"), unit=tree.n1b, title="Other")
    action = services.add_action(
        actor_for("commander_n1"),
        problem=other,
        data=services.ActionInput(
            title="Patrol",
            technique=Technique.EXTEND_GUARDIANSHIP,
            due_on=timezone.localdate(),
            owner_officer=officer_n1a,
        ),
    )
    response = english("officer_n1a").post(
        _url("action_done", problem, action.pk),
        {"done_on": timezone.localdate().isoformat(), "evidence": "x"},
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "planned"
