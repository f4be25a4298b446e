"""What the reporting chain asks of a person today, for the staff home: the
reports waiting at their stage of the chain, the reports returned to them for
revision, and — for the sector leader who writes them — last month's reports
not yet submitted, late once the due day has passed [2.4.3, 2.4.4]."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .models import STAGE_ROLE, Report, Stage, Status
from .policy import policy
from .selectors import due_date


def _waiting_for(actor: Actor) -> Q:
    """Reports in review at a stage whose role the actor holds above them (the
    rule of `selectors.list_waiting_for`, as one filter)."""
    waiting = Q(pk__in=[])
    for stage, role in STAGE_ROLE.items():
        if stage == Stage.AUTHOR:
            continue
        for path in actor.paths([role]):
            waiting |= Q(stage=stage, unit_path__startswith=path)
    return waiting


def today(actor: Actor) -> list[WorkItem]:
    home = reverse("reporting:home")
    items: list[WorkItem] = []
    if not policy.sees_anything(actor):
        return items
    waiting = Report.objects.filter(_waiting_for(actor), status=Status.SUBMITTED).count()
    items.append(
        WorkItem(
            ngettext("report waiting for your review", "reports waiting for your review", waiting),
            waiting,
            home,
            Urgency.NOW,
        )
    )
    if policy.anywhere(actor, "write"):
        returned = Report.objects.filter(
            policy.scope(actor, "write", "unit_path"), status=Status.RETURNED
        ).count()
        items.append(
            WorkItem(
                ngettext("report returned for revision", "reports returned for revision", returned),
                returned,
                home,
                Urgency.NOW,
            )
        )
    # Last month's report is written by the sector's leader: who holds that role sees
    # the sectors still without a submitted one.
    author_paths = actor.paths([STAGE_ROLE[Stage.AUTHOR]])
    if author_paths:
        day = timezone.localdate()
        month = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        due = due_date(month)
        place = Q(pk__in=[])
        for path in author_paths:
            place |= Q(path__startswith=path)
        submitted = Report.objects.filter(
            unit=OuterRef("pk"), period_start=month, status__in=[Status.SUBMITTED, Status.APPROVED]
        )
        missing = Unit.objects.filter(place, kind=UnitKind.SECTOR).exclude(Exists(submitted)).count()
        late = day > due
        items.append(
            WorkItem(
                ngettext(
                    "sector report for last month not submitted",
                    "sector reports for last month not submitted",
                    missing,
                ),
                missing,
                f"{home}?month={month:%Y-%m}",
                Urgency.OVERDUE if late else Urgency.SOON,
                _("Due on %(day)s") % {"day": formats.date_format(due, "SHORT_DATE_FORMAT")},
            )
        )
    return items
