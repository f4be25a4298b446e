"""The reporting JSON API: the reports of the caller's places, what waits
for the caller's review, a report with its history, and the review decision
through the service: exactly one decision, or nothing and a clear 4xx."""

import json
from datetime import date

import pytest
from django.test import Client

from cpis.accounts.services import create_api_token
from cpis.core.tests.helpers import json_keys, listing
from cpis.organisation.access import Actor
from cpis.reporting import services
from cpis.reporting.models import Report, Review, Stage, Status

MONTH = date(2025, 3, 1)


def _submitted(tree, actor, unit, month=MONTH, issues="Zhurmë pranë shkollës."):
    report = services.start_report(actor, unit=unit, month=month)
    report = services.save_report(
        actor, report=report, issues=issues, actions="Patrullë çdo mbrëmje.", needs="", remarks=""
    )
    return services.submit_report(actor, report=report)


@pytest.fixture
def reports(tree, persona):
    """Sector N1A's report for March 2025 in review at the station (written
    by its leader), a draft for N1B, and sector S1A's report in review."""
    leader = Actor.for_user(persona("leader_n1a"))
    north = _submitted(tree, leader, tree.n1a)
    coordinator = Actor.for_user(persona("coordinator_n1"))
    draft = services.start_report(coordinator, unit=tree.n1b, month=MONTH)
    south = _submitted(tree, Actor.system(), tree.s1a, issues="Vjedhje në treg.")
    return {"north": north, "draft": draft, "south": south}


def _no_personal_data(response) -> None:
    body = json.loads(response.content)
    assert not {k for k in json_keys(body) if "phone" in k or "email" in k or "address" in k}


@pytest.mark.parametrize("url", ["/api/v1/reports", "/api/v1/reports/waiting", "/api/v1/reports/1"])
def test_the_report_endpoints_need_credentials(tree, client, url):
    assert client.get(url).status_code == 401


def test_review_needs_credentials(reports, client):
    report = reports["north"]
    body = {"decision": "approved", "version": 1, "stage": "station"}
    response = client.post(f"/api/v1/reports/{report.pk}/review", body, content_type="application/json")
    assert response.status_code == 401
    assert not Review.objects.exists()


# --- lists -------------------------------------------------------------------------------


def test_the_list_is_scoped_to_the_callers_places(reports, api):
    north = api("commander_n1").get("/api/v1/reports")
    assert north.status_code == 200
    data = north.json()
    assert [r["id"] for r in data["items"]] == [reports["north"].pk, reports["draft"].pk]
    first = data["items"][0]
    assert (first["month"], first["status"], first["stage"], first["version"]) == (
        "2025-03-01",
        "submitted",
        "station",
        1,
    )
    assert first["author"] == "leader_n1a"
    _no_personal_data(north)
    assert listing(api("commander_s1"), "/api/v1/reports")() == [reports["south"].pk]


def test_the_list_filters_by_month_unit_and_status(reports, api, tree):
    client = api("directorate")
    ids = listing(client, "/api/v1/reports")
    assert len(ids("month=2025-03")) == 3
    assert ids("month=2025-04") == []
    assert ids(f"unit_id={tree.s1.pk}") == [reports["south"].pk]
    assert ids("status=draft") == [reports["draft"].pk]
    assert client.get("/api/v1/reports?month=2025-13").status_code == 422
    assert client.get("/api/v1/reports?status=lost").status_code == 422
    assert api("commander_s1").get(f"/api/v1/reports?unit_id={tree.n1.pk}").status_code == 404


def test_the_list_is_paginated_in_the_same_queries_for_any_page_size(tree, persona, api, pages):
    leader = Actor.for_user(persona("leader_n1a"))
    for month in range(1, 7):
        _submitted(tree, leader, tree.n1a, month=date(2024, month, 1))
    page = pages(api("director_north"), "/api/v1/reports", "month", queries=5)
    assert page == (6, ["2024-05-01", "2024-04-01"])


def test_waiting_lists_what_waits_for_my_review_only(reports, api):
    waiting = api("coordinator_n1").get("/api/v1/reports/waiting")
    assert waiting.status_code == 200
    assert [r["id"] for r in waiting.json()] == [reports["north"].pk]
    assert api("director_north").get("/api/v1/reports/waiting").json() == []
    assert api("commander_s1").get("/api/v1/reports/waiting").json() == []


# --- one report --------------------------------------------------------------------------


