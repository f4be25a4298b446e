"""JSON API for community safety forums: the forums of the caller's places
with their sustainability figures, meetings, action items, and a sector's
upcoming public meetings for anyone. No response carries a member's phone or
e-mail: contacts stay on the logged staff pages."""

from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import PUBLIC, STAFF
from cpis.core.api import Day, Page, PageQuery, days_in_order, page_of
from cpis.organisation.access import Actor, api_actor

from . import selectors
from .models import ActionItem, Forum, ForumKind, ForumStatus, Meeting

router = Router(tags=["forums"])


# --- schemas ---------------------------------------------------------------------------


class ForumOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    name: str
    language: str
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    municipality_id: int | None
    established_on: date
    status: str
    dissolved_on: date | None
    meetings_per_year: int


class ForumListItemOut(ForumOut):
    member_count: int = Field(description="Members whose term covers today")
    women_count: int
    held_last_year: int = Field(description="Meetings held in the last twelve months")
    last_held: datetime | None


class ForumPage(Page[ForumListItemOut]):
    pass


class ForumYearOut(Schema):
    year: int
    held: int
    expected: int = Field(description="Meetings expected, pro rata for the days the forum existed")
    share: int | None = Field(description="Meetings held as a percentage of those expected")
    joined: int
    left: int


class ForumAttendanceOut(Schema):
    period: str
    meetings: int
    average: float | None = Field(description="People present per meeting: members and others")


class ForumCountOut(Schema):
    label: str
    count: int


class ForumSustainabilityOut(Schema):
    members_now: int
    women_now: int
    women_share: int | None
    years: list[ForumYearOut]
    attendance: list[ForumAttendanceOut]
    by_gender: list[ForumCountOut]
    by_community: list[ForumCountOut]
    by_age: list[ForumCountOut]


class ForumDetailOut(ForumOut):
    sustainability: ForumSustainabilityOut

    @staticmethod
    def resolve_sustainability(obj: Forum) -> dict[str, Any]:
        return _sustainability(selectors.forum_sustainability(obj))


class ForumFilters(Schema):
    kind: ForumKind | None = None
    status: ForumStatus | None = None
    unit_id: int | None = Field(None, description="Only forums at or under this unit")


class ForumQuery(PageQuery, ForumFilters):
    pass


class ForumMeetingOut(Schema):
    id: int
    forum_id: int
    kind: str
    starts_at: datetime
    duration_minutes: int
    place: str
    is_public: bool
    status: str
    members_present: int
    other_attendees: int
    minutes_published: bool
    cancel_reason: str

    @staticmethod
    def resolve_members_present(obj: Meeting) -> int:
        return int(getattr(obj, "present_count", 0))


class ForumMeetingPage(Page[ForumMeetingOut]):
    pass


class ForumMeetingDays(Schema):
    since: Day | None = Field(None, alias="from", description="First day (local), included")
    until: Day | None = Field(None, alias="to", description="Last day (local), included")


class ForumMeetingQuery(PageQuery, ForumMeetingDays):
    _days_in_order = model_validator(mode="after")(days_in_order)


class ForumActionOut(Schema):
    id: int
    meeting_id: int
    meeting_date: date
    forum_id: int = Field(alias="meeting.forum_id")
    forum_name: str = Field(alias="meeting.forum.name")
    text: str
    owner_name: str
    due_on: date
    status: str
    overdue: bool
    done_at: datetime | None
    note: str

    @staticmethod
    def resolve_meeting_date(obj: ActionItem) -> date:
        return timezone.localdate(obj.meeting.starts_at)


class ForumActionPage(Page[ForumActionOut]):
    open_count: int = Field(description="Open items at the place (whatever `show`)")
    overdue_count: int = Field(description="Overdue items at the place (whatever `show`)")


class ForumActionFilters(Schema):
    show: Literal["open", "overdue", "done", "all"] = "open"
    unit_id: int | None = Field(None, description="Only items of forums at or under this unit")


class ForumActionQuery(PageQuery, ForumActionFilters):
    pass


