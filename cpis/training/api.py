"""JSON API for training: the national catalogue of courses and programmes.
No attendance list and no officer's training record is served here: those
are personal data, shown (and logged) on the staff pages only."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cpis.accounts.api_auth import STAFF
from cpis.core.api import Id, Page, PageQuery, page_of
from cpis.organisation import selectors as organisation
from cpis.organisation.access import api_actor

from . import selectors
from .models import Course, Programme

router = Router(tags=["training"])


class TrainingTrainerOut(Schema):
    id: int
    name: str = Field(alias="display_name")
    organisation: str


class TrainingCourseOut(Schema):
    id: int
    programme_id: int
    programme_title: str = Field(alias="programme.title")
    level: str = Field(alias="programme.level")
    starts_on: date
    ends_on: date
    place: str
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    participants: int = Field(description="Officers enrolled (a count: who they are is not served)")
    completed: int = Field(description="Officers who completed it (a count)")
    trainers: list[TrainingTrainerOut]

    @staticmethod
    def resolve_participants(obj: Course) -> int:
        return int(getattr(obj, "participant_count", 0))

    @staticmethod
    def resolve_completed(obj: Course) -> int:
        return int(getattr(obj, "completed_count", 0))


class TrainingCoursePage(Page[TrainingCourseOut]):
    pass


class TrainingCourseFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Courses starting in this year")
    programme_id: Id | None = None
    unit_id: int | None = Field(None, description="Courses organised at or under this unit")


class TrainingCourseQuery(PageQuery, TrainingCourseFilters):
    pass


class TrainingModuleOut(Schema):
    position: int
    title: str
    hours: int


class TrainingProgrammeOut(Schema):
    id: int
    title: str
    level: str
    level_label: str = Field(alias="get_level_display")
    description: str
    approved_on: date | None
    module_count: int
    course_count: int
    hours: int
    modules: list[TrainingModuleOut]

    @staticmethod
    def resolve_hours(obj: Programme) -> int:
        return sum(m.hours for m in obj.modules.all())


class TrainingProgrammePage(Page[TrainingProgrammeOut]):
    pass


class TrainingPageQuery(PageQuery):
    limit: int = Field(100, ge=1, le=500)


@router.get("/courses", response=TrainingCoursePage, auth=STAFF, url_name="training_courses")
def list_courses(request: HttpRequest, query: Query[TrainingCourseQuery]) -> Any:
    """Courses delivered and planned, newest first, with their trainers and
    head counts. The catalogue is national: anyone who may see training sees
    every course."""
    unit = organisation.get_public_unit(query.unit_id) if query.unit_id else None
    courses = selectors.list_courses_with_trainers(
        api_actor(request), year=query.year, programme_id=query.programme_id, unit=unit
    )
    return page_of(courses, query)


@router.get("/programmes", response=TrainingProgrammePage, auth=STAFF, url_name="training_programmes")
def list_programmes(request: HttpRequest, query: Query[TrainingPageQuery]) -> Any:
    """Training programmes and curricula by level and title, with their modules."""
    programmes = selectors.list_programmes_with_modules(api_actor(request))
    return page_of(programmes, query)
