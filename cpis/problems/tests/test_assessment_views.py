"""The assessment tab: who sees it and who may compute, what it shows, and a
refused form that changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.incidents.models import IncidentCategory
from cpis.problems.models import Assessment, Change
from cpis.problems.services import assessment as services
from cpis.problems.tasks import recompute_assessments_daily

from .assessment_helpers import RESPONSE, TARGET_BOX, WINDOW, Plan, place, plant, window_days


@pytest.fixture
def burglary_problem(problem):
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    return problem


@pytest.fixture
def client_for(client_for, settings):
    """The personas' clients, reading the pages in English."""

    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def url(problem) -> str:
    return reverse("problems:assessment", args=[problem.pk])


def post(client, problem, **data):
    form = {"response_date": RESPONSE.isoformat(), "window_days": WINDOW, "buffer_m": 400} | data
    return client.post(url(problem), form)


def test_the_owner_computes_the_assessment_and_sees_what_it_found(tree, burglary_problem, client_for):
    plant(tree, Plan(target=(60, 20), buffer=(20, 60), control=(200, 200)))
    client = client_for("officer_n1a")
    page = client.get(url(burglary_problem))
    assert page.status_code == 200
    assert b'name="response_date"' in page.content and b"No assessment yet." in page.content
    response = post(client, burglary_problem)
    assert response.status_code == 302 and response["Location"] == url(burglary_problem)
    found = Assessment.objects.get(problem=burglary_problem)
    assert (found.target_before, found.target_after, found.reading) == (60, 20, "displacement")
    page = client.get(url(burglary_problem))
    html = page.content.decode()
    assert "Displacement into the buffer" in html
    assert "<svg" in html and "Incidents per week before and after the response date" in html
    assert "Burglary" in html  # the categories counted, by name
    assert "Provisional" not in html  # the after-window ended long ago


def test_a_provisional_assessment_says_so(tree, burglary_problem, actor_for, client_for):
    """A response date a month ago: the after-window is still running."""
    today = timezone.localdate()
    response = today - timedelta(days=30)
    place(tree.n1a, TARGET_BOX, window_days(40, 5, seed=3, response=response), seed=3)
    services.assess_problem(
        actor_for("officer_n1a"),
        problem=burglary_problem,
        response_date=response,
        window_days=182,
        buffer_m=400,
    )
    html = client_for("commander_n1").get(url(burglary_problem)).content.decode()
    assert "Provisional" in html


def test_someone_outside_the_problems_places_gets_404(tree, burglary_problem, client_for):
    client = client_for("commander_s1")
    assert client.get(url(burglary_problem)).status_code == 404
    assert post(client, burglary_problem).status_code == 404
    assert not Assessment.objects.exists()


def test_someone_who_sees_but_does_not_work_the_problem_reads_it_and_may_not_compute(
    tree, burglary_problem, client_for, actor_for
):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    services.assess_problem(
        actor_for("officer_n1a"),
        problem=burglary_problem,
        response_date=RESPONSE,
        window_days=WINDOW,
        buffer_m=400,
    )
    client = client_for("strategy_coordinator")
    page = client.get(url(burglary_problem))
    assert page.status_code == 200
    assert b'name="response_date"' not in page.content  # no form
    assert b"What the records show" in page.content
    assert post(client, burglary_problem, window_days=365).status_code == 403
    assert Assessment.objects.get(problem=burglary_problem).window_days == WINDOW


@pytest.mark.parametrize(
    "data",
    [
        {"window_days": 10},
        {"buffer_m": 9000},
        {"response_date": "not a date"},
        {"response_date": "2019-01-01"},  # nothing before it to compare against
    ],
)
def test_bad_input_is_shown_on_the_form_and_changes_nothing(tree, burglary_problem, client_for, data):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    response = post(client_for("officer_n1a"), burglary_problem, **data)
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert not Assessment.objects.exists()
    assert not Change.objects.filter(what="assessed").exists()


def test_a_lead_may_choose_a_control_place_of_the_region(tree, burglary_problem, client_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    client = client_for("commander_n1")
    page = client.get(url(burglary_problem))
    assert f'value="{tree.n1b.pk}"'.encode() in page.content
    assert f'value="{tree.s1a.pk}"'.encode() not in page.content  # another region
    assert post(client, burglary_problem, control_unit=tree.n1b.pk).status_code == 302
    found = Assessment.objects.get(problem=burglary_problem)
    assert (found.control_unit, found.control_before) == (tree.n1b, 200)


def test_the_daily_job_recomputes_through_the_task_queue(tree, burglary_problem, actor_for):
    """The test settings run tasks at once: the open problem's assessment is computed again."""
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    services.assess_problem(
        actor_for("officer_n1a"),
        problem=burglary_problem,
        response_date=RESPONSE,
        window_days=WINDOW,
        buffer_m=400,
    )
    long_ago = timezone.now() - timedelta(days=3)
    Assessment.objects.update(computed_at=long_ago)
    assert recompute_assessments_daily() == "Assessment recomputation enqueued."
    assert Assessment.objects.get(problem=burglary_problem).computed_at > long_ago
