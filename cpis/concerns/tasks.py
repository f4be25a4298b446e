"""Background entry points: thin, idempotent, each calls one service."""

from . import services


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day."""
    return f"Contact details removed from {services.anonymise_closed_concerns()} closed concerns."


def notify_overdue() -> str:
    """Run by `cpis run_scheduled` once a day: assignees told of their overdue concerns."""
    return f"Assignees told of {services.notify_overdue()} overdue concerns."
