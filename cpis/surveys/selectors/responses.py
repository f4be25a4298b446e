"""Reads for collecting and reviewing responses: the open waves that cover an
officer's sectors (a citizen's are `waves.list_open_waves`), the recent forum meetings and outreach
events a response can be taken at, an invitation from its link's token, the
held responses and free text waiting for review, and what of a response may
leave the system."""

import hashlib
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core import idempotency
from cpis.core.http import one_or_404
from cpis.forums.models import Meeting, MeetingStatus
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Municipality, Officer, Unit, station_path
from cpis.outreach.models import OutreachActivity

from ..models import (
    Decision,
    Invitation,
    QuestionKind,
    Response,
    ResponseStatus,
    TextReview,
    Wave,
)
from ..policy import policy
from . import questionnaires, waves

# A response is taken at a forum meeting or an outreach event held in these last days.
RECENT_EVENT_DAYS = 30

# Why a response was held, by the code kept in `Response.held_reason` (codes joined by commas).
HOLD_REASONS = {
    "unverified": _("Sent from the portal without the browser's security check."),
    "device": _("This device had already answered in this wave."),
    "fast": _("Answered faster than the questions can be read."),
    "straight_links": _("The same answer to every agreement question, with a link in the free text."),
    "links": _("Several links in the free text."),
}


def list_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name_sq")


# --- waves and places -----------------------------------------------------------------


def list_collect_waves(actor: Actor) -> QuerySet[Wave]:
    """Open waves covering a sector where the actor may take responses."""
    return waves.list_waves_to(actor, "collect")


def list_paper_waves(actor: Actor) -> QuerySet[Wave]:
    """Open waves covering a sector where the actor may import paper questionnaires."""
    return waves.list_waves_to(actor, "review")


def get_collect_wave(actor: Actor, wave_id: int) -> Wave:
    return one_or_404(list_collect_waves(actor), pk=wave_id)


def get_paper_wave(actor: Actor, wave_id: int) -> Wave:
    return one_or_404(list_paper_waves(actor), pk=wave_id)


def get_public_sector(sector_id: int) -> Unit:
    return one_or_404(Unit.objects.sectors().select_related("parent", "municipality"), pk=sector_id)


def list_wave_sectors(wave: Wave, actor: Actor | None = None, action: str = "collect") -> QuerySet[Unit]:
    """The sectors the wave covers (those where the actor may `action`, when given)."""
    sectors = Unit.objects.sectors().within(wave.place.path).select_related("parent", "municipality")
    if actor is not None:
        sectors = sectors.filter(policy.scope(actor, action))
    return sectors.order_by("path")


def default_sector(actor: Actor, sectors: QuerySet[Unit]) -> Unit | None:
    """Where the collection form starts: the signed-in officer's sector today,
    when it is one of `sectors`; else the first of them."""
    if actor.user_id is not None:
        officer = Officer.objects.filter(user_id=actor.user_id, is_active=True).first()
        if officer is not None:
            assignment = Assignment.objects.current().filter(officer=officer, sector__in=sectors).first()
            if assignment is not None:
                return assignment.sector
    return sectors.first()


def serving_paths(sector: Unit) -> list[str]:
    """The places whose forums and outreach belong to a sector: the sector
    and the units above it up to its station."""
    station = station_path(sector.path)
    return [path for path in sector.ancestor_paths() if path.startswith(station)]


def _recent_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=RECENT_EVENT_DAYS), today


def list_recent_meetings(sector: Unit | None, *, today: date | None = None) -> QuerySet[Meeting]:
    """Meetings of the forums serving the sector in the last days, not cancelled."""
    if sector is None:
        return Meeting.objects.none()
    first, last = _recent_window(today)
    return (
        Meeting.objects.filter(forum__unit_path__in=serving_paths(sector))
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__date__gte=first, starts_at__date__lte=last)
        .select_related("forum")
        .order_by("-starts_at", "-id")
    )


def list_recent_outreach(sector: Unit | None, *, today: date | None = None) -> QuerySet[OutreachActivity]:
    """Outreach activities at the sector (or its station) in the last days."""
    if sector is None:
        return OutreachActivity.objects.none()
    first, last = _recent_window(today)
    return OutreachActivity.objects.filter(
        unit_path__in=serving_paths(sector), happened_on__gte=first, happened_on__lte=last
    ).order_by("-happened_on", "-id")


