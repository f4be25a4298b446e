"""Reads of performance evaluations [1.2.6]: the evaluations an actor may read
(their own, those of the officers under their command, all of them for the
personnel department), one evaluation with its criteria, ratings and evidence
(every read logged), what waits for the actor, the forms and their versions,
and a region's promotion list."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cpis.accounts.audit import log_personal_data_access, log_personal_data_reads
from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Rank, Role, RoleGrant, Unit, UnitKind
from cpis.people.record import OfficerRecord, gather_figures, officer_record, present_record

from .models import (
    Criterion,
    Evaluation,
    EvaluationForm,
    FormVersion,
    Rating,
    Status,
    VersionStatus,
    weighted_score,
)
from .policy import COMMAND_ROLES, command_paths, commands_at, policy
from .spec import EVIDENCE_LABELS

SUBJECT = "appraisals.evaluation"


# ---- who may do what with one evaluation ----


def is_own(actor: Actor, evaluation: Evaluation) -> bool:
    return actor.user_id is not None and evaluation.officer.user_id == actor.user_id


def may_read(actor: Actor, evaluation: Evaluation) -> bool:
    return is_own(actor, evaluation) or policy.can(actor, "read", evaluation.unit_path)


def may_rate(actor: Actor, evaluation: Evaluation) -> bool:
    return (
        evaluation.status == Status.DRAFT
        and evaluation.supervisor_id == actor.user_id
        and not is_own(actor, evaluation)
    )


def may_respond(actor: Actor, evaluation: Evaluation) -> bool:
    """The officer acknowledges or appeals a submitted evaluation."""
    return evaluation.status == Status.SUBMITTED and is_own(actor, evaluation)


def may_decide(actor: Actor, evaluation: Evaluation) -> bool:
    appeal = getattr(evaluation, "appeal", None) if evaluation.status == Status.APPEALED else None
    return (
        appeal is not None
        and commands_at(actor, appeal.reviewer_path)
        and not is_own(actor, evaluation)
        and evaluation.supervisor_id != actor.user_id
    )


def may_sign(actor: Actor, evaluation: Evaluation) -> bool:
    """The supervisor, the command above them or personnel sign once the officer
    has acknowledged or the appeal is decided."""
    if evaluation.status not in {Status.ACKNOWLEDGED, Status.DECIDED} or is_own(actor, evaluation):
        return False
    return evaluation.supervisor_id == actor.user_id or policy.can(actor, "sign", evaluation.supervisor_path)


# ---- evaluations ----


def may_open(actor: Actor) -> bool:
    """Has the evaluations' page anything for the actor: the command and personnel, or a
    sector officer or leader (their own). No query: the staff bar asks."""
    return policy.sees_anything(actor) or bool(actor.roles & {Role.SECTOR_OFFICER, Role.SECTOR_LEADER})


def visible_evaluations(actor: Actor) -> QuerySet[Evaluation]:
    """The officer's own, and those of the places where the actor reads them."""
    if actor.is_system:
        return Evaluation.objects.all()
    # The officer reads their evaluation once it is submitted to them, not while it is rated.
    mine = (
        Q(officer__user_id=actor.user_id) & ~Q(status=Status.DRAFT)
        if actor.user_id is not None
        else Q(pk__in=[])
    )
    return Evaluation.objects.filter(mine | policy.scope(actor, "read", "unit_path"))


