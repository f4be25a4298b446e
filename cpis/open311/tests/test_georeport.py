"""Conformance with Open311 GeoReport v2 as specified (and its JSON/XML
conversion rules), with the specification's own example shapes."""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from cpis.accounts.services import create_api_token
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit


@pytest.fixture
def api_key(persona):
    return create_api_token(user=persona("officer_n1a"), name="open311 app")[1]


def _xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def test_discovery_in_both_formats(db, client):
    data = client.get("/open311/v2/discovery.json").json()
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = _xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_are_a_top_level_array_in_json_and_service_elements_in_xml(db, client):
    services = client.get("/open311/v2/services.json").json()
    assert isinstance(services, list)
    assert {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} == set(
        services[0]
    )
    assert services[0]["metadata"] is False and services[0]["type"] == "realtime"
    assert services[0]["keywords"] is None  # empty elements are null
    root = _xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services" and root[0].tag == "service"
    assert root[0].find("metadata").text == "false"


def test_service_names_follow_the_language(db, client):
    names = {
        s["service_code"]: s["service_name"]
        for s in client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="sr").json()
    }
    assert names["traffic-safety"] == "Безбедност саобраћаја"


def test_a_service_definition_is_an_object(db, client):
    data = client.get("/open311/v2/services/weapons.json").json()
    assert data == {"service_code": "weapons", "attributes": []}
    assert client.get("/open311/v2/services/nope.json").status_code == 404


def test_errors_are_a_list_with_code_and_description(db, client):
    response = client.get("/open311/v2/services/nope.json")
    assert response.json() == [{"code": 404, "description": response.json()[0]["description"]}]
    root = _xml(client.get("/open311/v2/services/nope.xml"))
    assert root.tag == "errors" and root[0].tag == "error" and root[0].find("code").text == "404"


def test_an_unknown_format_or_jurisdiction_is_refused(db, client):
    assert client.get("/open311/v2/services.csv").status_code == 400
    assert client.get("/open311/v2/services.json?jurisdiction_id=other.example").status_code == 404
    everything = client.get("/open311/v2/services.json").json()
    ours = client.get("/open311/v2/services.json?jurisdiction_id=kosovopolice.com")
    assert ours.status_code == 200 and ours.json() == everything
    absent = client.get("/open311/v2/services.json?jurisdiction_id=")  # empty = absent
    assert absent.status_code == 200 and absent.json() == everything


def _post(client, **fields):
    return client.post("/open311/v2/requests.json", fields)


def test_post_needs_a_valid_api_key(tree, client):
    response = _post(client, service_code="weapons", lat="42.55", long="21.05", description="x")
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert (
        _post(client, api_key="wrong", service_code="weapons", lat="42.55", long="21.05").status_code == 403
    )
    assert not Concern.objects.exists()


def test_post_creates_a_request_and_returns_its_id(tree, client, api_key):
    response = _post(
        client,
        api_key=api_key,
        service_code="weapons",
        lat="42.55",
        long="21.05",
        description="Të shtëna në ajër çdo fundjavë.",
        email="citizen@example.org",
        first_name="Arta",
    )
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body, list) and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    concern = Concern.objects.get(reference=body[0]["service_request_id"])
    assert concern.channel == "open311" and concern.sector == tree.n1a
    assert concern.reporter_email == "citizen@example.org"


def test_a_retry_with_the_same_idempotency_key_creates_nothing_new(tree, client, api_key, persona):
    fields = {
        "api_key": api_key,
        "service_code": "weapons",
        "lat": "42.55",
        "long": "21.05",
        "description": "Njëjtë",
    }
    first = client.post("/open311/v2/requests.json", fields, HTTP_IDEMPOTENCY_KEY="try-1")
    assert first.status_code == 201
    again = client.post("/open311/v2/requests.json", fields, HTTP_IDEMPOTENCY_KEY="try-1")
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Concern.objects.count() == 1
    # Another client sending the same key gets its own request, never this record.
    other_key = create_api_token(user=persona("commander_n1"), name="another app")[1]
    other = client.post(
        "/open311/v2/requests.json", {**fields, "api_key": other_key}, HTTP_IDEMPOTENCY_KEY="try-1"
    )
    assert other.status_code == 201
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert Concern.objects.count() == 2


def test_two_identical_anonymous_posts_without_a_key_are_two_requests(tree, client, api_key):
    """Open311 has no retry semantics of its own: without an Idempotency-Key
    two citizens who report the same thing the same way are two reports."""
    fields = {
        "api_key": api_key,
        "service_code": "weapons",
        "lat": "42.55",
        "long": "21.05",
        "description": "Njëjtë",
    }
    first = _post(client, **fields)
    second = _post(client, **fields)
    assert first.status_code == second.status_code == 201
    assert first.json()[0]["service_request_id"] != second.json()[0]["service_request_id"]
    assert Concern.objects.count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"service_code": "weapons", "description": "no location"},
        {"service_code": "weapons", "lat": "42.55", "long": "21.05", "description": "x" * 4001},
        {"service_code": "", "lat": "42.55", "long": "21.05"},
        {"service_code": "weapons", "lat": "abc", "long": "21.05"},
    ],
)
def test_bad_posts_get_400_and_store_nothing(tree, client, api_key, fields):
    assert _post(client, api_key=api_key, **fields).status_code == 400
    assert not Concern.objects.exists()


