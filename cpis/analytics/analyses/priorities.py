"""The priorities of a sector: what its team should work on first, from the
data and from what citizens say, each with the reasons that put it there.

A category's score is the sum of the points of the rules below that apply to
it; each rule that applies gives one reason. The rules are a table so that
the working group can read and change the weights in one place [2.5, 3.2]."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..policy import policy
from ..selectors import Category, Scope, list_categories, load_points, today
from .common import category_index, grid_for, located
from .hotspots import HOTSPOT_DEFAULTS, hotspot_levels
from .trends import WEEKS_LOADED, Change, changes

if TYPE_CHECKING:
    from ..models import EmergingCluster

PRIORITY_HOTSPOT_PERMUTATIONS = 499
# A rise, or a hot cell, counts only with at least this many events: one against none is chance.
MIN_PRIORITY_COUNT = 5


@dataclass(frozen=True)
class Priority:
    subject: str
    category: Category
    score: float
    reasons: list[str]
    recent: int  # events in the last 28 days (incidents) or 90 days (concerns)


@dataclass(frozen=True)
class IncidentFacts:
    """What the rules read about one category of the sector's incidents."""

    days28: Change  # the last 28 days against the same days a year earlier
    ytd: Change  # the year to date against the same days a year earlier
    alarm: bool  # a weekly EWMA or CUSUM alarm in the last four weeks
    hot_cells: int  # hot spot cells of the sector (Gi*, 95 %, FDR)
    cluster: "EmergingCluster | None"  # an open emerging cluster
    year_count: int  # incidents of the last twelve months
    year_total: int  # incidents of every category in the last twelve months

    @property
    def recent(self) -> int:
        return self.days28.now


@dataclass(frozen=True)
class ConcernFacts:
    """What the rules read about one category of the sector's concerns."""

    now: int  # concerns of the last 90 days
    before: int  # concerns of the 90 days before
    z: float  # the Poisson z of now against before
    total: int  # concerns of every category in the last 90 days
    cluster: bool  # an open emerging cluster of these concerns

    @property
    def recent(self) -> int:
        return self.now


Facts = TypeVar("Facts", IncidentFacts, ConcernFacts)


@dataclass(frozen=True)
class Rule(Generic[Facts]):
    """One reason a category can be a priority: when it applies, the points it
    adds to the score, and the reason people read (translated)."""

    name: str
    applies: Callable[[Facts], bool]
    points: Callable[[Facts], float]
    reason: Callable[[Facts], str]


def _number(value: float) -> str:
    return number_format(value, 0 if float(value).is_integer() else 1)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _cluster_reason(facts: IncidentFacts) -> str:
    cluster = facts.cluster
    if cluster is None:  # the rule does not apply
        return ""
    return _(
        "An emerging cluster: %(observed)s incidents where %(expected)s were expected, %(start)s to %(end)s."
    ) % {
        "observed": cluster.observed,
        "expected": number_format(cluster.expected, 1),
        "start": cluster.start_date.isoformat(),
        "end": cluster.end_date.isoformat(),
    }


INCIDENT_RULES: tuple[Rule[IncidentFacts], ...] = (
    Rule(
        "rise in the last 28 days",
        applies=lambda f: f.days28.z >= 2 and f.days28.now >= MIN_PRIORITY_COUNT,
        points=lambda f: min(f.days28.z, 5.0),
        reason=lambda f: _(
            "%(now)s in the last 28 days against %(before)s on the same days last year (Poisson z %(z)s)."
        )
        % {"now": f.days28.now, "before": _number(f.days28.before), "z": number_format(f.days28.z, 1)},
    ),
    Rule(
        "rise in the year to date",
        applies=lambda f: f.ytd.z >= 2 and f.ytd.now >= MIN_PRIORITY_COUNT,
        points=lambda f: 1,
        reason=lambda f: _("%(now)s this year to date against %(before)s a year earlier.")
        % {"now": f.ytd.now, "before": _number(f.ytd.before)},
    ),
    Rule(
        "weekly alarm",
        applies=lambda f: f.alarm,
        points=lambda f: 2,
        reason=lambda f: _(
            "A weekly count rose above its usual level in the last four weeks (EWMA or CUSUM)."
        ),
    ),
    Rule(
        "hot spot cells",
        applies=lambda f: bool(f.hot_cells),
        points=lambda f: 1 + min(0.5 * f.hot_cells, 2.0),
        reason=lambda f: _(
            "%(cells)s hot spot cells in the sector over the last twelve months (Gi*, 95 %%, FDR)."
        )
        % {"cells": f.hot_cells},
    ),
    Rule(
        "emerging cluster",
        applies=lambda f: f.cluster is not None,
        points=lambda f: 3,
        reason=_cluster_reason,
    ),
    Rule(
        "large share of the sector's incidents",
        applies=lambda f: _share(f.year_count, f.year_total) >= 0.15 and f.year_count >= 10,
        points=lambda f: 1,
        reason=lambda f: _("%(share)s %% of the sector's incidents in the last twelve months.")
        % {"share": round(_share(f.year_count, f.year_total) * 100)},
    ),
)

