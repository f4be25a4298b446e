"""Trends of a place: CompStat comparisons per category, weekly counts
against their Poisson band, EWMA and CUSUM alarms per category × place one
level down, and the five-year trend (kernels in `stats/trends.py`)."""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.points import Points
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..selectors import Category, Scope, child_places, list_categories, load_points, sector_to_child, today
from .common import category_index
from .files import FileEvents

if TYPE_CHECKING:  # the kernels (numba) load with the first analysis, not with the URL map
    from ..stats.trends import PeriodComparison


@dataclass(frozen=True)
class Change:
    now: int
    before: float
    percent: float | None
    z: float

    @property
    def direction(self) -> str:
        """ "up" or "down" when the Poisson z passes ±2, the usual line for a notable change."""
        if self.z >= 2:
            return "up"
        if self.z <= -2:
            return "down"
        return ""


@dataclass(frozen=True)
class TrendRow:
    category: Category | None  # None: all categories
    week: Change
    days28: Change
    ytd: Change
    years: list[int]  # counts per year of the five-year chart


@dataclass(frozen=True)
class Alert:
    category: Category
    place: Unit
    week_start: date
    week_end: date
    count: int
    baseline: float
    method: str  # "EWMA" or "CUSUM"


@dataclass(frozen=True)
class TrendReport:
    scope: Any  # the Scope analysed; None for a file's events
    today: date
    rows: list[TrendRow]
    total: TrendRow
    years: list[int]
    week_starts: list[date]
    weekly: list[int]
    lower: list[float]
    upper: list[float]
    weekly_alarm: list[bool]
    alerts: list[Alert]
    annual_change: float | None  # average yearly change over the five years (fraction)

    def rows_for_export(self) -> Iterator[list[Any]]:
        for row in [*self.rows, self.total]:
            name = row.category.name if row.category else _("All categories")
            for label, change in (
                (_("Last 7 days"), row.week),
                (_("Last 28 days"), row.days28),
                (_("Year to date"), row.ytd),
            ):
                yield [name, label, change.now, round(change.before, 2), change.percent, round(change.z, 2)]


def changes(comparison: "PeriodComparison", group: int) -> tuple[Change, Change, Change]:
    def one(column: int) -> Change:
        percent = float(comparison.percent_change[group, column])
        return Change(
            now=int(comparison.now[group, column]),
            before=float(comparison.before[group, column]),
            percent=None if math.isnan(percent) else percent,
            z=float(comparison.z[group, column]),
        )

    return one(0), one(1), one(2)


WEEKS_SHOWN = 52
WEEKS_LOADED = 2 * 52 + 8  # a year's baseline for the alarm charts, and the weeks shown


def trends(actor: Actor, scope: Scope, *, on: date | None = None) -> TrendReport:
    """CompStat comparisons per category, weekly counts against their 8-week
    Poisson band, EWMA and CUSUM alarms per category × place one level down,
    and the five-year trend (the last five full years and this year to date)."""
    on = on or scope.end or today()
    first_year = on.year - 5
    start = min(date(first_year, 1, 1), on - timedelta(days=7 * WEEKS_LOADED))
    points = load_points(actor, scope.with_dates(start, on), counts_only=True)
    categories = list_categories(scope.subject)
    if scope.categories:
        categories = [c for c in categories if c.code in scope.categories]
    cat = category_index(points, categories)
    day = points.day.astype(np.int64)
    alerts = _alerts(points, cat, categories, scope.unit, day, on.toordinal())
    return _report(day, cat, categories, on, scope, alerts)


def trends_of_file(events: FileEvents, *, on: date | None = None) -> TrendReport:
    """The comparisons, weekly band and five-year trend of the events read from
    a file (`files.read_events`), per category as the file writes them, up to
    `on` (the last event's day by default). The alarms per place need the
    organisation's places, so a file's report has none. No database is read."""
    if not len(events):
        raise InvalidInput(_("The file has no usable events."))
    on = on or date.fromordinal(int(events.day.max()))
    labels = list(dict.fromkeys(events.category))
    categories = [Category(id=i, code=label or "-", name=label or "-") for i, label in enumerate(labels)]
    points = events.points()
    inside = points.day <= on.toordinal()
    day = points.day[inside].astype(np.int64)
    return _report(day, points.category[inside].astype(np.int64), categories, on, None, [])


