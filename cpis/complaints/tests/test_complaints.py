import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.complaints import selectors, services
from cpis.complaints.models import Complaint, ComplaintStatus
from cpis.core import pow
from cpis.core.errors import InvalidInput
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory, RoleGrantFactory


def complain(**overrides):
    fields = {
        "description": "Zyrtari më fyeu gjatë kontrollit të trafikut.",
        "language": "sq",
        "idempotency_key": uuid.uuid4().hex,
    }
    fields.update(overrides)
    return services.submit_complaint(**fields)


def test_a_complaint_gets_a_code_and_statutory_clocks(tree, settings):
    result = complain(unit=tree.n1)
    complaint = result.complaint
    assert complaint.scope_path == tree.n1.path
    assert complaint.status == ComplaintStatus.RECEIVED
    second = timedelta(seconds=1)
    ack = complaint.acknowledge_by - complaint.created_at
    decide = complaint.decide_by - complaint.created_at
    assert abs(ack - timedelta(days=settings.COMPLAINT_ACKNOWLEDGE_DAYS)) < second
    assert abs(decide - timedelta(days=settings.COMPLAINT_DECISION_DAYS)) < second
    assert complain(idempotency_key="same").tracking_code == complain(idempotency_key="same").tracking_code


@pytest.mark.parametrize(
    "overrides",
    [{"description": ""}, {"email": "nope"}, {"incident_date": date(2999, 1, 1)}, {"language": "xx"}],
)
def test_bad_complaints_are_refused_and_nothing_is_kept(tree, overrides):
    with pytest.raises(InvalidInput):
        complain(**overrides)
    assert not Complaint.objects.exists()


def test_only_professional_standards_see_complaints(tree, actor_for):
    complaint = complain(unit=tree.n1).complaint
    assert list(selectors.visible_complaints(actor_for("standards"))) == [complaint]
    for name in ["commander_n1", "director_north", "directorate", "admin", "officer_n1a"]:
        assert list(selectors.visible_complaints(actor_for(name))) == [], name


def test_the_accused_officer_and_their_chain_of_command_never_see_it(tree, actor_for, persona):
    standards_user = persona("standards")
    accused_user = persona("officer_n1a")
    officer = OfficerFactory(unit=tree.n1, user=accused_user)
    complaint = complain(unit=tree.n1).complaint
    services.identify_officer(actor_for("standards"), complaint=complaint, officer=officer)
    # The accused officer also works in professional standards: still hidden.
    RoleGrantFactory(user=accused_user, unit=tree.root, role=Role.PROFESSIONAL_STANDARDS)
    with pytest.raises(Http404):
        selectors.get_complaint(actor_for("officer_n1a"), complaint.pk)
    # A standards officer who also commands the region above the officer.
    RoleGrantFactory(user=standards_user, unit=tree.north, role=Role.REGIONAL_DIRECTOR)
    with pytest.raises(Http404):
        selectors.get_complaint(actor_for("standards"), complaint.pk)


def test_a_leader_of_the_accused_officers_sector_never_sees_it(tree, actor_for, persona):
    """The officer's home unit is the station; the sector they serve in sits
    below it. A standards user who leads that sector is in the officer's
    chain of command, and so is one who led it while the complaint was open."""
    standards_user = persona("standards")
    officer = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=officer, sector=tree.n1a)
    complaint = complain(unit=tree.n1).complaint
    services.identify_officer(actor_for("standards"), complaint=complaint, officer=officer)
    assert selectors.get_complaint(actor_for("standards"), complaint.pk) == complaint
    # Leading the neighbouring sector is no conflict.
    RoleGrantFactory(user=standards_user, unit=tree.n1b, role=Role.SECTOR_LEADER)
    assert selectors.get_complaint(actor_for("standards"), complaint.pk) == complaint
    leading = RoleGrantFactory(user=standards_user, unit=tree.n1a, role=Role.SECTOR_LEADER)
    with pytest.raises(Http404):
        selectors.get_complaint(actor_for("standards"), complaint.pk)
    assert list(selectors.visible_complaints(actor_for("standards"))) == []
    # The officer moved on before the complaint was filed: no conflict.
    leading.delete()
    earlier = complain(unit=tree.n1).complaint
    moved = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=moved, sector=tree.n1a, end_date=timezone.localdate() - timedelta(days=30))
    services.identify_officer(actor_for("standards"), complaint=earlier, officer=moved)
    RoleGrantFactory(user=standards_user, unit=tree.n1a, role=Role.SECTOR_LEADER)
    assert selectors.get_complaint(actor_for("standards"), earlier.pk) == earlier


