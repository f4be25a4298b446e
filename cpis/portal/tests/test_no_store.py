"""Answers that may hold personal data are never kept by a browser cache
or a proxy (ASVS 14.3.2); public pages stay cacheable."""

from django.urls import reverse

from .test_report import _form


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_staff_pages_and_downloads_are_not_stored(tree, client_for):
    officer = client_for("commander_n1")
    assert _no_store(officer.get(reverse("concerns:queue")))
    assert _no_store(officer.get(reverse("concerns:export", args=["csv"])))


def test_the_staff_api_is_not_stored(tree, api):
    assert _no_store(api("commander_n1").get("/api/v1/concerns"))


def test_a_submission_answer_with_its_tracking_code_is_not_stored(tree, client):
    response = client.post("/report/", _form())
    assert response.status_code == 200 and "code" in response.context
    assert _no_store(response)


def test_public_answers_stay_cacheable(tree, client):
    assert not _no_store(client.get("/api/v1/places", {"q": "Sektori"}))
    assert not _no_store(client.get("/sector/"))
