"""Training writes against the database: who may, what is checked, and that
bad input changes nothing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from cpis.core.errors import InvalidInput
from cpis.core.tests.helpers import PDF
from cpis.training import services
from cpis.training.models import (
    Attendance,
    Course,
    Level,
    Module,
    NeedStatus,
    StudyVisit,
    Trainer,
    TrainingNeed,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English, the source language."""
    with translation.override("en"):
        yield


def course_at(actor, unit, programme, **fields):
    values = {"starts_on": date(2014, 9, 22), "ends_on": date(2014, 9, 26), "place": "Vushtrri"} | fields
    return services.create_course(actor, programme=programme, unit=unit, **values)


# --- trainers and programmes ---------------------------------------------------------


def test_the_directorate_adds_an_officer_and_an_external_trainer(tree, actor_for, officers):
    actor = actor_for("directorate")
    ours = services.add_trainer(actor, officer=officers["n1"], name="ignored", certified_on=date(2012, 5, 1))
    theirs = services.add_trainer(actor, name="  John Davis ", organisation="ICITAP", areas="Udhëheqja")
    assert (ours.display_name, ours.name) == ("Arta Gashi", "")
    assert (theirs.display_name, theirs.organisation) == ("John Davis", "ICITAP")
    with pytest.raises(services.TrainerExists):
        services.add_trainer(actor, officer=officers["n1"])
    with pytest.raises(InvalidInput, match="badge number"):
        services.add_trainer(actor, organisation="OSCE")
    with pytest.raises(InvalidInput, match="future"):
        services.add_trainer(actor, name="X", certified_on=timezone.localdate() + timedelta(days=1))
    assert Trainer.objects.count() == 2


def test_editing_a_programme_saves_its_fields_for_national_roles_only(tree, actor_for, programme):
    edit = {
        "title": "Policimi në bashkësi – kursi i avancuar",
        "level": Level.SPECIALISED,
        "description": "Për udhëheqësit e sektorëve",
        "approved_on": date(2013, 2, 1),
    }
    with pytest.raises(PermissionDenied):
        services.update_programme(actor_for("commander_n1"), programme=programme, **edit)
    with pytest.raises(Http404):
        services.update_programme(actor_for("standards"), programme=programme, **edit)
    with pytest.raises(InvalidInput, match="level"):
        services.update_programme(actor_for("directorate"), programme=programme, **(edit | {"level": "x"}))
    with pytest.raises(InvalidInput, match="future"):
        services.update_programme(
            actor_for("directorate"),
            programme=programme,
            **(edit | {"approved_on": timezone.localdate() + timedelta(days=1)}),
        )
    programme.refresh_from_db()
    assert (programme.title, programme.level, programme.approved_on) == (
        "Policimi në bashkësi – kursi bazë",
        Level.BASIC,
        date(2012, 10, 15),
    )
    services.update_programme(actor_for("directorate"), programme=programme, **edit)
    programme.refresh_from_db()
    assert (programme.title, programme.level, programme.description, programme.approved_on) == (
        "Policimi në bashkësi – kursi i avancuar",
        Level.SPECIALISED,
        "Për udhëheqësit e sektorëve",
        date(2013, 2, 1),
    )
    services.update_programme(actor_for("directorate"), programme=programme, **(edit | {"approved_on": None}))
    programme.refresh_from_db()
    assert programme.approved_on is None


def test_only_national_roles_keep_trainers_programmes_and_visits(tree, actor_for, programme):
    with pytest.raises(PermissionDenied):
        services.add_trainer(actor_for("commander_n1"), name="X")
    with pytest.raises(PermissionDenied):
        services.create_programme(actor_for("director_north"), title="X", level=Level.BASIC)
    with pytest.raises(Http404):
        services.create_visit(
            actor_for("standards"),
            country="Norvegji",
            starts_on=date(2013, 5, 13),
            ends_on=date(2013, 5, 17),
            purpose="x",
        )
    assert not Trainer.objects.exists()


