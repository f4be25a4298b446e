"""Writes of performance evaluations [1.2.6].

Forms: the personnel department edits a draft version's criteria and weights
and publishes it, which freezes it; an evaluation keeps the version it started
on. Evaluations: the supervisor (a command role over the officer's place, never
the officer) rates each criterion and submits, which snapshots the evidence of
the officer's record and computes the weighted score; the officer acknowledges
with a comment or appeals with reasons to the next level of command, which
upholds or changes ratings with a reason; signing freezes the evaluation."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.selectors import holders
from cpis.notifications.services import notify
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Rank, Unit

from . import selectors, spec
from .models import (
    SCALE,
    TOTAL_WEIGHT,
    Appeal,
    Criterion,
    Evaluation,
    EvaluationForm,
    FormVersion,
    Outcome,
    Rating,
    Status,
    VersionStatus,
    weighted_score,
)
from .policy import COMMAND_ROLES, commands_at, policy

TEXT_LIMIT = 4000
# Evaluations are kept from the strategy's first year.
EARLIEST = date(2012, 1, 1)
LANGUAGES = ("sq", "sr", "en")


class WeightsDoNotAddUp(DomainError):
    status_code = 400

    def __init__(self, total: int) -> None:
        super().__init__(
            _("The weights of the criteria add up to %(total)s; they must add up to %(expected)s.")
            % {"total": total, "expected": TOTAL_WEIGHT}
        )


class VersionPublished(DomainError):
    message = gettext_lazy(
        "This version of the form is published and cannot be changed; start a new version."
    )


class DraftExists(DomainError):
    message = gettext_lazy("This form already has a draft version; edit it or publish it first.")


class NoCriteria(DomainError):
    message = gettext_lazy("A form needs at least one criterion.")


class NoForm(DomainError):
    message = gettext_lazy("No published evaluation form covers this officer's rank.")


class SelfEvaluation(DomainError):
    status_code = 403
    message = gettext_lazy("Nobody evaluates themself: another person in the chain of command must.")


class BadPeriod(DomainError):
    status_code = 400
    message = gettext_lazy("Choose a period from January 2012 that has ended, its end after its start.")


class AlreadyEvaluated(DomainError):
    message = gettext_lazy("This officer already has an evaluation for this period.")


class NotEditable(DomainError):
    message = gettext_lazy("This evaluation cannot be changed now.")


class Frozen(NotEditable):
    message = gettext_lazy("This evaluation is signed: it cannot be changed.")


class NotYours(DomainError):
    status_code = 403
    message = gettext_lazy("This step of the evaluation is not yours to take.")


class Unrated(DomainError):
    status_code = 400
    message = gettext_lazy("Rate every criterion from 1 to 5 before submitting.")


class ReasonRequired(DomainError):
    status_code = 400
    message = gettext_lazy("Give the reasons.")


class NoAppealLevel(DomainError):
    message = gettext_lazy("Nobody holds a command role above the supervisor to decide an appeal.")


def _check_score(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise InvalidInput(_("A rating is a whole number from 1 to 5."))
    return value


# ---- forms ----


def _create_version(
    form: EvaluationForm, number: int, criteria: list[dict[str, Any]], *, note: str = ""
) -> FormVersion:
    version = FormVersion.objects.create(form=form, number=number, note=note)
    for order, fields in enumerate(criteria, start=1):
        Criterion.objects.create(version=version, order=order, **fields)
    return version


@transaction.atomic
def ensure_default_form(*, published_at: Any = None) -> EvaluationForm:
    """The built-in form with the community-policing criteria [1.2.6], published,
    if there is no form yet. Run by the demo, the tests and `cpis load_demo`."""
    form = EvaluationForm.objects.filter(code=spec.DEFAULT_FORM["code"]).first()
    if form is not None:
        return form
    form = EvaluationForm.objects.create(**spec.DEFAULT_FORM)
    version = _create_version(form, 1, spec.AMENDED, note="Community-policing criteria [1.2.6]")
    version.status, version.published_at = VersionStatus.PUBLISHED, published_at or timezone.now()
    version.save()
    return form


def _check_ranks(ranks: list[str]) -> list[str]:
    if not ranks or any(rank not in Rank.values for rank in ranks):
        raise InvalidInput(_("Choose the ranks the form is for."))
    return sorted(set(ranks), key=Rank.values.index)


@transaction.atomic
def create_form(
    actor: Actor, *, code: str, name_sq: str, name_sr: str = "", name_en: str = "", ranks: list[str]
) -> EvaluationForm:
    """A new form (personnel, at the root) with an empty draft version 1."""
    policy.require_anywhere(actor, "define_forms")
    name_sq = clean_text(name_sq, limit=200, required=True)
    try:
        with transaction.atomic():
            form = EvaluationForm.objects.create(
                code=code, name_sq=name_sq, name_sr=clean_text(name_sr, limit=200, required=False),
                name_en=clean_text(name_en, limit=200, required=False), ranks=_check_ranks(ranks),
            )  # fmt: skip
    except IntegrityError:
        raise InvalidInput(_("A form with this code exists already.")) from None
    FormVersion.objects.create(form=form, number=1)
    return form


@transaction.atomic
def start_version(actor: Actor, *, form: EvaluationForm, note: str = "") -> FormVersion:
    """A new draft version of a form, with the criteria of its latest version."""
    policy.require_anywhere(actor, "define_forms")
    form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
    if form.versions.filter(status=VersionStatus.DRAFT).exists():
        raise DraftExists()
    latest = form.versions.order_by("-number").first()
    criteria = [
        {f: getattr(c, f) for f in CRITERION_FIELDS}
        for c in (latest.criteria.order_by("order", "pk") if latest else [])
    ]
    number = (form.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return _create_version(form, number, criteria, note=clean_text(note, limit=300, required=False))


CRITERION_FIELDS = (
    "code", "label_sq", "label_sr", "label_en", "description_sq", "description_sr", "description_en",
    "weight", "anchors", "is_community_policing", "evidence_keys",
)  # fmt: skip


def _draft(version: FormVersion) -> FormVersion:
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise VersionPublished()
    return version


@transaction.atomic
def save_criterion(
    actor: Actor,
    *,
    version: FormVersion,
    criterion: Criterion | None = None,
    code: str,
    label_sq: str,
    label_sr: str = "",
    label_en: str = "",
    description_sq: str = "",
    description_sr: str = "",
    description_en: str = "",
    weight: int,
    anchors: Mapping[str, list[str]] | None = None,
    is_community_policing: bool = False,
    evidence_keys: list[str] | None = None,
) -> Criterion:
    """Add a criterion to a draft version, or change one of its criteria."""
    policy.require_anywhere(actor, "define_forms")
    version = _draft(version)
    keys = list(dict.fromkeys(evidence_keys or []))
    if any(key not in spec.EVIDENCE_LABELS for key in keys):
        raise InvalidInput(_("Evidence comes from the items of the officer's record only."))
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 < weight <= TOTAL_WEIGHT:
        raise InvalidInput(_("A weight is a whole number from 1 to 100."))
    clean_anchors: dict[str, list[str]] = {}
    for language, texts in (anchors or {}).items():
        if language not in LANGUAGES or len(texts) != len(SCALE):
            raise InvalidInput(_("Give the scale's anchors as five texts, from 1 to 5."))
        clean_anchors[language] = [clean_text(t, limit=200, required=False) for t in texts]
    fields = {
        "code": code,
        "label_sq": clean_text(label_sq, limit=200, required=True),
        "label_sr": clean_text(label_sr, limit=200, required=False),
        "label_en": clean_text(label_en, limit=200, required=False),
        "description_sq": clean_text(description_sq, limit=TEXT_LIMIT, required=False),
        "description_sr": clean_text(description_sr, limit=TEXT_LIMIT, required=False),
        "description_en": clean_text(description_en, limit=TEXT_LIMIT, required=False),
        "weight": weight,
        "anchors": clean_anchors or spec.ANCHORS,
        "is_community_policing": bool(is_community_policing),
        "evidence_keys": keys,
    }
    try:
        with transaction.atomic():
            if criterion is None:
                order = (version.criteria.aggregate(top=Max("order"))["top"] or 0) + 1
                return Criterion.objects.create(version=version, order=order, **fields)
            criterion = Criterion.objects.get(pk=criterion.pk, version=version)
            for name, value in fields.items():
                setattr(criterion, name, value)
            criterion.save()
            return criterion
    except IntegrityError:
        raise InvalidInput(_("Another criterion of this version has this code.")) from None


@transaction.atomic
def delete_criterion(actor: Actor, *, criterion: Criterion) -> None:
    policy.require_anywhere(actor, "define_forms")
    _draft(criterion.version)
    criterion.delete()


@transaction.atomic
def publish_version(actor: Actor, *, version: FormVersion) -> FormVersion:
    """Publish a draft: its weights must add up to 100. Evaluations started from
    now on use it; it cannot be changed any more."""
    policy.require_anywhere(actor, "define_forms")
    version = _draft(version)
    weights = list(version.criteria.values_list("weight", flat=True))
    if not weights:
        raise NoCriteria()
    if sum(weights) != TOTAL_WEIGHT:
        raise WeightsDoNotAddUp(sum(weights))
    version.status, version.published_at, version.published_by_id = (
        VersionStatus.PUBLISHED, timezone.now(), actor.user_id,
    )  # fmt: skip
    version.save()
    return version


# ---- evaluations ----


def _lock(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("officer", "unit").get(pk=evaluation.pk)


@transaction.atomic
def start_evaluation(actor: Actor, *, officer: Officer, period_start: date, period_end: date) -> Evaluation:
    """The evaluation of an officer for a period, on the latest published form for
    their rank, by whoever holds a command role over the officer's place (at the
    deepest level they hold one); never by the officer themself."""
    place = selectors.place_of(officer)
    policy.require(actor, "rate", place.path)
    if actor.user_id is not None and officer.user_id == actor.user_id:
        raise SelfEvaluation()
    if not (EARLIEST <= period_start <= period_end < timezone.localdate()):
        raise BadPeriod()
    version = selectors.current_version(officer.rank)
    if version is None:
        raise NoForm()
    supervisor_path = selectors.supervisor_path_for(actor, place.path) or place.path
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                officer=officer, rank=officer.rank, unit=place, unit_path=place.path, version=version,
                period_start=period_start, period_end=period_end, supervisor_id=actor.user_id,
                supervisor_unit=Unit.objects.get(path=supervisor_path), supervisor_path=supervisor_path,
            )  # fmt: skip
    except IntegrityError:
        raise AlreadyEvaluated() from None
    Rating.objects.bulk_create(Rating(evaluation=evaluation, criterion=c) for c in version.criteria.all())
    return evaluation


def _require_rater(actor: Actor, evaluation: Evaluation) -> None:
    if evaluation.is_frozen:
        raise Frozen()
    policy.require(actor, "rate", evaluation.unit_path)
    if actor.user_id is not None and evaluation.officer.user_id == actor.user_id:
        raise SelfEvaluation()
    if evaluation.status != Status.DRAFT:
        raise NotEditable()
    if evaluation.supervisor_id != actor.user_id:
        raise NotYours()


@transaction.atomic
def rate_evaluation(
    actor: Actor,
    *,
    evaluation: Evaluation,
    ratings: Mapping[str, tuple[int | None, str]],
    comment: str = "",
) -> Evaluation:
    """Save the supervisor's ratings ({criterion code: (1–5 or None, comment)}) and
    overall comment on a draft. Only the supervisor who started it."""
    evaluation = _lock(evaluation)
    _require_rater(actor, evaluation)
    by_code = {r.criterion.code: r for r in evaluation.ratings.select_related("criterion")}
    if set(ratings) - set(by_code):
        raise InvalidInput(_("Rate the criteria of this evaluation's form only."))
    for code, (score, text) in ratings.items():
        rating = by_code[code]
        rating.score = None if score is None else _check_score(score)
        rating.comment = clean_text(text, limit=TEXT_LIMIT, required=False)
        rating.save(update_fields=["score", "comment"])
    evaluation.supervisor_comment = clean_text(comment, limit=TEXT_LIMIT, required=False)
    evaluation.save(update_fields=["supervisor_comment"])
    return evaluation


def _score(evaluation: Evaluation) -> Any:
    return weighted_score(
        (r.criterion.weight, r.score or 0) for r in evaluation.ratings.select_related("criterion")
    )


@transaction.atomic
def submit_evaluation(actor: Actor, *, evaluation: Evaluation) -> Evaluation:
    """Send the rated evaluation to the officer: every criterion needs a rating;
    the evidence is kept as it stands now and the weighted score is computed.
    The officer is told."""
    evaluation = _lock(evaluation)
    _require_rater(actor, evaluation)
    if evaluation.ratings.filter(score__isnull=True).exists():
        raise Unrated()
    evaluation.evidence = selectors.read_evidence(actor, evaluation, every_language=True)
    evaluation.score = _score(evaluation)
    evaluation.status, evaluation.submitted_at = Status.SUBMITTED, timezone.now()
    evaluation.save()
    _tell_officer(actor, evaluation)
    return evaluation


def _period(evaluation: Evaluation) -> dict[str, str]:
    return {
        "start": date_format(evaluation.period_start, "SHORT_DATE_FORMAT"),
        "end": date_format(evaluation.period_end, "SHORT_DATE_FORMAT"),
    }


def _tell_officer(actor: Actor, evaluation: Evaluation) -> None:
    user = evaluation.officer.user
    if user is None:
        return
    notify(
        kind=NotificationKind.APPRAISAL_SUBMITTED,
        recipients=[user],
        key=f"appraisal:{evaluation.pk}:submitted",
        title=lambda: _("Your performance evaluation for %(start)s–%(end)s waits for you to read it")
        % _period(evaluation),
        link=reverse("appraisals:detail", args=[evaluation.pk]),
        unit=evaluation.unit,
        actor=actor,
    )


def _require_officer(actor: Actor, evaluation: Evaluation) -> None:
    if evaluation.is_frozen:
        raise Frozen()
    if actor.user_id is None or evaluation.officer.user_id != actor.user_id:
        # Not the officer: whoever may read it is refused, anyone else learns nothing.
        selectors.find_evaluation(actor, evaluation.pk)
        raise NotYours()
    if evaluation.status != Status.SUBMITTED:
        raise NotEditable()


@transaction.atomic
def acknowledge_evaluation(actor: Actor, *, evaluation: Evaluation, comment: str = "") -> Evaluation:
    """The officer has read the evaluation and acknowledges it, with a comment if they wish."""
    evaluation = _lock(evaluation)
    _require_officer(actor, evaluation)
    evaluation.officer_comment = clean_text(comment, limit=TEXT_LIMIT, required=False)
    evaluation.status, evaluation.acknowledged_at = Status.ACKNOWLEDGED, timezone.now()
    evaluation.save()
    return evaluation


@transaction.atomic
def appeal_evaluation(actor: Actor, *, evaluation: Evaluation, reasons: str) -> Evaluation:
    """The officer appeals instead of acknowledging; the appeal goes to the level of
    command above the supervisor's, whose holders are told."""
    evaluation = _lock(evaluation)
    _require_officer(actor, evaluation)
    reasons = clean_text(reasons, limit=TEXT_LIMIT, required=False)
    if not reasons:
        raise ReasonRequired()
    level = selectors.appeal_level(evaluation.supervisor_path)
    if level is None:
        raise NoAppealLevel()
    Appeal.objects.create(
        evaluation=evaluation, reasons=reasons, reviewer_unit=level, reviewer_path=level.path
    )
    evaluation.status = Status.APPEALED
    evaluation.save(update_fields=["status"])
    reviewers = [
        user
        for user in holders(COMMAND_ROLES, level.path)
        if commands_at(Actor.for_user(user), level.path)
        and user.pk not in {evaluation.supervisor_id, evaluation.officer.user_id}
    ]
    notify(
        kind=NotificationKind.APPRAISAL_APPEALED,
        recipients=reviewers,
        key=f"appraisal:{evaluation.pk}:appeal",
        title=lambda: _(
            "An appeal against a performance evaluation for %(start)s–%(end)s waits for your decision"
        )
        % _period(evaluation),
        link=reverse("appraisals:detail", args=[evaluation.pk]),
        unit=level,
        actor=actor,
    )
    return evaluation


