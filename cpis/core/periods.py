"""Reporting periods. The action plan is evaluated by half-year
[Evaluation 7]; counts over a period run from local midnight of its first
day to local midnight after its last. And the years a date given to CPIS may
fall in."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

# The years a date given to CPIS (a filter, an Open311 range, a record) may fall in:
# every record the strategy keeps, with room to spare, and far enough from the ends
# of Python's calendar (years 1 and 9999) that a day after, a 90-day window or a time
# zone's offset never overflows, in Python or in the database.
FIRST_YEAR = 1900
LAST_YEAR = 2100

When = TypeVar("When", date, datetime)


def within_years(value: When) -> When:
    """The date or date-time when its year is FIRST_YEAR to LAST_YEAR; otherwise
    ValueError, with a message for people (a schema's validator, a parser)."""
    check_year(value.year)
    return value


def check_year(year: int) -> int:
    """The year when it is FIRST_YEAR to LAST_YEAR, as `within_years` says; for a
    year given on its own or in a month (YYYY-MM), which may be year 0."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            _("Dates must fall between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.year} H{1 if self.start.month <= 6 else 2}"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) for filtering timestamps."""
        return day_start(self.start), day_start(self.end + timedelta(days=1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def half_year_of(day: date) -> Period:
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))


def half_years(start: date, end: date) -> list[Period]:
    """Every half-year that overlaps [start, end], oldest first."""
    periods: list[Period] = []
    current = half_year_of(start)
    while current.start <= end:
        periods.append(current)
        current = half_year_of(current.end + timedelta(days=1))
    return periods


def parse_label(label: str) -> Period:
    """'2014 H1' → the period; ValueError otherwise."""
    year_text, _space, half = label.strip().partition(" ")
    year = int(year_text)
    if half.upper() not in {"H1", "H2"}:
        raise ValueError(label)
    check_year(year)
    return half_year_of(date(year, 1 if half.upper() == "H1" else 7, 1))


def _per_period(
    queryset: QuerySet[Any], field: str, periods: list[Period], make: Callable[[Q], Aggregate]
) -> list[Any]:
    """One query: an aggregate filtered to each period by `field` (a date or a
    timestamp; dates compare against the local-midnight bounds as local days)."""
    aggregates = {}
    for i, period in enumerate(periods):
        start, end = period.bounds
        aggregates[f"p{i}"] = make(Q(**{f"{field}__gte": start, f"{field}__lt": end}))
    result = queryset.aggregate(**aggregates)
    return [result[f"p{i}"] for i in range(len(periods))]


def count_per_period(
    queryset: QuerySet[Any], field: str, periods: list[Period], *, distinct: str = ""
) -> list[int]:
    """How many rows fall in each period by `field`, in one query (a filtered
    COUNT per period); `distinct` counts a column's values."""
    counts = _per_period(
        queryset,
        field,
        periods,
        lambda within: Count(distinct or "pk", filter=within, distinct=bool(distinct)),
    )
    return [n or 0 for n in counts]


def sum_per_period(
    queryset: QuerySet[Any], field: str, periods: list[Period], *, value: str, empty: Any = 0
) -> list[Any]:
    """The total of `value` over the rows in each period by `field`, in one
    query (a filtered SUM per period); `empty` where a period has no rows."""
    sums = _per_period(queryset, field, periods, lambda within: Sum(value, filter=within))
    return [empty if total is None else total for total in sums]