def test_get_requests_never_returns_personal_fields(tree, client):
    submit(reporter_email="secret@example.org", reporter_name="Secret Name", reporter_phone="+38344999999")
    response = client.get("/open311/v2/requests.json")
    text = response.content.decode()
    assert "secret@example.org" not in text and "Secret Name" not in text and "+38344999999" not in text
    item = response.json()[0]
    assert item["status"] == "open"
    assert {"email", "phone", "first_name", "last_name", "device_id", "account_id"}.isdisjoint(item)


def test_sensitive_categories_are_published_without_description_or_location(tree, client):
    submit(category_code="domestic-violence", description="Fqinji rreh gruan.")
    item = client.get("/open311/v2/requests.json").json()[0]
    assert item["description"] is None and item["lat"] is None and item["long"] is None


def test_statuses_map_to_open_and_closed_with_notes(tree, client, actor_for):
    from cpis.concerns import services

    concern = submit().concern
    services.close_concern(
        actor_for("coordinator_n1"),
        concern=concern,
        status="referred",
        reason="Referred to the municipality.",
    )
    item = client.get(f"/open311/v2/requests/{concern.reference}.json").json()[0]
    assert item["status"] == "closed"
    # Our status's name: the reason was written to the reporter, not for publication.
    assert item["status_notes"] == "Referuar në një institucion tjetër"
    assert "Referred to the municipality." not in client.get("/open311/v2/requests.xml").content.decode()
    assert client.get("/open311/v2/requests.json?status=open").json() == []
    assert len(client.get("/open311/v2/requests.json?status=closed").json()) == 1


