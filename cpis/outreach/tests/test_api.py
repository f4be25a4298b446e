"""The outreach JSON API: the list of the caller's places, and logging from
a phone through the service: exactly one activity, or nothing and a clear 4xx."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cpis.core.tests.helpers import json_keys, listing
from cpis.organisation.tests.factories import MunicipalityFactory, OfficerFactory, SettlementFactory
from cpis.outreach import services
from cpis.outreach.models import Kind, OutreachActivity, Topic

PERSONAL = ("+383 49 000 111", "Rr. Nëna Terezë 12", "1985-04-03")


@pytest.fixture
def me(tree, officer_for):
    """officer_n1a's officer profile, serving in N1A, with personal data on record."""
    officer = officer_for("officer_n1a", sector=tree.n1a)
    officer.personal_phone, officer.home_address = PERSONAL[0], PERSONAL[1]
    officer.date_of_birth = date(1985, 4, 3)
    officer.badge_number = "KP-11111"
    officer.save()
    return officer


@pytest.fixture
def activities(tree, actor_for, me):
    system = actor_for("admin")
    north = services.log_activity(
        system,
        kind=Kind.SCHOOL_LECTURE,
        topic=Topic.NARCOTICS,
        happened_on=date(2014, 3, 12),
        unit=tree.n1a,
        audience=60,
        officer_ids=[me.pk],
        place="Shkolla fillore „Naim Frashëri”",
    )
    station = services.log_activity(
        system, kind=Kind.MEDIA, happened_on=date(2024, 5, 1), unit=tree.n1, audience=0
    )
    south = services.log_activity(
        system, kind=Kind.OPEN_DAY, happened_on=date(2024, 6, 1), unit=tree.s1a, audience=300
    )
    return {"north": north, "station": station, "south": south}


def _no_personal_data(response) -> None:
    body = response.content.decode()
    for value in PERSONAL:
        assert value not in body

    assert not {k for k in json_keys(json.loads(body)) if "phone" in k or "email" in k or "address" in k}


def test_the_endpoints_need_credentials(tree, client):
    assert client.get("/api/v1/outreach").status_code == 401
    response = client.post("/api/v1/outreach", {"kind": "media"}, content_type="application/json")
    assert response.status_code == 401
    assert not OutreachActivity.objects.exists()


# --- the list ----------------------------------------------------------------------------


def test_the_list_is_scoped_to_the_callers_places(activities, api, me):
    response = api("commander_n1").get("/api/v1/outreach")
    assert response.status_code == 200
    data = response.json()
    assert [a["id"] for a in data["items"]] == [activities["station"].pk, activities["north"].pk]
    lecture = data["items"][1]
    assert lecture["topic"] == "narcotics"
    assert lecture["officers"] == [{"id": me.pk, "name": me.full_name, "badge_number": "KP-11111"}]
    assert lecture["logged_by"] == "admin"
    _no_personal_data(response)
    assert listing(api("commander_s1"), "/api/v1/outreach")() == [activities["south"].pk]


def test_the_list_filters_by_kind_topic_dates_and_place(activities, api, tree):
    client = api("directorate")
    ids = listing(client, "/api/v1/outreach")
    assert ids("kind=open_day") == [activities["south"].pk]
    assert ids("topic=narcotics") == [activities["north"].pk]
    assert ids("from=2024-01-01") == [activities["south"].pk, activities["station"].pk]
    assert ids("to=2014-12-31") == [activities["north"].pk]
    assert ids("from=2024-05-01&to=2024-05-01") == [activities["station"].pk]
    assert ids(f"unit_id={tree.n1a.pk}") == [activities["north"].pk]
    assert ids(f"unit_id={tree.north.pk}") == [activities["station"].pk, activities["north"].pk]
    assert client.get("/api/v1/outreach?from=2024-06-01&to=2024-01-01").status_code == 422
    assert client.get("/api/v1/outreach?kind=party").status_code == 422


def test_a_place_not_yours_is_a_404(activities, api, tree):
    assert api("commander_s1").get(f"/api/v1/outreach?unit_id={tree.n1.pk}").status_code == 404


