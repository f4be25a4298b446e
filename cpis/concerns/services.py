"""Writes for concerns: submission from every channel, routing, the triage
workflow, replies, moderation, notifications through the outbox and
retention. Each service checks its permission first and runs in one
transaction; notifications are rows written in that same transaction and
sent by a task after commit."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import idempotency, outbox
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.images import sanitise_image
from cpis.core.text import clean_text
from cpis.core.tracking import format_code, new_reference
from cpis.forums.models import Meeting
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind

from .models import (
    CLOSED_STATUSES,
    Category,
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    Status,
)
from .policy import policy

TRACKING_NAMESPACE = "concern"
RECORD_TYPE = "concerns.concern"
MAX_DESCRIPTION = 4000
STAFF_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.FORUM}
PLACE_OPTIONAL_CHANNELS = {*STAFF_CHANNELS, Channel.EMAIL}


# Kept here so callers can catch them as the concern service's own errors.
SubmissionInProgress = idempotency.SubmissionInProgress
IdempotencyKeyReused = idempotency.IdempotencyKeyReused


class TransitionNotAllowed(DomainError):
    message = gettext_lazy("A concern in this state cannot be moved to that state.")


class ReasonRequired(DomainError):
    message = gettext_lazy("Give the reason the citizen will see.")


class OfficerNotServingHere(DomainError):
    message = gettext_lazy("This officer does not serve at the concern's station.")


class NotADuplicateCandidate(DomainError):
    message = gettext_lazy(
        "A concern cannot be a duplicate of itself or of a concern that is itself a duplicate."
    )


@dataclass(frozen=True)
class Submission:
    concern: Concern
    tracking_code: str
    replayed: bool


# --- submission ------------------------------------------------------------------


def tracking_code(concern: Concern) -> str:
    return format_code(TRACKING_NAMESPACE, concern.reference)


_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def _looks_like_spam(description: str) -> str:
    """Why a submission should wait for a person to look at it, or ""."""
    if len(_LINK.findall(description)) >= 3:
        return "links"
    letters = [c for c in description if c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.9:
        return "capitals"
    words = description.split()
    if len(words) >= 8 and len(set(words)) <= 2:
        return "repetition"
    return ""


def route(*, lat: float | None, lon: float | None, place_text: str) -> tuple[Unit | None, Unit]:
    """(sector, responsible unit): the sector containing the point; else the
    station of the typed place's municipality; else the national queue."""
    if lat is not None and lon is not None:
        sector = organisation.locate_sector(lat=lat, lon=lon)
        if sector is not None:
            return sector, sector
    if place_text:
        station = organisation.station_for_place(place_text)
        if station is not None:
            return None, station
    return None, organisation.get_root_unit()


