"""Courses: enrolment by badge number and attendance."""

import re
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind

from ..models import (
    Attendance,
    Course,
    Programme,
    Trainer,
)
from ..policy import policy
from .checks import check_span


class CourseNotStarted(DomainError):
    message = gettext_lazy("Attendance can be marked only once the course has started.")


BADGE_SPLIT = re.compile(r"[\s,;]+")


def _course_fields(
    *,
    programme: Programme,
    unit: Unit,
    starts_on: date,
    ends_on: date,
    place: str,
    trainer_ids: Iterable[int],
    keep: Iterable[int] = (),
) -> tuple[dict[str, object], list[int]]:
    if unit.kind == UnitKind.SECTOR:
        raise InvalidInput(_("Courses are organised by a station, a region or the directorate."))
    check_span(starts_on, ends_on)
    wanted = set(trainer_ids)
    found = set(Trainer.objects.filter(pk__in=wanted, active=True).values_list("pk", flat=True))
    # A trainer retired since keeps the courses they gave.
    found |= wanted & set(keep)
    if wanted - found:
        raise InvalidInput(_("Choose active trainers from the list."))
    fields = {
        "programme": programme,
        "unit": unit,
        "unit_path": unit.path,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "place": clean_text(place, limit=200, required=False),
    }
    return fields, sorted(wanted)


@transaction.atomic
def create_course(
    actor: Actor,
    *,
    programme: Programme,
    unit: Unit,
    starts_on: date,
    ends_on: date,
    place: str = "",
    trainer_ids: Iterable[int] = (),
) -> Course:
    """Schedule or record a delivery of a programme, organised by a unit where
    the actor holds a lead role (or nationally) [1.3.5, 1.3.8]."""
    policy.require(actor, "manage_course", unit.path)
    fields, trainers = _course_fields(
        programme=programme,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        trainer_ids=trainer_ids,
    )
    course = Course.objects.create(**fields, created_by_id=actor.user_id)
    course.trainers.set(trainers)
    return course


@transaction.atomic
def update_course(
    actor: Actor,
    *,
    course: Course,
    programme: Programme,
    unit: Unit,
    starts_on: date,
    ends_on: date,
    place: str = "",
    trainer_ids: Iterable[int] = (),
) -> Course:
    """Change a course; a new organising unit must be one the actor leads too."""
    policy.require(actor, "manage_course", course.unit_path)
    if unit.pk != course.unit_id:
        policy.require(actor, "manage_course", unit.path)
    keep = list(course.trainers.values_list("pk", flat=True))
    fields, trainers = _course_fields(
        programme=programme,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        trainer_ids=trainer_ids,
        keep=keep,
    )
    for field, value in fields.items():
        setattr(course, field, value)
    course.save()
    course.trainers.set(trainers)
    return course


def parse_badges(text: str) -> list[str]:
    """Badge numbers typed or pasted: one per line, or separated by commas."""
    return [b.strip().upper() for b in BADGE_SPLIT.split(text or "") if b.strip()]


def _officers_by_badge(badges: list[str], *, under: str) -> list[Officer]:
    """The officers in service with these badge numbers, serving under `under`;
    InvalidInput naming those not found, so that nothing is half-done."""
    if not badges:
        raise InvalidInput(_("Enter at least one badge number."))
    if len(badges) > 200:
        raise InvalidInput(_("Enter at most 200 badge numbers at a time."))
    officers = {
        o.badge_number.upper(): o
        for o in Officer.objects.filter(
            badge_number__in=set(badges), is_active=True, unit__path__startswith=under
        )
    }
    missing = [b for b in badges if b not in officers]
    if missing:
        raise InvalidInput(
            _("No officer in service here has these badge numbers: %(badges)s.")
            % {"badges": ", ".join(missing)}
        )
    return list({o.pk: o for o in officers.values()}.values())


@transaction.atomic
def enrol_officers(actor: Actor, *, course: Course, badge_numbers: list[str]) -> int:
    """Enrol officers on a course by badge number: officers in service under
    the organising unit (anyone, for a national course). Returns how many
    were added; those already enrolled are skipped."""
    policy.require(actor, "manage_course", course.unit_path)
    officers = _officers_by_badge(badge_numbers, under=course.unit_path)
    enrolled = set(course.attendances.values_list("officer_id", flat=True))
    new = [Attendance(course=course, officer=o) for o in officers if o.pk not in enrolled]
    Attendance.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def remove_participant(actor: Actor, *, course: Course, officer_id: int) -> None:
    """Take an officer off a course (enrolled by mistake, or did not come)."""
    policy.require(actor, "manage_course", course.unit_path)
    Attendance.objects.filter(course=course, officer_id=officer_id).delete()


@transaction.atomic
def mark_attendance(actor: Actor, *, course: Course, completed_ids: Iterable[int]) -> int:
    """Mark who completed a course (the others did not). Only once the course
    has started. Returns how many completed."""
    policy.require(actor, "manage_course", course.unit_path)
    if course.starts_on > timezone.localdate():
        raise CourseNotStarted()
    completed = set(completed_ids)
    attendances = Attendance.objects.filter(course=course)
    unknown = completed - set(attendances.values_list("officer_id", flat=True))
    if unknown:
        raise InvalidInput(_("Only officers enrolled on the course can complete it."))
    attendances.filter(officer_id__in=completed).update(completed=True)
    attendances.exclude(officer_id__in=completed).update(completed=False)
    return len(completed)
