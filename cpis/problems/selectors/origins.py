"""What a problem is opened from (scanning): an emerging cluster, concerns
picked in the queue, a hotspot cell, a near-repeat run, a forum meeting's
decision or a tension report, each read through its own app's selectors so
that the actor sees only what it may (404 otherwise), with what the open
form starts with; and the problem a record was opened as."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.analytics import selectors as analytics
from cpis.analytics.models import ClusterStatus, EmergingCluster, RunKind, Subject
from cpis.concerns import selectors as concerns
from cpis.concerns.models import Category as ConcernCategory
from cpis.core.http import whole_number
from cpis.core.models import RunStatus
from cpis.forums import selectors as forums
from cpis.incidents import selectors as incidents
from cpis.incidents.models import IncidentCategory
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import Problem, Source, SourceKind
from ..policy import policy
from .problems import PLACE_KINDS, visible_problems
from .sources import concern_label

# Concerns picked in the queue at once, at most (a page of the queue holds 200).
MOST_PICKED = 200


@dataclass(frozen=True)
class Item:
    """One record to link as a source: its kind, a label that still reads
    when the record is gone, the reference (a `Source` field → the record)
    and details."""

    kind: str
    label: str
    refs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Origin:
    """What a problem is being opened from, and what its form starts with."""

    kind: str  # a key of READERS: cluster, concern, hotspot, run, decision, tension
    items: list[Item]
    unit: Unit | None
    title: str
    description: str = ""
    incident_categories: list[IncidentCategory] = field(default_factory=list)
    concern_categories: list[ConcernCategory] = field(default_factory=list)
    area: dict[str, Any] = field(default_factory=dict)
    area_label: str = ""
    # An emerging cluster is taken up (accepted) as the problem opens; only its
    # reviewers may, and only while it is a candidate (or taken up with no problem).
    cluster: EmergingCluster | None = None
    may_open: bool = True
    refusal: str = ""
    # Problems of the actor's places already linked to these records.
    problems: list[Problem] = field(default_factory=list)


def _categories(subject: str, codes: Iterable[str]) -> tuple[list[IncidentCategory], list[ConcernCategory]]:
    wanted = {code for code in codes if code}
    if not wanted:
        return [], []
    if subject == Subject.CONCERNS:
        return [], list(concerns.list_categories().filter(code__in=wanted))
    return [c for c in incidents.list_categories() if c.code in wanted], []


def _place(unit: Unit | None) -> Unit | None:
    """The unit as a problem's place, if it can be one."""
    return unit if unit is not None and unit.kind in PLACE_KINDS else None


def _number(params: QueryDict, name: str = "id") -> int:
    number = whole_number(params.get(name, ""))
    if number is None:
        raise Http404(_("Not found."))
    return number


def _decimal(params: QueryDict, name: str, low: float, high: float) -> float:
    try:
        value = float(params.get(name, ""))
    except ValueError:
        raise Http404(_("Not found.")) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise Http404(_("Not found."))
    return value


def _day(params: QueryDict, name: str) -> str:
    try:
        return date.fromisoformat(params.get(name, "")).isoformat()
    except ValueError:
        return ""


def _from_cluster(actor: Actor, params: QueryDict) -> Origin:
    cluster = analytics.get_cluster(actor, _number(params))
    sector = cluster.unit
    values = {"category": cluster.category_label, "place": sector.name}
    found_incidents, found_concerns = _categories(cluster.subject, [cluster.category])
    details = {
        "subject": cluster.subject,
        "category": cluster.category,
        "from": cluster.start_date.isoformat(),
        "until": cluster.end_date.isoformat(),
        "observed": cluster.observed,
        "expected": round(cluster.expected, 2),
        "p_value": cluster.p_value,
        "recurrence_days": round(cluster.recurrence_days),
        "centre": [cluster.centre_lon, cluster.centre_lat],
        "radius_m": round(cluster.radius_m),
    }
    label = _(
        "%(category)s in %(place)s, %(start)s – %(end)s: %(observed)s observed, %(expected)s expected"
    ) % {
        **values,
        "start": cluster.start_date.isoformat(),
        "end": cluster.end_date.isoformat(),
        "observed": cluster.observed,
        "expected": f"{cluster.expected:.1f}",
    }
    origin = Origin(
        kind="cluster",
        items=[Item(SourceKind.CLUSTER, label, {"cluster": cluster}, details)],
        unit=_place(sector),
        title=_("%(category)s in %(place)s") % values,
        incident_categories=found_incidents,
        concern_categories=found_concerns,
        area=cluster.area or {},
        area_label=_("The cluster's circle: %(radius)s m around %(lat)s, %(lon)s")
        % {
            "radius": round(cluster.radius_m),
            "lat": f"{cluster.centre_lat:.5f}",
            "lon": f"{cluster.centre_lon:.5f}",
        },
        cluster=cluster,
    )
    taken_up_alone = (
        cluster.status == ClusterStatus.ACCEPTED and not Source.objects.filter(cluster=cluster).exists()
    )
    if not analytics.can_review_cluster(actor, cluster):
        origin.may_open, origin.refusal = (
            False,
            _("Only the leads of its place may take up an emerging cluster."),
        )
    elif cluster.status == ClusterStatus.DISMISSED:
        origin.may_open, origin.refusal = False, _("This cluster has been dismissed.")
    elif cluster.status == ClusterStatus.ACCEPTED and not taken_up_alone:
        origin.may_open, origin.refusal = False, _("A problem has already been opened from this cluster.")
    return origin


