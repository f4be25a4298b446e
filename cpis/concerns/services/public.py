"""What the public may read of a concern, and "me too".

The reporter's words are never published as typed: an officer writes (or
edits and approves) a short public summary, and decides whether the photo may
be shown. Only concerns in public categories, not held, with an approved
summary are public (ConcernQuerySet.public). A citizen about to report the same
thing may support a public open concern instead; one support per person, where
a person is a keyed hash of their browser session and, if they give one, of
their e-mail address (no account, and nothing that identifies them is kept)."""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from cpis.core.contact import clean_email
from cpis.core.errors import DomainError
from cpis.core.text import clean_text
from cpis.organisation.access import Actor

from ..models import OPEN_STATUSES, Concern, ConcernEvent, ConcernSupport, EventKind
from ..policy import policy
from .workflow import lock

SUMMARY_LIMIT = 500
SUPPORT_SALT = "cpis.concerns.support"

# What a summary may not carry: an e-mail address or a phone-like run of digits.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE = re.compile(r"(?:\+|\b0)?\d(?:[\s./-]?\d){6,}")


class SensitiveCategoryNotPublished(DomainError):
    message = gettext_lazy("Concerns in sensitive categories are never published.")


class HeldConcernNotPublished(DomainError):
    message = gettext_lazy("Release the concern from moderation before publishing a summary.")


class ClosedAsNotPublished(DomainError):
    message = gettext_lazy("Duplicate and rejected concerns are not published.")


class SummaryRequired(DomainError):
    message = gettext_lazy("Write the public summary.")
    status_code = 400


class SummaryHasContact(DomainError):
    message = gettext_lazy("The public summary may not contain an e-mail address or a phone number.")
    status_code = 400


class SummaryRepeatsReport(DomainError):
    message = gettext_lazy(
        "The public summary repeats the citizen's report word for word; write it in your own words."
    )
    status_code = 400


class NoPhotoToPublish(DomainError):
    message = gettext_lazy("This concern has no photo to publish.")
    status_code = 400


class NotSupportable(DomainError):
    message = gettext_lazy("This report cannot be supported: it is not public or no longer open.")
    status_code = 404


def can_publish(actor: Actor, concern: Concern) -> bool:
    """Station leads and sector leaders at the place, or the assigned officer."""
    if policy.can(actor, "publish", concern.unit_path):
        return True
    officer = concern.assigned_officer
    return bool(officer and actor.user_id and officer.user_id == actor.user_id)


def _require_publish(actor: Actor, concern: Concern) -> None:
    if not can_publish(actor, concern):
        policy.require(actor, "publish", concern.unit_path)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def _check_summary(concern: Concern, summary: str) -> str:
    summary = clean_text(summary, limit=SUMMARY_LIMIT, required=False)
    if not summary:
        raise SummaryRequired()
    if _EMAIL.search(summary) or _PHONE.search(summary):
        raise SummaryHasContact()
    if _words(summary) == _words(concern.description):
        raise SummaryRepeatsReport()
    return summary


@transaction.atomic
def approve_public_summary(
    actor: Actor, *, concern: Concern, summary: str, publish_photo: bool = False
) -> Concern:
    """Write or correct the concern's public summary and approve it, so the
    public reports map and Open311 show it (with the photo if `publish_photo`).
    Needs `publish` at the concern's place or the concern assigned to the
    actor; refused for sensitive, held, duplicate and rejected concerns."""
    concern = lock(concern)
    _require_publish(actor, concern)
    if concern.category.is_sensitive:
        raise SensitiveCategoryNotPublished()
    if concern.is_held:
        raise HeldConcernNotPublished()
    if concern.status in {"duplicate", "rejected"}:
        raise ClosedAsNotPublished()
    summary = _check_summary(concern, summary)
    if publish_photo and not concern.photo:
        raise NoPhotoToPublish()
    concern.public_summary = summary
    concern.public_summary_approved_at = timezone.now()
    concern.public_summary_approved_by_id = actor.user_id
    concern.photo_is_public = publish_photo
    concern.save(
        update_fields=[
            "public_summary",
            "public_summary_approved_at",
            "public_summary_approved_by",
            "photo_is_public",
            "updated_at",
        ]
    )
    ConcernEvent.objects.create(
        concern=concern, actor_id=actor.user_id, kind=EventKind.PUBLISHED, text=summary
    )
    return concern


@transaction.atomic
def withdraw_public_summary(actor: Actor, *, concern: Concern) -> Concern:
    """Take the concern off the public map and Open311 (summary and photo);
    the summary text is kept for the history. Same permission as approving."""
    concern = lock(concern)
    _require_publish(actor, concern)
    if concern.public_summary_approved_at is None:
        return concern
    concern.public_summary_approved_at = None
    concern.photo_is_public = False
    concern.save(update_fields=["public_summary_approved_at", "photo_is_public", "updated_at"])
    ConcernEvent.objects.create(concern=concern, actor_id=actor.user_id, kind=EventKind.UNPUBLISHED)
    return concern


# --- "me too" ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    concern: Concern
    counted: bool  # False: this person already supported it; nothing changed


def supporter_hashes(*, session_key: str, email: str) -> tuple[str, str]:
    """(session hash, e-mail hash or ""): keyed with the secret key, so the
    table says nothing about who supported what without it."""
    session_hash = salted_hmac(SUPPORT_SALT, f"session:{session_key}").hexdigest()
    email_hash = salted_hmac(SUPPORT_SALT, f"email:{email.casefold()}").hexdigest() if email else ""
    return session_hash, email_hash


def support_concern(*, reference: str, session_key: str, email: str = "") -> Support:
    """Count one more citizen affected by a public open concern, instead of
    a duplicate report. A person (this browser session, or this e-mail if
    given) counts once per concern; anyone may support, the caller checks
    the rate limit and proof of work first. Bad input changes nothing."""
    email = clean_email(email)
    if not session_key:
        raise NotSupportable()
    session_hash, email_hash = supporter_hashes(session_key=session_key, email=email)
    with transaction.atomic():
        concern = (
            Concern.objects.public()
            .filter(reference=reference, status__in=OPEN_STATUSES)
            .select_for_update(of=("self",))
            .select_related("category")
            .first()
        )
        if concern is None:
            raise NotSupportable()
        seen = Q(session_hash=session_hash)
        if email_hash:
            seen |= Q(email_hash=email_hash)
        if concern.supports.filter(seen).exists():
            return Support(concern, counted=False)
        try:
            with transaction.atomic():
                ConcernSupport.objects.create(
                    concern=concern, session_hash=session_hash, email_hash=email_hash
                )
        except IntegrityError:  # the same person's second click, a moment apart
            return Support(concern, counted=False)
        Concern.objects.filter(pk=concern.pk).update(support_count=F("support_count") + 1)
        concern.refresh_from_db(fields=["support_count"])
    return Support(concern, counted=True)
