"""A problem's sources (scanning): those linked, and, while it is open, the
concerns and incidents that match its area and categories and are offered
to its owner to link, read through the concerns' and incidents' selectors
as the actor may see them."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concerns
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import Problem, Source

# How far back the offers look at least (days), however young the problem.
OFFER_DAYS = 90
# Offers listed at most, of each kind.
OFFER_LIMIT = 50
# Records ticked to link at once, at most.
MOST_TICKED = 200


def concern_label(concern: Any) -> str:
    """How a linked concern reads among a problem's sources (no personal data)."""
    return _("Concern %(reference)s: %(category)s, %(day)s") % {
        "reference": concern.reference,
        "category": concern.category.name,
        "day": timezone.localdate(concern.created_at).isoformat(),
    }


def incident_label(incident: Any) -> str:
    """How a linked incident reads among a problem's sources."""
    return _("Incident %(reference)s: %(category)s, %(day)s") % {
        "reference": f"{incident.source}:{incident.source_id}",
        "category": incident.category.name,
        "day": incident.occurred_on.isoformat(),
    }


def list_sources(problem: Problem) -> QuerySet[Source]:
    """The problem's sources in the order they were linked, with what their links need."""
    return (
        Source.objects.filter(problem=problem)
        .select_related("linked_by", "decision", "tension_report", "cluster")
        .order_by("linked_at", "id")
    )


@dataclass
class Offers:
    """Concerns and incidents offered to link: the newest `OFFER_LIMIT` of
    each, and how many match in all."""

    concerns: list[Any] = field(default_factory=list)
    incidents: list[Any] = field(default_factory=list)
    concern_count: int = 0
    incident_count: int = 0

    @property
    def total(self) -> int:
        return self.concern_count + self.incident_count


def offers_since(problem: Problem) -> datetime:
    """Offers are what came in since the problem was opened, and at least the last OFFER_DAYS days."""
    return min(problem.created_at, timezone.now() - timedelta(days=OFFER_DAYS))


def _match(rows: Any, geometry: Any, limit: int) -> tuple[int, list[Any]]:
    """(How many rows match, the first `limit` of them): every row when there
    is no geometry, else those whose point lies in it (one query for the
    points inside its bounds, one for the records shown)."""
    if geometry is None:
        count = rows.count()
        return count, (list(rows[:limit]) if limit and count else [])
    import numpy as np
    import shapely

    points = list(rows.values_list("pk", "lon", "lat"))
    if not points:
        return 0, []
    table = np.asarray([(lon, lat) for _pk, lon, lat in points], dtype=np.float64)
    inside = shapely.contains_xy(geometry, table[:, 0], table[:, 1])
    ids = [points[i][0] for i in np.flatnonzero(inside)]
    chosen = ids[:limit]
    if not chosen:
        return len(ids), []
    found = {record.pk: record for record in rows.filter(pk__in=chosen)}
    return len(ids), [found[pk] for pk in chosen if pk in found]


def _offers(
    actor: Actor,
    problem: Problem,
    *,
    limit: int,
    concern_ids: Sequence[int] | None = None,
    incident_ids: Sequence[int] | None = None,
) -> Offers:
    from shapely.geometry import shape

    geometry = shape(problem.area) if problem.area else None
    where: dict[str, Any] = {}
    if geometry is not None:
        where["bounds"] = tuple(float(b) for b in geometry.bounds)
    else:
        where["sector_ids"] = list(
            Unit.objects.sectors().within(problem.unit_path).values_list("pk", flat=True)
        )
    linked = list(
        Source.objects.filter(problem=problem)
        .filter(Q(concern__isnull=False) | Q(incident__isnull=False))
        .values_list("concern_id", "incident_id")
    )
    since = offers_since(problem)
    offers = Offers()
    concern_categories = list(problem.concern_categories.values_list("pk", flat=True))
    if concern_categories and concern_ids != []:
        concern_rows = concerns.list_matching(
            actor,
            category_ids=concern_categories,
            since=since,
            exclude_ids=[c for c, _i in linked if c is not None],
            **where,
        )
        if concern_ids is not None:
            concern_rows = concern_rows.filter(pk__in=list(concern_ids))
        offers.concern_count, offers.concerns = _match(concern_rows, geometry, limit)
    incident_categories = list(problem.incident_categories.values_list("pk", flat=True))
    if incident_categories and incident_ids != []:
        incident_rows = incidents.list_matching(
            actor,
            category_ids=incident_categories,
            since=timezone.localdate(since),
            exclude_ids=[i for _c, i in linked if i is not None],
            **where,
        )
        if incident_ids is not None:
            incident_rows = incident_rows.filter(pk__in=list(incident_ids))
        offers.incident_count, offers.incidents = _match(incident_rows, geometry, limit)
    return offers


def list_offers(
    actor: Actor,
    problem: Problem,
    *,
    concern_ids: Sequence[int] | None = None,
    incident_ids: Sequence[int] | None = None,
) -> Offers:
    """The concerns and incidents the actor may see that came in since the
    problem was opened (and at least the last 90 days), match its concern or
    incident categories, lie in its area (its polygon, or its place's sectors
    when it has none) and are not linked yet: the newest 50 of each, with how
    many match in all. `concern_ids`/`incident_ids` narrow them to those
    (what was ticked); an empty list leaves that kind out. Nothing is offered
    on a closed problem."""
    if not problem.is_open:
        return Offers()
    limit = OFFER_LIMIT
    if concern_ids is not None or incident_ids is not None:
        limit = MOST_TICKED
    return _offers(actor, problem, limit=limit, concern_ids=concern_ids, incident_ids=incident_ids)


def count_offers(problem: Problem, actor: Actor | None = None) -> Offers:
    """How many concerns and incidents are offered to link to the problem (for
    its overview: "3 new concerns match"), as `actor` would see them; as its
    owner would when no actor is given (everything of its place and area).
    The counts only: the lists are left empty."""
    if not problem.is_open:
        return Offers()
    return _offers(actor or Actor.system(), problem, limit=0)
