"""Inviting the reporter of a closed concern to the short questionnaire
"after your concern" (FixMyStreet's questionnaire): once per concern, by
e-mail, in the citizen's language, with a link whose random token is kept
only as its hash and expires after 30 days. Never about a sensitive concern
(domestic violence, trafficking): a message about it could reach the wrong
person in the household."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cpis.concerns.models import Concern, Status
from cpis.core import outbox

from .. import spec
from ..models import Invitation, Purpose, QuestionnaireVersion
from ..selectors import questionnaires
from ..selectors import responses as selectors

LIFETIME = timedelta(days=30)
DEFAULT_WINDOW_DAYS = 14
# Concerns whose handling the reporter can judge: a duplicate was handled as another
# concern, and a rejected one is mostly abuse or spam.
INVITED_STATUSES = (Status.RESOLVED, Status.REFERRED)


def window_days() -> int:
    """How far back closed concerns are invited (setting SURVEY_INVITATION_DAYS, 14 by default)."""
    return int(getattr(settings, "SURVEY_INVITATION_DAYS", DEFAULT_WINDOW_DAYS))


def after_concern_version() -> QuestionnaireVersion | None:
    """The published version of the after-concern questionnaire, if there is one."""
    version = questionnaires.get_published_version(spec.SATISFACTION["code"])
    if version is None or version.questionnaire.purpose != Purpose.SATISFACTION:
        return None
    return version


def list_to_invite(*, now: datetime, days: int) -> list[Concern]:
    """Concerns closed in the last `days` whose reporter left an e-mail
    address (the only way the system writes to citizens), not sensitive,
    not held, and not invited yet."""
    return list(
        Concern.objects.filter(
            status__in=INVITED_STATUSES,
            closed_at__gte=now - timedelta(days=days),
            closed_at__lte=now,
            category__is_sensitive=False,
            is_held=False,
            survey_invitation__isnull=True,
        )
        .exclude(reporter_email="")
        .select_related("category")
        .order_by("closed_at", "pk")
    )


def link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('surveys_public:invitation', args=[token])}"


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    token: str  # shown once, in the e-mail; only its hash is kept


def invite(concern: Concern, *, version: QuestionnaireVersion, now: datetime) -> Sent | None:
    """Invite one concern's reporter, unless it was invited already (None)."""
    if concern.category.is_sensitive or not concern.reporter_email:
        return None
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                concern=concern,
                version=version,
                token_hash=selectors.token_hash(token),
                sent_at=now,
                expires_at=now + LIFETIME,
            )
            outbox.queue_rendered(
                template="surveys/public/email/invitation",
                context=lambda: {
                    "link": link(token),
                    "title": version.title,
                    "category": concern.category.name,
                    "expires_at": invitation.expires_at,
                },
                record_type=Invitation._meta.label_lower,
                record_id=invitation.pk,
                to_email=concern.reporter_email,
                language=concern.language,
            )
    except IntegrityError:
        return None  # invited meanwhile: one invitation per concern
    return Sent(invitation, token)


def invite_after_concerns(*, now: datetime | None = None, days: int | None = None) -> int:
    """The daily job: invite the reporters of the concerns closed in the last
    `days` (the setting by default). Run as the system; each invitation and
    its e-mail are written together. Returns how many were sent."""
    now = now or timezone.now()
    version = after_concern_version()
    if version is None:
        return 0
    days = window_days() if days is None else days
    return sum(
        invite(concern, version=version, now=now) is not None
        for concern in list_to_invite(now=now, days=days)
    )
