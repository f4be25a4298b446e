"""Demo performance evaluations [1.2.6]: the default form in two versions (the
one before the amendment, general criteria only, three years ago; the amended
one with the community-policing criteria since), and a yearly evaluation of each
community officer of the demo region for the last three years, rated by the
demo station commander (the demo station's officers) or the demo regional
director (the region's other stations), with the evidence of each officer's
record for the year and ratings of the community-policing criteria that follow
it: the more meetings, outreach and partners, problems and answered concerns
against the year's other officers, the higher the rating. Most are signed; some
were appealed; last year's include drafts, some waiting for the officer, one
appeal waiting for the regional director. Loads after every other demo
(demo_order = 1): the records must be there."""

import random
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from cpis.accounts.models import User
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Officer, RoleGrant, Unit

from . import selectors, spec
from .models import (
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

# What the evidence behind each community-policing criterion adds up to; the rating
# follows the officer's place among the year's officers on it.
METRICS = {
    "community_relationships": ("meetings_attended", "outreach_delivered", "partners_engaged"),
    "problem_solving": ("problems_owned", "problem_outcomes"),
    "responsiveness": ("concerns_handled", "reporter_feedback"),
    "sector_knowledge": ("tenure",),
    "training": ("training_completed",),
}
COMMENTS = [
    "Punë e mirë me banorët e sektorit.",
    "Duhet të marrë pjesë më shpesh në takimet e forumit.",
    "Reagon shpejt ndaj shqetësimeve të qytetarëve.",
    "Добра сарадња са заједницом и партнерима.",
]
OFFICER_COMMENTS = ["Faleminderit për vlerësimin.", "E pranoj vlerësimin.", "Хвала на оцени."]
APPEAL_REASONS = [
    "Takimet e forumit ku mora pjesë nuk janë marrë parasysh.",
    "Problemet që kam zgjidhur në shkollë nuk janë vlerësuar.",
]


def clear_demo() -> None:
    Appeal.objects.all().delete()
    Rating.objects.all().delete()
    Evaluation.objects.all().delete()
    Criterion.objects.all().delete()
    FormVersion.objects.all().delete()
    EvaluationForm.objects.all().delete()


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _forms(today: date) -> tuple[FormVersion, FormVersion]:
    form = EvaluationForm.objects.create(**spec.DEFAULT_FORM)
    versions = []
    for number, (criteria, published, note) in enumerate(
        [
            (spec.BEFORE, date(today.year - 3, 1, 1), "Forma para ndryshimit"),
            (spec.AMENDED, date(today.year - 2, 3, 1), "Kriteret e policimit në bashkësi [1.2.6]"),
        ],
        start=1,
    ):
        version = FormVersion.objects.create(
            form=form, number=number, note=note, status=VersionStatus.PUBLISHED, published_at=_at(published)
        )
        Criterion.objects.bulk_create(
            Criterion(version=version, order=order, **fields)
            for order, fields in enumerate(criteria, start=1)
        )
        versions.append(version)
    return versions[0], versions[1]


def _user(username: str) -> tuple[User, Unit] | None:
    grant = (
        RoleGrant.objects.filter(user__username=username)
        .select_related("user", "unit")
        .order_by("pk")
        .first()
    )
    return (grant.user, grant.unit) if grant else None


def _value(item: dict[str, object]) -> float:
    value = item.get("value")
    return float(value) if isinstance(value, int | float) else 0.0


def _community_ratings(evidences: dict[int, dict[str, Any]], rng: random.Random) -> dict[int, dict[str, int]]:
    """Each officer's rating of each community-policing criterion by their place
    among the year's officers on its evidence: the bottom fifth 2, the top 5."""
    ratings: dict[int, dict[str, int]] = {pk: {} for pk in evidences}
    for code, keys in METRICS.items():
        metric = {
            pk: sum(_value(evidence["items"].get(key, {})) for key in keys)
            for pk, evidence in evidences.items()
        }
        values = sorted(metric.values())
        for pk, value in metric.items():
            below = sum(1 for v in values if v < value)
            share = below / max(len(values) - 1, 1)
            rating = 2 + round(3 * share)
            if rng.random() < 0.1:
                rating += rng.choice([-1, 1])
            ratings[pk][code] = max(1, min(5, rating))
    return ratings


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    rng = random.Random(f"{seed}-appraisals")  # noqa: S311 - demo data, not secrets
    before, amended = _forms(today)
    commander = _user("station.commander")
    director = _user("regional.director")
    top = _user("directorate")
    if commander is None or director is None:
        return ["Appraisals: 2 form versions; no demo command to evaluate with."]
    demo_officer = (
        get_user_model().objects.filter(username="sector.officer").values_list("pk", flat=True).first()
    )
    station = commander[1]
    region = director[1]
    ranks = spec.DEFAULT_FORM["ranks"]
    officers = list(
        Officer.objects.filter(is_active=True, is_community_officer=True, rank__in=ranks)
        .filter(assignments__sector__path__startswith=region.path)
        .distinct()
        .order_by("pk")
    )
    made = signed = appealed = 0
    for year in (today.year - 3, today.year - 2, today.year - 1):
        start, end = date(year, 1, 1), date(year, 12, 31)
        version = before if year == today.year - 3 else amended
        criteria = list(version.criteria.order_by("order"))
        rows: list[tuple[Evaluation, dict[str, int]]] = []
        evidences: dict[int, dict[str, Any]] = {}
        for officer in officers:
            assignment = (
                Assignment.objects.filter(
                    officer=officer, start_date__lte=end, sector__path__startswith=region.path
                )
                .exclude(end_date__lt=end)
                .select_related("sector")
                .first()
            )
            if assignment is None:
                continue
            sector = assignment.sector
            supervisor, supervisor_unit = commander if sector.path.startswith(station.path) else director
            if officer.user_id == supervisor.pk:
                continue
            evaluation = Evaluation(
                officer=officer, rank=officer.rank, unit=sector, unit_path=sector.path, version=version,
                period_start=start, period_end=end, supervisor=supervisor, supervisor_unit=supervisor_unit,
                supervisor_path=supervisor_unit.path, created_at=_at(date(year + 1, 1, 10)),
            )  # fmt: skip
            with translation.override("sq"):
                evidence = selectors.read_evidence(Actor.system(), evaluation, every_language=True)
            evidence["taken_at"] = _at(date(year + 1, 1, 20)).isoformat()
            evaluation.evidence = evidence
            evidences[officer.pk] = evidence
            rows.append((evaluation, {}))
        community = _community_ratings(evidences, rng) if version == amended else {}
        latest = year == today.year - 1
        for index, (evaluation, _none) in enumerate(rows):
            scores = {
                c.code: community.get(evaluation.officer_id, {}).get(c.code) or rng.choice([3, 3, 4, 4, 4, 5])
                for c in criteria
            }
            draft = latest and index % 12 == 5
            evaluation.status = Status.DRAFT if draft else Status.SUBMITTED
            if not draft:
                evaluation.score = weighted_score((c.weight, scores[c.code]) for c in criteria)
                evaluation.submitted_at = _at(date(year + 1, 1, 20))
                evaluation.supervisor_comment = rng.choice(COMMENTS)
            else:
                evaluation.evidence = {}
            evaluation.save()
            Rating.objects.bulk_create(
                Rating(
                    evaluation=evaluation,
                    criterion=c,
                    score=None if draft and c.order > 3 else scores[c.code],
                    comment="" if draft else rng.choice(["", "", rng.choice(COMMENTS)]),
                )
                for c in criteria
            )
            made += 1
            if draft:
                continue
            # The demo sector officer (sign in as sector.officer) has last year's to acknowledge.
            waiting = latest and (index % 12 == 7 or evaluation.officer.user_id == demo_officer)
            if waiting:
                continue  # submitted, waiting for the officer
            if rng.random() < 0.08 or (latest and index % 12 == 9):
                appealed += 1
                level = region if evaluation.supervisor_path == station.path else (top[1] if top else None)
                decider = director[0] if level == region else (top[0] if top else None)
                if level is None:
                    continue
                appeal = Appeal.objects.create(
                    evaluation=evaluation, reasons=rng.choice(APPEAL_REASONS), reviewer_unit=level,
                    reviewer_path=level.path, filed_at=_at(date(year + 1, 1, 25)),
                )  # fmt: skip
                if latest and index % 12 == 9:
                    evaluation.status = Status.APPEALED
                    evaluation.save(update_fields=["status"])
                    continue  # waiting for the regional director's decision
                changes = {}
                if rng.random() < 0.5:
                    rating = (
                        evaluation.ratings.select_related("criterion").order_by("criterion__order").first()
                    )
                    if rating is not None and rating.score and rating.score < 5:
                        changes[rating.criterion.code] = [rating.score, rating.score + 1]
                        rating.score += 1
                        rating.save(update_fields=["score"])
                appeal.score_before = evaluation.score
                appeal.changes = changes
                appeal.outcome = Outcome.CHANGED if changes else Outcome.UPHELD
                appeal.decision_reason = "Vendimi pas shqyrtimit të procesverbaleve të forumit."
                appeal.decided_by, appeal.decided_at = decider, _at(date(year + 1, 2, 5))
                appeal.save()
                evaluation.score = weighted_score(
                    (r.criterion.weight, r.score or 0) for r in evaluation.ratings.select_related("criterion")
                )
                evaluation.status = Status.DECIDED
            else:
                evaluation.status = Status.ACKNOWLEDGED
                evaluation.acknowledged_at = _at(date(year + 1, 1, 28))
                evaluation.officer_comment = rng.choice(["", "", rng.choice(OFFICER_COMMENTS)])
            if not (latest and index % 12 == 11):
                evaluation.status = Status.SIGNED
                evaluation.signed_at, evaluation.signed_by = _at(date(year + 1, 2, 10)), evaluation.supervisor
                signed += 1
            evaluation.save()
    return [
        f"Appraisals: 2 form versions, {made} evaluations ({signed} signed, {appealed} appealed)"
        f" in {region.name}."
    ]
