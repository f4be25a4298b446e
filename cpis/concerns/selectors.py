"""Reads for concerns: queues by place, one concern, similar concerns near
it, the citizen's view with a tracking code, reporter contacts (logged)."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, DateField, FloatField, Func, Min, Q, QuerySet, When
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.utils import timezone

from cpis.accounts.audit import log_personal_data_access
from cpis.core import tracking
from cpis.core.anonymous_places import SNAP_METRES, snap_many, snap_rows
from cpis.core.citizens import contact_of
from cpis.core.http import one_or_404
from cpis.core.periods import Period, count_per_period
from cpis.core.points import Points
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Category,
    Channel,
    ClosureAnswer,
    Concern,
    ConcernEvent,
    ConcernQuerySet,
    EventKind,
    Status,
)
from .policy import policy

STATION_DEPTH = 3  # kp/region/station/

TRACKING_NAMESPACE = "concern"


def list_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def visible_concerns(actor: Actor) -> ConcernQuerySet:
    return Concern.objects.filter(policy.scope(actor, "view", "unit_path"))


@dataclass(frozen=True)
class QueueFilters:
    unit_path: str = ""
    status: str = ""
    category: str = ""
    overdue: bool = False
    held: bool = False
    assigned_officer: int | None = None
    assigned_user: int | None = None  # concerns assigned to this user's officer profile
    unassigned: bool = False
    query: str = ""


def list_queue(actor: Actor, filters: QueueFilters | None = None) -> ConcernQuerySet:
    """The concerns under the actor's places, newest first. Held concerns
    appear only in the moderation view (`held=True`)."""
    filters = filters or QueueFilters()
    concerns = visible_concerns(actor).filter(is_held=filters.held)
    if filters.unit_path:
        concerns = concerns.filter(unit_path__startswith=filters.unit_path)
    if filters.status == "open":
        concerns = concerns.open()
    elif filters.status:
        concerns = concerns.filter(status=filters.status)
    if filters.category:
        concerns = concerns.filter(category__code=filters.category)
    if filters.overdue:
        concerns = concerns.overdue()
    if filters.assigned_officer:
        concerns = concerns.filter(assigned_officer_id=filters.assigned_officer)
    if filters.assigned_user:
        concerns = concerns.filter(assigned_officer__user_id=filters.assigned_user)
    if filters.unassigned:
        concerns = concerns.filter(assigned_officer__isnull=True)
    if filters.query:
        concerns = concerns.filter(
            Q(reference=filters.query.upper().replace("-", "")[:8]) | Q(description__icontains=filters.query)
        )
    return concerns.select_related("category", "unit", "sector", "assigned_officer").order_by(
        "-created_at", "-id"
    )


def get_concern(actor: Actor, concern_id: int) -> Concern:
    return one_or_404(
        visible_concerns(actor).select_related(
            "category", "unit", "sector", "assigned_officer", "duplicate_of"
        ),
        pk=concern_id,
    )


def list_events(concern: Concern, *, public_only: bool = False) -> QuerySet[ConcernEvent]:
    events = concern.events.select_related("actor")
    return events.filter(is_public=True) if public_only else events


def can_view_contact(actor: Actor, concern: Concern) -> bool:
    if policy.can(actor, "view_contact", concern.unit_path):
        return True
    officer = concern.assigned_officer
    return bool(officer and actor.user_id and officer.user_id == actor.user_id)


def get_reporter_contact(actor: Actor, concern: Concern, *, request: HttpRequest | None) -> dict[str, str]:
    """The reporter's name, e-mail and phone for roles that need them; each
    call is written to the access log."""
    if not can_view_contact(actor, concern):
        policy.require(actor, "view_contact", concern.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="concerns.concern", subject_id=concern.pk, request=request
    )
    return contact_of(concern, "reporter")


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def list_similar(
    concern: Concern, *, radius_m: float = 400, weeks: int = 4, limit: int = 10
) -> list[tuple[Concern, float]]:
    """Open concerns of the same category within `radius_m` and `weeks` of
    this one, nearest first: candidates for "duplicate"."""
    if concern.lat is None or concern.lon is None:
        return []
    dlat = radius_m / 111_000
    dlon = radius_m / (111_000 * max(math.cos(math.radians(concern.lat)), 0.01))
    window = timedelta(weeks=weeks)
    candidates = (
        Concern.objects.open()
        .filter(
            category_id=concern.category_id,
            lat__range=(concern.lat - dlat, concern.lat + dlat),
            lon__range=(concern.lon - dlon, concern.lon + dlon),
            created_at__range=(concern.created_at - window, concern.created_at + window),
            duplicate_of__isnull=True,
        )
        .exclude(pk=concern.pk)
        .select_related("category")
    )
    found = []
    for other in candidates:
        if other.lat is None or other.lon is None:
            continue
        distance = _distance_m(concern.lat, concern.lon, other.lat, other.lon)
        if distance <= radius_m:
            found.append((other, distance))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def list_matching(
    actor: Actor,
    *,
    category_ids: Iterable[int],
    since: datetime,
    sector_ids: Iterable[int] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    exclude_ids: Iterable[int] = (),
) -> ConcernQuerySet:
    """The concerns the actor may see, of these categories, received from
    `since`, placed in one of `sector_ids` or with a point inside `bounds`
    (west, south, east, north), newest first; held, duplicate and rejected
    ones and those in `exclude_ids` left out. What a problem's scanning
    offers its owner to link (C9)."""
    concerns = (
        visible_concerns(actor)
        .filter(is_held=False, duplicate_of__isnull=True, created_at__gte=since)
        .filter(category_id__in=list(category_ids))
        .exclude(status__in=[Status.DUPLICATE, Status.REJECTED])
    )
    if sector_ids is not None:
        concerns = concerns.filter(sector_id__in=list(sector_ids))
    if bounds is not None:
        west, south, east, north = bounds
        concerns = concerns.filter(lon__range=(west, east), lat__range=(south, north))
    excluded = list(exclude_ids)
    if excluded:
        concerns = concerns.exclude(pk__in=excluded)
    return concerns.select_related("category", "sector").order_by("-created_at", "-id")


# --- the citizen's side ------------------------------------------------------------

TrackingLimited = tracking.TrackingLimited
TRACK_LIMIT_PER_CLIENT = tracking.TRACK_LIMIT_PER_CLIENT
TRACK_LIMIT_PER_REFERENCE = tracking.TRACK_LIMIT_PER_REFERENCE


# --- a sector's public figures (the neighbourhood page): counts and snapped places -------


def list_public_categories() -> QuerySet[Category]:
    """Categories a public page may show: never a sensitive one (domestic violence,
    trafficking), whose places and counts are never published."""
    return Category.objects.filter(is_sensitive=False)


def _public_in_sector(sector: Unit, start: date, end: date) -> ConcernQuerySet:
    """The sector's concerns received from `start` to `end` (exclusive, local days)
    that count as what people worry about: not held, not duplicate, not rejected,
    in a public category."""
    zone = timezone.get_current_timezone()
    return (
        Concern.objects.filter(
            sector=sector,
            is_held=False,
            duplicate_of__isnull=True,
            category__is_sensitive=False,
            created_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            created_at__lt=datetime.combine(end, time.min, tzinfo=zone),
        )
        .exclude(status__in=[Status.DUPLICATE, Status.REJECTED])
        .order_by()
    )


def count_public_by_month(sector: Unit, *, start: date, end: date) -> list[tuple[int, date, int]]:
    """(category id, first day of the month, concerns) in the sector from `start` to
    `end` (exclusive), public categories only: counted by the database; no text, no contact."""
    rows = (
        _public_in_sector(sector, start, end)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("category_id", "month")
        .annotate(n=Count("id"))
        .values_list("category_id", "month", "n")
    )
    return [(int(c), m, int(n)) for c, m, n in rows]


def public_places(sector: Unit, *, start: date, end: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(latitudes, longitudes, category ids) of the sector's public concerns from
    `start` to `end` (exclusive) that have a point, each moved to the centre of its
    anonymous 200 m cell (`core.anonymous_places`): never the reporter's exact point."""
    return snap_rows(
        _public_in_sector(sector, start, end)
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("lat", "lon", "category_id")
    )


