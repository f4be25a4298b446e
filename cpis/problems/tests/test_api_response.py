"""The API's actions and assessment of a problem: the same services as the
tabs, the counts named as the issue asks (target, buffer and control, each
before and after; rate_ratio with its interval; wdq; the windows used)."""

from datetime import timedelta

from cpis.incidents.models import IncidentCategory
from cpis.problems.models import Action

from .assessment_helpers import RESPONSE, WINDOW, Plan, plant


def test_an_action_is_added_and_listed_through_the_api_once_per_key(problem, api, officer_n1a):
    client = api("officer_n1a", HTTP_IDEMPOTENCY_KEY="a-1", HTTP_ACCEPT_LANGUAGE="en")
    payload = {
        "title": "Light the market's back street",
        "technique": "natural_surveillance",
        "due_on": "2026-12-31",
        "owner_officer_id": officer_n1a.pk,
    }
    url = f"/api/v1/problems/{problem.pk}/actions"
    first = client.post(url, payload, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["technique_label"] == "Assist natural surveillance"
    assert first.json()["owner_name"] == "Arben Krasniqi"
    assert client.post(url, payload, content_type="application/json").status_code == 200
    assert Action.objects.count() == 1
    assert [a["title"] for a in api("commander_n1").get(url).json()] == ["Light the market's back street"]
    assert api("commander_s1").get(url).status_code == 404


def test_an_action_with_an_owner_not_on_offer_or_a_bad_technique_is_refused(problem, api, officer_n1a):
    url = f"/api/v1/problems/{problem.pk}/actions"
    client = api("officer_n1a")
    base = {"title": "Patrol", "technique": "formal_surveillance", "due_on": "2026-12-31"}
    assert (
        client.post(url, {**base, "owner_officer_id": 999_999}, content_type="application/json").status_code
        == 400
    )
    assert (
        client.post(url, {**base, "technique": "magic"}, content_type="application/json").status_code == 422
    )
    # Without an owner: the service's own rule.
    assert client.post(url, base, content_type="application/json").status_code == 400
    assert not Action.objects.exists()


def test_the_assessment_names_its_counts_and_windows(tree, problem, api):
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    plant(tree, Plan(target=(60, 20), buffer=(30, 30), control=(200, 200)))
    url = f"/api/v1/problems/{problem.pk}/assessment"
    client = api("officer_n1a")
    assert client.get(url).status_code == 404
    made = client.post(
        url,
        {"response_date": RESPONSE.isoformat(), "window_days": WINDOW, "buffer_m": 400},
        content_type="application/json",
    )
    assert made.status_code == 200, made.content
    body = api("commander_n1").get(url).json()
    assert body == made.json()
    assert (body["target"], body["buffer"], body["control"]) == (
        {"before": 60, "after": 20},
        {"before": 30, "after": 30},
        {"before": 200, "after": 200},
    )
    assert body["rate_ratio"] == 20 / 60
    low, high = body["rate_ratio_ci"]
    assert low < body["rate_ratio"] < high < 1
    assert body["wdq"] is not None and body["reading"]
    assert body["before_window"] == {
        "start": (RESPONSE - timedelta(days=WINDOW)).isoformat(),
        "end": (RESPONSE - timedelta(days=1)).isoformat(),
    }
    assert body["after_window"]["start"] == (RESPONSE + timedelta(days=1)).isoformat()
    assert body["provisional"] is False
    assert api("commander_s1").get(url).status_code == 404


def test_a_bad_assessment_request_changes_nothing(tree, problem, api):
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    url = f"/api/v1/problems/{problem.pk}/assessment"
    refused = api("officer_n1a").post(
        url, {"response_date": RESPONSE.isoformat(), "window_days": 5}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert api("officer_n1a").get(url).status_code == 404
