from datetime import date

import pytest

from cpis.problems.models import MemberKind, Problem
from cpis.problems.services import problems as services

SQUARE = {"type": "Polygon", "coordinates": [[[21.0, 42.5], [21.01, 42.5], [21.01, 42.51], [21.0, 42.5]]]}


@pytest.fixture
def six(tree, actor_for, officer_n1a):
    actor = actor_for("officer_n1a")
    return [services.open_problem(actor, unit=tree.n1a, title=f"Problem {i}") for i in range(6)]


def test_the_list_is_scoped_to_the_callers_places_and_pages_in_fixed_queries(six, api, pages):
    count, titles = pages(api("commander_n1"), "/api/v1/problems", "title", queries=8)
    assert count == 6
    assert titles == ["Problem 4", "Problem 3"]
    assert api("commander_s1").get("/api/v1/problems").json()["count"] == 0


def test_a_problem_outside_the_callers_places_is_not_found(problem, api):
    assert api("commander_n1").get(f"/api/v1/problems/{problem.pk}").status_code == 200
    assert api("commander_s1").get(f"/api/v1/problems/{problem.pk}").status_code == 404


def test_the_detail_names_the_team_but_never_a_citizen(problem, api, actor_for, officer_n1a):
    actor = actor_for("officer_n1a")
    services.add_team_member(actor, problem=problem, kind=MemberKind.OFFICER, officer=officer_n1a)
    services.add_team_member(
        actor,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Drita Berisha",
        consent_on=date(2026, 1, 1),
    )
    body = api("commander_n1").get(f"/api/v1/problems/{problem.pk}").json()
    assert {(m["kind"], m["name"]) for m in body["team"]} == {("officer", "Arben Krasniqi"), ("citizen", "")}
    assert "Drita" not in str(body)


def test_a_problem_is_opened_through_the_api_once_per_key(tree, api, officer_n1a):
    client = api("officer_n1a", HTTP_IDEMPOTENCY_KEY="k-1")
    payload = {"unit_id": tree.n1a.pk, "title": "Thefts", "incident_categories": [], "area": SQUARE}
    first = client.post("/api/v1/problems", payload, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/problems", payload, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Problem.objects.count() == 1
    assert first.json()["owner_name"] == "Arben Krasniqi"


def test_bad_input_is_refused_with_a_message_and_stores_nothing(tree, api, officer_n1a):
    client = api("officer_n1a")
    refused = client.post(
        "/api/v1/problems",
        {"unit_id": tree.n1a.pk, "title": "Thefts", "incident_categories": ["no-such"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "no-such" in refused.json()["detail"]
    outside = client.post(
        "/api/v1/problems", {"unit_id": tree.s1a.pk, "title": "Thefts"}, content_type="application/json"
    )
    assert outside.status_code == 404
    assert not Problem.objects.exists()
