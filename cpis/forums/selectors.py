"""Reads for community safety forums: the forums of a place with their
sustainability figures [Evaluation 5], one forum with its members (contacts
only through the logged readers), meetings, action items, proposed LPSC
sites, the citizens' side (public meetings, minutes, forum news), exports
and the counts the action plan's indicators use."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.services import log_personal_data_access
from cpis.core.periods import Period, count_per_period, day_start, half_years
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .models import (
    ActionItem,
    ActionItemQuerySet,
    ActionStatus,
    AgeBand,
    Community,
    Decision,
    Forum,
    ForumMember,
    ForumQuerySet,
    ForumStatus,
    Gender,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    PressRelease,
    ProposedSite,
    SiteStatus,
    TensionReport,
    TrainerEngagement,
)
from .policy import policy

MEMBER_SUBJECT = "forums.forummember"
# Places a forum can serve: a sector, or a station (or substation) for its area.
FORUM_PLACE_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION)
# The sustainability tables reach back at most this many years.
SUSTAINABILITY_YEARS = 15
PUBLIC_LIST_LIMIT = 20


def _not_found() -> Http404:
    return Http404(_("Not found."))


# --- forums --------------------------------------------------------------------------


def visible_forums(actor: Actor) -> ForumQuerySet:
    return Forum.objects.filter(policy.scope(actor, "view", "unit_path"))


@dataclass(frozen=True)
class ForumFilters:
    unit_path: str = ""
    kind: str = ""
    status: str = ""


def _count_by_forum(queryset: QuerySet[Any]) -> Any:
    counted = queryset.values("forum").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def filter_forums(actor: Actor, filters: ForumFilters | None = None) -> ForumQuerySet:
    filters = filters or ForumFilters()
    forums = visible_forums(actor).within(filters.unit_path)
    if filters.kind:
        forums = forums.filter(kind=filters.kind)
    if filters.status:
        forums = forums.filter(status=filters.status)
    return forums


def list_forums(
    actor: Actor, filters: ForumFilters | None = None, *, today: date | None = None
) -> ForumQuerySet:
    """The forums under the actor's places, each with its current members,
    women among them, and meetings held in the last twelve months."""
    today = today or timezone.localdate()
    forums = filter_forums(actor, filters)
    current = ForumMember.objects.current(today).filter(forum=OuterRef("pk"))
    year_ago = timezone.now() - timedelta(days=365)
    held = Meeting.objects.filter(forum=OuterRef("pk"), status=MeetingStatus.HELD)
    return (
        forums.select_related("unit", "municipality")
        .annotate(
            member_count=_count_by_forum(current),
            women_count=_count_by_forum(current.filter(gender=Gender.FEMALE)),
            held_last_year=_count_by_forum(held.filter(starts_at__gte=year_ago)),
            last_held=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        )
        .order_by("unit_path", "kind", "name")
    )


def get_forum(actor: Actor, forum_id: int) -> Forum:
    forum = (
        visible_forums(actor)
        .select_related("unit", "unit__parent", "municipality")
        .filter(pk=forum_id)
        .first()
    )
    if forum is None:
        raise _not_found()
    return forum


def list_place_units(actor: Actor) -> QuerySet[Unit]:
    """Places to filter by: the actor's own, and the regions, stations and
    substations under them (sectors are reached through their forum)."""
    tops = policy.places(actor, "view")
    return (
        Unit.objects.filter(policy.scope(actor, "view"))
        .filter(Q(path__in=tops) | Q(kind__in=[UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION]))
        .order_by("path")
    )


def get_place(actor: Actor, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    return Unit.objects.filter(policy.scope(actor, "view")).filter(pk=unit_id).first()


def list_forum_places(actor: Actor) -> QuerySet[Unit]:
    """Sectors, substations and stations where the actor may keep forums."""
    return (
        Unit.objects.filter(policy.scope(actor, "manage"), kind__in=FORUM_PLACE_KINDS)
        .select_related("parent")
        .order_by("path")
    )


def list_manageable_forums(actor: Actor) -> ForumQuerySet:
    return Forum.objects.filter(policy.scope(actor, "manage", "unit_path")).order_by("unit_path", "name")


# --- members -------------------------------------------------------------------------


@dataclass
class Members:
    current: list[ForumMember]
    former: list[ForumMember]


ROLE_ORDER = Case(
    When(role=MemberRole.CHAIR, then=0),
    When(role=MemberRole.DEPUTY_CHAIR, then=1),
    When(role=MemberRole.SECRETARY, then=2),
    default=3,
)


def list_members(forum: Forum, *, today: date | None = None) -> Members:
    """Current and former members, without their contact details."""
    today = today or timezone.localdate()
    members = list(
        forum.members.defer("phone", "email").annotate(role_order=ROLE_ORDER).order_by("role_order", "name")
    )
    return Members(
        current=[m for m in members if m.is_current(today)],
        former=sorted((m for m in members if not m.is_current(today)), key=lambda m: m.term_end or today),
    )


def can_view_contacts(actor: Actor, forum: Forum) -> bool:
    return policy.can(actor, "view_contact", forum.unit_path)


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    consent: bool


def get_member_contacts(actor: Actor, forum: Forum, *, request: HttpRequest | None) -> dict[int, Contact]:
    """Every member's phone and e-mail, for roles that need them [2.4.11];
    one access-log row per member shown."""
    policy.require(actor, "view_contact", forum.unit_path)
    members = list(forum.members.only("pk", "phone", "email", "consent_to_contact").order_by("pk"))
    for member in members:
        log_personal_data_access(
            user_id=actor.user_id, subject_type=MEMBER_SUBJECT, subject_id=member.pk, request=request
        )
    return {m.pk: Contact(m.phone, m.email, m.consent_to_contact) for m in members}


def get_member(actor: Actor, member_id: int) -> ForumMember:
    member = (
        ForumMember.objects.filter(forum__in=visible_forums(actor))
        .select_related("forum", "forum__unit")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise _not_found()
    return member


def get_member_contact(actor: Actor, member: ForumMember, *, request: HttpRequest | None) -> Contact:
    """One member's phone and e-mail; the view is logged."""
    policy.require(actor, "view_contact", member.forum.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type=MEMBER_SUBJECT, subject_id=member.pk, request=request
    )
    return Contact(member.phone, member.email, member.consent_to_contact)


