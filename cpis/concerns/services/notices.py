"""What a concern's citizen is sent: its tracking code and the e-mails
written in their language through the outbox."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from cpis.core.citizens import Tracked

from ..models import Concern

TRACKING_NAMESPACE = "concern"
RECORD_TYPE = Concern._meta.label_lower  # what the outbox rows of these e-mails name
_TRACKED = Tracked(TRACKING_NAMESPACE, person="reporter")
ANSWER_SALT = "concerns.closure-answer"


def tracking_code(concern: Concern) -> str:
    return _TRACKED.code(concern)


def queue_email(concern: Concern, kind: str, *, text: str = "", answer_url: str = "") -> None:
    """Write the message in the citizen's language now; send after commit.
    `answer_url`: the link asking "is it resolved?" (see `answer_url`)."""
    _TRACKED.mail(
        concern,
        kind,
        lambda: {
            "text": text,
            "status": concern.get_status_display(),
            "category": concern.category.name,
            "answer_url": answer_url,
        },
    )


def answer_token(concern: Concern) -> str:
    """The signed token of the link that asks the reporter, after the concern's
    current closure, whether it is resolved (services.feedback reads it)."""
    if concern.closed_at is None:
        raise ValueError("only a closed concern is asked whether it is resolved")
    return signing.dumps(
        {"c": concern.pk, "t": concern.closed_at.timestamp()}, salt=ANSWER_SALT, compress=True
    )


def answer_url(concern: Concern) -> str:
    """The absolute address of that link, for the closing e-mail."""
    return settings.SITE_URL + reverse("concerns_public:answer", args=[answer_token(concern)])
