"""JSON API for concerns: submit with an Idempotency-Key, follow with a
tracking code, and the staff queue scoped by place. No response carries a
reporter's personal data."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cpis.accounts.api_auth import PUBLIC, STAFF
from cpis.core import idempotency, ratelimit
from cpis.core.api import Page, PageQuery, page_of
from cpis.core.http import client_ip
from cpis.organisation.access import api_actor

from . import selectors, services
from .models import Concern, ConcernEvent

router = Router(tags=["concerns"])


class ConcernIn(Schema):
    category: str = Field(..., max_length=40, description="Category code (the Open311 service_code)")
    description: str = Field(..., max_length=4000)
    language: str = Field("sq", description="Language for replies: sq, sr, sr-latn or en")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    place_text: str = Field("", max_length=200)
    reporter_name: str = Field("", max_length=200)
    reporter_email: str = Field("", max_length=254)
    reporter_phone: str = Field("", max_length=40)


class SubmittedOut(Schema):
    id: int
    reference: str
    tracking_code: str
    status: str
    replayed: bool


class EventOut(Schema):
    at: datetime
    kind: str
    to_status: str
    text: str
    is_public: bool


class ConcernOut(Schema):
    id: int
    reference: str
    category: str
    status: str
    channel: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    lat: float | None
    lon: float | None
    place_text: str
    sector_id: int | None
    unit_id: int
    assigned_officer_id: int | None
    is_held: bool
    is_anonymous: bool
    duplicate_of_id: int | None
    outcome: str
    support_count: int = Field(description='Citizens who said "me too" instead of reporting it again')

    @staticmethod
    def resolve_category(obj: Concern) -> str:
        return obj.category.code


class ConcernDetailOut(ConcernOut):
    description: str
    events: list[EventOut]
    public_summary: str = Field(description="The summary an officer approved for the public (empty if none)")
    public_summary_approved_at: datetime | None
    is_public: bool = Field(description="Shown on the public reports map and in Open311")
    photo_is_public: bool

    @staticmethod
    def resolve_public_summary(obj: Concern) -> str:
        return obj.public_summary if obj.public_summary_approved_at else ""

    @staticmethod
    def resolve_events(obj: Concern) -> list[ConcernEvent]:
        return list(selectors.list_events(obj))


class ConcernPage(Page[ConcernOut]):
    pass


class QueueFilters(Schema):
    status: str = ""
    category: str = ""
    unit_id: int | None = None
    overdue: bool = False
    held: bool = False


class QueueQuery(PageQuery, QueueFilters):
    limit: int = Field(100, ge=1, le=500)


class TrackIn(Schema):
    code: str = Field(..., max_length=40)


class PublicEventOut(Schema):
    at: datetime
    kind: str
    to_status: str
    text: str


class PublicStatusOut(Schema):
    reference: str
    status: str
    status_label: str
    category: str
    created_at: datetime
    outcome: str
    events: list[PublicEventOut]


@router.post("", response={200: SubmittedOut, 201: SubmittedOut}, auth=STAFF, url_name="concerns_submit")
def submit(request: HttpRequest, payload: ConcernIn, response: HttpResponse) -> Any:
    """Submit a concern from a partner application. The `Idempotency-Key`
    header is required: a retry with the same key and body returns the same
    tracking code (200), the same key with another body is refused (422),
    and a retry while the first is still being processed gets 409."""
    key = idempotency.header_key(request)
    if not key:
        raise HttpError(400, _("The Idempotency-Key header is required."))
    actor = api_actor(request)
    if not ratelimit.hit(
        "api-submit", f"{actor.user_id}", limit=settings.SUBMISSION_LIMIT_PER_HOUR * 50, window_seconds=3600
    ):
        raise HttpError(429, _("Too many submissions. Try again later."))
    result = services.submit_concern(
        actor,
        category_code=payload.category,
        description=payload.description,
        language=payload.language,
        channel="api",
        idempotency_key=f"api:{actor.user_id}:{key}",
        lat=payload.lat,
        lon=payload.lon,
        place_text=payload.place_text,
        reporter_name=payload.reporter_name,
        reporter_email=payload.reporter_email,
        reporter_phone=payload.reporter_phone,
    )
    body = {
        "id": result.concern.pk,
        "reference": result.concern.reference,
        "tracking_code": result.tracking_code,
        "status": result.concern.status,
        "replayed": result.replayed,
    }
    return (200 if result.replayed else 201), body


@router.post("/track", response=PublicStatusOut, auth=PUBLIC, url_name="concerns_track")
def track(request: HttpRequest, payload: TrackIn) -> Any:
    """What a citizen sees with a tracking code (sent in the body, never in
    a URL). Unknown codes and wrong PINs both answer 404; attempts are
    limited per client and per reference (429)."""
    try:
        concern = selectors.find_by_tracking_code(payload.code, client=client_ip(request))
    except selectors.TrackingLimited as exc:
        raise HttpError(429, _("Too many attempts. Try again in an hour.")) from exc
    if concern is None:
        raise HttpError(404, _("No concern matches this code. Check it and try again."))
    return selectors.public_status(concern)


@router.get("", response=ConcernPage, auth=STAFF, url_name="concerns")
def list_concerns(request: HttpRequest, query: Query[QueueQuery]) -> Any:
    """The concerns under the caller's places, newest first."""
    actor = api_actor(request)
    unit_path = ""
    if query.unit_id:
        from cpis.organisation.selectors import get_unit

        unit_path = get_unit(actor, query.unit_id).path
    concerns = selectors.list_queue(
        actor,
        selectors.QueueFilters(
            unit_path=unit_path,
            status=query.status,
            category=query.category,
            overdue=query.overdue,
            held=query.held,
        ),
    )
    return page_of(concerns, query)


