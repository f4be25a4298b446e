"""What a concern's citizen is sent: its tracking code and the e-mails
written in their language through the outbox."""

from cpis.core.citizens import Tracked

from ..models import Concern

TRACKING_NAMESPACE = "concern"
RECORD_TYPE = Concern._meta.label_lower  # what the outbox rows of these e-mails name
_TRACKED = Tracked(TRACKING_NAMESPACE, person="reporter")


def tracking_code(concern: Concern) -> str:
    return _TRACKED.code(concern)


def queue_email(concern: Concern, kind: str, *, text: str = "") -> None:
    """Write the message in the citizen's language now; send after commit."""
    _TRACKED.mail(
        concern,
        kind,
        lambda: {"text": text, "status": concern.get_status_display(), "category": concern.category.name},
    )
