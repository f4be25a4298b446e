"""The analytics' elements of the six-monthly evaluation (core.evaluation):

1. officers' efficiency and effectiveness — the service statistics of the place;
3. deployment against crime trends — officers per place against its incidents.

Both are computed as the system (every record of the place) and aggregated: places
and counts, no officer, reporter or concern named. A share of fewer than
`MIN_ANSWERS` answers is left blank, so that no figure stands for one or two people."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.evaluation import Chart, Section, Series, Table
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from . import analyses
from .analyses.service import PlaceService, Share
from .selectors import child_places, sector_to_child

MIN_ANSWERS = 5
UNDER_STAFFED_SHOWN = 10


def _percent(share: Share, *, minimum: int = 0) -> float | None:
    if share.n == 0 or share.n < minimum:
        return None
    return round(100 * share.k / share.n, 1)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _place_name(place: PlaceService) -> Any:
    if place.unit is None:
        return gettext_lazy("At the place itself")
    return place.unit.name


def _service_row(place: PlaceService) -> list[Any]:
    return [
        _place_name(place),
        place.received,
        _round(place.first_contact.median),
        _round(place.first_contact.p90),
        _round(place.closure.median),
        _round(place.closure.p90),
        place.closure.censored,
        _percent(place.within_due),
        _percent(place.reporters_resolved, minimum=MIN_ANSWERS),
        _percent(place.survey_satisfied, minimum=MIN_ANSWERS),
        _round(place.concerns_per_officer),
    ]


SERVICE_COLUMNS = (
    gettext_lazy("Place"),
    gettext_lazy("Concerns received"),
    gettext_lazy("First contact, median (hours)"),
    gettext_lazy("First contact, 90th percentile (hours)"),
    gettext_lazy("Closure, median (days)"),
    gettext_lazy("Closure, 90th percentile (days)"),
    gettext_lazy("Still open"),
    gettext_lazy("Closed within due time (%)"),
    gettext_lazy("Reporters: resolved (%)"),
    gettext_lazy("Satisfied with the handling (%)"),
    gettext_lazy("Concerns per officer"),
)


def section_service(unit: Unit, start: date, end: date) -> Section | None:
    """Element 1: how fast and how well the place's concerns were answered in the
    half-year, per place one level down, by month, and against a year earlier."""
    report = analyses.service_statistics(Actor.system(), unit=unit, start=start, end=end)
    total, previous = report.total, report.comparison.previous
    if total.received == 0 and previous.received == 0:
        return None

    def summary() -> str:
        values = {
            "received": total.received,
            "contact": "–" if total.first_contact.median is None else f"{total.first_contact.median:.1f}",
            "closure": "–" if total.closure.median is None else f"{total.closure.median:.1f}",
            "within": "–" if total.within_due.share is None else f"{100 * total.within_due.share:.0f}",
            "open": total.closure.censored,
            "before": "–" if previous.within_due.share is None else f"{100 * previous.within_due.share:.0f}",
        }
        text = (
            _(
                "%(received)s concerns were received. Half had a first answer from the police within "
                "%(contact)s hours and were closed within %(closure)s days (Kaplan–Meier medians: "
                "the %(open)s concerns still open count for as long as they have waited). "
                "%(within)s %% of those decided were closed within their category's due time, "
                "against %(before)s %% in the same months a year earlier."
            )
            % values
        )
        difference = report.comparison.within_due_difference
        if difference is not None:
            text += " " + _(
                "The difference is %(diff)s percentage points (95 %% interval %(low)s to %(high)s)."
            ) % {
                "diff": f"{100 * difference[0]:+.1f}",
                "low": f"{100 * difference[1]:+.1f}",
                "high": f"{100 * difference[2]:+.1f}",
            }
        return text

    comparison_rows: list[list[Any]] = [
        [gettext_lazy("This period"), *_service_row(total)[1:]],
        [gettext_lazy("A year earlier"), *_service_row(previous)[1:]],
    ]
    months = [m.month.strftime("%m.%Y") for m in report.months]
    return Section(
        element=1,
        title=gettext_lazy("Officers' efficiency and effectiveness: service to citizens"),
        summary=summary,
        tables=(
            Table(
                caption=gettext_lazy("Service statistics per place"),
                columns=SERVICE_COLUMNS,
                rows=[_service_row(place) for place in [total, *report.places]],
            ),
            Table(
                caption=gettext_lazy("This period against the same months a year earlier"),
                columns=(gettext_lazy("Period"), *SERVICE_COLUMNS[1:]),
                rows=comparison_rows,
            ),
        ),
        charts=(
            Chart(
                caption=gettext_lazy("Concerns closed within their due time, by month of receipt"),
                kind="line",
                labels=months,
                series=(
                    Series(
                        gettext_lazy("Closed within due time (%)"),
                        [_percent(m.within_due) for m in report.months],
                    ),
                ),
                unit="%",
            ),
            Chart(
                caption=gettext_lazy("Median time to closure, by month of receipt"),
                kind="bar",
                labels=months,
                series=(Series(gettext_lazy("Days"), [_round(m.closure.median) for m in report.months]),),
                unit=gettext_lazy("days"),
            ),
        ),
    )


def section_deployment(unit: Unit, start: date, end: date) -> Section | None:
    """Element 3: officers serving in the place's sectors at the end of the
    half-year against the incidents of the half-year, per place one level down
    and for the sectors that carry most against their officers."""
    result = analyses.deployment(Actor.system(), unit=unit, start=start, end=end, officers_on=end)
    if not result.rows:
        return None
    children = [c for c in child_places(unit) if c.pk != unit.pk]
    sectors = sector_to_child(unit, children)
    officers = [0] * len(children)
    incidents = [0] * len(children)
    for row in result.rows:
        index = sectors.get(row.sector.pk)
        if index is not None:
            officers[index] += row.officers
            incidents[index] += row.incidents
    per_officer = [_round(incidents[i] / officers[i]) if officers[i] else None for i in range(len(children))]
    child_rows: list[list[Any]] = [
        [
            child.name,
            officers[i],
            incidents[i],
            per_officer[i],
            _round(100 * officers[i] / result.officers) if result.officers else None,
            _round(100 * incidents[i] / result.incidents) if result.incidents else None,
        ]
        for i, child in enumerate(children)
    ]
    under = [r for r in result.rows if r.flag in {"unstaffed", "under"}][:UNDER_STAFFED_SHOWN]

    def summary() -> str:
        rho = "–" if result.rank_correlation is None else f"{result.rank_correlation:.2f}"
        return _(
            "%(officers)s officers served in the place's sectors at the end of the period; "
            "%(incidents)s incidents occurred in them. The rank correlation between officers and "
            "incidents per sector is %(rho)s (1: officers exactly where the incidents are). "
            "%(under)s sectors carry at least one and a half times their share of the incidents, "
            "or have none of the officers."
        ) % {
            "officers": result.officers,
            "incidents": result.incidents,
            "rho": rho,
            "under": sum(1 for r in result.rows if r.flag in {"unstaffed", "under"}),
        }

    tables = []
    if child_rows:
        tables.append(
            Table(
                caption=gettext_lazy("Officers against incidents per place"),
                columns=(
                    gettext_lazy("Place"),
                    gettext_lazy("Officers"),
                    gettext_lazy("Incidents"),
                    gettext_lazy("Incidents per officer"),
                    gettext_lazy("Share of the officers (%)"),
                    gettext_lazy("Share of the incidents (%)"),
                ),
                rows=child_rows,
            )
        )
    tables.append(
        Table(
            caption=gettext_lazy("The sectors most under-staffed for their incidents"),
            columns=(
                gettext_lazy("Sector"),
                gettext_lazy("Officers"),
                gettext_lazy("Incidents"),
                gettext_lazy("Incidents per officer"),
                gettext_lazy("Load index"),
            ),
            rows=[
                [
                    r.sector.name,
                    r.officers,
                    r.incidents,
                    _round(r.incidents_per_officer),
                    _round(r.load_index, 2),
                ]
                for r in under
            ],
        )
    )
    charts = []
    if child_rows:
        charts.append(
            Chart(
                caption=gettext_lazy("Incidents per officer, per place"),
                kind="bar",
                labels=[child.name for child in children],
                series=(Series(gettext_lazy("Incidents per officer"), per_officer),),
            )
        )
    return Section(
        element=3,
        title=gettext_lazy("Deployment against crime trends"),
        summary=summary,
        tables=tables,
        charts=charts,
    )