def test_the_complainant_is_told_the_outcome_in_their_language(
    tree, actor_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complain(email="ankues@example.org", language="en").complaint
        services.acknowledge_complaint(actor_for("standards"), complaint=complaint)
        services.decide_complaint(
            actor_for("standards"),
            complaint=complaint,
            outcome="upheld",
            text="The officer has been disciplined.",
        )
    assert [m.to for m in mail.outbox] == [["ankues@example.org"]] * 3
    assert "Upheld" in mail.outbox[-1].body
    assert "The officer has been disciplined." in mail.outbox[-1].body
    with pytest.raises(services.ComplaintClosed):
        services.decide_complaint(actor_for("standards"), complaint=complaint, outcome="upheld", text="again")


def test_a_decision_needs_an_outcome_and_a_text(tree, actor_for):
    complaint = complain().complaint
    with pytest.raises(services.OutcomeRequired):
        services.decide_complaint(actor_for("standards"), complaint=complaint, outcome="upheld", text=" ")


def test_overdue_clocks(tree):
    complaint = complain().complaint
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledge_by=timezone.now() - timedelta(days=1), decide_by=timezone.now() - timedelta(days=1)
    )
    complaint.refresh_from_db()
    assert complaint.acknowledgement_overdue and complaint.decision_overdue


def test_viewing_the_complainant_is_logged(tree, client_for):
    complaint = complain(name="Drita", email="d@example.org").complaint
    response = client_for("standards").post(
        reverse("complaints:contact", args=[complaint.pk]), {"purpose": "investigation"}
    )
    assert "d@example.org" in response.content.decode()
    [entry] = AccessLogEntry.objects.reads().filter(subject_type="complaints.complaint")
    assert entry.purpose == "investigation"


def test_opening_a_complaint_is_logged_without_the_search_terms(tree, client_for):
    complaint = complain(unit=tree.n1).complaint
    url = reverse("complaints:detail", args=[complaint.pk])
    standards = client_for("standards")
    standards.post(url, {"purpose": "investigation"})
    assert standards.get(url, {"q": "Drita Krasniqi"}).status_code == 200
    entry = AccessLogEntry.objects.reads().get(
        subject_type="complaints.complaint", subject_id=str(complaint.pk)
    )
    assert entry.user.username == "standards"
    assert entry.source == f"{url}?q"
    assert entry.purpose == "investigation"
    assert "Drita" not in entry.source
    assert client_for("commander_n1").get(url).status_code == 404
    assert AccessLogEntry.objects.reads().count() == 1


def test_the_staff_pages_answer_404_to_others(tree, client_for):
    complaint = complain(unit=tree.n1).complaint
    standards = client_for("standards")
    standards.post(reverse("complaints:detail", args=[complaint.pk]), {"purpose": "supervision"})
    page = standards.get(reverse("complaints:detail", args=[complaint.pk]))
    assert page.status_code == 200
    assert complaint.reference in page.content.decode()
    assert (
        client_for("commander_n1").get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    )


