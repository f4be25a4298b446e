"""Writes for training: trainers, programmes and their modules, courses with
enrolment and attendance, study visits with their PDF report, and training
needs. National records (trainers, programmes, visits) are kept by the
national roles; a course or a need by the lead roles of its unit."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind

from . import selectors
from .models import (
    Attendance,
    Course,
    Level,
    Module,
    NeedStatus,
    Programme,
    StudyVisit,
    Trainer,
    TrainingNeed,
)
from .policy import policy

# Nothing is recorded from before the Kosovo Police existed.
EARLIEST = date(2000, 1, 1)
# Courses and visits may be planned ahead, but not indefinitely.
PLAN_AHEAD = timedelta(days=2 * 366)
MAX_COURSE_DAYS = 366
MAX_REPORT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
BADGE_SPLIT = re.compile(r"[\s,;]+")


class CourseNotStarted(DomainError):
    message = gettext_lazy("Attendance can be marked only once the course has started.")


class TrainerExists(DomainError):
    message = gettext_lazy("This officer is already on the list of trainers.")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _require_national(actor: Actor) -> None:
    policy.require_anywhere(actor, "manage", at=selectors.root_path())


def _past_date(day: date | None, *, label: str) -> date | None:
    """An optional date that has happened already (not before 2000)."""
    if day is None:
        return None
    if day > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future: %(field)s.") % {"field": label})
    if day < EARLIEST:
        raise InvalidInput(_("The date is too far in the past: %(field)s.") % {"field": label})
    return day


def _span(starts_on: date, ends_on: date, *, max_days: int = MAX_COURSE_DAYS) -> None:
    if starts_on < EARLIEST:
        raise InvalidInput(_("The start date is too far in the past."))
    if ends_on < starts_on:
        raise InvalidInput(_("The end date cannot be before the start date."))
    if (ends_on - starts_on).days > max_days:
        raise InvalidInput(_("The dates span more than a year; check them."))
    if ends_on > timezone.localdate() + PLAN_AHEAD:
        raise InvalidInput(_("The dates lie too far in the future."))


# --- trainers -------------------------------------------------------------------------


def _trainer_fields(
    *, officer: Officer | None, name: str, organisation: str, areas: str, certified_on: date | None
) -> dict[str, object]:
    name = clean_text(name, limit=200, required=False)
    if officer is None and not name:
        raise InvalidInput(_("Choose an officer by badge number, or write the external trainer's name."))
    return {
        "officer": officer,
        "name": "" if officer is not None else name,
        "organisation": clean_text(organisation, limit=200, required=False),
        "areas": clean_text(areas, limit=300, required=False),
        "certified_on": _past_date(certified_on, label=str(_("prepared as a trainer on"))),
    }


@transaction.atomic
def add_trainer(
    actor: Actor,
    *,
    officer: Officer | None = None,
    name: str = "",
    organisation: str = "",
    areas: str = "",
    certified_on: date | None = None,
) -> Trainer:
    """Add a trainer: one of our officers, or an external one named with their
    organisation (OSCE, ICITAP…) [1.3.3]. National roles only."""
    _require_national(actor)
    fields = _trainer_fields(
        officer=officer, name=name, organisation=organisation, areas=areas, certified_on=certified_on
    )
    if officer is not None and Trainer.objects.filter(officer=officer).exists():
        raise TrainerExists()
    return Trainer.objects.create(**fields)


@transaction.atomic
def update_trainer(
    actor: Actor,
    *,
    trainer: Trainer,
    name: str = "",
    organisation: str = "",
    areas: str = "",
    certified_on: date | None = None,
    active: bool = True,
) -> Trainer:
    """Change a trainer's details, or retire them (inactive trainers stay on
    the courses they gave). National roles only."""
    _require_national(actor)
    fields = _trainer_fields(
        officer=trainer.officer, name=name, organisation=organisation, areas=areas, certified_on=certified_on
    )
    for field, value in fields.items():
        setattr(trainer, field, value)
    trainer.active = active
    trainer.save()
    return trainer


# --- programmes -----------------------------------------------------------------------


def _programme_fields(
    *, title: str, level: str, description: str, approved_on: date | None
) -> dict[str, object]:
    if level not in Level.values:
        raise InvalidInput(_("Choose the level of the programme."))
    return {
        "title": clean_text(title, limit=200, required=True, missing=_("Give the programme a title.")),
        "level": level,
        "description": clean_text(description, limit=8000, required=False),
        "approved_on": _past_date(approved_on, label=str(_("approved on"))),
    }


@transaction.atomic
def create_programme(
    actor: Actor, *, title: str, level: str, description: str = "", approved_on: date | None = None
) -> Programme:
    """A training programme or curriculum [1.3.4, 1.3.6, 1.3.9]; it counts as
    designed once it has an approval date. National roles only."""
    _require_national(actor)
    return Programme.objects.create(
        **_programme_fields(title=title, level=level, description=description, approved_on=approved_on)
    )


@transaction.atomic
def update_programme(
    actor: Actor,
    *,
    programme: Programme,
    title: str,
    level: str,
    description: str = "",
    approved_on: date | None = None,
) -> Programme:
    """Change a programme; setting its approval date counts it as designed. National roles only."""
    _require_national(actor)
    fields = _programme_fields(title=title, level=level, description=description, approved_on=approved_on)
    for field, value in fields.items():
        setattr(programme, field, value)
    programme.save()
    return programme


@transaction.atomic
def add_module(actor: Actor, *, programme: Programme, title: str, hours: int) -> Module:
    """A module of a programme, at its end. National roles only."""
    _require_national(actor)
    title = clean_text(title, limit=200, required=True, missing=_("Give the module a title."))
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 500:
        raise InvalidInput(_("A module lasts from 1 to 500 hours."))
    last = programme.modules.order_by("-position").values_list("position", flat=True).first()
    return Module.objects.create(programme=programme, title=title, hours=hours, position=(last or 0) + 1)


@transaction.atomic
def remove_module(actor: Actor, *, module: Module) -> None:
    """Take a module out of its programme. National roles only."""
    _require_national(actor)
    Module.objects.filter(pk=module.pk).delete()


# --- courses --------------------------------------------------------------------------


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
    _span(starts_on, ends_on)
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


# --- study visits ---------------------------------------------------------------------


def _visit_fields(
    *, country: str, city: str, starts_on: date, ends_on: date, purpose: str, feedback: str
) -> dict[str, object]:
    _span(starts_on, ends_on, max_days=90)
    return {
        "country": clean_text(country, limit=100, required=True, missing=_("Name the country visited.")),
        "city": clean_text(city, limit=100, required=False),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "purpose": clean_text(
            purpose, limit=4000, required=True, missing=_("Describe the purpose of the visit.")
        ),
        "feedback": clean_text(feedback, limit=8000, required=False),
    }


@transaction.atomic
def create_visit(
    actor: Actor,
    *,
    country: str,
    city: str = "",
    starts_on: date,
    ends_on: date,
    purpose: str,
    feedback: str = "",
) -> StudyVisit:
    """A study visit to a country that applies community policing [1.3.10].
    National roles only."""
    _require_national(actor)
    fields = _visit_fields(
        country=country, city=city, starts_on=starts_on, ends_on=ends_on, purpose=purpose, feedback=feedback
    )
    return StudyVisit.objects.create(**fields, created_by_id=actor.user_id)


@transaction.atomic
def update_visit(
    actor: Actor,
    *,
    visit: StudyVisit,
    country: str,
    city: str = "",
    starts_on: date,
    ends_on: date,
    purpose: str,
    feedback: str = "",
) -> StudyVisit:
    """Change a visit, including the feedback given to officers afterwards."""
    _require_national(actor)
    fields = _visit_fields(
        country=country, city=city, starts_on=starts_on, ends_on=ends_on, purpose=purpose, feedback=feedback
    )
    for field, value in fields.items():
        setattr(visit, field, value)
    visit.save()
    return visit


@transaction.atomic
def add_visit_participants(actor: Actor, *, visit: StudyVisit, badge_numbers: list[str]) -> int:
    """Add officers in service to a visit by badge number, all or none. National roles only."""
    _require_national(actor)
    officers = _officers_by_badge(badge_numbers, under=selectors.root_path())
    before = visit.participants.count()
    visit.participants.add(*officers)
    return visit.participants.count() - before


@transaction.atomic
def remove_visit_participant(actor: Actor, *, visit: StudyVisit, officer_id: int) -> None:
    """Take an officer off a visit. National roles only."""
    _require_national(actor)
    visit.participants.remove(officer_id)


def check_report(upload: Upload) -> tuple[str, bytes]:
    """A PDF by its first bytes, not by its name, and at most 10 MB."""
    name = PurePath(upload.name).name[-200:] or "report.pdf"
    if len(upload.data) > MAX_REPORT_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": name})
    if not upload.data.startswith(PDF_MAGIC):
        raise InvalidInput(_("%(name)s is not a PDF file. Upload the report as PDF.") % {"name": name})
    if PurePath(name).suffix.lower() != ".pdf":
        name = f"{PurePath(name).stem or 'report'}.pdf"
    return name, upload.data


@transaction.atomic
def upload_visit_report(actor: Actor, *, visit: StudyVisit, upload: Upload) -> StudyVisit:
    """Attach (or replace) the visit's report. PDF only, checked by content."""
    _require_national(actor)
    name, data = check_report(upload)
    visit = StudyVisit.objects.select_for_update().get(pk=visit.pk)
    old = visit.report.name if visit.report else ""
    visit.report.save(name, ContentFile(data), save=False)
    visit.report_name, visit.report_size = name, len(data)
    visit.save(update_fields=["report", "report_name", "report_size"])
    if old and old != visit.report.name:
        storage = visit.report.storage
        transaction.on_commit(lambda: storage.delete(old))
    return visit


# --- training needs -------------------------------------------------------------------


@transaction.atomic
def record_need(
    actor: Actor, *, unit: Unit, description: str, identified_on: date | None = None
) -> TrainingNeed:
    """A training need a unit identified [1.3.7]: its lead roles, or nationally."""
    policy.require(actor, "manage_need", unit.path)
    if unit.kind == UnitKind.SECTOR:
        raise InvalidInput(_("Needs are recorded for a station, a region or the directorate."))
    day = identified_on or timezone.localdate()
    _past_date(day, label=str(_("identified on")))
    return TrainingNeed.objects.create(
        unit=unit,
        unit_path=unit.path,
        description=clean_text(description, limit=4000, required=True, missing=_("Describe the need.")),
        identified_on=day,
        created_by_id=actor.user_id,
    )


@transaction.atomic
def set_need_status(
    actor: Actor, *, need: TrainingNeed, status: str, programme: Programme | None = None
) -> TrainingNeed:
    """Follow a need up: training planned, met (by a programme), or dropped."""
    policy.require(actor, "manage_need", need.unit_path)
    if status not in NeedStatus.values:
        raise InvalidInput(_("Choose a status."))
    need.status, need.programme = status, programme
    need.save(update_fields=["status", "programme"])
    return need
