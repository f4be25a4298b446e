"""Retention: reporters' contact details are removed a configured time
after a concern closes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cpis.core import idempotency, outbox

from ..models import CLOSED_STATUSES, Concern, ConcernEvent, EventKind
from .notices import RECORD_TYPE


@transaction.atomic
def anonymise_closed_concerns(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Remove reporters' contact details a configured time after closure
    (LED Art. 4(1)(e), 5) and record it on each concern. Idempotent."""
    now = now or timezone.now()
    older_than = older_than or timedelta(days=settings.CONCERN_CONTACT_RETENTION_DAYS)
    concerns = list(
        Concern.objects.select_for_update()
        .filter(
            status__in=CLOSED_STATUSES, closed_at__lt=now - older_than, contact_anonymised_at__isnull=True
        )
        .exclude(reporter_name="", reporter_email="", reporter_phone="")
    )
    for concern in concerns:
        Concern.objects.filter(pk=concern.pk).update(
            reporter_name="", reporter_email="", reporter_phone="", contact_anonymised_at=now
        )
        ConcernEvent.objects.create(concern=concern, kind=EventKind.ANONYMISED, at=now)
    outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(c.pk) for c in concerns])
    idempotency.prune()
    return len(concerns)