def test_a_complaint_opens_only_after_its_reader_says_why(tree, client_for):
    complaint = complain(unit=tree.n1, name="Drita").complaint
    url = reverse("complaints:detail", args=[complaint.pk])
    standards = client_for("standards")
    asked = standards.get(url)
    assert asked.status_code == 200
    assert complaint.reference not in asked.content.decode()
    assert 'name="purpose"' in asked.content.decode()
    assert not AccessLogEntry.objects.reads().exists()
    refused = standards.post(url, {"purpose": "other", "purpose_note": "   "})
    assert refused.status_code == 400 and not AccessLogEntry.objects.reads().exists()
    assert standards.post(url, {"purpose": "legal"})["Location"] == url
    opened = standards.get(url)
    assert complaint.reference in opened.content.decode()
    # The contact form offers the purpose already given for this complaint.
    assert '<option value="legal" selected>' in opened.content.decode()
    assert (
        standards.post(reverse("complaints:contact", args=[complaint.pk]), {"purpose": "legal"}).status_code
        == 200
    )
    assert list(AccessLogEntry.objects.reads().values_list("purpose", flat=True)) == ["legal", "legal"]


def test_identifying_the_officer_by_badge_through_the_page(tree, client_for):
    officer = OfficerFactory(unit=tree.n1, badge_number="KP-77777")
    complaint = complain().complaint
    client_for("standards").post(
        reverse("complaints:act", args=[complaint.pk, "identify"]), {"badge_number": "kp-77777"}
    )
    complaint.refresh_from_db()
    assert complaint.accused_officer == officer and complaint.accused_unit_path == tree.n1.path


def test_a_citizen_complains_from_the_portal_and_follows_it_with_the_code(tree, client, actor_for):
    response = client.post(
        "/complaint/",
        {
            "description": "Më kërkuan ryshfet.",
            "language": "sq",
            "submission_key": uuid.uuid4().hex,
            "pow": pow.solve(pow.new_challenge()),
        },
    )
    assert response.status_code == 200
    code = response.context["code"]
    complaint = Complaint.objects.get()
    services.decide_complaint(
        actor_for("standards"), complaint=complaint, outcome="not_upheld", text="Nuk u provua."
    )
    stranger = type(client)()
    opened = stranger.post("/track/", {"code": code})
    assert opened["Location"] == f"/track/complaint/{complaint.pk}/"
    assert "Nuk u provua." in stranger.get(opened["Location"]).content.decode()


def test_referring_a_complaint_closes_it_records_why_and_tells_the_complainant(
    tree, actor_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complain(unit=tree.n1, email="ankues@example.org", language="en").complaint
    with pytest.raises(InvalidInput):
        services.refer_complaint(actor_for("standards"), complaint=complaint, text="  ")
    with pytest.raises(Http404):
        services.refer_complaint(actor_for("commander_n1"), complaint=complaint, text="Not mine to refer.")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED
    with django_capture_on_commit_callbacks(execute=True):
        services.refer_complaint(
            actor_for("standards"), complaint=complaint, text="Referred to the Police Inspectorate."
        )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REFERRED
    assert complaint.outcome_text == "Referred to the Police Inspectorate."
    assert complaint.decided_at is not None
    event = complaint.events.last()
    assert (event.to_status, event.text) == (ComplaintStatus.REFERRED, "Referred to the Police Inspectorate.")
    assert event.actor.username == "standards"
    assert [m.to for m in mail.outbox] == [["ankues@example.org"]] * 2
    assert "Referred to the Police Inspectorate." in mail.outbox[-1].body
    with pytest.raises(services.ComplaintClosed):
        services.refer_complaint(actor_for("standards"), complaint=complaint, text="Again.")


def test_a_bad_phone_is_refused_with_a_translated_reason_and_nothing_is_kept(tree, client):
    from django.utils import translation

    with translation.override("sr"), pytest.raises(InvalidInput, match=r"Број телефона није исправан\."):
        complain(phone="call me maybe")
    response = client.post(
        "/complaint/",
        {
            "description": "Më kërkuan ryshfet.",
            "language": "sq",
            "phone": "+383 44 12",
            "submission_key": uuid.uuid4().hex,
            "pow": pow.solve(pow.new_challenge()),
        },
        HTTP_ACCEPT_LANGUAGE="sq",
    )
    assert response.status_code == 400
    assert "Numri i telefonit nuk është i vlefshëm." in response.content.decode()
    assert not Complaint.objects.exists()
