"""What was done at a place between two dates — problems opened and closed
(with their outcome), priorities agreed, forum meetings held, outreach — and
how concerns and recorded incidents moved there against the period of the same
length just before, sector by sector. The survey page of a place shows it
beside its scores, for the days since the previous wave (the surveys app only
links here: it sits below problems). Every count is of what the actor may see."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concerns
from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.core.periods import Period, within_years
from cpis.forums import selectors as forums
from cpis.forums.models import Meeting, MeetingStatus
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, station_path
from cpis.outreach.selectors import Filters as OutreachFilters
from cpis.outreach.selectors import KindTotal, totals_by_kind

from ..models import Outcome, PriorityStatus, Problem, SectorPriority
from ..policy import policy
from .priorities import visible_priorities
from .problems import visible_problems

# The longest period asked for: ten years (waves are a year or two apart).
MAX_DAYS = 3653
# How many records of each kind are listed (all are counted).
LISTED = 10


def get_place(actor: Actor, unit_id: int) -> Unit:
    """A unit of the actor's places (404 otherwise, 403 inside them without the right)."""
    unit = one_or_404(Unit.objects.select_related("parent"), pk=unit_id)
    policy.require(actor, "view", unit.path)
    return unit


def periods(since: date, until: date) -> tuple[Period, Period]:
    """The period asked for (both days included) and the one of the same length
    just before it; InvalidInput for a period that runs backwards or is too long."""
    within_years(since)
    within_years(until)
    if until < since:
        raise InvalidInput(_("The end of the period comes before its start."))
    days = (until - since).days + 1
    if days > MAX_DAYS:
        raise InvalidInput(_("Choose a period of ten years at the most."))
    return Period(since, until), Period(since - timedelta(days=days), since - timedelta(days=1))


@dataclass(frozen=True)
class Trend:
    """Concerns and recorded incidents in a sector: in the period, and in the
    period of the same length before it."""

    sector: Unit | None  # None: the place as a whole
    concerns: int
    concerns_before: int
    incidents: int
    incidents_before: int

    @property
    def concerns_change(self) -> int:
        return self.concerns - self.concerns_before

    @property
    def incidents_change(self) -> int:
        return self.incidents - self.incidents_before


@dataclass(frozen=True)
class OutcomeCount:
    outcome: str
    label: str
    count: int


@dataclass(frozen=True)
class Activity:
    place: Unit
    period: Period
    before: Period
    trends: list[Trend]
    total: Trend
    opened: list[Problem]
    opened_count: int
    closed: list[Problem]
    closed_count: int
    outcomes: list[OutcomeCount]
    priorities: list[SectorPriority]
    priorities_count: int
    meetings: list[Meeting]
    meetings_count: int
    outreach: list[KindTotal]
    outreach_total: KindTotal


def _serving(place: Unit) -> Q:
    """Forums at the place or inside it, and those above it up to its station
    (a station's forum serves its sectors)."""
    station = station_path(place.path)
    above = [path for path in place.ancestor_paths() if path.startswith(station)]
    return Q(forum__unit_path__startswith=place.path) | Q(forum__unit_path__in=above)


def _meetings(actor: Actor, place: Unit, period: Period) -> QuerySet[Meeting]:
    start, end = period.bounds
    return (
        forums.visible_meetings(actor)
        .filter(_serving(place), status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end)
        .select_related("forum")
        .order_by("-starts_at", "-id")
    )


def _trends(actor: Actor, place: Unit, period: Period, before: Period) -> tuple[list[Trend], Trend]:
    counts = [
        count(actor, path=place.path, start=p.start, end=p.end)
        for count in (concerns.count_concerns_by_sector, incidents.count_incidents_by_sector)
        for p in (period, before)
    ]
    sectors = list(Unit.objects.sectors().filter(path__startswith=place.path).order_by("path"))
    rows = [Trend(s, *(c.get(s.pk, 0) for c in counts)) for s in sectors]
    total = Trend(None, *(sum(c.values()) for c in counts))
    return rows, total


def place_activity(actor: Actor, place: Unit, *, since: date, until: date) -> Activity:
    """What was done at `place` from `since` to `until` (both included) that the
    actor may see, and the concern and incident trends of its sectors."""
    policy.require(actor, "view", place.path)
    period, before = periods(since, until)
    start, end = period.bounds
    problems = visible_problems(actor).filter(unit_path__startswith=place.path).select_related("unit")
    opened = problems.filter(created_at__gte=start, created_at__lt=end).order_by("-created_at", "-id")
    closed = problems.filter(closed_at__gte=start, closed_at__lt=end).order_by("-closed_at", "-id")
    by_outcome = dict(closed.order_by().values_list("outcome").annotate(n=Count("id")))
    priorities = (
        visible_priorities(actor)
        .filter(
            unit_path__startswith=place.path,
            status__in=(PriorityStatus.AGREED, PriorityStatus.RETIRED),
            agreed_on__gte=period.start,
            agreed_on__lte=period.end,
        )
        .select_related("unit")
        .order_by("-agreed_on", "rank", "id")
    )
    meetings = _meetings(actor, place, period)
    kinds, overall = totals_by_kind(actor, OutreachFilters(period=period, unit=place))
    trends, total = _trends(actor, place, period, before)
    return Activity(
        place=place,
        period=period,
        before=before,
        trends=trends,
        total=total,
        opened=list(opened[:LISTED]),
        opened_count=opened.count(),
        closed=list(closed[:LISTED]),
        closed_count=sum(by_outcome.values()),
        outcomes=[
            OutcomeCount(o.value, str(o.label), by_outcome[o.value])
            for o in Outcome
            if by_outcome.get(o.value)
        ],
        priorities=list(priorities[:LISTED]),
        priorities_count=priorities.count(),
        meetings=list(meetings[:LISTED]),
        meetings_count=meetings.count(),
        outreach=[k for k in kinds if k.activities],
        outreach_total=overall,
    )
