"""Writes for the action plan: creating a plan from plain data (the curated
file or a workbook), progress updates with evidence and their review,
indicator values and targets, strategy acknowledgements, the six-monthly
evaluation (freeze, narrative, sign-off) and deadline reminders."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.accounts.models import User
from cpis.core import outbox
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.images import sanitise_image
from cpis.core.periods import Period
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import RoleGrant, Unit, UnitKind

from . import selectors
from .models import (
    Acknowledgement,
    Activity,
    BudgetCategory,
    DueRule,
    Evaluation,
    EvaluationState,
    Evidence,
    Goal,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Narrative,
    Objective,
    Plan,
    ProgressStatus,
    ProgressUpdate,
    Reminder,
    Responsible,
    ResponsibleKind,
    ReviewOutcome,
)
from .policy import policy
from .spec import LANGUAGES, PlanSpec, due_date_for

RECORD_TYPE = "plans.reminder"
MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# What evidence may be: documents and photos, recognised by their first bytes.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".txt": ("text/plain", ()),
}
SOURCE_KEY = re.compile(r"^[a-z_]+\.[a-z_]+$")
CODE = re.compile(r"^\d+(\.\d+)*$")
REMINDER_REPEAT_DAYS = 7


class PlanExists(DomainError):
    message = gettext_lazy("A plan with this code exists already.")


class InvalidPlan(InvalidInput):
    """Every problem found, so that the whole file can be fixed at once."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(_("The plan was not loaded: %(problems)s") % {"problems": "; ".join(self.problems)})


class NotResponsible(DomainError):
    message = gettext_lazy("This unit is not responsible for this activity.")


class ComputedIndicator(DomainError):
    message = gettext_lazy("This indicator is counted by the system; its values cannot be entered by hand.")


class EvaluationExists(DomainError):
    message = gettext_lazy("This half-year has been evaluated already.")


class PeriodNotOver(DomainError):
    message = gettext_lazy("A half-year can be evaluated only after it has ended.")


class EvaluationSigned(DomainError):
    message = gettext_lazy("This evaluation is signed off and can no longer change.")


class NarrativeMissing(DomainError):
    message = gettext_lazy("Write the narrative for every goal before signing off.")


class OwnUpdate(DomainError):
    message = gettext_lazy("Another member of the working group must review your own update.")


class AlreadyReviewed(DomainError):
    message = gettext_lazy("This update has been reviewed already.")


# --- the plan itself ----------------------------------------------------------------


