"""The staff pages: who gets which answer, contacts shown only to roles that
need them and logged, uploads refused without a change, and list pages with
a fixed number of queries."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cpis.accounts.models import AccessLogEntry
from cpis.partners import services
from cpis.partners.models import Agreement, InterestGroup, Partner, Recognition, VolunteerHours
from cpis.partners.tests.factories import PDF, SYSTEM, agreement, contact, group, hours, partner, volunteer


@pytest.fixture
def school(tree):
    """A sector's partner with one contact person."""
    found = partner(tree.n1a, name="Shkolla Naim Frashëri")
    contact(found, name="Arta Krasniqi", phone="+383 44 987 654", email="arta.krasniqi@example.org")
    return found


def test_the_station_coordinator_sees_a_contact_and_the_view_is_logged(tree, client_for, school):
    page = client_for("coordinator_n1").get(reverse("partners:partner", args=[school.pk])).content.decode()
    assert "+383 44 987 654" in page and "arta.krasniqi@example.org" in page and "Arta Krasniqi" in page
    [entry] = AccessLogEntry.objects.reads().filter(subject_type="partners.partnercontact")
    assert entry.subject_id == str(school.contacts.get().pk)
    assert entry.source == reverse("partners:partner", args=[school.pk])


def test_a_sector_officer_sees_the_partner_but_not_its_contacts(tree, client_for, school):
    response = client_for("officer_n1a").get(reverse("partners:partner", args=[school.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Shkolla Naim Frashëri" in page
    assert "+383 44 987 654" not in page and "arta.krasniqi@example.org" not in page
    assert "Arta Krasniqi" not in page
    assert not AccessLogEntry.objects.reads().exists()


def test_another_stations_partner_and_its_contact_answer_404(tree, client_for, school):
    client = client_for("commander_s1")
    assert client.get(reverse("partners:partner", args=[school.pk])).status_code == 404
    assert client.get(reverse("partners:contact_edit", args=[school.contacts.get().pk])).status_code == 404
    assert client.post(reverse("partners:contact_delete", args=[school.contacts.get().pk])).status_code == 404
    assert client_for("standards").get(reverse("partners:partner", args=[school.pk])).status_code == 404
    assert not AccessLogEntry.objects.reads().exists()


def test_editing_a_contact_shows_its_details_and_is_logged(tree, client_for, school):
    the_contact = school.contacts.get()
    client = client_for("leader_n1a")
    page = client.get(reverse("partners:contact_edit", args=[the_contact.pk])).content.decode()
    assert "+383 44 987 654" in page
    assert AccessLogEntry.objects.reads().filter(subject_id=str(the_contact.pk)).count() == 1
    response = client.post(
        reverse("partners:contact_edit", args=[the_contact.pk]),
        {"name": "Arta Krasniqi", "position": "Drejtoreshë", "phone": "+383 45 111 222", "email": ""},
    )
    assert response.status_code == 302
    the_contact.refresh_from_db()
    assert the_contact.phone == "+383 45 111 222" and the_contact.email == "" and not the_contact.consent


def test_the_registry_lists_the_places_partners_with_a_fixed_number_of_queries(
    tree, client_for, django_assert_max_num_queries
):
    for number in range(3):
        partner(tree.n1, name=f"Partneri {number}")
    partner(tree.s1, name="Komuna e Prizrenit")
    client = client_for("coordinator_n1")
    client.get(reverse("partners:list"))
    for number in range(3, 40):
        partner(tree.n1a if number % 2 else tree.n1, name=f"Partneri {number}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partners:list"), {"active": "yes"})
    page = response.content.decode()
    assert page.count('href="/staff/partners/') >= 40
    assert "Komuna e Prizrenit" not in page


def test_the_htmx_filter_answers_with_the_rows_only(tree, client_for):
    partner(tree.n1, name="Radio Mitrovica", kind="media")
    partner(tree.n1, name="Komuna e Mitrovicës")
    response = client_for("coordinator_n1").get(
        reverse("partners:list"), {"kind": "media"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "Radio Mitrovica" in page and "Komuna e Mitrovicës" not in page and "<html" not in page


@pytest.mark.parametrize(
    "name",
    [
        "partners:agreements",
        "partners:groups",
        "partners:volunteers",
        "partners:hours",
        "partners:recognitions",
    ],
)
def test_the_other_list_pages_keep_a_fixed_number_of_queries(
    tree, client_for, django_assert_max_num_queries, name
):
    ours = partner(tree.n1)
    watch = group(tree.n1)
    for number in range(25):
        helper = volunteer(tree.n1a, name=f"Vullnetari {number}", group=watch if number % 2 else None)
        hours(helper, timezone.localdate().replace(day=1), "2")
        agreement(tree.n1, [ours], title=f"Marrëveshja {number}")
        group(tree.n1a, name=f"Grupi {number}")
        services.award_recognition(
            SYSTEM,
            data=services.RecognitionData(
                recipient_kind="citizen",
                recipient_name=f"Qytetari {number}",
                reason="Ndihmë",
                awarded_on=date(2014, 9, 6),
                unit=tree.n1,
            ),
        )
    client = client_for("coordinator_n1")
    client.get(reverse(name))
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 20


def _register(client, unit, name, kind, level, **more):
    """Post the new-partner form: `name`, of `kind` and `level`, held by `unit`,
    identified on 2 April 2013."""
    form = {"name": name, "kind": kind, "level": level, "unit": unit.pk, "identified_on": "2013-04-02"}
    return client.post(reverse("partners:create"), {**form, **more})


def test_a_coordinator_registers_a_partner_through_the_form(tree, client_for):
    client = client_for("coordinator_n1")
    assert client.get(reverse("partners:create")).status_code == 200
    response = _register(
        client, tree.n1, "Shoqata e Bizneseve Mitrovicë", "business", "local", is_active="on", description=""
    )
    created = Partner.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "partners:partner", args=[created.pk]
    )
    assert created.identified_on == date(2013, 4, 2) and created.unit_path == tree.n1.path


def test_a_refused_partner_form_is_shown_again_with_the_reason_and_saves_nothing(tree, client_for):
    response = _register(client_for("coordinator_n1"), tree.n1, "Ministria", "ministry", "central")
    assert response.status_code == 400
    assert str(services.LevelDoesNotMatchUnit.message) in response.content.decode()
    assert not Partner.objects.exists()


def test_units_of_other_places_cannot_be_chosen(tree, client_for):
    response = _register(client_for("coordinator_n1"), tree.s1, "Komuna", "municipal", "local")
    assert response.status_code == 400 and not Partner.objects.exists()


def test_a_sector_officer_may_not_open_the_forms(tree, client_for, school):
    client = client_for("officer_n1a")
    for url in [
        reverse("partners:create"),
        reverse("partners:partner_edit", args=[school.pk]),
        reverse("partners:contact_create", args=[school.pk]),
        reverse("partners:agreement_create"),
        reverse("partners:group_create"),
        reverse("partners:volunteer_create"),
        reverse("partners:recognition_create"),
    ]:
        assert client.get(url).status_code == 403, url


def test_every_page_answers_the_station_coordinator(tree, client_for, school):
    signed = agreement(tree.n1a, [school])
    watch = group(tree.n1a)
    helper = volunteer(tree.n1a, group=watch)
    hours(helper, date(2014, 3, 1), "2.5")
    client = client_for("coordinator_n1")
    form = 'name="csrfmiddlewaretoken"'
    for url, shown in [
        (reverse("partners:list"), school.name),
        (reverse("partners:create"), form),
        (reverse("partners:partner", args=[school.pk]), school.name),
        (reverse("partners:partner_edit", args=[school.pk]), school.name),
        (reverse("partners:contact_create", args=[school.pk]), form),
        (reverse("partners:agreements"), signed.title),
        (reverse("partners:agreement_create") + f"?partner={school.pk}", form),
        (reverse("partners:agreement", args=[signed.pk]), signed.title),
        (reverse("partners:agreement_edit", args=[signed.pk]), signed.title),
        (reverse("partners:groups"), watch.name),
        (reverse("partners:group_create"), form),
        (reverse("partners:group", args=[watch.pk]), watch.name),
        (reverse("partners:group_edit", args=[watch.pk]), watch.name),
        (reverse("partners:volunteers"), helper.name),
        (reverse("partners:volunteer_create") + f"?group={watch.pk}", form),
        (reverse("partners:volunteer", args=[helper.pk]), helper.name),
        (reverse("partners:volunteer_edit", args=[helper.pk]), helper.name),
        (reverse("partners:hours") + "?period=2014+H1", helper.name),
        (reverse("partners:recognitions"), reverse("partners:recognition_create")),
        (reverse("partners:recognition_create"), form),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert shown in page or escape(shown) in page, url


# --- agreements and their documents ----------------------------------------------------


def _upload(client, signed, name, data, content_type="application/pdf"):
    return client.post(
        reverse("partners:agreement_upload", args=[signed.pk]),
        {"document": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_a_signed_pdf_is_uploaded_and_served_as_an_attachment(tree, client_for, school):
    signed = agreement(tree.n1a, [school])
    client = client_for("leader_n1a")
    assert _upload(client, signed, "memorandumi.pdf", PDF).status_code == 302
    response = client_for("officer_n1a").get(reverse("partners:agreement_document", args=[signed.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "memorandumi.pdf" in response["Content-Disposition"]
    )
    assert (
        client_for("commander_s1").get(reverse("partners:agreement_document", args=[signed.pk])).status_code
        == 404
    )


def test_no_document_yet_answers_404(tree, client_for, school):
    signed = agreement(tree.n1a, [school])
    assert (
        client_for("leader_n1a").get(reverse("partners:agreement_document", args=[signed.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("foto.jpg", b"\xff\xd8\xff\xe0 a photo", "image/jpeg"),
        ("memorandumi.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        ("memorandumi.pdf", PDF + b"0" * (services.MAX_DOCUMENT_BYTES + 1 - len(PDF)), "application/pdf"),
    ],
)
def test_a_non_pdf_or_oversize_upload_is_refused_and_changes_nothing(
    tree, client_for, school, media_root, name, data, content_type
):
    signed = agreement(tree.n1a, [school])
    client = client_for("coordinator_n1")
    assert _upload(client, signed, "first.pdf", PDF).status_code == 302
    files_before = sorted(p.name for p in media_root.rglob("*") if p.is_file())
    response = _upload(client, signed, name, data, content_type)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    signed.refresh_from_db()
    assert signed.document_name == "first.pdf" and signed.document.read() == PDF
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == files_before


def test_a_sector_officer_may_not_upload(tree, client_for, school):
    signed = agreement(tree.n1a, [school])
    assert _upload(client_for("officer_n1a"), signed, "a.pdf", PDF).status_code == 403
    signed.refresh_from_db()
    assert not signed.document


def _record_agreement(client, unit, partner, document, **more):
    """Post the new-agreement form: an agreement of `unit` with `partner`, signed on
    1 October 2014, with `document` (the bytes of marreveshja.pdf)."""
    form = {
        "title": "Marrëveshje",
        "kind": "agreement",
        "unit": unit.pk,
        "partners": [partner.pk],
        "status": "signed",
        "signed_on": "2014-10-01",
        "document": SimpleUploadedFile("marreveshja.pdf", document, content_type="application/pdf"),
    }
    return client.post(reverse("partners:agreement_create"), {**form, **more})


def test_an_agreement_is_recorded_with_its_document_through_the_form(tree, client_for, school):
    title = "Marrëveshje për patrullat e sigurisë në shkollë"
    response = _record_agreement(
        client_for("leader_n1a"), tree.n1a, school, PDF, title=title, valid_until="", notes=""
    )
    recorded = Agreement.objects.get()
    assert response.status_code == 302
    assert list(recorded.partners.all()) == [school] and recorded.document.read() == PDF


def test_an_agreement_form_with_a_non_pdf_saves_nothing(tree, client_for, school):
    response = _record_agreement(client_for("leader_n1a"), tree.n1a, school, b"GIF89a")
    assert response.status_code == 400 and not Agreement.objects.exists()


# --- groups, volunteers, hours and recognitions -----------------------------------------


def test_a_volunteers_contact_is_shown_to_the_coordinator_logged_and_hidden_from_an_officer(tree, client_for):
    helper = volunteer(tree.n1a, contact="+383 49 555 111")
    url = reverse("partners:volunteer", args=[helper.pk])
    assert "+383 49 555 111" not in client_for("officer_n1a").get(url).content.decode()
    assert not AccessLogEntry.objects.reads().exists()
    assert "+383 49 555 111" in client_for("coordinator_n1").get(url).content.decode()
    assert (
        AccessLogEntry.objects.reads()
        .filter(subject_type="partners.volunteer", subject_id=str(helper.pk))
        .count()
        == 1
    )
    assert client_for("commander_s1").get(url).status_code == 404


def test_hours_are_recorded_through_the_page_and_bad_hours_change_nothing(tree, client_for):
    helper = volunteer(tree.n1a, joined_on=date(2013, 1, 1))
    client = client_for("leader_n1a")
    url = reverse("partners:hours_create", args=[helper.pk])
    for bad in ["0", "25", "-3"]:
        response = client.post(url, {"date": "2014-03-01", "hours": bad, "activity": "Patrullim"})
        assert response.status_code == 400
        assert str(services.HoursOutOfRange.message) in response.content.decode()
    assert not VolunteerHours.objects.exists()
    assert (
        client.post(url, {"date": "2014-03-01", "hours": "3.5", "activity": "Patrullim"}).status_code == 302
    )
    assert (
        client_for("officer_n1a").post(url, {"date": "2014-03-02", "hours": "1", "activity": "x"}).status_code
        == 403
    )
    [entry] = VolunteerHours.objects.all()
    assert entry.hours == 3.5
    assert client.post(reverse("partners:hours_delete", args=[entry.pk])).status_code == 302
    assert not VolunteerHours.objects.exists()


def test_the_hours_page_totals_the_chosen_half_year(tree, client_for):
    watch = group(tree.n1, name="Roja e Lagjes Tavnik")
    hours(volunteer(tree.n1, name="Dritan Berisha", group=watch), date(2014, 2, 1), "2.5")
    hours(volunteer(tree.n1, name="Arta Gashi", group=watch), date(2014, 2, 2), "4")
    page = client_for("coordinator_n1").get(reverse("partners:hours"), {"period": "2014 H1"}).content.decode()
    assert "Roja e Lagjes Tavnik" in page and "6,5" in page and "Dritan Berisha" in page  # Albanian decimals


def test_groups_volunteers_and_recognitions_are_created_through_the_forms(tree, client_for):
    client = client_for("coordinator_n1")
    response = client.post(
        reverse("partners:group_create"),
        {"name": "Patrulla e Sigurisë në Shkollë", "kind": "school_safety_patrol", "unit": tree.n1a.pk,
         "founded_on": "2013-09-15", "is_active": "on", "description": ""},
    )  # fmt: skip
    watch = InterestGroup.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("partners:volunteer_create"),
        {"name": "Dritan Berisha", "contact": "dritan@example.org", "unit": tree.n1a.pk, "group": watch.pk,
         "joined_on": "2013-10-01", "left_on": ""},
    )  # fmt: skip
    assert response.status_code == 302 and watch.volunteers.get().contact == "dritan@example.org"
    response = client.post(
        reverse("partners:recognition_create"),
        {"recipient_kind": "citizen", "recipient_name": "Agim Gashi", "partner": "",
         "reason": "Për ndihmën në gjetjen e një fëmije të humbur", "awarded_on": "2014-09-06",
         "unit": tree.n1.pk, "is_published": "on"},
    )  # fmt: skip
    assert response.status_code == 302 and Recognition.objects.get().is_published


def test_the_volunteer_edit_form_shows_the_contact_and_logs_it(tree, client_for):
    helper = volunteer(tree.n1a, contact="+383 49 555 111")
    page = client_for("leader_n1a").get(reverse("partners:volunteer_edit", args=[helper.pk])).content.decode()
    assert "+383 49 555 111" in page
    assert AccessLogEntry.objects.reads().filter(subject_type="partners.volunteer").count() == 1


def test_a_partner_page_lists_only_the_agreements_the_user_may_open(tree, client_for, school):
    agreement(tree.n1, [school], title="Memorandum i stacionit")
    agreement(tree.n1a, [school], title="Marrëveshja e sektorit")
    leader_page = client_for("leader_n1a").get(reverse("partners:partner", args=[school.pk])).content.decode()
    assert "Marrëveshja e sektorit" in leader_page and "Memorandum i stacionit" not in leader_page
    station_page = (
        client_for("commander_n1").get(reverse("partners:partner", args=[school.pk])).content.decode()
    )
    assert "Marrëveshja e sektorit" in station_page and "Memorandum i stacionit" in station_page
