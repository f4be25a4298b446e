"""Writes for community safety forums: the forum registry and its members
[2.4.11], meetings from planning to minutes with decisions and action items
[2.4.5, 2.4.8], proposed LPSC sites [2.4.1], trainers [2.4.9], tension
reports [2.4.10] and press releases [2.4.12]. Each checks the policy at the
forum's place first and changes nothing when it refuses."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Language, Municipality, Unit, UnitKind

from .models import (
    ActionItem,
    ActionStatus,
    AgeBand,
    Community,
    Decision,
    Forum,
    ForumKind,
    ForumMember,
    ForumStatus,
    Gender,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    PressRelease,
    ProposedSite,
    SiteStatus,
    TensionLevel,
    TensionReport,
    TrainerEngagement,
)
from .policy import policy
from .selectors import FORUM_PLACE_KINDS, site_area

# Forums and records before the first forums in Kosovo are typing mistakes.
EARLIEST_DATE = date(1999, 6, 1)
MAX_ACTION_ITEMS = 20
MAX_DECISIONS = 30


class WrongPlace(DomainError):
    message = gettext_lazy("A forum serves a sector, a substation or a police station.")


class CouncilNeedsStation(DomainError):
    message = gettext_lazy("A municipal community safety council belongs to a police station.")


class MeetingNotPlanned(DomainError):
    message = gettext_lazy("Only a planned meeting can be changed, held or cancelled.")


class MeetingInFuture(DomainError):
    message = gettext_lazy("A meeting can be recorded as held only once it has started.")


class MinutesMissing(DomainError):
    message = gettext_lazy("Record the meeting as held with its minutes before publishing them.")


class NotAMember(DomainError):
    message = gettext_lazy(
        "Only members of this forum whose term covers the meeting day can be ticked present."
    )


class ActionItemDone(DomainError):
    message = gettext_lazy("This action item is done already.")


class ForumDissolved(DomainError):
    message = gettext_lazy("This forum is dissolved: it holds no more meetings.")


class SiteNeedsForum(DomainError):
    message = gettext_lazy("Choose the forum that was established at this site.")


class ReleaseEmpty(DomainError):
    message = gettext_lazy("A press release needs a title and a text.")


def _choice(value: str, choices: Sequence[str], message: str) -> str:
    if value not in choices:
        raise InvalidInput(message)
    return value


def _past_date(day: date, message: str) -> date:
    """The day, if it lies between the earliest plausible day and today;
    else InvalidInput with `message` (a sentence with an %(earliest)s placeholder)."""
    if day < EARLIEST_DATE or day > timezone.localdate():
        raise InvalidInput(message % {"earliest": EARLIEST_DATE.strftime("%d.%m.%Y")})
    return day


# --- forums --------------------------------------------------------------------------


@dataclass(frozen=True)
class ForumInput:
    kind: str
    name: str
    language: str
    unit: Unit
    established_on: date
    meetings_per_year: int
    municipality: Municipality | None = None
    status: str = ForumStatus.ACTIVE


def _check_forum(data: ForumInput) -> tuple[str, str]:
    kind = _choice(data.kind, ForumKind.values, _("Choose the kind of forum."))
    if data.unit.kind not in FORUM_PLACE_KINDS:
        raise WrongPlace()
    if kind == ForumKind.MCSC and data.unit.kind != UnitKind.STATION:
        raise CouncilNeedsStation()
    _choice(data.language, Language.values, _("Choose the language of the name."))
    _choice(data.status, ForumStatus.values, _("Choose a status."))
    _past_date(data.established_on, _("The date of establishment must lie between %(earliest)s and today."))
    if not 0 <= data.meetings_per_year <= 52:
        raise InvalidInput(_("Expected meetings per year must be between 0 and 52."))
    return kind, clean_text(data.name, limit=200, required=True, missing=_("Give the forum's name."))


@transaction.atomic
def create_forum(actor: Actor, *, data: ForumInput) -> Forum:
    """Register a forum at a sector or station the actor manages [2.4.1, 2.4.11]."""
    policy.require(actor, "manage", data.unit.path)
    kind, name = _check_forum(data)
    today = timezone.localdate()
    return Forum.objects.create(
        kind=kind,
        name=name,
        language=data.language,
        unit=data.unit,
        unit_path=data.unit.path,
        municipality=data.municipality or data.unit.municipality,
        established_on=data.established_on,
        meetings_per_year=data.meetings_per_year,
        status=data.status,
        dissolved_on=today if data.status == ForumStatus.DISSOLVED else None,
    )


@transaction.atomic
def update_forum(actor: Actor, *, forum: Forum, data: ForumInput) -> Forum:
    """Change a forum's details; moving it needs the right to manage both places.
    Dissolving it records the day; reviving it clears the day."""
    policy.require(actor, "manage", forum.unit_path)
    policy.require(actor, "manage", data.unit.path)
    kind, name = _check_forum(data)
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if data.status == ForumStatus.DISSOLVED and forum.status != ForumStatus.DISSOLVED:
        forum.dissolved_on = max(timezone.localdate(), data.established_on)
    elif data.status != ForumStatus.DISSOLVED:
        forum.dissolved_on = None
    forum.kind, forum.name, forum.language = kind, name, data.language
    forum.unit, forum.unit_path = data.unit, data.unit.path
    forum.municipality = data.municipality or data.unit.municipality
    forum.established_on, forum.meetings_per_year = data.established_on, data.meetings_per_year
    forum.status = data.status
    forum.save()
    return forum


# --- members -------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    name: str
    role: str
    community: str
    gender: str
    term_start: date
    age_band: str = ""
    skills: str = ""
    consent_to_contact: bool = False
    term_end: date | None = None
    is_leader: bool = False
    # None leaves the stored contact as it is (for those who may not see it).
    phone: str | None = None
    email: str | None = None


def _check_member(data: MemberInput) -> dict[str, object]:
    if data.term_end is not None and data.term_end < data.term_start:
        raise InvalidInput(_("A term cannot end before it starts."))
    values: dict[str, object] = {
        "name": clean_text(data.name, limit=200, required=True, missing=_("Give the member's name.")),
        "role": _choice(data.role, MemberRole.values, _("Choose the member's role in the forum.")),
        "community": _choice(data.community, Community.values, _("Choose the member's community.")),
        "gender": _choice(data.gender, Gender.values, _("Choose the member's gender.")),
        "age_band": _choice(data.age_band, ["", *AgeBand.values], _("Choose an age band.")),
        "skills": clean_text(data.skills, limit=2000, required=False),
        "consent_to_contact": data.consent_to_contact,
        "term_start": _past_date(
            data.term_start, _("The start of the term must lie between %(earliest)s and today.")
        ),
        "term_end": data.term_end,
        "is_leader": data.is_leader,
    }
    if data.phone is not None:
        phone = clean_text(data.phone, limit=40, required=False)
        if phone and not all(c.isdigit() or c in "+ ()-/" for c in phone):
            raise InvalidInput(_("A phone number may hold digits, spaces, +, (, ), - and / only."))
        values["phone"] = phone
    if data.email is not None:
        email = clean_text(data.email, limit=254, required=False)
        if email and ("@" not in email or " " in email):
            raise InvalidInput(_("Enter a valid e-mail address."))
        values["email"] = email
    return values


def _may_write_contact(actor: Actor, path: str, data: MemberInput) -> None:
    if (data.phone is not None or data.email is not None) and not policy.can(actor, "view_contact", path):
        raise InvalidInput(_("Your role does not allow you to enter contact details."))


@transaction.atomic
def add_member(actor: Actor, *, forum: Forum, data: MemberInput) -> ForumMember:
    """Add a member to the forum database [2.4.11]; contacts only by roles
    that may see them."""
    policy.require(actor, "manage", forum.unit_path)
    _may_write_contact(actor, forum.unit_path, data)
    return ForumMember.objects.create(forum=forum, **_check_member(data))


@transaction.atomic
def update_member(actor: Actor, *, member: ForumMember, data: MemberInput) -> ForumMember:
    """Change a member's record; ending the term records that they left."""
    policy.require(actor, "manage", member.forum.unit_path)
    _may_write_contact(actor, member.forum.unit_path, data)
    values = _check_member(data)
    member = ForumMember.objects.select_for_update().get(pk=member.pk)
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    return member