def validate_spec(spec: PlanSpec) -> list[str]:
    """Problems with a plan as plain data, each naming where it is."""
    problems: list[str] = []
    if not spec.code or not re.fullmatch(r"[-a-z0-9_]{1,40}", spec.code):
        problems.append(_("plan code: use lower-case letters, digits and dashes"))
    if not spec.titles.get("en"):
        problems.append(_("plan: the English title is missing"))
    if any(len(title) > 200 for title in spec.titles.values()):
        problems.append(_("plan: a title is longer than 200 characters"))
    if spec.period_end <= spec.period_start:
        problems.append(_("plan: the period ends before it starts"))
    seen: set[str] = set()
    known_paths = set(Unit.objects.values_list("path", flat=True))
    for goal in spec.goals:
        for objective in goal.objectives:
            if not objective.number.startswith(goal.number + "."):
                problems.append(
                    _("objective %(number)s: not under goal %(goal)s")
                    % {"number": objective.number, "goal": goal.number}
                )
            for activity in objective.activities:
                where = activity.code
                if not CODE.fullmatch(activity.code):
                    problems.append(
                        _("activity %(code)s: the code is not numbers and dots") % {"code": where}
                    )
                elif not activity.code.startswith(objective.number + "."):
                    problems.append(
                        _("activity %(code)s: not under objective %(objective)s")
                        % {"code": where, "objective": objective.number}
                    )
                if activity.code in seen:
                    problems.append(_("activity %(code)s: the code is used twice") % {"code": where})
                seen.add(activity.code)
                if not activity.texts.get("en"):
                    problems.append(_("activity %(code)s: the English text is missing") % {"code": where})
                if activity.due_rule not in DueRule.values:
                    problems.append(_("activity %(code)s: unknown due rule") % {"code": where})
                if activity.due_rule == DueRule.BY_DATE and activity.due_date is None:
                    problems.append(_("activity %(code)s: a due date is needed") % {"code": where})
                for code in activity.budget:
                    if code not in BudgetCategory.values:
                        problems.append(
                            _("activity %(code)s: unknown budget category %(value)s")
                            % {"code": where, "value": code}
                        )
                for responsible in activity.responsibles:
                    if responsible.kind not in ResponsibleKind.values:
                        problems.append(
                            _("activity %(code)s: unknown kind of responsible body") % {"code": where}
                        )
                    if responsible.kind == ResponsibleKind.LEVEL and responsible.level not in UnitKind.values:
                        problems.append(_("activity %(code)s: unknown level") % {"code": where})
                    if responsible.kind == ResponsibleKind.UNIT and responsible.unit_path not in known_paths:
                        problems.append(
                            _("activity %(code)s: no unit at %(path)s")
                            % {"code": where, "path": responsible.unit_path}
                        )
                    if not responsible.names.get("en"):
                        problems.append(
                            _("activity %(code)s: a responsible body has no name") % {"code": where}
                        )
                for indicator in activity.indicators:
                    if indicator.unit not in IndicatorUnit.values:
                        problems.append(_("activity %(code)s: unknown indicator unit") % {"code": where})
                    if indicator.source and not SOURCE_KEY.fullmatch(indicator.source):
                        problems.append(
                            _("activity %(code)s: the indicator source is malformed") % {"code": where}
                        )
                    if not indicator.texts.get("en"):
                        problems.append(_("activity %(code)s: an indicator has no text") % {"code": where})
                    if indicator.target is not None and indicator.target < 0:
                        problems.append(_("activity %(code)s: a target cannot be negative") % {"code": where})
    return problems


