"""What several forum records check alike: the place a forum may serve and a plausible past date."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput

# Forums and records before the first forums in Kosovo are typing mistakes.
EARLIEST_DATE = date(1999, 6, 1)


class WrongPlace(DomainError):
    message = gettext_lazy("A forum serves a sector, a substation or a police station.")


def past_date(day: date, message: str) -> date:
    """The day, if it lies between the earliest plausible day and today;
    else InvalidInput with `message` (a sentence with an %(earliest)s placeholder)."""
    if day < EARLIEST_DATE or day > timezone.localdate():
        raise InvalidInput(message % {"earliest": EARLIEST_DATE.strftime("%d.%m.%Y")})
    return day