class ForumPublicMeetingOut(Schema):
    id: int
    forum_name: str = Field(alias="forum.name")
    forum_kind: str = Field(alias="forum.kind")
    forum_language: str = Field(alias="forum.language")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    starts_at: datetime
    ends_at: datetime
    place: str
    agenda: str

    @staticmethod
    def resolve_ends_at(obj: Meeting) -> datetime:
        return obj.starts_at + timedelta(minutes=obj.duration_minutes)


class ForumPublicSectorOut(Schema):
    sector_id: int
    sector_name: str
    meetings: list[ForumPublicMeetingOut]


# --- helpers ---------------------------------------------------------------------------


def _place_path(actor: Actor, unit_id: int | None) -> str:
    """The path of a place the actor sees forums at; 404 for any other unit."""
    if unit_id is None:
        return ""
    place = selectors.get_place(actor, unit_id)
    if place is None:
        raise Http404(_("Not found."))
    return place.path


def _sustainability(figures: selectors.Sustainability) -> dict[str, Any]:
    return {
        "members_now": figures.members_now,
        "women_now": figures.women_now,
        "women_share": figures.women_share,
        "years": [
            {
                "year": y.year,
                "held": y.held,
                "expected": y.expected_rounded,
                "share": y.share,
                "joined": y.joined,
                "left": y.left,
            }
            for y in figures.years
        ],
        "attendance": [
            {"period": p.label, "meetings": p.meetings, "average": p.average} for p in figures.attendance
        ],
        **{
            name: [{"label": label, "count": count} for label, count in getattr(figures, name)]
            for name in ("by_gender", "by_community", "by_age")
        },
    }


# --- endpoints (fixed paths before /{forum_id}) ------------------------------------------


@router.get("", response=ForumPage, auth=STAFF, url_name="forums")
def list_forums(request: HttpRequest, query: Query[ForumQuery]) -> Any:
    """The forums under the caller's places, by place, kind and name, each
    with its current members, women among them and meetings held in the last
    twelve months. A unit outside the caller's places answers 404."""
    actor = api_actor(request)
    filters = selectors.ForumFilters(
        unit_path=_place_path(actor, query.unit_id),
        kind=query.kind or "",
        status=query.status or "",
    )
    forums = selectors.list_forums(actor, filters)
    return page_of(forums, query)


@router.get("/actions", response=ForumActionPage, auth=STAFF, url_name="forums_actions")
def list_actions(request: HttpRequest, query: Query[ForumActionQuery]) -> Any:
    """Action items of the caller's places: `open` (the default), `overdue`,
    `done` or `all`, by status and due date."""
    actor = api_actor(request)
    unit_path = _place_path(actor, query.unit_id)
    items = selectors.list_action_items(actor, unit_path=unit_path, show=query.show)
    summary = selectors.summarise_action_items(actor, unit_path=unit_path)
    return page_of(items, query, open_count=summary.open, overdue_count=summary.overdue)


@router.get(
    "/public/sectors/{sector_id}/meetings",
    response=ForumPublicSectorOut,
    auth=PUBLIC,
    url_name="forums_public_meetings",
)
def public_meetings(request: HttpRequest, sector_id: int) -> Any:
    """Upcoming public meetings of the forums serving a sector (its own and
    its station's), as on the sector's public page. No sign-in needed."""
    place = selectors.get_public_sector(sector_id)
    return {
        "sector_id": place.sector.pk,
        "sector_name": place.sector.name,
        "meetings": list(selectors.list_upcoming_public_meetings(place)),
    }


@router.get("/{forum_id}", response=ForumDetailOut, auth=STAFF, url_name="forum")
def get_forum(request: HttpRequest, forum_id: int) -> Any:
    """One forum with its sustainability figures: meetings held against
    expected per year, attendance per half-year, members who joined and
    left, and today's members by gender, community and age (counts only)."""
    return selectors.get_forum(api_actor(request), forum_id)


@router.get("/{forum_id}/meetings", response=ForumMeetingPage, auth=STAFF, url_name="forum_meetings")
def list_forum_meetings(request: HttpRequest, forum_id: int, query: Query[ForumMeetingQuery]) -> Any:
    """A forum's meetings, newest first, optionally from one day to another
    (local days, both included). No member is named."""
    forum = selectors.get_forum(api_actor(request), forum_id)
    meetings = selectors.list_meetings_between(forum, since=query.since, until=query.until)
    return page_of(meetings, query)
