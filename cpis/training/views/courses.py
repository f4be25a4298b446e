"""Courses: the list with its filters, the create and edit pages, and a
course's page with enrolment, attendance and removal of participants."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.core.views import form_views, on_record, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import AttendanceForm, BadgesForm, CourseFilterForm, CourseForm
from ..models import Course
from ..policy import policy
from .common import Step, posted, posted_id, run_step

FIRST_YEAR = 2012


_course_url = record_url("training:course")


@staff_required
def courses(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    programmes = list(selectors.list_programmes(actor))
    years = list(range(timezone.localdate().year + 1, FIRST_YEAR - 2, -1))
    form = CourseFilterForm(request.GET or None, years=years, programmes=programmes)
    data = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "courses": selectors.list_courses(actor, year=data.get("year"), programme_id=data.get("programme"))[
            :200
        ],
        "can_create": selectors.list_organising_units(actor).exists(),
    }
    return render(request, "training/courses.html", context)


def _course_form(request: ActorRequest, actor: Actor, course: Course | None) -> CourseForm:
    """The form with its choices: the units the actor organises at and the
    active trainers, plus the course's own unit and trainers when editing."""
    units = list(selectors.list_organising_units(actor))
    if course is not None and course.unit_id not in {u.pk for u in units}:
        units.insert(0, course.unit)
    trainers = list(selectors.list_trainers(actor, active_only=True))
    if course is not None:
        trainers += [t for t in course.trainers.all() if not t.active]
    initial: dict[str, Any] = {}
    if course is not None:
        initial = {
            "programme": course.programme_id,
            "unit": course.unit_id,
            "starts_on": course.starts_on,
            "ends_on": course.ends_on,
            "place": course.place,
            "trainers": [t.pk for t in course.trainers.all()],
        }
    return CourseForm(
        request.POST or None,
        initial=initial,
        programmes=selectors.list_programmes(actor),
        units=units,
        trainers=trainers,
    )


def _save_course(actor: Actor, data: dict[str, Any], course: Course | None) -> Course:
    programme = selectors.list_programmes(actor).filter(pk=data["programme"]).first()
    unit = selectors.list_organising_units(actor).filter(pk=data["unit"]).first()
    if course is not None and unit is None and data["unit"] == course.unit_id:
        unit = course.unit
    if programme is None or unit is None:
        raise services.InvalidInput(_("Choose a programme and a unit from the lists."))
    fields: dict[str, Any] = {
        "programme": programme,
        "unit": unit,
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "place": data["place"],
        "trainer_ids": data["trainers"],
    }
    if course is None:
        return services.create_course(actor, **fields)
    return services.update_course(actor, course=course, **fields)


def _course_page(request: ActorRequest, course: Course | None) -> HttpResponse:
    """The create (`course` None) or edit page of a course."""
    actor = request.actor
    success = _("Changes saved.") if course else _("Course saved. Enrol its participants.")
    return form_page(
        request,
        _course_form(request, actor, course),
        lambda data: _save_course(actor, data, course),
        success=success,
        then=_course_url,
        template="training/course_form.html",
        context={"course": course},
    )


def _may_organise(actor: Actor) -> None:
    """A course is organised at a unit: those who see training but organise nowhere get 403."""
    policy.require_anywhere(actor, "view")
    if not selectors.list_organising_units(actor).exists():
        raise PermissionDenied(_("You may not do this here."))


course_new, course_edit = form_views(
    _course_page,
    selectors.get_course,
    may_create=_may_organise,
    may_edit=lambda actor, course: policy.require(actor, "manage_course", course.unit_path),
    guard=staff_required,
)


def _course_enrol(request: ActorRequest, actor: Actor, course: Course) -> str:
    badges = posted(request, BadgesForm, _("Enter at least one badge number."))["badges"]
    added = services.enrol_officers(actor, course=course, badge_numbers=services.parse_badges(badges))
    return _("%(count)s officers enrolled.") % {"count": added}


def _course_attendance(request: ActorRequest, actor: Actor, course: Course) -> str:
    ids = list(course.attendances.values_list("officer_id", flat=True))
    refused = _("Only officers enrolled on the course can complete it.")
    completed = posted(request, AttendanceForm, refused, officer_ids=ids)["completed"]
    count = services.mark_attendance(actor, course=course, completed_ids=completed)
    return _("Attendance saved: %(count)s completed.") % {"count": count}


def _course_remove(request: ActorRequest, actor: Actor, course: Course) -> str:
    services.remove_participant(actor, course=course, officer_id=posted_id(request, "officer"))
    return _("Participant removed.")


COURSE_ACTIONS: dict[str, Step[Course]] = {
    "enrol": _course_enrol,
    "attendance": _course_attendance,
    "remove": _course_remove,
}


@staff_required
@on_record(selectors.get_course)
def course(request: ActorRequest, record: Course) -> HttpResponse:
    """A course's page; a POST is a step on it (enrol, attendance, remove)
    for those who manage the course."""
    actor = request.actor
    if request.method == "POST":
        policy.require(actor, "manage_course", record.unit_path)
        return run_step(request, COURSE_ACTIONS, record, _course_url)
    can_manage = selectors.can_manage_course(actor, record)
    attendances = selectors.get_course_attendance(actor, record, request=request) if can_manage else None
    context = {
        "course": record,
        "can_manage": can_manage,
        "attendances": attendances,
        "badges_form": BadgesForm() if can_manage else None,
        "started": record.starts_on <= timezone.localdate(),
    }
    return render(request, "training/course.html", context)