def load_by_reference(reference: str) -> Concern | None:
    return Concern.objects.select_related("category").filter(reference=reference).first()


def find_by_tracking_code(code: str, *, client: str) -> Concern | None:
    """The concern a tracking code opens, or None (see core.tracking.open_code)."""
    found = tracking.open_code(code, client=client, loaders={TRACKING_NAMESPACE: load_by_reference})
    concern: Concern | None = found[1] if found else None
    return concern


def get_tracked_concern(concern_id: int) -> Concern:
    """A concern the citizen opened with its code in this session."""
    return one_or_404(Concern.objects.select_related("category"), pk=concern_id)


def public_status(concern: Concern) -> dict[str, Any]:
    """What the citizen may see: status, public history, no staff names."""
    return {
        "reference": concern.reference,
        "status": concern.status,
        "status_label": concern.get_status_display(),
        "category": concern.category.name,
        "created_at": concern.created_at,
        "outcome": concern.outcome,
        "events": list(list_events(concern, public_only=True)),
        "is_closed": concern.status
        not in {Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS},
        # Resolved and not yet answered "is it resolved?" for this closure (services.feedback).
        "asks_if_resolved": concern.status == Status.RESOLVED
        and concern.closed_at is not None
        and not ClosureAnswer.objects.filter(concern=concern, closed_at=concern.closed_at).exists(),
    }