def _common_place(paths: Sequence[str]) -> Unit | None:
    """The smallest place (sector, station, region) that holds every path."""
    parts = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    while common:
        unit = Unit.objects.filter(path="/".join(common) + "/", kind__in=PLACE_KINDS).first()
        if unit is not None:
            return unit
        common.pop()
    return None


def _from_concerns(actor: Actor, params: QueryDict) -> Origin:
    ids = {whole_number(value) for value in params.getlist("id")[: MOST_PICKED + 1]}
    if None in ids or not ids or len(ids) > MOST_PICKED:
        raise Http404(_("Not found."))
    picked = list(
        concerns.visible_concerns(actor)
        .filter(pk__in=ids)
        .select_related("category", "sector", "unit")
        .order_by("created_at", "id")
    )
    if len(picked) != len(ids):
        raise Http404(_("Not found."))
    unit = _common_place([c.sector.path if c.sector else c.unit_path for c in picked])
    categories = list({c.category_id: c.category for c in picked}.values())
    place = unit.name if unit is not None else ""
    if len(categories) == 1 and place:
        title = _("%(category)s in %(place)s") % {"category": categories[0].name, "place": place}
    elif place:
        title = _("Concerns in %(place)s") % {"place": place}
    else:
        title = _("Citizens' concerns")
    items = [Item(SourceKind.CONCERN, concern_label(c), {"concern": c}) for c in picked]
    return Origin(kind="concern", items=items, unit=unit, title=title, concern_categories=categories)


def _from_hotspot(actor: Actor, params: QueryDict) -> Origin:
    place = analytics.get_place(actor, _number(params, "place"))
    lat = _decimal(params, "lat", -90, 90)
    lon = _decimal(params, "lon", -180, 180)
    size = _decimal(params, "cell", 100, 5000)
    bounds = analytics.place_bounds(place)
    if bounds is not None and not (bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]):
        raise Http404(_("Not found."))
    subject = params.get("subject", "")
    if subject not in Subject.values:
        subject = Subject.INCIDENTS
    category = params.get("category", "")[:60]
    found_incidents, found_concerns = _categories(subject, [category])
    sector = organisation.locate_sector(lat=lat, lon=lon)
    unit = _place(sector if sector is not None and sector.path.startswith(place.path) else place)
    names = [c.name for c in found_incidents] + [c.name for c in found_concerns]
    where = unit.name if unit is not None else place.name
    title = (
        _("%(category)s hotspot in %(place)s") % {"category": names[0], "place": where}
        if names
        else _("Hotspot in %(place)s") % {"place": where}
    )
    values = {"size": round(size), "lat": f"{lat:.5f}", "lon": f"{lon:.5f}"}
    details = {
        "lat": lat,
        "lon": lon,
        "cell_m": round(size),
        "place": place.pk,
        "subject": subject,
        "category": category if names else "",
        "since": _day(params, "since"),
        "until": _day(params, "until"),
    }
    area = analytics.cell_area(lon=lon, lat=lat, size_m=size)
    return Origin(
        kind="hotspot",
        items=[
            Item(
                SourceKind.HOTSPOT,
                _("Hotspot cell of %(size)s m around %(lat)s, %(lon)s") % values,
                {},
                details,
            )
        ],
        unit=unit,
        title=title,
        incident_categories=found_incidents,
        concern_categories=found_concerns,
        area=area,
        area_label=_("The hotspot cell: a square of %(size)s m around %(lat)s, %(lon)s") % values,
    )


