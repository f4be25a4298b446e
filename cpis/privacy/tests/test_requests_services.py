"""Answering a data-subject request: every step is recorded on the request,
every look at the person's data goes to the access log, erasure and
restriction follow the law, and bad input changes nothing."""

import json
from datetime import date, timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils import timezone, translation

from cpis.accounts.audit import LegalReasonRequired, Restricted, is_restricted
from cpis.accounts.models import AccessLogEntry, Purpose, Restriction
from cpis.complaints.personal_data import ComplaintStillOpen
from cpis.concerns import selectors as concerns
from cpis.concerns.models import Concern
from cpis.core.errors import InvalidInput
from cpis.core.subjects import NoLongerHeld
from cpis.privacy.models import RequestStatus, StepKind, SubjectRequest, SubjectRequestStep
from cpis.privacy.selectors import requests as selectors
from cpis.privacy.services import requests as services

from .people import jelena, officer_actor, request_for_jelena


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dpo(tree):
    return officer_actor(tree)


def _steps(subject_request):
    return list(subject_request.steps.values_list("kind", flat=True))


def test_a_request_gets_a_reference_and_the_legal_deadline(tree, dpo):
    first = request_for_jelena(dpo, received_on=date(2026, 1, 31))
    second = request_for_jelena(dpo, received_on=date(2026, 3, 2))
    assert (first.reference, second.reference) == ("DSR-2026-0001", "DSR-2026-0002")
    assert first.due_by == date(2026, 2, 28)
    assert second.due_by == date(2026, 4, 2)
    assert first.status == RequestStatus.OPEN and first.handled_by_id == dpo.user_id
    assert _steps(first) == [StepKind.RECEIVED]
    assert first.names == "Jelena Petrovic" and first.phones == "044 123 456"


def test_the_deadline_follows_the_setting(settings):
    settings.SUBJECT_REQUEST_MONTHS = 3
    assert services.due_by(date(2026, 11, 30)) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"names": "", "emails": "", "phones": ""}, services.IdentifierRequired),
        ({"phones": "123 45"}, InvalidInput),
        ({"emails": "not an address"}, InvalidInput),
        ({"requester_name": "  "}, InvalidInput),
        ({"kind": "rectify"}, InvalidInput),
        ({"received_on": date(2999, 1, 1)}, InvalidInput),
        ({"names": "\n".join(f"Name {i}" for i in range(11))}, InvalidInput),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_kept(tree, dpo, fields, error):
    with pytest.raises(error):
        request_for_jelena(dpo, **fields)
    assert not SubjectRequest.objects.exists() and not SubjectRequestStep.objects.exists()


@pytest.mark.parametrize("persona_name", ["standards", "admin", "directorate", "commander_n1", "officer_n1a"])
def test_only_the_data_protection_officer_answers_requests(tree, dpo, actor_for, persona_name):
    subject_request = request_for_jelena(dpo)
    other = actor_for(persona_name)
    with pytest.raises(Http404):
        request_for_jelena(other)
    with pytest.raises(Http404):
        selectors.get_request(other, subject_request.pk)
    with pytest.raises(Http404):
        services.run_search(other, subject_request=subject_request, http_request=None)
    with pytest.raises(Http404):
        services.export_found(other, subject_request=subject_request, http_request=None, download=True)
    assert _steps(subject_request) == [StepKind.RECEIVED]


def test_a_search_keeps_what_it_found_and_logs_each_record_for_the_request(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo)
    step = services.run_search(dpo, subject_request=subject_request, http_request=None)
    found = {(t, i): m for t, i, m in selectors.found_records(step)}
    assert found == {
        ("concerns.concern", str(held.concern.pk)): ("name", "email", "phone"),
        ("complaints.complaint", str(held.complaint.pk)): ("name", "phone"),
        ("forums.forummember", str(held.member.pk)): ("name", "email"),
        ("partners.partnercontact", str(held.contact.pk)): ("name",),
        ("partners.volunteer", str(held.volunteer.pk)): ("name", "phone"),
    }
    entries = AccessLogEntry.objects.all()
    assert {(e.subject_type, e.subject_id) for e in entries} == set(found)
    assert {(e.purpose, e.purpose_note, e.user_id) for e in entries} == {
        (Purpose.SUBJECT_REQUEST, subject_request.reference, dpo.user_id)
    }
    assert "Jelena" not in json.dumps(step.hits) and "123" not in json.dumps(step.hits)