def test_a_programme_needs_a_title_and_a_level_and_its_modules_hours(tree, actor_for):
    actor = actor_for("strategy_coordinator")
    with pytest.raises(InvalidInput, match="title"):
        services.create_programme(actor, title="  ", level=Level.BASIC)
    with pytest.raises(InvalidInput, match="level"):
        services.create_programme(actor, title="SARA", level="expert")
    sara = services.create_programme(
        actor, title="SARA", level=Level.SPECIALISED, approved_on=date(2013, 4, 10)
    )
    services.add_module(actor, programme=sara, title="Skanimi", hours=4)
    services.add_module(actor, programme=sara, title="Analiza", hours=6)
    with pytest.raises(InvalidInput, match="500 hours"):
        services.add_module(actor, programme=sara, title="Tepër", hours=0)
    assert list(sara.modules.values_list("title", "position")) == [("Skanimi", 1), ("Analiza", 2)]
    services.remove_module(actor, module=Module.objects.get(title="Skanimi"))
    assert sara.modules.count() == 1


# --- courses --------------------------------------------------------------------------


def test_a_station_commander_organises_a_course_at_their_station_only(tree, actor_for, programme, trainer):
    actor = actor_for("commander_n1")
    course = course_at(actor, tree.n1, programme, trainer_ids=[trainer.pk])
    assert course.unit_path == tree.n1.path
    assert list(course.trainers.all()) == [trainer]
    with pytest.raises(Http404):
        course_at(actor, tree.s1, programme)
    with pytest.raises(PermissionDenied):
        course_at(actor_for("officer_n1a"), tree.n1a, programme)
    with pytest.raises(Http404):
        services.update_course(
            actor,
            course=course,
            programme=programme,
            unit=tree.s1,
            starts_on=course.starts_on,
            ends_on=course.ends_on,
        )
    assert Course.objects.get().unit == tree.n1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_on": date(2014, 9, 1)}, "before the start"),
        ({"starts_on": date(1999, 1, 1)}, "too far in the past"),
        ({"ends_on": date(2016, 1, 1)}, "more than a year"),
        ({"place": "x" * 201}, "too long"),
    ],
)
def test_course_dates_and_place_are_checked(tree, actor_for, programme, fields, message):
    with pytest.raises(InvalidInput, match=message):
        course_at(actor_for("directorate"), tree.root, programme, **fields)
    assert not Course.objects.exists()


def test_a_course_is_organised_by_a_station_or_above_with_active_trainers(
    tree, actor_for, programme, trainer
):
    with pytest.raises(InvalidInput, match="station, a region or the directorate"):
        course_at(actor_for("directorate"), tree.n1a, programme)
    trainer.active = False
    trainer.save()
    with pytest.raises(InvalidInput, match="active trainers"):
        course_at(actor_for("directorate"), tree.root, programme, trainer_ids=[trainer.pk])
    assert not Course.objects.exists()


def test_enrolment_by_badge_number_is_all_or_nothing(tree, actor_for, programme, officers):
    actor = actor_for("coordinator_n1")
    course = course_at(actor, tree.n1, programme)
    with pytest.raises(InvalidInput, match="KP-99999"):
        services.enrol_officers(actor, course=course, badge_numbers=["KP-10001", "KP-99999"])
    with pytest.raises(InvalidInput, match="KP-20001"):  # serves at another station
        services.enrol_officers(actor, course=course, badge_numbers=["KP-10001", "KP-20001"])
    assert not Attendance.objects.exists()
    badges = services.parse_badges("kp-10001, KP-10002\nKP-10001")
    assert services.enrol_officers(actor, course=course, badge_numbers=badges) == 2
    assert services.enrol_officers(actor, course=course, badge_numbers=["KP-10002"]) == 0
    assert course.attendances.count() == 2


def test_a_national_course_takes_officers_from_anywhere(tree, actor_for, programme, officers):
    course = course_at(actor_for("directorate"), tree.root, programme)
    assert (
        services.enrol_officers(
            actor_for("directorate"), course=course, badge_numbers=["KP-10001", "KP-20001"]
        )
        == 2
    )