def _validate_contact(name: str, email: str, phone: str) -> tuple[str, str, str]:
    name = clean_text(name, limit=200, required=False)
    email = (email or "").strip()
    phone = (phone or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            raise InvalidInput(_("The e-mail address is not valid.")) from exc
    if phone and not re.fullmatch(r"\+?[0-9 ()/-]{6,30}", phone):
        raise InvalidInput(_("The phone number is not valid."))
    return name, email, phone


def submit_concern(
    actor: Actor,
    *,
    category_code: str,
    description: str,
    language: str,
    channel: str,
    idempotency_key: str,
    lat: float | None = None,
    lon: float | None = None,
    place_text: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    photo: bytes | None = None,
    text_language: str = "",
    unverified: bool = False,
    forum_meeting_id: int | None = None,
) -> Submission:
    """Record a concern from any channel and route it to its sector or
    station. Anyone may submit on the web, by e-mail or through Open311;
    phone, in-person and forum concerns are entered by staff. The concern,
    its first history row and the receipt e-mail are written together; the
    same key and body always get the same tracking code back. An
    `unverified` submission (no proof of work) is held for a person to
    check, never dropped."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    if channel in STAFF_CHANNELS and not actor.is_staff:
        raise InvalidInput(_("Only staff record concerns received by phone, in person or at a forum."))
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Unknown language."))
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise InvalidInput(_("Choose a category."))
    description = clean_text(
        description, limit=MAX_DESCRIPTION, required=True, missing=_("Describe the concern.")
    )
    place_text = clean_text(place_text, limit=200, required=False)
    if (lat is None) != (lon is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."))
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("The location is out of range."))
    # Web and application reports must say where; e-mail, phone and forum
    # reports often cannot, and wait in a queue for triage to place them.
    if lat is None and not place_text and channel not in PLACE_OPTIONAL_CHANNELS:
        raise InvalidInput(_("Mark the place on the map or type where it is."))
    name, email, phone = _validate_contact(reporter_name, reporter_email, reporter_phone)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise InvalidInput(_("The submission key is missing or too long."))
    clean_photo = sanitise_image(photo) if photo else None
    meeting = None
    if forum_meeting_id is not None:
        meeting = Meeting.objects.select_related("forum__unit").filter(pk=forum_meeting_id).first()
        if meeting is None or channel != Channel.FORUM:
            raise InvalidInput(
                _("Concerns raised at a forum meeting need the forum channel and a known meeting.")
            )
    fields = {
        "category": category.code,
        "description": description,
        "language": language,
        "channel": channel,
        "lat": lat,
        "lon": lon,
        "place": place_text,
        "name": name,
        "email": email,
        "phone": phone,
        "meeting": forum_meeting_id,
    }
    earlier_id = idempotency.claim(key, idempotency.fingerprint(fields, photo))
    if earlier_id is not None:
        earlier = Concern.objects.select_related("category").get(pk=int(earlier_id))
        return Submission(earlier, tracking_code(earlier), replayed=True)
    try:
        concern = _create_concern(
            actor,
            category=category,
            description=description,
            language=language,
            channel=channel,
            lat=lat,
            lon=lon,
            place_text=place_text,
            name=name,
            email=email,
            phone=phone,
            photo=clean_photo,
            text_language=text_language,
            key=key,
            held_reason="unverified" if unverified else "",
            meeting=meeting,
        )
    except BaseException:
        idempotency.release(key)
        raise
    return Submission(concern, tracking_code(concern), replayed=False)


@transaction.atomic
def _create_concern(
    actor: Actor,
    *,
    category: Category,
    description: str,
    language: str,
    channel: str,
    lat: float | None,
    lon: float | None,
    place_text: str,
    name: str,
    email: str,
    phone: str,
    photo: tuple[bytes, str] | None,
    text_language: str,
    key: str,
    held_reason: str = "",
    meeting: Meeting | None = None,
) -> Concern:
    sector, unit = route(lat=lat, lon=lon, place_text=place_text)
    if meeting is not None and lat is None and not place_text:
        # Unplaced but raised at a forum: it belongs to the forum's place.
        unit = meeting.forum.unit
        sector = unit if unit.kind == UnitKind.SECTOR else None
    elif channel in STAFF_CHANNELS and lat is None and not place_text:
        # Unplaced: it waits at the place of the staff member who took it.
        unit = organisation.get_home_unit(policy.places(actor, "enter")) or unit
    if channel in STAFF_CHANNELS:
        policy.require(actor, "enter", unit.path)
    # 40 random bits: a collision is rare enough to leave to the unique
    # constraint (the transaction fails and the client's retry succeeds).
    reference = new_reference()
    held_reason = _looks_like_spam(description) or held_reason
    now = timezone.now()
    concern = Concern(
        reference=reference,
        category=category,
        description=description,
        text_language=text_language or language,
        language=language,
        channel=channel,
        lat=lat,
        lon=lon,
        place_text=place_text,
        sector=sector,
        unit=unit,
        unit_path=unit.path,
        due_at=now + timedelta(days=category.due_days),
        is_held=bool(held_reason),
        held_reason=held_reason,
        is_anonymous=not (name or email or phone),
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        entered_by_id=actor.user_id if channel in STAFF_CHANNELS else None,
        forum_meeting=meeting,
    )
    if photo is not None:
        data, extension = photo
        concern.photo.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    concern.save()
    ConcernEvent.objects.create(
        concern=concern,
        kind=EventKind.SUBMITTED,
        to_status=Status.RECEIVED,
        is_public=True,
        actor_id=actor.user_id if channel in STAFF_CHANNELS else None,
    )
    idempotency.complete(key, concern.pk)
    if email:
        _queue_email(concern, "receipt")
    return concern


# --- notifications (outbox) ------------------------------------------------------------


def _queue_email(concern: Concern, kind: str, *, text: str = "") -> None:
    """Write the message in the citizen's language now; send after commit."""
    if not concern.reporter_email:
        return
    with translation.override(concern.language):
        context = {
            "concern": concern,
            "code": tracking_code(concern),
            "text": text,
            "status": concern.get_status_display(),
            "category": concern.category.name,
        }
        subject = render_to_string(f"concerns/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"concerns/email/{kind}.txt", context)
    outbox.queue(
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        to_email=concern.reporter_email,
        language=concern.language,
        subject=subject,
        body=body,
    )


# --- workflow ---------------------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.TRIAGED, Status.ASSIGNED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.TRIAGED: {Status.ASSIGNED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.ASSIGNED: {
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REFERRED,
        Status.DUPLICATE,
        Status.REJECTED,
    },
    Status.IN_PROGRESS: {Status.RESOLVED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    Status.REFERRED: {Status.IN_PROGRESS},
    Status.DUPLICATE: {Status.TRIAGED},
    Status.REJECTED: {Status.TRIAGED},
}


def can_work(actor: Actor, concern: Concern) -> bool:
    """Station leads at the place, or the officer the concern is assigned to."""
    if policy.can(actor, "work", concern.unit_path):
        return True
    officer = concern.assigned_officer
    return bool(officer and actor.user_id and officer.user_id == actor.user_id)


def _require_work(actor: Actor, concern: Concern) -> None:
    if not can_work(actor, concern):
        policy.require(actor, "work", concern.unit_path)


def _lock(concern: Concern) -> Concern:
    """The concern as it is now, locked until the transaction ends: checks
    and changes work on current state, never on a caller's stale copy."""
    return (
        # of=("self",): PostgreSQL cannot lock the nullable side of an outer join.
        Concern.objects.select_for_update(of=("self",))
        .select_related("category", "unit", "assigned_officer")
        .get(pk=concern.pk)
    )


def _move(
    actor: Actor, concern: Concern, to_status: str, *, public_text: str = "", internal_text: str = ""
) -> Concern:
    if to_status not in TRANSITIONS[concern.status]:
        raise TransitionNotAllowed()
    from_status = concern.status
    concern.status = to_status
    now = timezone.now()
    concern.closed_at = now if to_status in CLOSED_STATUSES else None
    if public_text:
        concern.outcome = public_text if to_status in CLOSED_STATUSES else concern.outcome
    concern.save()
    ConcernEvent.objects.create(
        concern=concern,
        actor_id=actor.user_id,
        kind=EventKind.STATUS,
        from_status=from_status,
        to_status=to_status,
        text=public_text,
        is_public=True,
    )
    if internal_text:
        ConcernEvent.objects.create(
            concern=concern, actor_id=actor.user_id, kind=EventKind.NOTE, text=internal_text
        )
    _queue_email(concern, "update", text=public_text)
    return concern


@transaction.atomic
def triage_concern(
    actor: Actor,
    *,
    concern: Concern,
    category: Category | None = None,
    sector: Unit | None = None,
    note: str = "",
) -> Concern:
    """Confirm or correct the category and the sector, and release the
    concern from moderation. Needs `triage` at the concern's place and, when
    moving it, at the new place too."""
    policy.require(actor, "triage", concern.unit_path)
    concern = _lock(concern)
    if sector is not None and sector.pk != concern.sector_id:
        policy.require(actor, "triage", sector.path)
        concern.sector, concern.unit, concern.unit_path = sector, sector, sector.path
        ConcernEvent.objects.create(
            concern=concern, actor_id=actor.user_id, kind=EventKind.ROUTED, text=sector.name_sq
        )
    if category is not None and category.pk != concern.category_id:
        concern.category = category
        concern.due_at = concern.created_at + timedelta(days=category.due_days)
    if concern.is_held:
        concern.is_held = False
        ConcernEvent.objects.create(concern=concern, actor_id=actor.user_id, kind=EventKind.RELEASED)
    concern.save()
    if concern.status == Status.RECEIVED:
        _move(actor, concern, Status.TRIAGED, internal_text=note)
    elif note:
        ConcernEvent.objects.create(concern=concern, actor_id=actor.user_id, kind=EventKind.NOTE, text=note)
    return concern


def _officer_serves_at(officer: Officer, concern: Concern) -> bool:
    station = organisation.station_of(concern.unit)
    scope = station.path if station is not None else concern.unit_path
    return officer.unit.path.startswith(scope) or scope.startswith(officer.unit.path)


@transaction.atomic
def assign_concern(
    actor: Actor, *, concern: Concern, officer: Officer, due_at: datetime | None = None, note: str = ""
) -> Concern:
    """Give a concern to an officer of its station. Needs `assign` there."""
    policy.require(actor, "assign", concern.unit_path)
    concern = _lock(concern)
    if not officer.is_active or not _officer_serves_at(officer, concern):
        raise OfficerNotServingHere()
    concern.assigned_officer = officer
    if due_at is not None:
        concern.due_at = due_at
    concern.is_held = False
    concern.save()
    ConcernEvent.objects.create(
        concern=concern, actor_id=actor.user_id, kind=EventKind.ASSIGNED, text=officer.full_name
    )
    if concern.status in {Status.RECEIVED, Status.TRIAGED}:
        _move(actor, concern, Status.ASSIGNED, internal_text=note)
    elif note:
        ConcernEvent.objects.create(concern=concern, actor_id=actor.user_id, kind=EventKind.NOTE, text=note)
    return concern


@transaction.atomic
def assign_concerns(actor: Actor, *, concerns: list[Concern], officer: Officer) -> list[Concern]:
    """Bulk assignment: all or nothing."""
    return [assign_concern(actor, concern=c, officer=officer) for c in concerns]


@transaction.atomic
def start_work(actor: Actor, *, concern: Concern, note: str = "") -> Concern:
    concern = _lock(concern)
    _require_work(actor, concern)
    return _move(actor, concern, Status.IN_PROGRESS, internal_text=note)


@transaction.atomic
def close_concern(
    actor: Actor, *, concern: Concern, status: str, reason: str, duplicate_of: Concern | None = None
) -> Concern:
    """Resolve, refer, reject or mark as duplicate, with the text the citizen
    sees. A duplicate is linked to the concern it repeats, never deleted."""
    if status not in CLOSED_STATUSES:
        raise TransitionNotAllowed()
    concern = _lock(concern)
    if status == Status.RESOLVED:
        _require_work(actor, concern)
    else:
        policy.require(actor, "triage", concern.unit_path)
    reason = clean_text(reason, limit=2000, required=False)
    if not reason:
        raise ReasonRequired()
    if status == Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == concern.pk or duplicate_of.duplicate_of_id:
            raise NotADuplicateCandidate()
        policy.require(actor, "view", duplicate_of.unit_path)
        concern.duplicate_of = duplicate_of
    return _move(actor, concern, status, public_text=reason)


@transaction.atomic
def reopen_concern(actor: Actor, *, concern: Concern, note: str) -> Concern:
    policy.require(actor, "triage", concern.unit_path)
    concern = _lock(concern)
    target = Status.IN_PROGRESS if concern.status in {Status.RESOLVED, Status.REFERRED} else Status.TRIAGED
    concern.duplicate_of = None
    concern.outcome = ""
    return _move(actor, concern, target, internal_text=note)


@transaction.atomic
def reply_to_citizen(actor: Actor, *, concern: Concern, text: str) -> ConcernEvent:
    """A public message (an answer or a question) the citizen sees with the
    tracking code and, if they left an e-mail, receives."""
    concern = _lock(concern)
    _require_work(actor, concern)
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    event = ConcernEvent.objects.create(
        concern=concern, actor_id=actor.user_id, kind=EventKind.REPLY, text=text, is_public=True
    )
    _queue_email(concern, "reply", text=text)
    Concern.objects.filter(pk=concern.pk).update(updated_at=timezone.now())
    return event


@transaction.atomic
def add_note(actor: Actor, *, concern: Concern, text: str) -> ConcernEvent:
    """An internal note: never shown to the citizen."""
    policy.require(actor, "view", concern.unit_path)
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    return ConcernEvent.objects.create(
        concern=concern, actor_id=actor.user_id, kind=EventKind.NOTE, text=text
    )


@transaction.atomic
def add_citizen_message(*, concern: Concern, text: str) -> ConcernEvent:
    """More information or an answer from the citizen holding the tracking
    code; it carries no identity."""
    text = clean_text(text, limit=MAX_DESCRIPTION, required=True)
    Concern.objects.filter(pk=concern.pk).update(updated_at=timezone.now())
    return ConcernEvent.objects.create(concern=concern, kind=EventKind.CITIZEN, text=text, is_public=True)


# --- retention -------------------------------------------------------------------------


@transaction.atomic
def anonymise_closed_concerns(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Remove reporters' contact details a configured time after closure
    (LED Art. 4(1)(e), 5) and record it on each concern. Idempotent."""
    now = now or timezone.now()
    older_than = older_than or timedelta(days=settings.CONCERN_CONTACT_RETENTION_DAYS)
    concerns = list(
        Concern.objects.select_for_update()
        .filter(
            status__in=CLOSED_STATUSES, closed_at__lt=now - older_than, contact_anonymised_at__isnull=True
        )
        .exclude(reporter_name="", reporter_email="", reporter_phone="")
    )
    for concern in concerns:
        Concern.objects.filter(pk=concern.pk).update(
            reporter_name="", reporter_email="", reporter_phone="", contact_anonymised_at=now
        )
        ConcernEvent.objects.create(concern=concern, kind=EventKind.ANONYMISED, at=now)
    outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(c.pk) for c in concerns])
    idempotency.prune()
    return len(concerns)
