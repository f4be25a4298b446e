"""Deployment against load [Evaluation 3]: officers serving in each sector of
a place today against the incidents and concerns of the last twelve months."""

from dataclasses import dataclass
from datetime import date, timedelta

from cpis.concerns import selectors as concerns
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit
from cpis.organisation.selectors import count_officers_by_sector

from ..policy import policy
from ..selectors import today


@dataclass(frozen=True)
class DeploymentRow:
    sector: Unit
    officers: int
    incidents: int
    concerns: int
    incidents_per_officer: float | None
    concerns_per_officer: float | None
    load_index: float | None  # share of the place's incidents ÷ share of its officers

    @property
    def flag(self) -> str:
        if self.officers == 0 and self.incidents:
            return "unstaffed"
        if self.load_index is not None and self.load_index >= 1.5:
            return "under"
        if self.load_index is not None and self.load_index <= 0.5:
            return "over"
        return ""


@dataclass(frozen=True)
class Deployment:
    unit: Unit
    start: date
    end: date
    rows: list[DeploymentRow]
    officers: int
    incidents: int
    concerns: int
    rank_correlation: float | None  # Spearman's ρ between officers and incidents per sector


def deployment(
    actor: Actor,
    *,
    unit: Unit,
    start: date | None = None,
    end: date | None = None,
    officers_on: date | None = None,
) -> Deployment:
    """Officers serving in each sector of a place today (or on `officers_on`)
    against the incidents and concerns of the last twelve months (or from `start`
    to `end`): where is the load carried by few?"""
    from scipy.stats import spearmanr

    policy.require(actor, "view", unit.path)
    end = end or today()
    start = start or end - timedelta(days=364)
    sectors = list(Unit.objects.sectors().within(unit.path).order_by("path"))
    officers = count_officers_by_sector(path=unit.path, on=officers_on)
    incident_counts = incidents.count_incidents_by_sector(actor, path=unit.path, start=start, end=end)
    concern_counts = concerns.count_concerns_by_sector(actor, path=unit.path, start=start, end=end)
    total_officers = sum(officers.get(s.pk, 0) for s in sectors)
    total_incidents = sum(incident_counts.get(s.pk, 0) for s in sectors)
    total_concerns = sum(concern_counts.get(s.pk, 0) for s in sectors)
    rows = []
    for sector in sectors:
        n_off, n_inc, n_con = (
            officers.get(sector.pk, 0),
            incident_counts.get(sector.pk, 0),
            concern_counts.get(sector.pk, 0),
        )
        load = None
        if n_off and total_incidents and total_officers:
            load = (n_inc / total_incidents) / (n_off / total_officers)
        rows.append(
            DeploymentRow(
                sector=sector,
                officers=n_off,
                incidents=n_inc,
                concerns=n_con,
                incidents_per_officer=n_inc / n_off if n_off else None,
                concerns_per_officer=n_con / n_off if n_off else None,
                load_index=load,
            )
        )
    rho = None
    if len(rows) >= 3:
        x = [r.officers for r in rows]
        y = [r.incidents for r in rows]
        if len(set(x)) > 1 and len(set(y)) > 1:
            rho = float(spearmanr(x, y).statistic)
    rows.sort(key=lambda r: (-(r.load_index or 0), -r.incidents))
    return Deployment(unit, start, end, rows, total_officers, total_incidents, total_concerns, rho)
