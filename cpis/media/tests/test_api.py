"""The media API: the reports and counts of the caller's places, and logging one
through the same service as the form."""

import json
from datetime import date

from cpis.media.models import MediaItem


def test_the_list_is_scoped_by_place(tree, api, log):
    north = log(tree.n1a, headline="North")
    log(tree.s1a, headline="South")
    body = api("commander_n1").get("/api/v1/media").json()
    assert body["count"] == 1
    assert [i["id"] for i in body["items"]] == [north.pk]
    assert body["items"][0]["places"] == [{"id": tree.n1a.pk, "name": tree.n1a.name}]
    assert api("commander_s1").get(f"/api/v1/media?unit_id={tree.n1.pk}").status_code == 404
    assert api("officer_n1a").get("/api/v1/media").status_code == 404


def test_the_counts_equal_the_rows(tree, api, log):
    log(tree.n1a, day=date(2025, 1, 3), tone="positive", topic="forums")
    log(tree.n1a, day=date(2025, 1, 4), tone="positive", topic="forums")
    log(tree.n1b, day=date(2025, 2, 4), tone="negative")
    log(tree.s1a, day=date(2025, 2, 5), tone="negative")
    log(tree.n1a, day=date(2024, 1, 5), tone="neutral")
    body = api("commander_n1").get("/api/v1/media/counts?from=2025-01-01&to=2025-02-28").json()
    assert [(m["month"], m["positive"], m["negative"]) for m in body["months"]] == [
        ("2025-01", 2, 0),
        ("2025-02", 0, 1),
    ]
    assert body["totals"]["total"] == 3
    assert abs(body["totals"]["net_tone"] - 1 / 3) < 1e-6
    assert body["same_period_last_year"]["total"] == 1
    assert body["top_topics"][0]["total"] == 2
    narrowed = api("commander_n1").get(
        f"/api/v1/media/counts?from=2025-01-01&to=2025-02-28&unit_id={tree.n1b.pk}"
    )
    assert narrowed.json()["totals"]["total"] == 1
    assert api("commander_n1").get("/api/v1/media/counts?from=2025-03-01&to=2025-01-01").status_code == 422


def test_a_report_is_logged_once(tree, api, outlets, topics):
    client = api("coordinator_n1")
    payload = {
        "outlet_id": outlets["online"].pk,
        "published_on": "2025-04-02",
        "headline": "Traffic campaign",
        "tone": "positive",
        "topic": "traffic_safety",
        "unit_ids": [tree.n1a.pk],
        "url": "https://sinjali.example/x",
    }
    created = client.post("/api/v1/media", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["topic_code"] == "traffic_safety"
    again = client.post(
        "/api/v1/media", json.dumps(payload | {"headline": "Other"}), content_type="application/json"
    )
    assert again.status_code == 409
    bad = client.post(
        "/api/v1/media", json.dumps(payload | {"topic": "gossip"}), content_type="application/json"
    )
    assert bad.status_code == 400
    outside = client.post(
        "/api/v1/media",
        json.dumps(payload | {"unit_ids": [tree.s1a.pk], "url": ""}),
        content_type="application/json",
    )
    assert outside.status_code == 404
    assert MediaItem.objects.count() == 1
