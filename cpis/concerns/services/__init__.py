"""Writes for concerns: submission from every channel and routing
(`submission`), the triage workflow, replies and notes (`workflow`), the
e-mails to the citizen through the outbox (`notices`), retention
(`retention`), and what the public may read with "me too" (`public`). Each
service checks its permission first and runs in one transaction;
notifications are rows written in that same transaction and sent by a task
after commit."""

# Re-exported so callers can catch them as the concern service's own errors.
from cpis.core.idempotency import IdempotencyKeyReused, SubmissionInProgress

from .feedback import (
    AlreadyAnswered,
    AnswerLinkInvalid,
    ConcernChangedSinceClosed,
    answer_closure,
    concern_for_token,
)
from .notices import RECORD_TYPE, TRACKING_NAMESPACE, answer_token, answer_url, tracking_code
from .public import (
    ClosedAsNotPublished,
    HeldConcernNotPublished,
    NoPhotoToPublish,
    NotSupportable,
    SensitiveCategoryNotPublished,
    SummaryHasContact,
    SummaryRepeatsReport,
    SummaryRequired,
    Support,
    approve_public_summary,
    can_publish,
    support_concern,
    withdraw_public_summary,
)
from .retention import anonymise_closed_concerns
from .submission import (
    MAX_DESCRIPTION,
    PLACE_OPTIONAL_CHANNELS,
    STAFF_CHANNELS,
    Submission,
    route,
    submit_concern,
)
from .workflow import (
    TRANSITIONS,
    NotADuplicateCandidate,
    OfficerNotServingHere,
    ReasonRequired,
    TransitionNotAllowed,
    add_citizen_message,
    add_note,
    assign_concern,
    assign_concerns,
    can_work,
    close_concern,
    mark_citizen_message_seen,
    notify_overdue,
    reopen_concern,
    reply_to_citizen,
    start_work,
    status_event,
    triage_concern,
)

__all__ = [
    "MAX_DESCRIPTION",
    "PLACE_OPTIONAL_CHANNELS",
    "RECORD_TYPE",
    "STAFF_CHANNELS",
    "TRACKING_NAMESPACE",
    "TRANSITIONS",
    "AlreadyAnswered",
    "AnswerLinkInvalid",
    "ClosedAsNotPublished",
    "ConcernChangedSinceClosed",
    "HeldConcernNotPublished",
    "IdempotencyKeyReused",
    "NoPhotoToPublish",
    "NotADuplicateCandidate",
    "NotSupportable",
    "OfficerNotServingHere",
    "ReasonRequired",
    "SensitiveCategoryNotPublished",
    "Submission",
    "SubmissionInProgress",
    "SummaryHasContact",
    "SummaryRepeatsReport",
    "SummaryRequired",
    "Support",
    "TransitionNotAllowed",
    "add_citizen_message",
    "add_note",
    "anonymise_closed_concerns",
    "answer_closure",
    "answer_token",
    "answer_url",
    "approve_public_summary",
    "assign_concern",
    "assign_concerns",
    "can_publish",
    "can_work",
    "close_concern",
    "concern_for_token",
    "mark_citizen_message_seen",
    "notify_overdue",
    "reopen_concern",
    "reply_to_citizen",
    "route",
    "start_work",
    "status_event",
    "submit_concern",
    "support_concern",
    "tracking_code",
    "triage_concern",
    "withdraw_public_summary",
]
