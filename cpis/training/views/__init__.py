"""Staff pages for training: an overview, trainers, programmes with their
modules, courses with enrolment and attendance, study visits with their
report, training needs, and an officer's training record (logged). One
module a record kind; this package answers for all of them to `urls.py`."""

from django.http import HttpResponse
from django.shortcuts import render

from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors
from .courses import course, course_edit, course_new, courses
from .needs import need_status, needs
from .programmes import programme, programmes
from .records import officer_record, officers
from .trainers import trainer_edit, trainers
from .visits import visit, visit_report, visits

__all__ = [
    "course",
    "course_edit",
    "course_new",
    "courses",
    "home",
    "need_status",
    "needs",
    "officer_record",
    "officers",
    "programme",
    "programmes",
    "trainer_edit",
    "trainers",
    "visit",
    "visit_report",
    "visits",
]


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "overview": selectors.overview(actor),
        "courses": selectors.list_courses(actor)[:10],
        "can_view_records": selectors.may_view_records(actor),
    }
    return render(request, "training/home.html", context)