@transaction.atomic
def create_plan(actor: Actor, *, spec: PlanSpec) -> Plan:
    """A whole plan from plain data, all or nothing. Working group only."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    problems = validate_spec(spec)
    if problems:
        raise InvalidPlan(problems)
    if Plan.objects.filter(code=spec.code).exists():
        raise PlanExists()
    plan = Plan.objects.create(
        code=spec.code,
        title_en=spec.titles["en"],
        title_sq=spec.titles.get("sq", ""),
        title_sr=spec.titles.get("sr", ""),
        period_start=spec.period_start,
        period_end=spec.period_end,
        approved_on=spec.approved_on,
        notes=list(spec.notes),
    )
    units = {u.path: u for u in Unit.objects.filter(path__in=_unit_paths(spec))}
    position = 0
    responsibles: list[Responsible] = []
    indicators: list[Indicator] = []
    for goal_position, goal_spec in enumerate(spec.goals):
        goal = Goal.objects.create(
            plan=plan, number=goal_spec.number, position=goal_position, **_text(goal_spec.texts)
        )
        for objective_position, objective_spec in enumerate(goal_spec.objectives):
            objective = Objective.objects.create(
                goal=goal,
                number=objective_spec.number,
                position=objective_position,
                **_text(objective_spec.texts),
            )
            for item in objective_spec.activities:
                activity = Activity.objects.create(
                    plan=plan,
                    objective=objective,
                    code=item.code,
                    code_as_printed=item.code_as_printed,
                    position=position,
                    responsible_as_written=item.responsible_as_written,
                    time_limit_en=item.time_limits["en"],
                    time_limit_sq=item.time_limits.get("sq", ""),
                    time_limit_sr=item.time_limits.get("sr", ""),
                    due_rule=item.due_rule,
                    due_days=item.due_days,
                    due_months=item.due_months,
                    due_date=due_date_for(item, spec.approved_on),
                    budget=list(item.budget),
                    budget_as_written=item.budget_as_written,
                    note=item.note,
                    **_text(item.texts),
                )
                position += 1
                responsibles += [
                    Responsible(
                        activity=activity,
                        position=i,
                        kind=r.kind,
                        level=r.level,
                        unit=units.get(r.unit_path) if r.kind == ResponsibleKind.UNIT else None,
                        name_en=r.names["en"],
                        name_sq=r.names.get("sq", ""),
                        name_sr=r.names.get("sr", ""),
                    )
                    for i, r in enumerate(item.responsibles)
                ]
                indicators += [
                    Indicator(
                        activity=activity,
                        position=i,
                        unit=ind.unit,
                        target=ind.target,
                        source=ind.source,
                        **_text(ind.texts),
                    )
                    for i, ind in enumerate(item.indicators)
                ]
    Responsible.objects.bulk_create(responsibles)
    Indicator.objects.bulk_create(indicators)
    return plan


def _text(values: dict[str, str]) -> dict[str, str]:
    return {f"text_{lang}": values.get(lang, "") for lang in LANGUAGES}


def _unit_paths(spec: PlanSpec) -> set[str]:
    return {r.unit_path for a in spec.activities() for r in a.responsibles if r.unit_path}


def load_plan_data(spec: PlanSpec) -> tuple[Plan, bool]:
    """Load the curated plan once: (plan, created). Used by the command and the demo."""
    existing = Plan.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing, False
    return create_plan(Actor.system(), spec=spec), True


# --- progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _check_evidence(upload: Upload) -> tuple[str, bytes, str]:
    name = PurePath(upload.name).name[-200:] or "evidence"
    suffix = PurePath(name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise InvalidInput(
            _("%(name)s: evidence may be PDF, JPEG, PNG, DOCX, XLSX, ODT or plain text.") % {"name": name}
        )
    if len(upload.data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": name})
    content_type, magics = EVIDENCE_TYPES[suffix]
    data = upload.data
    if magics and not data.startswith(magics):
        raise InvalidInput(_("%(name)s is not the kind of file its name says.") % {"name": name})
    if suffix == ".txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("%(name)s is not plain UTF-8 text.") % {"name": name}) from None
    if content_type.startswith("image/"):
        data, _format = sanitise_image(data)  # strips metadata, GPS included
    return name, data, content_type


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
    for name, data, content_type in checked:
        evidence = Evidence(update=update, name=name, content_type=content_type, size=len(data))
        evidence.file.save(name, ContentFile(data), save=False)
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
    from .indicators import is_computed

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


# --- evaluation ----------------------------------------------------------------------


def freeze_evaluation(actor: Actor, *, plan: Plan, period: Period) -> Evaluation:
    """Freeze the plan as it stood at the end of an ended half-year."""
    policy.require_anywhere(actor, "freeze", at=selectors.root_path())
    if period.end >= timezone.localdate():
        raise PeriodNotOver()
    if period.end < plan.period_start or period.start > plan.period_end:
        raise InvalidInput(_("The half-year lies outside the plan's period."))
    frozen_by = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    snapshot = selectors.build_snapshot(plan, period, frozen_by=frozen_by)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                plan=plan,
                period_start=period.start,
                period_end=period.end,
                snapshot=snapshot,
                frozen_by=frozen_by,
            )
    except IntegrityError:
        raise EvaluationExists() from None


def _lock_open(evaluation: Evaluation) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.state == EvaluationState.SIGNED:
        raise EvaluationSigned()
    return evaluation


@transaction.atomic
def write_narrative(actor: Actor, *, evaluation: Evaluation, goal_number: str, text: str) -> Narrative:
    """Leadership's assessment of one goal, until sign-off."""
    policy.require_anywhere(actor, "sign", at=selectors.root_path())
    evaluation = _lock_open(evaluation)
    if goal_number not in {g["number"] for g in evaluation.snapshot["goals"]}:
        raise InvalidInput(_("No such goal in this evaluation."))
    text = clean_text(text, limit=8000, required=True)
    narrative, _created = Narrative.objects.update_or_create(
        evaluation=evaluation, goal_number=goal_number, defaults={"text": text, "author_id": actor.user_id}
    )
    return narrative


