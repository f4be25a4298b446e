"""The analytics API: the same analyses as the pages, scoped by place, with
background runs that report their progress; bad input is a clear 4xx."""

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from cpis.analytics.models import AnalysisRun

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


def test_trends_of_a_station(city, api):
    data = api("commander_n1").get("/api/v1/analytics/trends", {"place": city.n1.pk}).json()
    burglary = next(r for r in data["rows"] if r["category"] == "burglary")
    assert burglary["days28"]["now"] > burglary["days28"]["before"]
    assert len(data["weekly"]) == 52 and len(data["years"]) == 6
    assert any(a["category"] == "burglary" and a["place_id"] == city.n1a.pk for a in data["alerts"])


def test_hotspots_are_geojson(city, api):
    response = api("director_north").get(
        "/api/v1/analytics/hotspots",
        {"place": city.n1.pk, "category": "burglary", "cell": 250, "permutations": 199},
    )
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["properties"]["permutations"] == 199
    assert any(f["properties"]["level"] > 0 for f in data["features"])


def test_a_place_outside_the_callers_is_not_found(city, api):
    assert api("commander_s1").get("/api/v1/analytics/trends", {"place": city.n1.pk}).status_code == 404
    assert api("commander_s1").get(f"/api/v1/analytics/sectors/{city.n1a.pk}/priorities").status_code == 404


def test_bad_parameters_are_422(city, api):
    client = api("commander_n1")
    assert client.get("/api/v1/analytics/hotspots", {"cell": 5}).status_code == 422
    assert client.get("/api/v1/analytics/trends", {"subject": "tweets"}).status_code == 422
    response = client.post(
        "/api/v1/analytics/runs",
        {"kind": "near_repeat", "place": city.n1.pk, "params": {"metric": "chebyshev"}},
        content_type="application/json",
    )
    assert response.status_code == 400 and "metric" in response.json()["detail"]
    assert not AnalysisRun.objects.exists()


def test_a_near_repeat_run_through_the_api(city, api, django_capture_on_commit_callbacks):
    client = api("commander_n1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/analytics/runs",
            {
                "kind": "near_repeat",
                "place": city.n1.pk,
                "category": "burglary",
                "params": {"permutations": 19},
            },
            content_type="application/json",
        )
    assert response.status_code == 202
    run_id = response.json()["id"]
    data = client.get(f"/api/v1/analytics/runs/{run_id}").json()
    assert data["status"] == "done" and data["progress"] == 1.0
    assert data["result"]["permutations"] == 19 and len(data["result"]["cells"]) == 7 * 5


def test_priorities_and_deployment(city, api):
    client = api("leader_n1a")
    priorities = client.get(f"/api/v1/analytics/sectors/{city.n1a.pk}/priorities").json()
    assert priorities[0]["category"] == "burglary" and priorities[0]["reasons"]
    deployment = api("commander_n1").get("/api/v1/analytics/deployment", {"place": city.n1.pk}).json()
    assert {r["sector_id"] for r in deployment["rows"]} == {city.n1a.pk, city.n1b.pk}


def test_clusters_need_staff(city):
    assert Client().get("/api/v1/analytics/clusters").status_code == 401


def test_dates_out_of_range_and_a_scan_without_replicates_are_refused(city, api):
    client = api("commander_n1")
    assert client.get("/api/v1/analytics/deployment", {"until": "9999-12-31"}).status_code == 400
    assert (
        client.get("/api/v1/analytics/trends", {"since": "0001-01-01", "subject": "concerns"}).status_code
        == 400
    )
    response = client.post(
        "/api/v1/analytics/runs",
        {"kind": "scan", "place": city.n1.pk, "params": {"replicates": 0}},
        content_type="application/json",
    )
    assert response.status_code == 400 and "replicates" in response.json()["detail"]


# --- retries with an Idempotency-Key ---------------------------------------------------------


def _start(client: Client, body: dict, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/analytics/runs", body, content_type="application/json", **headers)


def _run_body(tree) -> dict:
    return {"kind": "near_repeat", "place": tree.n1.pk, "params": {"permutations": 19}}


def test_a_retry_with_the_same_key_returns_the_first_run_and_queues_nothing(
    tree, api, django_capture_on_commit_callbacks
):
    client = api("commander_n1")
    with django_capture_on_commit_callbacks() as first_queued:
        first = _start(client, _run_body(tree), key="run-1")
    assert first.status_code == 202, first.content
    with django_capture_on_commit_callbacks() as again_queued:
        again = _start(client, _run_body(tree), key="run-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert AnalysisRun.objects.count() == 1
    assert (len(first_queued), len(again_queued)) == (1, 0)


def test_the_same_key_with_another_body_is_a_422_and_queues_nothing(tree, api):
    client = api("commander_n1")
    assert _start(client, _run_body(tree), key="run-1").status_code == 202
    response = _start(client, {**_run_body(tree), "params": {"permutations": 99}}, key="run-1")
    assert response.status_code == 422
    assert response.json()["detail"]
    assert AnalysisRun.objects.count() == 1


def test_a_retry_while_the_first_is_in_flight_is_a_409(tree, api, persona):
    from cpis.core import idempotency
    from cpis.core.models import IdempotencyRecord

    # The same body under another key gives the request's real fingerprint; the first
    # request with key-9 has claimed it and not finished yet.
    client = api("commander_n1")
    assert _start(client, _run_body(tree), key="probe").status_code == 202
    prefix = f"analytics-run:{persona('commander_n1').pk}:"
    idempotency.claim(prefix + "key-9", IdempotencyRecord.objects.get(key=prefix + "probe").fingerprint)
    response = _start(client, _run_body(tree), key="key-9")
    assert response.status_code == 409
    assert AnalysisRun.objects.count() == 1


def test_one_callers_key_does_not_replay_anothers_run(tree, api):
    mine = _start(api("commander_n1"), _run_body(tree), key="run-1")
    theirs = _start(api("director_north"), _run_body(tree), key="run-1")
    assert (mine.status_code, theirs.status_code) == (202, 202)
    assert mine.json()["id"] != theirs.json()["id"]
    assert AnalysisRun.objects.count() == 2


def test_without_a_key_every_post_queues_a_run(tree, api):
    client = api("commander_n1")
    assert [_start(client, _run_body(tree)).status_code for _ in range(2)] == [202, 202]
    assert AnalysisRun.objects.count() == 2
