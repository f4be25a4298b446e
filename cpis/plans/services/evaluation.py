"""The six-monthly evaluation of a place (the country or a region): frozen at
the end of a half-year, a narrative per goal, then signed off and never
changed again."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.accounts.models import User
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.periods import Period
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit
from cpis.organisation.selectors import get_root_unit

from .. import selectors
from ..models import Evaluation, EvaluationState, Narrative, Plan
from ..policy import policy


class EvaluationExists(DomainError):
    message = gettext_lazy("This half-year has been evaluated already for this place.")


class NotAnEvaluationPlace(DomainError):
    message = gettext_lazy("An evaluation is made for the whole country or for a region.")


class PeriodNotOver(DomainError):
    message = gettext_lazy("A half-year can be evaluated only after it has ended.")


class EvaluationSigned(DomainError):
    message = gettext_lazy("This evaluation is signed off and can no longer change.")


class NarrativeMissing(DomainError):
    message = gettext_lazy("Write the narrative for every goal before signing off.")


def freeze_evaluation(actor: Actor, *, plan: Plan, period: Period, unit: Unit | None = None) -> Evaluation:
    """Freeze the plan as it stood at the end of an ended half-year, with the
    strategy's elements 1–6 computed for `unit` (the country when None, or a
    region); the working group freezes any, a region's director and coordinator
    their region's. The sections are computed as the system and stored: they
    never change afterwards."""
    place = unit or get_root_unit()
    policy.require_anywhere(actor, "freeze", at=place.path)
    if not selectors.is_evaluation_place(place):
        raise NotAnEvaluationPlace()
    if period.end >= timezone.localdate():
        raise PeriodNotOver()
    if period.end < plan.period_start or period.start > plan.period_end:
        raise InvalidInput(_("The half-year lies outside the plan's period."))
    frozen_by = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if Evaluation.objects.filter(plan=plan, unit=place, period_start=period.start).exists():
        raise EvaluationExists()  # before computing every section for nothing
    snapshot = selectors.build_snapshot(plan, period, unit=place, frozen_by=frozen_by)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                plan=plan,
                unit=place,
                unit_path=place.path,
                period_start=period.start,
                period_end=period.end,
                snapshot=snapshot,
                frozen_by=frozen_by,
            )
    except IntegrityError:
        raise EvaluationExists() from None


def _lock_open(evaluation: Evaluation) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state == EvaluationState.SIGNED:
        raise EvaluationSigned()
    return evaluation


@transaction.atomic
def write_narrative(actor: Actor, *, evaluation: Evaluation, goal_number: str, text: str) -> Narrative:
    """Leadership's assessment of one goal, until sign-off (the directorate; a
    region's director for the region's evaluation)."""
    policy.require_anywhere(actor, "sign", at=evaluation.unit_path)
    evaluation = _lock_open(evaluation)
    if goal_number not in {g["number"] for g in evaluation.snapshot["goals"]}:
        raise InvalidInput(_("No such goal in this evaluation."))
    text = clean_text(text, limit=8000, required=True)
    narrative, _created = Narrative.objects.update_or_create(
        evaluation=evaluation, goal_number=goal_number, defaults={"text": text, "author_id": actor.user_id}
    )
    return narrative


@transaction.atomic
def sign_evaluation(actor: Actor, *, evaluation: Evaluation) -> Evaluation:
    """Senior leadership signs (a region's director the region's); from then on
    the evaluation cannot change."""
    policy.require_anywhere(actor, "sign", at=evaluation.unit_path)
    evaluation = _lock_open(evaluation)
    written = set(evaluation.narratives.values_list("goal_number", flat=True))
    if any(goal["number"] not in written for goal in evaluation.snapshot["goals"]):
        raise NarrativeMissing()
    evaluation.state = EvaluationState.SIGNED
    evaluation.signed_at = timezone.now()
    evaluation.signed_by_id = actor.user_id
    # The narratives and the names of who wrote and signed them go into the
    # snapshot itself: a renamed or removed account changes no signed report.
    evaluation.snapshot = selectors.report_snapshot(evaluation)
    evaluation.save(update_fields=["state", "signed_at", "signed_by", "snapshot"])
    return evaluation
