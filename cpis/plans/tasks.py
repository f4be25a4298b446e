"""Background entry points: thin, idempotent, each calls one service."""

from django_tasks import task

from . import services


@task()
def send_reminders() -> int:
    """Deadline digests to the responsible units (at most one a week each)."""
    return services.send_reminders()


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day: the digests are written in the
    background worker, and sent through the outbox."""
    send_reminders.enqueue()
    return "Action plan deadline reminders enqueued."