def test_the_list_is_paginated_in_the_same_queries_for_any_page_size(tree, api, actor_for, me, pages):
    system = actor_for("admin")
    others = [OfficerFactory(unit=tree.n1) for _ in range(3)]
    for i in range(6):
        services.log_activity(
            system,
            kind=Kind.COMMUNITY_MEETING,
            happened_on=date(2024, 1, 1 + i),
            unit=tree.n1a,
            audience=i,
            officer_ids=[o.pk for o in others[: 1 + i % 3]],
        )
    page = pages(api("coordinator_n1"), "/api/v1/outreach", "happened_on", queries=6)
    assert page == (6, ["2024-01-05", "2024-01-04"])


# --- logging from a phone ----------------------------------------------------------------


def _post(client: Client, **body):
    return client.post("/api/v1/outreach", body, content_type="application/json")


def test_an_officer_logs_a_lecture_from_a_phone(tree, api, me):
    colleague = OfficerFactory(unit=tree.n1, badge_number="KP-22222")
    response = _post(
        api("officer_n1a"),
        kind="school_lecture",
        topic="traffic_safety",
        happened_on="2024-03-12",
        unit_id=tree.n1a.pk,
        audience=45,
        officer_badges=["KP-22222"],
        officer_ids=[me.pk],
        place="  Shkolla e mesme  ",
        notes="Klasa e 10-të.",
    )
    assert response.status_code == 201, response.content
    activity = OutreachActivity.objects.get()
    assert response.json()["id"] == activity.pk
    assert (activity.kind, activity.topic, activity.happened_on) == (
        "school_lecture",
        "traffic_safety",
        date(2024, 3, 12),
    )
    assert (activity.unit, activity.audience, activity.place) == (tree.n1a, 45, "Shkolla e mesme")
    assert set(activity.officers.all()) == {me, colleague}
    assert activity.created_by.username == "officer_n1a"
    _no_personal_data(response)


def test_left_out_the_date_is_today_the_place_my_sector_and_the_officer_me(tree, api, me):
    response = _post(api("officer_n1a"), kind="public_contact", audience=12)
    assert response.status_code == 201, response.content
    activity = OutreachActivity.objects.get()
    assert activity.happened_on == timezone.localdate()
    assert activity.unit == tree.n1a
    assert list(activity.officers.all()) == [me]
    assert activity.topic == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "party"}, "Choose what kind of activity it was."),
        ({"kind": "school_lecture"}, "Choose the topic of the lecture or campaign."),
        ({"kind": "media", "happened_on": "2099-01-01"}, "The date cannot be in the future."),
        ({"kind": "media", "audience": -1}, "The audience must be a whole number from 0 to 100000."),
        ({"kind": "media", "officer_badges": ["KP-99999"]}, "No officer has the badge number KP-99999."),
        ({"kind": "media", "notes": "x" * 4001}, "The text is too long: at most 4000 characters."),
        ({"kind": "media", "settlement_id": 999999}, "There is no such settlement."),
    ],
)
def test_bad_input_is_a_translated_400_and_stores_nothing(tree, api, me, body, message):
    response = _post(api("officer_n1a", HTTP_ACCEPT_LANGUAGE="en"), unit_id=tree.n1a.pk, **body)
    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert not OutreachActivity.objects.exists()


def test_a_malformed_body_is_a_422_and_stores_nothing(tree, api, me):
    client = api("officer_n1a", HTTP_ACCEPT_LANGUAGE="en")
    for body in (
        {"audience": 3},
        {"kind": "media", "audience": "many"},
        {"kind": "media", "happened_on": "x"},
    ):
        response = _post(client, **body)
        assert response.status_code == 422
        assert response.json()["detail"] == "The request is not valid."
    assert not OutreachActivity.objects.exists()


