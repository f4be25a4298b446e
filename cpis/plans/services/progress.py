"""Progress on the plan: updates with evidence and their review, indicator
targets and values, and officers' acknowledgement of the strategy."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import uploads
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.periods import Period
from cpis.core.text import clean_text
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from .. import selectors
from ..models import (
    Acknowledgement,
    Activity,
    Evidence,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Plan,
    ProgressStatus,
    ProgressUpdate,
    ReviewOutcome,
)
from ..policy import policy

MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = uploads.MAX_BYTES
# What evidence may be: documents and photos, recognised by their first bytes.
EVIDENCE_TYPES = {
    ".pdf": uploads.PDF,
    ".jpg": uploads.JPEG,
    ".jpeg": uploads.JPEG,
    ".png": uploads.PNG,
    ".docx": uploads.DOCX,
    ".xlsx": uploads.XLSX,
    ".odt": uploads.ODT,
    ".txt": uploads.TEXT,
}


class NotResponsible(DomainError):
    message = gettext_lazy("This unit is not responsible for this activity.")


class ComputedIndicator(DomainError):
    message = gettext_lazy("This indicator is counted by the system; its values cannot be entered by hand.")


class OwnUpdate(DomainError):
    message = gettext_lazy("Another member of the working group must review your own update.")


class AlreadyReviewed(DomainError):
    message = gettext_lazy("This update has been reviewed already.")


def _check_evidence(upload: Upload) -> Upload:
    upload = replace(upload, name=uploads.base_name(upload.name, "evidence"))
    if upload.suffix not in EVIDENCE_TYPES:
        raise InvalidInput(
            _("%(name)s: evidence may be PDF, JPEG, PNG, DOCX, XLSX, ODT or plain text.")
            % {"name": upload.name}
        )
    # Photos come back re-encoded: no metadata, GPS included, survives.
    return uploads.check_content(uploads.check_size(upload), EVIDENCE_TYPES[upload.suffix])


@transaction.atomic
def post_update(
    actor: Actor,
    *,
    activity: Activity,
    unit: Unit,
    status: str,
    narrative: str,
    reported_on: date,
    percent: int | None = None,
    milestone: str = "",
    files: Sequence[Upload] = (),
) -> ProgressUpdate:
    """A responsible unit reports progress, with evidence files. The unit
    must be one the activity names (by unit or level); the reviewers see it next."""
    policy.require(actor, "report", unit.path)
    if not selectors.is_responsible(activity, unit):
        raise NotResponsible()
    if status not in ProgressStatus.values:
        raise InvalidInput(_("Choose a status."))
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput(_("The percentage must be between 0 and 100."))
    if reported_on > timezone.localdate() or reported_on < activity.plan.period_start:
        raise InvalidInput(_("The date must lie between the plan's start and today."))
    narrative = clean_text(narrative, limit=4000, required=True)
    if len(files) > MAX_EVIDENCE_FILES:
        raise InvalidInput(_("Attach at most %(count)s files.") % {"count": MAX_EVIDENCE_FILES})
    checked = [_check_evidence(f) for f in files]
    update = ProgressUpdate.objects.create(
        activity=activity,
        unit=unit,
        unit_path=unit.path,
        status=status,
        percent=percent,
        milestone=clean_text(milestone, limit=200, required=False),
        narrative=narrative,
        reported_on=reported_on,
        author_id=actor.user_id,
    )
    for file in checked:
        evidence = Evidence(
            update=update, name=file.name, content_type=file.content_type, size=len(file.data)
        )
        evidence.file.save(file.name, ContentFile(file.data), save=False)
        evidence.save()
    return update


@transaction.atomic
def review_update(actor: Actor, *, update: ProgressUpdate, outcome: str, note: str = "") -> ProgressUpdate:
    """The coordinator and working group accept an update or return it for
    more information (a returned update no longer counts)."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if update.review != ReviewOutcome.PENDING:
        raise AlreadyReviewed()
    if actor.user_id is not None and update.author_id == actor.user_id:
        raise OwnUpdate()
    if outcome not in {ReviewOutcome.ACCEPTED, ReviewOutcome.RETURNED}:
        raise InvalidInput(_("Accept the update or return it."))
    note = clean_text(note, limit=2000, required=outcome == ReviewOutcome.RETURNED)
    update.review, update.review_note = outcome, note
    update.reviewed_by_id, update.reviewed_at = actor.user_id, timezone.now()
    update.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    return update


# --- indicators ----------------------------------------------------------------------


@transaction.atomic
def set_indicator_target(actor: Actor, *, indicator: Indicator, target: Decimal | None) -> Indicator:
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    if target is not None and target < 0:
        raise InvalidInput(_("A target cannot be negative."))
    indicator.target = target
    indicator.save(update_fields=["target"])
    return indicator


@transaction.atomic
def enter_indicator_value(
    actor: Actor, *, indicator: Indicator, period: Period, value: Decimal, note: str = ""
) -> IndicatorValue:
    """A value typed in for a half-year by the working group, kept with who
    entered it; a later entry for the same period supersedes, never overwrites."""
    from ..indicators import is_computed

    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    if is_computed(indicator):
        raise ComputedIndicator()
    plan = indicator.activity.plan
    if period.end < plan.period_start or period.start > plan.period_end:
        raise InvalidInput(_("The half-year lies outside the plan's period."))
    if value < 0:
        raise InvalidInput(_("A value cannot be negative."))
    if indicator.unit == IndicatorUnit.PERCENT and value > 100:
        raise InvalidInput(_("A percentage cannot exceed 100."))
    if indicator.unit == IndicatorUnit.YES_NO and value not in (0, 1):
        raise InvalidInput(_("Enter 1 for done or 0 for not done."))
    return IndicatorValue.objects.create(
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        value=value,
        note=clean_text(note, limit=300, required=False),
        entered_by_id=actor.user_id,
    )


def acknowledge_plan(actor: Actor, *, plan: Plan) -> Acknowledgement:
    """An officer confirms having been informed of the strategy [1.4.3]. Once per person."""
    selectors.require_view(actor)
    if actor.user_id is None:
        raise InvalidInput(_("Sign in first."))
    acknowledgement, _created = Acknowledgement.objects.get_or_create(plan=plan, user_id=actor.user_id)
    return acknowledgement
