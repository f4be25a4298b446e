"""Reads for training: the national catalogue (trainers, programmes, courses,
study visits, needs), the attendance lists and an officer's training record
(personal data: logged on every view), and the counts the action plan's
indicators read."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.audit import log_personal_data_access, log_personal_data_reads
from cpis.core.http import one_or_404
from cpis.core.periods import Period, count_per_period
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind
from cpis.organisation.selectors import get_root_unit

from .models import Attendance, Course, Module, NeedStatus, Programme, StudyVisit, Trainer, TrainingNeed
from .policy import policy


def root_path() -> str:
    return get_root_unit().path


def can_manage(actor: Actor) -> bool:
    """Trainers, programmes and study visits: the national roles."""
    return policy.can(actor, "manage", root_path())


# --- trainers and programmes ----------------------------------------------------------


def list_trainers(actor: Actor, *, active_only: bool = False) -> QuerySet[Trainer]:
    policy.require_anywhere(actor, "view")
    trainers = Trainer.objects.select_related("officer", "officer__unit").annotate(
        course_count=Count("courses", distinct=True)
    )
    return trainers.filter(active=True) if active_only else trainers


def get_trainer(actor: Actor, trainer_id: int) -> Trainer:
    return one_or_404(list_trainers(actor), pk=trainer_id)


def list_programmes(actor: Actor) -> QuerySet[Programme]:
    policy.require_anywhere(actor, "view")
    return Programme.objects.annotate(
        module_count=Count("modules", distinct=True),
        course_count=Count("courses", distinct=True),
    ).order_by("level", "title")


def list_programmes_with_modules(actor: Actor) -> QuerySet[Programme]:
    """`list_programmes` with each programme's modules in order (two queries in all)."""
    return list_programmes(actor).prefetch_related(
        Prefetch("modules", queryset=Module.objects.order_by("position", "id"))
    )


def programme_hours(programme: Programme) -> int:
    return int(programme.modules.aggregate(total=Sum("hours"))["total"] or 0)


def get_programme(actor: Actor, programme_id: int) -> Programme:
    policy.require_anywhere(actor, "view")
    return one_or_404(
        Programme.objects.prefetch_related(
            Prefetch("modules", queryset=Module.objects.order_by("position", "id"))
        ),
        pk=programme_id,
    )


# --- courses --------------------------------------------------------------------------


def list_courses(
    actor: Actor, *, year: int | None = None, programme_id: int | None = None, unit: Unit | None = None
) -> QuerySet[Course]:
    """Every course (the catalogue is national), newest first, with its head counts."""
    policy.require_anywhere(actor, "view")
    courses = Course.objects.select_related("programme", "unit").annotate(
        participant_count=Count("attendances", distinct=True),
        completed_count=Count("attendances", filter=Q(attendances__completed=True), distinct=True),
    )
    if year is not None:
        courses = courses.filter(starts_on__year=year)
    if programme_id is not None:
        courses = courses.filter(programme_id=programme_id)
    if unit is not None:
        courses = courses.filter(unit_path__startswith=unit.path)
    return courses.order_by("-starts_on", "-id")


def list_courses_with_trainers(
    actor: Actor, *, year: int | None = None, programme_id: int | None = None, unit: Unit | None = None
) -> QuerySet[Course]:
    """`list_courses` with each course's trainers (two queries in all); no attendance."""
    return list_courses(actor, year=year, programme_id=programme_id, unit=unit).prefetch_related(
        Prefetch("trainers", queryset=Trainer.objects.select_related("officer").order_by("name", "id"))
    )


def get_course(actor: Actor, course_id: int) -> Course:
    return one_or_404(
        list_courses(actor)
        .select_related("programme", "unit", "unit__parent")
        .prefetch_related("trainers", "trainers__officer"),
        pk=course_id,
    )


def can_manage_course(actor: Actor, course: Course) -> bool:
    return policy.can(actor, "manage_course", course.unit_path)


def list_organising_units(actor: Actor) -> QuerySet[Unit]:
    """Units the actor may organise courses for: the directorate, regions,
    stations and substations under their lead roles."""
    return (
        Unit.objects.exclude(kind=UnitKind.SECTOR)
        .filter(policy.scope(actor, "manage_course"))
        .order_by("path")
    )


def get_course_attendance(actor: Actor, course: Course, *, request: HttpRequest | None) -> list[Attendance]:
    """Who is enrolled on a course and who completed it: personal data, for
    those who manage the course. The view is logged."""
    policy.require(actor, "manage_course", course.unit_path)
    attendances = list(
        course.attendances.select_related("officer", "officer__unit").order_by(
            "officer__last_name", "officer__first_name", "officer_id"
        )
    )
    _log_officers(actor, [a.officer_id for a in attendances], request)
    return attendances


def _log_officers(actor: Actor, officer_ids: list[int], request: HttpRequest | None) -> None:
    """One access-log row per officer shown, under the same subject as the
    officer's training record, so "who saw officer X's training data" finds them all."""
    log_personal_data_reads(
        user_id=actor.user_id, subject_type="training.officer", subject_ids=officer_ids, request=request
    )


# --- study visits ---------------------------------------------------------------------


def list_visits(actor: Actor) -> QuerySet[StudyVisit]:
    policy.require_anywhere(actor, "view")
    return StudyVisit.objects.annotate(participant_count=Count("participants")).order_by("-starts_on", "-id")


def get_visit(actor: Actor, visit_id: int) -> StudyVisit:
    return one_or_404(list_visits(actor), pk=visit_id)