def list_trainer_engagements(forum: Forum) -> QuerySet[TrainerEngagement]:
    return TrainerEngagement.objects.filter(member__forum=forum).select_related("member")


# --- meetings ------------------------------------------------------------------------


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    return Meeting.objects.filter(policy.scope(actor, "view", "forum__unit_path"))


def list_meetings(forum: Forum) -> QuerySet[Meeting]:
    return (
        forum.meetings.annotate(present_count=Count("members_present"))
        .defer("minutes", "agenda")
        .order_by("-starts_at", "-id")
    )


def list_meetings_between(
    forum: Forum, *, since: date | None = None, until: date | None = None
) -> QuerySet[Meeting]:
    """A forum's meetings, newest first, starting on a local day from `since`
    to `until` (both included, either open)."""
    meetings = list_meetings(forum)
    if since is not None:
        meetings = meetings.filter(starts_at__gte=day_start(since))
    if until is not None:
        meetings = meetings.filter(starts_at__lt=day_start(until + timedelta(days=1)))
    return meetings


def get_meeting(actor: Actor, meeting_id: int) -> Meeting:
    meeting = (
        visible_meetings(actor)
        .select_related("forum", "forum__unit", "recorded_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise _not_found()
    return meeting


def list_present(meeting: Meeting) -> QuerySet[ForumMember]:
    return meeting.members_present.defer("phone", "email").order_by("name")


def list_attendance_choices(meeting: Meeting) -> QuerySet[ForumMember]:
    """Members whose term covers the meeting's day: who can be ticked present."""
    day = timezone.localdate(meeting.starts_at)
    return meeting.forum.members.current(day).defer("phone", "email").order_by("name")


def list_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.order_by("position", "id")


def list_meeting_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related("owner_user").order_by("due_on", "id")


def visible_action_items(actor: Actor) -> ActionItemQuerySet:
    return ActionItem.objects.filter(policy.scope(actor, "view", "meeting__forum__unit_path"))


def get_action_item(actor: Actor, item_id: int) -> ActionItem:
    item = visible_action_items(actor).select_related("meeting__forum").filter(pk=item_id).first()
    if item is None:
        raise _not_found()
    return item


def list_action_items(
    actor: Actor, *, unit_path: str = "", show: str = "open", today: date | None = None
) -> ActionItemQuerySet:
    """A place's action items: `open` (the default), `overdue`, `done` or `all`;
    the longest overdue first."""
    items = visible_action_items(actor)
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    if show == "overdue":
        items = items.overdue(today)
    elif show == "done":
        items = items.filter(status=ActionStatus.DONE)
    elif show != "all":
        items = items.open()
    return items.select_related("meeting", "meeting__forum", "owner_user").order_by("status", "due_on", "id")


@dataclass(frozen=True)
class ActionSummary:
    open: int
    overdue: int


def summarise_action_items(actor: Actor, *, unit_path: str = "", today: date | None = None) -> ActionSummary:
    today = today or timezone.localdate()
    items = visible_action_items(actor)
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    counts = items.aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_on__lt=today)),
    )
    return ActionSummary(open=counts["open"], overdue=counts["overdue"])