CONCERN_RULES: tuple[Rule[ConcernFacts], ...] = (
    Rule(
        "rise in the last 90 days",
        applies=lambda f: f.now >= MIN_PRIORITY_COUNT and f.z >= 2,
        points=lambda f: min(f.z, 5.0),
        reason=lambda f: _(
            "Citizens raised %(now)s concerns about this in the last 90 days, "
            "against %(before)s in the 90 before."
        )
        % {"now": f.now, "before": f.before},
    ),
    Rule(
        "large share of the sector's concerns",
        applies=lambda f: _share(f.now, f.total) >= 0.2 and f.now >= MIN_PRIORITY_COUNT,
        points=lambda f: 1,
        reason=lambda f: _("%(share)s %% of the concerns citizens raised in the sector in the last 90 days.")
        % {"share": round(_share(f.now, f.total) * 100)},
    ),
    Rule(
        "emerging cluster",
        applies=lambda f: f.cluster,
        points=lambda f: 3,
        reason=lambda f: _("An emerging cluster of these concerns was found by the daily scan."),
    ),
)


def score(rules: tuple[Rule[Facts], ...], facts: Facts) -> tuple[float, list[str]]:
    """The sum of the points of the rules that apply, and their reasons in the table's order."""
    total, reasons = 0.0, []
    for rule in rules:
        if rule.applies(facts):
            total += rule.points(facts)
            reasons.append(rule.reason(facts))
    return total, reasons


def priorities(actor: Actor, sector: Unit, *, on: date | None = None, limit: int = 8) -> list[Priority]:
    """What the sector's team should work on first: the categories of
    incidents and of concerns that INCIDENT_RULES and CONCERN_RULES score
    above zero, highest first, each with its reasons."""
    from ..models import Subject

    policy.require(actor, "view", sector.path)
    on = on or today()
    found: list[Priority] = []
    for category, facts in _incident_facts(actor, sector, on):
        points, reasons = score(INCIDENT_RULES, facts)
        if points > 0:
            found.append(Priority(Subject.INCIDENTS, category, round(points, 1), reasons, facts.recent))
    for category, concern_facts in _concern_facts(actor, sector, on):
        points, reasons = score(CONCERN_RULES, concern_facts)
        if points > 0:
            found.append(
                Priority(Subject.CONCERNS, category, round(points, 1), reasons, concern_facts.recent)
            )
    found.sort(key=lambda p: (-p.score, p.category.name))
    return found[:limit]


def _open_clusters(sector: Unit, subject: str) -> dict[str, "EmergingCluster"]:
    from ..models import ClusterStatus, EmergingCluster

    return {
        c.category: c
        for c in EmergingCluster.objects.filter(
            path__startswith=sector.path, status=ClusterStatus.CANDIDATE, subject=subject
        )
    }