def _station_path(concern: Concern) -> str:
    from cpis.organisation.selectors import station_of

    station = station_of(concern.unit)
    return station.path if station is not None else concern.unit_path


def list_assignable_officers(concern: Concern) -> QuerySet[Officer]:
    """Officers in service at the concern's station."""
    return Officer.objects.filter(unit__path__startswith=_station_path(concern), is_active=True).order_by(
        "last_name", "first_name"
    )


def list_triage_sectors(actor: Actor, concern: Concern) -> QuerySet[Unit]:
    """Sectors of the concern's station (or of the actor's places, for a
    concern waiting in a regional or national queue) it may be moved to."""
    return (
        Unit.objects.sectors()
        .filter(path__startswith=_station_path(concern))
        .filter(policy.scope(actor, "triage"))
        .order_by("path")
    )


def find_by_reference(actor: Actor, reference: str) -> Concern | None:
    cleaned = "".join(ch for ch in reference.upper() if ch.isalnum())[:8]
    return visible_concerns(actor).filter(reference=cleaned).first()


def summarise_queue(actor: Actor) -> dict[str, int]:
    """Open, overdue, unassigned and held counts in one pass over the rows."""
    open_q = Q(status__in=OPEN_STATUSES, is_held=False)
    return visible_concerns(actor).aggregate(
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(due_at__lt=timezone.now())),
        unassigned=Count("pk", filter=open_q & Q(assigned_officer__isnull=True)),
        held=Count("pk", filter=Q(is_held=True)),
    )


# --- the public reports map and "me too" ---------------------------------------------

PUBLIC_DAYS = 90
PUBLIC_LIMIT = 500
NEARBY_METRES = 300
NEARBY_LIMIT = 5
# The fields a public output loads: never the description, the typed place or
# anything about the reporter; the exact point only to be snapped.
_PUBLIC_FIELDS = (
    "reference",
    "status",
    "created_at",
    "updated_at",
    "closed_at",
    "public_summary",
    "support_count",
    "photo_is_public",
    "photo",
    "lat",
    "lon",
    "category__code",
    "category__name_sq",
    "category__name_sr",
    "category__name_en",
    "category__is_sensitive",
    "sector__name_sq",
    "sector__name_sr",
    "sector__name_en",
)


