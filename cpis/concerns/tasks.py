"""Background entry points: thin, idempotent, each calls one service."""

from django_tasks import task

from . import services


@task()
def anonymise_closed_concerns() -> int:
    return services.anonymise_closed_concerns()


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day."""
    return f"Contact details removed from {services.anonymise_closed_concerns()} closed concerns."
