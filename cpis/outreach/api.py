"""JSON API for outreach: the activities of the caller's places, and logging
one from a phone through the same service as the web form. Officers appear
by id, name and badge number only; nothing personal."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.api import Day, Page, PageQuery, days_in_order, page_of
from cpis.core.errors import InvalidInput
from cpis.core.periods import Period
from cpis.organisation.access import api_actor

if TYPE_CHECKING:
    from cpis.organisation.models import Officer, Unit

from . import selectors, services
from .models import Kind, OutreachActivity, Topic

router = Router(tags=["outreach"])

# An open end of a date range: before the first and after the last possible entry.
OPEN_START = date(1900, 1, 1)
OPEN_END = date(9999, 12, 31)


class OutreachOfficerOut(Schema):
    id: int
    name: str = Field(alias="full_name")
    badge_number: str


class OutreachActivityOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    topic: str
    happened_on: date
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    place: str
    settlement_id: int | None
    settlement_name: str | None
    audience: int
    officers: list[OutreachOfficerOut]
    notes: str
    logged_by: str
    logged_at: datetime = Field(alias="created_at")

    @staticmethod
    def resolve_settlement_name(obj: OutreachActivity) -> str | None:
        return obj.settlement.name if obj.settlement else None

    @staticmethod
    def resolve_logged_by(obj: OutreachActivity) -> str:
        return obj.created_by.get_username() if obj.created_by else ""


class OutreachPage(Page[OutreachActivityOut]):
    pass


class OutreachFilters(Schema):
    kind: Kind | None = None
    topic: Topic | None = None
    since: Day | None = Field(None, alias="from", description="First day, included")
    until: Day | None = Field(None, alias="to", description="Last day, included")
    unit_id: int | None = Field(None, description="Only activities at or under this unit")


class OutreachQuery(PageQuery, OutreachFilters):
    _days_in_order = model_validator(mode="after")(days_in_order)


class OutreachActivityIn(Schema):
    kind: str = Field(..., max_length=30, description="school_lecture, open_day, media, campaign, …")
    topic: str = Field("", max_length=30, description="For lectures and campaigns: narcotics, weapons, …")
    happened_on: Day | None = Field(None, description="Today when left out")
    unit_id: int | None = Field(
        None, description="Sector or station; when left out, the caller's sector (or station)"
    )
    audience: int = 0
    officer_ids: list[int] = Field(default_factory=list, max_length=50)
    officer_badges: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Officers by badge number, as well as or instead of ids",
    )
    place: str = ""
    settlement_id: int | None = None
    notes: str = ""


def _period(since: date | None, until: date | None) -> Period | None:
    if since is None and until is None:
        return None
    return Period(since or OPEN_START, until or OPEN_END)


@router.get("", response=OutreachPage, auth=STAFF, url_name="outreach")
def list_activities(request: HttpRequest, query: Query[OutreachQuery]) -> Any:
    """The outreach activities of the caller's places, newest first. A unit
    outside the caller's places answers 404."""
    actor = api_actor(request)
    filters = selectors.Filters(
        kind=query.kind or "",
        topic=query.topic or "",
        period=_period(query.since, query.until),
        unit=selectors.get_unit(actor, query.unit_id) if query.unit_id else None,
    )
    activities = selectors.list_activities(actor, filters)
    return page_of(activities, query)


def _officer_ids(me: Officer | None, payload: OutreachActivityIn) -> list[int]:
    """Ids and badge numbers as ids; with neither, the caller's own officer
    profile (as the form ticks it)."""
    ids = list(payload.officer_ids)
    if payload.officer_badges:
        found = selectors.officer_ids_by_badge(payload.officer_badges)
        for badge in payload.officer_badges:
            if badge.strip() not in found:
                raise InvalidInput(_("No officer has the badge number %(badge)s.") % {"badge": badge.strip()})
        ids += found.values()
    if not ids and me is not None:
        ids = [me.pk]
    return sorted(set(ids))


@router.post(
    "", response={200: OutreachActivityOut, 201: OutreachActivityOut}, auth=STAFF, url_name="outreach_log"
)
def log_activity(request: HttpRequest, payload: OutreachActivityIn) -> Any:
    """Log an activity (for phone apps): the same checks as the web form.
    Left out: the date is today, the place the caller's sector or station,
    the officers the caller. Officers go by id or badge number and must serve
    at the place's station. Bad input answers 400 (or 422 for a malformed
    body) with a translated message, and nothing is stored. An optional
    `Idempotency-Key` header makes a retry safe: the same key and body
    return the first activity (200), the same key with another body is
    refused (422), and a retry while the first is still being processed
    gets 409. Keys are the caller's own."""
    actor = api_actor(request)
    me = selectors.officer_of(actor)
    if payload.unit_id is not None:
        unit: Unit | None = selectors.get_unit(actor, payload.unit_id)
    else:
        unit = selectors.default_place(actor, me)
    if unit is None:
        raise InvalidInput(_("Choose a sector or a station as the place."))
    settlement = selectors.get_settlement(payload.settlement_id)
    if payload.settlement_id is not None and settlement is None:
        raise InvalidInput(_("There is no such settlement."))
    activity, replayed = idempotency.submit_if_keyed(
        idempotency.header_key(request),
        payload.dict(),
        scope=f"outreach:{actor.user_id}",
        load=lambda pk: selectors.get_activity(actor, pk),
        create=lambda: services.log_activity(
            actor,
            kind=payload.kind,
            topic=payload.topic,
            happened_on=payload.happened_on or timezone.localdate(),
            unit=unit,
            audience=payload.audience,
            officer_ids=_officer_ids(me, payload),
            place=payload.place,
            settlement=settlement,
            notes=payload.notes,
        ),
    )
    return (200 if replayed else 201), selectors.get_activity(actor, activity.pk)
