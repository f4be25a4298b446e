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
from cpis.reporting import selectors as reporting
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


REGISTRY: dict[str, Source] = {
    source.key: source
    for source in [
        Source(
            "concerns.received",
            _("Concerns received through every channel"),
            _ints(concerns.count_received),
        ),
        Source(
            "concerns.outcome_returned",
            _("Concerns whose reporter was told the outcome"),
            _ints(concerns.count_outcome_returned),
        ),
        Source(
            "concerns.reported_by_officers",
            _("Concerns officers entered for citizens (phone, in person, forum)"),
            _ints(concerns.count_reported_by_officers),
        ),
        Source(
            "complaints.outcome_returned",
            _("Complaints whose complainant was told the decision"),
            _ints(complaints.count_outcome_returned),
        ),
        Source(
            "organisation.community_officers",
            _("Officers serving in a sector at the end of the period"),
            _ints(organisation.count_community_officers),
        ),
        # Forums [2.1.4, 2.4.1–2.4.12, 3.2.1].
        Source("forums.meetings_held", _("Forum meetings held"), _ints(forums.count_meetings_held)),
        Source(
            "forums.executive_councils",
            _("LPSC executive council meetings"),
            _ints(forums.count_executive_councils),
        ),
        Source("forums.forums_established", _("Forums established"), _ints(forums.count_forums_established)),
        Source(
            "forums.sites_identified",
            _("Sites identified for a new LPSC"),
            _ints(forums.count_sites_identified),
        ),
        Source(
            "forums.trainers_involved",
            _("Forum members engaged as trainers"),
            _ints(forums.count_trainers_involved),
        ),
        Source("forums.tension_reports", _("Community tension reports"), _ints(forums.count_tension_reports)),
        Source("forums.press_releases", _("Press releases published"), _ints(forums.count_press_releases)),
        # Partners [2.1.1–2.2.3].
        Source(
            "partners.partners_identified",
            _("Partners identified"),
            _ints(partners.count_partners_identified),
        ),
        Source(
            "partners.agreements_signed",
            _("Agreements and memoranda signed"),
            _ints(partners.count_agreements_signed),
        ),
        Source("partners.volunteers_active", _("Active volunteers"), _ints(partners.count_volunteers_active)),
        Source("partners.recognitions", _("Recognitions awarded"), _ints(partners.count_recognitions)),
        # Outreach [1.4.1, 2.3.1–2.3.8, 2.4.7, 2.4.13].
        Source("outreach.lectures", _("Lectures in schools"), _ints(outreach.count_lectures)),
        Source(
            "outreach.public_contacts",
            _("Sector leaders' public contacts"),
            _ints(outreach.count_public_contacts),
        ),
        Source(
            "outreach.ngo_meetings",
            _("Meetings with NGOs and the community"),
            _ints(outreach.count_ngo_meetings),
        ),
        Source(
            "outreach.presentations",
            _("Presentations of the ways to reach the police"),
            _ints(outreach.count_presentations),
        ),
        Source("outreach.media_appearances", _("Media appearances"), _ints(outreach.count_media_appearances)),
        Source("outreach.campaigns", _("Awareness campaigns"), _ints(outreach.count_campaigns)),
        Source("outreach.open_day_visitors", _("Open day visitors"), _ints(outreach.count_open_day_visitors)),
        Source(
            "outreach.promotional_activities",
            _("Promotional activities of every kind"),
            _ints(outreach.count_promotional_activities),
        ),
        # Training [1.3.3–1.3.10].
        Source("training.trainers", _("Trainers identified and prepared"), _ints(training.count_trainers)),
        Source("training.courses_delivered", _("Courses delivered"), _ints(training.count_courses_delivered)),
        Source("training.study_visits", _("Study visits"), _ints(training.count_study_visits)),
        # Reporting chain [2.4.4].
        Source(
            "reporting.reports_submitted",
            _("Forum and partner reports produced"),
            _ints(reporting.count_reports_submitted),
        ),
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
