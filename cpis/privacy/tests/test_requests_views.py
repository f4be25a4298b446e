"""The data-protection officer's pages for data-subject requests: only the
officer opens them, every change is a POST, a look at the person's data is
logged, and a refused step shows why and changes nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cpis.accounts.models import AccessLogEntry, Purpose
from cpis.concerns.models import Concern
from cpis.privacy.models import RequestStatus, StepKind, SubjectRequest

from .people import jelena, officer, request_for_jelena


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dpo_user(tree):
    return officer(tree)


@pytest.fixture
def dpo(dpo_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(dpo_user)
    return client


@pytest.fixture
def subject_request(dpo_user):
    from cpis.organisation.access import Actor

    return request_for_jelena(Actor.for_user(dpo_user))


def _url(name, subject_request, *args):
    return reverse(f"privacy:{name}", args=[subject_request.pk, *args])


def _search(dpo, subject_request):
    assert dpo.post(_url("request_act", subject_request, "search")).status_code == 302


@pytest.mark.parametrize("persona_name", ["standards", "admin", "directorate", "commander_n1"])
def test_the_pages_answer_404_to_everyone_but_the_officer(tree, client_for, subject_request, persona_name):
    client = client_for(persona_name)
    for url in [
        reverse("privacy:requests"),
        reverse("privacy:request_new"),
        _url("request", subject_request),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("privacy:request_new"),
        _url("request_act", subject_request, "search"),
        _url("request_show", subject_request),
        _url("request_export", subject_request),
    ]:
        assert client.post(url).status_code == 404, url
    assert list(subject_request.steps.values_list("kind", flat=True)) == [StepKind.RECEIVED]
    assert not AccessLogEntry.objects.filter(purpose=Purpose.SUBJECT_REQUEST).exists()


def test_the_officer_records_a_request_and_a_bad_one_is_refused_with_nothing_kept(tree, dpo):
    page = dpo.get(reverse("privacy:request_new"))
    assert page.status_code == 200
    data = {
        "kind": "erasure",
        "requester_name": "Arben Gashi",
        "requester_contact": "arben@example.org",
        "received_on": "2026-01-05",
        "names": "Arben Gashi\nArbën Gashi",
        "emails": "",
        "phones": "",
    }
    refused = dpo.post(reverse("privacy:request_new"), {**data, "names": "", "phones": "12"})
    assert refused.status_code == 400
    assert "A phone number needs at least eight digits" in refused.content.decode()
    assert not SubjectRequest.objects.exists()
    created = dpo.post(reverse("privacy:request_new"), data)
    subject_request = SubjectRequest.objects.get()
    assert created["Location"] == _url("request", subject_request)
    assert (
        subject_request.reference == "DSR-2026-0001" and subject_request.names == "Arben Gashi\nArbën Gashi"
    )
    listing = dpo.get(reverse("privacy:requests")).content.decode()
    assert "DSR-2026-0001" in listing and "overdue" in listing


def test_searching_shows_what_was_found_without_the_persons_data(tree, dpo, subject_request):
    held = jelena(tree)
    assert dpo.get(_url("request_act", subject_request, "search")).status_code == 405
    _search(dpo, subject_request)
    page = dpo.get(_url("request", subject_request)).content.decode()
    assert held.concern.reference in page and held.complaint.reference in page
    assert "Forum member" in page and "name, e-mail, phone" in page
    assert "Jelena.P@Example.org" not in page and "+383 44 123 456" not in page


def test_showing_the_data_needs_a_post_and_is_logged_for_the_request(tree, dpo, subject_request):
    jelena(tree)
    _search(dpo, subject_request)
    written = AccessLogEntry.objects.count()  # entries are never deleted: count what comes after
    assert dpo.get(_url("request_show", subject_request)).status_code == 405
    page = dpo.post(_url("request_show", subject_request))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Jelena.P@Example.org" in html and "Јелена Петровић" in html and "00383 44 123 456" in html
    assert AccessLogEntry.objects.filter(purpose=Purpose.SUBJECT_REQUEST, seq__gt=written).count() == 5
    assert subject_request.steps.filter(kind=StepKind.SHOWN).count() == 1


def test_the_export_is_a_json_file_never_cached(tree, dpo, subject_request):
    held = jelena(tree)
    early = dpo.post(_url("request_export", subject_request))
    assert early.status_code == 302  # no search yet: back to the page, with the reason
    _search(dpo, subject_request)
    response = dpo.post(_url("request_export", subject_request))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    assert f'filename="{subject_request.reference}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["request"] == subject_request.reference
    assert {(r["type"], r["id"]) for r in data["records"]} >= {("concerns.concern", str(held.concern.pk))}
    assert "Jelena.P@Example.org" in response.content.decode()


def test_erasing_needs_a_legal_reason_and_a_refusal_shows_the_laws_reason(tree, dpo, subject_request):
    held = jelena(tree)
    _search(dpo, subject_request)
    erase = _url("request_act", subject_request, "erase")
    concern = {"subject_type": "concerns.concern", "subject_id": str(held.concern.pk)}
    missing = dpo.post(erase, {**concern, "legal_reason": ""})
    assert missing.status_code == 400 and "State the legal reason." in missing.content.decode()
    assert Concern.objects.get(pk=held.concern.pk).reporter_name == "Jelena Petrović"

    refused = dpo.post(
        erase,
        {
            "subject_type": "complaints.complaint",
            "subject_id": str(held.complaint.pk),
            "legal_reason": "Asked.",
        },
    )
    assert refused.status_code == 400 and "LED Art. 16(3)(b)" in refused.content.decode()
    assert subject_request.steps.filter(kind=StepKind.ERASURE_REFUSED).count() == 1

    done = dpo.post(erase, {**concern, "legal_reason": "Law 06/L-082: no longer needed."})
    assert done.status_code == 302
    assert Concern.objects.get(pk=held.concern.pk).reporter_name == ""
    page = dpo.get(_url("request", subject_request)).content.decode()
    assert "Law 06/L-082: no longer needed." in page and "erased" in page


def test_restricting_and_lifting_through_the_page(tree, dpo, subject_request):
    held = jelena(tree)
    _search(dpo, subject_request)
    record = {"subject_type": "partners.volunteer", "subject_id": str(held.volunteer.pk)}
    assert (
        dpo.post(_url("request_act", subject_request, "restrict"), {**record, "legal_reason": ""}).status_code
        == 400
    )
    response = dpo.post(
        _url("request_act", subject_request, "restrict"), {**record, "legal_reason": "Art. 16(3)"}
    )
    assert response.status_code == 302
    assert "restricted" in dpo.get(_url("request", subject_request)).content.decode()
    again = dpo.post(
        _url("request_act", subject_request, "restrict"), {**record, "legal_reason": "Art. 16(3)"}
    )
    assert again.status_code == 400 and "already restricted" in again.content.decode()
    lifted = dpo.post(_url("request_act", subject_request, "lift"), {**record, "legal_reason": "Checked."})
    assert lifted.status_code == 302
    kinds = list(subject_request.steps.values_list("kind", flat=True))
    assert kinds == [StepKind.RECEIVED, StepKind.SEARCH, StepKind.RESTRICTED, StepKind.LIFTED]


def test_closing_the_request_through_the_page(tree, dpo, subject_request):
    assert dpo.post(_url("request_act", subject_request, "close"), {"status": "answered"}).status_code == 400
    response = dpo.post(
        _url("request_act", subject_request, "close"), {"status": "answered", "outcome": "Copy sent by post."}
    )
    assert response.status_code == 302
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.ANSWERED
    page = dpo.get(_url("request", subject_request)).content.decode()
    assert "Copy sent by post." in page and "Search every record" not in page
    assert dpo.post(_url("request_act", subject_request, "search")).status_code == 400
    assert dpo.post(_url("request_act", subject_request, "unknown")).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(tree, dpo_user, subject_request):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dpo_user)
    assert client.post(_url("request_act", subject_request, "search")).status_code == 403
    assert not subject_request.steps.filter(kind=StepKind.SEARCH).exists()


def test_the_request_page_takes_the_same_queries_for_few_or_many_records(tree, dpo, subject_request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpis.concerns.tests.factories import submit

    def queries() -> int:
        _search(dpo, subject_request)
        with CaptureQueriesContext(connection) as captured:
            assert dpo.get(_url("request", subject_request)).status_code == 200
        return len(captured)

    jelena(tree)
    few = queries()
    for _ in range(6):
        submit(reporter_email="jelena.p@example.org")
    assert queries() == few