@transaction.atomic
def sign_evaluation(actor: Actor, *, evaluation: Evaluation) -> Evaluation:
    """Senior leadership signs; from then on the evaluation cannot change."""
    policy.require_anywhere(actor, "sign", at=selectors.root_path())
    evaluation = _lock_open(evaluation)
    written = set(evaluation.narratives.values_list("goal_number", flat=True))
    if any(goal["number"] not in written for goal in evaluation.snapshot["goals"]):
        raise NarrativeMissing()
    evaluation.state = EvaluationState.SIGNED
    evaluation.signed_at = timezone.now()
    evaluation.signed_by_id = actor.user_id
    # The narratives and the names of who wrote and signed them go into the
    # snapshot itself: a renamed or removed account changes no signed report.
    evaluation.snapshot = selectors.report_snapshot(evaluation)
    evaluation.save(update_fields=["state", "signed_at", "signed_by", "snapshot"])
    return evaluation


# --- reminders -----------------------------------------------------------------------


def send_reminders(*, day: date | None = None) -> int:
    """E-mail each person who reports for a responsible unit a digest of that
    unit's overdue and due-soon activities, as they stand for the unit; at
    most once a week per person. Runs from the scheduled job; each digest is
    an outbox row written with its Reminder row, so a rerun never sends twice."""
    day = day or timezone.localdate()
    plan = selectors.get_current_plan()
    if plan is None or day > plan.period_end + timedelta(days=31):
        return 0
    recent = day - timedelta(days=REMINDER_REPEAT_DAYS)
    already = set(Reminder.objects.filter(on_date__gt=recent).values_list("user_id", flat=True))
    grants = (
        RoleGrant.objects.filter(role__in=policy.roles_for("report") - {"system_admin"}, user__is_active=True)
        .exclude(user__email="")
        .exclude(user_id__in=already)
        .select_related("unit", "user")
        .order_by("unit__path")
    )
    per_unit: dict[int, list[selectors.ActivityRow]] = {}
    per_user: dict[int, tuple[User, dict[str, selectors.ActivityRow]]] = {}
    for grant in grants:
        if grant.unit_id not in per_unit:
            deadlines = selectors.list_deadlines(plan, unit=grant.unit, day=day)
            per_unit[grant.unit_id] = deadlines.overdue + deadlines.due_soon
        for row in per_unit[grant.unit_id]:
            per_user.setdefault(grant.user_id, (grant.user, {}))[1][row.activity.code] = row
    sent = 0
    for user_id, (user, found) in per_user.items():
        if not found:
            continue
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                user_id=user_id, on_date=day, defaults={"activity_codes": sorted(found)}
            )
            if not created:
                continue
            _queue_digest(user, plan, list(found.values()), reminder)
            sent += 1
    return sent


def _queue_digest(user: User, plan: Plan, rows: list[selectors.ActivityRow], reminder: Reminder) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        overdue = [r for r in rows if r.state.overdue]
        due_soon = [r for r in rows if not r.state.overdue]
        subject = _("Action plan: %(overdue)s overdue, %(soon)s due soon") % {
            "overdue": len(overdue),
            "soon": len(due_soon),
        }
        body = render_to_string(
            "plans/email/reminder.txt",
            {"user": user, "plan": plan, "overdue": overdue, "due_soon": due_soon, "site": settings.SITE_URL},
        )
    outbox.queue(
        record_type=RECORD_TYPE,
        record_id=reminder.pk,
        to_email=user.email,
        language=language,
        subject=subject,
        body=body,
    )