def test_a_report_comes_with_figures_texts_and_history(reports, api):
    report = reports["north"]
    response = api("coordinator_n1", HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/reports/{report.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["issues"] == "Zhurmë pranë shkollës."
    assert data["may_review"] is True
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["forum_meetings"]["label"] == "Forum meetings held"
    assert figures["forum_meetings"]["value"] == 0
    assert [(r["version"], r["submitted_by"]) for r in data["revisions"]] == [(1, "leader_n1a")]
    assert data["revisions"][0]["content"]["issues"] == "Zhurmë pranë shkollës."
    assert data["reviews"] == []
    _no_personal_data(response)
    assert api("commander_n1").get(f"/api/v1/reports/{report.pk}").json()["may_review"] is False


def test_another_places_report_is_a_404(reports, api):
    client = api("commander_s1")
    assert client.get(f"/api/v1/reports/{reports['north'].pk}").status_code == 404
    assert client.get("/api/v1/reports/999999").status_code == 404
    body = {"decision": "approved", "version": 1, "stage": "station"}
    response = client.post(
        f"/api/v1/reports/{reports['north'].pk}/review", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


# --- review ------------------------------------------------------------------------------


def _review(client: Client, report: Report, **body):
    return client.post(f"/api/v1/reports/{report.pk}/review", body, content_type="application/json")


def test_the_station_coordinator_approves_and_the_report_moves_up(reports, api):
    report = reports["north"]
    response = _review(
        api("coordinator_n1"), report, decision="approved", comment="Mirë.", version=1, stage="station"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["stage"]) == ("submitted", "regional_coordinator")
    assert [(r["stage"], r["decision"], r["reviewer"], r["comment"]) for r in data["reviews"]] == [
        ("station", "approved", "coordinator_n1", "Mirë.")
    ]
    report.refresh_from_db()
    assert (report.status, report.stage) == (Status.SUBMITTED, Stage.REGIONAL_COORDINATOR)
    assert Review.objects.count() == 1
    assert reports["south"].reviews.count() == 0


def test_returning_needs_a_reason_and_then_goes_back_to_the_author(reports, api):
    report = reports["north"]
    client = api("coordinator_n1", HTTP_ACCEPT_LANGUAGE="en")
    refused = _review(client, report, decision="returned", comment="  ", version=1, stage="station")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Say why the report is returned."
    assert not Review.objects.exists()
    response = _review(
        client, report, decision="returned", comment="Shtoni takimet.", version=1, stage="station"
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.stage) == (Status.RETURNED, Stage.AUTHOR)


NOT_YOURS = "This report is not waiting for your review."


@pytest.mark.parametrize(
    ("persona_name", "body", "status", "message"),
    [
        # an unknown decision
        ("coordinator_n1", {"decision": "maybe", "version": 1, "stage": "station"}, 400,
         "Approve the report or return it."),
        # a version or stage the reviewer did not read: someone decided first
        ("coordinator_n1", {"decision": "approved", "version": 2, "stage": "station"}, 409, None),
        ("coordinator_n1", {"decision": "approved", "version": 1, "stage": "directorate"}, 409, None),
        # a role that sees the report but does not review at this stage
        ("commander_n1", {"decision": "approved", "version": 1, "stage": "station"}, 409, NOT_YOURS),
        ("director_north", {"decision": "approved", "version": 1, "stage": "station"}, 409, NOT_YOURS),
    ],
)  # fmt: skip
def test_a_refused_decision_changes_nothing(reports, api, persona_name, body, status, message):
    report = reports["north"]
    response = _review(api(persona_name, HTTP_ACCEPT_LANGUAGE="en"), report, **body)
    assert response.status_code == status
    if message:
        assert response.json()["detail"] == message
    assert not Review.objects.exists()
    report.refresh_from_db()
    assert (report.status, report.stage, report.version) == (Status.SUBMITTED, Stage.STATION, 1)


def test_a_malformed_review_is_a_422_and_changes_nothing(reports, api):
    report = reports["north"]
    client = api("coordinator_n1")
    assert _review(client, report, decision="approved", stage="station").status_code == 422
    assert _review(client, report, decision="approved", version="one", stage="station").status_code == 422
    assert not Review.objects.exists()


def test_a_second_reviewer_cannot_decide_the_same_version(reports, api, persona, tree):
    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    other = UserFactory(username="coordinator_n1_deputy")
    RoleGrantFactory(user=other, unit=tree.n1, role=Role.STATION_COORDINATOR)
    report = reports["north"]
    body = {"decision": "approved", "version": 1, "stage": "station"}
    assert _review(api("coordinator_n1"), report, **body).status_code == 200
    token = create_api_token(user=other, name="x")[1]
    second = _review(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), report, **body)
    assert second.status_code == 409
    assert Review.objects.count() == 1
