"""Sustainability figures of a set of forums [Evaluation 5]: members, meetings
held against the expected, attendance, by year and half-year."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.periods import Period, count_per_period, half_years

from ..models import AgeBand, Community, Forum, ForumMember, Gender, Meeting, MeetingStatus

# The sustainability tables reach back at most this many years.
SUSTAINABILITY_YEARS = 15


@dataclass
class YearFigures:
    year: int
    held: int = 0
    expected: float = 0.0
    joined: int = 0
    left: int = 0

    @property
    def expected_rounded(self) -> int:
        return round(self.expected)

    @property
    def share(self) -> int | None:
        """Meetings held as a percentage of those expected."""
        expected = self.expected_rounded
        return round(100 * self.held / expected) if expected else None


@dataclass
class AttendancePoint:
    period: Period
    meetings: int
    average: float | None

    @property
    def label(self) -> str:
        return self.period.label


@dataclass
class Sustainability:
    years: list[YearFigures] = field(default_factory=list)
    attendance: list[AttendancePoint] = field(default_factory=list)
    by_gender: list[tuple[str, int]] = field(default_factory=list)
    by_community: list[tuple[str, int]] = field(default_factory=list)
    by_age: list[tuple[str, int]] = field(default_factory=list)
    members_now: int = 0

    women_now: int = 0

    @property
    def women_share(self) -> int | None:
        return round(100 * self.women_now / self.members_now) if self.members_now else None

    @property
    def attendance_max(self) -> float:
        return max((p.average or 0.0 for p in self.attendance), default=0.0) or 1.0

    @property
    def recent_years(self) -> list[YearFigures]:
        return list(reversed(self.years))


def _active_days(start: date, end: date | None, year: int, today: date) -> tuple[int, int]:
    """Days of `year` the forum existed (up to today), and the days of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (last - first).days + 1
    until = min(end or today, today, last)
    since = max(start, first)
    return max((until - since).days + 1, 0), days_in_year


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def sustainability(forums: QuerySet[Forum], *, today: date | None = None) -> Sustainability:
    """Meetings held against expected per year (pro rata for the days each
    forum existed), average attendance (members present and others) per
    half-year, members who joined and left per year, and today's members by
    gender, community and age [Evaluation 5]. A fixed handful of queries."""
    today = today or timezone.localdate()
    rows = list(forums.values_list("pk", "established_on", "dissolved_on", "meetings_per_year"))
    figures = Sustainability()
    if not rows:
        return figures
    ids = [pk for pk, *_rest in rows]
    first_year = max(min(r[1] for r in rows).year, today.year - SUSTAINABILITY_YEARS + 1)
    years = {y: YearFigures(y) for y in range(first_year, today.year + 1)}
    for _pk, established, dissolved, per_year in rows:
        for year, figure in years.items():
            active, days = _active_days(established, dissolved, year, today)
            figure.expected += per_year * active / days
    held = Meeting.objects.filter(forum_id__in=ids, status=MeetingStatus.HELD)
    for year, count in (
        held.annotate(y=ExtractYear("starts_at")).values("y").annotate(n=Count("pk")).values_list("y", "n")
    ):
        if year in years:
            years[year].held = count
    members = ForumMember.objects.filter(forum_id__in=ids)
    for source, attribute in (("term_start", "joined"), ("term_end", "left")):
        counted = (
            members.filter(**{f"{source}__isnull": False})
            .annotate(y=ExtractYear(source))
            .values("y")
            .annotate(n=Count("pk"))
            .values_list("y", "n")
        )
        for year, count in counted:
            if year in years:
                setattr(years[year], attribute, count)
    figures.years = list(years.values())
    figures.attendance = attendance_per_half_year(held, half_years(date(first_year, 1, 1), today))
    current = members.current(today)
    gender_counts: dict[str, int] = {}
    for attribute, column, choices in (
        ("by_gender", "gender", Gender.choices),
        ("by_community", "community", Community.choices),
        ("by_age", "age_band", [("", _("Not recorded")), *AgeBand.choices]),
    ):
        counts = dict(current.values(column).annotate(n=Count("pk")).values_list(column, "n"))
        if column == "gender":
            gender_counts = counts
        order = [value for value, _label_text in choices]
        setattr(
            figures,
            attribute,
            [(_label(choices, value), counts[value]) for value in order if counts.get(value)],
        )
    figures.members_now = sum(gender_counts.values())
    figures.women_now = gender_counts.get(Gender.FEMALE, 0)
    return figures


def forum_sustainability(forum: Forum, *, today: date | None = None) -> Sustainability:
    """The sustainability figures of one forum (already checked visible)."""
    return sustainability(Forum.objects.filter(pk=forum.pk), today=today)


def attendance_per_half_year(held: QuerySet[Meeting], periods: list[Period]) -> list[AttendancePoint]:
    """Average attendance per half-year, in two queries: meetings and other
    attendees per period, and members ticked present per period."""
    aggregates: dict[str, Any] = {}
    for i, period in enumerate(periods):
        start, end = period.bounds
        within = Q(starts_at__gte=start, starts_at__lt=end)
        aggregates[f"n{i}"] = Count("pk", filter=within)
        aggregates[f"o{i}"] = Sum("other_attendees", filter=within)
    totals = held.aggregate(**aggregates) if periods else {}
    present = count_per_period(
        Meeting.members_present.through.objects.filter(meeting__in=held), "meeting__starts_at", periods
    )
    points = []
    for i, period in enumerate(periods):
        meetings = totals.get(f"n{i}") or 0
        people = present[i] + (totals.get(f"o{i}") or 0)
        points.append(AttendancePoint(period, meetings, round(people / meetings, 1) if meetings else None))
    return points