@dataclass(frozen=True)
class PublicReport:
    """A public concern as the public sees it: at the centre of its 200 m
    cell (core.anonymous_places), with the approved summary only."""

    reference: str
    category_code: str
    category: str
    status: str
    status_label: str
    is_open: bool
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    summary: str
    support_count: int
    sector: str
    has_photo: bool
    lat: float | None
    lon: float | None


def _public_rows(concerns: ConcernQuerySet, limit: int) -> list[PublicReport]:
    rows = list(
        concerns.select_related("category", "sector")
        .only(*_PUBLIC_FIELDS)
        .order_by("-created_at", "-id")[:limit]
    )
    lats, lons = snap_many(
        [np.nan if c.lat is None else c.lat for c in rows],
        [np.nan if c.lon is None else c.lon for c in rows],
    )
    return [
        PublicReport(
            reference=c.reference,
            category_code=c.category.code,
            category=c.category.name,
            status=c.status,
            status_label=c.get_status_display(),
            is_open=c.is_open,
            created_at=c.created_at,
            updated_at=c.updated_at,
            closed_at=c.closed_at,
            summary=c.public_summary,
            support_count=c.support_count,
            sector=c.sector.name if c.sector else "",
            has_photo=bool(c.photo_is_public and c.photo),
            lat=None if math.isnan(lat) else lat,
            lon=None if math.isnan(lon) else lon,
        )
        for c, lat, lon in zip(rows, lats.tolist(), lons.tolist(), strict=True)
    ]


def public_concerns() -> ConcernQuerySet:
    """Concerns anyone may read about (ConcernQuerySet.public)."""
    return Concern.objects.public()


def list_public_reports(
    *,
    category_code: str = "",
    sector_id: int | None = None,
    days: int = PUBLIC_DAYS,
    limit: int = PUBLIC_LIMIT,
) -> list[PublicReport]:
    """The public concerns received in the last `days`, newest first, of one
    category and sector if given, for the public reports map and list."""
    concerns = public_concerns().filter(created_at__gte=timezone.now() - timedelta(days=days))
    if category_code:
        concerns = concerns.filter(category__code=category_code)
    if sector_id is not None:
        concerns = concerns.filter(sector_id=sector_id)
    return _public_rows(concerns, limit)


def list_public_report_sectors(*, days: int = PUBLIC_DAYS) -> QuerySet[Unit]:
    """The sectors with a public concern in the last `days` (the map's filter)."""
    since = timezone.now() - timedelta(days=days)
    ids = public_concerns().filter(created_at__gte=since).values("sector_id")
    return Unit.objects.filter(pk__in=ids).order_by("name_sq")


def list_active_public_categories() -> QuerySet[Category]:
    """Categories a citizen may choose among public reports: active and not sensitive."""
    return list_categories().filter(is_sensitive=False)


def list_nearby_public(
    *,
    category_code: str,
    lat: float,
    lon: float,
    metres: float = NEARBY_METRES,
    days: int = PUBLIC_DAYS,
    limit: int = NEARBY_LIMIT,
) -> list[PublicReport]:
    """Open public concerns of the category whose public point lies within
    `metres` of (lat, lon), nearest first: what a citizen about to report may
    support instead ("me too"). Distances are measured to each concern's
    snapped centre, never to its exact point, so probing with many points
    learns no more than the public map shows."""
    # The box is widened by the largest gap between a point and its cell's centre.
    margin = metres + SNAP_METRES
    dlat = margin / 111_000
    dlon = margin / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    concerns = public_concerns().filter(
        category__code=category_code,
        status__in=OPEN_STATUSES,
        created_at__gte=timezone.now() - timedelta(days=days),
        lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
    )
    reports = _public_rows(concerns, 200)
    near = [
        (_distance_m(lat, lon, r.lat, r.lon), r)
        for r in reports
        if r.lat is not None and r.lon is not None and _distance_m(lat, lon, r.lat, r.lon) <= metres
    ]
    near.sort(key=lambda pair: (pair[0], pair[1].reference))
    return [report for _distance, report in near[:limit]]


