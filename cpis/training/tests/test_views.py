"""The training pages: who sees what, attendance marking, report upload and
download, and the officer's record page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpis.accounts.models import AccessLogEntry
from cpis.core.tests.helpers import PDF
from cpis.training.models import Attendance, Course, Module, StudyVisit, Trainer, TrainingNeed


@pytest.fixture
def station_course(tree, programme, trainer, officers):
    course = Course.objects.create(
        programme=programme,
        unit=tree.n1,
        unit_path=tree.n1.path,
        starts_on=date(2014, 9, 22),
        ends_on=date(2014, 9, 26),
        place="Stacioni N1",
    )
    course.trainers.set([trainer])
    Attendance.objects.create(course=course, officer=officers["n1"])
    Attendance.objects.create(course=course, officer=officers["n1a"])
    return course


@pytest.fixture
def visit(db):
    return StudyVisit.objects.create(
        country="Norvegji", city="Oslo", starts_on=date(2013, 5, 13), ends_on=date(2013, 5, 17), purpose="x"
    )


PAGES = [
    "training:home",
    "training:trainers",
    "training:programmes",
    "training:courses",
    "training:visits",
    "training:needs",
]
HEADINGS = {
    "training:home": "Training",
    "training:trainers": "Trainers",
    "training:programmes": "Training programmes",
    "training:courses": "Courses",
    "training:visits": "Study visits",
    "training:needs": "Training needs",
}


@pytest.mark.parametrize("name", PAGES)
def test_every_staff_role_but_professional_standards_sees_the_catalogue(
    tree, client_for, station_course, visit, name, django_assert_max_num_queries
):
    client = client_for("officer_n1a")
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert f"<h1>{HEADINGS[name]}</h1>" in response.content.decode()
    assert client_for("standards").get(reverse(name)).status_code == 404
    assert client_for("citizen").get(reverse(name)).status_code == 302


def test_list_pages_keep_their_query_count_as_records_grow(
    tree, client_for, programme, officers, django_assert_max_num_queries
):
    for i in range(40):
        course = Course.objects.create(
            programme=programme,
            unit=tree.n1,
            unit_path=tree.n1.path,
            starts_on=date(2014, 1, 1 + i % 28),
            ends_on=date(2014, 2, 1),
        )
        Attendance.objects.create(course=course, officer=officers["n1"], completed=True)
        Trainer.objects.create(name=f"Trainer {i}", organisation="OSCE")
    client = client_for("commander_n1")
    for name in ("training:courses", "training:trainers", "training:home", "training:programmes"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200


def test_the_course_page_shows_attendance_only_to_its_managers_and_logs_it(tree, client_for, station_course):
    url = reverse("training:course", args=[station_course.pk])
    page = client_for("officer_n1a").get(url)
    assert page.status_code == 200
    assert page.context["attendances"] is None
    assert "KP-10001" not in page.content.decode()
    assert not AccessLogEntry.objects.reads().exists()
    page = client_for("coordinator_n1").get(url)
    assert "KP-10001" in page.content.decode()
    entries = AccessLogEntry.objects.reads()
    assert entries.count() == station_course.attendances.count()  # one per officer shown
    assert {(e.subject_type, e.source) for e in entries} == {("training.officer", url)}


def test_the_coordinator_enrols_and_marks_attendance(tree, client_for, station_course, officers):
    client = client_for("coordinator_n1")
    url = reverse("training:course", args=[station_course.pk])
    response = client.post(url, {"action": "enrol", "badges": "KP-20001"})  # another station's officer
    assert response.status_code == 302
    assert station_course.attendances.count() == 2
    client.post(url, {"action": "attendance", "completed": [officers["n1a"].pk]})
    completed = dict(station_course.attendances.values_list("officer_id", "completed"))
    assert completed == {officers["n1"].pk: False, officers["n1a"].pk: True}
    client.post(url, {"action": "remove", "officer": officers["n1"].pk})
    assert list(station_course.attendances.values_list("officer_id", flat=True)) == [officers["n1a"].pk]
    assert client_for("commander_s1").post(url, {"action": "attendance", "completed": []}).status_code == 404
    assert client.post(url, {"action": "explode"}).status_code == 404


def test_a_new_course_from_the_form(tree, client_for, programme, trainer):
    client = client_for("commander_n1")
    assert client.get(reverse("training:course_new")).status_code == 200
    response = client.post(
        reverse("training:course_new"),
        {
            "programme": programme.pk,
            "unit": tree.n1.pk,
            "starts_on": "2015-03-02",
            "ends_on": "2015-03-06",
            "place": "Stacioni",
            "trainers": [trainer.pk],
        },
    )
    course = Course.objects.get()
    assert response.url == reverse("training:course", args=[course.pk])
    bad = client.post(
        reverse("training:course_new"),
        {"programme": programme.pk, "unit": tree.s1.pk, "starts_on": "2015-03-02", "ends_on": "2015-03-06"},
    )
    assert bad.status_code == 400
    assert Course.objects.count() == 1
    assert client_for("officer_n1a").get(reverse("training:course_new")).status_code == 403


def test_the_report_upload_refuses_what_is_not_a_pdf(tree, client_for, visit):
    client = client_for("directorate")
    url = reverse("training:visit", args=[visit.pk])
    fake = SimpleUploadedFile("raporti.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(url, {"action": "report", "report": fake}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    visit.refresh_from_db()
    assert not visit.report
    fake.seek(0)
    assert client_for("commander_n1").post(url, {"action": "report", "report": fake}).status_code == 403


def test_the_report_downloads_as_an_attachment_that_is_never_sniffed(tree, client_for, visit):
    upload = SimpleUploadedFile("raporti.pdf", PDF, content_type="application/pdf")
    client_for("directorate").post(
        reverse("training:visit", args=[visit.pk]), {"action": "report", "report": upload}
    )
    response = client_for("officer_n1a").get(reverse("training:visit_report", args=[visit.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for("standards").get(reverse("training:visit_report", args=[visit.pk])).status_code == 404


def test_the_officer_record_page_is_logged_and_hidden_from_sector_officers(
    tree, client_for, station_course, officers
):
    url = reverse("training:officer", args=[officers["n1a"].pk])
    assert client_for("officer_n1a").get(url).status_code == 403
    assert client_for("leader_n1a").get(url).status_code == 403
    assert client_for("commander_s1").get(url).status_code == 404
    assert not AccessLogEntry.objects.reads().exists()
    page = client_for("commander_n1").get(url)
    assert page.status_code == 200
    assert "Policimi në bashkësi – kursi bazë" in page.content.decode()
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.subject_type, entry.subject_id, entry.source) == (
        "training.officer",
        str(officers["n1a"].pk),
        url,
    )


def test_the_officer_search_is_for_lead_roles(tree, client_for, officers):
    assert client_for("officer_n1a").get(reverse("training:officers"), {"q": "Gashi"}).status_code == 403
    page = client_for("commander_n1").get(reverse("training:officers"), {"q": "Gashi"})
    assert [o.badge_number for o in page.context["officers"]] == ["KP-10001"]


def test_programmes_modules_trainers_and_needs_from_their_forms(tree, client_for, programme, officers):
    client = client_for("strategy_coordinator")
    url = reverse("training:programme", args=[programme.pk])
    client.post(url, {"action": "module", "title": "Skanimi", "hours": "4"})
    client.post(url, {"action": "module", "title": "Pa orë", "hours": "0"})
    assert list(Module.objects.values_list("title", flat=True)) == ["Skanimi"]
    client.post(reverse("training:trainers"), {"badge_number": "kp-10001", "areas": "SARA"})
    assert Trainer.objects.get().officer == officers["n1"]
    assert client.post(reverse("training:trainers"), {"badge_number": "KP-00000"}).status_code == 400
    assert client_for("commander_n1").post(reverse("training:trainers"), {"name": "X"}).status_code == 403
    commander = client_for("commander_n1")
    commander.post(
        reverse("training:needs"), {"unit": tree.n1.pk, "description": "KLSP", "identified_on": "2015-02-02"}
    )
    need = TrainingNeed.objects.get()
    commander.post(
        reverse("training:need_status", args=[need.pk]), {"status": "met", "programme": programme.pk}
    )
    need.refresh_from_db()
    assert (need.status, need.programme) == ("met", programme)
    assert client_for("officer_n1a").post(reverse("training:needs"), {"unit": tree.n1.pk}).status_code == 403


def test_the_managers_pages_render(tree, client_for, station_course, visit, programme, trainer, persona):
    client = client_for("directorate")
    for url in (
        reverse("training:programme", args=[programme.pk]),
        reverse("training:trainer", args=[trainer.pk]),
        reverse("training:course_edit", args=[station_course.pk]),
        reverse("training:visit", args=[visit.pk]),
        reverse("training:officers") + "?q=KP-10001",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("training:trainer", args=[trainer.pk]),
        {"name": "Sarah Mitchell", "organisation": "OSCE", "areas": "SARA", "certified_on": "2012-04-20"},
    )
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert (trainer.active, trainer.areas) == (False, "SARA")
    response = client.post(
        reverse("training:course_edit", args=[station_course.pk]),
        {"programme": programme.pk, "unit": tree.n1.pk, "starts_on": "2014-09-22", "ends_on": "2014-09-26"},
    )
    assert response.status_code == 302
    assert not station_course.trainers.exists()
