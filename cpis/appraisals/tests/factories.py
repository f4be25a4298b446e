"""Helpers for the appraisal tests: the evaluated officer at sector n1a (the
persona officer_n1a's user), the default form, and an evaluation taken through
its steps by the services, as people would."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from cpis.appraisals import services
from cpis.appraisals.models import Evaluation, Rating, Status
from cpis.organisation.access import Actor
from cpis.organisation.models import Rank
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


def officer_at(sector, user=None, *, rank=Rank.OFFICER, last_name="Krasniqi", first_name="Arben"):
    officer = OfficerFactory(
        unit=sector.parent, user=user, rank=rank, last_name=last_name, first_name=first_name
    )
    AssignmentFactory(officer=officer, sector=sector, start_date=date(2020, 3, 1))
    return officer


def rate_all(evaluation: Evaluation, scores: dict[str, int] | int) -> dict[str, tuple[int, str]]:
    codes = list(evaluation.ratings.values_list("criterion__code", flat=True))
    if isinstance(scores, int):
        scores = dict.fromkeys(codes, scores)
    return {code: (scores[code], f"Comment on {code}") for code in codes}


def submitted(supervisor: Actor, officer, scores: dict[str, int] | int = 4, period=PERIOD) -> Evaluation:
    services.ensure_default_form()
    evaluation = services.start_evaluation(
        supervisor, officer=officer, period_start=period[0], period_end=period[1]
    )
    services.rate_evaluation(supervisor, evaluation=evaluation, ratings=rate_all(evaluation, scores))
    return services.submit_evaluation(supervisor, evaluation=evaluation)


def signed_directly(evaluation_kwargs: dict, scores: dict[str, int], *, signed_at=None) -> Evaluation:
    """A signed evaluation written straight to the tables, for the read-side tests
    (promotion lists, the six-monthly section) that need many of them."""
    from cpis.appraisals.models import weighted_score
    from cpis.appraisals.selectors import current_version

    form = services.ensure_default_form()
    version = current_version(evaluation_kwargs["officer"].rank) or form.versions.get()
    evaluation = Evaluation.objects.create(
        version=version,
        status=Status.SIGNED,
        signed_at=signed_at or timezone.now(),
        rank=evaluation_kwargs["officer"].rank,
        unit_path=evaluation_kwargs["unit"].path,
        supervisor_path=evaluation_kwargs["supervisor_unit"].path,
        **evaluation_kwargs,
    )
    criteria = list(version.criteria.all())
    for criterion in criteria:
        Rating.objects.create(evaluation=evaluation, criterion=criterion, score=scores[criterion.code])
    evaluation.score = weighted_score((c.weight, scores[c.code]) for c in criteria)
    evaluation.save(update_fields=["score"])
    return evaluation


def expected_score(weights: dict[str, int], scores: dict[str, int]) -> Decimal:
    """The weighted score computed here, apart from the code under test."""
    total = 0
    for code, weight in weights.items():
        total += weight * scores[code]
    return (Decimal(total) / Decimal(sum(weights.values()))).quantize(Decimal("0.001"))
