"""Reads for outreach: the activities of the actor's places with filters and
totals per kind, the form's defaults (my sector, me), the export, and the
counts the action plan's indicators and the monthly report read."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.http import one_or_404
from cpis.core.periods import Period, count_per_period, sum_per_period
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Officer, Settlement, Unit, UnitKind, station_path

from .models import Kind, OutreachActivity
from .policy import policy

# Where an activity can take place: a sector, or a station (or substation) as a whole.
PLACE_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION)


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    topic: str = ""
    period: Period | None = None
    unit: Unit | None = None


def visible_activities(actor: Actor) -> QuerySet[OutreachActivity]:
    return OutreachActivity.objects.filter(policy.scope(actor, "view", "unit_path"))


def _filtered(actor: Actor, filters: Filters) -> QuerySet[OutreachActivity]:
    activities = visible_activities(actor)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.topic:
        activities = activities.filter(topic=filters.topic)
    if filters.period is not None:
        activities = activities.filter(
            happened_on__gte=filters.period.start, happened_on__lte=filters.period.end
        )
    if filters.unit is not None:
        activities = activities.filter(unit_path__startswith=filters.unit.path)
    return activities


def list_activities(actor: Actor, filters: Filters) -> QuerySet[OutreachActivity]:
    """The activities of the actor's places that match, newest first."""
    return (
        _filtered(actor, filters)
        .select_related("unit", "unit__parent", "settlement", "created_by")
        .prefetch_related("officers")
        .order_by("-happened_on", "-id")
    )


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    activities: int
    audience: int


def totals_by_kind(actor: Actor, filters: Filters) -> tuple[list[KindTotal], KindTotal]:
    """Activities and audience per kind for the same filters (one query),
    every kind listed, and the overall total."""
    rows = {
        row["kind"]: row
        for row in _filtered(actor, filters)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), people=Sum("audience"))
    }
    totals = [
        KindTotal(
            kind=kind.value,
            label=str(kind.label),
            activities=rows.get(kind.value, {}).get("n", 0),
            audience=rows.get(kind.value, {}).get("people") or 0,
        )
        for kind in Kind
    ]
    overall = KindTotal(
        kind="",
        label=_("All kinds"),
        activities=sum(t.activities for t in totals),
        audience=sum(t.audience for t in totals),
    )
    return totals, overall


def get_activity(actor: Actor, activity_id: int) -> OutreachActivity:
    """One activity of the actor's places; 404 otherwise, as for one that does not exist."""
    return one_or_404(
        visible_activities(actor)
        .select_related("unit", "unit__parent", "settlement", "created_by", "updated_by")
        .prefetch_related("officers"),
        pk=activity_id,
    )


def get_unit(actor: Actor, unit_id: int) -> Unit:
    """A unit of the actor's places (to narrow a list to, or to log at); 404 otherwise."""
    return one_or_404(Unit.objects.filter(policy.scope(actor, "view")), pk=unit_id)


# --- the log form ---------------------------------------------------------------------


def list_places(actor: Actor, action: str = "log") -> QuerySet[Unit]:
    """Sectors and stations where the actor may do `action`, in tree order."""
    return (
        Unit.objects.filter(kind__in=PLACE_KINDS)
        .filter(policy.scope(actor, action))
        .select_related("parent")
        .order_by("path")
    )


def officer_of(actor: Actor) -> Officer | None:
    """The officer profile of the signed-in user, if they have one in service."""
    if actor.user_id is None:
        return None
    return Officer.objects.select_related("unit").filter(user_id=actor.user_id, is_active=True).first()


def default_place(actor: Actor, officer: Officer | None) -> Unit | None:
    """Where the log form starts: the officer's current sector, else their
    station, else the most local sector or station the actor holds a role at."""
    if officer is not None:
        assignment = Assignment.objects.current().filter(officer=officer).select_related("sector").first()
        if assignment is not None and policy.can(actor, "log", assignment.sector.path):
            return assignment.sector
        if officer.unit.kind in PLACE_KINDS and policy.can(actor, "log", officer.unit.path):
            return officer.unit
    paths = policy.places(actor, "log")
    return Unit.objects.filter(path__in=paths, kind__in=PLACE_KINDS).order_by("-path").first()


def list_officer_choices(unit: Unit | None, *, include: Iterable[int] = ()) -> QuerySet[Officer]:
    """Officers to tick on the form: the sector's team today (for a station,
    everyone serving under it), plus `include` (me, and those already on
    the activity)."""
    team = Q(pk__in=[])
    if unit is not None:
        serving = Assignment.objects.current().filter(sector__path__startswith=unit.path).values("officer_id")
        team = Q(pk__in=serving)
        if unit.kind != UnitKind.SECTOR:
            team |= Q(unit__path__startswith=unit.path)
    wanted = (team & Q(is_active=True)) | Q(pk__in=list(include))
    return Officer.objects.filter(wanted).order_by("last_name", "first_name", "id")


def officer_ids_by_badge(badge_numbers: Iterable[str]) -> dict[str, int]:
    """The officers with these badge numbers: badge number → id (unknown ones left out)."""
    badges = {b.strip() for b in badge_numbers if b.strip()}
    return dict(Officer.objects.filter(badge_number__in=badges).values_list("badge_number", "pk"))


