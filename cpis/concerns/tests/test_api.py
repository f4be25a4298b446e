import pytest

from cpis.accounts.services import create_api_token
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit

BODY = {"category": "traffic-safety", "description": "Semafori nuk punon.", "lat": 42.55, "lon": 21.05}


@pytest.fixture
def token(persona):
    return create_api_token(user=persona("officer_n1a"), name="app")[1]


@pytest.fixture
def client():
    """CSRF enforced, as a real server does: token clients send no cookie."""
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def _post(client, token, body=None, key="key-1"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/concerns", body or BODY, content_type="application/json", **headers)


def test_a_partner_app_submits_and_a_retry_returns_the_same_code(tree, client, token):
    first = _post(client, token)
    assert first.status_code == 201
    again = _post(client, token)
    assert again.status_code == 200
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["replayed"] is True
    assert Concern.objects.count() == 1


def test_the_same_key_with_another_body_gets_422(tree, client, token):
    _post(client, token)
    response = _post(client, token, {**BODY, "description": "Diçka tjetër"})
    assert response.status_code == 422


def test_a_missing_key_gets_400(tree, client, token):
    assert _post(client, token, key=None).status_code == 400


def test_a_concurrent_duplicate_gets_409(tree, client, token, persona):
    from cpis.core import idempotency
    from cpis.core.models import IdempotencyRecord

    # The same body under another key gives the request's real fingerprint; the first
    # request with key-9 has claimed it and not finished yet.
    assert _post(client, token, key="probe").status_code == 201
    prefix = f"api:{persona('officer_n1a').pk}:"
    owner = idempotency.owner_of(persona("officer_n1a").pk)
    probe = IdempotencyRecord.objects.get(owner=owner, key=prefix + "probe")
    idempotency.claim(prefix + "key-9", probe.fingerprint, owner=owner)
    response = _post(client, token, key="key-9")
    assert response.status_code == 409
    assert 1 <= int(response["Retry-After"]) <= idempotency.IN_FLIGHT.total_seconds()
    assert Concern.objects.count() == 1


def test_bad_input_is_a_clear_4xx_and_stores_nothing(tree, client, token):
    response = _post(client, token, {**BODY, "category": "nope"})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert _post(client, token, {**BODY, "lat": 500}, key="k2").status_code == 422
    assert not Concern.objects.exists()


def test_anonymous_callers_cannot_post(tree, client):
    response = client.post(
        "/api/v1/concerns", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 401


def test_the_staff_list_is_scoped_and_carries_no_personal_data(tree, client, persona):
    mine = submit(reporter_email="secret@example.org").concern
    submit(lat=41.95, lon=21.05)
    secret = create_api_token(user=persona("coordinator_n1"), name="x")[1]
    response = client.get("/api/v1/concerns", HTTP_AUTHORIZATION=f"Bearer {secret}")
    data = response.json()
    assert [c["reference"] for c in data["items"]] == [mine.reference]
    assert "secret@example.org" not in response.content.decode()
    detail = client.get(f"/api/v1/concerns/{mine.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert detail["events"][0]["kind"] == "submitted"


def test_tracking_through_the_api_uses_the_body_not_the_url(tree, client):
    result = submit()
    response = client.post(
        "/api/v1/concerns/track", {"code": result.tracking_code}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["reference"] == result.concern.reference
    assert (
        client.post(
            "/api/v1/concerns/track", {"code": "ZZZZ-ZZZZ-000000"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_queue_map_is_geojson_of_the_callers_concerns(tree, client_for):
    mine = submit().concern
    submit(lat=41.95, lon=21.05)
    data = client_for("coordinator_n1").get("/api/v1/concerns/map").json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["reference"] for f in data["features"]] == [mine.reference]
    assert data["features"][0]["geometry"]["coordinates"] == [mine.lon, mine.lat]


def test_a_browser_session_posting_without_csrf_is_refused(tree, persona):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(persona("officer_n1a"))
    response = browser.post(
        "/api/v1/concerns", BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 403
    assert not Concern.objects.exists()
