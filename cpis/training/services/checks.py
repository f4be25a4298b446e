"""What every training record checks alike: the national right, plausible dates and spans."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core import uploads
from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor

from .. import selectors
from ..policy import policy

# Nothing is recorded from before the Kosovo Police existed.
EARLIEST = date(2000, 1, 1)
# Courses and visits may be planned ahead, but not indefinitely.
PLAN_AHEAD = timedelta(days=2 * 366)
MAX_COURSE_DAYS = 366
MAX_REPORT_BYTES = uploads.MAX_BYTES


def require_national(actor: Actor) -> None:
    policy.require_anywhere(actor, "manage", at=selectors.root_path())


def past_date(day: date | None, *, label: str) -> date | None:
    """An optional date that has happened already (not before 2000)."""
    if day is None:
        return None
    if day > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future: %(field)s.") % {"field": label})
    if day < EARLIEST:
        raise InvalidInput(_("The date is too far in the past: %(field)s.") % {"field": label})
    return day


def check_span(starts_on: date, ends_on: date, *, max_days: int = MAX_COURSE_DAYS) -> None:
    if starts_on < EARLIEST:
        raise InvalidInput(_("The start date is too far in the past."))
    if ends_on < starts_on:
        raise InvalidInput(_("The end date cannot be before the start date."))
    if (ends_on - starts_on).days > max_days:
        raise InvalidInput(_("The dates span more than a year; check them."))
    if ends_on > timezone.localdate() + PLAN_AHEAD:
        raise InvalidInput(_("The dates lie too far in the future."))