# --- meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    starts_at: datetime
    place: str
    agenda: str = ""
    is_public: bool = False
    duration_minutes: int = 120


def _check_meeting(data: MeetingInput) -> dict[str, object]:
    if timezone.is_naive(data.starts_at):
        raise InvalidInput(_("Give the meeting's date and time."))
    if data.starts_at.date() < EARLIEST_DATE or data.starts_at > timezone.now() + timedelta(days=3 * 366):
        raise InvalidInput(_("The meeting's date is not plausible."))
    if not 15 <= data.duration_minutes <= 12 * 60:
        raise InvalidInput(_("A meeting lasts between 15 minutes and 12 hours."))
    return {
        "kind": _choice(data.kind, MeetingKind.values, _("Choose the kind of meeting.")),
        "starts_at": data.starts_at,
        "duration_minutes": data.duration_minutes,
        "place": clean_text(
            data.place, limit=200, required=True, missing=_("Say where the meeting is held.")
        ),
        "agenda": clean_text(data.agenda, limit=4000, required=False),
        "is_public": data.is_public,
    }


@transaction.atomic
def schedule_meeting(actor: Actor, *, forum: Forum, data: MeetingInput) -> Meeting:
    """Plan a meeting [2.4.5]; a public one appears on the citizens' side
    and in the sector's calendar feed."""
    policy.require(actor, "manage", forum.unit_path)
    if forum.status == ForumStatus.DISSOLVED:
        raise ForumDissolved()
    return Meeting.objects.create(forum=forum, recorded_by_id=actor.user_id, **_check_meeting(data))