# --- proposed LPSC sites, tension reports, press releases ---------------------------------


def visible_sites(actor: Actor) -> QuerySet[ProposedSite]:
    return ProposedSite.objects.filter(policy.scope(actor, "view", "unit_path"))


def list_sites(actor: Actor, *, unit_path: str = "", status: str = "") -> QuerySet[ProposedSite]:
    sites = visible_sites(actor)
    if unit_path:
        sites = sites.filter(unit_path__startswith=unit_path)
    if status:
        sites = sites.filter(status=status)
    return sites.select_related("unit", "unit__parent", "forum").order_by("-identified_on", "-id")


def list_forum_sites(forum: Forum) -> QuerySet[ProposedSite]:
    """Sites that led to this forum, and open sites at its place."""
    return (
        ProposedSite.objects.filter(
            Q(forum=forum)
            | Q(
                unit_path__startswith=forum.unit_path,
                status__in=[SiteStatus.IDENTIFIED, SiteStatus.IN_PREPARATION],
            )
        )
        .select_related("unit")
        .order_by("-identified_on")
    )


def site_area(site: ProposedSite) -> str:
    """Where a site's LPSC may be: the site's station or substation area."""
    if site.unit.kind == UnitKind.SECTOR and site.unit.parent_id is not None:
        return site.unit_path.rstrip("/").rsplit("/", 1)[0] + "/"
    return site.unit_path


def list_site_forums(actor: Actor, sites: list[ProposedSite]) -> dict[int, list[Forum]]:
    """For each site, the forums of its area the actor may name as the one
    established there (one query for the whole page)."""
    if not sites:
        return {}
    areas = {site.pk: site_area(site) for site in sites}
    query = Q()
    for area in set(areas.values()):
        query |= Q(unit_path__startswith=area)
    forums = list(
        Forum.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .filter(query)
        .only("pk", "name", "unit_path")
        .order_by("name")
    )
    return {pk: [f for f in forums if f.unit_path.startswith(area)] for pk, area in areas.items()}


def get_site(actor: Actor, site_id: int) -> ProposedSite:
    site = visible_sites(actor).select_related("unit", "forum").filter(pk=site_id).first()
    if site is None:
        raise _not_found()
    return site


def list_tension_reports(forum: Forum) -> QuerySet[TensionReport]:
    return forum.tension_reports.order_by("-reported_on", "-id")


def list_press_releases(forum: Forum) -> QuerySet[PressRelease]:
    return forum.press_releases.defer("body").order_by("is_published", "-published_at", "-created_at")


def get_press_release(actor: Actor, release_id: int) -> PressRelease:
    release = (
        PressRelease.objects.filter(forum__in=visible_forums(actor))
        .select_related("forum")
        .filter(pk=release_id)
        .first()
    )
    if release is None:
        raise _not_found()
    return release


# --- sustainability [Evaluation 5] -----------------------------------------------------


@dataclass
class YearFigures:
    year: int
    held: int = 0
    expected: float = 0.0
    joined: int = 0
    left: int = 0

    @property
    def expected_rounded(self) -> int:
        return round(self.expected)

    @property
    def share(self) -> int | None:
        """Meetings held as a percentage of those expected."""
        expected = self.expected_rounded
        return round(100 * self.held / expected) if expected else None


