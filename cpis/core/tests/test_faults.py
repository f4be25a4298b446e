"""With the database gone the site answers 503 with Retry-After, never a
stack trace: JSON to API clients, Open311's XML errors, a page to people."""

import pytest
from django.db import OperationalError, connection
from django.test import Client


@pytest.fixture
def broken_database():
    """Every query fails as it does when PostgreSQL is restarted under us."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_the_api_answers_json_503_with_retry_after(db, browser, broken_database):
    response = browser.get("/api/v1/places", {"q": "Prishtin"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"] == "The service is briefly unavailable. Try again in a moment."
    albanian = browser.get("/api/v1/places", {"q": "Prishtin"}, HTTP_ACCEPT_LANGUAGE="sq")
    assert albanian.json()["detail"] != response.json()["detail"]
    assert "Traceback" not in response.content.decode()


def test_open311_answers_in_its_own_error_format(db, browser, broken_database):
    response = browser.get("/open311/v2/services.xml")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>503</code>" in response.content
    json_response = browser.get("/open311/v2/services.json")
    assert json_response.status_code == 503 and "detail" in json_response.json()


def test_a_page_says_try_again_in_the_three_languages(db, browser, broken_database):
    response = browser.get("/report/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Please try again in a minute" in page and "Provoni përsëri" in page and "Покушајте" in page


def test_a_fault_in_the_code_stays_a_500(db, browser):
    def crash(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(crash):
        api = browser.get("/api/v1/places", {"q": "Prishtin"})
        page = browser.get("/report/")
    assert api.status_code == 500 and "Retry-After" not in api
    assert api.json()["detail"]
    assert page.status_code == 500 and "Retry-After" not in page