def get_public_report(reference: str) -> Concern:
    """A public concern by its reference (404 otherwise)."""
    return one_or_404(public_concerns().select_related("category"), reference=reference)


def get_public_photo(reference: str) -> Concern:
    """A public concern whose photo the officer published (404 otherwise)."""
    return one_or_404(public_concerns().filter(photo_is_public=True).exclude(photo=""), reference=reference)


# --- Open311: what may be published ---------------------------------------------------


def list_published(
    *,
    references: list[str] | None = None,
    category_codes: list[str] | None = None,
    start: Any = None,
    end: Any = None,
    statuses: set[str] | None = None,
) -> ConcernQuerySet:
    """Concerns an Open311 client may read: never held ones; references, if
    given, override every other filter (as the specification says)."""
    concerns = Concern.objects.filter(is_held=False).select_related("category", "unit", "sector")
    if references:
        return concerns.filter(reference__in=references).order_by("-created_at", "-id")
    if category_codes:
        concerns = concerns.filter(category__code__in=category_codes)
    if start is not None:
        concerns = concerns.filter(created_at__gte=start)
    if end is not None:
        concerns = concerns.filter(created_at__lte=end)
    if statuses == {"open"}:
        concerns = concerns.open()
    elif statuses == {"closed"}:
        concerns = concerns.exclude(status__in=OPEN_STATUSES)
    return concerns.order_by("-created_at", "-id")


def list_by_submission_token(token: str) -> ConcernQuerySet:
    """The unheld concerns Open311 clients posted with this Idempotency-Key
    (their token); keys are each client's own, so there may be several."""
    from cpis.core import idempotency

    ids = [int(i) for i in idempotency.lookup_any_owner(f"open311:{token}")]
    return Concern.objects.filter(pk__in=ids, is_held=False).order_by("created_at", "pk")


EXPORT_HEADER = [
    "reference",
    "received",
    "channel",
    "category",
    "status",
    "unit",
    "sector",
    "place",
    "latitude",
    "longitude",
    "officer",
    "due",
    "closed",
    "overdue",
    "outcome",
    "description",
    "status_history",
]


def may_export(actor: Actor) -> bool:
    """Exports are for roles that may export at the top of the actor's places."""
    return any(policy.can(actor, "export", path) for path in policy.places(actor, "view"))


def list_bulk_assignees(actor: Actor) -> QuerySet[Officer] | list[Officer]:
    """Officers to assign to in bulk: only for a user whose places are
    stations or below (a regional or national list would be too long to
    choose from, and bulk assignment is a station's work)."""
    paths = policy.places(actor, "assign")
    if not paths or any(path.count("/") < STATION_DEPTH for path in paths):
        return []
    return organisation.list_officers(actor).filter(is_active=True).order_by("last_name", "first_name")


def export_rows(actor: Actor, filters: QueueFilters) -> Iterable[list[Any]]:
    """The queue as rows for a spreadsheet: no reporter's personal data;
    the history column lists each status change with its time."""
    concerns = list_queue(actor, filters).prefetch_related("events")
    for concern in concerns.iterator(chunk_size=2000):
        history = "; ".join(
            f"{event.at:%Y-%m-%d %H:%M} {event.to_status}"
            for event in concern.events.all()
            if event.to_status
        )
        yield [
            concern.reference,
            concern.created_at,
            concern.channel,
            concern.category.code,
            concern.status,
            concern.unit.name,
            concern.sector.name if concern.sector else "",
            concern.place_text,
            concern.lat,
            concern.lon,
            concern.assigned_officer.full_name if concern.assigned_officer else "",
            concern.due_at,
            concern.closed_at,
            concern.is_overdue,
            concern.outcome,
            concern.description,
            history,
        ]


# --- counts for the action plan's indicators ------------------------------------


def count_received(periods: list[Period], *, path: str = "") -> list[int]:
    """Concerns received in each period, every channel [2.5.1]."""
    concerns = Concern.objects.filter(unit_path__startswith=path) if path else Concern.objects.all()
    return count_per_period(concerns, "created_at", periods)