@dataclass
class AttendancePoint:
    period: Period
    meetings: int
    average: float | None

    @property
    def label(self) -> str:
        return self.period.label


@dataclass
class Sustainability:
    years: list[YearFigures] = field(default_factory=list)
    attendance: list[AttendancePoint] = field(default_factory=list)
    by_gender: list[tuple[str, int]] = field(default_factory=list)
    by_community: list[tuple[str, int]] = field(default_factory=list)
    by_age: list[tuple[str, int]] = field(default_factory=list)
    members_now: int = 0

    women_now: int = 0

    @property
    def women_share(self) -> int | None:
        return round(100 * self.women_now / self.members_now) if self.members_now else None

    @property
    def attendance_max(self) -> float:
        return max((p.average or 0.0 for p in self.attendance), default=0.0) or 1.0

    @property
    def recent_years(self) -> list[YearFigures]:
        return list(reversed(self.years))


def _active_days(start: date, end: date | None, year: int, today: date) -> tuple[int, int]:
    """Days of `year` the forum existed (up to today), and the days of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (last - first).days + 1
    until = min(end or today, today, last)
    since = max(start, first)
    return max((until - since).days + 1, 0), days_in_year


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def sustainability(forums: QuerySet[Forum], *, today: date | None = None) -> Sustainability:
    """Meetings held against expected per year (pro rata for the days each
    forum existed), average attendance (members present and others) per
    half-year, members who joined and left per year, and today's members by
    gender, community and age [Evaluation 5]. A fixed handful of queries."""
    today = today or timezone.localdate()
    rows = list(forums.values_list("pk", "established_on", "dissolved_on", "meetings_per_year"))
    figures = Sustainability()
    if not rows:
        return figures
    ids = [pk for pk, *_rest in rows]
    first_year = max(min(r[1] for r in rows).year, today.year - SUSTAINABILITY_YEARS + 1)
    years = {y: YearFigures(y) for y in range(first_year, today.year + 1)}
    for _pk, established, dissolved, per_year in rows:
        for year, figure in years.items():
            active, days = _active_days(established, dissolved, year, today)
            figure.expected += per_year * active / days
    held = Meeting.objects.filter(forum_id__in=ids, status=MeetingStatus.HELD)
    for year, count in (
        held.annotate(y=ExtractYear("starts_at")).values("y").annotate(n=Count("pk")).values_list("y", "n")
    ):
        if year in years:
            years[year].held = count
    members = ForumMember.objects.filter(forum_id__in=ids)
    for source, attribute in (("term_start", "joined"), ("term_end", "left")):
        counted = (
            members.filter(**{f"{source}__isnull": False})
            .annotate(y=ExtractYear(source))
            .values("y")
            .annotate(n=Count("pk"))
            .values_list("y", "n")
        )
        for year, count in counted:
            if year in years:
                setattr(years[year], attribute, count)
    figures.years = list(years.values())
    figures.attendance = _attendance(held, half_years(date(first_year, 1, 1), today))
    current = members.current(today)
    gender_counts: dict[str, int] = {}
    for attribute, column, choices in (
        ("by_gender", "gender", Gender.choices),
        ("by_community", "community", Community.choices),
        ("by_age", "age_band", [("", _("Not recorded")), *AgeBand.choices]),
    ):
        counts = dict(current.values(column).annotate(n=Count("pk")).values_list(column, "n"))
        if column == "gender":
            gender_counts = counts
        order = [value for value, _label_text in choices]
        setattr(
            figures,
            attribute,
            [(_label(choices, value), counts[value]) for value in order if counts.get(value)],
        )
    figures.members_now = sum(gender_counts.values())
    figures.women_now = gender_counts.get(Gender.FEMALE, 0)
    return figures


def forum_sustainability(forum: Forum, *, today: date | None = None) -> Sustainability:
    """The sustainability figures of one forum (already checked visible)."""
    return sustainability(Forum.objects.filter(pk=forum.pk), today=today)


def _attendance(held: QuerySet[Meeting], periods: list[Period]) -> list[AttendancePoint]:
    """Average attendance per half-year, in two queries: meetings and other
    attendees per period, and members ticked present per period."""
    aggregates: dict[str, Any] = {}
    for i, period in enumerate(periods):
        start, end = period.bounds
        within = Q(starts_at__gte=start, starts_at__lt=end)
        aggregates[f"n{i}"] = Count("pk", filter=within)
        aggregates[f"o{i}"] = Sum("other_attendees", filter=within)
    totals = held.aggregate(**aggregates) if periods else {}
    present = count_per_period(
        Meeting.members_present.through.objects.filter(meeting__in=held), "meeting__starts_at", periods
    )
    points = []
    for i, period in enumerate(periods):
        meetings = totals.get(f"n{i}") or 0
        people = present[i] + (totals.get(f"o{i}") or 0)
        points.append(AttendancePoint(period, meetings, round(people / meetings, 1) if meetings else None))
    return points


# --- exports -------------------------------------------------------------------------


MEETING_EXPORT_HEADER = [
    "forum",
    "forum_kind",
    "place",
    "meeting_kind",
    "starts_at",
    "venue",
    "public",
    "status",
    "members_present",
    "other_attendees",
    "decisions",
    "action_items",
    "minutes_published",
]
ACTION_EXPORT_HEADER = [
    "forum",
    "place",
    "meeting_date",
    "action",
    "owner",
    "due_on",
    "status",
    "done_at",
    "note",
]


def meeting_export_rows(actor: Actor, *, unit_path: str = "") -> list[list[Any]]:
    """A place's meetings for a spreadsheet: no member is named."""
    meetings = Meeting.objects.filter(policy.scope(actor, "export", "forum__unit_path"))
    if unit_path:
        meetings = meetings.filter(forum__unit_path__startswith=unit_path)
    meetings = (
        meetings.select_related("forum", "forum__unit")
        .annotate(
            present=Count("members_present", distinct=True),
            decision_count=Count("decisions", distinct=True),
            action_count=Count("action_items", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )
    return [
        [
            m.forum.name,
            m.forum.get_kind_display(),
            m.forum.unit.name,
            m.get_kind_display(),
            timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"),
            m.place,
            _("yes") if m.is_public else _("no"),
            m.get_status_display(),
            m.present,
            m.other_attendees,
            m.decision_count,
            m.action_count,
            _("yes") if m.minutes_published else _("no"),
        ]
        for m in meetings
    ]


def action_export_rows(actor: Actor, *, unit_path: str = "") -> list[list[Any]]:
    items = ActionItem.objects.filter(policy.scope(actor, "export", "meeting__forum__unit_path"))
    if unit_path:
        items = items.filter(meeting__forum__unit_path__startswith=unit_path)
    items = items.select_related("meeting", "meeting__forum", "meeting__forum__unit").order_by("due_on", "id")
    return [
        [
            i.meeting.forum.name,
            i.meeting.forum.unit.name,
            timezone.localtime(i.meeting.starts_at).date(),
            i.text,
            i.owner_name,
            i.due_on,
            i.get_status_display(),
            timezone.localtime(i.done_at).strftime("%Y-%m-%d %H:%M") if i.done_at else "",
            i.note,
        ]
        for i in items
    ]


def may_export(actor: Actor) -> bool:
    return policy.anywhere(actor, "export")


# --- the citizens' side ------------------------------------------------------------------


@dataclass
class PublicSector:
    sector: Unit
    station: Unit | None
    paths: list[str]


def get_public_sector(sector_id: int) -> PublicSector:
    """A sector and the places whose forums serve it: the sector itself and
    the units above it up to its station."""
    sector = organisation.get_public_sector(sector_id)
    station = organisation.station_of(sector)
    paths = [p for p in sector.ancestor_paths() if station is None or p.startswith(station.path)]
    if station is None:
        paths = [sector.path]
    return PublicSector(sector, station, paths)


def _public_forums(place: PublicSector) -> QuerySet[Forum]:
    return Forum.objects.filter(unit_path__in=place.paths).exclude(status=ForumStatus.DISSOLVED)


def list_public_forums(place: PublicSector) -> QuerySet[Forum]:
    return _public_forums(place).select_related("unit").order_by("-unit_path", "kind", "name")


def list_upcoming_public_meetings(place: PublicSector, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """Planned public meetings of the sector's forums, from those under way
    now (begun within the last few hours) onwards."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(
            forum__in=_public_forums(place),
            status=MeetingStatus.PLANNED,
            is_public=True,
            starts_at__gte=now - timedelta(hours=4),
        )
        .select_related("forum")
        .only(
            "pk",
            "kind",
            "starts_at",
            "duration_minutes",
            "place",
            "agenda",
            "updated_at",
            "created_at",
            "forum__name",
            "forum__language",
            "forum__kind",
        )
        .order_by("starts_at", "pk")[:100]
    )


def list_published_minutes(place: PublicSector) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            forum__unit_path__in=place.paths, status=MeetingStatus.HELD, minutes_published=True
        )
        .select_related("forum")
        .order_by("-starts_at", "-pk")[:PUBLIC_LIST_LIMIT]
    )


def list_public_press_releases(place: PublicSector) -> QuerySet[PressRelease]:
    return (
        PressRelease.objects.filter(forum__unit_path__in=place.paths, is_published=True)
        .select_related("forum")
        .order_by("-published_at", "-pk")[:PUBLIC_LIST_LIMIT]
    )


def get_published_minutes(meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.filter(status=MeetingStatus.HELD, minutes_published=True)
        .select_related("forum", "forum__unit")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise _not_found()
    return meeting


def list_public_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.order_by("position", "id")


def get_published_press_release(release_id: int) -> PressRelease:
    release = (
        PressRelease.objects.filter(is_published=True)
        .select_related("forum", "forum__unit")
        .filter(pk=release_id)
        .first()
    )
    if release is None:
        raise _not_found()
    return release


def public_sector_of(forum: Forum) -> Unit | None:
    """A sector under the forum's place, to link back to from a public page."""
    if forum.unit.kind == UnitKind.SECTOR:
        return forum.unit
    return Unit.objects.sectors().within(forum.unit_path).order_by("path").first()


# --- counts for the action plan's indicators ----------------------------------------------


def _within(queryset: QuerySet[Any], field_name: str, path: str) -> QuerySet[Any]:
    return queryset.filter(**{f"{field_name}__startswith": path}) if path else queryset


def count_meetings_held(periods: list[Period], *, path: str = "") -> list[int]:
    """Forum meetings held, every kind [2.4.5; 3.2.1]."""
    meetings = _within(Meeting.objects.filter(status=MeetingStatus.HELD), "forum__unit_path", path)
    return count_per_period(meetings, "starts_at", periods)


def count_executive_councils(periods: list[Period], *, path: str = "") -> list[int]:
    """LPSC executive council meetings held [2.4.8]."""
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD, kind=MeetingKind.EXECUTIVE_COUNCIL)
    return count_per_period(_within(meetings, "forum__unit_path", path), "starts_at", periods)


def count_forums_established(periods: list[Period], *, path: str = "") -> list[int]:
    """Forums established in the period, by their date of establishment [2.1.4; 2.4.1]."""
    return count_per_period(_within(Forum.objects.all(), "unit_path", path), "established_on", periods)


def count_sites_identified(periods: list[Period], *, path: str = "") -> list[int]:
    """Locations identified as needing a new LPSC [2.4.1]."""
    return count_per_period(_within(ProposedSite.objects.all(), "unit_path", path), "identified_on", periods)


def count_trainers_involved(periods: list[Period], *, path: str = "") -> list[int]:
    """Distinct forum members engaged as community safety trainers [2.4.9]."""
    engagements = _within(TrainerEngagement.objects.all(), "member__forum__unit_path", path)
    return count_per_period(engagements, "on", periods, distinct="member_id")


def count_tension_reports(periods: list[Period], *, path: str = "") -> list[int]:
    """Forums' community tension reports [2.4.10]."""
    reports = _within(TensionReport.objects.all(), "forum__unit_path", path)
    return count_per_period(reports, "reported_on", periods)


def count_press_releases(periods: list[Period], *, path: str = "") -> list[int]:
    """Press releases on forum activity, by the day they were published [2.4.12]."""
    releases = _within(PressRelease.objects.filter(is_published=True), "forum__unit_path", path)
    return count_per_period(releases, "published_at", periods)
