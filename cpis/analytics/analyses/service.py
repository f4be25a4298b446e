"""Service statistics [Evaluation 1]: how fast and how well the police answer
citizens' concerns in a place, per place one level down, by month, and against
the same period a year earlier.

The cohort is the concerns received in the period (`concerns.service_times`).
*First contact* is the first reply or status change a member of staff made (what the
citizen sees with the tracking code); *closure* is the concern's closing (resolved,
referred or rejected; a concern reopened and closed again counts from its last
closing). Both are durations from receipt, summarised as distributions
(quartiles, 90th percentile, the distribution function and a histogram), never
as averages. A concern with no first contact or no closure yet is right-censored
at the moment the figures are made (`as_of`): the Kaplan–Meier estimate
(`stats.service`) counts it as "at least this long", and the page says how many
there are.

*Within due time*: closed no later than the category's due time (`Category.due_days`)
after receipt; a concern still open past it is late; one still open and not yet
due is not decided and is left out of the share (counted apart).

*Reporters' satisfaction*: their answers after closure ("is it resolved?", one
per closing) to concerns of the cohort, and the counted questionnaires after a
concern (surveys) answered in the period whose item "I am satisfied with how the
police handled my report" is 4 or 5 of 5.

*Workload*: community officers serving in the place's sectors today
(organisation's assignments) against the concerns received and the incidents that
occurred in the period there.

*A year earlier*: the same dates a year before, with the same follow-up (the
figures as they stood a year before `as_of`), so that last year's concerns have
not had a year longer to close. The within-due shares are compared with Newcombe's
interval of their difference, the first-contact and closure times with the
log-rank test (the censored analogue of comparing the distributions)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.utils import timezone

from cpis.concerns import selectors as concerns
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.selectors import count_officers_by_sector
from cpis.surveys.models import Response
from cpis.surveys.models.responses import Channel as ResponseChannel

from ..policy import policy
from ..selectors import child_places, sector_to_child, today
from ..stats.service import Durations, logrank_p, newcombe, summarise, wilson

HOUR, DAY = 3600.0, 86400.0
# Histogram bins (the lower edges; the last bin is open-ended).
FIRST_CONTACT_EDGES_H = (0.0, 1.0, 4.0, 8.0, 24.0, 48.0, 72.0, 168.0)
CLOSURE_EDGES_D = (0.0, 1.0, 3.0, 7.0, 14.0, 30.0, 60.0, 90.0)
SATISFIED_FROM = 4  # "agree" or "strongly agree" on the 1–5 scale
SATISFACTION_ITEM = "handled_well"


@dataclass(frozen=True)
class Share:
    k: int
    n: int

    @property
    def share(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.k, self.n)

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def percent_interval(self) -> tuple[float, float] | None:
        interval = self.interval
        return None if interval is None else (100 * interval[0], 100 * interval[1])


@dataclass(frozen=True)
class PlaceService:
    """The service figures of one place (or of the whole scope)."""

    unit: Unit | None  # None: concerns held at the place itself, in no place below
    received: int
    first_contact: Durations  # hours
    closure: Durations  # days
    within_due: Share
    not_yet_due: int
    reporters_resolved: Share  # "resolved" answers among the answers after closure
    survey_satisfied: Share  # satisfied among the questionnaires after a concern
    officers: int
    incidents: int

    @property
    def concerns_per_officer(self) -> float | None:
        return self.received / self.officers if self.officers else None

    @property
    def incidents_per_officer(self) -> float | None:
        return self.incidents / self.officers if self.officers else None


@dataclass(frozen=True)
class MonthService:
    month: date
    received: int
    first_contact: Durations
    closure: Durations
    within_due: Share
    reporters_resolved: Share


@dataclass(frozen=True)
class Comparison:
    """This period against the same dates a year earlier (same follow-up)."""

    start: date
    end: date
    as_of: datetime
    previous: PlaceService
    within_due_difference: tuple[float, float, float] | None  # now − then, low, high

    @property
    def difference_points(self) -> tuple[float, float, float] | None:
        """The within-due difference and its interval in percentage points."""
        d = self.within_due_difference
        return None if d is None else (100 * d[0], 100 * d[1], 100 * d[2])

    first_contact_p: float | None  # log-rank
    closure_p: float | None


@dataclass(frozen=True)
class ServiceReport:
    unit: Unit
    start: date
    end: date
    as_of: datetime
    total: PlaceService
    places: list[PlaceService]
    months: list[MonthService]
    comparison: Comparison
    late_open: list[int]  # ids of concerns open past their due time, longest waiting first
    no_contact: list[int]  # ids of concerns with no first contact yet, longest waiting first


@dataclass(frozen=True)
class _Cohort:
    """A cohort's durations at `as_of`: hours to first contact and days to closure,
    each with whether it is observed, and each concern's within-due verdict
    (1 within, 0 late, −1 not decided)."""

    times: concerns.ServiceTimes
    as_of: float
    contact_h: np.ndarray
    contact_seen: np.ndarray
    closure_d: np.ndarray
    closure_seen: np.ndarray
    within: np.ndarray
    answered: np.ndarray  # answer rows given by as_of


def _cohort(times: concerns.ServiceTimes, as_of: float) -> _Cohort:
    received = times.received
    waited = np.maximum(as_of - received, 0.0)
    contact_seen = ~np.isnan(times.first_contact) & (times.first_contact <= as_of)
    closure_seen = ~np.isnan(times.closed) & (times.closed <= as_of)
    contact = np.where(contact_seen, times.first_contact - received, waited)
    closure = np.where(closure_seen, times.closed - received, waited)
    due = times.due_days * DAY
    within = np.where(closure_seen, (closure <= due).astype(np.int8), np.where(waited > due, 0, -1))
    return _Cohort(
        times=times,
        as_of=as_of,
        contact_h=np.maximum(contact, 0.0) / HOUR,
        contact_seen=contact_seen,
        closure_d=np.maximum(closure, 0.0) / DAY,
        closure_seen=closure_seen,
        within=within.astype(np.int8),
        answered=times.answer_at <= as_of,
    )


def _survey(unit: Unit, start: date, end: date) -> list[tuple[str, bool]]:
    """(sector path, satisfied) of each counted questionnaire after a concern
    answered in the period under the place that answers the satisfaction item."""
    zone = timezone.get_current_timezone()
    rows = (
        Response.objects.counted()
        .filter(
            channel=ResponseChannel.AFTER_CONCERN,
            sector__path__startswith=unit.path,
            submitted_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=zone),
            submitted_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone),
        )
        .order_by()
        .values_list("sector__path", "answers")
    )
    found = []
    for path, answers in rows:
        value = (answers or {}).get(SATISFACTION_ITEM)
        if value is None:
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            continue
        found.append((path, score >= SATISFIED_FROM))
    return found


def _place(
    cohort: _Cohort,
    rows: np.ndarray,
    *,
    unit: Unit | None,
    survey: Iterable[bool],
    officers: int,
    incidents: int,
) -> PlaceService:
    """The figures of the concerns at `rows` (a boolean mask of the cohort)."""
    within = cohort.within[rows]
    answer_mask = rows[cohort.times.answer_row] & cohort.answered
    satisfied = list(survey)
    return PlaceService(
        unit=unit,
        received=int(rows.sum()),
        first_contact=summarise(cohort.contact_h[rows], cohort.contact_seen[rows], FIRST_CONTACT_EDGES_H),
        closure=summarise(cohort.closure_d[rows], cohort.closure_seen[rows], CLOSURE_EDGES_D),
        within_due=Share(int((within == 1).sum()), int((within >= 0).sum())),
        not_yet_due=int((within < 0).sum()),
        reporters_resolved=Share(
            int(cohort.times.answer_resolved[answer_mask].sum()), int(answer_mask.sum())
        ),
        survey_satisfied=Share(sum(satisfied), len(satisfied)),
        officers=officers,
        incidents=incidents,
    )


def _shift_year(day: date, years: int = -1) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _longest_waiting(cohort: _Cohort, mask: np.ndarray, limit: int) -> list[int]:
    order = np.argsort(cohort.times.received[mask], kind="stable")[:limit]
    return [int(i) for i in cohort.times.id[mask][order]]


def service_statistics(
    actor: Actor,
    *,
    unit: Unit,
    start: date | None = None,
    end: date | None = None,
    as_of: datetime | None = None,
    records: int = 50,
) -> ServiceReport:
    """The service statistics of a place for the concerns received from `start` to
    `end` (the last 365 days by default), as they stand at `as_of` (now): the
    place's figures, each place one level down, each month, and a year earlier.
    Needs `view` at the place; reads only the concerns the actor may see."""
    policy.require(actor, "view", unit.path)
    end = end or today()
    start = start or end - timedelta(days=364)
    as_of = as_of or timezone.now()
    children = child_places(unit)
    before_start, before_end = _shift_year(start), _shift_year(end)
    both = concerns.service_times(
        actor, path=unit.path, start=start, end=end, also=(before_start, before_end)
    )
    times = both.subset(both.period == 0)
    cohort = _cohort(times, as_of.timestamp())

    # Which place one level down each concern is in (−1: at the place itself).
    def child_of(path: str) -> int:
        return next((i for i, child in enumerate(children) if path.startswith(child.path)), -1)

    by_path = {path: child_of(path) for path in set(times.unit_path)}
    child = np.fromiter((by_path[p] for p in times.unit_path), dtype=np.int64, count=len(times))
    sectors = sector_to_child(unit, children)
    officers = [0] * len(children)
    for sector_id, n in count_officers_by_sector(path=unit.path).items():
        if sector_id in sectors:
            officers[sectors[sector_id]] += n
    incident_counts = [0] * len(children)
    for sector_id, n in incidents.count_incidents_by_sector(
        actor, path=unit.path, start=start, end=end
    ).items():
        if sector_id in sectors:
            incident_counts[sectors[sector_id]] += n
    survey = _survey(unit, start, end)
    survey_child = [(child_of(path), satisfied) for path, satisfied in survey]

    total = _place(
        cohort,
        np.ones(len(times), dtype=bool),
        unit=unit,
        survey=(s for _, s in survey),
        officers=sum(officers),
        incidents=sum(incident_counts),
    )
    places = [
        _place(
            cohort,
            child == index,
            unit=place,
            survey=(s for c, s in survey_child if c == index),
            officers=officers[index],
            incidents=incident_counts[index],
        )
        for index, place in enumerate(children)
        if place.pk != unit.pk
    ]
    if unit.kind != UnitKind.SECTOR and (child == -1).any():
        places.append(_place(cohort, child == -1, unit=None, survey=(), officers=0, incidents=0))

    months = []
    month_numbers = range(start.year * 12 + start.month - 1, end.year * 12 + end.month)
    for number in month_numbers:
        mask = times.month == number
        figures = _place(cohort, mask, unit=unit, survey=(), officers=0, incidents=0)
        months.append(
            MonthService(
                month=date(number // 12, number % 12 + 1, 1),
                received=figures.received,
                first_contact=figures.first_contact,
                closure=figures.closure,
                within_due=figures.within_due,
                reporters_resolved=figures.reporters_resolved,
            )
        )

    before_as_of = as_of - timedelta(days=(start - before_start).days)
    before_times = both.subset(both.period == 1)
    before = _cohort(before_times, before_as_of.timestamp())
    previous = _place(
        before,
        np.ones(len(before_times), dtype=bool),
        unit=unit,
        survey=(s for _, s in _survey(unit, before_start, before_end)),
        officers=total.officers,
        incidents=sum(
            incidents.count_incidents_by_sector(
                actor, path=unit.path, start=before_start, end=before_end
            ).values()
        ),
    )
    comparison = Comparison(
        start=before_start,
        end=before_end,
        as_of=before_as_of,
        previous=previous,
        within_due_difference=newcombe(
            total.within_due.k, total.within_due.n, previous.within_due.k, previous.within_due.n
        ),
        first_contact_p=logrank_p(
            cohort.contact_h, cohort.contact_seen, before.contact_h, before.contact_seen
        ),
        closure_p=logrank_p(cohort.closure_d, cohort.closure_seen, before.closure_d, before.closure_seen),
    )
    return ServiceReport(
        unit=unit,
        start=start,
        end=end,
        as_of=as_of,
        total=total,
        places=places,
        months=months,
        comparison=comparison,
        late_open=_longest_waiting(cohort, ~cohort.closure_seen & (cohort.within == 0), records),
        no_contact=_longest_waiting(cohort, ~cohort.contact_seen, records),
    )


def service_rows(report: ServiceReport) -> tuple[list[str], list[list[Any]]]:
    """The report's places (the place itself first) as a table: the CSV download's
    columns, stable names in English, numbers rounded."""
    header = [
        "place", "received", "first_contact_n", "first_contact_still_waiting",
        "first_contact_q25_h", "first_contact_median_h", "first_contact_q75_h", "first_contact_p90_h",
        "closure_closed", "closure_still_open", "closure_q25_d", "closure_median_d", "closure_q75_d",
        "closure_p90_d", "within_due", "decided", "within_due_share", "not_yet_due",
        "reporters_resolved", "reporters_answered", "survey_satisfied", "survey_answered",
        "officers_today", "incidents", "concerns_per_officer", "incidents_per_officer",
    ]  # fmt: skip

    def r(value: float | None, digits: int = 2) -> float | None:
        return None if value is None else round(value, digits)

    rows = []
    for place in [report.total, *report.places]:
        f, c = place.first_contact, place.closure
        rows.append(
            [
                place.unit.name if place.unit is not None else "-",
                place.received, f.events, f.censored, r(f.q25), r(f.median), r(f.q75), r(f.p90),
                c.events, c.censored, r(c.q25), r(c.median), r(c.q75), r(c.p90),
                place.within_due.k, place.within_due.n, r(place.within_due.share, 4), place.not_yet_due,
                place.reporters_resolved.k, place.reporters_resolved.n,
                place.survey_satisfied.k, place.survey_satisfied.n,
                place.officers, place.incidents,
                r(place.concerns_per_officer), r(place.incidents_per_officer),
            ]
        )  # fmt: skip
    return header, rows
