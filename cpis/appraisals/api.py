"""JSON API for performance evaluations [1.2.6]: the evaluations the caller may
read (their own, their command's, all for personnel; every read logged), one
evaluation with its criteria, ratings, evidence and the parts of its score,
each workflow step through the same services as the pages, a region's
promotion list (its command and personnel only) and the forms."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cpis.accounts.api_auth import STAFF
from cpis.core.api import Page, PageQuery
from cpis.organisation.access import Actor, api_actor

from . import selectors, services
from .models import Evaluation, Status

router = Router(tags=["appraisals"])


class AppraisalFields(Schema):
    id: int
    officer_id: int
    officer_name: str
    rank: str
    unit_id: int
    unit_name: str
    period_start: date
    period_end: date
    status: Status
    status_label: str
    form: str
    form_version: int
    score: Decimal | None = Field(description="Weighted score on the 1–5 scale, computed from the ratings")
    submitted_at: datetime | None
    acknowledged_at: datetime | None
    signed_at: datetime | None


class AppraisalOut(AppraisalFields):
    # Read from the record (AppraisalDetailOut reads them from a dict).
    officer_name: str = Field(alias="officer.full_name")
    unit_name: str = Field(alias="unit.name")
    status_label: str = Field(alias="get_status_display")
    form: str = Field(alias="version.form.code")
    form_version: int = Field(alias="version.number")


class AppraisalPage(Page[AppraisalOut]):
    pass


class AppraisalQuery(PageQuery):
    status: Status | None = None


class EvidenceItemOut(Schema):
    key: str
    label: str
    value: float | None
    display: str
    detail: str = ""


class CriterionLineOut(Schema):
    code: str
    label: str
    weight: int
    community_policing: bool
    rating: int | None
    comment: str
    evidence: list[EvidenceItemOut]


class ScorePartOut(Schema):
    code: str
    label: str
    weight: int
    rating: int | None
    part: Decimal = Field(description="weight × rating / total weight")


class AppealOut(Schema):
    reasons: str
    reviewer_unit: str
    outcome: str
    decision_reason: str
    changes: dict[str, list[int | None]]
    score_before: Decimal | None
    decided_at: datetime | None


class AppraisalDetailOut(AppraisalFields):
    supervisor_comment: str
    officer_comment: str
    criteria: list[CriterionLineOut]
    parts: list[ScorePartOut]
    appeal: AppealOut | None
    next_steps: list[str] = Field(description="What the caller may do now: rate, respond, decide, sign")


def _detail(request: HttpRequest, actor: Actor, evaluation: Evaluation) -> dict[str, Any]:
    evidence = selectors.evidence_of(actor, evaluation, request=request)
    appeal = getattr(evaluation, "appeal", None)
    steps = {
        "rate": selectors.may_rate(actor, evaluation),
        "respond": selectors.may_respond(actor, evaluation),
        "decide": selectors.may_decide(actor, evaluation),
        "sign": selectors.may_sign(actor, evaluation),
    }
    return {
        **AppraisalOut.from_orm(evaluation).dict(),  # by field name, as AppraisalFields
        "supervisor_comment": evaluation.supervisor_comment,
        "officer_comment": evaluation.officer_comment,
        "criteria": [
            {
                "code": line.criterion.code,
                "label": line.criterion.label,
                "weight": line.criterion.weight,
                "community_policing": line.criterion.is_community_policing,
                "rating": line.rating.score if line.rating else None,
                "comment": line.rating.comment if line.rating else "",
                "evidence": line.evidence,
            }
            for line in selectors.list_lines(evaluation, evidence)
        ],
        "parts": selectors.score_parts(evaluation) if evaluation.score is not None else [],
        "appeal": None
        if appeal is None
        else {
            "reasons": appeal.reasons,
            "reviewer_unit": appeal.reviewer_unit.name,
            "outcome": appeal.outcome,
            "decision_reason": appeal.decision_reason,
            "changes": appeal.changes,
            "score_before": appeal.score_before,
            "decided_at": appeal.decided_at,
        },
        "next_steps": [step for step, allowed in steps.items() if allowed],
    }


def _reread(request: HttpRequest, actor: Actor, evaluation_id: int) -> dict[str, Any]:
    return _detail(request, actor, selectors.get_evaluation(actor, evaluation_id, request=request))


@router.get("", response=AppraisalPage, auth=STAFF, url_name="appraisals")
def list_evaluations(request: HttpRequest, query: Query[AppraisalQuery]) -> Any:
    """The evaluations the caller may read, the latest period first."""
    actor = api_actor(request)
    rows, count = selectors.page_evaluations(
        actor, status=query.status or "", offset=query.offset, limit=query.limit, request=request
    )
    return {"items": rows, "count": count}


class PromotionQuery(Schema):
    rank: str = Field(..., max_length=30, description="officer, sergeant, lieutenant…")
    region_id: int = Field(..., ge=1)


class PromotionLineOut(Schema):
    position: int
    evaluation_id: int
    officer_id: int
    officer_name: str
    unit_name: str
    period_start: date
    period_end: date
    score: Decimal
    community_mean: Decimal | None = Field(description="Weighted mean of the community-policing criteria")
    parts: list[ScorePartOut]


@router.get("/promotion-list", response=list[PromotionLineOut], auth=STAFF, url_name="appraisal_promotion")
def promotion_list(request: HttpRequest, query: Query[PromotionQuery]) -> Any:
    """A region's promotion list for a rank: only the region's command and personnel (404 for anyone else)."""
    actor = api_actor(request)
    region = selectors.get_region(actor, query.region_id)
    lines = selectors.promotion_list(actor, rank=query.rank, region=region, request=request)
    return [
        {
            "position": line.position,
            "evaluation_id": line.evaluation.pk,
            "officer_id": line.officer.pk,
            "officer_name": line.officer.full_name,
            "unit_name": line.evaluation.unit.name,
            "period_start": line.evaluation.period_start,
            "period_end": line.evaluation.period_end,
            "score": line.score,
            "community_mean": line.community_mean,
            "parts": line.parts,
        }
        for line in lines
    ]


class AppraisalCriterionOut(Schema):
    code: str
    label: str
    weight: int
    community_policing: bool = Field(alias="is_community_policing")
    evidence_keys: list[str]
    anchors: list[str] = Field(alias="anchor_texts")


class AppraisalFormVersionOut(Schema):
    id: int
    number: int
    status: str
    published_at: datetime | None
    criteria: list[AppraisalCriterionOut]

    @staticmethod
    def resolve_criteria(obj: Any) -> Any:
        return list(obj.criteria.all())


class AppraisalFormOut(Schema):
    id: int
    code: str
    name: str
    ranks: list[str]
    versions: list[AppraisalFormVersionOut]

    @staticmethod
    def resolve_versions(obj: Any) -> Any:
        return list(obj.versions.all())


@router.get("/forms", response=list[AppraisalFormOut], auth=STAFF, url_name="appraisal_forms")
def list_forms(request: HttpRequest) -> Any:
    """The evaluation forms with every version and its criteria (personnel and the command)."""
    return list(selectors.list_forms(api_actor(request)).prefetch_related("versions__criteria"))


@router.get("/{evaluation_id}", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal")
def get_evaluation(request: HttpRequest, evaluation_id: int) -> Any:
    """One evaluation: criteria, ratings and the evidence beside each, the parts of the score, the appeal."""
    return _reread(request, api_actor(request), evaluation_id)


class AppraisalRatingIn(Schema):
    score: int | None = Field(None, ge=1, le=5)
    comment: str = ""


class RatingsIn(Schema):
    ratings: dict[str, AppraisalRatingIn] = Field(description="By criterion code")
    comment: str = ""
    submit: bool = Field(False, description="Submit to the officer after saving")


@router.post(
    "/{evaluation_id}/ratings", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal_ratings"
)
def rate(request: HttpRequest, evaluation_id: int, payload: RatingsIn) -> Any:
    """The supervisor saves ratings on a draft and, with `submit`, sends it to the officer.
    A signed evaluation answers 409 and changes nothing."""
    actor = api_actor(request)
    evaluation = selectors.find_evaluation(actor, evaluation_id)
    ratings = {code: (r.score, r.comment) for code, r in payload.ratings.items()}
    services.rate_evaluation(actor, evaluation=evaluation, ratings=ratings, comment=payload.comment)
    if payload.submit:
        services.submit_evaluation(actor, evaluation=evaluation)
    return _reread(request, actor, evaluation_id)


class AcknowledgeIn(Schema):
    comment: str = ""


@router.post(
    "/{evaluation_id}/acknowledge", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal_acknowledge"
)
def acknowledge(request: HttpRequest, evaluation_id: int, payload: AcknowledgeIn) -> Any:
    """The officer acknowledges their evaluation, with a comment if they wish."""
    actor = api_actor(request)
    evaluation = selectors.find_evaluation(actor, evaluation_id)
    services.acknowledge_evaluation(actor, evaluation=evaluation, comment=payload.comment)
    return _reread(request, actor, evaluation_id)


class AppealIn(Schema):
    reasons: str


@router.post("/{evaluation_id}/appeal", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal_appeal")
def appeal(request: HttpRequest, evaluation_id: int, payload: AppealIn) -> Any:
    """The officer appeals, with reasons, to the level of command above the supervisor."""
    actor = api_actor(request)
    evaluation = selectors.find_evaluation(actor, evaluation_id)
    services.appeal_evaluation(actor, evaluation=evaluation, reasons=payload.reasons)
    return _reread(request, actor, evaluation_id)


class AppealDecisionIn(Schema):
    ratings: dict[str, int] = Field(default_factory=dict, description="Changed ratings, by criterion code")
    reason: str


@router.post("/{evaluation_id}/decide", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal_decide")
def decide(request: HttpRequest, evaluation_id: int, payload: AppealDecisionIn) -> Any:
    """The level the appeal went to upholds the ratings or changes some, with a reason."""
    actor = api_actor(request)
    evaluation = selectors.find_evaluation(actor, evaluation_id)
    services.decide_appeal(actor, evaluation=evaluation, ratings=payload.ratings, reason=payload.reason)
    return _reread(request, actor, evaluation_id)


@router.post("/{evaluation_id}/sign", response=AppraisalDetailOut, auth=STAFF, url_name="appraisal_sign")
def sign(request: HttpRequest, evaluation_id: int) -> Any:
    """Sign and freeze an acknowledged evaluation or one whose appeal is decided."""
    actor = api_actor(request)
    services.sign_evaluation(actor, evaluation=selectors.find_evaluation(actor, evaluation_id))
    return _reread(request, actor, evaluation_id)
