"""Indicators that count themselves. The registry maps an indicator's
`source` key to a count over other apps' selectors, per half-year and per
place. An indicator whose source is blank, or names a source not
registered yet, takes values entered by hand; registering a source later
turns it into a counted one with no change to the plan's data.

Manual values are plan-wide; a place filter narrows counted indicators
only."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cpis.complaints import selectors as complaints
from cpis.concerns import selectors as concerns
from cpis.core.periods import Period
from cpis.forums import selectors as forums
from cpis.organisation import selectors as organisation
from cpis.outreach import selectors as outreach
from cpis.partners import selectors as partners
from cpis.problems.selectors import counts as problems
from cpis.reporting import selectors as reporting
from cpis.surveys.selectors import public as surveys
from cpis.training import selectors as training

from .models import Acknowledgement, Indicator, IndicatorValue, Plan

Counter = Callable[[Plan, list[Period], str], list[float | None]]


@dataclass(frozen=True)
class Source:
    key: str
    label: Promise
    count: Counter


def _ints(counter: Callable[..., list[int]]) -> Counter:
    def count(plan: Plan, periods: list[Period], path: str) -> list[float | None]:
        return [float(n) for n in counter(periods, path=path)]

    return count


def _officers_informed(plan: Plan, periods: list[Period], path: str) -> list[float | None]:
    """Share of officers with an account who confirmed reading the strategy by
    the end of each period [1.4.3]. One count and one aggregate query."""
    officers = organisation.officer_user_ids(path=path)
    total = officers.count()
    if not total:
        return [None for _period in periods]
    acknowledgements = Acknowledgement.objects.filter(plan=plan, user_id__in=officers)
    counts = acknowledgements.aggregate(
        **{f"p{i}": Count("pk", filter=Q(at__lt=period.bounds[1])) for i, period in enumerate(periods)}
    )
    return [round(100.0 * (counts[f"p{i}"] or 0) / total, 1) for i in range(len(periods))]


#: The counted indicators of each app: the count's name (its selector is `count_<name>`, its
#: source key `<app>.<name>`) and label. Numbers in brackets are the strategy's activities.
_COUNTED: dict[ModuleType, dict[str, Promise]] = {
    concerns: {
        "received": _("Concerns received through every channel"),
        "outcome_returned": _("Concerns whose reporter was told the outcome"),
        "reported_by_officers": _("Concerns officers entered for citizens (phone, in person, forum)"),
    },
    complaints: {"outcome_returned": _("Complaints whose complainant was told the decision")},
    organisation: {"community_officers": _("Officers serving in a sector at the end of the period")},
    # Forums [2.1.4, 2.4.1–2.4.12, 3.2.1].
    forums: {
        "meetings_held": _("Forum meetings held"),
        "executive_councils": _("LPSC executive council meetings"),
        "forums_established": _("Forums established"),
        "sites_identified": _("Sites identified for a new LPSC"),
        "trainers_involved": _("Forum members engaged as trainers"),
        "tension_reports": _("Community tension reports"),
        "press_releases": _("Press releases published"),
    },
    # Partners [2.1.1–2.2.3].
    partners: {
        "partners_identified": _("Partners identified"),
        "agreements_signed": _("Agreements and memoranda signed"),
        "volunteers_active": _("Active volunteers"),
        "recognitions": _("Recognitions awarded"),
    },
    # Outreach [1.4.1, 2.3.1–2.3.8, 2.4.7, 2.4.13].
    outreach: {
        "lectures": _("Lectures in schools"),
        "public_contacts": _("Sector leaders' public contacts"),
        "ngo_meetings": _("Meetings with NGOs and the community"),
        "presentations": _("Presentations of the ways to reach the police"),
        "media_appearances": _("Media appearances"),
        "campaigns": _("Awareness campaigns"),
        "open_day_visitors": _("Open day visitors"),
        "promotional_activities": _("Promotional activities of every kind"),
    },
    # Training [1.3.3–1.3.10].
    training: {
        "trainers": _("Trainers identified and prepared"),
        "courses_delivered": _("Courses delivered"),
        "study_visits": _("Study visits"),
    },
    # Problem solving [2.5.3, 3.1.2, 3.1.3, 3.2.4, 3.2.5].
    problems: {
        "priorities_from_concerns": _("Agreed sector priorities raised by citizens' concerns"),
        "community_in_problem_solving": _("Citizens, partners and forums who joined a problem's team"),
        "vulnerable_identified": _("Vulnerable persons and groups identified, with an appointed officer"),
        "priorities_agreed": _("Sector priorities agreed"),
        "solved_problems": _("Problems closed as solved or reduced"),
    },
    # Reporting chain [2.4.4].
    reporting: {"reports_submitted": _("Forum and partner reports produced")},
}


def _perceived(item: str) -> Counter:
    """The share of residents saying so in the perception surveys [Evaluation 4], as a
    percentage: the estimate of the latest wave that ended in the half-year and covers
    the place (the country when no place is chosen); none when suppressed."""

    def count(plan: Plan, periods: list[Period], path: str) -> list[float | None]:
        return surveys.perception_series(item, periods, path=path)

    return count


#: The perception survey's items counted as indicators (source key `surveys.<item>`).
_PERCEIVED: dict[str, Promise] = {
    "safe_dark": _("Residents who feel safe walking alone in their area after dark (%, survey)"),
    "confidence": _("Residents who have confidence in the police in their area (%, survey)"),
    "know_officer": _("Residents who know the police officer of their neighbourhood (%, survey)"),
    "forum_aware": _("Residents who have heard of the community safety forum in their area (%, survey)"),
}


def _app(selectors: ModuleType) -> str:
    return selectors.__name__.split(".")[1]  # cpis.<app>.selectors


REGISTRY: dict[str, Source] = {
    source.key: source
    for source in [
        *(
            Source(f"{_app(selectors)}.{name}", label, _ints(getattr(selectors, f"count_{name}")))
            for selectors, counts in _COUNTED.items()
            for name, label in counts.items()
        ),
        *(Source(f"surveys.{item}", label, _perceived(item)) for item, label in _PERCEIVED.items()),
        Source(
            "plans.officers_informed",
            _("Officers with an account who confirmed they were informed of the strategy (%)"),
            _officers_informed,
        ),
    ]
}


def is_computed(indicator: Indicator) -> bool:
    return indicator.source in REGISTRY


def manual_values(
    indicators: Iterable[Indicator], periods: list[Period]
) -> dict[tuple[int, object], Decimal]:
    """The latest hand-entered value per (indicator id, period start), one query."""
    ids = [i.pk for i in indicators]
    starts = [p.start for p in periods]
    latest: dict[tuple[int, object], Decimal] = {}
    rows = (
        IndicatorValue.objects.filter(Q(indicator_id__in=ids) & Q(period_start__in=starts))
        .order_by("indicator_id", "period_start", "entered_at", "id")
        .values_list("indicator_id", "period_start", "value")
    )
    for indicator_id, start, value in rows:
        latest[(indicator_id, start)] = value  # later rows overwrite earlier ones
    return latest


def series(
    plan: Plan, indicators: list[Indicator], periods: list[Period], *, path: str = ""
) -> dict[int, list[float | None]]:
    """Values per period for each indicator: counted where a source is
    registered (one query per source, shared by indicators on the same
    source), else the latest manual value."""
    counted: dict[str, list[float | None]] = {}
    manual = manual_values([i for i in indicators if not is_computed(i)], periods)
    result: dict[int, list[float | None]] = {}
    for indicator in indicators:
        if is_computed(indicator):
            if indicator.source not in counted:
                counted[indicator.source] = REGISTRY[indicator.source].count(plan, periods, path)
            result[indicator.pk] = counted[indicator.source]
        else:
            values = [manual.get((indicator.pk, p.start)) for p in periods]
            result[indicator.pk] = [float(v) if v is not None else None for v in values]
    return result
