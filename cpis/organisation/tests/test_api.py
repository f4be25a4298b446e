from datetime import date

import pytest

from cpis.accounts.models import AccessLogEntry
from cpis.accounts.services import create_api_token
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory


@pytest.fixture
def team(tree):
    leader = OfficerFactory(unit=tree.n1, first_name="Arta", last_name="Morina")
    AssignmentFactory(officer=leader, sector=tree.n1a, role="leader", start_date=date(2024, 1, 1))
    return leader


def test_sectors_are_served_as_geojson(tree, client):
    data = client.get("/api/v1/sectors").json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in data["features"]} == {"n1a", "n1b", "s1a"}
    feature = next(f for f in data["features"] if f["properties"]["code"] == "n1a")
    assert feature["geometry"]["type"] == "Polygon"


def test_sectors_within_a_unit(tree, client):
    data = client.get(f"/api/v1/sectors?within_id={tree.s1.pk}").json()
    assert [f["properties"]["code"] for f in data["features"]] == ["s1a"]


def test_locate_returns_the_sector_its_station_and_team(tree, client, team):
    data = client.get("/api/v1/sectors/locate?lat=42.55&lon=21.05").json()
    assert data["sector"]["code"] == "n1a"
    assert data["station"]["code"] == "n1"
    assert [m["officer"]["name"] for m in data["team"]] == ["Arta Morina"]
    assert data["team"][0]["role"] == "leader"
    assert "personal_phone" not in str(data)


def test_locate_outside_every_sector_is_a_translated_404(tree, client):
    response = client.get("/api/v1/sectors/locate?lat=10&lon=10", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == "No sector covers this point."


@pytest.mark.parametrize("query", ["lat=91&lon=21", "lat=abc&lon=21", "lon=21"])
def test_locate_rejects_bad_coordinates(tree, client, query):
    response = client.get(f"/api/v1/sectors/locate?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_public_sees_only_public_officer_fields(tree, client, team):
    data = client.get("/api/v1/officers").json()
    assert data["count"] == 1
    officer = data["items"][0]
    assert officer["name"] == "Arta Morina"
    assert officer["badge_number"] is None and officer["personal"] is None
    detail = client.get(f"/api/v1/officers/{team.pk}").json()
    assert detail["personal"] is None
    assert not AccessLogEntry.objects.reads().exists()


def test_an_officer_not_in_a_sector_is_not_public(tree, client):
    desk = OfficerFactory(unit=tree.n1)
    assert client.get(f"/api/v1/officers/{desk.pk}").status_code == 404


def test_a_commander_with_a_token_reads_personal_data_and_it_is_logged(tree, client, persona, team):
    _token, secret = create_api_token(user=persona("commander_n1"), name="test")
    response = client.get(f"/api/v1/officers/{team.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["personal"]["personal_phone"] == team.personal_phone
    entry = AccessLogEntry.objects.reads().get()
    assert entry.source == f"/api/v1/officers/{team.pk}"


def test_staff_of_another_region_get_404_for_an_officer_out_of_their_place(tree, client_for, team):
    assert client_for("commander_s1").get(f"/api/v1/officers/{team.pk}").status_code == 404


def test_a_wrong_token_is_refused(tree, client):
    response = client.get("/api/v1/officers", HTTP_AUTHORIZATION="Bearer cpis_nope_nope")
    assert response.status_code == 401


def test_places_search_names_the_sector(tree, client):
    from cpis.organisation.tests.factories import SettlementFactory

    SettlementFactory(name_sq="Hajvali", name_sr="Хајвалија", lon=21.15, lat=42.55)
    data = client.get("/api/v1/places?q=hajval").json()
    assert [(p["name"], p["sector_id"]) for p in data] == [("Hajvali", tree.n1b.pk)]


def test_units_are_listed_and_filtered(tree, client):
    data = client.get("/api/v1/units?kind=station").json()
    assert [u["code"] for u in data["items"]] == ["n1", "s1"]
    assert client.get(f"/api/v1/units/{tree.north.pk}").json()["name"] == "Veriu"
