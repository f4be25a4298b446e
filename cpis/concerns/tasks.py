"""Background entry points: thin, idempotent, each calls one service."""

from . import services


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day."""
    return f"Contact details removed from {services.anonymise_closed_concerns()} closed concerns."