@transaction.atomic
def decide_appeal(
    actor: Actor, *, evaluation: Evaluation, ratings: Mapping[str, int], reason: str
) -> Evaluation:
    """Uphold the ratings or change some ({criterion code: new rating}), with a
    reason: only a command role at exactly the level the appeal went to, neither
    the supervisor nor the officer. The score is computed again."""
    evaluation = _lock(evaluation)
    if evaluation.is_frozen:
        raise Frozen()
    appeal = Appeal.objects.select_for_update().filter(evaluation=evaluation).first()
    if evaluation.status != Status.APPEALED or appeal is None:
        raise NotEditable()
    if not commands_at(actor, appeal.reviewer_path) or actor.user_id in {
        evaluation.supervisor_id, evaluation.officer.user_id,
    }:  # fmt: skip
        selectors.find_evaluation(actor, evaluation.pk)
        raise NotYours()
    reason = clean_text(reason, limit=TEXT_LIMIT, required=False)
    if not reason:
        raise ReasonRequired()
    by_code = {r.criterion.code: r for r in evaluation.ratings.select_related("criterion")}
    if set(ratings) - set(by_code):
        raise InvalidInput(_("Rate the criteria of this evaluation's form only."))
    changes = {}
    for code, score in ratings.items():
        rating = by_code[code]
        score = _check_score(score)
        if score != rating.score:
            changes[code] = [rating.score, score]
            rating.score = score
            rating.save(update_fields=["score"])
    appeal.score_before = evaluation.score
    appeal.changes = changes
    appeal.outcome = Outcome.CHANGED if changes else Outcome.UPHELD
    appeal.decision_reason = reason
    appeal.decided_by_id, appeal.decided_at = actor.user_id, timezone.now()
    appeal.save()
    evaluation.score = _score(evaluation)
    evaluation.status = Status.DECIDED
    evaluation.save(update_fields=["score", "status"])
    return evaluation


@transaction.atomic
def sign_evaluation(actor: Actor, *, evaluation: Evaluation) -> Evaluation:
    """Sign an acknowledged evaluation or one whose appeal is decided: the
    supervisor, the command above them or personnel. Nothing changes it afterwards."""
    evaluation = _lock(evaluation)
    if evaluation.is_frozen:
        raise Frozen()
    if not selectors.may_sign(actor, evaluation):
        selectors.find_evaluation(actor, evaluation.pk)
        if evaluation.status not in {Status.ACKNOWLEDGED, Status.DECIDED}:
            raise NotEditable()
        raise NotYours()
    evaluation.status, evaluation.signed_at, evaluation.signed_by_id = (
        Status.SIGNED,
        timezone.now(),
        actor.user_id,
    )
    evaluation.save(update_fields=["status", "signed_at", "signed_by"])
    return evaluation