def device_answered(wave: Wave, device: str) -> bool:
    """Has this device a counted response in the wave?"""
    return (
        bool(device)
        and Response.objects.filter(wave=wave, device=device, status=ResponseStatus.ACCEPTED).exists()
    )


# --- invitations ---------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, whatever its state."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("concern", "concern__sector", "concern__unit", "version")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_state(invitation: Invitation | None) -> str:
    """ "open", "used", "expired" or "unknown"."""
    if invitation is None:
        return "unknown"
    if invitation.response_id is not None:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "open"


# --- review ---------------------------------------------------------------------------


def _reviewable(actor: Actor) -> QuerySet[Response]:
    return Response.objects.filter(policy.scope(actor, "review", "sector__path")).select_related(
        "sector", "wave", "version", "version__questionnaire"
    )


def list_held(actor: Actor) -> QuerySet[Response]:
    """The held responses at the actor's places, oldest first."""
    return _reviewable(actor).filter(status=ResponseStatus.HELD).order_by("submitted_at", "id")


def list_text_pending(actor: Actor) -> QuerySet[Response]:
    """Responses whose free text waits for review at the actor's places, oldest first."""
    return (
        _reviewable(actor)
        .filter(text_review=TextReview.PENDING)
        .exclude(status=ResponseStatus.REJECTED)
        .order_by("submitted_at", "id")
    )


def count_to_review(actor: Actor) -> dict[str, int]:
    return {"held": list_held(actor).count(), "text": list_text_pending(actor).count()}


def get_response(actor: Actor, response_id: int) -> Response:
    """A response the actor may review; 404 otherwise."""
    return one_or_404(_reviewable(actor), pk=response_id)


def list_decisions(response: Response) -> QuerySet[Decision]:
    return response.decisions.select_related("decided_by").order_by("decided_at", "id")


def hold_reasons(response: Response) -> list[str]:
    """Why the response was held, in words."""
    codes = [code for code in response.held_reason.split(",") if code]
    return [str(HOLD_REASONS.get(code, code)) for code in codes]


def answer_rows(response: Response) -> list[dict[str, Any]]:
    """The response's answers against its questions, in order: question,
    kind and the answer in words (options by label), for the review page."""
    rows = []
    for question in questionnaires.list_questions(response.version):
        if question.code not in response.answers:
            continue
        value = response.answers[question.code]
        labels = {option.code: option.label for option in question.options.all()}
        if question.kind == QuestionKind.SINGLE:
            shown: Any = labels.get(value, value)
        elif question.kind == QuestionKind.MULTIPLE:
            shown = ", ".join(str(labels.get(code, code)) for code in value)
        else:
            shown = value
        rows.append({"question": question, "value": shown, "is_text": question.kind == QuestionKind.TEXT})
    return rows


def releasable_answers(response: Response) -> dict[str, Any]:
    """The answers that may leave the system (exports, the API): free text
    only once a reviewer cleared it; withheld or unreviewed text never."""
    if response.text_review == TextReview.CLEARED:
        return dict(response.answers)
    text_codes = set(response.version.questions.filter(kind=QuestionKind.TEXT).values_list("code", flat=True))
    return {code: value for code, value in response.answers.items() if code not in text_codes}


# --- submissions ----------------------------------------------------------------------


def already_recorded(key: str) -> bool:
    """Was a submission under this idempotency key completed already (a replay)?"""
    return bool(key) and idempotency.lookup(key) is not None


def get_collect_sector(actor: Actor, wave: Wave, sector_id: int) -> Unit:
    """A sector of the wave where the actor may take responses; 404 otherwise."""
    return one_or_404(list_wave_sectors(wave, actor, "collect"), pk=sector_id)


def count_entered_today(actor: Actor, wave: Wave, sector: Unit) -> int:
    """Responses the actor entered in the wave at the sector today."""
    return Response.objects.filter(
        wave=wave, sector=sector, entered_by_id=actor.user_id, submitted_at__date=timezone.localdate()
    ).count()
