"""What each app holds about a person (its `personal_data` kinds): found by
name, e-mail or phone however they were written, exported whole, and
erased as the law allows."""

import pytest
from django.utils import translation

from cpis.complaints.models import Outcome
from cpis.complaints.personal_data import ComplaintStillOpen
from cpis.concerns.models import Concern, EventKind
from cpis.core.models import OutboxMessage
from cpis.core.subjects import NoLongerHeld, Terms
from cpis.forums.models import ForumMember
from cpis.forums.tests.factories import MeetingFactory
from cpis.partners.models import PartnerContact, Volunteer, VolunteerHours
from cpis.partners.tests import factories as partners
from cpis.privacy.selectors.requests import kind_for, kinds

from .people import jelena


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _found(terms: Terms) -> dict[str, dict[str, tuple[str, ...]]]:
    return {kind.subject_type: {hit.id: hit.matched for hit in kind.find(terms)} for kind in kinds()}


def test_a_name_finds_the_person_in_every_kind_of_record_and_no_one_else(tree):
    held = jelena(tree)
    found = _found(Terms.of(names=["jelena petrovic"]))
    # The kinds that hold her, each with her records only (kinds that hold no one drop out).
    assert {subject_type: hits for subject_type, hits in found.items() if hits} == {
        "concerns.concern": {str(held.concern.pk): ("name",)},
        "complaints.complaint": {str(held.complaint.pk): ("name",)},
        "forums.forummember": {str(held.member.pk): ("name",)},
        "partners.partnercontact": {str(held.contact.pk): ("name",)},
        "partners.volunteer": {str(held.volunteer.pk): ("name",)},
    }


def test_an_email_in_another_case_finds_the_records_that_hold_it(tree):
    held = jelena(tree)
    found = _found(Terms.of(emails=["JELENA.P@EXAMPLE.ORG"]))
    assert found["concerns.concern"] == {str(held.concern.pk): ("email",)}
    assert found["forums.forummember"] == {str(held.member.pk): ("email",)}
    assert not found["complaints.complaint"] and not found["partners.volunteer"]


def test_a_phone_in_another_format_finds_the_records_that_hold_it(tree):
    held = jelena(tree)
    found = _found(Terms.of(phones=["+383 (44) 123-456"]))
    assert found["concerns.concern"] == {str(held.concern.pk): ("phone",)}
    assert found["complaints.complaint"] == {str(held.complaint.pk): ("phone",)}
    assert found["partners.volunteer"] == {str(held.volunteer.pk): ("phone",)}
    assert not found["forums.forummember"] and not found["partners.partnercontact"]


def test_a_hit_says_what_and_where_without_personal_data(tree):
    held = jelena(tree)
    hit = next(iter(kind_for("concerns.concern").describe([str(held.concern.pk)]).values()))
    assert held.concern.reference in hit.summary
    assert hit.place == held.concern.unit.name
    for kind in kinds():
        for hit in kind.find(Terms.of(names=["Jelena Petrović"])):
            assert "Jelena" not in hit.summary + hit.place
            assert "123" not in hit.summary + hit.place


def test_the_export_of_a_concern_holds_the_contact_its_text_history_and_emails(tree):
    held = jelena(tree)
    data = kind_for("concerns.concern").export(str(held.concern.pk))
    assert data["Reporter"]["e-mail"] == "Jelena.P@Example.org"
    assert data["Reporter"]["phone"] == "+383 44 123 456"
    assert data["Concern"]["description"] == held.concern.description
    assert [event["kind"] for event in data["History"]] == ["Submitted"]
    assert [message["to"] for message in data["E-mails to the reporter"]] == ["Jelena.P@Example.org"]


def test_the_export_of_a_member_and_a_volunteer_holds_what_they_did(tree):
    held = jelena(tree)
    meeting = MeetingFactory(forum=held.member.forum)
    meeting.members_present.add(held.member)
    partners.hours(held.volunteer, held.volunteer.joined_on, "2.5")
    member = kind_for("forums.forummember").export(str(held.member.pk))
    assert member["Member"]["name"] == "Јелена Петровић"
    assert len(member["Meetings attended"]) == 1
    volunteer = kind_for("partners.volunteer").export(str(held.volunteer.pk))
    assert volunteer["Volunteer"]["phone or e-mail"] == "00383 44 123 456"
    assert [entry["hours"] for entry in volunteer["Hours given"]] == [pytest.approx(2.5)]