def test_an_officer_of_another_station_cannot_be_named(tree, api, me):
    OfficerFactory(unit=tree.s1, badge_number="KP-33333")
    response = _post(
        api("officer_n1a", HTTP_ACCEPT_LANGUAGE="en"),
        kind="media",
        unit_id=tree.n1a.pk,
        officer_badges=["KP-33333"],
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Choose officers who serve at this station."
    assert not OutreachActivity.objects.exists()


def test_a_settlement_of_another_municipality_is_refused(tree, api, me):
    tree.n1a.municipality = MunicipalityFactory()
    tree.n1a.save()
    elsewhere = SettlementFactory()
    response = _post(api("officer_n1a"), kind="media", unit_id=tree.n1a.pk, settlement_id=elsewhere.pk)
    assert response.status_code == 400
    assert not OutreachActivity.objects.exists()


def test_logging_elsewhere_is_a_404_or_a_403_and_stores_nothing(tree, api, me):
    officer = api("officer_n1a")
    assert _post(officer, kind="media", unit_id=tree.s1a.pk).status_code == 404
    assert _post(officer, kind="media", unit_id=tree.n1b.pk).status_code == 404
    assert _post(api("strategy_coordinator"), kind="media", unit_id=tree.n1a.pk).status_code == 403
    assert not OutreachActivity.objects.exists()


def test_a_region_is_not_a_place_to_log_at(tree, api):
    response = _post(api("director_north", HTTP_ACCEPT_LANGUAGE="en"), kind="media", unit_id=tree.north.pk)
    assert response.status_code == 400
    assert response.json()["detail"] == "Choose a sector or a station as the place."
    assert not OutreachActivity.objects.exists()


def test_without_a_place_of_my_own_the_place_is_required(tree, api):
    response = _post(api("director_north", HTTP_ACCEPT_LANGUAGE="en"), kind="media")
    assert response.status_code == 400
    assert response.json()["detail"] == "Choose a sector or a station as the place."


def test_a_browser_session_must_send_the_csrf_token(tree, persona, me):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(persona("officer_n1a"))
    response = browser.post("/api/v1/outreach", {"kind": "media"}, content_type="application/json")
    assert response.status_code == 403
    assert not OutreachActivity.objects.exists()


def test_yesterdays_activity_keeps_its_date(tree, api, me):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _post(api("officer_n1a"), kind="campaign", topic="weapons", happened_on=str(yesterday))
    assert response.status_code == 201
    assert response.json()["happened_on"] == str(yesterday)


# --- retries with an Idempotency-Key ---------------------------------------------------------

LECTURE = {"kind": "school_lecture", "topic": "narcotics", "happened_on": "2024-03-12", "audience": 30}


def _post_keyed(client: Client, key: str, **body):
    return client.post("/api/v1/outreach", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_returns_the_first_activity(tree, api, me):
    client = api("officer_n1a")
    first = _post_keyed(client, "phone-1", **LECTURE)
    assert first.status_code == 201, first.content
    again = _post_keyed(client, "phone-1", **LECTURE)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert OutreachActivity.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_and_stores_nothing(tree, api, me):
    client = api("officer_n1a")
    assert _post_keyed(client, "phone-1", **LECTURE).status_code == 201
    response = _post_keyed(client, "phone-1", **{**LECTURE, "audience": 31})
    assert response.status_code == 422
    assert response.json()["detail"]
    assert OutreachActivity.objects.count() == 1


def test_a_retry_while_the_first_is_in_flight_is_a_409(tree, api, me, persona):
    from cpis.core import idempotency
    from cpis.core.models import IdempotencyRecord

    # The same body under another key gives the request's real fingerprint; the first
    # request with key-9 has claimed it and not finished yet.
    client = api("officer_n1a")
    assert _post_keyed(client, "probe", **LECTURE).status_code == 201
    prefix = f"outreach:{persona('officer_n1a').pk}:"
    idempotency.claim(prefix + "key-9", IdempotencyRecord.objects.get(key=prefix + "probe").fingerprint)
    response = _post_keyed(client, "key-9", **LECTURE)
    assert response.status_code == 409
    assert OutreachActivity.objects.count() == 1


def test_one_callers_key_does_not_replay_anothers_activity(tree, api, me, officer_for):
    officer_for("leader_n1a", sector=tree.n1a)
    mine = _post_keyed(api("officer_n1a"), "phone-1", **LECTURE)
    theirs = _post_keyed(api("leader_n1a"), "phone-1", **LECTURE)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert OutreachActivity.objects.count() == 2


def test_without_a_key_every_post_logs_an_activity(tree, api, me):
    client = api("officer_n1a")
    assert [_post(client, **LECTURE).status_code for _ in range(2)] == [201, 201]
    assert OutreachActivity.objects.count() == 2