def test_the_export_holds_every_record_found_with_its_restriction_and_no_one_elses(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo)
    with pytest.raises(services.NoSearchYet):
        services.export_found(dpo, subject_request=subject_request, http_request=None, download=True)
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    services.restrict_record(
        dpo,
        subject_request=subject_request,
        subject_type="forums.forummember",
        subject_id=str(held.member.pk),
        legal_reason="LED Art. 16(3)(a): she contests the accuracy.",
    )
    written = AccessLogEntry.objects.count()  # entries are never deleted: count what comes after
    data = services.export_found(dpo, subject_request=subject_request, http_request=None, download=True)
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    assert len(data["records"]) == 5 and all(record["held"] for record in data["records"])
    for value in ["Jelena.P@Example.org", "Јелена Петровић", "JELENA PETROVIC", "00383 44 123 456"]:
        assert value in text
    for other in ["Milena", "Petrovska", "Jović", "Arta", "arta@example.org"]:
        assert other not in text
    member = next(r for r in data["records"] if r["type"] == "forums.forummember")
    assert member["restriction"]["legal reason"] == "LED Art. 16(3)(a): she contests the accuracy."
    # Restricted or not, each record read is logged for the request.
    assert AccessLogEntry.objects.filter(purpose=Purpose.SUBJECT_REQUEST, seq__gt=written).count() == 5
    assert _steps(subject_request)[-1] == StepKind.EXPORT


def test_erasure_is_a_step_with_its_legal_reason(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo, kind="erasure")
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    said = services.erase_record(
        dpo,
        subject_request=subject_request,
        subject_type="concerns.concern",
        subject_id=str(held.concern.pk),
        legal_reason="Law 06/L-082: no longer needed.",
    )
    assert "removed" in said
    step = subject_request.steps.get(kind=StepKind.ERASED)
    assert (step.subject_type, step.subject_id, step.legal_reason, step.what) == (
        "concerns.concern",
        str(held.concern.pk),
        "Law 06/L-082: no longer needed.",
        said,
    )
    assert Concern.objects.get(pk=held.concern.pk).reporter_email == ""
    groups = {group.kind.subject_type: group.records for group in selectors.found_groups(subject_request)}
    assert [row.erased for row in groups["concerns.concern"]] == [True]
    assert not any(row.erased for row in groups["complaints.complaint"])


def test_a_refused_erasure_is_recorded_with_the_laws_reason_and_changes_nothing(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo, kind="erasure")
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    with pytest.raises(ComplaintStillOpen):
        services.erase_record(
            dpo,
            subject_request=subject_request,
            subject_type="complaints.complaint",
            subject_id=str(held.complaint.pk),
            legal_reason="She asks for it.",
        )
    step = subject_request.steps.get(kind=StepKind.ERASURE_REFUSED)
    assert "LED Art. 16(3)(b)" in step.what and step.legal_reason == "She asks for it."
    held.complaint.refresh_from_db()
    assert held.complaint.complainant_name == "JELENA PETROVIC"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"legal_reason": "  "}, LegalReasonRequired),
        ({"subject_id": "999999"}, services.NotFoundByRequest),
        ({"subject_type": "accounts.user"}, services.NotFoundByRequest),
    ],
)
def test_an_erasure_without_a_reason_or_of_a_record_not_found_changes_nothing(tree, dpo, change, error):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo, kind="erasure")
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    fields = {
        "subject_type": "concerns.concern",
        "subject_id": str(held.concern.pk),
        "legal_reason": "Law 06/L-082",
        **change,
    }
    with pytest.raises(error):
        services.erase_record(dpo, subject_request=subject_request, **fields)
    assert Concern.objects.get(pk=held.concern.pk).reporter_name == "Jelena Petrović"
    assert _steps(subject_request) == [StepKind.RECEIVED, StepKind.SEARCH]


