"""Recording a survey response, whatever the channel — the portal, an
officer at a door, a forum meeting or an outreach event, the questionnaire
after a concern, a keyed-in paper form — and reviewing what was held.

One path checks every response: the answers against the version's questions,
the respondent's background, the wave (open, covering the sector, of this
version), the event it was taken at and who may enter it. Nothing is written
when a check fails. Each submission carries an idempotency key: the same key
and body give the same response back, never a second one. Suspicious
responses are held for a reviewer, never dropped (the rules are `HOLD_RULES`)."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import idempotency
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.i18n import check_language
from cpis.core.text import clean_text
from cpis.forums.models import Meeting
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit, UnitKind
from cpis.outreach.models import OutreachActivity

from ..models import (
    AgeBand,
    Channel,
    Community,
    Gender,
    Invitation,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    TextReview,
    VersionStatus,
    Wave,
    WaveStatus,
)
from ..policy import policy
from ..selectors import questionnaires
from ..selectors import responses as selectors

MAX_TEXT = 2000
# Officers and facilitators take these, in a sector where they may collect.
STAFF_CHANNELS = frozenset({Channel.DOOR, Channel.MEETING, Channel.OUTREACH})
# The respondent fills these in alone: only these are timed.
SELF_COMPLETED = frozenset({Channel.PORTAL, Channel.AFTER_CONCERN})

# The hold rules. A response is held (counted only once a reviewer accepts it) when:
#  unverified      it came from the portal without a solved proof of work;
#  device          its device already has a counted response in the wave;
#  fast            it was filled in alone in under SECONDS_PER_ANSWER seconds per answer;
#  straight_links  every agreement item (at least STRAIGHT_LINE_ITEMS) has the same answer
#                  and the free text carries a link;
#  links           the free text carries MANY_LINKS links or more.
HOLD_RULES = ("unverified", "device", "fast", "straight_links", "links")
SECONDS_PER_ANSWER = 2
STRAIGHT_LINE_ITEMS = 4
MANY_LINKS = 3
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


# --- errors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One answer or background value that does not fit: the question's code
    (or community, gender, age_band, municipality), the value and why."""

    field: str
    value: object
    message: str