class MapQuery(Schema):
    status: str = ""
    category: str = ""
    overdue: bool = False
    unassigned: bool = False
    mine: bool = False
    held: bool = False
    limit: int = Field(5000, ge=1, le=20000)


@router.get("/map", auth=STAFF, url_name="concerns_map")
def concerns_map(request: HttpRequest, query: Query[MapQuery]) -> Any:
    """The queue's concerns with a location as a GeoJSON FeatureCollection
    (newest first, up to `limit`), for the staff map."""
    actor = api_actor(request)
    concerns = selectors.list_queue(
        actor,
        selectors.QueueFilters(
            status=query.status,
            category=query.category,
            overdue=query.overdue,
            # Only the caller's own: with no user behind the token, none.
            assigned_user=(actor.user_id or -1) if query.mine else None,
            unassigned=query.unassigned,
            held=query.held,
        ),
    ).exclude(lat=None)
    rows = concerns.values_list("pk", "reference", "status", "category__code", "lat", "lon")[: query.limit]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"reference": reference, "status": status, "category": category},
            }
            for pk, reference, status, category, lat, lon in rows
        ],
    }


@router.get("/{concern_id}", response=ConcernDetailOut, auth=STAFF, url_name="concern")
def get_concern(request: HttpRequest, concern_id: int) -> Any:
    """One concern with its whole history (public and internal rows)."""
    return selectors.get_concern(api_actor(request), concern_id)


class PublicSummaryIn(Schema):
    summary: str = Field(
        ..., max_length=500, description="In the officer's words: no names, addresses or contacts"
    )
    publish_photo: bool = False


@router.post(
    "/{concern_id}/public-summary", response=ConcernDetailOut, auth=STAFF, url_name="concern_publish"
)
def publish(request: HttpRequest, concern_id: int, payload: PublicSummaryIn) -> Any:
    """Approve the concern's public summary (and its photo, if asked): the
    concern then shows on the public reports map and in Open311. Leads at its
    place or its assigned officer. A summary that is empty, holds contact
    details or repeats the report word for word answers 400; a sensitive,
    held, duplicate or rejected concern 409; nothing changes then."""
    actor = api_actor(request)
    concern = selectors.get_concern(actor, concern_id)
    services.approve_public_summary(
        actor, concern=concern, summary=payload.summary, publish_photo=payload.publish_photo
    )
    return selectors.get_concern(actor, concern_id)


@router.delete(
    "/{concern_id}/public-summary", response=ConcernDetailOut, auth=STAFF, url_name="concern_unpublish"
)
def unpublish(request: HttpRequest, concern_id: int) -> Any:
    """Take the concern off the public reports map and Open311."""
    actor = api_actor(request)
    services.withdraw_public_summary(actor, concern=selectors.get_concern(actor, concern_id))
    return selectors.get_concern(actor, concern_id)
