"""Submitting a concern from any channel: checks, routing to a sector or
station, spam holding and the idempotent create."""

import re
import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core import idempotency
from cpis.core.citizens import Receipt
from cpis.core.contact import clean_email, clean_phone
from cpis.core.errors import InvalidInput
from cpis.core.i18n import check_language
from cpis.core.images import sanitise_image
from cpis.core.text import clean_text
from cpis.core.tracking import new_reference
from cpis.forums.models import Meeting
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import Category, Channel, Concern, ConcernEvent, EventKind, Status
from ..policy import policy
from .notices import queue_email, tracking_code

MAX_DESCRIPTION = 4000
STAFF_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.FORUM}
PLACE_OPTIONAL_CHANNELS = {*STAFF_CHANNELS, Channel.EMAIL}


class Submission(Receipt[Concern]):
    @property
    def concern(self) -> Concern:
        return self.record


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


def _check_channel(actor: Actor, channel: str) -> None:
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    if channel in STAFF_CHANNELS and not actor.is_staff:
        raise InvalidInput(_("Only staff record concerns received by phone, in person or at a forum."))


def _active_category(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise InvalidInput(_("Choose a category."))
    return category


def _check_place(*, lat: float | None, lon: float | None, place_text: str, channel: str) -> str:
    """The typed place, cleaned, once the point and the channel agree with it."""
    place_text = clean_text(place_text, limit=200, required=False)
    if (lat is None) != (lon is None):
        raise InvalidInput(_("Give both latitude and longitude, or neither."))
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("The location is out of range."))
    # Web and application reports must say where; e-mail, phone and forum
    # reports often cannot, and wait in a queue for triage to place them.
    if lat is None and not place_text and channel not in PLACE_OPTIONAL_CHANNELS:
        raise InvalidInput(_("Mark the place on the map or type where it is."))
    return place_text


def _forum_meeting(meeting_id: int | None, channel: str) -> Meeting | None:
    if meeting_id is None:
        return None
    meeting = Meeting.objects.select_related("forum__unit").filter(pk=meeting_id).first()
    if meeting is None or channel != Channel.FORUM:
        raise InvalidInput(
            _("Concerns raised at a forum meeting need the forum channel and a known meeting.")
        )
    return meeting


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
    _check_channel(actor, channel)
    check_language(language)
    category = _active_category(category_code)
    description = clean_text(
        description, limit=MAX_DESCRIPTION, required=True, missing=_("Describe the concern.")
    )
    place_text = _check_place(lat=lat, lon=lon, place_text=place_text, channel=channel)
    name = clean_text(reporter_name, limit=200, required=False)
    email, phone = clean_email(reporter_email), clean_phone(reporter_phone)
    key = idempotency.require_key(idempotency_key, limit=100)
    clean_photo = sanitise_image(photo) if photo else None
    meeting = _forum_meeting(forum_meeting_id, channel)
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
        # One client's key never replays another client's record.
        "submitted_by": actor.user_id,
    }
    concern, replayed = idempotency.submit_once(
        key,
        fields,
        # Each client's keys are its own: another client's same key is another report.
        owner=idempotency.owner_of(actor.user_id),
        attachment=photo,
        load=lambda pk: Concern.objects.select_related("category").get(pk=pk),
        create=lambda: _create_concern(
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
            held_reason="unverified" if unverified else "",
            meeting=meeting,
        ),
    )
    return Submission(concern, tracking_code(concern), replayed=replayed)


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
    if email:
        queue_email(concern, "receipt")
    return concern
