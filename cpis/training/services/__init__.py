"""Writes for training: trainers, programmes and their modules, courses with
enrolment and attendance, study visits with their PDF report, and training
needs. National records (trainers, programmes, visits) are kept by the
national roles; a course or a need by the lead roles of its unit."""

from cpis.core.errors import InvalidInput
from cpis.core.uploads import Upload

from .checks import EARLIEST, MAX_COURSE_DAYS, MAX_REPORT_BYTES, PLAN_AHEAD
from .courses import (
    BADGE_SPLIT,
    CourseNotStarted,
    create_course,
    enrol_officers,
    mark_attendance,
    parse_badges,
    remove_participant,
    update_course,
)
from .needs import record_need, set_need_status
from .programmes import add_module, create_programme, remove_module, update_programme
from .trainers import TrainerExists, add_trainer, update_trainer
from .visits import (
    add_visit_participants,
    check_report,
    create_visit,
    remove_visit_participant,
    update_visit,
    upload_visit_report,
)

__all__ = [
    "BADGE_SPLIT",
    "EARLIEST",
    "MAX_COURSE_DAYS",
    "MAX_REPORT_BYTES",
    "PLAN_AHEAD",
    "CourseNotStarted",
    "InvalidInput",
    "TrainerExists",
    "Upload",
    "add_module",
    "add_trainer",
    "add_visit_participants",
    "check_report",
    "create_course",
    "create_programme",
    "create_visit",
    "enrol_officers",
    "mark_attendance",
    "parse_badges",
    "record_need",
    "remove_module",
    "remove_participant",
    "remove_visit_participant",
    "set_need_status",
    "update_course",
    "update_programme",
    "update_trainer",
    "update_visit",
    "upload_visit_report",
]