def test_a_restriction_hides_the_contact_from_a_commander_until_it_is_lifted(tree, dpo, actor_for):
    held = jelena(tree)
    commander = actor_for("commander_n1")
    concern = concerns.get_concern(commander, held.concern.pk)
    assert concerns.get_reporter_contact(commander, concern, request=None)["email"] == "Jelena.P@Example.org"
    subject_request = request_for_jelena(dpo, kind="restriction")
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    record = {"subject_type": "concerns.concern", "subject_id": str(held.concern.pk)}

    services.restrict_record(dpo, subject_request=subject_request, legal_reason="LED Art. 16(3)(a)", **record)
    assert is_restricted("concerns.concern", held.concern.pk)
    with pytest.raises(Restricted):
        concerns.get_reporter_contact(commander, concern, request=None)
    with pytest.raises(services.RestrictedRecord):
        services.erase_record(dpo, subject_request=subject_request, legal_reason="x", **record)

    services.lift_record_restriction(
        dpo, subject_request=subject_request, legal_reason="Accuracy checked and confirmed.", **record
    )
    assert concerns.get_reporter_contact(commander, concern, request=None)["phone"] == "+383 44 123 456"
    restriction = Restriction.objects.get()
    assert (
        restriction.lift_reason == "Accuracy checked and confirmed."
        and restriction.lifted_by_id == dpo.user_id
    )
    assert _steps(subject_request) == [
        StepKind.RECEIVED,
        StepKind.SEARCH,
        StepKind.RESTRICTED,
        StepKind.LIFTED,
    ]


def test_a_record_gone_since_the_search_cannot_be_restricted(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo)
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    contact_id = str(held.contact.pk)
    held.contact.delete()
    with pytest.raises(NoLongerHeld):
        services.restrict_record(
            dpo,
            subject_request=subject_request,
            subject_type="partners.partnercontact",
            subject_id=contact_id,
            legal_reason="x",
        )
    assert not Restriction.objects.exists()


def test_a_closed_request_takes_no_more_steps(tree, dpo):
    held = jelena(tree)
    subject_request = request_for_jelena(dpo)
    services.run_search(dpo, subject_request=subject_request, http_request=None)
    with pytest.raises(services.OutcomeRequired):
        services.close_request(
            dpo, subject_request=subject_request, status=RequestStatus.ANSWERED, outcome=" "
        )
    services.close_request(
        dpo, subject_request=subject_request, status=RequestStatus.ANSWERED, outcome="Copy sent by post."
    )
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.ANSWERED and subject_request.closed_at is not None
    assert _steps(subject_request)[-1] == StepKind.CLOSED
    with pytest.raises(services.RequestClosed):
        services.run_search(dpo, subject_request=subject_request, http_request=None)
    with pytest.raises(services.RequestClosed):
        services.erase_record(
            dpo,
            subject_request=subject_request,
            subject_type="concerns.concern",
            subject_id=str(held.concern.pk),
            legal_reason="x",
        )
    with pytest.raises(services.RequestClosed):
        services.close_request(
            dpo, subject_request=subject_request, status=RequestStatus.REFUSED, outcome="x"
        )


def test_open_requests_come_first_due_first_and_the_overdue_are_marked(tree, dpo):
    today = timezone.localdate()
    later = request_for_jelena(dpo, received_on=today - timedelta(days=3))
    overdue = request_for_jelena(dpo, received_on=today - timedelta(days=45))
    closed = request_for_jelena(dpo, received_on=today - timedelta(days=60))
    services.close_request(
        dpo, subject_request=closed, status=RequestStatus.REFUSED, outcome="Not identified."
    )
    assert list(selectors.list_open_requests(dpo)) == [overdue, later]
    assert overdue.is_overdue and not later.is_overdue
    assert list(selectors.list_closed_requests(dpo)) == [closed]
    closed.refresh_from_db()
    assert closed.answered_late
