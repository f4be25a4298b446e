"""Waves, answers and responses for the tests of collection, review, paper
and invitations, on the demo tree of the root conftest."""

import uuid
from datetime import timedelta

from django.utils import timezone

from cpis.organisation.access import Actor
from cpis.surveys.models import QuestionnaireVersion, Wave, WaveStatus
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