def count_reported_by_officers(periods: list[Period], *, path: str = "") -> list[int]:
    """Concerns officers entered for citizens, by phone, in person or at a forum [3.2.2]."""
    concerns = Concern.objects.filter(channel__in=[Channel.PHONE, Channel.IN_PERSON, Channel.FORUM])
    if path:
        concerns = concerns.filter(unit_path__startswith=path)
    return count_per_period(concerns, "created_at", periods)


def count_outcome_returned(periods: list[Period], *, path: str = "") -> list[int]:
    """Concerns whose reporter was told the outcome in the period: a closing
    status change the citizen sees, with its reason [2.3.6]."""
    events = ConcernEvent.objects.filter(kind=EventKind.STATUS, to_status__in=CLOSED_STATUSES, is_public=True)
    if path:
        events = events.filter(concern__unit_path__startswith=path)
    return count_per_period(events, "at", periods, distinct="concern_id")


def count_raised_at_forums(periods: list[Period], *, path: str = "") -> list[int]:
    """Concerns officers recorded at community safety forum meetings [2.4.10, 3.2.1]."""
    concerns = Concern.objects.filter(channel=Channel.FORUM)
    if path:
        concerns = concerns.filter(unit_path__startswith=path)
    return count_per_period(concerns, "created_at", periods)


def count_reporter_resolved(periods: list[Period], *, path: str = "") -> list[int]:
    """Reporters who answered, in the period, that their closed concern is resolved [2.3.6]."""
    return _count_answers(periods, path, resolved=True)


def count_reporter_not_resolved(periods: list[Period], *, path: str = "") -> list[int]:
    """Reporters who answered, in the period, that their closed concern is not resolved."""
    return _count_answers(periods, path, resolved=False)


def _count_answers(periods: list[Period], path: str, *, resolved: bool) -> list[int]:
    answers = ClosureAnswer.objects.filter(resolved=resolved)
    if path:
        answers = answers.filter(concern__unit_path__startswith=path)
    return count_per_period(answers, "answered_at", periods)


# --- analytics: concerns as points ------------------------------------------------------