def allowed_officer_ids(unit: Unit, officer_ids: Iterable[int]) -> set[int]:
    """Which of `officer_ids` are in service at the unit's station (home unit
    or a current assignment there)."""
    ids = list(officer_ids)
    station = station_path(unit.path)
    serving = Assignment.objects.current().filter(sector__path__startswith=station).values("officer_id")
    return set(
        Officer.objects.filter(pk__in=ids, is_active=True)
        .filter(Q(unit__path__startswith=station) | Q(pk__in=serving))
        .values_list("pk", flat=True)
    )


# --- export ---------------------------------------------------------------------------

EXPORT_HEADER = [
    "date",
    "kind",
    "topic",
    "station",
    "sector_or_station",
    "place",
    "settlement",
    "audience",
    "officers",
    "notes",
    "logged_by",
    "logged_at",
]


def export_rows(actor: Actor, filters: Filters) -> Iterator[list[Any]]:
    """The filtered activities as rows of plain values (officer-written text
    as written; the exporter makes it safe for spreadsheets)."""
    activities = list_activities(actor, filters)
    for a in activities.iterator(chunk_size=2000):
        station = a.unit.parent if a.unit.kind == UnitKind.SECTOR and a.unit.parent else a.unit
        yield [
            a.happened_on,
            a.get_kind_display(),
            a.get_topic_display() if a.topic else "",
            station.name,
            a.unit.name,
            a.place,
            a.settlement.name if a.settlement else "",
            a.audience,
            "; ".join(o.full_name for o in a.officers.all()),
            a.notes,
            a.created_by.get_username() if a.created_by else "",
            timezone.localtime(a.created_at).replace(tzinfo=None),
        ]


# --- counts for the action plan and the monthly report --------------------------------


def _activities(path: str) -> QuerySet[OutreachActivity]:
    activities = OutreachActivity.objects.all()
    return activities.filter(unit_path__startswith=path) if path else activities


@dataclass(frozen=True)
class _KindCount:
    """The activities of one kind held in each period, under `path` (all
    places when empty)."""

    kind: str

    def __call__(self, periods: list[Period], *, path: str = "") -> list[int]:
        return count_per_period(_activities(path).filter(kind=self.kind), "happened_on", periods)


# Lectures held in schools, on any topic [2.3.3, 2.3.4].
count_lectures = _KindCount(Kind.SCHOOL_LECTURE)
# Sector leaders' contacts with the public to introduce themselves [2.4.7].
count_public_contacts = _KindCount(Kind.PUBLIC_CONTACT)
# Meetings, workshops and seminars with the community and NGOs [2.3.1].
count_ngo_meetings = _KindCount(Kind.COMMUNITY_MEETING)
# Presentations of the ways to contact the police [2.3.2].
count_presentations = _KindCount(Kind.CONTACT_PRESENTATION)
# Presentations of the police's work in the media [2.3.8].
count_media_appearances = _KindCount(Kind.MEDIA)
# Awareness campaigns [1.4.1].
count_campaigns = _KindCount(Kind.CAMPAIGN)


def count_promotional_activities(periods: list[Period], *, path: str = "") -> list[int]:
    """Every kind of outreach activity: the promotional activities of 2.4.13."""
    return count_per_period(_activities(path), "happened_on", periods)


def count_open_day_visitors(periods: list[Period], *, path: str = "") -> list[int]:
    """Citizens who visited the police on open days (Police Day) [2.3.7]:
    the sum of the audience, in one query (a filtered SUM per period)."""
    open_days = _activities(path).filter(kind=Kind.OPEN_DAY)
    return sum_per_period(open_days, "happened_on", periods, value="audience")


# --- who may change an entry ----------------------------------------------------------

# An officer may correct or delete their own entry for a week; after that it
# stands as a record, and only a station lead role may change it.
EDIT_WINDOW = timedelta(days=7)


def within_edit_window(activity: OutreachActivity) -> bool:
    return timezone.now() - activity.created_at <= EDIT_WINDOW


def is_own(actor: Actor, activity: OutreachActivity) -> bool:
    return actor.user_id is not None and activity.created_by_id == actor.user_id


def can_change(actor: Actor, activity: OutreachActivity) -> bool:
    """Station lead roles at the place, always; the author, within 7 days."""
    if policy.can(actor, "manage", activity.unit_path):
        return True
    return (
        policy.can(actor, "log", activity.unit_path)
        and is_own(actor, activity)
        and within_edit_window(activity)
    )


def list_settlements(places: Iterable[Unit]) -> QuerySet[Settlement]:
    """Settlements of the municipalities of these places, for the optional
    settlement field."""
    municipalities = {u.municipality_id for u in places if u.municipality_id}
    return (
        Settlement.objects.filter(municipality_id__in=municipalities)
        .select_related("municipality")
        .order_by("municipality__name_sq", "name_sq")
    )


def get_settlement(settlement_id: int | None) -> Settlement | None:
    if settlement_id is None:
        return None
    return Settlement.objects.filter(pk=settlement_id).first()


def list_filter_units(actor: Actor) -> QuerySet[Unit]:
    """Regions, stations and sectors the actor sees, to narrow the list to."""
    return (
        Unit.objects.filter(kind__in=(UnitKind.REGION, *PLACE_KINDS))
        .filter(policy.scope(actor, "view"))
        .select_related("parent")
        .order_by("path")
    )