def _from_run(actor: Actor, params: QueryDict) -> Origin:
    run = analytics.get_run(actor, _number(params))
    if run.kind != RunKind.NEAR_REPEAT or run.status != RunStatus.DONE:
        raise Http404(_("Not found."))
    codes = run.params.get("categories") or []
    found_incidents, found_concerns = _categories(run.subject, codes)
    names = [c.name for c in found_incidents] + [c.name for c in found_concerns]
    values = {"place": run.unit.name, "number": run.pk}
    title = (
        _("Near repeats of %(category)s in %(place)s") % {**values, "category": ", ".join(names)}
        if names
        else _("Near repeats in %(place)s") % values
    )
    result = run.result or {}
    details = {
        "subject": run.subject,
        "categories": list(codes),
        "start": run.params.get("start"),
        "end": run.params.get("end"),
        "risk": result.get("risk"),
    }
    label = _("Near-repeat analysis #%(number)s of %(place)s") % values
    return Origin(
        kind="run",
        items=[Item(SourceKind.NEAR_REPEAT, label, {"run": run}, details)],
        unit=_place(run.unit),
        title=title,
        incident_categories=found_incidents,
        concern_categories=found_concerns,
    )


def _first_line(text: str, limit: int = 200) -> str:
    line = (text.strip().splitlines() or [""])[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _from_decision(actor: Actor, params: QueryDict) -> Origin:
    decision = forums.get_decision(actor, _number(params))
    meeting = decision.meeting
    forum = meeting.forum
    label = _("Decision of the %(forum)s meeting of %(day)s: %(text)s") % {
        "forum": forum.name,
        "day": timezone.localdate(meeting.starts_at).isoformat(),
        "text": _first_line(decision.text, 150),
    }
    return Origin(
        kind="decision",
        items=[Item(SourceKind.DECISION, label, {"decision": decision}, {"meeting": meeting.pk})],
        unit=_place(forum.unit),
        title=_first_line(decision.text),
        description=decision.text,
    )


def _from_tension(actor: Actor, params: QueryDict) -> Origin:
    report = forums.get_tension_report(actor, _number(params))
    forum = report.forum
    values = {"forum": forum.name, "day": report.reported_on.isoformat(), "level": report.get_level_display()}
    return Origin(
        kind="tension",
        items=[
            Item(
                SourceKind.TENSION,
                _("Tension report of %(forum)s, %(day)s: %(level)s") % values,
                {"tension_report": report},
                {"forum": forum.pk, "level": report.level},
            )
        ],
        unit=_place(forum.unit),
        title=_("Community tension reported by %(forum)s") % values,
        description=report.summary,
    )


READERS = {
    "cluster": _from_cluster,
    "concern": _from_concerns,
    "hotspot": _from_hotspot,
    "run": _from_run,
    "decision": _from_decision,
    "tension": _from_tension,
}


def get_origin(actor: Actor, params: QueryDict) -> Origin:
    """What the open page's address (`?from=cluster&id=…`) names, read as the
    actor: 404 for a record outside its places, an unknown kind or a broken
    address; 404/403 for an actor who may open problems nowhere."""
    policy.require_anywhere(actor, "open")
    reader = READERS.get(params.get("from", ""))
    if reader is None:
        raise Http404(_("Not found."))
    origin = reader(actor, params)
    refs = Q(pk__in=[])
    for item in origin.items:
        for name, record in item.refs.items():
            refs |= Q(**{f"sources__{name}": record})
    origin.problems = list(visible_problems(actor).filter(refs).distinct().order_by("-created_at")[:10])
    return origin


def find_problem(actor: Actor, kind: str, record_id: int) -> Problem | None:
    """The newest problem of the actor's places with this record (`kind` as
    in the open page's address) among its sources, if any."""
    name = {
        "cluster": "cluster",
        "concern": "concern",
        "run": "run",
        "decision": "decision",
        "tension": "tension_report",
    }.get(kind)
    if name is None:
        raise Http404(_("Not found."))
    return (
        visible_problems(actor)
        .filter(**{f"sources__{name}_id": record_id})
        .order_by("-created_at", "-id")
        .first()
    )
