"""Scanning's writes: open a problem from what the system found (taking an
emerging cluster up in the same transaction), and link the concerns and
incidents offered on its Scanning tab."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.analytics import services as analytics
from cpis.analytics.models import ClusterStatus
from cpis.concerns.models import Category as ConcernCategory
from cpis.core.errors import DomainError, InvalidInput
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from ..models import Problem, Source, SourceKind
from ..selectors import origins, sources
from . import problems
from .problems import Found


class AlreadyOpenedFromCluster(DomainError):
    message = gettext_lazy("A problem has already been opened from this cluster.")


def _found(items: Iterable[origins.Item]) -> list[Found]:
    return [Found(kind=i.kind, label=i.label, refs=dict(i.refs), details=dict(i.details)) for i in items]


@transaction.atomic
def open_from(
    actor: Actor,
    *,
    origin: origins.Origin,
    unit: Unit,
    title: str,
    description: str = "",
    incident_categories: Iterable[IncidentCategory] = (),
    concern_categories: Iterable[ConcernCategory] = (),
    use_area: bool = True,
    owner: Officer | None = None,
    note: str = "",
) -> Problem:
    """Open a problem from what scanning found (`origin`), with it linked as
    the problem's sources and its area as the target area (unless
    `use_area` is off: the place's boundary then). An emerging cluster is
    taken up through analytics' review in the same transaction: both happen
    or neither, and a cluster is opened as a problem once. Who may: those who
    may open a problem at `unit` (and review the cluster, for one)."""
    cluster = origin.cluster
    if cluster is not None:
        if cluster.status == ClusterStatus.ACCEPTED:
            # Taken up before problems existed: open its problem now, once.
            if Source.objects.filter(cluster=cluster).exists():
                raise AlreadyOpenedFromCluster()
        else:
            analytics.review_cluster(actor, cluster=cluster, accept=True, note=note)
    return problems.open_problem(
        actor,
        unit=unit,
        title=title,
        description=description,
        incident_categories=incident_categories,
        concern_categories=concern_categories,
        area=origin.area if use_area else {},
        owner=owner,
        found=_found(origin.items),
    )


def link_offers(
    actor: Actor, *, problem: Problem, concern_ids: Sequence[int], incident_ids: Sequence[int]
) -> list[Source]:
    """Link the concerns and incidents ticked among those offered on the
    problem's Scanning tab. Only what is still offered is linked (the actor's
    places, the problem's area and categories, not linked yet), so a record
    ticked twice is linked once. The problem's owner, team and leads may."""
    problems.require_work(actor, problem)
    problems.require_open(problem)
    if not concern_ids and not incident_ids:
        raise InvalidInput(_("Tick the concerns or incidents to link."))
    offers = sources.list_offers(
        actor, problem, concern_ids=list(concern_ids), incident_ids=list(incident_ids)
    )
    found = [
        Found(
            kind=SourceKind.CONCERN,
            label=sources.concern_label(concern),
            refs={"concern": concern},
        )
        for concern in offers.concerns
    ] + [
        Found(
            kind=SourceKind.INCIDENT,
            label=sources.incident_label(incident),
            refs={"incident": incident},
            details={"occurred_on": incident.occurred_on.isoformat()},
        )
        for incident in offers.incidents
    ]
    if not found:
        raise InvalidInput(
            _("What you ticked is no longer offered: it is linked already or no longer matches.")
        )
    return problems.link_sources(actor, problem=problem, found=found)
