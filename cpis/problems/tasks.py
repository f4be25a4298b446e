"""Background entry points: thin, idempotent, each calls one service."""

from django.utils import timezone
from django_tasks import task

from .services import actions, assessment, vulnerable


def erase_expired_vulnerable() -> str:
    """Daily: the register's entries whose review date passed unreviewed are erased."""
    return vulnerable.erase_expired(timezone.localdate())


@task()
def recompute_assessments_task() -> str:
    return assessment.recompute_assessments()


def recompute_assessments_daily() -> str:
    """Run by `cpis run_scheduled` once a day: the assessments of open problems,
    and those whose after-window was still running, are computed again from the
    records in the background worker."""
    recompute_assessments_task.enqueue()
    return "Assessment recomputation enqueued."


def notify_due_actions() -> str:
    """Run by `cpis run_scheduled` once a day: actions coming due, told to their officers."""
    return f"Officers told of {actions.notify_due_actions()} problem actions coming due."