def _with_related(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return evaluations.select_related(
        "officer", "unit", "version", "version__form", "supervisor", "supervisor_unit", "signed_by"
    )


def get_evaluation(actor: Actor, evaluation_id: int, *, request: HttpRequest | None) -> Evaluation:
    """One evaluation the actor may read, 404 otherwise; every read is logged."""
    evaluation = one_or_404(_with_related(visible_evaluations(actor)), pk=evaluation_id)
    log_personal_data_access(
        user_id=actor.user_id, subject_type=SUBJECT, subject_id=evaluation.pk, request=request
    )
    return evaluation


def find_evaluation(actor: Actor, evaluation_id: int) -> Evaluation:
    """One evaluation the actor may read, for a write that follows (no read logged:
    the page shown afterwards logs it)."""
    return one_or_404(_with_related(visible_evaluations(actor)), pk=evaluation_id)


def list_evaluations(
    actor: Actor, *, request: HttpRequest | None, status: str = "", unit_path: str = "", limit: int = 200
) -> list[Evaluation]:
    """The evaluations the actor may read, the latest period first; each row
    shown is logged, since a list names officers and their scores."""
    evaluations = visible_evaluations(actor)
    if status:
        evaluations = evaluations.filter(status=status)
    if unit_path:
        evaluations = evaluations.filter(unit_path__startswith=unit_path)
    rows = list(_with_related(evaluations).order_by("-period_end", "officer__last_name", "pk")[:limit])
    if rows:
        log_personal_data_reads(
            user_id=actor.user_id, subject_type=SUBJECT, subject_ids=[e.pk for e in rows], request=request
        )
    return rows


def page_evaluations(
    actor: Actor, *, status: str, offset: int, limit: int, request: HttpRequest | None
) -> tuple[list[Evaluation], int]:
    """One page of the evaluations the actor may read, and their count; each row is logged."""
    evaluations = visible_evaluations(actor)
    if status:
        evaluations = evaluations.filter(status=status)
    rows = list(_with_related(evaluations).order_by("-period_end", "pk")[offset : offset + limit])
    if rows:
        log_personal_data_reads(
            user_id=actor.user_id, subject_type=SUBJECT, subject_ids=[e.pk for e in rows], request=request
        )
    return rows, evaluations.count()


def list_waiting(actor: Actor) -> dict[str, list[Evaluation]]:
    """What waits for the actor: ratings to give, evaluations to acknowledge,
    appeals to decide, evaluations to sign."""
    if actor.user_id is None:
        return {"rate": [], "respond": [], "decide": [], "sign": []}
    base = _with_related(Evaluation.objects.all()).order_by("period_end", "pk")
    appeal_paths = command_paths(actor)
    sign = base.filter(status__in=[Status.ACKNOWLEDGED, Status.DECIDED]).exclude(
        officer__user_id=actor.user_id
    )
    sign = sign.filter(Q(supervisor_id=actor.user_id) | policy.scope(actor, "sign", "supervisor_path"))
    return {
        "rate": list(base.filter(status=Status.DRAFT, supervisor_id=actor.user_id)),
        "respond": list(base.filter(status=Status.SUBMITTED, officer__user_id=actor.user_id)),
        "decide": list(
            base.filter(status=Status.APPEALED, appeal__reviewer_path__in=appeal_paths)
            .exclude(officer__user_id=actor.user_id)
            .exclude(supervisor_id=actor.user_id)
        ),
        "sign": list(sign),
    }


@dataclass(frozen=True)
class Line:
    """One criterion of an evaluation: its rating and the evidence beside it."""

    criterion: Criterion
    rating: Rating | None
    evidence: list[dict[str, Any]]


def list_lines(evaluation: Evaluation, evidence: dict[str, Any]) -> list[Line]:
    """The criteria of the evaluation's version, each with its rating and the
    items of the evidence it draws on."""
    evidence = evidence.get("items", {})
    ratings = {r.criterion_id: r for r in evaluation.ratings.all()}
    criteria = Criterion.objects.filter(version_id=evaluation.version_id).order_by("order", "pk")
    return [
        Line(c, ratings.get(c.pk), [evidence[key] for key in c.evidence_keys if key in evidence])
        for c in criteria
    ]


def score_parts(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Each criterion's part of the weighted score: weight × rating / total weight."""
    ratings = sorted(evaluation.ratings.all(), key=lambda r: (r.criterion.order, r.criterion_id))
    total = sum(r.criterion.weight for r in ratings) or 1
    return [
        {
            "code": r.criterion.code,
            "label": r.criterion.label,
            "weight": r.criterion.weight,
            "rating": r.score,
            "part": (Decimal(r.criterion.weight * (r.score or 0)) / total).quantize(Decimal("0.001")),
            "community_policing": r.criterion.is_community_policing,
        }
        for r in ratings
    ]


def _items(record: OfficerRecord) -> dict[str, dict[str, Any]]:
    return {
        item.key: {
            "key": item.key,
            "label": item.label,
            "value": item.value,
            "display": item.display,
            "detail": item.detail,
        }
        for item in record.items
    }


def read_evidence(
    actor: Actor, evaluation: Evaluation, *, request: HttpRequest | None = None, every_language: bool = False
) -> dict[str, Any]:
    """The officer's record for the evaluation's period as the actor reads it now
    (policy-checked and logged by people.record), in the actor's language:
    {"language", "taken_at", "items": {key: item}}. With `every_language` (what
    submitting keeps), also {"languages": {code: {key: item}}}, the same counts in
    each of the site's languages, so that the officer and the chain above read the
    kept evidence in their own."""
    record = officer_record(
        actor, evaluation.officer, start=evaluation.period_start, end=evaluation.period_end, request=request
    )
    evidence: dict[str, Any] = {
        "language": translation.get_language() or "sq",
        "taken_at": timezone.now().isoformat(),
        "items": _items(record),
    }
    if every_language:
        languages = {}
        figures = record.figures or gather_figures(record.officer, start=record.start, end=record.end)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):  # the same figures, worded in each language
                worded = present_record(record.officer, figures, start=record.start, end=record.end)
                languages[code] = _items(worded)
        evidence["languages"] = languages
    return evidence


def evidence_of(actor: Actor, evaluation: Evaluation, *, request: HttpRequest | None) -> dict[str, Any]:
    """What is shown beside the criteria: the snapshot once submitted (in the
    reader's language when it was kept in every language), the record as it
    stands while the evaluation is rated."""
    if evaluation.status != Status.DRAFT:
        evidence = dict(evaluation.evidence)
        in_language = evidence.get("languages", {}).get(translation.get_language() or "")
        if in_language:
            evidence["items"] = in_language
        return evidence
    return read_evidence(actor, evaluation, request=request)


# ---- whom the actor may evaluate ----


def supervisor_path_for(actor: Actor, place_path: str) -> str | None:
    """The deepest unit over `place_path` where the actor holds a command role:
    the level they evaluate at (a station commander who is also regional
    director evaluates a sector officer as station commander)."""
    paths = [path for path in command_paths(actor) if place_path.startswith(path)]
    return paths[-1] if paths else None


def place_of(officer: Officer) -> Unit:
    """Where an officer serves: their sector, else their home unit."""
    assignment = organisation.current_assignment(officer)
    return assignment.sector if assignment is not None else officer.unit


def list_rateable_officers(actor: Actor) -> QuerySet[Officer]:
    """Officers in service at the places the actor commands, not the actor."""
    place = policy.scope(actor, "rate", "unit__path")
    sector = policy.scope(actor, "rate", "assignments__sector__path")
    officers = Officer.objects.filter(is_active=True).filter(place | sector)
    if actor.user_id is not None:
        officers = officers.exclude(user_id=actor.user_id)
    return officers.select_related("unit").distinct().order_by("last_name", "first_name")


def get_rateable_officer(actor: Actor, officer_id: int) -> Officer:
    return one_or_404(list_rateable_officers(actor), pk=officer_id)


def appeal_level(supervisor_path: str) -> Unit | None:
    """The unit an appeal goes to: the nearest unit above the supervisor's where
    someone holds a command role (a sector leader's evaluation goes to the
    station, a station commander's to the region)."""
    ancestors = Unit(path=supervisor_path).ancestor_paths()[:-1]
    held = set(
        RoleGrant.objects.filter(
            role__in=sorted(COMMAND_ROLES), unit__path__in=ancestors, user__is_active=True
        ).values_list("unit__path", flat=True)
    )
    for path in reversed(ancestors):
        if path in held:
            return Unit.objects.get(path=path)
    return None


# ---- forms ----


def list_forms(actor: Actor) -> QuerySet[EvaluationForm]:
    """Every form, for whom defines them or rates with them."""
    if not (policy.anywhere(actor, "define_forms") or policy.anywhere(actor, "rate")):
        raise Http404(_("Not found."))
    return EvaluationForm.objects.prefetch_related("versions").order_by("code")


def get_form(actor: Actor, form_id: int) -> EvaluationForm:
    return one_or_404(list_forms(actor), pk=form_id)


def get_version(actor: Actor, version_id: int) -> FormVersion:
    if not (policy.anywhere(actor, "define_forms") or policy.anywhere(actor, "rate")):
        raise Http404(_("Not found."))
    return one_or_404(FormVersion.objects.select_related("form"), pk=version_id)


def evidence_choices() -> list[tuple[str, str]]:
    """The record's items a criterion may draw evidence from, for the form editor."""
    return [(key, str(label)) for key, label in EVIDENCE_LABELS.items()]


def get_criterion(version: FormVersion, criterion_id: int) -> Criterion:
    return one_or_404(version.criteria.all(), pk=criterion_id)


def list_version_criteria(version: FormVersion) -> QuerySet[Criterion]:
    return version.criteria.order_by("order", "pk")


def current_version(rank: str) -> FormVersion | None:
    """The latest published version of the form for a rank."""
    versions = FormVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("form")
    for version in versions.order_by("-published_at", "-pk"):
        if rank in version.form.ranks:
            return version
    return None


# ---- promotion lists ----


@dataclass(frozen=True)
class PromotionLine:
    position: int
    evaluation: Evaluation
    officer: Officer
    score: Decimal
    community_mean: Decimal | None
    parts: list[dict[str, Any]]


def list_regions(actor: Actor) -> QuerySet[Unit]:
    """The regions whose promotion lists the actor may read; 404 for who may read none."""
    if not policy.anywhere(actor, "promotion_list"):
        raise Http404(_("Not found."))
    regions = Unit.objects.filter(kind=UnitKind.REGION).order_by("path")
    if actor.is_system:
        return regions
    return regions.filter(policy.scope(actor, "promotion_list", "path") | _above(actor))


def get_region(actor: Actor, region_id: int) -> Unit:
    return one_or_404(list_regions(actor), pk=region_id)


def _above(actor: Actor) -> Q:
    """Regions under a place where the actor may read promotion lists."""
    query = Q(pk__in=[])
    for path in policy.places(actor, "promotion_list"):
        query |= Q(path__startswith=path)
    return query


def promotion_list(
    actor: Actor, *, rank: str, region: Unit, request: HttpRequest | None
) -> list[PromotionLine]:
    """The officers of `rank` in the region ranked by the weighted score of their
    latest signed evaluation (ties: the mean of the community-policing criteria,
    then the name), each line with the parts of its score. Only the region's
    command and personnel (404 for anyone else); every line's read is logged."""
    policy.require(actor, "promotion_list", region.path)
    if rank not in Rank.values or region.kind != UnitKind.REGION:
        raise InvalidInput(_("Choose a rank and a region."))
    signed = (
        Evaluation.objects.signed()
        .filter(unit_path__startswith=region.path, officer__rank=rank, officer__is_active=True)
        .select_related("officer", "unit")
        .prefetch_related("ratings__criterion")
        .order_by("officer_id", "-period_end", "-pk")
    )
    latest: dict[int, Evaluation] = {}
    for evaluation in signed:
        latest.setdefault(evaluation.officer_id, evaluation)
    rows = []
    for evaluation in latest.values():
        community = [
            (r.criterion.weight, r.score or 0)
            for r in evaluation.ratings.all()
            if r.criterion.is_community_policing
        ]
        mean = weighted_score(community) if community else None
        rows.append((evaluation, mean))
    rows.sort(
        key=lambda row: (
            -(row[0].score or 0),
            -(row[1] or 0),
            row[0].officer.last_name,
            row[0].officer.first_name,
            row[0].officer_id,
        )
    )
    if rows:
        log_personal_data_reads(
            user_id=actor.user_id, subject_type=SUBJECT, subject_ids=[e.pk for e, _m in rows], request=request
        )
    return [
        PromotionLine(
            position=i,
            evaluation=evaluation,
            officer=evaluation.officer,
            score=evaluation.score or Decimal(0),
            community_mean=mean,
            parts=score_parts(evaluation),
        )
        for i, (evaluation, mean) in enumerate(rows, start=1)
    ]


def signed_in(path: str, start: date, end: date) -> QuerySet[Evaluation]:
    """Evaluations signed in a period at a place, for the six-monthly evaluation."""
    return Evaluation.objects.signed().filter(
        unit_path__startswith=path, signed_at__date__gte=start, signed_at__date__lte=end
    )
