"""JSON API for the media log: the reports of the caller's places, logging one
through the same service as the phone form, and the coverage figures (monthly
counts by tone, net tone with its interval, top topics and outlets, the same
period a year earlier). Scoped by place; nobody is named."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.api import Day, Id, Page, PageQuery, days_in_order, page_of
from cpis.core.errors import InvalidInput
from cpis.organisation.access import api_actor

from . import selectors, services
from .models import MediaItem, OutletKind, Tone
from .policy import policy

router = Router(tags=["media"])


class MediaPlaceOut(Schema):
    id: int
    name: str


class MediaItemOut(Schema):
    id: int
    published_on: date
    outlet_id: int
    outlet_name: str = Field(alias="outlet.name")
    outlet_kind: str = Field(alias="outlet.kind")
    headline: str
    url: str
    summary: str
    topic_code: str = Field(alias="topic.code")
    topic_name: str = Field(alias="topic.name")
    tone: str
    places: list[MediaPlaceOut]

    @staticmethod
    def resolve_places(obj: MediaItem) -> list[dict[str, Any]]:
        return [{"id": p.unit_id, "name": p.unit.name} for p in obj.places.all()]


class MediaPage(Page[MediaItemOut]):
    pass


class MediaFilters(Schema):
    unit_id: Id | None = Field(None, description="Only reports about places at or under this unit")
    since: Day | None = Field(None, alias="from", description="First day, included")
    until: Day | None = Field(None, alias="to", description="Last day, included")
    topic: str | None = Field(None, max_length=40, description="A topic's code")
    outlet_kind: OutletKind | None = None
    tone: Tone | None = None


class MediaQuery(PageQuery, MediaFilters):
    _days_in_order = model_validator(mode="after")(days_in_order)


class CountsQuery(MediaFilters):
    _days_in_order = model_validator(mode="after")(days_in_order)


def _filters(request: HttpRequest, query: MediaFilters) -> selectors.Filters:
    actor = api_actor(request)
    topic = None
    if query.topic:
        topic = selectors.get_topic_by_code(query.topic)
        if topic is None:
            raise InvalidInput(_("There is no such topic."))
    return selectors.Filters(
        unit=selectors.get_unit(actor, query.unit_id) if query.unit_id else None,
        start=query.since,
        end=query.until,
        topic=topic,
        outlet_kind=query.outlet_kind or "",
        tone=query.tone or "",
    )


@router.get("", response=MediaPage, auth=STAFF, url_name="media")
def list_items(request: HttpRequest, query: Query[MediaQuery]) -> Any:
    """The media reports about the caller's places, newest first. A unit outside
    the caller's places answers 404."""
    actor = api_actor(request)
    policy.require_anywhere(actor, "view")
    return page_of(selectors.list_items(actor, _filters(request, query)), query)


class ToneCountsOut(Schema):
    positive: int
    neutral: int
    negative: int
    total: int
    net_tone: float | None = Field(description="(positive − negative) / total, from −1 to +1")
    net_tone_low: float | None = Field(description="95% interval (normal approximation), low end")
    net_tone_high: float | None = Field(description="95% interval (normal approximation), high end")


class MonthOut(ToneCountsOut):
    month: str


class RankedOut(ToneCountsOut):
    name: str


class CountsOut(Schema):
    start: date
    end: date
    months: list[MonthOut]
    totals: ToneCountsOut
    same_period_last_year: ToneCountsOut
    top_topics: list[RankedOut]
    top_outlets: list[RankedOut]


def _counts(counts: selectors.ToneCounts, **more: Any) -> dict[str, Any]:
    net = counts.net
    return {
        "positive": counts.positive,
        "neutral": counts.neutral,
        "negative": counts.negative,
        "total": counts.total,
        "net_tone": None if net is None else round(net.estimate, 6),
        "net_tone_low": None if net is None else round(net.low, 6),
        "net_tone_high": None if net is None else round(net.high, 6),
        **more,
    }


@router.get("/counts", response=CountsOut, auth=STAFF, url_name="media_counts")
def counts(request: HttpRequest, query: Query[CountsQuery]) -> Any:
    """Reports about the caller's places by month and tone (the last twelve months
    unless `from` and `to` are given), with the net-tone index and its 95% interval,
    the top topics and outlets, and the same period a year earlier."""
    actor = api_actor(request)
    policy.require_anywhere(actor, "view")
    figures = selectors.coverage(actor, _filters(request, query))
    return {
        "start": figures.start,
        "end": figures.end,
        "months": [_counts(m.counts, month=m.month.strftime("%Y-%m")) for m in figures.months],
        "totals": _counts(figures.totals),
        "same_period_last_year": _counts(figures.last_year),
        "top_topics": [_counts(r.counts, name=r.label) for r in figures.topics],
        "top_outlets": [_counts(r.counts, name=r.label) for r in figures.outlets],
    }


class MediaItemIn(Schema):
    outlet_id: int
    published_on: Day | None = Field(None, description="Today when left out")
    headline: str = Field(..., max_length=300)
    tone: Tone
    topic: str = Field(..., max_length=40, description="A topic's code")
    unit_ids: list[Id] = Field(
        default_factory=list, max_length=20, description="Places; the caller's when left out"
    )
    url: str = Field("", max_length=500)
    summary: str = Field("", max_length=2000)
    municipality_ids: list[Id] = Field(default_factory=list, max_length=40)
    problem_ids: list[Id] = Field(default_factory=list, max_length=20)
    activity_ids: list[Id] = Field(default_factory=list, max_length=20)
    meeting_ids: list[Id] = Field(default_factory=list, max_length=20)
    press_release_ids: list[Id] = Field(default_factory=list, max_length=20)


@router.post("", response={200: MediaItemOut, 201: MediaItemOut}, auth=STAFF, url_name="media_log")
def log_item(request: HttpRequest, payload: MediaItemIn) -> Any:
    """Log a media report: the same checks as the phone form. A report the outlet
    already has (same link, or same day and headline) answers 409; bad input 400
    with a translated message; nothing is stored then. An optional
    `Idempotency-Key` header makes a retry safe."""
    actor = api_actor(request)
    outlet = selectors.get_outlet(payload.outlet_id)
    if outlet is None:
        raise InvalidInput(_("There is no such outlet."))
    topic = selectors.get_topic_by_code(payload.topic)
    if topic is None:
        raise InvalidInput(_("There is no such topic."))
    if payload.unit_ids:
        units = [selectors.get_unit(actor, unit_id) for unit_id in payload.unit_ids]
    else:
        default = selectors.default_place(actor)
        units = [default] if default is not None else []
    municipalities = selectors.get_municipalities(payload.municipality_ids)
    item, replayed = idempotency.submit_if_keyed(
        idempotency.header_key(request),
        payload.dict(),
        scope=f"media:{actor.user_id}",
        load=lambda pk: selectors.get_item(actor, pk),
        create=lambda: services.log_item(
            actor,
            published_on=payload.published_on or timezone.localdate(),
            outlet=outlet,
            headline=payload.headline,
            topic=topic,
            tone=payload.tone,
            units=units,
            url=payload.url,
            summary=payload.summary,
            municipalities=municipalities,
            links=services.Links(
                problem_ids=payload.problem_ids,
                activity_ids=payload.activity_ids,
                meeting_ids=payload.meeting_ids,
                press_release_ids=payload.press_release_ids,
            ),
        ),
    )
    return (200 if replayed else 201), selectors.get_item(actor, item.pk)