def concern_points(
    actor: Actor,
    *,
    path: str = "",
    categories: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Points:
    """The concerns the actor may see under `path` (all of them when empty),
    received from `start` to `end` inclusive (local dates). Held, duplicate
    and rejected concerns are left out: they are not what citizens worry about.
    Concerns without a point have NaN coordinates (C10)."""
    concerns = visible_concerns(actor).filter(is_held=False, duplicate_of__isnull=True)
    concerns = concerns.exclude(status__in=[Status.DUPLICATE, Status.REJECTED])
    if path:
        concerns = concerns.filter(unit_path__startswith=path)
    if categories:
        concerns = concerns.filter(category__code__in=list(categories))
    zone = timezone.get_current_timezone()
    if start is not None:
        concerns = concerns.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        after = end + timedelta(days=1)
        concerns = concerns.filter(created_at__lt=datetime.combine(after, time.min, tzinfo=zone))
    rows = list(concerns.order_by().values_list("lon", "lat", "created_at", "category_id", "sector_id"))
    size = len(rows)
    lon = np.fromiter((np.nan if r[0] is None else r[0] for r in rows), dtype=np.float64, count=size)
    lat = np.fromiter((np.nan if r[1] is None else r[1] for r in rows), dtype=np.float64, count=size)
    local = [timezone.localtime(r[2], zone) for r in rows]
    day = np.fromiter((moment.toordinal() for moment in local), dtype=np.int32, count=size)
    hour = np.fromiter((moment.hour for moment in local), dtype=np.int8, count=size)
    category = np.fromiter((r[3] for r in rows), dtype=np.int32, count=size)
    sector = np.fromiter((-1 if r[4] is None else r[4] for r in rows), dtype=np.int64, count=size)
    return Points(lon=lon, lat=lat, day=day, hour=hour, category=category, sector=sector)


def count_concerns_by_sector(
    actor: Actor, *, path: str = "", start: date | None = None, end: date | None = None
) -> dict[int, int]:
    """Concerns per sector (those placed in one), with the filters of `concern_points`."""
    points = concern_points(actor, path=path, start=start, end=end)
    sectors, counts = np.unique(points.sector[points.sector >= 0], return_counts=True)
    return {int(s): int(c) for s, c in zip(sectors, counts, strict=True)}


# --- analytics: service times -----------------------------------------------------------

# What the citizen sees as the police's first response: a reply, or a status change
# (triage, assignment, "in progress", closure). The submission's own receipt is
# automatic and does not count, nor do internal notes or the citizen's own messages. The one
# move the system makes (a reporter's "not resolved" reopening the concern) follows a
# closure, so it is never the first.
FIRST_CONTACT_KINDS = (EventKind.REPLY, EventKind.STATUS)


@dataclass(frozen=True)
class ServiceTimes:
    """The concerns of a cohort as columns, one row per concern: `received`,
    `first_contact` and `closed` as seconds since the epoch (NaN when there is none
    yet), the month of receipt as `year * 12 + month − 1` (local time), the
    category's due time in days, the responsible unit's path; and the reporters'
    answers after closure, one row per answer (`answer_row` indexes the concern)."""

    id: np.ndarray
    unit_path: list[str]
    received: np.ndarray
    first_contact: np.ndarray
    closed: np.ndarray
    month: np.ndarray
    due_days: np.ndarray
    period: np.ndarray  # 0: the period asked for, 1: the second one (`also`)
    answer_row: np.ndarray
    answer_resolved: np.ndarray
    answer_at: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    def subset(self, mask: np.ndarray) -> "ServiceTimes":
        """The concerns where `mask` is true, with their answers."""
        renumber = np.cumsum(mask) - 1
        kept = mask[self.answer_row]
        return ServiceTimes(
            id=self.id[mask],
            unit_path=[p for p, keep in zip(self.unit_path, mask, strict=True) if keep],
            received=self.received[mask],
            first_contact=self.first_contact[mask],
            closed=self.closed[mask],
            month=self.month[mask],
            due_days=self.due_days[mask],
            period=self.period[mask],
            answer_row=renumber[self.answer_row[kept]],
            answer_resolved=self.answer_resolved[kept],
            answer_at=self.answer_at[kept],
        )


class Epoch(Func):
    """A moment as seconds since the epoch (a float), computed by the database:
    reading tens of thousands of timestamps as numbers instead of datetime objects
    is several times faster."""

    output_field = FloatField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps an aware moment in SQLite as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]":
        # the whole seconds (julianday() is exact only to a fraction of a millisecond,
        # so rounded), then the fraction as written. No strftime: its "%" would be
        # taken for a query parameter.
        template = (
            "(ROUND((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400.0)"
            " + CAST(substr(%(expressions)s, 20) AS REAL))"
        )
        return super().as_sql(compiler, connection, template=template)


