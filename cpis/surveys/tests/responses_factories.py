"""Waves, answers and responses for the tests, on the demo tree of the root
conftest: a wave running today (collection, review, paper, invitations) or on
given days (results, exports, the API), responses recorded through the service
or written in bulk."""

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from cpis.organisation.access import Actor
from cpis.surveys.models import QuestionnaireVersion, Response, Wave, WaveStatus
from cpis.surveys.services import responses as services
from cpis.surveys.spec import SAFETY_AND_TRUST, SATISFACTION


def safety_version() -> QuestionnaireVersion:
    """The shipped safety-and-trust questionnaire, published by its data migration."""
    return QuestionnaireVersion.objects.get(questionnaire__code=SAFETY_AND_TRUST["code"], number=1)


def satisfaction_version() -> QuestionnaireVersion:
    return QuestionnaireVersion.objects.get(questionnaire__code=SATISFACTION["code"], number=1)


def make_wave(place, *, status=WaveStatus.OPEN, version=None, name="Vala e pranverës") -> Wave:
    today = timezone.localdate()
    return Wave.objects.create(
        name=name,
        version=version or safety_version(),
        place=place,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=20),
        status=status,
    )


def wave_of(
    tree,
    version,
    *,
    place=None,
    name="2026",
    starts=date(2026, 10, 1),
    days=30,
    status=WaveStatus.OPEN,
    min_n=10,
) -> Wave:
    """A wave of `version` at `place` (the country by default) from `starts` for
    `days` days."""
    return Wave.objects.create(
        name=name,
        version=version,
        place=place or tree.root,
        starts_on=starts,
        ends_on=starts + timedelta(days=days),
        status=status,
        min_n=min_n,
    )


def add_responses(
    wave,
    sector,
    n,
    answers: Callable[[int], dict],
    *,
    channel="door",
    submitted_at: datetime | None = None,
    devices=False,
    **fields,
) -> None:
    """`n` responses (counted unless `fields` say otherwise) written in bulk, the
    i-th answering `answers(i)`; each with a key of its own ("key-…") and, with
    `devices`, a device of its own ("device-…")."""
    start = Response.objects.count()
    Response.objects.bulk_create(
        Response(
            version=wave.version,
            wave=wave,
            sector=sector,
            channel=channel,
            answers=answers(i),
            submitted_at=submitted_at or timezone.now(),
            idempotency_key=f"key-{start + i}",
            **({"device": f"device-{start + i}"} if devices else {}),
            **fields,
        )
        for i in range(n)
    )


def good_answers(**changes) -> dict:
    """A plausible set of answers to the safety-and-trust questionnaire."""
    answers = {
        "safe_dark": 4,
        "rely": 3,
        "fair": 4,
        "listen": 2,
        "confidence": 4,
        "safety_score": 7,
        "know_officer": 1,
        "forum_aware": 0,
        "top_issue": "traffic",
    }
    answers.update(changes)
    return {code: value for code, value in answers.items() if value is not None}


def record(wave, sector, *, actor=None, channel="portal", **fields) -> services.Recorded:
    """Record a response through the service (a portal response by default)."""
    values = {
        "idempotency_key": uuid.uuid4().hex,
        "answers": good_answers(),
        "wave_id": wave.pk,
        "sector_id": sector.pk,
        "verified": True,  # the portal's proof of work solved
    }
    values.update(fields)
    return services.record_response(actor or Actor.anonymous(), channel=channel, **values)