def _report(
    day: np.ndarray,
    cat: np.ndarray,
    categories: list[Category],
    on: date,
    scope: Scope | None,
    alerts: list["Alert"],
) -> TrendReport:
    from ..stats import trends as trend_stats

    first_year = on.year - 5
    n_cat = len(categories)

    comparison = trend_stats.compare_periods(day, np.where(cat >= 0, cat, -1), n_cat, today=on)
    overall = trend_stats.compare_periods(day, None, today=on)
    yearly = trend_stats.yearly_trend(
        day, np.where(cat >= 0, cat, -1), first_year=first_year, last_year=on.year, n_groups=n_cat
    )
    yearly_total = trend_stats.yearly_trend(day, first_year=first_year, last_year=on.year)
    rows = [
        TrendRow(category, *changes(comparison, index), [int(v) for v in yearly.counts[index]])
        for index, category in enumerate(categories)
    ]
    total = TrendRow(None, *changes(overall, 0), [int(v) for v in yearly_total.counts[0]])

    end_day = on.toordinal()
    weekly_all = trend_stats.weekly_counts(day, None, end_day=end_day, weeks=WEEKS_LOADED)
    bands = trend_stats.weekly_bands(weekly_all, window=8, z=3.0)
    week_starts = [date.fromordinal(end_day - 7 * (WEEKS_LOADED - j) + 1) for j in range(WEEKS_LOADED)]

    shown = slice(WEEKS_LOADED - WEEKS_SHOWN, WEEKS_LOADED)
    # The five-year slope over full years only: this year is not over.
    full_years = trend_stats.yearly_trend(day, first_year=first_year, last_year=on.year - 1)
    annual = float(full_years.annual_change[0])
    return TrendReport(
        scope=scope,
        today=on,
        rows=rows,
        total=total,
        years=[int(y) for y in yearly_total.years],
        week_starts=week_starts[shown],
        weekly=[int(v) for v in weekly_all[0, shown]],
        lower=[float(v) for v in bands.lower[0, shown]],
        upper=[float(v) for v in bands.upper[0, shown]],
        weekly_alarm=[bool(v) for v in bands.above[0, shown]],
        alerts=alerts,
        annual_change=None if not math.isfinite(annual) else annual,
    )


ALERT_WEEKS = 8  # alarms of the last eight weeks are listed


def _alerts(
    points: Points, cat: np.ndarray, categories: list[Category], unit: Unit, day: np.ndarray, end_day: int
) -> list[Alert]:
    """EWMA and CUSUM alarms per category × place one level down × week."""
    from ..stats import trends as trend_stats

    children = child_places(unit)
    if not children or not categories:
        return []
    to_child = sector_to_child(unit, children)
    lookup = np.full(max([*to_child.keys(), int(points.sector.max(initial=0)), 0]) + 2, -1)
    for sector_id, index in to_child.items():
        lookup[sector_id] = index
    child = np.where(points.sector >= 0, lookup[np.clip(points.sector, 0, None)], -1)
    n_children = len(children)
    groups = np.where((cat >= 0) & (child >= 0), cat * n_children + child, -1)
    counts = trend_stats.weekly_counts(
        day, groups, len(categories) * n_children, end_day=end_day, weeks=WEEKS_LOADED
    )
    found: list[Alert] = []
    for method, chart in (
        ("EWMA", trend_stats.ewma_alerts(counts)),
        ("CUSUM", trend_stats.cusum_alerts(counts)),
    ):
        recent = chart.alarm[:, -ALERT_WEEKS:]
        for group, week in zip(*np.nonzero(recent), strict=True):
            column = WEEKS_LOADED - ALERT_WEEKS + int(week)
            last = end_day - 7 * (WEEKS_LOADED - column - 1)
            found.append(
                Alert(
                    category=categories[int(group) // n_children],
                    place=children[int(group) % n_children],
                    week_start=date.fromordinal(last - 6),
                    week_end=date.fromordinal(last),
                    count=int(counts[group, column]),
                    baseline=float(chart.baseline[group, column]),
                    method=method,
                )
            )
    # One line per category, place and week: the EWMA and CUSUM may both fire.
    unique: dict[tuple[int, int, date], Alert] = {}
    for alert in found:
        key = (alert.category.id, alert.place.pk, alert.week_start)
        if key in unique:
            unique[key] = Alert(**{**alert.__dict__, "method": "EWMA + CUSUM"})
        else:
            unique[key] = alert
    return sorted(unique.values(), key=lambda a: (-a.week_start.toordinal(), -(a.count - a.baseline)))