def test_the_export_of_a_complaint_leaves_out_the_officer_complained_about(tree):
    from cpis.organisation.tests.factories import OfficerFactory

    held = jelena(tree)
    officer = OfficerFactory(unit=tree.n1, first_name="Besnik", last_name="Gashi")
    held.complaint.accused_officer = officer
    held.complaint.save()
    data = kind_for("complaints.complaint").export(str(held.complaint.pk))
    assert data["Complainant"]["name"] == "JELENA PETROVIC"
    assert "Besnik" not in str(data) and "Gashi" not in str(data)


def test_a_record_that_is_gone_or_never_was_is_no_longer_held(tree):
    with pytest.raises(NoLongerHeld):
        kind_for("concerns.concern").export("999999")
    with pytest.raises(NoLongerHeld):
        kind_for("forums.forummember").export("1; DROP TABLE")


def test_erasing_a_concerns_reporter_keeps_the_concern_and_says_why_in_its_history(tree, persona):
    held = jelena(tree)
    dpo = persona("admin")
    kind_for("concerns.concern").erase(
        str(held.concern.pk), legal_reason="Art. 16", by_user_id=dpo.pk, request_reference="DSR-2026-0007"
    )
    concern = Concern.objects.get(pk=held.concern.pk)
    assert (concern.reporter_name, concern.reporter_email, concern.reporter_phone) == ("", "", "")
    assert concern.contact_anonymised_at is not None and concern.description == held.concern.description
    event = concern.events.get(kind=EventKind.ANONYMISED)
    assert event.text == "DSR-2026-0007" and not event.is_public and event.actor == dpo
    assert set(
        OutboxMessage.objects.filter(record_id=str(concern.pk)).values_list("to_email", flat=True)
    ) == {"removed@invalid"}


def test_an_open_complaint_keeps_the_complainant_and_a_decided_one_is_anonymised(tree, actor_for, persona):
    from cpis.complaints import services as complaints

    held = jelena(tree)
    kind = kind_for("complaints.complaint")
    with pytest.raises(ComplaintStillOpen, match="investigation must keep"):
        kind.erase(
            str(held.complaint.pk), legal_reason="x", by_user_id=persona("admin").pk, request_reference="R"
        )
    held.complaint.refresh_from_db()
    assert held.complaint.complainant_name == "JELENA PETROVIC"

    complaints.decide_complaint(
        actor_for("standards"), complaint=held.complaint, outcome=Outcome.NOT_UPHELD, text="Nuk u vërtetua."
    )
    kind.erase(
        str(held.complaint.pk), legal_reason="x", by_user_id=persona("admin").pk, request_reference="R-1"
    )
    held.complaint.refresh_from_db()
    assert (held.complaint.complainant_name, held.complaint.complainant_phone) == ("", "")
    assert "R-1" in held.complaint.events.last().text
    assert held.complaint.outcome_text == "Nuk u vërtetua."


def test_erasing_a_member_anonymises_them_and_keeps_the_membership(tree, persona):
    held = jelena(tree)
    ForumMember.objects.filter(pk=held.member.pk).update(skills="Mjeke", phone="044 123 456")
    kind_for("forums.forummember").erase(
        str(held.member.pk),
        legal_reason="x",
        by_user_id=persona("admin").pk,
        request_reference="DSR-2026-0003",
    )
    member = ForumMember.objects.get(pk=held.member.pk)
    assert (member.name, member.phone, member.email, member.skills) == ("[DSR-2026-0003]", "", "", "")
    assert not member.consent_to_contact
    assert (member.forum, member.community, member.gender, member.term_start) == (
        held.member.forum,
        held.member.community,
        held.member.gender,
        held.member.term_start,
    )


def test_erasing_a_partners_contact_deletes_it_and_a_volunteer_keeps_the_hours(tree, persona):
    held = jelena(tree)
    partners.hours(held.volunteer, held.volunteer.joined_on, "3")
    user_id = persona("admin").pk
    kind_for("partners.partnercontact").erase(
        str(held.contact.pk), legal_reason="x", by_user_id=user_id, request_reference="R"
    )
    assert not PartnerContact.objects.filter(pk=held.contact.pk).exists()
    assert PartnerContact.objects.filter(name="Arta Krasniqi").exists()
    with pytest.raises(NoLongerHeld):
        kind_for("partners.partnercontact").erase(
            str(held.contact.pk), legal_reason="x", by_user_id=user_id, request_reference="R"
        )
    kind_for("partners.volunteer").erase(
        str(held.volunteer.pk), legal_reason="x", by_user_id=user_id, request_reference="DSR-2026-0004"
    )
    volunteer = Volunteer.objects.get(pk=held.volunteer.pk)
    assert (volunteer.name, volunteer.contact) == ("[DSR-2026-0004]", "")
    assert VolunteerHours.objects.filter(volunteer=volunteer).count() == 1