class AnswersInvalid(InvalidInput):
    """Answers or background values that do not fit the questionnaire; every
    one of them is in `problems`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        details = "; ".join(f"{p.field}: {p.message}" for p in self.problems)
        super().__init__(_("Some answers are not valid (%(details)s).") % {"details": details})


class WaveNotOpen(DomainError):
    message = gettext_lazy("This survey is not open: responses cannot be recorded for it.")


class SectorNotInWave(InvalidInput):
    message = gettext_lazy("This survey wave does not cover the chosen sector.")


class EventRequired(InvalidInput):
    message = gettext_lazy("Choose the forum meeting or the outreach event the response was taken at.")


class EventNotOfSector(InvalidInput):
    message = gettext_lazy(
        "Choose a meeting of a forum serving the sector, or an outreach event at the sector, "
        "held in the last 30 days."
    )


class InvitationUnknown(InvalidInput):
    message = gettext_lazy("This link is not valid. Check that you copied all of it.")


class InvitationUsed(DomainError):
    message = gettext_lazy("This questionnaire has already been answered. Thank you.")


class InvitationExpired(DomainError):
    status_code = 410
    message = gettext_lazy("This link has expired: the questionnaire could be answered for 30 days.")


# --- checking answers -----------------------------------------------------------------


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


def _whole(value: object) -> int | None:
    """An integer from an int, an integral float (a spreadsheet's 3.0) or a
    string of digits; None for anything else (True and False included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return None


def _in_range(value: object, low: int, high: int, message: str) -> int:
    number = _whole(value)
    if number is None or not low <= number <= high:
        raise InvalidInput(message)
    return number


def _one_answer(question: Question, value: object) -> object:
    """The answer in its stored form, or InvalidInput saying what is expected."""
    kind = question.kind
    if kind == QuestionKind.AGREE5:
        return _in_range(value, 1, 5, _("Give a whole number from 1 to 5."))
    if kind == QuestionKind.SCORE10:
        return _in_range(value, 0, 10, _("Give a whole number from 0 to 10."))
    if kind == QuestionKind.YESNO:
        return _in_range(value, 0, 1, _("Answer 1 for yes or 0 for no."))
    codes = [option.code for option in question.options.all()]
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in codes:
            raise InvalidInput(_("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)})
        return value
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(_("Give a list of option codes."))
        unknown = [v for v in value if v not in codes]
        if unknown:
            raise InvalidInput(
                _("Unknown options %(unknown)s: choose among %(codes)s.")
                % {"unknown": ", ".join(unknown), "codes": ", ".join(codes)}
            )
        if len(set(value)) != len(value):
            raise InvalidInput(_("An option is chosen more than once."))
        return sorted(value, key=codes.index)
    if not isinstance(value, str):
        raise InvalidInput(_("Give the answer as text."))
    return clean_text(value, limit=MAX_TEXT, required=False)


def check_answers(
    questions: Sequence[Question], answers: Mapping[str, object]
) -> tuple[dict[str, Any], list[Problem]]:
    """(the answers in their stored form, the problems): a code the version
    does not have, a value of the wrong kind, a required question unanswered.
    A blank answer (None, "", an empty list) is no answer."""
    by_code = {question.code: question for question in questions}
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for code, value in answers.items():
        question = by_code.get(str(code))
        if question is None:
            problems.append(Problem(str(code), value, _("This questionnaire has no such question.")))
            continue
        if _blank(value):
            continue
        try:
            clean[question.code] = _one_answer(question, value)
        except InvalidInput as exc:
            problems.append(Problem(question.code, value, str(exc)))
    refused = {problem.field for problem in problems}
    for question in questions:
        if question.required and question.code not in clean and question.code not in refused:
            problems.append(Problem(question.code, None, _("An answer is required.")))
    return clean, problems


@dataclass(frozen=True)
class Background:
    """Who answered, as coarsely as the model keeps it; blank is "not said"."""

    community: str = ""
    gender: str = ""
    age_band: str = ""
    municipality_id: int | None = None


def check_background(background: Background, sector: Unit | None) -> tuple[Background, list[Problem]]:
    """(the background with the municipality defaulted to the sector's, the problems)."""
    problems = []
    for name, choices in (("community", Community), ("gender", Gender), ("age_band", AgeBand)):
        value = getattr(background, name)
        if value and value not in choices.values:
            problems.append(Problem(name, value, _("Choose from the list, or leave it blank.")))
    municipality_id = background.municipality_id
    if municipality_id is None:
        municipality_id = sector.municipality_id if sector is not None else None
    elif not Municipality.objects.filter(pk=municipality_id).exists():
        problems.append(Problem("municipality", municipality_id, _("Unknown municipality.")))
    return Background(background.community, background.gender, background.age_band, municipality_id), problems


def _has_text(questions: Sequence[Question], answers: Mapping[str, Any]) -> bool:
    return any(question.kind == QuestionKind.TEXT and question.code in answers for question in questions)


# --- holds ------------------------------------------------------------------------------


def _holds(
    *,
    channel: str,
    questions: Sequence[Question],
    answers: Mapping[str, Any],
    verified: bool,
    started_at: datetime | None,
    now: datetime,
) -> list[str]:
    """Why the response should wait for a reviewer (see HOLD_RULES), device apart."""
    reasons = []
    if channel == Channel.PORTAL and not verified:
        reasons.append("unverified")
    taken = None if started_at is None else (now - started_at).total_seconds()
    if channel in SELF_COMPLETED and taken is not None and taken < SECONDS_PER_ANSWER * max(1, len(answers)):
        reasons.append("fast")
    kinds = {question.code: question.kind for question in questions}
    grid = [value for code, value in answers.items() if kinds.get(code) == QuestionKind.AGREE5]
    links = sum(
        len(_LINK.findall(value)) for code, value in answers.items() if kinds.get(code) == QuestionKind.TEXT
    )
    if len(grid) >= STRAIGHT_LINE_ITEMS and len(set(grid)) == 1 and links:
        reasons.append("straight_links")
    if links >= MANY_LINKS:
        reasons.append("links")
    return reasons


# --- preparing a response -----------------------------------------------------------------


@dataclass
class Draft:
    """A response that passed every check, ready to be written."""

    version: QuestionnaireVersion
    wave: Wave | None
    sector: Unit
    channel: str
    answers: dict[str, Any]
    background: Background
    language: str
    meeting: Meeting | None
    outreach: OutreachActivity | None
    device: str
    entered_by_id: int | None
    invitation: Invitation | None
    text_review: str = TextReview.NONE
    holds: list[str] = field(default_factory=list)


def _check_permission(actor: Actor, channel: str, sector: Unit) -> None:
    if channel in STAFF_CHANNELS:
        policy.require(actor, "collect", sector.path)
    elif channel == Channel.PAPER:
        policy.require(actor, "review", sector.path)


def check_wave(wave: Wave | None, sector: Unit, version: QuestionnaireVersion | None) -> Wave:
    """The wave, once it is open, covers the sector and asks `version` (if given)."""
    if wave is None:
        raise InvalidInput(_("Choose the survey wave."))
    if wave.status != WaveStatus.OPEN or wave.version.status == VersionStatus.DRAFT:
        raise WaveNotOpen()
    if sector.kind != UnitKind.SECTOR or not sector.path.startswith(wave.place.path):
        raise SectorNotInWave()
    if version is not None and version.pk != wave.version_id:
        raise InvalidInput(_("The wave asks another version of the questionnaire."))
    return wave


def _check_event(
    channel: str, sector: Unit, meeting: Meeting | None, outreach: OutreachActivity | None, *, required: bool
) -> None:
    """A response taken at a meeting names a recent meeting of a forum serving
    the sector, one taken at an outreach event a recent event there; no other
    response names either."""
    event: Meeting | OutreachActivity | None
    other: Meeting | OutreachActivity | None
    recent: Callable[[Unit], QuerySet[Any]]
    if channel == Channel.MEETING:
        event, other, recent = meeting, outreach, selectors.list_recent_meetings
        wrong = _("A response taken at a forum meeting names the meeting, not an event.")
    elif channel == Channel.OUTREACH:
        event, other, recent = outreach, meeting, selectors.list_recent_outreach
        wrong = _("A response taken at an outreach event names the event, not a meeting.")
    else:
        if meeting is not None or outreach is not None:
            raise InvalidInput(_("Only responses taken at a forum meeting or an outreach event name one."))
        return
    if other is not None:
        raise InvalidInput(wrong)
    if event is None:
        if required:
            raise EventRequired()
        return
    if not recent(sector).filter(pk=event.pk).exists():
        raise EventNotOfSector()


def _open_invitation(invitation: Invitation | None) -> Invitation:
    state = selectors.invitation_state(invitation)
    if invitation is None or state == "unknown":
        raise InvitationUnknown()
    if state == "used":
        raise InvitationUsed()
    if state == "expired":
        raise InvitationExpired()
    return invitation


def prepare(
    actor: Actor,
    *,
    channel: str,
    sector: Unit | None,
    answers: Mapping[str, object],
    wave: Wave | None = None,
    version: QuestionnaireVersion | None = None,
    background: Background = Background(),  # noqa: B008 - frozen
    language: str = "",
    started_at: datetime | None = None,
    meeting: Meeting | None = None,
    outreach: OutreachActivity | None = None,
    device: str = "",
    verified: bool = False,
    invitation: Invitation | None = None,
    require_event: bool = True,
) -> Draft:
    """Every check of a response, nothing written: the Draft to write, or a
    DomainError (AnswersInvalid lists every answer that does not fit)."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    if channel == Channel.AFTER_CONCERN:
        invitation = _open_invitation(invitation)
        version, wave = invitation.version, None
        sector = invitation.concern.sector or invitation.concern.unit
    elif invitation is not None:
        raise InvalidInput(_("Only the questionnaire after a concern is answered through an invitation."))
    if sector is None:
        raise InvalidInput(_("Choose a sector."))
    _check_permission(actor, channel, sector)
    if channel != Channel.AFTER_CONCERN or version is None:
        wave = check_wave(wave, sector, version)
        version = wave.version
    _check_event(channel, sector, meeting, outreach, required=require_event)
    if language:
        check_language(language)
    if not isinstance(answers, Mapping):
        raise InvalidInput(_("The answers must be an object keyed by question code."))
    questions = questionnaires.list_questions(version)
    clean, problems = check_answers(questions, answers)
    background, background_problems = check_background(background, sector)
    if problems or background_problems:
        raise AnswersInvalid([*problems, *background_problems])
    holds = _holds(
        channel=channel,
        questions=questions,
        answers=clean,
        verified=verified,
        started_at=started_at,
        now=timezone.now(),
    )
    if invitation is not None:
        # One answer per invitation: the invitation stands in for the device.
        device = selectors.token_hash(f"invitation:{invitation.pk}")
    return Draft(
        version=version,
        wave=wave,
        sector=sector,
        channel=channel,
        answers=clean,
        background=background,
        language=language,
        meeting=meeting,
        outreach=outreach,
        device=device[:64],
        entered_by_id=actor.user_id if channel in STAFF_CHANNELS | {Channel.PAPER} else None,
        invitation=invitation,
        text_review=TextReview.PENDING if _has_text(questions, clean) else TextReview.NONE,
        holds=holds,
    )


# --- writing it ---------------------------------------------------------------------------


def write(draft: Draft, *, key: str | None) -> Response:
    """Write a prepared response (inside the caller's transaction): held when
    a rule says so, or when its device already has a counted response in the
    wave; linked to its invitation, which it uses up."""
    holds = list(draft.holds)
    if draft.invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=draft.invitation.pk)
        if invitation.response_id is not None:
            raise InvitationUsed()
    if draft.device and draft.wave is not None and selectors.device_answered(draft.wave, draft.device):
        holds.append("device")
    response = Response(
        version=draft.version,
        wave=draft.wave,
        sector=draft.sector,
        municipality_id=draft.background.municipality_id,
        channel=draft.channel,
        meeting=draft.meeting,
        outreach=draft.outreach,
        language=draft.language,
        community=draft.background.community,
        gender=draft.background.gender,
        age_band=draft.background.age_band,
        answers=draft.answers,
        text_review=draft.text_review,
        status=ResponseStatus.HELD if holds else ResponseStatus.ACCEPTED,
        held_reason=",".join(holds),
        device=draft.device,
        idempotency_key=key,
        entered_by_id=draft.entered_by_id,
        submitted_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Another response from this device was counted in the wave meanwhile.
        if response.status != ResponseStatus.ACCEPTED or not draft.device:
            raise
        response.status, response.held_reason = ResponseStatus.HELD, ",".join([*holds, "device"])
        response.save(force_insert=True)
    if draft.invitation is not None:
        Invitation.objects.filter(pk=draft.invitation.pk).update(response=response)
    return response


@dataclass(frozen=True)
class Recorded:
    """What recording gives back: the response, and whether the same
    submission had been received already (`replayed`)."""

    response: Response
    replayed: bool

    @property
    def held(self) -> bool:
        return self.response.status == ResponseStatus.HELD


def _load(pk: int) -> Response:
    return Response.objects.select_related("version", "wave", "sector").get(pk=pk)


def _get(model: Any, pk: int | None, message: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(message)
    return found


def device_of(cookie_id: str, wave_id: int) -> str:
    """The device of a portal response: a keyed hash of the browser's signed
    cookie id, different in each wave, so that waves cannot be linked."""
    return salted_hmac(f"cpis.surveys.device:{wave_id}", cookie_id, algorithm="sha256").hexdigest()


def record_response(
    actor: Actor,
    *,
    channel: str,
    idempotency_key: str,
    answers: Mapping[str, object],
    wave_id: int | None = None,
    sector_id: int | None = None,
    version_id: int | None = None,
    community: str = "",
    gender: str = "",
    age_band: str = "",
    municipality_id: int | None = None,
    language: str = "",
    started_at: datetime | None = None,
    meeting_id: int | None = None,
    outreach_id: int | None = None,
    device: str = "",
    verified: bool = False,
    invitation_token: str = "",
) -> Recorded:
    """Record one response from any channel (see the module). Portal and
    after-concern responses need no account; door, meeting and outreach need
    "collect" at the sector (entered_by is the actor), paper "review".
    `answers` is keyed by question code; `device` is already a hash
    (`device_of`); `verified` says the portal's proof of work was solved
    (unsaid, a portal response is held);
    `started_at` when the respondent opened the form. The same key and body
    give the same response (replayed); the same key with another body is
    refused (422); a failed check writes nothing and frees the key."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    key = idempotency.require_key(idempotency_key)
    fields = {
        "channel": channel,
        "answers": dict(answers) if isinstance(answers, Mapping) else answers,
        "wave": wave_id,
        "sector": sector_id,
        "version": version_id,
        "background": [community, gender, age_band, municipality_id],
        "language": language,
        "meeting": meeting_id,
        "outreach": outreach_id,
        "device": device,
        "invitation": selectors.token_hash(invitation_token) if invitation_token else "",
        # One client's key never replays another client's response.
        "entered_by": actor.user_id,
    }

    def create() -> Response:
        invitation = None
        if channel == Channel.AFTER_CONCERN:
            invitation = selectors.find_invitation(invitation_token)
            if invitation is None:
                raise InvitationUnknown()
        draft = prepare(
            actor,
            channel=channel,
            sector=_get(Unit, sector_id, _("Unknown sector.")),
            answers=answers,
            wave=_get(Wave, wave_id, _("Unknown survey wave.")),
            version=_get(QuestionnaireVersion, version_id, _("Unknown questionnaire.")),
            background=Background(community, gender, age_band, municipality_id),
            language=language,
            started_at=started_at,
            meeting=_get(Meeting, meeting_id, _("Unknown forum meeting.")),
            outreach=_get(OutreachActivity, outreach_id, _("Unknown outreach activity.")),
            device=device,
            verified=verified,
            invitation=invitation,
        )
        return write(draft, key=key)

    response, replayed = idempotency.submit_once(key, fields, create=create, load=_load)
    return Recorded(response, replayed)
