"""JSON API for the perception surveys: the questionnaires with their
questions in every language, the waves the caller sees with their counted
responses, a wave's results at one level for the places within the caller's
reach (suppressed below the wave's minimum, the small-area estimate beside the
direct one at sector level), and responses in from a partner's tablet through
the same service as the staff pages. Never a respondent's answers one by one:
those leave only anonymised, in the exports of the staff pages."""

from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.api import Id, Page, PageQuery, page_of
from cpis.organisation.access import api_actor

from .selectors import listing, questionnaires, results, waves
from .services import responses as services

router = Router(tags=["surveys"])


# --- questionnaires -------------------------------------------------------------------


class VersionOut(Schema):
    id: int
    number: int
    status: str
    status_label: str = Field(alias="get_status_display")
    published_at: datetime | None


class QuestionnaireFields(Schema):
    id: int
    code: str
    purpose: str
    purpose_label: str = Field(alias="get_purpose_display")
    name_sq: str
    name_sr: str
    name_en: str


class QuestionnaireOut(QuestionnaireFields):
    versions: list[VersionOut] = Field(description="Newest first; drafts for the designers only")


class QuestionnairePage(Page[QuestionnaireOut]):
    pass


class OptionOut(Schema):
    code: str
    position: int
    label_sq: str
    label_sr: str
    label_en: str


class QuestionOut(Schema):
    code: str = Field(description="The key of its answer; kept across versions")
    position: int
    kind: str = Field(description="agree5, score10, yesno, single, multiple or text")
    kind_label: str = Field(alias="get_kind_display")
    required: bool
    text_sq: str
    text_sr: str
    text_en: str
    options: list[OptionOut] = Field(description="For single and multiple choice")


class VersionDetailOut(VersionOut):
    title_sq: str
    title_sr: str
    title_en: str
    intro_sq: str
    intro_sr: str
    intro_en: str
    questions: list[QuestionOut]


class QuestionnaireDetailOut(QuestionnaireFields):
    versions: list[VersionDetailOut] = Field(description="Newest first; drafts for the designers only")


@router.get("/questionnaires", response=QuestionnairePage, auth=STAFF, url_name="surveys_questionnaires")
def list_questionnaires(request: HttpRequest, query: Query[PageQuery]) -> Any:
    """The questionnaires with their versions, for whoever sees survey results somewhere."""
    return page_of(questionnaires.list_questionnaires(api_actor(request)), query)


@router.get(
    "/questionnaires/{questionnaire_id}",
    response=QuestionnaireDetailOut,
    auth=STAFF,
    url_name="surveys_questionnaire",
)
def get_questionnaire(request: HttpRequest, questionnaire_id: int) -> Any:
    """One questionnaire, every version with its questions and their options, in
    Albanian, Serbian (Cyrillic) and English."""
    return listing.get_questionnaire(api_actor(request), questionnaire_id)


# --- waves ----------------------------------------------------------------------------


class WaveOut(Schema):
    id: int
    name: str
    questionnaire_id: int = Field(alias="version.questionnaire_id")
    questionnaire: str = Field(alias="version.questionnaire.code", description="The questionnaire's code")
    version_id: int
    version: int = Field(alias="version.number", description="The questionnaire's version number")
    place_id: int = Field(description="The unit surveyed: the country, a region or a station")
    place_name: str = Field(alias="place.name")
    starts_on: date
    ends_on: date
    status: str
    status_label: str = Field(alias="get_status_display")
    min_n: int = Field(description="A figure from fewer answers than this is suppressed")
    responses: int = Field(alias="counted", description="Counted responses")


class WavePage(Page[WaveOut]):
    pass


class ItemOut(Schema):
    key: str = Field(description='What results call it: a question\'s code, or "code:option" for a choice')
    question: str = Field(alias="question.code")
    option: str
    kind: str = Field(alias="question.kind")
    is_share: bool = Field(description="A share between 0 and 1 (else a mean score)")
    label: str