def test_attendance_is_marked_once_the_course_has_started(tree, actor_for, programme, officers):
    actor = actor_for("commander_n1")
    today = timezone.localdate()
    upcoming = course_at(
        actor, tree.n1, programme, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=7)
    )
    services.enrol_officers(actor, course=upcoming, badge_numbers=["KP-10001", "KP-10002"])
    with pytest.raises(services.CourseNotStarted):
        services.mark_attendance(actor, course=upcoming, completed_ids=[officers["n1"].pk])
    with time_machine.travel(today + timedelta(days=8)):
        assert services.mark_attendance(actor, course=upcoming, completed_ids=[officers["n1"].pk]) == 1
        with pytest.raises(InvalidInput, match="enrolled"):
            services.mark_attendance(actor, course=upcoming, completed_ids=[officers["s1"].pk])
    completed = dict(upcoming.attendances.values_list("officer__badge_number", "completed"))
    assert completed == {"KP-10001": True, "KP-10002": False}
    with pytest.raises(Http404):
        services.mark_attendance(actor_for("commander_s1"), course=upcoming, completed_ids=[])


# --- study visits ---------------------------------------------------------------------------


@pytest.fixture
def visit(tree, actor_for):
    return services.create_visit(
        actor_for("directorate"),
        country="Norvegji",
        city="Oslo",
        starts_on=date(2013, 5, 13),
        ends_on=date(2013, 5, 17),
        purpose="Njohja me modelin norvegjez.",
    )


def test_a_visit_report_must_be_a_pdf_by_content_and_at_most_10_mb(visit, actor_for):
    actor = actor_for("directorate")
    with pytest.raises(InvalidInput, match="not a PDF"):
        services.upload_visit_report(actor, visit=visit, upload=services.Upload("raporti.pdf", b"MZ\x90\x00"))
    with pytest.raises(InvalidInput, match="not a PDF"):
        services.upload_visit_report(
            actor, visit=visit, upload=services.Upload("r.pdf", b"<html>%PDF-</html>")
        )
    big = PDF + b"0" * services.MAX_REPORT_BYTES
    with pytest.raises(InvalidInput, match="larger than 10 MB"):
        services.upload_visit_report(actor, visit=visit, upload=services.Upload("r.pdf", big))
    visit.refresh_from_db()
    assert not visit.report
    saved = services.upload_visit_report(actor, visit=visit, upload=services.Upload("../../raporti.exe", PDF))
    assert saved.report_name == "raporti.pdf"
    assert saved.report.read() == PDF
    assert saved.report_size == len(PDF)


def test_visit_participants_come_by_badge_and_feedback_is_recorded(visit, actor_for, officers):
    actor = actor_for("strategy_coordinator")
    assert services.add_visit_participants(actor, visit=visit, badge_numbers=["KP-10001", "KP-20001"]) == 2
    services.update_visit(
        actor,
        visit=visit,
        country="Norvegji",
        city="Oslo",
        starts_on=visit.starts_on,
        ends_on=visit.ends_on,
        purpose=visit.purpose,
        feedback="Raporti u prezantua te koordinatorët rajonalë.",
    )
    services.remove_visit_participant(actor, visit=visit, officer_id=officers["s1"].pk)
    visit = StudyVisit.objects.get()
    assert visit.feedback.startswith("Raporti")
    assert list(visit.participants.all()) == [officers["n1"]]
    with pytest.raises(InvalidInput, match="before the start"):
        services.update_visit(
            actor,
            visit=visit,
            country="X",
            starts_on=date(2013, 5, 13),
            ends_on=date(2013, 5, 1),
            purpose="x",
        )


# --- needs ------------------------------------------------------------------------------------


def test_station_leads_record_needs_for_their_unit_and_follow_them_up(tree, actor_for, programme):
    need = services.record_need(actor_for("commander_n1"), unit=tree.n1, description="Trajnim për KLSP-të.")
    assert (need.status, need.identified_on) == (NeedStatus.IDENTIFIED, timezone.localdate())
    services.set_need_status(
        actor_for("coordinator_n1"), need=need, status=NeedStatus.MET, programme=programme
    )
    need.refresh_from_db()
    assert (need.status, need.programme) == (NeedStatus.MET, programme)
    with pytest.raises(PermissionDenied):
        services.record_need(actor_for("leader_n1a"), unit=tree.n1a, description="x")
    with pytest.raises(Http404):
        services.set_need_status(actor_for("commander_s1"), need=need, status=NeedStatus.DROPPED)
    with pytest.raises(InvalidInput, match="status"):
        services.set_need_status(actor_for("commander_n1"), need=need, status="forgotten")
    with pytest.raises(InvalidInput, match="Describe"):
        services.record_need(actor_for("commander_n1"), unit=tree.n1, description=" ")
    assert TrainingNeed.objects.get().status == NeedStatus.MET
