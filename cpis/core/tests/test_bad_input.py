"""Input no view ever sees: a NUL character (PostgreSQL can neither store nor
compare a string that holds one, and nobody types one) anywhere in the path, the
query, a form or a JSON body is a 400 at the door, in the caller's own format.
And the one rule for the years a date given to CPIS may fall in."""

import json
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cpis.core import periods
from cpis.core.middleware import RefuseNulMiddleware

NOT_ALLOWED = "The text contains characters that are not allowed."


@pytest.fixture
def browser():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/places?q=ab%00",
        "/api/v1/places?q=ab&q%00=ab",
        "/api/v1/places%00?q=ab",
        "/api/v1/units/%00",
    ],
)
def test_a_nul_in_the_api_path_or_query_is_a_json_400(db, browser, url):
    response = browser.get(url)
    assert response.status_code == 400
    assert response.json() == {"detail": NOT_ALLOWED}


def test_open311_refuses_a_nul_in_its_own_error_format(db, browser):
    response = browser.get("/open311/v2/requests.json", {"service_code": "\x00"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": NOT_ALLOWED}]
    xml = browser.get("/open311/v2/requests.xml", {"service_request_id": "\x00"})
    assert xml.status_code == 400 and xml["Content-Type"] == "text/xml; charset=utf-8"
    error = ET.fromstring(xml.content)
    assert error.tag == "errors" and error.find("error/code").text == "400"
    assert error.find("error/description").text == NOT_ALLOWED
    posted = browser.post("/open311/v2/requests.json", {"api_key": "\x00", "service_code": "weapons"})
    assert posted.status_code == 400 and posted.json()[0]["code"] == 400


def test_a_nul_in_a_json_body_is_refused_escaped_or_raw(db, browser):
    for body in ('{"code": "ab\\u0000c"}', '{"\\u0000": "x"}', '{"code": ["a", {"b": "\\u0000"}]}'):
        response = browser.post("/api/v1/concerns/track", body, content_type="application/json")
        assert response.status_code == 400 and response.json() == {"detail": NOT_ALLOWED}, body
    raw = browser.post("/api/v1/concerns/track", b'{"code": "a\x00"}', content_type="application/json")
    assert raw.status_code == 400
    # A backslash followed by "u0000" is text like any other.
    literal = browser.post(
        "/api/v1/concerns/track", '{"code": "a\\\\u0000"}', content_type="application/json"
    )
    assert literal.json() != {"detail": NOT_ALLOWED}


def test_people_get_a_page_in_their_language(db, browser):
    response = browser.get("/report/", {"category": "\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert NOT_ALLOWED in response.content.decode()
    albanian = Client(HTTP_ACCEPT_LANGUAGE="sq").get("/report/", {"category": "\x00"})
    assert albanian.status_code == 400 and NOT_ALLOWED not in albanian.content.decode()


def _through_the_door(request) -> int:
    return RefuseNulMiddleware(lambda request: HttpResponse("passed"))(request).status_code


def test_form_fields_are_read_but_not_the_files_uploaded():
    factory = RequestFactory()
    nul_file = SimpleUploadedFile("data.bin", b"\x00\x01\x00", content_type="application/octet-stream")
    assert _through_the_door(factory.post("/staff/x/", {"name": "a", "file": nul_file})) == 200
    assert _through_the_door(factory.post("/staff/x/", {"name": "a\x00"})) == 400
    urlencoded = factory.post("/staff/x/", "name=a%00b", content_type="application/x-www-form-urlencoded")
    assert _through_the_door(urlencoded) == 400
    # Bodies of other kinds are the view's business.
    assert (
        _through_the_door(factory.post("/staff/x/", b"\x00", content_type="application/octet-stream")) == 200
    )
    invalid_json = factory.post("/api/x", "{not json \\u0000", content_type="application/json")
    assert _through_the_door(invalid_json) == 400
    assert (
        _through_the_door(factory.post("/api/x", json.dumps({"a": "b"}), content_type="application/json"))
        == 200
    )


def test_too_many_fields_is_a_400_in_the_callers_format(db, browser, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    query = "&".join(f"f{i}=1" for i in range(6))
    response = browser.get(f"/api/v1/places?q=ab&{query}")
    assert response.status_code == 400 and response.json() == {"detail": "The request is not valid."}
    assert browser.get(f"/report/?{query}").status_code == 400


@pytest.mark.parametrize(
    "value", [date(1900, 1, 1), date(2100, 12, 31), datetime(2024, 5, 1, 12, tzinfo=UTC)]
)
def test_dates_within_the_years(value):
    assert periods.within_years(value) == value


@pytest.mark.parametrize(
    "value", [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1), datetime(9999, 12, 31, tzinfo=UTC)]
)
def test_dates_outside_the_years_are_refused(value):
    with pytest.raises(ValueError, match="1900"):
        periods.within_years(value)


def test_a_host_not_served_is_a_400_in_the_callers_format(db, browser):
    assert browser.get("/report/", HTTP_HOST="elsewhere.example").status_code == 400
    api = browser.get("/api/v1/places", {"q": "ab"}, HTTP_HOST="elsewhere.example")
    assert api.status_code == 400 and api.json() == {"detail": "The request is not valid."}


def test_a_month_or_a_half_year_outside_the_years_is_refused():
    assert periods.check_year(2024) == 2024
    with pytest.raises(ValueError, match="2100"):
        periods.check_year(0)
    with pytest.raises(ValueError, match="1900"):
        periods.parse_label("1899 H2")
