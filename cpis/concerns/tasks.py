"""Background entry points: thin, idempotent, each calls one service."""

from django_tasks import task


@task()
def anonymise_closed_concerns() -> int:
    from . import services

    return services.anonymise_closed_concerns()