def _incident_facts(actor: Actor, sector: Unit, on: date) -> list[tuple[Category, IncidentFacts]]:
    """Per category of incidents: the rises on the last 28 days and the year to
    date, the weekly alarms of the last four weeks, the hot cells and open
    cluster of the sector, and its count and total over the last twelve months."""
    from ..models import Subject
    from ..stats import trends as trend_stats

    categories = list_categories(Subject.INCIDENTS)
    start = on - timedelta(days=2 * 365 + 7 * 12)
    points = load_points(actor, Scope(sector, Subject.INCIDENTS, start=start, end=on))
    day = points.day.astype(np.int64)
    cat = category_index(points, categories)
    n_cat = len(categories)
    comparison = trend_stats.compare_periods(day, cat, n_cat, today=on)
    weekly = trend_stats.weekly_counts(day, cat, n_cat, end_day=on.toordinal(), weeks=WEEKS_LOADED)
    recent_alarms = np.concatenate(
        [trend_stats.ewma_alerts(weekly).alarm[:, -4:], trend_stats.cusum_alerts(weekly).alarm[:, -4:]],
        axis=1,
    )
    alarm = np.asarray(recent_alarms.any(axis=1), dtype=bool)
    last_year = day >= on.toordinal() - 364
    year_counts = np.bincount(cat[last_year & (cat >= 0)], minlength=n_cat)
    year_total = int(year_counts.sum())
    hot = _hot_cells_by_category(actor, sector, categories, on, year_counts)
    clusters = _open_clusters(sector, Subject.INCIDENTS)
    found = []
    for index, category in enumerate(categories):
        _week, days28, ytd = changes(comparison, index)
        facts = IncidentFacts(
            days28=days28,
            ytd=ytd,
            alarm=bool(alarm[index]),
            hot_cells=hot.get(index, 0),
            cluster=clusters.get(category.code),
            year_count=year_counts[index],
            year_total=year_total,
        )
        found.append((category, facts))
    return found


def _concern_facts(actor: Actor, sector: Unit, on: date) -> list[tuple[Category, ConcernFacts]]:
    """Per category of concerns: the last 90 days against the 90 before, the
    sector's total of the last 90 days and whether a cluster is open."""
    from ..models import Subject
    from ..stats import trends as trend_stats

    categories = list_categories(Subject.CONCERNS)
    concerns = load_points(actor, Scope(sector, Subject.CONCERNS, start=on - timedelta(days=179), end=on))
    cat = category_index(concerns, categories)
    recent_mask = concerns.day >= on.toordinal() - 89
    recent = np.bincount(cat[recent_mask & (cat >= 0)], minlength=len(categories))
    earlier = np.bincount(cat[~recent_mask & (cat >= 0)], minlength=len(categories))
    z = trend_stats.poisson_z(recent, earlier)
    total = int(recent.sum())
    clusters = _open_clusters(sector, Subject.CONCERNS)
    return [
        (
            category,
            ConcernFacts(
                now=int(recent[index]),
                before=int(earlier[index]),
                z=float(z[index]),
                total=total,
                cluster=category.code in clusters,
            ),
        )
        for index, category in enumerate(categories)
    ]


def _widest_visible(actor: Actor, sector: Unit) -> Unit:
    """The sector's station when the actor may see it (hotspots need the
    neighbourhood around the sector), else the sector itself."""
    station = sector.parent
    if station is not None and policy.can(actor, "view", station.path):
        return station
    return sector


def _hot_cells_by_category(
    actor: Actor, sector: Unit, categories: list[Category], on: date, year_counts: np.ndarray
) -> dict[int, int]:
    """Per category index: hot cells (95 %, FDR) holding incidents of the sector,
    with Gi* computed over the station so that the neighbourhood counts."""
    from ..models import Subject
    from ..stats.hotspots import gi_star

    area = _widest_visible(actor, sector)
    scope = Scope(area, Subject.INCIDENTS, start=on - timedelta(days=364), end=on)
    points = located(actor, scope)
    if len(points) < 3:
        return {}
    try:
        grid, _projection, x, y = grid_for(points, HOTSPOT_DEFAULTS["cell"])
    except InvalidInput:  # the area is too large for a grid: no hot-spot reasons, the rest stands
        return {}
    rows, cols = grid.cell_of(x, y)
    cat = category_index(points, categories)
    in_sector = points.sector == sector.pk
    hot: dict[int, int] = {}
    for index in np.nonzero(year_counts >= 10)[0]:
        mine = cat == index
        counts = grid.bin(x[mine], y[mine])
        result = gi_star(counts, permutations=PRIORITY_HOTSPOT_PERMUTATIONS, seed=0)
        levels = hotspot_levels(result, 0.05)
        sector_cells = {
            (int(r), int(c)) for r, c in zip(rows[mine & in_sector], cols[mine & in_sector], strict=True)
        }
        n_hot = sum(1 for r, c in sector_cells if levels[r, c] >= 2 and counts[r, c] >= MIN_PRIORITY_COUNT)
        if n_hot:
            hot[int(index)] = n_hot
    return hot