class WaveDetailOut(WaveOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return results.items_of(obj.version_id)


class WaveFilters(Schema):
    status: Literal["planned", "open", "closed"] | None = None
    questionnaire: str = Field("", max_length=40, description="A questionnaire's code")


class WaveQuery(PageQuery, WaveFilters):
    pass


@router.get("/waves", response=WavePage, auth=STAFF, url_name="surveys_waves")
def list_waves(request: HttpRequest, query: Query[WaveQuery]) -> Any:
    """The waves at, below or above the caller's places, newest first."""
    rows = waves.list_waves(
        api_actor(request), status=query.status or "", questionnaire=query.questionnaire, counted=True
    )
    return page_of(rows, query)


@router.get("/waves/{wave_id}", response=WaveDetailOut, auth=STAFF, url_name="surveys_wave")
def get_wave(request: HttpRequest, wave_id: int) -> Any:
    """One wave with the items its results give (404 for a wave the caller does not see)."""
    return waves.get_wave(api_actor(request), wave_id, counted=True)


# --- results --------------------------------------------------------------------------


class ResultOut(Schema):
    item: str
    place: int = Field(description="The unit's id")
    place_code: str
    place_name: str
    level: str
    group: str = Field(description='"all", or a dimension and category such as "community:serb"')
    estimate: float | None = Field(
        description="A share between 0 and 1, or a mean score; null when suppressed"
    )
    ci_low: float | None = Field(description="95 % interval; null when suppressed")
    ci_high: float | None
    n: int = Field(description="Answers the figure is from")
    n_effective: float | None = Field(
        description="Kish's effective n under the weights; null when suppressed"
    )
    weighted: bool
    method: str = Field(
        description="wilson (a share), t (a mean) or small_area (Fay–Herriot, at sector level, "
        "a record of its own beside the direct one)"
    )
    suppressed: bool = Field(description="Fewer answers than the wave's min_n")


class ResultsOut(Schema):
    wave_id: int
    level: str
    min_n: int
    weighted: bool = Field(description="Weighted to the sectors' populations and the wave's margins")
    items: list[ItemOut]
    results: list[ResultOut] = Field(description="One per item, place and group (and method at sector level)")


class ResultsQuery(Schema):
    level: str = Field("station", max_length=10, description="sector, station, region or country")
    place: Id | None = Field(None, description="Only places at or under this unit")
    group: str = Field(
        "all",
        max_length=40,
        description='"all", a dimension (community, gender, age_band) for each of its categories, '
        'or one category ("gender:female")',
    )
    item: str = Field(
        "", max_length=90, description="One item's key, or a choice question's code for its options"
    )


@router.get("/waves/{wave_id}/results", response=ResultsOut, auth=STAFF, url_name="surveys_wave_results")
def wave_results(request: HttpRequest, wave_id: int, query: Query[ResultsQuery]) -> Any:
    """The wave's figures at one level, for the places within the caller's reach
    only: a level with none of them answers 403 (a station commander asks for
    their station or its sectors, not for the region). An unknown level, group or
    item answers 400; a place outside the caller's reach or the wave 404."""
    actor = api_actor(request)
    found = listing.wave_results(
        actor,
        waves.get_wave(actor, wave_id),
        level=query.level,
        place_id=query.place,
        group=query.group,
        item=query.item,
    )
    return {
        "wave_id": found.wave.pk,
        "level": found.level,
        "min_n": found.wave.min_n,
        "weighted": found.weighted,
        "items": found.items,
        "results": [
            {**asdict(r), "place_code": found.places[r.place].code, "place_name": found.places[r.place].name}
            for r in found.records
        ],
    }


# --- responses in ---------------------------------------------------------------------


class BackgroundIn(Schema):
    """Who answered, all optional (blank: not said): a community, gender and age
    band of the lists of the questionnaire; the municipality is the sector's when
    left out."""

    community: str = ""
    gender: str = ""
    age_band: str = ""
    municipality_id: Id | None = None


class ResponseIn(Schema):
    sector_id: Id
    channel: Literal["door", "meeting", "outreach", "paper"] = Field(
        ...,
        description="How it was taken: at a door, a forum meeting, an outreach event, or keyed in from paper",
    )
    answers: dict[str, Any] = Field(
        ...,
        description="By question code: 1–5 (agree5), 0–10 (score10), 1 or 0 (yesno), an option's code "
        "(single), a list of option codes (multiple), text",
    )
    background: BackgroundIn = BackgroundIn()
    language: str = Field("", max_length=10, description="The language it was answered in")
    meeting_id: Id | None = Field(None, description="The forum meeting it was taken at (channel meeting)")
    outreach_id: Id | None = Field(None, description="The outreach event it was taken at (channel outreach)")


class RecordedOut(Schema):
    id: int
    status: str = Field(description="accepted (counted) or held for review")
    held: bool
    replayed: bool = Field(description="The same key and body had been received already")


@router.post(
    "/waves/{wave_id}/responses",
    response={200: RecordedOut, 201: RecordedOut},
    auth=STAFF,
    url_name="surveys_wave_respond",
)
def record_response(request: HttpRequest, wave_id: int, payload: ResponseIn) -> Any:
    """Record a response taken in a sector of the wave (those who may collect
    there; paper for those who review). The `Idempotency-Key` header is required:
    a retry with the same key and body returns the same response (200), the same
    key with another body is refused (422). Answers that do not fit the
    questionnaire answer 400 naming each, and nothing is stored; a response the
    hold rules catch is stored and held for a reviewer."""
    key = idempotency.header_key(request)
    if not key:
        raise HttpError(400, _("The Idempotency-Key header is required."))
    actor = api_actor(request)
    wave = waves.get_wave(actor, wave_id)
    recorded = services.record_response(
        actor,
        channel=payload.channel,
        idempotency_key=f"api:{actor.user_id}:{key}",
        answers=payload.answers,
        wave_id=wave.pk,
        sector_id=payload.sector_id,
        community=payload.background.community,
        gender=payload.background.gender,
        age_band=payload.background.age_band,
        municipality_id=payload.background.municipality_id,
        language=payload.language,
        meeting_id=payload.meeting_id,
        outreach_id=payload.outreach_id,
    )
    body = {
        "id": recorded.response.pk,
        "status": recorded.response.status,
        "held": recorded.held,
        "replayed": recorded.replayed,
    }
    return (200 if recorded.replayed else 201), body