def get_visit_participants(actor: Actor, visit: StudyVisit, *, request: HttpRequest | None) -> list[Officer]:
    """Who went on a visit: personal data, for the national roles that
    organise visits. The view is logged."""
    policy.require_anywhere(actor, "manage", at=root_path())
    participants = list(visit.participants.select_related("unit").order_by("last_name", "first_name", "id"))
    _log_officers(actor, [o.pk for o in participants], request)
    return participants


# --- needs ----------------------------------------------------------------------------


def list_needs(actor: Actor, *, status: str = "") -> QuerySet[TrainingNeed]:
    policy.require_anywhere(actor, "view")
    needs = TrainingNeed.objects.select_related("unit", "programme")
    if status in NeedStatus.values:
        needs = needs.filter(status=status)
    return needs.order_by("-identified_on", "-id")


def get_need(actor: Actor, need_id: int) -> TrainingNeed:
    return one_or_404(list_needs(actor), pk=need_id)


def can_manage_need(actor: Actor, need: TrainingNeed) -> bool:
    return policy.can(actor, "manage_need", need.unit_path)


def list_need_units(actor: Actor) -> QuerySet[Unit]:
    return (
        Unit.objects.exclude(kind=UnitKind.SECTOR).filter(policy.scope(actor, "manage_need")).order_by("path")
    )


# --- an officer's training record (personal data) -------------------------------------


def may_view_records(actor: Actor) -> bool:
    return policy.anywhere(actor, "view_records")


def search_officers(actor: Actor, query: str, *, limit: int = 50) -> list[Officer]:
    """Officers whose records the actor may open, by name or badge number."""
    query = query.strip()
    if not query or not may_view_records(actor):
        return []
    officers = Officer.objects.filter(policy.scope(actor, "view_records", "unit__path"))
    officers = officers.filter(
        Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(badge_number__iexact=query)
    )
    return list(officers.select_related("unit").order_by("last_name", "first_name", "id")[:limit])


@dataclass(frozen=True)
class OfficerRecord:
    officer: Officer
    attendances: list[Attendance]
    visits: list[StudyVisit]
    trainer: Trainer | None


def get_officer_record(actor: Actor, officer_id: int, *, request: HttpRequest | None) -> OfficerRecord:
    """An officer's courses, completions, study visits and trainer status:
    for station lead roles and up at the officer's home unit (404 outside the
    actor's places, 403 inside them for other roles). Every call is logged."""
    officer = Officer.objects.select_related("unit").filter(pk=officer_id).first()
    if officer is None:
        raise Http404(_("Not found."))
    policy.require(actor, "view_records", officer.unit.path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="training.officer", subject_id=officer.pk, request=request
    )
    attendances = list(
        Attendance.objects.filter(officer=officer)
        .select_related("course", "course__programme", "course__unit")
        .order_by("-course__starts_on")
    )
    visits = list(StudyVisit.objects.filter(participants=officer).order_by("-starts_on"))
    trainer = Trainer.objects.filter(officer=officer).first()
    return OfficerRecord(officer=officer, attendances=attendances, visits=visits, trainer=trainer)


# --- overview -------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    active_trainers: int
    programmes: int
    courses_this_year: int
    officers_trained_this_year: int
    study_visits: int
    open_needs: int


def overview(actor: Actor, *, today: date | None = None) -> Overview:
    policy.require_anywhere(actor, "view")
    today = today or timezone.localdate()
    year = Period(date(today.year, 1, 1), today)
    return Overview(
        active_trainers=Trainer.objects.filter(active=True).count(),
        programmes=Programme.objects.count(),
        courses_this_year=count_courses_delivered([year])[0],
        officers_trained_this_year=count_officers_trained([year])[0],
        study_visits=StudyVisit.objects.count(),
        open_needs=TrainingNeed.objects.filter(
            status__in=[NeedStatus.IDENTIFIED, NeedStatus.PLANNED]
        ).count(),
    )


# --- counts for the action plan -------------------------------------------------------


def _is_national(path: str) -> bool:
    """An empty path or the root's: the whole organisation."""
    return path.count("/") <= 1


def count_trainers(periods: list[Period], *, path: str = "") -> list[int]:
    """Trainers identified and prepared in each period, by the date they were
    prepared [1.3.3]. Under a place, only officers of that place count
    (external trainers belong to no place)."""
    trainers = Trainer.objects.filter(certified_on__isnull=False)
    if path and not _is_national(path):
        trainers = trainers.filter(officer__unit__path__startswith=path)
    return count_per_period(trainers, "certified_on", periods)


def count_courses_delivered(periods: list[Period], *, path: str = "") -> list[int]:
    """Courses delivered (ended, up to today) in each period, every level
    [1.3.5, 1.3.8]; under a place, the courses its units organised."""
    courses = Course.objects.filter(ends_on__lte=timezone.localdate())
    if path:
        courses = courses.filter(unit_path__startswith=path)
    return count_per_period(courses, "ends_on", periods)


def count_officers_trained(periods: list[Period], *, path: str = "") -> list[int]:
    """Different officers who completed a course that ended in each period;
    under a place, officers whose home unit is there."""
    completed = Attendance.objects.filter(completed=True, course__ends_on__lte=timezone.localdate())
    if path:
        completed = completed.filter(officer__unit__path__startswith=path)
    return count_per_period(completed, "course__ends_on", periods, distinct="officer_id")


def count_study_visits(periods: list[Period], *, path: str = "") -> list[int]:
    """Study visits that ended in each period [1.3.10]; under a place, the
    visits officers of that place took part in."""
    visits = StudyVisit.objects.filter(ends_on__lte=timezone.localdate())
    if path and not _is_national(path):
        visits = visits.filter(participants__unit__path__startswith=path)
        return count_per_period(visits, "ends_on", periods, distinct="pk")
    return count_per_period(visits, "ends_on", periods)