def test_the_default_window_is_the_last_90_days_and_longer_spans_are_refused(tree, client):
    old = submit().concern
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    recent = submit().concern
    assert [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()] == [
        recent.reference
    ]
    start = (timezone.now() - timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400


def test_service_request_id_overrides_other_arguments(tree, client):
    a = submit().concern
    b = submit().concern
    Concern.objects.filter(pk=a.pk).update(created_at=timezone.now() - timedelta(days=300))
    data = client.get(
        f"/open311/v2/requests.json?service_request_id={a.reference},{b.reference}&status=closed"
    ).json()
    assert {r["service_request_id"] for r in data} == {a.reference, b.reference}


def test_a_single_request_is_still_a_list_and_xml_is_service_requests(tree, client):
    concern = submit().concern
    assert isinstance(client.get(f"/open311/v2/requests/{concern.reference}.json").json(), list)
    root = _xml(client.get(f"/open311/v2/requests/{concern.reference}.xml"))
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert root[0].find("status").text == "open"
    assert root[0].find("requested_datetime").text.endswith("Z")
    assert client.get("/open311/v2/requests/NOPE1234.json").status_code == 404


def test_held_concerns_are_never_published(tree, client):
    held = submit(description="WIN http://a.example http://b.example http://c.example").concern
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{held.reference}.json").status_code == 404


def test_a_token_from_the_idempotency_key_resolves_to_the_request(tree, client, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": api_key, "service_code": "weapons", "lat": "42.55", "long": "21.05", "description": "x"},
        HTTP_IDEMPOTENCY_KEY="client-token-1",
    )
    request_id = response.json()[0]["service_request_id"]
    data = client.get("/open311/v2/tokens/client-token-1.json").json()
    assert data == [{"service_request_id": request_id, "token": "client-token-1"}]
    assert client.get("/open311/v2/tokens/unknown.json").status_code == 404


def test_pagination_extension(tree, client):
    for _ in range(3):
        submit()
    assert len(client.get("/open311/v2/requests.json?page_size=2").json()) == 2
    assert len(client.get("/open311/v2/requests.json?page_size=2&page=2").json()) == 1


def test_the_api_is_described_in_openapi(db, client):
    document = client.get("/open311/v2/openapi.json").json()
    assert document["openapi"].startswith("3.1") and document["servers"] == [{"url": "/open311/v2"}]
    assert set(document["paths"]) == {
        "/discovery.{format}",
        "/services.{format}",
        "/services/{service_code}.{format}",
        "/requests.{format}",
        "/requests/{service_request_id}.{format}",
        "/tokens/{token_id}.{format}",
    }
    assert set(document["paths"]["/requests.{format}"]) == {"get", "post"}


# --- the public summary, approximate places, photos and per-client keys ---------------------

RAW = "Fqinji im Zeqir Qorraj ZQXRAW shet drogë"
SUMMARY = "Dyshime për shitje droge pranë një parku publik."
LAT, LON = 42.5512347, 21.0498761


def _published(actor_for, **overrides):
    from cpis.concerns import services

    fields = {
        "category_code": "narcotics",
        "description": RAW,
        "lat": LAT,
        "lon": LON,
        "place_text": "Rruga ZQXPLACE nr 12",
        "reporter_email": "zqx.reporter@example.org",
        "reporter_phone": "+383 44 987 654",
        "reporter_name": "Zeqir ZQXNAME",
    }
    fields.update(overrides)
    concern = submit(**fields).concern
    return services.approve_public_summary(
        actor_for("leader_n1a"), concern=concern, summary=SUMMARY, publish_photo="photo" in overrides
    )


def _private_strings():
    return ["ZQXRAW", "ZQXPLACE", "zqx.reporter", "987 654", "ZQXNAME", "42.551234", "21.049876"]


def test_requests_give_the_approved_summary_a_snapped_point_and_nothing_private(tree, client, actor_for):
    from cpis.core.anonymous_places import snap

    public = _published(actor_for)
    unapproved = submit(description="ZQXUNAPPROVED words", lat=LAT, lon=LON, place_text="ZQXPLACE").concern
    lat, lon = snap(LAT, LON)
    for path in (
        "/open311/v2/requests",
        f"/open311/v2/requests/{public.reference}",
        f"/open311/v2/requests/{unapproved.reference}",
    ):
        for fmt in ("json", "xml"):
            text = client.get(f"{path}.{fmt}").content.decode()
            assert "ZQXUNAPPROVED" not in text
            for private in _private_strings():
                assert private not in text, (path, fmt, private)
    items = {i["service_request_id"]: i for i in client.get("/open311/v2/requests.json").json()}
    assert items[public.reference]["description"] == SUMMARY
    assert items[unapproved.reference]["description"] is None
    for item in items.values():
        assert (item["lat"], item["long"]) == (lat, lon)
        assert item["address"] == tree.n1a.name
    root = _xml(client.get(f"/open311/v2/requests/{public.reference}.xml"))
    assert root[0].find("description").text == SUMMARY
    assert float(root[0].find("lat").text) == lat


def test_media_url_appears_only_after_the_photo_is_published_and_has_no_exif(tree, client, actor_for):
    import io

    from PIL import Image

    from cpis.concerns import services
    from cpis.concerns.tests.factories import jpeg_with_gps

    concern = submit(photo=jpeg_with_gps(), lat=LAT, lon=LON).concern
    item = client.get(f"/open311/v2/requests/{concern.reference}.json").json()[0]
    assert item["media_url"] is None
    assert client.get(f"/reports/{concern.reference}/photo/").status_code == 404
    leader = actor_for("leader_n1a")
    services.approve_public_summary(leader, concern=concern, summary=SUMMARY)
    assert client.get(f"/open311/v2/requests/{concern.reference}.json").json()[0]["media_url"] is None
    assert client.get(f"/reports/{concern.reference}/photo/").status_code == 404
    services.approve_public_summary(leader, concern=concern, summary=SUMMARY, publish_photo=True)
    url = client.get(f"/open311/v2/requests/{concern.reference}.json").json()[0]["media_url"]
    assert url == f"http://testserver/reports/{concern.reference}/photo/"
    assert concern.photo.name.split("/")[-1] not in url  # not the stored file's name
    response = client.get(f"/reports/{concern.reference}/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(response.content)) as image:
        assert not image.getexif() and "exif" not in image.info
    services.withdraw_public_summary(leader, concern=concern)
    assert client.get(f"/reports/{concern.reference}/photo/").status_code == 404
    assert client.get(f"/open311/v2/requests/{concern.reference}.json").json()[0]["media_url"] is None


def test_two_clients_using_the_same_idempotency_key_both_get_their_reports(tree, client, api_key, persona):
    fields = {"service_code": "weapons", "lat": "42.55", "long": "21.05", "description": "Të shtëna."}
    other_key = create_api_token(user=persona("commander_n1"), name="another app")[1]
    first = client.post(
        "/open311/v2/requests.json", {**fields, "api_key": api_key}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    other = client.post(
        "/open311/v2/requests.json",
        {**fields, "api_key": other_key, "description": "Diçka tjetër."},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert first.status_code == other.status_code == 201
    ids = {first.json()[0]["service_request_id"], other.json()[0]["service_request_id"]}
    assert len(ids) == 2 and Concern.objects.count() == 2
    # Each client's retry replays its own report.
    retry = client.post(
        "/open311/v2/requests.json",
        {**fields, "api_key": other_key, "description": "Diçka tjetër."},
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert retry.status_code == 200
    assert retry.json()[0]["service_request_id"] == other.json()[0]["service_request_id"]
    # The token (read without a key) names both clients' requests.
    tokens = client.get("/open311/v2/tokens/k-1.json").json()
    assert {t["service_request_id"] for t in tokens} == ids