def _raw(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver gives them: without
    Django's per-value converters, which would take longer than the query."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # an actor who may see nothing
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _month_starts(start: date, end: date) -> tuple[np.ndarray, np.ndarray]:
    """The months from `start` to `end` (as `year * 12 + month − 1`) and the moment,
    in seconds since the epoch, at which each begins in local time."""
    zone = timezone.get_current_timezone()
    numbers = np.arange(start.year * 12 + start.month - 1, end.year * 12 + end.month)
    starts = [datetime(int(n) // 12, int(n) % 12 + 1, 1, tzinfo=zone).timestamp() for n in numbers]
    return numbers, np.asarray(starts, dtype=np.float64)


def service_times(
    actor: Actor, *, path: str = "", start: date, end: date, also: tuple[date, date] | None = None
) -> ServiceTimes:
    """The concerns the actor may see under `path`, received from `start` to `end`
    inclusive (local dates), with when each was first answered and closed: the
    cohort of the service statistics; with `also`, the concerns of a second period
    too (`period` 1), read in the same three queries. Held concerns (waiting for
    moderation) and duplicates (the same concern twice) are left out; rejected and
    referred ones count, as a rejection or a referral is an answer too."""
    zone = timezone.get_current_timezone()
    periods = [(start, end), *([also] if also else [])]
    bounds = [
        (
            datetime.combine(first, time.min, tzinfo=zone),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
        )
        for first, last in periods
    ]
    received_in = Q(pk__in=[])
    for since, until in bounds:
        received_in |= Q(created_at__gte=since, created_at__lt=until)
    concerns = visible_concerns(actor).filter(
        received_in,
        # The span of both, which the index on created_at serves; the periods within it.
        created_at__gte=min(since for since, _until in bounds),
        created_at__lt=max(until for _since, until in bounds),
        is_held=False,
        duplicate_of__isnull=True,
    )
    concerns = concerns.exclude(status=Status.DUPLICATE)
    if path:
        concerns = concerns.filter(unit_path__startswith=path)
    closed = Case(When(status__in=list(CLOSED_STATUSES), then=Epoch("closed_at")), output_field=FloatField())
    rows = _raw(
        concerns.order_by()
        .annotate(received_s=Epoch("created_at"), closed_s=closed)
        .values_list("id", "unit_path", "received_s", "closed_s", "category__due_days")
    )
    cohort = concerns.order_by().values("pk")
    # The first answer of each: one grouped pass over the events since the first period
    # began (none of the cohort's is older), not a lookup per concern; the few concerns
    # outside the cohort it also meets are dropped below, which costs less than joining.
    earliest = min(since for since, _until in bounds)
    firsts = _raw(
        ConcernEvent.objects.filter(kind__in=FIRST_CONTACT_KINDS, at__gte=earliest)
        .order_by()
        .values("concern_id")
        .annotate(first_s=Epoch(Min("at")))
        .values_list("concern_id", "first_s")
    )
    answers = _raw(
        ClosureAnswer.objects.filter(concern__in=cohort)
        .order_by()
        .annotate(answered_s=Epoch("answered_at"))
        .values_list("concern_id", "resolved", "answered_s")
    )
    size = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=size)
    received = np.fromiter((r[2] for r in rows), dtype=np.float64, count=size)
    period = np.zeros(size, dtype=np.int8)
    if also:
        since, until = bounds[1]
        period[(received >= since.timestamp()) & (received < until.timestamp())] = 1
    numbers, starts = _month_starts(min(p[0] for p in periods), max(p[1] for p in periods))
    month = numbers[np.clip(np.searchsorted(starts, received, side="right") - 1, 0, len(numbers) - 1)]
    position = {int(concern_id): index for index, concern_id in enumerate(ids)}
    first_contact = np.full(size, np.nan)
    for concern_id, seconds in firsts:
        row = position.get(concern_id)
        if row is not None:
            first_contact[row] = seconds
    closed_s = np.fromiter((np.nan if r[3] is None else r[3] for r in rows), dtype=np.float64, count=size)
    return ServiceTimes(
        id=ids,
        unit_path=[r[1] for r in rows],
        received=received,
        first_contact=first_contact,
        closed=closed_s,
        month=month.astype(np.int32),
        due_days=np.fromiter((r[4] for r in rows), dtype=np.float64, count=size),
        period=period,
        answer_row=np.fromiter((position[a[0]] for a in answers), dtype=np.int64, count=len(answers)),
        answer_resolved=np.fromiter((bool(a[1]) for a in answers), dtype=bool, count=len(answers)),
        answer_at=np.fromiter((a[2] for a in answers), dtype=np.float64, count=len(answers)),
    )


def list_concerns_by_id(actor: Actor, ids: Iterable[int]) -> ConcernQuerySet:
    """The concerns of `ids` the actor may see (the records behind a figure), oldest first."""
    return (
        visible_concerns(actor)
        .filter(pk__in=list(ids))
        .select_related("category", "unit")
        .order_by("created_at", "id")
    )