def _lock_planned(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingNotPlanned()
    return meeting


@transaction.atomic
def update_meeting(actor: Actor, *, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Change a planned meeting (time, place, agenda, openness)."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    values = _check_meeting(data)
    meeting = _lock_planned(meeting)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


@transaction.atomic
def cancel_meeting(actor: Actor, *, meeting: Meeting, reason: str = "") -> Meeting:
    policy.require(actor, "manage", meeting.forum.unit_path)
    reason = clean_text(reason, limit=300, required=False)
    meeting = _lock_planned(meeting)
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    return meeting


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner_name: str
    due_on: date
    owner_user_id: int | None = None


def _new_action(meeting: Meeting, data: ActionInput) -> ActionItem:
    """An unsaved action item of the meeting, checked."""
    if data.due_on < timezone.localdate(meeting.starts_at):
        raise InvalidInput(_("An action item cannot fall due before its meeting."))
    return ActionItem(
        meeting=meeting,
        text=clean_text(data.text, limit=2000, required=True, missing=_("Say what is to be done.")),
        owner_name=clean_text(data.owner_name, limit=200, required=True, missing=_("Say who will do it.")),
        owner_user_id=data.owner_user_id,
        due_on=data.due_on,
    )


@transaction.atomic
def record_meeting_held(
    actor: Actor,
    *,
    meeting: Meeting,
    present: Sequence[ForumMember],
    other_attendees: int,
    minutes: str,
    decisions: Sequence[str] = (),
    action_items: Sequence[ActionInput] = (),
) -> Meeting:
    """Record that a planned meeting took place: who of the members came,
    how many others, the minutes, its decisions and action items. All or nothing."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    meeting = _lock_planned(meeting)
    if meeting.starts_at > timezone.now():
        raise MeetingInFuture()
    if not 0 <= other_attendees <= 10_000:
        raise InvalidInput(_("The number of other people present must be between 0 and 10,000."))
    day = timezone.localdate(meeting.starts_at)
    eligible = set(meeting.forum.members.current(day).values_list("pk", flat=True))
    if any(member.pk not in eligible for member in present):
        raise NotAMember()
    minutes = clean_text(minutes, limit=20_000, required=True, missing=_("Write the minutes of the meeting."))
    texts = [clean_text(text, limit=2000, required=False) for text in decisions]
    texts = [text for text in texts if text]
    if len(texts) > MAX_DECISIONS or len(action_items) > MAX_ACTION_ITEMS:
        raise InvalidInput(_("Too many decisions or action items for one meeting."))
    items = [_new_action(meeting, item) for item in action_items]
    meeting.status = MeetingStatus.HELD
    meeting.other_attendees = other_attendees
    meeting.minutes = minutes
    meeting.recorded_by_id = actor.user_id
    meeting.save()
    meeting.members_present.set(present)
    Decision.objects.bulk_create(
        Decision(meeting=meeting, text=text, position=i) for i, text in enumerate(texts)
    )
    ActionItem.objects.bulk_create(items)
    return meeting


@transaction.atomic
def publish_minutes(actor: Actor, *, meeting: Meeting, publish: bool = True) -> Meeting:
    """Show (or withdraw) a held meeting's minutes and decisions on the citizens' side."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if publish and (meeting.status != MeetingStatus.HELD or not meeting.minutes):
        raise MinutesMissing()
    meeting.minutes_published = publish
    meeting.save(update_fields=["minutes_published", "updated_at"])
    return meeting


@transaction.atomic
def add_decision(actor: Actor, *, meeting: Meeting, text: str) -> Decision:
    policy.require(actor, "manage", meeting.forum.unit_path)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidInput(_("Decisions belong to a meeting that was held."))
    text = clean_text(text, limit=2000, required=True, missing=_("Write the decision."))
    position = meeting.decisions.count()
    return Decision.objects.create(meeting=meeting, text=text, position=position)


@transaction.atomic
def add_action_item(actor: Actor, *, meeting: Meeting, data: ActionInput) -> ActionItem:
    """An action item agreed at a held meeting, followed until done."""
    policy.require(actor, "manage", meeting.forum.unit_path)
    if meeting.status != MeetingStatus.HELD:
        raise InvalidInput(_("Action items belong to a meeting that was held."))
    item = _new_action(meeting, data)
    item.save()
    return item


@transaction.atomic
def complete_action_item(actor: Actor, *, item: ActionItem, note: str = "") -> ActionItem:
    """Mark an action item done, with an optional note of what was done."""
    policy.require(actor, "manage", item.meeting.forum.unit_path)
    note = clean_text(note, limit=2000, required=False)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ActionStatus.DONE:
        raise ActionItemDone()
    item.status, item.done_at = ActionStatus.DONE, timezone.now()
    if note:
        item.note = note
    item.save(update_fields=["status", "done_at", "note"])
    return item


# --- proposed LPSC sites [2.4.1] ------------------------------------------------------------


@transaction.atomic
def identify_site(actor: Actor, *, unit: Unit, description: str, identified_on: date) -> ProposedSite:
    """Record a location that needs a new LPSC, from the station's analysis [2.4.1]."""
    policy.require(actor, "manage", unit.path)
    if unit.kind not in FORUM_PLACE_KINDS:
        raise WrongPlace()
    return ProposedSite.objects.create(
        unit=unit,
        unit_path=unit.path,
        description=clean_text(
            description, limit=2000, required=True, missing=_("Say why an LPSC is needed here.")
        ),
        identified_on=_past_date(
            identified_on, _("The date the site was identified must lie between %(earliest)s and today.")
        ),
        identified_by_id=actor.user_id,
    )


@transaction.atomic
def change_site_status(
    actor: Actor, *, site: ProposedSite, status: str, forum: Forum | None = None, note: str = ""
) -> ProposedSite:
    """Move a proposed site on; "established" names the forum set up there."""
    policy.require(actor, "manage", site.unit_path)
    status = _choice(status, SiteStatus.values, _("Choose a status."))
    if status == SiteStatus.ESTABLISHED:
        if forum is None:
            raise SiteNeedsForum()
        policy.require(actor, "manage", forum.unit_path)
        if not forum.unit_path.startswith(site_area(site)):
            raise InvalidInput(_("Name a forum of the site's own station area."))
    site = ProposedSite.objects.select_for_update().get(pk=site.pk)
    site.status = status
    site.forum = forum if status == SiteStatus.ESTABLISHED else None
    site.status_note = clean_text(note, limit=300, required=False)
    site.save(update_fields=["status", "forum", "status_note", "updated_at"])
    return site


# --- trainers, tension reports, press releases -------------------------------------------


@transaction.atomic
def record_trainer_engagement(
    actor: Actor, *, member: ForumMember, on: date, initiative: str, audience: str
) -> TrainerEngagement:
    """A forum member served as a community safety trainer [2.4.9]."""
    policy.require(actor, "manage", member.forum.unit_path)
    return TrainerEngagement.objects.create(
        member=member,
        on=_past_date(on, _("The date of the engagement must lie between %(earliest)s and today.")),
        initiative=clean_text(
            initiative, limit=300, required=True, missing=_("Name the initiative and its venue.")
        ),
        audience=clean_text(audience, limit=300, required=True, missing=_("Say who was trained.")),
        recorded_by_id=actor.user_id,
    )


@transaction.atomic
def report_tension(
    actor: Actor, *, forum: Forum, reported_on: date, level: str, summary: str, follow_up: str = ""
) -> TensionReport:
    """A forum's input to community tension monitoring [2.4.10]."""
    policy.require(actor, "manage", forum.unit_path)
    return TensionReport.objects.create(
        forum=forum,
        reported_on=_past_date(
            reported_on, _("The date of the report must lie between %(earliest)s and today.")
        ),
        level=_choice(level, TensionLevel.values, _("Choose the level of tension.")),
        summary=clean_text(summary, limit=4000, required=True, missing=_("Say what was reported.")),
        follow_up=clean_text(follow_up, limit=4000, required=False),
        recorded_by_id=actor.user_id,
    )


@transaction.atomic
def save_press_release(
    actor: Actor,
    *,
    forum: Forum,
    title: str,
    body: str,
    language: str,
    release: PressRelease | None = None,
) -> PressRelease:
    """Write or change a press release on forum activity [2.4.12]; it stays
    a draft until published."""
    policy.require(actor, "manage", forum.unit_path)
    title = clean_text(title, limit=200, required=True, missing=ReleaseEmpty.message)
    body = clean_text(body, limit=20_000, required=True, missing=ReleaseEmpty.message)
    language = _choice(language, Language.values, _("Choose the language of the text."))
    if release is None:
        return PressRelease.objects.create(
            forum=forum, title=title, body=body, language=language, author_id=actor.user_id
        )
    if release.forum_id != forum.pk:
        raise InvalidInput(_("This press release belongs to another forum."))
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    release.title, release.body, release.language = title, body, language
    release.save(update_fields=["title", "body", "language", "updated_at"])
    return release


@transaction.atomic
def publish_press_release(actor: Actor, *, release: PressRelease, publish: bool = True) -> PressRelease:
    """Publish a press release as forum news on the citizens' side (counted
    by the day it was first published), or withdraw it."""
    policy.require(actor, "manage", release.forum.unit_path)
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    release.is_published = publish
    if publish and release.published_at is None:
        release.published_at = timezone.now()
    release.save(update_fields=["is_published", "published_at", "updated_at"])
    return release
