"""What a concern's citizen is sent: its tracking code and the e-mails
written in their language through the outbox."""

from cpis.core import outbox
from cpis.core.tracking import format_code

from ..models import Concern

TRACKING_NAMESPACE = "concern"
RECORD_TYPE = "concerns.concern"


def tracking_code(concern: Concern) -> str:
    return format_code(TRACKING_NAMESPACE, concern.reference)


def queue_email(concern: Concern, kind: str, *, text: str = "") -> None:
    """Write the message in the citizen's language now; send after commit."""
    if not concern.reporter_email:
        return
    outbox.queue_rendered(
        template=f"concerns/email/{kind}",
        context=lambda: {
            "concern": concern,
            "code": tracking_code(concern),
            "text": text,
            "status": concern.get_status_display(),
            "category": concern.category.name,
        },
        record_type=RECORD_TYPE,
        record_id=concern.pk,
        to_email=concern.reporter_email,
        language=concern.language,
    )
