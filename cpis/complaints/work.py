"""What complaints ask of professional standards today, for the staff home:
new complaints to acknowledge (late once the acknowledgement deadline has
passed) and open complaints past their decision deadline [2.3.5]. Nobody
else is shown anything: the complaints an actor may see are professional
standards' alone, without those about themselves or their chain of command."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor

from .models import OPEN, ComplaintStatus
from .policy import policy
from .selectors import visible_complaints


def today(actor: Actor) -> list[WorkItem]:
    if not policy.anywhere(actor, "view"):
        return []
    now = timezone.now()
    new = Q(status=ComplaintStatus.RECEIVED)
    counts = visible_complaints(actor).aggregate(
        late=Count("pk", filter=new & Q(acknowledge_by__lt=now)),
        new=Count("pk", filter=new & Q(acknowledge_by__gte=now)),
        undecided=Count("pk", filter=Q(status__in=OPEN, decide_by__lt=now)),
    )
    complaints = reverse("complaints:list")
    return [
        WorkItem(
            ngettext(
                "complaint not acknowledged in time", "complaints not acknowledged in time", counts["late"]
            ),
            counts["late"],
            complaints,
            Urgency.OVERDUE,
        ),
        WorkItem(
            ngettext(
                "complaint past its decision deadline",
                "complaints past their decision deadline",
                counts["undecided"],
            ),
            counts["undecided"],
            complaints,
            Urgency.OVERDUE,
        ),
        WorkItem(
            ngettext("new complaint to acknowledge", "new complaints to acknowledge", counts["new"]),
            counts["new"],
            complaints,
            Urgency.NOW,
        ),
    ]
