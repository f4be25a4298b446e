"""Deadline reminders: a weekly digest of overdue and due-soon activities
to each person who reports for a responsible unit."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cpis.accounts.models import User
from cpis.core import outbox
from cpis.organisation.models import RoleGrant

from .. import selectors
from ..models import Plan, Reminder
from ..policy import policy

RECORD_TYPE = "plans.reminder"
REMINDER_REPEAT_DAYS = 7


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
    overdue = [r for r in rows if r.state.overdue]
    due_soon = [r for r in rows if not r.state.overdue]
    outbox.queue_rendered(
        template="plans/email/reminder",
        context=lambda: {
            "user": user,
            "plan": plan,
            "overdue": overdue,
            "due_soon": due_soon,
            "site": settings.SITE_URL,
        },
        record_type=RECORD_TYPE,
        record_id=reminder.pk,
        to_email=user.email,
        language=user.language or settings.LANGUAGE_CODE,
    )
