"""The Analysis tab, per persona: who sees it, who works it (403 for those who
see but are not on the team, 404 outside), and its forms."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.incidents.models import Incident, IncidentCategory
from cpis.problems.models import Hypothesis, Side, TriangleEntry
from cpis.problems.services import analysis as services
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


@pytest.mark.parametrize(
    ("who", "status", "works"),
    [
        ("officer_n1a", 200, True),  # the owner
        ("leader_n1a", 200, True),
        ("commander_n1", 200, True),
        ("director_north", 200, True),
        ("safeguarding_n1", 200, False),  # sees problems, is not on this one's team
        ("strategy_coordinator", 200, False),
        ("commander_s1", 404, False),
        ("standards", 404, False),
    ],
)
def test_who_sees_the_tab_and_who_may_work_it(problem, english, who, status, works):
    response = english(who).get(_url("analysis", problem))
    assert response.status_code == status
    if status == 200:
        assert response.context["can_work"] is works
        assert ('action="{}"'.format(_url("triangle_add", problem)) in response.content.decode()) is works
        post = english(who).post(_url("triangle_add", problem), {"side": "place", "description": "Car park"})
        assert post.status_code == (302 if works else 403)
    else:
        post = english(who).post(_url("triangle_add", problem), {"side": "place", "description": "Car park"})
        assert post.status_code == 404
    assert TriangleEntry.objects.count() == (1 if works else 0)


def test_an_anonymous_visitor_is_sent_to_sign_in(problem, client):
    assert client.get(_url("analysis", problem))["Location"].startswith("/accounts/login/")


def test_the_owner_records_the_triangle_from_the_tab(problem, english):
    client = english("officer_n1a")
    response = client.post(
        _url("triangle_add", problem),
        {"side": "offender", "description": "Youths from the next village", "controller": "Their school"},
    )
    assert response.status_code == 302 and response["Location"] == _url("analysis", problem)
    entry = TriangleEntry.objects.get()
    page = client.get(_url("analysis", problem)).content.decode()
    assert "Youths from the next village" in page and "Handler: Their school" in page
    edit = client.get(_url("analysis", problem), {"edit": entry.pk})
    assert (
        edit.context["editing"] == entry
        and "Youths from the next village</textarea>" in edit.content.decode()
    )
    changed = client.post(
        _url("triangle_change", problem, entry.pk),
        {"side": "offender", "description": "Two known youths", "controller": ""},
    )
    assert changed.status_code == 302
    entry.refresh_from_db()
    assert (entry.description, entry.controller) == ("Two known youths", "")
    assert client.post(_url("triangle_delete", problem, entry.pk)).status_code == 302
    assert not TriangleEntry.objects.exists()


def test_a_refused_entry_shows_the_tab_again_and_changes_nothing(problem, english):
    client = english("officer_n1a")
    response = client.post(_url("triangle_add", problem), {"side": "witness", "description": "x"})
    assert response.status_code == 400 and response.context["triangle_form"].errors["side"]
    empty = client.post(_url("triangle_add", problem), {"side": "place", "description": ""})
    assert empty.status_code == 400 and empty.context["triangle_form"].errors["description"]
    assert not TriangleEntry.objects.exists()


def test_an_entry_of_another_problem_is_not_found(problem, tree, actor_for, english):
    other = problem_services.open_problem(actor_for("commander_n1"), unit=tree.n1b, title="Other")
    entry = services.add_triangle_entry(
        actor_for("commander_n1"), problem=other, side=Side.PLACE, description="Bus station"
    )
    client = english("officer_n1a")
    response = client.post(_url("triangle_change", problem, entry.pk), {"side": "place", "description": "x"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.description == "Bus station"


def test_routine_activity_and_hypotheses_from_the_tab(problem, english):
    client = english("officer_n1a")
    notes = "Stalls stay unlocked after 22:00."
    assert client.post(_url("routine_activity", problem), {"text": notes}).status_code == 302
    problem.refresh_from_db()
    assert problem.routine_activity == notes
    assert (
        client.post(_url("hypothesis_add", problem), {"text": "It follows market days."}).status_code == 302
    )
    hypothesis = Hypothesis.objects.get()
    refused = client.post(
        _url("hypothesis_test", problem, hypothesis.pk), {"status": "supported", "evidence": ""}
    )
    assert refused.status_code == 400
    assert "Write the evidence that supports or rejects the hypothesis." in refused.content.decode()
    hypothesis.refresh_from_db()
    assert hypothesis.status == "open"
    tested = client.post(
        _url("hypothesis_test", problem, hypothesis.pk), {"status": "supported", "evidence": "12 of 14."}
    )
    assert tested.status_code == 302
    hypothesis.refresh_from_db()
    assert (hypothesis.status, hypothesis.evidence) == ("supported", "12 of 14.")
    # Someone off the team may not record the test.
    other = english("safeguarding_n1").post(
        _url("hypothesis_test", problem, hypothesis.pk), {"status": "rejected", "evidence": "No."}
    )
    assert other.status_code == 403


def test_the_data_panel_is_on_the_tab(problem, tree, english):
    burglary = IncidentCategory.objects.get(code="burglary")
    problem.incident_categories.set([burglary])
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    # Two on the last day of last month at 23:00 at one spot, one in the next sector.
    for number, (lon, lat, sector) in enumerate([(21.05, 42.55, tree.n1a)] * 2 + [(21.15, 42.55, tree.n1b)]):
        Incident.objects.create(
            source="test",
            source_id=str(number),
            category=burglary,
            occurred_on=last_month,
            occurred_time=time(23, 0),
            lon=lon,
            lat=lat,
            sector=sector,
            unit_path=sector.path,
        )
    response = english("commander_n1").get(_url("analysis", problem))
    assert response.status_code == 200
    panel = response.context["panel"]
    assert (panel.incidents.inside[-1], panel.incidents.outside[-1]) == (2, 1)
    assert panel.repeats.at_repeats == 2
    page = response.content.decode()
    assert "Data panel" in page and "The rest of Station N1" in page
    assert 'class="heat-5">2</td>' in page  # the busiest cell of the profile
    assert response.context["incidents_chart"].inside  # the area's line is drawn
    assert response.context["concerns_chart"] is None  # no concern anywhere


def test_a_closed_problem_shows_no_forms(problem, english, actor_for):
    problem_services.close_problem(actor_for("officer_n1a"), problem=problem, outcome="not_a_problem")
    response = english("officer_n1a").get(_url("analysis", problem))
    assert response.status_code == 200
    assert 'action="{}"'.format(_url("triangle_add", problem)) not in response.content.decode()
    refused = english("officer_n1a").post(
        _url("triangle_add", problem), {"side": "place", "description": "x"}
    )
    assert refused.status_code == 400 and "The problem is closed" in refused.content.decode()
    assert not TriangleEntry.objects.exists()
