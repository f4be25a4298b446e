"""The incidents JSON API: GeoJSON of the caller's places with filters and
pages, the taxonomy, and an import's progress — nothing personal."""

import json
from datetime import date

import pytest

from cpis.core.tests.helpers import listing
from cpis.incidents.models import ImportRun, RunStatus


@pytest.fixture
def incidents(tree, add):
    return {
        "north": add(tree.n1a, "burglary", day=date(2024, 5, 1), hour=22, lat=42.55, lon=21.05),
        "north_theft": add(tree.n1b, "theft", day=date(2024, 6, 1), lat=42.55, lon=21.15),
        "station": add(tree.n1, "fraud", day=date(2024, 6, 2)),
        "south": add(tree.s1a, "burglary", day=date(2024, 5, 3), lat=41.95, lon=21.05),
    }


def test_the_endpoints_need_credentials(tree, client):
    for url in ("/api/v1/incidents", "/api/v1/incidents/categories", "/api/v1/incidents/imports/1"):
        assert client.get(url).status_code == 401


def test_incidents_come_as_geojson_of_the_callers_places(incidents, api):
    response = api("commander_n1").get("/api/v1/incidents")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["count"] == 3
    ids = [f["id"] for f in data["features"]]
    assert ids == [incidents["station"].pk, incidents["north_theft"].pk, incidents["north"].pk]
    north = data["features"][2]
    assert north["geometry"] == {"type": "Point", "coordinates": [21.05, 42.55]}
    assert north["properties"] == {
        "source": "test",
        "source_id": incidents["north"].source_id,
        "category": "burglary",
        "category_name": "Vjedhje me thyerje",
        "occurred_on": "2024-05-01",
        "occurred_time": "22:00",
        "place": "",
        "sector_id": incidents["north"].sector_id,
        "unit_path": incidents["north"].unit_path,
    }
    assert data["features"][0]["geometry"] is None  # known only at the station
    south = listing(api("commander_s1"), "/api/v1/incidents", items="features")
    assert south() == [incidents["south"].pk]


def test_filters_and_pages(incidents, api, tree):
    client = api("directorate")
    ids = listing(client, "/api/v1/incidents", items="features")
    assert ids("category=burglary") == [incidents["south"].pk, incidents["north"].pk]
    assert ids("category=burglary&category=theft&since=2024-05-02") == [
        incidents["north_theft"].pk,
        incidents["south"].pk,
    ]
    assert ids(f"path={tree.n1.path}&until=2024-06-01") == [
        incidents["north_theft"].pk,
        incidents["north"].pk,
    ]
    assert ids("limit=2&offset=1") == [incidents["north_theft"].pk, incidents["south"].pk]
    assert client.get("/api/v1/incidents?limit=5001").status_code == 422
    assert client.get("/api/v1/incidents?since=2024-06-01&until=2024-05-01").status_code == 422


def test_a_path_outside_the_callers_places_is_not_found(incidents, api, tree):
    assert api("commander_n1").get(f"/api/v1/incidents?path={tree.s1.path}").status_code == 404
    assert api("commander_n1").get("/api/v1/incidents?path=kp/nowhere/").status_code == 404


def test_the_taxonomy(taxonomy, api, tree):
    data = api("officer_n1a").get("/api/v1/incidents/categories").json()
    assert len(data) == 15
    burglary = next(c for c in data if c["code"] == "burglary")
    assert burglary["name_sr"] == "Провална крађа" and "Break and Enter" in burglary["aliases"]
    assert burglary["is_property"] is True


def test_an_imports_progress_for_those_who_import(tree, api):
    run = ImportRun.objects.create(
        source="kp-ims",
        file_name="kp.csv",
        format="csv",
        status=RunStatus.RUNNING,
        rows=200,
        created=150,
        progress=0.4,
    )
    data = api("directorate").get(f"/api/v1/incidents/imports/{run.pk}").json()
    assert (data["status"], data["progress"], data["rows"], data["created"], data["has_rejects"]) == (
        "running",
        0.4,
        200,
        150,
        False,
    )
    assert api("commander_n1").get(f"/api/v1/incidents/imports/{run.pk}").status_code == 404
    assert api("directorate").get("/api/v1/incidents/imports/999999").status_code == 404


def test_no_personal_data_in_the_answers(incidents, api):
    body = api("directorate").get("/api/v1/incidents").json()
    keys = set(body["features"][0]["properties"])
    assert keys == {
        "source",
        "source_id",
        "category",
        "category_name",
        "occurred_on",
        "occurred_time",
        "place",
        "sector_id",
        "unit_path",
    }
    assert "phone" not in json.dumps(body) and "email" not in json.dumps(body)
